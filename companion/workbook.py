"""What a person can do with the companion, written once for the CLI and the UI.

A :class:`Workbook` joins a content pack and a data folder. It opens both
lazily, so asking for ``--version`` or drawing the first window does not pay
for parsing every topic or opening the database before it is needed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

from companion import paths
from companion.content.pack import Loaded, Pack, load_pack
from companion.errors import InputError, Problem
from companion.messages import t
from companion.storage.db import Database
from companion.storage.instances import WorksheetStore
from companion.worksheets import answers as answers_mod
from companion.worksheets.model import Worksheet
from companion.worksheets.template import Template

Progress = Callable[[int, int], None]


class Workbook:
    def __init__(self, data_dir: Path, content_root: Path | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.content_root = Path(content_root) if content_root else paths.content_dir()
        self._loaded: Loaded | None = None
        self._database: Database | None = None
        self._store: WorksheetStore | None = None

    @classmethod
    def open(cls, data_dir: str | Path | None = None, content_root: Path | None = None) -> "Workbook":
        return cls(paths.data_dir(data_dir), content_root)

    # the content pack -------------------------------------------------
    @property
    def pack(self) -> Pack:
        if self._loaded is None:
            self._loaded = load_pack(self.content_root)
        return self._loaded.pack

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
    def store(self) -> WorksheetStore:
        if self._store is None:
            self._database = Database(paths.database_path(self.data_dir))
            self._store = WorksheetStore(self._database)
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
        worksheet_id = self.store.create(template.id, template.version, title, clean)
        return self.worksheet(worksheet_id)

    def worksheets(self, template_id: str | None = None) -> list[Worksheet]:
        return self.store.list(template_id)

    def worksheet(self, worksheet_id: int | str) -> Worksheet:
        try:
            number = int(worksheet_id)
        except (TypeError, ValueError):
            raise InputError(t("worksheet.not_found", id=worksheet_id)) from None
        worksheet = self.store.get(number)
        if worksheet is None:
            raise InputError(t("worksheet.not_found", id=worksheet_id))
        return worksheet

    def template_of(self, worksheet: Worksheet) -> Template:
        return self.template(worksheet.template_id)

    def save_answers(self, worksheet_id: int, changed: dict[str, Any]) -> str:
        """Store changed answers (checked against the template); returns the time saved."""
        worksheet = self.store.get(worksheet_id, with_answers=False)
        if worksheet is None:
            raise InputError(t("worksheet.not_found", id=worksheet_id))
        clean = answers_mod.coerce_all(self.template_of(worksheet), changed)
        return self.store.save_answers(worksheet_id, clean)

    def issues(self, worksheet: Worksheet) -> list[answers_mod.Issue]:
        return answers_mod.check(self.template_of(worksheet), worksheet.answers)

    def completion(self, worksheet: Worksheet) -> int:
        return answers_mod.completion(self.template_of(worksheet), worksheet.answers)

    # export -----------------------------------------------------------
    def export_pdf(self, worksheet_ids: Sequence[int | str], out: Path,
                   progress: Progress | None = None) -> Path:
        from companion.export.pdf import write_worksheets_pdf

        items = [(self.worksheet(i), None) for i in worksheet_ids]
        items = [(ws, self.template_of(ws)) for ws, _ in items]
        write_worksheets_pdf(items, Path(out), pack=self.pack, progress=progress)
        return Path(out)
