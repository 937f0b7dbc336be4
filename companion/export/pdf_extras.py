"""What the workbook PDF prints besides the fields: answers a template has no
place for (from an earlier or a newer version), and the knowledge checks."""
from __future__ import annotations

import json
from typing import Any, Sequence

from reportlab.platypus import Flowable, Paragraph

from companion.export import fonts
from companion.export.layout import Anchor, KeepWithNext
from companion.messages import t


def _para(text: Any, style) -> Paragraph:
    return fonts.paragraph(str(text), style)


def set_apart_story(version: str, apart: Sequence[tuple[str, Any]], st: dict, key: str) -> list[Flowable]:
    """The answers set apart, each under its label, after the worksheet's sections."""
    if not apart:
        return []
    title = t("worksheet.newer_version" if version == "newer" else "worksheet.earlier_version")
    flowables: list[Flowable] = []
    for label, value in apart:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        flowables.append(KeepWithNext([_para(label, st["label"])], list(fonts.paragraphs(text, st["body"]))))
    heads = [Anchor(f"{key}-apart", title, level=1), _para(title, st["section"])]
    return [KeepWithNext(heads, flowables[:1]), *flowables[1:]]


def checks_story(checks: Sequence[tuple[str, Sequence[tuple[str, list[str], bool | None]]]],
                 st: dict) -> list[Flowable]:
    """The knowledge checks answered: per topic, each question, the answer
    chosen and whether it was right."""
    if not checks:
        return []
    title = t("pdf.checks")
    story: list[Flowable] = [Anchor("checks", title), _para(title, st["title"])]
    for number, (topic, questions) in enumerate(checks, start=1):
        rows: list[Flowable] = []
        for question, chosen, right in questions:
            verdict = t("checks.not_answered") if right is None else t("checks.right" if right else "checks.wrong")
            answer = "; ".join(chosen) if chosen else t("pdf.no_answer")
            rows.append(KeepWithNext([_para(question, st["label"])],
                                     [_para(f"{answer} ({verdict})", st["body"])]))
        heads = [Anchor(f"checks-{number}", topic, level=1), _para(topic, st["section"])]
        story += [KeepWithNext(heads, rows[:1]), *rows[1:]]
    return story
