"""A cohort at a glance: the worksheets participants handed in, for their trainer.

:meth:`Cohorts.read` reads share files and companion PDFs (and folders of
them) with the limits of any import (the file's size and shape, its
checksum, the answers checked against the pack's templates) and imports
nothing: the trainer's own workbook is never written. What it returns, a
:class:`~companion.workbook.cohort_model.Cohort`, is the one data model the
three files of :func:`write_report` are made from, so their figures agree:
``cohort.pdf`` (the roster, every action plan, charts), ``cohort.xlsx`` (the
roster and long sheets for pivot tables) and ``cohort.sqlite`` (the same
tables, with full-text search, for Datasette or any SQLite browser).

A participant is known by the participant id their files carry; a file from
before ids is known by the name in it, else counts as a participant of its
own. A worksheet handed in more than once (the same template, in two files
or as two copies) counts once: the one saved last.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from companion.collation import sort_key
from companion.errors import CompanionError, InputError
from companion.export import share as share_format
from companion.files import read_regular
from companion.messages import current_language, t
from companion.workbook.cohort_model import Cohort, Handed, NotRead, Person
from companion.worksheets import answers as answers_mod
from companion.worksheets.computed import with_computed
from companion.worksheets.model import COMPLETE, DRAFT

if TYPE_CHECKING:
    from companion.workbook import Workbook

__all__ = ["Cohort", "Cohorts", "Handed", "NotRead", "Person", "REPORT_FILES", "write_report"]

MAX_FILES = 5000  # a folder with more is not a course's hand-in folder
REPORT_FILES = ("cohort.pdf", "cohort.xlsx", "cohort.sqlite")
PRIVATE = 0o600  # participants' personal data: readable by the trainer's account only


@dataclass
class _Found:
    """A participant while the files are read: the latest profile seen, and their worksheets."""

    key: str
    profile: dict[str, str]
    exported: str
    files: list[str] = field(default_factory=list)


def _when(text: str) -> dt.datetime | None:
    """A time written in a file, as UTC without a zone (what spreadsheets hold); None if it is not one."""
    try:
        when = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return when.replace(microsecond=0)


def _key(participant: dict[str, str] | None, path: Path) -> str:
    if participant and participant.get("id"):
        return "id:" + participant["id"]
    if participant and participant.get("name"):
        return "name:" + participant["name"].casefold()
    return f"file:{path}"


def files_in(paths: Sequence[Path]) -> list[Path]:
    """The share files and PDFs named, and those in the folders named (not their hidden files)."""
    from companion.workbook.sharing import IMPORTABLE

    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in IMPORTABLE
                                and not p.name.startswith(".") and p.is_file()))
        else:
            found.append(path)
    return found


def read_share(path: Path) -> share_format.ShareFile:
    """A share file or a companion PDF read whole, with the limits of any import."""
    import logging

    from companion.workbook.sharing import _attachment

    data = read_regular(Path(path), share_format.MAX_BYTES * 3)
    if data[:5] == b"%PDF-":  # judged by what the file holds, whatever its name
        quiet = logging.getLogger("pypdf")
        level = quiet.level
        quiet.setLevel(logging.ERROR)  # a damaged PDF is told once, in the report, not also by pypdf
        try:
            data = _attachment(data)
        finally:
            quiet.setLevel(level)
    return share_format.decode_file(data)


class Cohorts:
    """The trainer's desk: a cohort's files read, and the report written."""

    def __init__(self, workbook: "Workbook") -> None:
        self.workbook = workbook

    def read(self, paths: Sequence[Path | str],
             progress: Callable[[int, int], None] | None = None) -> Cohort:
        """The cohort in these files and folders; InputError when none holds a
        worksheet file at all. Nothing is written anywhere."""
        pack = self.workbook.pack
        files = files_in([Path(p) for p in paths])
        if not files:
            raise InputError(t("cohort.nothing"))
        people: dict[str, _Found] = {}
        handed: dict[tuple[str, str], tuple[tuple, Handed]] = {}
        not_read: list[NotRead] = []
        set_aside = 0
        for number, path in enumerate(files, start=1):
            if progress:
                progress(number - 1, len(files))
            if number > MAX_FILES:
                not_read.append(NotRead(str(path), t("cohort.too_many_files", limit=MAX_FILES)))
                continue
            try:
                shared = read_share(path)
                checked = [(item, self.workbook.sharing._checked(item)) for item in shared.worksheets]
            except CompanionError as exc:
                reason = str(exc)  # the file is named beside it: not twice
                not_read.append(NotRead(str(path), reason.removeprefix(f"{path}: ")))
                continue
            key = _key(shared.participant, path)
            person = people.get(key)
            if person is None:
                person = people[key] = _Found(key, shared.participant or {}, shared.exported_at)
            elif shared.participant and shared.exported_at >= person.exported:
                person.profile, person.exported = shared.participant, shared.exported_at
            person.files.append(path.name)
            for item, answers in checked:
                worksheet = self._handed(key, item, answers, path, pack.templates[item.template_id])
                rank = (worksheet.saved or dt.datetime.min, worksheet.revision, shared.exported_at)
                earlier = handed.get((key, item.template_id))
                if earlier is not None:
                    set_aside += 1
                    if earlier[0] >= rank:
                        continue
                handed[(key, item.template_id)] = (rank, worksheet)
        if progress:
            progress(len(files), len(files))
        if not handed:
            first = not_read[0]
            raise InputError(t("cohort.none_read", count=len(not_read), file=first.file, reason=first.reason))
        return _assemble(people, [w for _, w in handed.values()], not_read, set_aside,
                         self.workbook.templates(), pack)

    @staticmethod
    def _handed(key: str, item: share_format.SharedWorksheet, checked: dict, path: Path, template) -> Handed:
        fitting = answers_mod.split_answers(template, checked)[0]
        return Handed(
            number=0, person=key, uid=item.uid, template=template, template_version=item.template_version,
            title=" ".join(item.title.split()) or template.title,
            status=item.status if item.status in (DRAFT, COMPLETE) else DRAFT,
            completion=answers_mod.completion(template, fitting), saved=_when(item.updated_at),
            revision=item.revision, file=path.name, answers=with_computed(template, fitting))

    def report(self, paths: Sequence[Path | str], out: Path,
               progress: Callable[[int, int], None] | None = None) -> tuple[Cohort, list[Path]]:
        """Read the cohort and write its three files into the folder ``out``."""
        cohort = self.read(paths)
        return cohort, write_report(cohort, Path(out), progress)


def _assemble(people: dict[str, _Found], worksheets: list[Handed], not_read: list[NotRead], set_aside: int,
              templates: list, pack) -> Cohort:
    """The cohort, numbered: participants by name, their worksheets in the course's order."""
    def shown(found: _Found) -> str:
        return found.profile.get("name") or t("cohort.no_name", file=found.files[0])

    ordered = sorted(people.values(), key=lambda p: (sort_key(shown(p), current_language()), p.key))
    persons = [Person(number=n, key=p.key, participant_id=p.profile.get("id", ""), name=shown(p),
                      organisation=p.profile.get("organisation", ""), role=p.profile.get("role", ""),
                      city=p.profile.get("city", ""), country=p.profile.get("country", ""),
                      files=tuple(p.files)) for n, p in enumerate(ordered, start=1)]
    number_of = {p.key: p.number for p in persons}
    order = {tp.id: i for i, tp in enumerate(templates)}
    worksheets.sort(key=lambda w: (number_of[w.person], order.get(w.template.id, len(order))))
    numbered = [Handed(**{**w.__dict__, "number": n, "person": number_of[w.person]})
                for n, w in enumerate(worksheets, start=1)]
    return Cohort(people=persons, worksheets=numbered, not_read=not_read, set_aside=set_aside,
                  templates=templates, course=(pack.course or pack.title), made=dt.date.today(),
                  language=getattr(pack, "language", "") or "en")


def write_report(cohort: Cohort, out: Path, progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write cohort.pdf, cohort.xlsx and cohort.sqlite into the folder ``out``
    (made if need be), each in place only once whole, and readable by the
    trainer's account only. Reads no database: it can run on another thread."""
    from companion.export.cohort_pdf import write_cohort_pdf
    from companion.export.cohort_xlsx import write_cohort_xlsx
    from companion.files import _cannot_write
    from companion.storage.cohort import write_cohort_database

    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(out / REPORT_FILES[0], exc) from None
    if not out.is_dir():
        raise InputError(t("file.not_regular", path=out))
    writers = (write_cohort_pdf, write_cohort_xlsx, write_cohort_database)
    written = []
    for step, (name, write) in enumerate(zip(REPORT_FILES, writers)):
        if progress:
            progress(step, len(writers))
        path = out / name
        write(cohort, path)
        try:
            os.chmod(path, PRIVATE)
        except OSError:
            pass  # a file system without permissions (a FAT stick): the notice inside still says it
        written.append(path)
    if progress:
        progress(len(writers), len(writers))
    return written


def describe(cohort: Cohort) -> dict[str, Any]:
    """What the report holds, in numbers, for the command line's summary."""
    return {"participants": len(cohort.people), "worksheets": len(cohort.worksheets),
            "set_aside": cohort.set_aside,
            "not_read": [{"file": n.file, "reason": n.reason} for n in cohort.not_read]}
