"""The installer: build the one-folder bundle, unpack its archive as a participant
would, and run it offscreen: self-check, a picture of its window, portable mode.

Slow (the build takes about a minute on two cores), and part of ``make test``,
whose install step brings PyInstaller (the ``build`` extra). Skip it with
``-m 'not bundle'``.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.bundle

pytest.importorskip("PyInstaller", reason="PyInstaller is not installed: pip install -e '.[build]' (make test does)")
if shutil.which("strip") is None or shutil.which("readelf") is None:
    pytest.skip("binutils (strip, readelf) are needed to build the bundle: apt-get install binutils",
                allow_module_level=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("bundle")
    result = subprocess.run([sys.executable, str(ROOT / "build_installer.py"), "--dist", str(work / "dist"),
                             "--work", str(work / "build")], capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    archives = sorted((work / "dist").glob("companion-*-*-*.tar.gz")) + sorted((work / "dist").glob("companion-*.zip"))
    assert len(archives) == 1, archives
    archive = archives[0]
    unpacked = work / "unpacked"
    if archive.name.endswith(".tar.gz"):
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked, filter="data")
    else:
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(unpacked)
    folder = unpacked / archive.name.removesuffix(".tar.gz").removesuffix(".zip")
    exe = folder / ("companion.exe" if sys.platform == "win32" else "companion")
    assert exe.is_file()
    return {"work": work, "archive": archive, "folder": folder, "exe": exe}


def _run(built: dict, *args: str, home: Path) -> subprocess.CompletedProcess:
    """The bundled companion, with nothing from this checkout or its venv around it."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
           "XDG_DATA_HOME": str(home / "laptop")}
    for key in ("SYSTEMROOT", "TEMP", "TMP", "TMPDIR"):  # what Windows and temporary files need
        if key in os.environ:
            env[key] = os.environ[key]
    return subprocess.run([str(built["exe"]), *args], capture_output=True, text=True, env=env,
                          cwd=built["work"], timeout=300)


def test_the_archive_comes_with_its_checksum_and_is_trimmed(built):
    sums = (built["archive"].parent / "SHA256SUMS").read_text().splitlines()
    digest = hashlib.sha256(built["archive"].read_bytes()).hexdigest()
    assert f"{digest}  {built['archive'].name}" in sums
    files = {p.relative_to(built["folder"]).as_posix() for p in built["folder"].rglob("*")}
    assert any(f.endswith("content/en/manifest.yaml") for f in files)
    assert any(f.endswith("resources/fonts/NotoSansEthiopic-Regular.ttf") for f in files)
    assert any(f.endswith("resources/fonts/OFL-Noto.txt") for f in files)
    assert any("platforms/libqoffscreen" in f for f in files) and any("platforms/libqxcb" in f for f in files)
    for gone in ("platforms/libqvnc", "platforms/libqeglfs", "platforms/libqlinuxfb", "platformthemes/libqgtk3",
                 "Qt/translations/qt_", "libQt6Network", "imageformats/libqtiff", "tkinter"):
        assert not any(gone in f for f in files), gone
    assert "README.txt" in files


def test_the_bundle_carries_every_language_within_its_size_budget(built):
    import build_installer

    internal = next(p for p in (built["folder"] / "_internal", built["folder"]) if (p / "resources").is_dir())
    for lang in ("fr", "es", "pt", "ar"):
        assert (internal / "resources" / "locale" / lang / "LC_MESSAGES" / "companion.mo").is_file(), lang
        assert list(internal.rglob(f"qtbase_{lang}*.qm")), lang
    babel = {p.stem for p in internal.rglob("babel/locale-data/*.dat")}
    assert {"root", "en", "fr", "es", "pt", "ar"} <= babel and not babel - {"root", "en", "en_001", "en_GB", "fr",
                                                                           "es", "pt", "pt_PT", "ar"}, babel
    for pack in ("en", "fr", "es", "ar"):
        assert (internal / "content" / pack / "manifest.yaml").is_file(), pack
        assert (internal / "content" / ".parsed" / f"{pack}.pickle").is_file(), pack
    unpacked = build_installer.folder_size(built["folder"]) / 2**20
    archive = built["archive"].stat().st_size / 2**20
    assert unpacked <= build_installer.BUDGET_MIB["unpacked"], f"{unpacked:.1f} MiB unpacked"
    assert archive <= build_installer.BUDGET_MIB["archive"], f"{archive:.1f} MiB archive"


def test_the_bundle_passes_its_self_check_offscreen(built, tmp_path):
    result = _run(built, "self-check", home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("self-check passed"), result.stdout
    assert all(line.startswith("ok: ") for line in lines[:-1]), result.stdout
    text = result.stdout
    assert "bundled content pack toolbox-en" in text and "exported them to a PDF" in text
    assert "share file" in text and "drew the main window offscreen" in text
    assert not (tmp_path / "laptop").exists(), "the self-check wrote to the person's data folder"


def test_the_bundle_draws_its_window(built, tmp_path):
    out = tmp_path / "bundle.png"
    result = _run(built, "screenshot", str(out), "--view", "topic:m2-diaspora-dialogue", home=tmp_path)
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    assert len({image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}) > 10


def test_portable_mode_keeps_data_beside_the_bundle_and_a_read_only_stick_falls_back(built, tmp_path):
    folder = built["folder"]
    marker, data = folder / "portable.txt", folder / "companion-data"
    marker.write_text("portable\n")
    try:
        created = _run(built, "worksheets", "new", "action-plan", "--title", "On the stick", home=tmp_path)
        assert created.returncode == 0, created.stderr
        assert (data / "companion.sqlite3").is_file() and not (tmp_path / "laptop").exists()
        listing = _run(built, "worksheets", "list", home=tmp_path)
        assert "On the stick" in listing.stdout
        shutil.rmtree(data)
        data.write_text("a file where the folder should be: it cannot be written")
        fallen = _run(built, "worksheets", "new", "action-plan", "--title", "On the laptop", home=tmp_path)
        assert fallen.returncode == 0, fallen.stderr
        assert "cannot be written" in fallen.stderr and "Traceback" not in fallen.stderr
        assert (tmp_path / "laptop" / "MLDCompanion" / "companion.sqlite3").is_file()
    finally:
        marker.unlink(missing_ok=True)
        if data.is_dir():
            shutil.rmtree(data)
        else:
            data.unlink(missing_ok=True)


def test_the_usb_kit_lays_out_installers_content_checksums_and_a_start_page(built, tmp_path):
    kit = tmp_path / "stick"
    result = subprocess.run([sys.executable, str(ROOT / "build_installer.py"), "--dist", str(built["archive"].parent),
                             "--skip-build", "--usb-kit", str(kit)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (kit / "install" / built["archive"].name).read_bytes() == built["archive"].read_bytes()
    packs_on_stick = sorted(p.name for p in (kit / "content").iterdir())
    assert packs_on_stick == [f"toolbox-{code}-1.0.0.zip" for code in ("ar", "en", "es", "fr")]  # every language
    for line in (kit / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((kit / name).read_bytes()).hexdigest() == digest
    for page in ("START-HERE.txt", "START-HERE.html"):
        text = (kit / page).read_text(encoding="utf-8")
        assert built["archive"].name in text and "$" not in text
        assert all(name in text for name in packs_on_stick)
        assert "Install content from USB" in text and "run-from-this-stick/" in text
    portable_copy = kit / "run-from-this-stick" / built["folder"].name
    assert (portable_copy / "portable.txt").is_file()
    ran = subprocess.run([str(portable_copy / built["exe"].name), "worksheets", "new", "swot", "--title", "Kit"],
                         capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
                              "XDG_DATA_HOME": str(tmp_path / "laptop")})
    assert ran.returncode == 0, ran.stderr
    assert (portable_copy / "companion-data" / "companion.sqlite3").is_file() and not (tmp_path / "laptop").exists()


def test_a_bundle_built_with_a_trainers_key_installs_their_signed_pack_and_refuses_a_changed_one(built, tmp_path):
    from companion.content import signing
    from companion.workbook import packs

    _secret, public, key = signing.keygen(tmp_path / "trainer", "Trainer Amina")
    source = shutil.copytree(ROOT / "content" / "en", tmp_path / "en")
    manifest = source / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.0.1"), encoding="utf-8")
    signed = tmp_path / "toolbox-en-1.0.1.zip"
    packs.pack_archive(source, signed, key=tmp_path / "trainer.key")
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(signed) as original, zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename.endswith("schedule.md"):
                data = data[:60] + bytes([data[60] ^ 0x01]) + data[61:]  # one byte inside one entry
            out.writestr(info.filename, data)

    dist = shutil.copytree(built["archive"].parent, tmp_path / "dist", symlinks=True)
    rebuilt = subprocess.run([sys.executable, str(ROOT / "build_installer.py"), "--dist", str(dist), "--skip-build",
                              "--trust", str(public)], capture_output=True, text=True, timeout=600)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert f"trusting Trainer Amina (fingerprint {key.fingerprint})" in rebuilt.stdout
    unpacked = tmp_path / "unpacked"
    with tarfile.open(dist / built["archive"].name) as tar:
        tar.extractall(unpacked, filter="data")
    trusting = {**built, "exe": unpacked / built["folder"].name / built["exe"].name}

    untrusted = _run(built, "content", "install", str(signed), home=tmp_path / "a")  # the bundle without the key
    assert untrusted.returncode == 2 and key.fingerprint in untrusted.stderr, untrusted.stderr
    refused = _run(trusting, "content", "install", str(changed), home=tmp_path / "b")
    assert refused.returncode == 2 and "changed after signing" in refused.stderr, refused.stderr
    done = _run(trusting, "content", "install", str(signed), home=tmp_path / "b")
    assert done.returncode == 0, done.stderr
    assert f"signed by Trainer Amina (fingerprint {key.fingerprint}), a trusted key" in done.stdout
    assert "installed toolbox-en version 1.0.1" in done.stdout

    shutil.copy(tmp_path / "trainer.key", dist / built["folder"].name / "trainer.key")
    kit = subprocess.run([sys.executable, str(ROOT / "build_installer.py"), "--dist", str(dist), "--skip-build",
                          "--usb-kit", str(tmp_path / "stick")], capture_output=True, text=True, timeout=600)
    assert kit.returncode != 0 and "is a private signing key: it never goes on a stick" in kit.stderr
    assert not (tmp_path / "stick").exists()
