"""The pages of the tree's own rows: a module (its topics and worksheets) and
the workbook (every template and how many worksheets the person has of it).

They let a person move through the tree with the arrow keys and see where
each row leads, without the tree opening a module on its own."""
from __future__ import annotations

import html

from PySide6.QtCore import QObject


def _e(text) -> str:
    return html.escape(str(text))


def module_html(workbook, module, tr: QObject) -> str:
    pack = workbook.pack
    label = tr.tr("Core module") if module.number == 0 else tr.tr("Module %d") % module.number
    try:
        read = workbook.study.read_topics()
    except Exception:  # noqa: BLE001 - progress is a help here, never a reason not to show the page
        read = {}
    parts = [f'<p class="kicker">{_e(label)}</p>', f"<h1>{_e(module.title)}</h1>"]
    if module.summary:
        parts.append(f"<p>{_e(module.summary)}</p>")
    parts.append(f"<h2>{_e(tr.tr('Topics'))}</h2><ol>")
    for topic in module.topics:
        done = f' <span class="muted">({_e(tr.tr("read"))})</span>' if topic.id in read else ""
        parts.append(f'<li><a href="topic:{_e(topic.id)}">{_e(topic.title)}</a>{done}</li>')
    parts.append("</ol>")
    templates = pack.templates_of(module.id)
    if templates:
        parts.append(f"<h2>{_e(tr.tr('Worksheets'))}</h2><ul>")
        for template in templates:
            parts.append(f'<li><a href="template:{_e(template.id)}">{_e(template.title)}</a></li>')
        parts.append("</ul>")
    return "\n".join(parts)


def workbook_html(workbook, tr: QObject) -> str:
    counts: dict[str, int] = {}
    for worksheet in workbook.book.worksheets():
        counts[worksheet.template_id] = counts.get(worksheet.template_id, 0) + 1
    parts = [f"<h1>{_e(tr.tr('Workbook'))}</h1>",
             f"<p>{_e(tr.tr('Every worksheet of the course. Open one to see your worksheets of it or to start one.'))}</p>",
             "<ul>"]
    for template in workbook.templates():
        count = counts.get(template.id, 0)
        mine = tr.tr("you have %n worksheets of it", "you have %n worksheet of it", count) if count else tr.tr(
            "not started")
        parts.append(f'<li><a href="template:{_e(template.id)}">{_e(template.title)}</a> '
                     f'<span class="muted">({_e(mine)})</span></li>')
    parts.append(f'</ul><p><a href="view:bin">{_e(tr.tr("Bin"))}</a></p>')
    return "\n".join(parts)
