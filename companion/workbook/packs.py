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

A signed pack (:mod:`companion.content.signing`) is checked while it is
unpacked: any entry added, removed or changed after signing refuses it.
:meth:`Packs.install` then installs it when its signer is trusted (a key
built into the installer, ``resources/trusted-keys/``, or one the person
added to ``<data>/trusted-keys/`` after comparing its fingerprint), and an
unsigned pack or one of an unknown signer only when the person agrees.

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
from companion.content import signing
from companion.content.changes import PackDiff, diff_packs
from companion.content.pack import Pack
from companion.content.shelf import (  # noqa: F401 - which pack is in use, for the CLI and the window
    PackInfo, active_root, bundled_packs, installed_packs, packs_dir, read_info, version_key,
)
from companion.content.translation import load_content
from companion.workbook import translation
from companion.errors import CompanionError, ContentError, InputError, StorageError
from companion import paths
from companion.messages import t
from companion.files import sync_folder
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
    signer: signing.PublicKey | None = None  # who signed it (the signature holds)
    trusted: bool = False  # the signer's key is built in or was added by the person

    @property
    def trust(self) -> str:
        """"trusted", "untrusted" (signed by a key not known here) or "unsigned"."""
        return "unsigned" if self.signer is None else "trusted" if self.trusted else "untrusted"

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
            sync_folder(shelf)
            sync_folder(shelf.parent)  # the shelf itself may be new
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
        if self.incoming.language in (workbook.content_language, workbook.content_language_asked):
            workbook.use_content(target)  # a pack of another language waits until the person chooses it
        return target


def _sync_tree(root: Path) -> None:
    """Flush every file and folder below ``root`` to the disk (unpacking
    only wrote them to the system's cache, which a power cut empties)."""
    for folder, _dirs, names in os.walk(root):
        for name in names:
            with open(os.path.join(folder, name), "rb+") as stream:
                os.fsync(stream.fileno())
        sync_folder(Path(folder))


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
                    signature = _signature(source)
                    digests = extract(source, folder, skip=signing.SIGNATURE_NAME)
                    if signature is not None:
                        signing.check_digests(signature, digests)
                except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
                    raise InputError(t("packs.damaged", detail=exc)) from None
                except OSError as exc:
                    raise StorageError(t("packs.cannot_install", path=folder, detail=exc.strerror or exc)) from None
            root = pack_root(folder)
            loaded, problems = translation.check(root, self.workbook.data_dir)  # a translation over its base
            if problems:
                raise PackInvalid(problems, root)
            incoming = checked_identity(loaded.pack, root)
            if signature is not None and (signature.pack_id, signature.version) != (incoming.id, incoming.version):
                raise InputError(t("sign.identity_differs", id=incoming.id, version=incoming.version))
            shown = load_content(root, data_dir=self.workbook.data_dir).pack if incoming.translation_of else loaded.pack
            staged = self._compare(incoming, shown, folder)
            if signature is not None:
                staged.signer = signature.signer
                staged.trusted = signature.signer.key in self.trusted_keys()
            return staged
        except ContentError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise InputError(t("packs.malformed", detail=str(exc).replace(str(folder) + os.sep, ""))) from None
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def _compare(self, incoming: PackInfo, pack: Pack, folder: Path) -> Staged:
        root = self.workbook.content_root
        current = read_info(root, "installed" if _inside(root, self.workbook.data_dir) else "bundled")
        if current is not None and incoming.language != current.language:
            if not incoming.translation_of:
                raise InputError(t("packs.other_language", language=incoming.language, current=current.language))
            # a translation updates the pack of its own language, shown when a person chooses it
            root = active_root(self.workbook.data_dir, incoming.language)
            current = read_info(root, "installed" if _inside(root, self.workbook.data_dir) else "bundled")
            if current is not None and current.language == incoming.language:
                current_pack = load_content(root, data_dir=self.workbook.data_dir).pack
            else:  # the first pack of this language: what it changes is told against the pack shown
                current, current_pack = None, self.workbook.pack
        else:
            current_pack = self.workbook.pack
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

    def install(self, archive: Path, dry_run: bool = False, allow_unsigned: bool = False,
                fingerprint: str | None = None) -> InstallReport:
        """Install a pack archive into the self.workbook's data folder (see :func:`stage`).
        A pack not signed by a trusted key installs only with ``allow_unsigned``
        (the person agreed), or when it is signed and ``fingerprint`` is the
        signer's, read out by the trainer: the key is then trusted from now on."""
        with self.stage(archive) as staged:
            signer = staged.signer, staged.trust
            if staged.already_installed:
                return InstallReport(staged.incoming, staged.current, staged.diff, "already", staged.current.root, *signer)
            if dry_run:
                return InstallReport(staged.incoming, staged.current, staged.diff, "dry-run", None, *signer)
            self._agreed(staged, allow_unsigned, fingerprint)
            target = staged.commit(self.workbook)
            _parse_now(self.workbook, target)
            info = read_info(target, "installed") or staged.incoming
            return InstallReport(info, staged.current, staged.diff, "installed", target, *signer)

    def _agreed(self, staged: Staged, allow_unsigned: bool, fingerprint: str | None) -> None:
        if staged.trust == "trusted":
            return
        if staged.signer is not None and fingerprint:
            if not signing.same_fingerprint(fingerprint, staged.signer):
                raise InputError(t("sign.fingerprint_differs", name=staged.signer.name,
                                   fingerprint=staged.signer.fingerprint))
            self.trust(staged.signer)
            staged.trusted = True
            return
        if allow_unsigned:
            return
        if staged.signer is None:
            raise InputError(t("sign.unsigned_refused"))
        raise InputError(t("sign.untrusted_refused", name=staged.signer.name, fingerprint=staged.signer.fingerprint))

    # trusted keys ----------------------------------------------------------------------
    def trusted_folders(self) -> list[Path]:
        """Where trusted public keys are: built into the installer, then added by the person."""
        return [paths.resources_dir() / signing.TRUSTED_DIR, Path(self.workbook.data_dir) / signing.TRUSTED_DIR]

    def trusted_keys(self) -> dict[bytes, signing.PublicKey]:
        return signing.trusted_keys(self.trusted_folders())

    def trust(self, key: signing.PublicKey) -> Path:
        """Trust ``key`` from now on (the person compared its fingerprint)."""
        try:
            return signing.add_trusted(key, self.trusted_folders()[-1])
        except OSError as exc:
            raise StorageError(t("file.cannot_write", path=self.trusted_folders()[-1], detail=exc.strerror or exc)) from None

    def describe(self) -> list[dict[str, Any]]:
        """Every bundled and installed pack, and which one the self.workbook uses."""
        in_use = Path(self.workbook.content_root).resolve()
        rows = []
        for info in [*bundled_packs(), *installed_packs(self.workbook.data_dir)]:
            rows.append({**info.as_dict(), "in_use": info.root.resolve() == in_use})
        return rows


def _signature(source: zipfile.ZipFile) -> signing.Signature | None:
    """The archive's signature, checked against its list of entries; None when it has none."""
    names = [info.filename for info in source.infolist()]
    if signing.SIGNATURE_NAME not in names:
        return None
    info = source.getinfo(signing.SIGNATURE_NAME)
    if info.file_size > signing.MAX_SIGNATURE_BYTES:
        raise InputError(t("sign.malformed", what=signing.SIGNATURE_NAME))
    with source.open(info) as stream:
        signature = signing.read_signature(stream.read(signing.MAX_SIGNATURE_BYTES + 1))
    signing.check_entries(signature, [name for name in names if name != signing.SIGNATURE_NAME])
    return signature


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
    signer: signing.PublicKey | None = None
    trust: str = "unsigned"  # as Staged.trust

    def signed_by(self) -> str:
        """Who signed the pack, in words (with the key's fingerprint)."""
        if self.signer is None:
            return t("sign.report_unsigned")
        return t("sign.report_trusted" if self.trust == "trusted" else "sign.report_untrusted",
                 name=self.signer.name, fingerprint=self.signer.fingerprint)

    def summary(self) -> str:
        if self.status == "already":
            return t("packs.already", id=self.info.id, version=self.info.version)
        key = "packs.would_install" if self.status == "dry-run" else "packs.installed"
        return t(key, id=self.info.id, version=self.info.version,
                 previous=self.previous.version if self.previous else "-", path=self.path or "")

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "pack": {k: v for k, v in self.info.as_dict().items() if k != "path"},
                "previous": self.previous.as_dict() if self.previous else None,
                "path": str(self.path) if self.path else None, "changes": self.diff.as_dict(),
                "signer": None if self.signer is None else {"name": self.signer.name,
                                                            "fingerprint": self.signer.fingerprint},
                "trust": self.trust}


def _parse_now(workbook: "Workbook", root: Path) -> None:
    """The installed pack parsed now and kept in the data folder's cache, so that the
    first start after the install does not parse it (a failure only makes that start slower)."""
    try:
        load_content(root, workbook.data_dir / "cache", workbook.data_dir)
    except (OSError, CompanionError):
        pass
