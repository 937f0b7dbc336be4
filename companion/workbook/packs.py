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
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.content.archive import (  # noqa: F401 - packing is part of this feature for the CLI
    SUFFIX, PackInvalid, checked_identity, extract, open_archive, pack_archive, pack_root, validate,
)
from companion.content.changes import PackDiff, diff_packs
from companion.content.pack import Pack, load_pack
from companion.content.shelf import (  # noqa: F401 - which pack is in use, for the CLI and the window
    PackInfo, active_root, bundled_packs, installed_packs, packs_dir, read_info, version_key,
)
from companion.content.validate import check_loaded
from companion.errors import ContentError, InputError, StorageError
from companion.messages import t
from companion.storage.backup import fsync_folder
from companion.worksheets.template import ID_RE

if TYPE_CHECKING:
    from companion.workbook import Workbook


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
        and switch ``workbook`` to it. Nothing half done on failure, nor after
        a power cut: the unpacked files reach the disk before they are renamed
        into use, and the renames before "installed" is said."""
        shelf = self.folder.parent
        target = shelf / self.incoming.id
        old = None
        try:
            _sync_tree(self.incoming.root)
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".old-{self.incoming.id}-", dir=shelf))
                os.replace(target, old / "pack")
            os.replace(self.incoming.root, target)
            fsync_folder(shelf)
            fsync_folder(shelf.parent)  # the shelf itself may be new
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


def _sync_tree(root: Path) -> None:
    """Flush every file and folder below ``root`` to the disk (unpacking
    only wrote them to the system's cache, which a power cut empties)."""
    for folder, _dirs, names in os.walk(root):
        for name in names:
            with open(os.path.join(folder, name), "rb+") as stream:
                os.fsync(stream.fileno())
        fsync_folder(Path(folder))


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


class Packs:
    def __init__(self, workbook: "Workbook") -> None:
        self.workbook = workbook

    def _orphans(self, diff: PackDiff) -> list[str]:
        """Removed templates that the person still has worksheets of."""
        used = []
        for ident, title in diff.removed_worksheets:
            count = len(self.workbook.book.worksheets(ident)) + sum(1 for w in self.workbook.book.bin() if w.template_id == ident)
            if count:
                used.append(t("packs.orphan", title=title, id=ident, count=count))
        return used

    def stage(self, archive: Path) -> Staged:
        """Unpack and check ``archive`` against the pack ``self.workbook`` uses.
        Raises InputError (nothing kept) when the archive or the pack is refused."""
        source = open_archive(archive)
        shelf = packs_dir(self.workbook.data_dir)
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
                    extract(source, folder)
                except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
                    raise InputError(t("packs.damaged", detail=exc)) from None
                except OSError as exc:
                    raise StorageError(t("packs.cannot_install", path=folder, detail=exc.strerror or exc)) from None
            root = pack_root(folder)
            loaded = load_pack(root)
            problems = check_loaded(loaded)
            if problems:
                raise PackInvalid(problems, root)
            incoming = checked_identity(loaded.pack, root)
            return self._compare(incoming, loaded.pack, folder)
        except ContentError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise InputError(t("packs.malformed", detail=str(exc).replace(str(folder) + os.sep, ""))) from None
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def _compare(self, incoming: PackInfo, pack: Pack, folder: Path) -> Staged:
        current_pack = self.workbook.pack
        current = read_info(self.workbook.content_root, "installed" if _inside(self.workbook.content_root, self.workbook.data_dir)
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
        orphans = self._orphans(diff)
        if orphans:
            raise InputError(t("packs.removes_used", worksheets="; ".join(orphans)))
        return Staged(incoming, current, diff, folder)

    def install(self, archive: Path, dry_run: bool = False) -> InstallReport:
        """Install a pack archive into the self.workbook's data folder (see :func:`stage`)."""
        with self.stage(archive) as staged:
            if staged.already_installed:
                return InstallReport(staged.incoming, staged.current, staged.diff, "already", staged.current.root)
            if dry_run:
                return InstallReport(staged.incoming, staged.current, staged.diff, "dry-run")
            target = staged.commit(self.workbook)
            info = read_info(target, "installed") or staged.incoming
            return InstallReport(info, staged.current, staged.diff, "installed", target)

    def describe(self) -> list[dict[str, Any]]:
        """Every bundled and installed pack, and which one the self.workbook uses."""
        in_use = Path(self.workbook.content_root).resolve()
        rows = []
        for info in [*bundled_packs(), *installed_packs(self.workbook.data_dir)]:
            rows.append({**info.as_dict(), "in_use": info.root.resolve() == in_use})
        return rows


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


