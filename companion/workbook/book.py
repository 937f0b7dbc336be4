"""What a person can do with the companion, written once for the CLI and the UI.

A :class:`Workbook` joins a content pack and a data folder. It opens both
lazily, so asking for ``--version`` or drawing the first window does not pay
for parsing every topic or opening the database before it is needed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

from companion import paths
from companion.content.pack import Loaded, Pack, load_pack_cached
from companion.errors import InputError, Problem, StorageError
from companion.messages import t
from companion.storage.db import Database, guard
from companion.storage.instances import Revision, WorksheetStore
from companion.worksheets import answers as answers_mod
from companion.worksheets.model import COMPLETE, DRAFT, Worksheet
from companion.worksheets.template import Template

Progress = Callable[[int, int], None]
PROFILE_FIELDS = ("name", "organisation", "role", "city", "country")


class Workbook:
    def __init__(self, data_dir: Path, content_root: Path | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.content_root = Path(content_root) if content_root else paths.content_dir()
        self._loaded: Loaded | None = None
        self._database: Database | None = None
        self._store: WorksheetStore | None = None
        self._opened = False  # the database has been opened once (a stick pulled out since: refuse a new one)

    @classmethod
    def open(cls, data_dir: str | Path | None = None, content_root: Path | None = None) -> "Workbook":
        folder = paths.data_dir(data_dir)
        if content_root is None:  # issue 8: an installed pack newer than the bundled one wins
            from companion.content.shelf import active_root

            content_root = active_root(folder)
        return cls(folder, content_root)

    def use_content(self, root: Path) -> None:
        """Use another content pack from now on (after one is installed)."""
        self.content_root = Path(root)
        self._loaded = None

    # the content pack -------------------------------------------------
    @property
    def pack(self) -> Pack:
        if self._loaded is None:
            self._loaded = load_pack_cached(self.content_root, self.data_dir / "cache")
        return self._loaded.pack

    @property
    def content_files(self) -> str:
        """A fingerprint of the pack's files as they were when it was loaded."""
        self.pack  # noqa: B018 - loads it
        return self._loaded.files

    @property
    def pack_problems(self) -> list[Problem]:
        self.pack  # noqa: B018 - loads it
        return self._loaded.problems if self._loaded else []

    def templates(self) -> list[Template]:
        order = {m.id: i for i, m in enumerate(self.pack.modules)}
        return sorted(self.pack.templates.values(), key=lambda tp: (order.get(tp.module, 99), tp.title))

    def template(self, template_id: str) -> Template:
        template = self.pack.templates.get(template_id)
        if template is None:
            raise InputError(t("worksheet.unknown_template", id=template_id))
        return template

    # the database -----------------------------------------------------
    @property
    def database(self) -> Database:
        """The open database (opened on first use); other stores are built on it."""
        if self._database is None:
            path = paths.database_path(self.data_dir)
            if self._opened and not path.exists():
                # opened before and gone now: a stick pulled out. Never make
                # a new, empty database in its place.
                raise StorageError(t("db.gone", path=self.data_dir))
            self._database = Database(path)
            self._opened = True
        return self._database

    @property
    def store(self) -> WorksheetStore:
        if self._store is None:
            self._store = WorksheetStore(self.database)
        return self._store

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None
            self._store = None

    # worksheets -------------------------------------------------------
    def create_worksheet(self, template_id: str, title: str | None = None,
                         answers: Any = None) -> Worksheet:
        """A new worksheet; ``answers`` from outside are checked first, and
        nothing is created when they do not fit."""
        template = self.template(template_id)
        title = (title if title is not None else template.title).strip()
        if not title:
            raise InputError(t("worksheet.empty_title"))
        clean = answers_mod.coerce_all(template, answers) if answers is not None else {}
        return self._create(template, title, clean)

    def _create(self, template: Template, title: str, answers: dict[str, Any], kind: str = "create",
                version: int | None = None) -> Worksheet:
        self.store.remember_template(template.id, template.version, answers_mod.field_labels(template))
        worksheet_id = self.store.create(template.id, version or template.version, title, answers, kind)
        return self.worksheet(worksheet_id)

    def import_worksheet(self, template: Template, title: str, answers: dict[str, Any],
                         version: int) -> Worksheet:
        """A new worksheet from checked answers that came from elsewhere."""
        return self._create(template, title.strip() or template.title, answers, kind="import", version=version)

    def worksheets(self, template_id: str | None = None) -> list[Worksheet]:
        return self.store.list(template_id)

    def bin(self) -> list[Worksheet]:
        """Worksheets deleted to the bin, from which they can be restored."""
        return self.store.list(deleted=True)

    def worksheet(self, worksheet_id: int | str, deleted: bool = False) -> Worksheet:
        try:
            number = int(worksheet_id)
        except (TypeError, ValueError):
            raise InputError(t("worksheet.not_found", id=worksheet_id)) from None
        worksheet = self.store.get(number, deleted=deleted)
        if worksheet is None:
            raise InputError(t("worksheet.not_in_bin" if deleted else "worksheet.not_found", id=worksheet_id))
        return worksheet

    def rename_worksheet(self, worksheet_id: int | str, title: str) -> Worksheet:
        worksheet = self.worksheet(worksheet_id)
        title = (title or "").strip()
        if not title:
            raise InputError(t("worksheet.empty_title"))
        self.store.set_title(worksheet.id, title)
        return self.worksheet(worksheet.id)

    def duplicate_worksheet(self, worksheet_id: int | str, title: str | None = None) -> Worksheet:
        """A new worksheet starting from this one's answers ("start from my earlier plan")."""
        source = self.worksheet(worksheet_id)
        template = self.template_of(source)
        fitting, earlier = answers_mod.split_answers(template, source.answers)
        title = (title or t("worksheet.copy_title", title=source.title)).strip()
        return self._create(template, title, {**earlier, **fitting}, kind="duplicate")

    def delete_worksheet(self, worksheet_id: int | str) -> Worksheet:
        worksheet = self.worksheet(worksheet_id)
        self.store.set_deleted(worksheet.id, True)
        return worksheet

    def restore_worksheet(self, worksheet_id: int | str) -> Worksheet:
        worksheet = self.worksheet(worksheet_id, deleted=True)
        self.store.set_deleted(worksheet.id, False)
        return self.worksheet(worksheet.id)

    def complete_worksheet(self, worksheet_id: int | str) -> Worksheet:
        """Mark complete after the validator finds no error; raise InputError naming the first."""
        worksheet = self.worksheet(worksheet_id)
        errors = [i for i in self.issues(worksheet) if i.severity == answers_mod.ERROR]
        if errors:
            f = self.template_of(worksheet).field(errors[0].field_id)
            raise InputError(t("worksheet.incomplete", id=worksheet.id, count=len(errors),
                               field=f.label if f else errors[0].field_id, message=errors[0].message))
        self.store.set_status(worksheet.id, COMPLETE)
        return self.worksheet(worksheet.id)

    def reopen_worksheet(self, worksheet_id: int | str) -> Worksheet:
        worksheet = self.worksheet(worksheet_id)
        self.store.set_status(worksheet.id, DRAFT)
        return self.worksheet(worksheet.id)

    def history(self, worksheet_id: int | str) -> list[Revision]:
        return self.store.history(self.worksheet(worksheet_id).id)

    def restore_revision(self, worksheet_id: int | str, revision_id: int | str) -> Worksheet:
        """Bring back the answers of a revision, as a new revision (nothing is lost)."""
        worksheet = self.worksheet(worksheet_id)
        try:
            number = int(revision_id)
        except (TypeError, ValueError):
            number = -1
        state = self.store.answers_at(worksheet.id, number)
        if state is None:
            raise InputError(t("revision.not_found", id=worksheet.id, revision=revision_id))
        changed = {key: state.get(key) for key in set(state) | set(worksheet.answers)
                   if state.get(key) != worksheet.answers.get(key)}
        self.store.save_answers(worksheet.id, changed, kind="restore", restored_from=number)
        return self.worksheet(worksheet.id)

    def earlier_answers(self, worksheet: Worksheet) -> list[tuple[str, Any]]:
        """(label, value) of answers to fields the current template no longer has."""
        _, earlier = answers_mod.split_answers(self.template_of(worksheet), worksheet.answers)
        labels = self.store.template_labels(worksheet.template_id)
        return [(labels.get(key, key), value) for key, value in earlier.items()
                if not answers_mod.is_empty(value)]

    def template_of(self, worksheet: Worksheet) -> Template:
        return self.template(worksheet.template_id)

    def save_answers(self, worksheet_id: int, changed: dict[str, Any]) -> str:
        """Store changed answers (checked against the template); returns the time saved.

        A full disk, a read-only folder or a stick pulled out raises
        StorageError in plain words; the database is closed so that the
        next try opens it again (the stick put back)."""
        try:
            with guard(paths.database_path(self.data_dir)):
                worksheet = self.store.get(worksheet_id, with_answers=False)
                if worksheet is None:
                    raise InputError(t("worksheet.not_found", id=worksheet_id))
                clean = answers_mod.coerce_all(self.template_of(worksheet), changed)
                stamp = self.store.save_answers(worksheet_id, clean)
                if worksheet.status == COMPLETE and any(
                        i.severity == answers_mod.ERROR for i in self.issues(self.worksheet(worksheet_id))):
                    self.store.set_status(worksheet_id, DRAFT)
        except StorageError:
            self.close()
            raise
        return stamp

    def issues(self, worksheet: Worksheet) -> list[answers_mod.Issue]:
        template = self.template_of(worksheet)
        return answers_mod.check(template, answers_mod.split_answers(template, worksheet.answers)[0])

    def completion(self, worksheet: Worksheet) -> int:
        template = self.template_of(worksheet)
        return answers_mod.completion(template, answers_mod.split_answers(template, worksheet.answers)[0])

    # the participant ---------------------------------------------------
    def profile(self) -> dict[str, str]:
        """Name, organisation, role, city and country, for the cover of exports."""
        return {key: self.database.setting(f"profile.{key}", "") for key in PROFILE_FIELDS}

    def has_profile(self) -> bool:
        return self.database.setting("profile.asked") is not None

    def set_profile(self, values: dict[str, str]) -> dict[str, str]:
        for key in PROFILE_FIELDS:
            value = values.get(key, "")
            if not isinstance(value, str):
                raise InputError(t("answer.not_text", field=key))
            self.database.set_setting(f"profile.{key}", value.strip()[:200])
        self.database.set_setting("profile.asked", "yes")
        return self.profile()

    # export -----------------------------------------------------------
    def export_pdf(self, worksheet_ids: Sequence[int | str], out: Path,
                   progress: Progress | None = None) -> Path:
        """The worksheets as one PDF (see companion.workbook.sharing for the share file attached)."""
        from companion.export.pdf import write_worksheets_pdf

        items = [(ws, self.template_of(ws)) for ws in (self.worksheet(i) for i in worksheet_ids)]
        write_worksheets_pdf(items, Path(out), pack=self.pack, progress=progress, profile=self.profile())
        return Path(out)
