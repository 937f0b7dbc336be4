"""Content packs on a stick: which pack is in use, packing one, installing one.

Written once here for the CLI (``companion content pack|install|list``) and
the UI (*File → Install content from USB…*).

- :func:`companion.content.shelf.active_root` is the one place that chooses
  the pack a data folder uses: the bundled pack, or an installed one
  (``<data>/packs/<id>/``) of the same language when its version is newer.
  :meth:`Workbook.open` calls it (it is light; this module is not).
- :func:`pack_archive` writes a validated pack as a ``.zip``.
- :func:`stage` unpacks an archive into a temporary folder inside the data
  folder, refusing anything unsafe (entries that escape the folder, links,
  huge or countless files, a malformed or invalid pack) and compares it with
  the pack in use; :meth:`Staged.commit` renames it into place. Nothing is
  ever written outside ``<data>/packs/``, and a refused pack leaves the app
  with what it had.

Answers are safe across an update: templates are matched by id and answers by
field id; answers to fields a new version removed are kept and shown as "from
an earlier version" (:func:`companion.worksheets.answers.split_answers`). A
pack that drops a worksheet template the person has worksheets of is refused,
so every worksheet stays openable.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from companion.content.pack import Pack, load_pack
from companion.content.shelf import (  # noqa: F401 - which pack is in use, re-exported for the CLI and UI
    PACKS_DIR, PackInfo, active_root, bundled_packs, installed_packs, packs_dir, read_info, version_key,
)
from companion.content.validate import check_loaded
from companion.errors import ContentError, InputError, Problem, StorageError
from companion.files import atomic_output
from companion.messages import t
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
        super().__init__(t("packs.invalid", count=len(problems), first=shown))
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


def _checked_identity(pack: Pack, root: Path) -> PackInfo:
    if not ID_RE.match(pack.id or ""):
        raise InputError(t("packs.bad_id", id=pack.id))
    if version_key(pack.version) is None:
        raise InputError(t("packs.bad_version", version=pack.version))
    return PackInfo(pack.id, pack.title, pack.language, pack.version, root, "archive")


def validate(root: Path) -> PackInfo:
    """Load and check a pack folder; raise PackInvalid (or ContentError) if it is not fit."""
    loaded = load_pack(root)
    problems = check_loaded(loaded)
    if problems:
        raise PackInvalid(problems, root)
    return _checked_identity(loaded.pack, root)


def pack_archive(root: Path, out: Path) -> PackInfo:
    """Write the pack at ``root`` as a ``.zip`` that ``install`` accepts.
    The pack is validated first; an invalid pack is refused."""
    root = Path(root)
    info = validate(root)
    files = _pack_files(root)
    if len(files) > MAX_FILES:
        raise InputError(t("packs.too_many_files", limit=MAX_FILES))
    if sum(p.stat().st_size for p in files) > MAX_TOTAL_BYTES:
        raise InputError(t("packs.too_big", limit=MAX_TOTAL_BYTES // MIB))
    with atomic_output(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            entry = zipfile.ZipInfo(f"{info.id}/{path.relative_to(root).as_posix()}", _ZIP_DATE)
            entry.external_attr = (stat.S_IFREG | 0o644) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes())
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


def _extract(archive: zipfile.ZipFile, target: Path) -> None:
    """Unpack every entry below ``target``, counting the bytes really written
    (a header may lie about sizes) and never following a link."""
    target = target.resolve()
    budget = MAX_TOTAL_BYTES
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for info, relative in _entries(archive):
        destination = target.joinpath(*relative.parts)
        if os.path.commonpath([target, destination.resolve()]) != str(target):
            raise InputError(t("packs.unsafe_entry", name=info.filename[:120]))
        if info.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with archive.open(info) as source:
            handle = os.open(destination, flags, 0o644)
            with os.fdopen(handle, "wb") as sink:
                while chunk := source.read(_CHUNK):
                    written += len(chunk)
                    budget -= len(chunk)
                    if written > info.file_size or budget < 0:
                        raise InputError(t("packs.size_lie", name=info.filename[:120]))
                    sink.write(chunk)


def _pack_root(folder: Path) -> Path:
    """The unpacked pack: the folder itself, or its one sub-folder, holding manifest.yaml."""
    if (folder / "manifest.yaml").is_file():
        return folder
    children = [p for p in folder.iterdir()]
    if len(children) == 1 and children[0].is_dir() and (children[0] / "manifest.yaml").is_file():
        return children[0]
    raise InputError(t("packs.no_manifest"))


# comparing ---------------------------------------------------------------------
@dataclass
class WorksheetChange:
    id: str
    title: str
    old_version: int
    new_version: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass
class PackDiff:
    old_version: str
    new_version: str
    new_topics: list[tuple[str, str]] = field(default_factory=list)
    changed_topics: list[tuple[str, str]] = field(default_factory=list)
    removed_topics: list[tuple[str, str]] = field(default_factory=list)
    new_worksheets: list[tuple[str, str]] = field(default_factory=list)
    changed_worksheets: list[WorksheetChange] = field(default_factory=list)
    removed_worksheets: list[tuple[str, str]] = field(default_factory=list)
    glossary: dict[str, int] = field(default_factory=lambda: {"new": 0, "changed": 0, "removed": 0})

    def is_empty(self) -> bool:
        return not (self.new_topics or self.changed_topics or self.removed_topics or self.new_worksheets
                    or self.changed_worksheets or self.removed_worksheets or any(self.glossary.values()))

    def lines(self) -> list[str]:
        """What changes, in words, one line per item."""
        out: list[str] = []
        for key, items in (("packs.diff.new_topics", self.new_topics),
                           ("packs.diff.changed_topics", self.changed_topics),
                           ("packs.diff.removed_topics", self.removed_topics),
                           ("packs.diff.new_worksheets", self.new_worksheets),
                           ("packs.diff.removed_worksheets", self.removed_worksheets)):
            if items:
                out.append(t(key, count=len(items)))
                out += [f"  - {title} ({ident})" for ident, title in items]
        if self.changed_worksheets:
            out.append(t("packs.diff.changed_worksheets", count=len(self.changed_worksheets)))
            for change in self.changed_worksheets:
                out.append("  - " + t("packs.diff.worksheet", title=change.title, id=change.id,
                                      old=change.old_version, new=change.new_version))
                for key, ids in (("packs.diff.fields_added", change.added),
                                 ("packs.diff.fields_removed", change.removed),
                                 ("packs.diff.fields_changed", change.changed)):
                    if ids:
                        out.append("    " + t(key, fields=", ".join(ids)))
        if any(self.glossary.values()):
            out.append(t("packs.diff.glossary", **self.glossary))
        return out or [t("packs.diff.nothing")]

    def as_dict(self) -> dict[str, Any]:
        pairs = lambda items: [{"id": i, "title": title} for i, title in items]  # noqa: E731
        return {"old_version": self.old_version, "new_version": self.new_version,
                "new_topics": pairs(self.new_topics), "changed_topics": pairs(self.changed_topics),
                "removed_topics": pairs(self.removed_topics), "new_worksheets": pairs(self.new_worksheets),
                "removed_worksheets": pairs(self.removed_worksheets),
                "changed_worksheets": [vars(c) for c in self.changed_worksheets], "glossary": self.glossary}


def _file_bytes(path: Path | None) -> bytes:
    try:
        return Path(path).read_bytes() if path else b""
    except OSError:
        return b""


def _field_shapes(template) -> dict[str, tuple]:
    return {f.id: (f.type, tuple(c.id for c in f.columns), tuple(o.id for o in f.options))
            for f in template.fields()}


def diff_packs(old: Pack | None, new: Pack) -> PackDiff:
    """What a person would see change going from ``old`` to ``new``."""
    diff = PackDiff(old.version if old else "", new.version)
    old_topics = {tp.id: tp for tp in old.topics()} if old else {}
    new_topics = {tp.id: tp for tp in new.topics()}
    for ident, topic in new_topics.items():
        if ident not in old_topics:
            diff.new_topics.append((ident, topic.title))
        elif _file_bytes(topic.path) != _file_bytes(old_topics[ident].path):
            diff.changed_topics.append((ident, topic.title))
    diff.removed_topics = [(i, tp.title) for i, tp in old_topics.items() if i not in new_topics]
    old_templates = old.templates if old else {}
    for ident, template in new.templates.items():
        before = old_templates.get(ident)
        if before is None:
            diff.new_worksheets.append((ident, template.title))
            continue
        if _file_bytes(before.path) == _file_bytes(template.path) and before.version == template.version:
            continue
        shapes_old, shapes_new = _field_shapes(before), _field_shapes(template)
        diff.changed_worksheets.append(WorksheetChange(
            ident, template.title, before.version, template.version,
            added=[f for f in shapes_new if f not in shapes_old],
            removed=[f for f in shapes_old if f not in shapes_new],
            changed=[f for f in shapes_new if f in shapes_old and shapes_new[f] != shapes_old[f]]))
    diff.removed_worksheets = [(i, tp.title) for i, tp in old_templates.items() if i not in new.templates]
    old_terms = old.glossary if old else {}
    for ident, term in new.glossary.items():
        before = old_terms.get(ident)
        if before is None:
            diff.glossary["new"] += 1
        elif (before.term, before.definition, before.see_also) != (term.term, term.definition, term.see_also):
            diff.glossary["changed"] += 1
    diff.glossary["removed"] = sum(1 for i in old_terms if i not in new.glossary)
    return diff


# installing ----------------------------------------------------------------------
@dataclass
class Staged:
    """A pack unpacked and checked in a temporary folder of the data folder,
    waiting for :meth:`commit` (or :meth:`discard`, which ``with`` calls)."""

    incoming: PackInfo
    current: PackInfo | None
    diff: PackDiff
    folder: Path
    already_installed: bool = False

    def __enter__(self) -> "Staged":
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def commit(self, workbook) -> Path:
        """Rename the pack into ``<data>/packs/<id>/`` (replacing an older copy)
        and switch ``workbook`` to it. Nothing half done on failure."""
        shelf = self.folder.parent
        target = shelf / self.incoming.id
        old = None
        try:
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".old-{self.incoming.id}-", dir=shelf))
                os.replace(target, old / "pack")
            os.replace(self.incoming.root, target)
        except OSError as exc:
            if old is not None and (old / "pack").exists() and not target.exists():
                try:
                    os.replace(old / "pack", target)
                except OSError:
                    pass  # left in .old-*: the next install puts it back
            raise StorageError(t("packs.cannot_install", path=target, detail=exc.strerror or exc)) from None
        finally:
            if old is not None and target.exists():
                shutil.rmtree(old, ignore_errors=True)
            self.discard()
        workbook.use_content(target)
        return target


def _clean_leftovers(shelf: Path) -> None:
    """Folders a crash may have left mid-install: an unpacked archive goes; a
    pack set aside for its replacement comes back if the replacement never came."""
    for leftover in shelf.glob(".incoming-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in shelf.glob(".old-*"):
        info = read_info(leftover / "pack", "installed")
        if info is not None and ID_RE.match(info.id) and not (shelf / info.id).exists():
            try:
                os.replace(leftover / "pack", shelf / info.id)
            except OSError:
                continue
        shutil.rmtree(leftover, ignore_errors=True)


def _open_archive(archive: Path) -> zipfile.ZipFile:
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


def _orphans(workbook, diff: PackDiff) -> list[str]:
    """Removed templates that the person still has worksheets of."""
    used = []
    for ident, title in diff.removed_worksheets:
        count = len(workbook.worksheets(ident)) + sum(1 for w in workbook.bin() if w.template_id == ident)
        if count:
            used.append(t("packs.orphan", title=title, id=ident, count=count))
    return used


def stage(workbook, archive: Path) -> Staged:
    """Unpack and check ``archive`` against the pack ``workbook`` uses.
    Raises InputError (nothing kept) when the archive or the pack is refused."""
    source = _open_archive(archive)
    shelf = packs_dir(workbook.data_dir)
    try:
        shelf.mkdir(parents=True, exist_ok=True)
        _clean_leftovers(shelf)
        folder = Path(tempfile.mkdtemp(prefix=".incoming-", dir=shelf))
    except OSError as exc:
        source.close()
        raise StorageError(t("packs.cannot_install", path=shelf, detail=exc.strerror or exc)) from None
    try:
        with source:
            try:
                _extract(source, folder)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
                raise InputError(t("packs.damaged", detail=exc)) from None
            except OSError as exc:
                raise StorageError(t("packs.cannot_install", path=folder, detail=exc.strerror or exc)) from None
        root = _pack_root(folder)
        loaded = load_pack(root)
        problems = check_loaded(loaded)
        if problems:
            raise PackInvalid(problems, root)
        incoming = _checked_identity(loaded.pack, root)
        return _compare(workbook, incoming, loaded.pack, folder)
    except ContentError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError(t("packs.malformed", detail=str(exc).replace(str(folder) + os.sep, ""))) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _compare(workbook, incoming: PackInfo, pack: Pack, folder: Path) -> Staged:
    current_pack = workbook.pack
    current = read_info(workbook.content_root, "installed" if _inside(workbook.content_root, workbook.data_dir)
                        else "bundled")
    if current is not None and incoming.language != current.language:
        raise InputError(t("packs.other_language", language=incoming.language, current=current.language))
    old_key = version_key(current.version) if current else None
    new_key = version_key(incoming.version)
    if old_key is not None and new_key <= old_key:
        if new_key == old_key and incoming.id == current.id:
            return Staged(incoming, current, PackDiff(current.version, incoming.version), folder,
                          already_installed=True)
        raise InputError(t("packs.not_newer", version=incoming.version, current=current.version))
    diff = diff_packs(current_pack, pack)
    orphans = _orphans(workbook, diff)
    if orphans:
        raise InputError(t("packs.removes_used", worksheets="; ".join(orphans)))
    return Staged(incoming, current, diff, folder)


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
        return True
    except ValueError:
        return False


@dataclass
class InstallReport:
    info: PackInfo
    previous: PackInfo | None
    diff: PackDiff
    status: str  # "installed", "already" or "dry-run"
    path: Path | None = None

    def summary(self) -> str:
        if self.status == "already":
            return t("packs.already", id=self.info.id, version=self.info.version)
        key = "packs.would_install" if self.status == "dry-run" else "packs.installed"
        return t(key, id=self.info.id, version=self.info.version,
                 previous=self.previous.version if self.previous else "-", path=self.path or "")

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "pack": {k: v for k, v in self.info.as_dict().items() if k != "path"},
                "previous": self.previous.as_dict() if self.previous else None,
                "path": str(self.path) if self.path else None, "changes": self.diff.as_dict()}


def install(workbook, archive: Path, dry_run: bool = False) -> InstallReport:
    """Install a pack archive into the workbook's data folder (see :func:`stage`)."""
    with stage(workbook, archive) as staged:
        if staged.already_installed:
            return InstallReport(staged.incoming, staged.current, staged.diff, "already", staged.current.root)
        if dry_run:
            return InstallReport(staged.incoming, staged.current, staged.diff, "dry-run")
        target = staged.commit(workbook)
        info = read_info(target, "installed") or staged.incoming
        return InstallReport(info, staged.current, staged.diff, "installed", target)


def describe_packs(workbook) -> list[dict[str, Any]]:
    """Every bundled and installed pack, and which one the workbook uses."""
    in_use = Path(workbook.content_root).resolve()
    rows = []
    for info in [*bundled_packs(), *installed_packs(workbook.data_dir)]:
        rows.append({**info.as_dict(), "in_use": info.root.resolve() == in_use})
    return rows

