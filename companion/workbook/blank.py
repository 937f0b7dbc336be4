"""Blank worksheets on paper, for a course room without computers: each
template with its instructions and room to write, in the language in use.

:func:`prepare` reads the templates on the caller's thread; :func:`write`
lays them out (:mod:`companion.export.blank_pdf`) and can run on another.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from companion.errors import InputError
from companion.messages import t
from companion.worksheets.template import Template

if TYPE_CHECKING:
    from companion.workbook import Workbook


@dataclass(frozen=True)
class BlankJob:
    templates: list[Template]
    course: str
    language: str


def prepare(workbook: "Workbook", template_ids: Sequence[str] | None) -> BlankJob:
    """The templates named (every one, in the course's order, when None); InputError names one unknown."""
    if template_ids is None:
        templates = workbook.templates()
    else:
        templates = [workbook.template(tid) for tid in dict.fromkeys(template_ids)]
    if not templates:
        raise InputError(t("blank.nothing"))
    pack = workbook.pack
    return BlankJob(templates, pack.course or pack.title, getattr(pack, "language", "") or "en")


def write(job: BlankJob, out: Path, progress: Callable[[int, int], None] | None = None) -> Path:
    from companion.export.blank_pdf import write_blank_pdf

    return write_blank_pdf(job.templates, Path(out), job.course, job.language, progress)


def export_blank(workbook: "Workbook", template_ids: Sequence[str] | None, out: Path) -> Path:
    """The blank worksheets (all when ``template_ids`` is None) as one PDF at ``out``."""
    return write(prepare(workbook, template_ids), out)
