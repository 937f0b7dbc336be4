"""The book itself: worksheets made from the pack's templates, and the
participant's profile printed on exports.

Every answer that comes from outside (the form, the command line, a share
file) is checked against its template here before it is stored."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from companion import paths
from companion.errors import InputError, StorageError
from companion.messages import t, t_count
from companion.storage.db import guard
from companion.storage.instances import Revision
from companion.workbook.derived import Derived, Split
from companion.worksheets import answers as answers_mod
from companion.worksheets.model import COMPLETE, DRAFT, Worksheet
from companion.worksheets.template import Template

if TYPE_CHECKING:
    from companion.workbook import Workbook

PROFILE_FIELDS = ("name", "organisation", "role", "city", "country")
MAX_TITLE = 300
MAX_ID = 2 ** 63 - 1  # SQLite's largest integer


def number(value: Any) -> int | None:
    """An id given by a person or a file as a whole number SQLite can hold, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isascii() or not value.isdigit() or len(value) > 19:
            return None
    try:
        found = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return found if 1 <= found <= MAX_ID else None


def _shown(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:37] + "..."


def _title(text: Any) -> str:
    title = (text or "").strip() if isinstance(text, str) else ""
    if not title:
        raise InputError(t("worksheet.empty_title"))
    if len(title) > MAX_TITLE:
        raise InputError(t("worksheet.title_too_long", limit=MAX_TITLE))
    return title


class Book:
    def __init__(self, workbook: "Workbook") -> None:
        self._wb = workbook
        self._derived = Derived()

    def split(self, worksheet_id: int, template: Template, answers: dict[str, Any]) -> Split:
        """A worksheet's answers split against its template (what fits, what is set
        apart, its words for the index), worked out again only for the fields
        whose answers changed since the last time."""
        return self._derived.split(worksheet_id, template, answers)

    # worksheets -------------------------------------------------------
    def create_worksheet(self, template_id: str, title: str | None = None,
                         answers: Any = None) -> Worksheet:
        """A new worksheet; ``answers`` from outside are checked first, and
        nothing is created when they do not fit."""
        template = self._wb.template(template_id)
        title = _title(title if title is not None else template.title)
        clean = answers_mod.coerce_all(template, answers) if answers is not None else {}
        return self._create(template, title, clean)

    def _create(self, template: Template, title: str, answers: dict[str, Any], kind: str = "create",
                version: int | None = None, then=None) -> Worksheet:
        self._wb._worksheets.remember_template(template.id, template.version, answers_mod.field_labels(template))
        worksheet_id = self._wb._worksheets.create(template.id, version or template.version, title, answers, kind,
                                                   then)
        return self._changed(worksheet_id)

    def _changed(self, worksheet_id: int) -> Worksheet:
        """After a worksheet's answers changed: its completion kept and its words
        in the search index now, so no list or search has to catch up later."""
        worksheet = self.worksheet(worksheet_id)
        self._wb.study.keep_completion(worksheet)
        self._wb.search.update_index()
        return worksheet

    def import_worksheet(self, template: Template, title: str, answers: dict[str, Any],
                         version: int, source: tuple[str, str, str]) -> Worksheet:
        """A new worksheet from checked answers that came from elsewhere, and the
        record of where it came from (``source``: its uid, content hash and file
        name), in one transaction."""
        from companion.storage.imports import ImportStore

        imports = ImportStore(self._wb._db)
        return self._create(template, _title(title.strip() or template.title), answers, kind="import",
                            version=version, then=lambda worksheet_id: imports.record(worksheet_id, *source))

    def worksheets(self, template_id: str | None = None) -> list[Worksheet]:
        return self._wb._worksheets.list(template_id)

    def bin(self) -> list[Worksheet]:
        """Worksheets deleted to the bin, from which they can be restored."""
        return self._wb._worksheets.list(deleted=True)

    def worksheet(self, worksheet_id: int | str, deleted: bool = False) -> Worksheet:
        found = number(worksheet_id)
        if found is None:
            raise InputError(t("worksheet.bad_id", id=_shown(worksheet_id)))
        worksheet = self._wb._worksheets.get(found, deleted=deleted)
        if worksheet is None:
            raise InputError(t("worksheet.not_in_bin" if deleted else "worksheet.not_found", id=worksheet_id))
        return worksheet

    def rename_worksheet(self, worksheet_id: int | str, title: str) -> Worksheet:
        worksheet = self.worksheet(worksheet_id)
        self._wb._worksheets.set_title(worksheet.id, _title(title))
        return self.worksheet(worksheet.id)

    def duplicate_worksheet(self, worksheet_id: int | str, title: str | None = None) -> Worksheet:
        """A new worksheet starting from this one's answers ("start from my earlier plan")."""
        source = self.worksheet(worksheet_id)
        template = self.template_of(source)
        fitting, apart = answers_mod.split_answers(template, source.answers)
        title = _title(title or t("worksheet.copy_title", title=source.title)[:MAX_TITLE])
        return self._create(template, title, answers_mod.rejoin(template, fitting, apart), kind="duplicate")

    def delete_worksheet(self, worksheet_id: int | str) -> Worksheet:
        worksheet = self.worksheet(worksheet_id)
        self._wb._worksheets.set_deleted(worksheet.id, True)
        return worksheet

    def restore_worksheet(self, worksheet_id: int | str) -> Worksheet:
        worksheet = self.worksheet(worksheet_id, deleted=True)
        self._wb._worksheets.set_deleted(worksheet.id, False)
        return self.worksheet(worksheet.id)

    def complete_worksheet(self, worksheet_id: int | str) -> Worksheet:
        """Mark complete after the validator finds no error; raise InputError naming every one."""
        worksheet = self.worksheet(worksheet_id)
        errors = [i for i in self.issues(worksheet) if i.severity == answers_mod.ERROR]
        if errors:
            template = self.template_of(worksheet)
            problems = "\n".join(t("worksheet.problem", message=i.message,
                                    field=f.label if (f := template.field(i.field_id)) else i.field_id)
                                  for i in errors)
            raise InputError(t_count("worksheet.incomplete", len(errors), problems=problems))
        self._wb._worksheets.set_status(worksheet.id, COMPLETE)
        return self.worksheet(worksheet.id)

    def reopen_worksheet(self, worksheet_id: int | str) -> Worksheet:
        worksheet = self.worksheet(worksheet_id)
        self._wb._worksheets.set_status(worksheet.id, DRAFT)
        return self.worksheet(worksheet.id)

    def history(self, worksheet_id: int | str) -> list[Revision]:
        return self._wb._worksheets.history(self.worksheet(worksheet_id).id)

    def history_changes(self, worksheet_id: int | str) -> list[tuple[Revision, dict[str, tuple[Any, Any]]]]:
        """Each saved version, newest first, with what it changed: {field id:
        (value before, value after)}, only the fields whose value differs (a
        save that stored a field unchanged does not count it)."""
        worksheet = self.worksheet(worksheet_id)
        store = self._wb._worksheets
        stored = store.revision_values(worksheet.id)
        state: dict[str, Any] = {}
        out = []
        for revision in reversed(store.history(worksheet.id)):
            values = stored.get(revision.id, {})
            changes = {key: (state.get(key), value) for key, value in values.items() if state.get(key) != value}
            state.update(values)
            out.append((revision, changes))
        out.reverse()
        return out

    def restore_revision(self, worksheet_id: int | str, revision_id: int | str) -> Worksheet:
        """Bring back the answers of a revision, as a new revision (nothing is lost)."""
        worksheet = self.worksheet(worksheet_id)
        revision = number(revision_id)
        state = self._wb._worksheets.answers_at(worksheet.id, revision) if revision is not None else None
        if state is None:
            raise InputError(t("revision.not_found", id=worksheet.id, revision=revision_id))
        changed = {key: state.get(key) for key in set(state) | set(worksheet.answers)
                   if state.get(key) != worksheet.answers.get(key)}
        self._wb._worksheets.save_answers(worksheet.id, changed, kind="restore", restored_from=revision)
        return self._changed(worksheet.id)

    def set_apart(self, worksheet: Worksheet) -> tuple[str, list[tuple[str, Any]]]:
        """("earlier" or "newer", [(label, value)]): the answers this worksheet
        holds that its template does not (fields, table cells, options), and
        whether they come from an earlier version of the template or from a
        newer one (a worksheet shared by a colleague with a newer companion)."""
        template = self.template_of(worksheet)
        _, apart = answers_mod.split_answers(template, worksheet.answers)
        labels = self._wb._worksheets.template_labels(worksheet.template_id)
        for f in template.fields():
            labels[f.id] = f.label
        kind = "newer" if worksheet.template_version > template.version else "earlier"
        return kind, [(labels.get(key, key), value) for key, value in apart.items()
                      if not answers_mod.is_empty(value)]

    def template_of(self, worksheet: Worksheet) -> Template:
        return self._wb.template(worksheet.template_id)

    def save_answers(self, worksheet_id: int, changed: dict[str, Any]) -> str:
        """Store changed answers (checked against the template); returns the time saved.

        The worksheet's completion and its row in the search index are
        written in the same transaction as the answers (one sync of the
        disk), worked out again only for the fields that changed.

        A full disk, a read-only folder or a stick pulled out raises
        StorageError in plain words; the database is closed so that the
        next try opens it again (the stick put back)."""
        try:
            with guard(paths.database_path(self._wb.data_dir)):
                worksheet = self._wb._worksheets.get(worksheet_id, with_answers=False)
                if worksheet is None:
                    raise InputError(t("worksheet.not_found", id=worksheet_id))
                worksheet.answers = self._wb._worksheets.answers(worksheet_id, self._derived.stored(worksheet_id))
                template = self.template_of(worksheet)
                clean = answers_mod.coerce_all(template, changed)
                stored = worksheet.answers
                _, apart = answers_mod.split_answers(template, {k: stored[k] for k in clean
                                                                if k in stored and stored[k] != clean[k]})
                for field_id, extra in apart.items():  # what another version held stays with its field
                    clean[field_id] = answers_mod.merge_apart(template.field(field_id), clean[field_id], extra)
                worksheet.answers = {**stored, **clean}
                split = self.split(worksheet_id, template, worksheet.answers)
                completion = answers_mod.completion(template, split.fitting, split.answered)
                broken = worksheet.status == COMPLETE and any(
                    i.severity == answers_mod.ERROR for i in self._issues(template, split))

                def derived(stamp: str) -> None:
                    worksheet.updated_at = stamp
                    self._wb.study.keep_completion(worksheet, completion)
                    self._wb.search.keep_row(self._wb.search.worksheet_row(worksheet, split), split.same_words)
                    if broken:
                        self._wb._worksheets.set_status(worksheet_id, DRAFT, stamp)

                stamp = self._wb._worksheets.save_answers(worksheet_id, clean, then=derived)
        except StorageError:
            self._derived.forget(worksheet_id)
            self._wb.close()
            raise
        return stamp

    def issues(self, worksheet: Worksheet) -> list[answers_mod.Issue]:
        """The checks of the answers that fit; a field whose answer was set
        apart (from another version) is not called missing."""
        template = self.template_of(worksheet)
        return self._issues(template, Split(*answers_mod.split_answers(template, worksheet.answers), ""))

    @staticmethod
    def _issues(template: Template, split: Split) -> list[answers_mod.Issue]:
        return [i for i in answers_mod.check(template, split.fitting)
                if not (i.missing and i.field_id in split.apart)]

    def completion(self, worksheet: Worksheet) -> int:
        template = self.template_of(worksheet)
        return answers_mod.completion(template, answers_mod.split_answers(template, worksheet.answers)[0])

    # the participant ---------------------------------------------------
    def profile(self) -> dict[str, str]:
        """Name, organisation, role, city and country, for the cover of exports."""
        return {key: self._wb._db.setting(f"profile.{key}", "") for key in PROFILE_FIELDS}

    def has_profile(self) -> bool:
        return self._wb._db.setting("profile.asked") is not None

    def set_profile(self, values: dict[str, str]) -> dict[str, str]:
        for key in PROFILE_FIELDS:
            value = values.get(key, "")
            if not isinstance(value, str):
                raise InputError(t("answer.not_text", field=key))
            self._wb._db.set_setting(f"profile.{key}", value.strip()[:200])
        self._wb._db.set_setting("profile.asked", "yes")
        self.participant_id()  # made now, with the profile, if it was not yet
        return self.profile()

    def participant_id(self) -> str:
        """This data folder's participant id: made once and kept in its database
        (so backups and restores carry it), so that a trainer can tell whose
        share files and PDFs these are even when two people share a name.
        "" only in a folder that cannot be written and never had one."""
        found = self._wb._db.setting("profile.participant", "")
        if found or self._wb.read_only:
            return found or ""
        import uuid

        made = str(uuid.uuid4())
        try:
            with guard(self._wb._db.path):
                self._wb._db.set_setting("profile.participant", made)
        except StorageError:
            return ""
        return made

    def participant(self) -> dict[str, str]:
        """The participant id and the profile, as share files carry them."""
        return {"id": self.participant_id(), **self.profile()}

    def answers(self, worksheet_id: int) -> dict[str, Any]:
        """A worksheet's answers (lists of worksheets come without them)."""
        found = number(worksheet_id)
        return self._wb._worksheets.answers(found) if found is not None else {}
