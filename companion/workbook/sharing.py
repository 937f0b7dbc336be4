"""Sharing worksheets: share files, PDFs that import back, CSV, and imports.

Written once here for the CLI and the UI. An import never overwrites the
importer's own work: each worksheet comes in as a new copy; the same content
imported twice is recognised and nothing new is made; a file with any bad
worksheet is refused whole, and a folder import goes on past bad files.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from companion.errors import CompanionError, InputError
from companion.export import share as share_format
from companion.files import read_regular, write_atomically
from companion.messages import current_language, in_language, known, t
from companion.storage.imports import ImportStore
from companion.worksheets import answers as answers_mod

if TYPE_CHECKING:
    from companion.workbook import Workbook

SHARE_SUFFIX = share_format.SUFFIX
IMPORTABLE = (SHARE_SUFFIX, ".json", ".pdf")
ATTACHMENT_NAME = "worksheets" + share_format.SUFFIX


@dataclass(frozen=True)
class ImportResult:
    path: Path
    status: str  # "imported", "duplicate" or "refused"
    title: str = ""
    worksheet_id: int | None = None
    reason: str = ""

    def message(self) -> str:
        if self.status == "imported":
            return t("import.imported", title=self.title, id=self.worksheet_id)
        if self.status == "duplicate":
            return t("import.duplicate", title=self.title, id=self.worksheet_id)
        return t("import.refused", path=self.path, reason=self.reason)


class Sharing:
    def __init__(self, workbook: "Workbook") -> None:
        self.workbook = workbook

    def shared(self, worksheet_ids: Sequence[int | str]) -> list[share_format.SharedWorksheet]:
        imports = ImportStore(self.workbook._db)
        return [_shared(self.workbook.book.worksheet(worksheet_id), imports) for worksheet_id in worksheet_ids]

    def share_bytes(self, worksheet_ids: Sequence[int | str]) -> bytes:
        if not worksheet_ids:
            raise InputError(t("export.nothing"))
        # who handed it in goes with it: a trainer reading a cohort's files tells participants apart
        return share_format.encode(self.shared(worksheet_ids), participant=self.workbook.book.participant(),
                                   checks=self.workbook.study.check_answers())

    def export_share(self, worksheet_ids: Sequence[int | str], out: Path) -> Path:
        return write_atomically(Path(out), self.share_bytes(worksheet_ids))

    def prepare_pdf(self, worksheet_ids: Sequence[int | str] | None, labels: str | None = None) -> PdfJob:
        """What a PDF export needs, read now (on the caller's thread): the
        worksheets without their answers, which the writer reads as it goes.
        ``labels``: the language of the PDF's own words (None: the current language)."""
        from companion.workbook.book import number

        book = self.workbook.book
        listed = book.worksheets()  # without their answers
        if worksheet_ids is None:
            chosen = listed[::-1]
        else:
            by_id = {w.id: w for w in listed}
            chosen = [by_id.get(number(i)) or book.worksheet(i) for i in worksheet_ids]  # a wrong id says so
        if not chosen:
            raise InputError(t("export.nothing"))
        items = [(w, book.template_of(w)) for w in chosen]
        return PdfJob(items, self.workbook.pack, book.profile(), self._checks_answered() if len(items) > 1 else [],
                      book.participant(), _Reader(self.workbook), self.workbook.study.check_answers(),
                      known(labels) or current_language())

    def _checks_answered(self) -> list:
        """(topic title, [(question, options chosen, right)]) of every check with an answer, in course order."""
        study, pack = self.workbook.study, self.workbook.pack
        out = []
        for topic in pack.topics():
            state = study.check(topic.id) if topic.id in pack.checks else None
            if state is None or all(q.right is None for q in state.questions):
                continue
            out.append((topic.title, [(q.question.text, [o.text for o in q.question.options if o.id in q.chosen],
                                       q.right) for q in state.questions]))
        return out

    def export_pdf(self, worksheet_ids: Sequence[int | str] | None, out: Path,
                   progress=None, labels: str | None = None) -> Path:
        """The worksheets (all of them when ``worksheet_ids`` is None) as one PDF,
        with their share file attached so that the PDF itself imports back;
        its own words in ``labels`` (None: the current language)."""
        return write_pdf(self.prepare_pdf(worksheet_ids, labels), out, progress)

    def csv_text(self, worksheet_id: int | str, delimiter: str | None = None) -> str:
        """Every table of a worksheet, one block each, as a spreadsheet reads them
        (split on ``delimiter``: by default what this computer's language uses)."""
        from companion.export.spreadsheet import csv_text, default_delimiter

        worksheet = self.workbook.book.worksheet(worksheet_id)
        text = csv_text(worksheet, self.workbook.book.template_of(worksheet), delimiter or default_delimiter())
        if text is None:
            raise InputError(t("export.no_tables", id=worksheet.id))
        return text

    def export_csv(self, worksheet_id: int | str, out: Path, delimiter: str | None = None) -> Path:
        # a byte-order mark so that spreadsheet programs read accented letters right
        return write_atomically(Path(out), ("\ufeff" + self.csv_text(worksheet_id, delimiter)).encode("utf-8"))

    def export_xlsx(self, worksheet_ids: Sequence[int | str] | None, out: Path) -> Path:
        """The worksheets (all when None) as one spreadsheet workbook with typed columns."""
        from companion.export.spreadsheet import write_xlsx

        ids = [w.id for w in self.workbook.book.worksheets()][::-1] if worksheet_ids is None else list(worksheet_ids)
        if not ids:
            raise InputError(t("export.nothing"))
        items = [(w, self.workbook.book.template_of(w)) for w in (self.workbook.book.worksheet(i) for i in ids)]
        return write_xlsx(items, Path(out))

    def _checked(self, item: share_format.SharedWorksheet) -> dict:
        template = self.workbook.pack.templates.get(item.template_id)
        if template is None:
            raise InputError(t("share.unknown_template", title=_one_line(item.title), template=_one_line(item.template_id)))
        try:
            if item.template_version == template.version:
                return answers_mod.coerce_all(template, item.answers)
            fitting, apart = answers_mod.split_answers(template, item.answers)
            for field_id, value in apart.items():
                answers_mod.check_shape(field_id, value)
            return answers_mod.rejoin(template, fitting, apart)
        except InputError as exc:
            raise InputError(t("share.bad_answers", title=_one_line(item.title), detail=_one_line(str(exc)))) from None

    def import_paths(self, paths: Sequence[Path]) -> list[ImportResult]:
        """Import share files and companion PDFs (and folders of them)."""
        files = _files(paths)
        results: list[ImportResult] = []
        imports = ImportStore(self.workbook._db)
        backed_up = False
        for path in files:
            try:
                items = read_file(path)
                checked = [(item, self._checked(item)) for item in items]
            except CompanionError as exc:
                results.append(ImportResult(path, "refused", reason=str(exc)))
                continue
            for item, answers in checked:
                digest = item.content_hash()
                existing = imports.find(digest) or self._same_local(item, digest)
                if existing:
                    results.append(ImportResult(path, "duplicate", item.title, existing))
                    continue
                if not backed_up:
                    self._backup_before_import()
                    backed_up = True
                template = self.workbook.template(item.template_id)
                worksheet = self.workbook.book.import_worksheet(template, item.title, answers,
                                                                item.template_version, (item.uid, digest, path.name))
                results.append(ImportResult(path, "imported", item.title, worksheet.id))
        return results

    def _same_local(self, item: share_format.SharedWorksheet, digest: str) -> int | None:
        for worksheet in self.workbook.book.worksheets(item.template_id):
            if worksheet.uid == item.uid:
                mine = share_format.SharedWorksheet(
                    worksheet.uid, worksheet.template_id, 0, worksheet.title, "", 0, "", "",
                    self.workbook.book.answers(worksheet.id))
                if mine.content_hash() == digest:
                    return worksheet.id
        return None

    def _backup_before_import(self) -> None:
        self.workbook.safety.backup_now("import")



def _shared(w, imports: ImportStore) -> share_format.SharedWorksheet:
    """A worksheet (with its answers) as a share file carries it."""
    return share_format.SharedWorksheet(
        uid=w.uid, template_id=w.template_id, template_version=w.template_version, title=w.title,
        status=w.status, revision=imports.latest_revision(w.id), created_at=w.created_at,
        updated_at=w.updated_at, answers=w.answers)


class _Reader:
    """The worksheets of a PDF export, read one at a time while the PDF is
    written, on the thread that writes it (the window's worker thread).

    Through a workbook of its own on the same data folder, so a SQLite
    connection of its own: the window's connection is used by the window's
    thread only, while saving goes on there (WAL lets this one read meanwhile).
    It is opened on first use, so on the writing thread, only reads, and is
    closed by :func:`write_pdf`. The content pack already loaded is shared:
    nothing changes it."""

    def __init__(self, workbook: "Workbook") -> None:
        self._source = workbook
        self._own: "Workbook | None" = None
        self._imports: ImportStore | None = None

    def _workbook(self) -> "Workbook":
        if self._own is None:
            own = type(self._source)(self._source.data_dir, self._source.content_root)  # a Workbook
            own._loaded = self._source._loaded
            self._own = own
        return self._own

    def load(self, listed) -> tuple:
        """``listed`` (a worksheet without its answers) with its answers, and its template."""
        book = self._workbook().book
        worksheet = book.worksheet(listed.id)
        return worksheet, book.template_of(worksheet)

    def shared(self, worksheet) -> share_format.SharedWorksheet:
        if self._imports is None:
            self._imports = ImportStore(self._workbook()._db)
        return _shared(worksheet, self._imports)

    def close(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own, self._imports = None, None


@dataclass(frozen=True)
class PdfJob:
    """What a PDF export needs, read beforehand on the caller's thread: the
    worksheets (``items``: each without its answers, with its template), the
    profile, the knowledge checks, who the participant is. The answers are read
    by ``reader`` while the PDF is written, one worksheet at a time, so that an
    export holds one worksheet's answers whatever its size."""

    items: list
    pack: object
    profile: dict
    checks: list
    participant: dict
    reader: _Reader
    check_answers: list  # carried in the attached share file, for a trainer
    labels: str = "en"  # the language of the PDF's own words (headings, captions), whatever the window's


def write_pdf(job: PdfJob, out: Path, progress=None) -> Path:
    """Write the job's PDF with the share file of its worksheets embedded, so
    that the PDF itself imports back: the share file is written as the
    worksheets are read, compressed, and the PDF's writer embeds it at the end."""
    from companion.export.pdf import write_worksheets_pdf
    from companion.export.stream import Deflated

    packed = Deflated()
    share = share_format.Encoder(packed.write, participant=job.participant, checks=job.check_answers)

    def load(listed) -> tuple:
        worksheet, template = job.reader.load(listed)
        share.add(job.reader.shared(worksheet))
        return worksheet, template

    def attachment():
        share.finish()
        return packed.attachment(ATTACHMENT_NAME)

    try:
        with in_language(job.labels):
            write_worksheets_pdf(job.items, Path(out), load, pack=job.pack, progress=progress, profile=job.profile,
                                 checks=job.checks, attachment=attachment)
    finally:
        job.reader.close()
    return Path(out)


def attach_to_pdf(pdf: Path, data: bytes) -> None:
    """Attach share-file bytes to a PDF written elsewhere, rewriting it with
    pypdf (the companion's own PDFs embed theirs as they are written)."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(pdf))
    writer.add_attachment(ATTACHMENT_NAME, data)
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomically(pdf, buffer.getvalue())


# import ----------------------------------------------------------------------
def read_file(path: Path) -> list[share_format.SharedWorksheet]:
    """The worksheets in a share file or a companion PDF (InputError otherwise)."""
    path = Path(path)
    data = read_regular(path, share_format.MAX_BYTES * 3)
    if data[:5] == b"%PDF-":  # judged by what the file holds, whatever its name
        return share_format.decode(_attachment(data))
    return share_format.decode(data)


def _attachment(data: bytes) -> bytes:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        attachments = PdfReader(io.BytesIO(data)).attachments
        found = attachments.get(ATTACHMENT_NAME)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        raise InputError(t("share.pdf_damaged")) from None
    if not found:
        raise InputError(t("share.pdf_no_attachment"))
    return found[0]


def _one_line(text: str, limit: int = 80) -> str:
    """Text from a file, as one short line in a message."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _files(paths: Sequence[Path]) -> list[Path]:
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMPORTABLE))
        else:
            found.append(path)
    return found


