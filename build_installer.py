"""Build the companion's self-contained bundle, and a trainer's USB kit.

    pip install -e ".[build]"            # once: PyInstaller
    python build_installer.py            # dist/companion-VERSION-OS-ARCH.tar.gz (.zip on Windows, macOS)
    python build_installer.py --usb-kit /media/stick/companion
    python build_installer.py --trust amina.pub          # packs signed by amina.key install without asking

One folder holding the app, Python, Qt, the content packs (``content/``), the
fonts, styles and every language's catalogue (``resources/``, with Qt's and
Babel's data of those languages only), trimmed of what the app does not use,
packed as an archive with a ``SHA256SUMS`` file beside it. The same script runs
on Linux, Windows and macOS for the system it runs on; no network, no install."""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shutil
import string
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path
from scripts.catalogue import compile_all  # the languages' catalogues

ROOT = Path(__file__).resolve().parent
PACKAGING = ROOT / "packaging"
IS_WINDOWS = sys.platform == "win32"
IS_MACOS = sys.platform == "darwin"
IS_LINUX = sys.platform.startswith("linux")
STRIP = not IS_WINDOWS  # strip debugging symbols from the shared libraries (Linux, macOS)
OPTIMIZE = 2  # bytecode without docstrings and asserts: nothing the app runs reads a docstring
BUDGET_MIB = {"unpacked": 125.0, "archive": 50.0}  # every language and the four packs included



# names ---------------------------------------------------------------------------------
def version() -> str:
    text = (ROOT / "companion" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__\s*=\s*"([^"]+)"', text).group(1)


def os_name() -> str:
    return "windows" if IS_WINDOWS else "macos" if IS_MACOS else "linux" if IS_LINUX else sys.platform


def arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine or "unknown")


def bundle_name() -> str:
    return f"companion-{version()}-{os_name()}-{arch()}"


def archive_suffix() -> str:
    return ".tar.gz" if IS_LINUX else ".zip"


def executable_name() -> str:
    return "companion.exe" if IS_WINDOWS else "companion"


# what goes in ------------------------------------------------------------------------------
def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source, folder in the bundle): every content pack and the resources."""
    files = []
    for pack in sorted((root / "content").iterdir()):
        if (pack / "manifest.yaml").is_file():
            files.append((str(pack), f"content/{pack.name}"))
    for folder in sorted((root / "resources").iterdir()):
        if folder.is_dir() and any(folder.rglob("*")):
            files.append((str(folder), f"resources/{folder.name}"))
    return files


def run_pyinstaller(dist: Path, work: Path) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit('build_installer: PyInstaller is not installed: run  pip install -e ".[build]"  '
                         "(or  make bundle)") from None
    compile_all()  # every language's .mo, from its .po
    command = [sys.executable, "-m", "PyInstaller", str(PACKAGING / "companion.spec"), "--noconfirm",
               "--clean", "--log-level", "WARN", "--distpath", str(dist), "--workpath", str(work)]
    print("build_installer: " + " ".join(command), flush=True)
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        raise SystemExit("build_installer: PyInstaller failed (its messages are above)")
    bundle = dist / bundle_name()
    (bundle / "README.txt").write_text(_fill(PACKAGING / "README-bundle.txt", {}), encoding="utf-8")
    from companion.content.translation import keep_parsed

    for manifest in sorted(bundle.rglob("content/*/manifest.yaml")):  # the first start reads them parsed
        keep_parsed(manifest.parent)
    return bundle


def _normalised(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def make_archive(bundle: Path, out_dir: Path) -> Path:
    out = out_dir / (bundle.name + archive_suffix())
    tmp = out.with_name(out.name + ".part")
    if IS_LINUX:
        with tarfile.open(tmp, "w:gz", compresslevel=9) as archive:
            archive.add(bundle, arcname=bundle.name, filter=_normalised)
    else:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for folder, _dirs, files in os.walk(bundle, followlinks=True):
                for name in sorted(files):
                    path = Path(folder) / name
                    archive.write(path, Path(bundle.name, path.relative_to(bundle)).as_posix())
    os.replace(tmp, out)
    return out


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(folder: Path, files: list[Path]) -> Path:
    """SHA256SUMS in ``folder`` for ``files`` (paths relative to it), as ``sha256sum -c`` reads it."""
    lines = [f"{sha256(p)}  {p.relative_to(folder).as_posix()}" for p in sorted(files)]
    out = folder / "SHA256SUMS"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def set_trusted_keys(bundle: Path, keys: list[Path]) -> bool:
    """Make ``keys`` (NAME.pub) the keys the bundle trusts; True when that changed the bundle."""
    sys.path.insert(0, str(ROOT))
    from companion.content import signing
    from companion.errors import CompanionError

    resources = next(p for p in (bundle / "_internal" / "resources", bundle / "resources", bundle) if p.is_dir())
    try:
        changed, trusted = signing.set_trusted(resources / signing.TRUSTED_DIR, keys)
    except CompanionError as exc:
        raise SystemExit(f"build_installer: --trust: {exc}") from None
    print("".join(f"build_installer: trusting {k.name} (fingerprint {k.fingerprint})\n" for k in trusted), end="")
    return changed


# the USB kit -----------------------------------------------------------------------------
def _fill(template: Path, values: dict[str, str]) -> str:
    defaults = {"version": version(), "bundle": bundle_name(), "date": time.strftime("%Y-%m-%d")}
    return string.Template(template.read_text(encoding="utf-8")).safe_substitute({**defaults, **values})


def _copy_portable(bundle: Path, target: Path) -> None:
    """The bundle, ready to run from the stick with its data beside it."""
    if target.exists():
        shutil.rmtree(target)
    try:
        shutil.copytree(bundle, target, symlinks=True)
    except OSError:  # FAT and exFAT sticks hold no symbolic links: copy what they point to
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(bundle, target, symlinks=False)
    (target / "portable.txt").write_text(_fill(PACKAGING / "portable.txt", {}), encoding="utf-8")


def _list_items(items: list[tuple[str, str]], html: bool) -> str:
    from html import escape

    if html:
        return "\n".join(f"<li><code>{escape(name)}</code>: {escape(text)}</li>" for name, text in items)
    return "\n".join(f"   - {name}\n     {text}" for name, text in items)


def usb_kit(kit: Path, archives: list[Path], bundle: Path | None, portable: bool, sign: Path | None = None) -> Path:
    sys.path.insert(0, str(ROOT))
    from companion.content import signing
    from companion.errors import CompanionError
    from companion.workbook import packs

    if (secret := signing.private_key_in([*archives, ROOT / "content", *([bundle] if bundle else [])])) is not None:
        raise SystemExit(f"build_installer: {secret} is a private signing key: it never goes on a stick")
    kit.mkdir(parents=True, exist_ok=True)
    (kit / "install").mkdir(exist_ok=True)
    (kit / "content").mkdir(exist_ok=True)
    copied = []
    for archive in archives:
        shutil.copy2(archive, kit / "install" / archive.name)
        copied.append(kit / "install" / archive.name)
    pack_files = []
    for pack_dir in sorted((ROOT / "content").iterdir()):
        if (pack_dir / "manifest.yaml").is_file():
            info = packs.read_info(pack_dir, "bundled")
            out = kit / "content" / f"{info.id}-{info.version}.zip"
            try:
                packs.pack_archive(pack_dir, out, key=sign)
            except CompanionError as exc:
                raise SystemExit(f"build_installer: {pack_dir}: {exc}") from None
            pack_files.append(out)
    if portable and bundle is not None:
        _copy_portable(bundle, kit / "run-from-this-stick" / bundle.name)
    systems = {"linux": "Linux", "windows": "Windows", "macos": "macOS"}
    installers = [(p.name, "for " + next((v for k, v in systems.items() if f"-{k}-" in p.name), "another system"))
                  for p in copied]
    contents = [(p.name, "course content, for File > Install content from USB") for p in pack_files]
    values = {}
    for html in (False, True):
        suffix = "_html" if html else "_txt"
        values["installers" + suffix] = _list_items(installers, html)
        values["packs" + suffix] = _list_items(contents, html)
    values["portable_folder"] = f"run-from-this-stick/{bundle.name}" if portable and bundle else "(not on this stick)"
    for name in ("START-HERE.txt", "START-HERE.html"):
        (kit / name).write_text(_fill(PACKAGING / name, values), encoding="utf-8")
    write_sums(kit, [*copied, *pack_files])
    return kit


# the command ------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle and archive go")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder")
    parser.add_argument("--skip-build", action="store_true", help="reuse the bundle already in --dist")
    parser.add_argument("--usb-kit", type=Path, metavar="DIR", help="also lay out a trainer's USB kit in DIR")
    parser.add_argument("--no-portable", action="store_true",
                        help="in the USB kit, leave out the copy that runs from the stick")
    parser.add_argument("--trust", type=Path, action="append", default=[], metavar="NAME.pub",
                        help="build in a trainer's public key: packs it signs install without asking")
    parser.add_argument("--sign", type=Path, metavar="NAME.key", help="sign the USB kit's content packs")
    args = parser.parse_args(argv)
    dist, started = args.dist.resolve(), time.monotonic()
    bundle = dist / bundle_name()
    archive = dist / (bundle.name + archive_suffix())
    stale = not (args.skip_build and (bundle / executable_name()).is_file())
    if stale:
        bundle = run_pyinstaller(dist, args.work.resolve())
    else:
        print(f"build_installer: reusing {bundle}")
        stale = not archive.is_file() or archive.stat().st_mtime < (bundle / executable_name()).stat().st_mtime
    if (args.trust and set_trusted_keys(bundle, args.trust)) or stale:
        archive = make_archive(bundle, dist)
    archives = sorted(p for p in dist.glob(f"companion-{version()}-*") if p.is_file()
                      and p.name.endswith((".tar.gz", ".zip")))
    write_sums(dist, archives)
    print(f"build_installer: {bundle} ({folder_size(bundle) / 2**20:.1f} MiB unpacked)\n"
          f"build_installer: {archive} ({archive.stat().st_size / 2**20:.1f} MiB), SHA256SUMS beside it")
    if args.usb_kit:
        kit = usb_kit(args.usb_kit.resolve(), archives, bundle, portable=not args.no_portable, sign=args.sign)
        print(f"build_installer: USB kit in {kit} (open START-HERE.html)")
    print(f"build_installer: done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
