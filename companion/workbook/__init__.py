"""The application layer: every operation the command line and the window use.

A :class:`Workbook` joins a content pack and a data folder, and owns one
service per feature, each in its own module of this package (as Anki's
``Collection`` owns its decks and models):

- ``book``: worksheets (create, save, rename, bin, history) and the profile;
- ``study``: reading progress, bookmarks, notes, where one left off;
- ``search``: the full-text index and its queries;
- ``followup``: check-ins on the action plan's activities after the course;
- ``sharing``: PDFs, share files and CSV out, share files and PDFs in;
- ``packs``: content packs installed from a stick;
- ``safety``: backups, restore, recovery, one companion per data folder;
- ``cohort``: a trainer's report on the files a cohort handed in (read, never imported).

Portable mode (``portable``) and the self-check (``selfcheck``) work before
any workbook is open and are plain functions of their modules.

The pack and the database are opened lazily, so ``--version`` or drawing the
first window does not pay for parsing every topic or opening the database
before it is needed. The storage objects are private to this package: the
command line and the window call services and get plain data back.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from companion import paths
from companion.collation import sort_key
from companion.content.pack import Loaded, Pack
from companion.errors import InputError, StorageError
from companion.messages import t
from companion.worksheets.template import Template

if TYPE_CHECKING:  # the services are imported when first used
    from companion.storage.db import Database
    from companion.storage.instances import WorksheetStore
    from companion.workbook.book import Book
    from companion.workbook.cohort import Cohorts
    from companion.workbook.followup import FollowUps
    from companion.workbook.packs import Packs
    from companion.workbook.safety import Safety
    from companion.workbook.search import Search
    from companion.workbook.sharing import Sharing
    from companion.workbook.study import Study


# What the window uses of the layers below it, from its start to its first paint (each module
# named here brings the ones it imports). The window imports them before Qt: from its first
# import on, PySide6 reads the source file of every module imported after it, to learn whether
# it asks for PySide's opt-in features (about 0.2 ms a module, 15 ms for these).
FOR_THE_WINDOW = (
    "companion.workbook.book", "companion.workbook.safety", "companion.workbook.checkup",
    "companion.workbook.portable", "companion.workbook.study", "companion.workbook.followup",
    "companion.workbook.search_text", "companion.content.translation", "companion.content.markdown",
    "companion.content.parsed", "companion.storage.db",
)


def load_for_the_window() -> None:
    """Import what the window uses of these layers (:data:`FOR_THE_WINDOW`), before Qt is."""
    import importlib

    for name in FOR_THE_WINDOW:
        importlib.import_module(name)


__all__ = ["Workbook"]


class Workbook:
    def __init__(self, data_dir: Path, content_root: Path | None = None, language: str | None = None) -> None:
        """``content_root``: this pack; else the pack of ``language``, else of
        the person's preference ``language``, else the default (English)."""
        self.data_dir = Path(data_dir)
        self._content_root = Path(content_root) if content_root else None
        self._language = language or None  # the content language asked for (None: the preference)
        self._loaded: Loaded | None = None
        self._templates_in_order: tuple[Pack, list[Template]] | None = None
        self._database: Database | None = None
        self._store: WorksheetStore | None = None
        self._opened = False  # the database has been opened once (a stick pulled out since: refuse a new one)
        self._services: dict[str, object] = {}
        self._read_only: bool | None = None
        self._scratch: Path | None = None  # the private copy a read-only folder is read through

    @classmethod
    def open(cls, data_dir: str | Path | None = None, content_root: Path | None = None,
             language: str | None = None) -> "Workbook":
        """The workbook of a data folder, showing the content pack of ``language``
        (``--lang``; None: the preference ``language``; English when there is
        no pack of that language). An installed pack newer than the bundled one wins."""
        return cls(paths.data_dir(data_dir), content_root, language)

    # the services ---------------------------------------------------------------
    def _service(self, name: str, make):
        found = self._services.get(name)
        if found is None:
            found = self._services[name] = make(self)
        return found

    @property
    def book(self) -> "Book":
        from companion.workbook.book import Book

        return self._service("book", Book)

    @property
    def study(self) -> "Study":
        from companion.workbook.study import Study

        return self._service("study", Study)

    @property
    def search(self) -> "Search":
        from companion.workbook.search import Search

        return self._service("search", Search)

    @property
    def followup(self) -> "FollowUps":
        from companion.workbook.followup import FollowUps

        return self._service("followup", FollowUps)

    @property
    def sharing(self) -> "Sharing":
        from companion.workbook.sharing import Sharing

        return self._service("sharing", Sharing)

    @property
    def packs(self) -> "Packs":
        from companion.workbook.packs import Packs

        return self._service("packs", Packs)

    @property
    def safety(self) -> "Safety":
        from companion.workbook.safety import Safety

        return self._service("safety", Safety)

    @property
    def cohort(self) -> "Cohorts":
        from companion.workbook.cohort import Cohorts

        return self._service("cohort", Cohorts)

    # the content pack in use ----------------------------------------------------
    @property
    def content_root(self) -> Path:
        """The folder of the content pack shown (chosen on first use, see :meth:`__init__`)."""
        if self._content_root is None:
            from companion.content.shelf import active_root

            self._content_root = active_root(self.data_dir, self.content_language_asked)
        return self._content_root

    @content_root.setter
    def content_root(self, root: Path) -> None:
        self.use_content(root)

    @property
    def content_language_asked(self) -> str | None:
        """The content language asked for: ``--lang``, else the preference, else None."""
        if self._language is None and paths.database_path(self.data_dir).is_file():
            try:
                self._language = self.preference("language") or None
            except StorageError:
                return None
        return self._language

    @property
    def content_language(self) -> str:
        """The language of the content pack shown (English when none of the
        language asked for exists); topics it does not translate yet are in
        ``pack.base_language`` (see ``pack.untranslated``)."""
        from companion.content.shelf import read_info

        if self._loaded is not None:
            return self._loaded.pack.language
        info = read_info(self.content_root, "bundled")
        return info.language if info else "en"

    def ask_language(self, language: str | None) -> None:
        """The language of the interface, for the content too: before the pack is
        first read it only chooses which pack will be; after, as :meth:`use_language`."""
        if self._content_root is None and self._loaded is None:
            self._language = language or None
        elif language:
            self.use_language(language)

    def use_language(self, language: str) -> str:
        """Show the content pack of ``language`` from now on (English when there
        is none); returns the language of the pack shown. The search index of
        the content catches up in the background: no search waits for it."""
        from companion.content.shelf import active_root

        self._language = language or None
        root = active_root(self.data_dir, self._language)
        if self._content_root is None or Path(root).resolve() != Path(self._content_root).resolve():
            self.use_content(root)
            if self._database is not None:
                self.search.refresh_in_background()
        return self.content_language

    def use_content(self, root: Path) -> None:
        """Use another content pack from now on (after one is installed)."""
        self._content_root = Path(root)
        self._loaded = None

    @property
    def pack(self) -> Pack:
        if self._loaded is None:
            from companion.content.translation import load_content

            self._loaded = load_content(self.content_root, self.data_dir / "cache", self.data_dir)
        return self._loaded.pack

    @property
    def content_files(self) -> str:
        """A fingerprint of the pack's files as they were when it was loaded."""
        self.pack  # noqa: B018 - loads it
        return self._loaded.files

    def templates(self) -> list[Template]:
        """The pack's templates in the order of its modules, then of their titles (sorted once a pack)."""
        pack = self.pack
        if self._templates_in_order is None or self._templates_in_order[0] is not pack:
            order = {m.id: i for i, m in enumerate(pack.modules)}
            self._templates_in_order = (pack, sorted(
                pack.templates.values(), key=lambda tp: (order.get(tp.module, 99), sort_key(tp.title, pack.language))))
        return list(self._templates_in_order[1])

    def template(self, template_id: str) -> Template:
        template = self.pack.templates.get(template_id)
        if template is None:
            raise InputError(t("worksheet.unknown_template", id=template_id))
        return template

    # preferences (text size, theme, language), kept in the database --------------
    def preference(self, name: str, default: str | None = None) -> str | None:
        return self._db.setting(f"ui.{name}", default)

    def set_preference(self, name: str, value: str) -> None:
        """Keep a preference; a disk that refuses comes out as StorageError."""
        from companion.storage.db import guard

        database = self._db
        with guard(database.path):
            database.set_setting(f"ui.{name}", str(value))

    # the database, private to the services of this package -------------------------
    @property
    def _db(self) -> "Database":
        """The open database (opened on first use); the stores are built on it."""
        if self._database is None:
            from companion.storage.db import Database

            path = paths.database_path(self.data_dir)
            if self._opened and not path.exists():
                # opened before and gone now: a stick pulled out. Never make
                # a new, empty database in its place.
                raise StorageError(t("db.gone", path=self.data_dir))
            if self.read_only:
                from companion.storage.backup import readable_copy

                path = readable_copy(path)
                self._scratch = path.parent
            self._database = Database(path)
            self._opened = True
        return self._database

    @property
    def _worksheets(self) -> "WorksheetStore":
        if self._store is None:
            from companion.storage.instances import WorksheetStore

            self._store = WorksheetStore(self._db)
        return self._store

    def open_database(self) -> None:
        """Open (and migrate) the database now rather than on first use."""
        self._db  # noqa: B018 - opens it

    @property
    def read_only(self) -> bool:
        """The data folder cannot be written (a locked stick, a read-only
        mount): the data is read through a private copy, and nothing is saved."""
        if self._read_only is None:
            self._read_only = self.data_dir.is_dir() and not os.access(self.data_dir, os.W_OK)
        return self._read_only

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None
            self._store = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
