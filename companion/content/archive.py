"""Content pack archives: packing a validated pack as a ``.zip``, and
unpacking one safely (entries that escape the folder, links, huge or
countless files, and names no system can hold are refused)."""
from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from companion.content.pack import Pack
from companion.content.shelf import PackInfo, version_key
from companion.content.validate import check_loaded
from companion.errors import InputError, Problem
from companion.files import atomic_output
from companion.messages import t, t_count
from companion.worksheets.template import ID_RE

SUFFIX = ".zip"
MIB = 1024 * 1024
MAX_ARCHIVE_BYTES = 200 * MIB
MAX_TOTAL_BYTES = 300 * MIB
MAX_FILE_BYTES = 50 * MIB
MAX_FILES = 3000
MAX_DEPTH = 12
MAX_NAME = 240
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # the same archive from the same files, byte for byte
_CHUNK = 256 * 1024


class PackInvalid(InputError):
    """A pack with problems: the message names the first, ``problems`` has them all."""

    def __init__(self, problems: list[Problem], root: Path | None = None) -> None:
        first = problems[0]
        shown = first
        if root is not None:
            try:
                shown = Problem(Path(first.file).relative_to(root), first.line, first.message)
            except ValueError:
                pass
        super().__init__(t_count("packs.invalid", len(problems), first=shown))
        self.problems = problems


# packing ------------------------------------------------------------------------
def _pack_files(root: Path) -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith("."):
                continue
            if path.is_symlink():
                raise InputError(t("packs.source_link", path=path))
            if path.is_file():
                files.append(path)
    return files


def checked_identity(pack: Pack, root: Path) -> PackInfo:
    if not ID_RE.match(pack.id or ""):
        raise InputError(t("packs.bad_id", id=pack.id))
    if version_key(pack.version) is None:
        raise InputError(t("packs.bad_version", version=pack.version))
    return PackInfo(pack.id, pack.title, pack.language, pack.version, root, "archive", pack.translation_of)


def validate(root: Path) -> PackInfo:
    """Load and check a pack folder; raise PackInvalid (or ContentError) if it is not fit."""
    from companion.content.translation import read_as_written

    loaded, base = read_as_written(root)
    problems = check_loaded(loaded, base)
    if problems:
        raise PackInvalid(problems, root)
    return checked_identity(loaded.pack, root)


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, _ZIP_DATE)
    entry.external_attr = (stat.S_IFREG | 0o644) << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def pack_archive(root: Path, out: Path, key: Path | None = None) -> PackInfo:
    """Write the pack at ``root`` as a ``.zip`` that ``install`` accepts.
    The pack is validated first; an invalid pack is refused. With ``key`` (a
    private key file) the archive is signed: see :mod:`companion.content.signing`."""
    from companion.content import signing

    root = Path(root)
    info = validate(root)
    files = _pack_files(root)
    if len(files) > MAX_FILES:
        raise InputError(t("packs.too_many_files", limit=MAX_FILES))
    if sum(p.stat().st_size for p in files) > MAX_TOTAL_BYTES:
        raise InputError(t("packs.too_big", limit=MAX_TOTAL_BYTES // MIB))
    if key is not None:
        signing.read_secret(key)  # a wrong or damaged key is said before anything is written
    digests = {}
    with atomic_output(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            data = path.read_bytes()
            if signing.looks_secret(data):
                raise InputError(t("sign.secret_in_pack", path=path))
            name = f"{info.id}/{path.relative_to(root).as_posix()}"
            archive.writestr(_entry(name), data)
            digests[name] = hashlib.sha256(data).hexdigest()
        if key is not None:
            signature, _signer = signing.sign(key, info.id, info.version, digests)
            archive.writestr(_entry(signing.SIGNATURE_NAME), signature)
    return info


# unpacking safely ---------------------------------------------------------------
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_BAD_CHARACTERS = re.compile(r'[\\\x00-\x1f<>:"|?*]')
_CLUTTER = ("__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini")  # what archivers add beside the files


def _safe_name(name: str) -> PurePosixPath:
    """The entry's path inside the pack, or InputError if it could land outside
    the pack's folder, or could not be written the same on Windows, macOS and Linux."""
    if not name or name.startswith("/") or _BAD_CHARACTERS.search(name):
        raise InputError(t("packs.unsafe_entry", name=name[:120]))
    parts = [p for p in name.rstrip("/").split("/")]
    if any(p in ("", ".", "..") or p.endswith((".", " ")) or _WINDOWS_RESERVED.match(p) for p in parts):
        raise InputError(t("packs.unsafe_entry", name=name[:120]))
    if len(parts) > MAX_DEPTH or len(name) > MAX_NAME:
        raise InputError(t("packs.unsafe_entry", name=name[:120]))
    return PurePosixPath(*parts)


def _entries(archive: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    infos = archive.infolist()
    if len(infos) > MAX_FILES:
        raise InputError(t("packs.too_many_files", limit=MAX_FILES))
    entries, seen, total = [], set(), 0
    for info in infos:
        relative = _safe_name(info.filename)
        if any(part in _CLUTTER or part.startswith("._") for part in relative.parts):
            continue
        mode = info.external_attr >> 16  # Unix type and permissions, when the archiver kept them
        if stat.S_ISLNK(mode):
            raise InputError(t("packs.link_entry", name=info.filename[:120]))
        if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise InputError(t("packs.unsafe_entry", name=info.filename[:120]))
        if info.flag_bits & 0x1:
            raise InputError(t("packs.encrypted"))
        folded = relative.as_posix().casefold()  # "A.md" and "a.md" are one file on many sticks
        if folded in seen:
            raise InputError(t("packs.duplicate_entry", name=info.filename[:120]))
        seen.add(folded)
        if info.file_size > MAX_FILE_BYTES:
            raise InputError(t("packs.file_too_big", name=info.filename[:120], limit=MAX_FILE_BYTES // MIB))
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise InputError(t("packs.too_big", limit=MAX_TOTAL_BYTES // MIB))
        entries.append((info, relative))
    return entries


def extract(archive: zipfile.ZipFile, target: Path, skip: str = "") -> dict[str, str]:
    """Unpack every entry (but ``skip``) below ``target``, counting the bytes
    really written (a header may lie about sizes) and never following a link.
    Returns the SHA-256 of each file unpacked, by entry name."""
    target = target.resolve()
    budget = MAX_TOTAL_BYTES
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    digests = {}
    for info, relative in _entries(archive):
        if skip and info.filename == skip:
            continue
        destination = target.joinpath(*relative.parts)
        if os.path.commonpath([target, destination.resolve()]) != str(target):
            raise InputError(t("packs.unsafe_entry", name=info.filename[:120]))
        if info.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        written, digest = 0, hashlib.sha256()
        with archive.open(info) as source:
            handle = os.open(destination, flags, 0o644)
            with os.fdopen(handle, "wb") as sink:
                while chunk := source.read(_CHUNK):
                    written += len(chunk)
                    budget -= len(chunk)
                    if written > info.file_size or budget < 0:
                        raise InputError(t("packs.size_lie", name=info.filename[:120]))
                    digest.update(chunk)
                    sink.write(chunk)
        digests[info.filename] = digest.hexdigest()
    return digests


def pack_root(folder: Path) -> Path:
    """The unpacked pack: the folder itself, or its one sub-folder, holding manifest.yaml."""
    if (folder / "manifest.yaml").is_file():
        return folder
    children = [p for p in folder.iterdir()]
    if len(children) == 1 and children[0].is_dir() and (children[0] / "manifest.yaml").is_file():
        return children[0]
    raise InputError(t("packs.no_manifest"))


def open_archive(archive: Path) -> zipfile.ZipFile:
    archive = Path(archive)
    try:
        size = archive.stat().st_size
    except FileNotFoundError:
        raise InputError(t("file.not_found", path=archive)) from None
    except OSError as exc:
        raise InputError(t("file.unreadable", path=archive, detail=exc.strerror or exc)) from None
    if archive.is_dir():
        raise InputError(t("packs.not_archive", path=archive))
    if size > MAX_ARCHIVE_BYTES:
        raise InputError(t("packs.too_big", limit=MAX_ARCHIVE_BYTES // MIB))
    try:
        return zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputError(t("packs.not_archive", path=archive)) from None


