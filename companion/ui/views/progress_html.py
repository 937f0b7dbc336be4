"""The person's progress on the home page, as HTML for the reader.

Bars are two-cell tables (the reader is a QTextBrowser); each also says its
figure in words, so a screen reader and a printout carry it too. Colours come
from classes in reader.css, so the dark theme restyles them.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QObject

from companion.timefmt import local_time
from companion.ui.numbers import filled


def _e(text) -> str:
    return html.escape(str(text))


def bar(percent: int) -> str:
    percent = max(0, min(100, int(percent)))
    cells = []
    if percent:
        cells.append(f'<td class="bar-done" width="{percent}%">&nbsp;</td>')
    if percent < 100:
        cells.append(f'<td class="bar-rest" width="{100 - percent}%">&nbsp;</td>')
    return f'<table class="bar" width="100%" cellspacing="0" cellpadding="0"><tr>{"".join(cells)}</tr></table>'


def _step_link(step, tr: QObject) -> str:
    if step.kind == "topic":
        return f'<a href="topic:{_e(step.id)}">{_e(step.title)}</a> <span class="muted">({_e(tr.tr("read this topic"))})</span>'
    if step.kind == "worksheet":
        return (f'<a href="template:{_e(step.id)}">{_e(step.title)}</a> '
                f'<span class="muted">({_e(tr.tr("start this worksheet"))})</span>')
    return (f'<a href="open:{_e(step.id)}">{_e(step.title)}</a> '
            f'<span class="muted">({_e(tr.tr("finish this worksheet"))})</span>')


def _cards(overview, tr: QObject) -> str:
    last = overview.last
    if last is not None:
        href = f"topic:{last.id}" if last.kind == "topic" else f"open:{last.id}"
        where = f'<a href="{_e(href)}">{_e(last.title)}</a>'
    else:
        where = f'<span class="muted">{_e(tr.tr("Nothing opened yet: start with the next step."))}</span>'
    step = (_step_link(overview.next_step, tr) if overview.next_step
            else f'<span class="muted">{_e(tr.tr("You have read every topic and started every worksheet."))}</span>')
    return ('<table class="cards" width="100%" cellspacing="8" cellpadding="10"><tr>'
            f'<td class="card" width="50%"><p class="card-label">{_e(tr.tr("Continue where you left off"))}</p>'
            f'<p class="card-text">{where}</p></td>'
            f'<td class="card" width="50%"><p class="card-label">{_e(tr.tr("Next step in the course"))}</p>'
            f'<p class="card-text">{step}</p></td></tr></table>')


def _due(overview, tr: QObject) -> str:
    if not overview.due:
        return ""
    rows = [f"<h2>{_e(tr.tr('Due in your follow-up'))}</h2><ul class=\"due\">"]
    for item in overview.due:
        if item.kind == "checkin":
            text = tr.tr("Check-in planned: %s") % item.text
        else:
            text = tr.tr("Past its end date and not done: %s") % item.text
        css = "late" if item.late else "soon"
        rows.append(f'<li><span class="{css}">{_e(item.date)}</span> · {_e(text)} · '
                    f'<a href="followup:{item.worksheet_id}">{_e(item.worksheet_title)}</a></li>')
    rows.append("</ul>")
    return "".join(rows)


def _modules(pack, overview, tr: QObject) -> str:
    rows = [f"<h2>{_e(tr.tr('Your progress'))}</h2>",
            f'<p class="muted">{_e(filled(tr.tr("%d of %d topics read"), overview.read, overview.topics))}</p>',
            '<table class="modules" width="100%" cellpadding="6">']
    if overview.pending:  # a figure not known yet is left out, never shown as if it were
        waiting = filled(tr.tr("Still working out how much is filled in (worksheets left: %d)…"), overview.pending)
        rows.insert(2, f'<p class="muted">{_e(waiting)}</p>')
    for m in overview.modules:
        label = tr.tr("Core module") if m.number == 0 else tr.tr("Module %d") % m.number
        detail = filled(tr.tr("%d of %d topics read, %d of %d worksheets started"),
                        m.topics_read, m.topics, m.worksheets_started, m.worksheets)
        if m.checks:
            detail += filled(tr.tr(", %d of %d knowledge checks answered"), m.checks_answered, m.checks)
        rows.append(
            f'<tr><td width="14%"><b>{_e(label)}</b></td>'
            f'<td><a href="topic:{_e(m.first_topic)}">{_e(m.title)}</a><br/>'
            f'<span class="muted">{_e(detail)}</span></td>'
            + ('<td width="22%"></td><td width="7%"><span class="muted">…</span></td></tr>' if m.pending else
               f'<td width="22%">{bar(m.percent)}</td>'
               f'<td width="7%"><span class="figure">{_e(filled(tr.tr("%d%%"), m.percent))}</span></td></tr>'))
    rows.append("</table>")
    return "".join(rows)


def _recent(overview, tr: QObject) -> str:
    if not overview.recent:
        return ""
    rows = [f"<h2>{_e(tr.tr('Your recent worksheets'))}</h2>",
            '<table class="recent" width="100%" cellpadding="4">']
    for r in overview.recent:
        known = r.completion is not None
        rows.append(f'<tr><td><a href="open:{r.worksheet_id}">{_e(r.title)}</a></td>'
                    f'<td width="18%">{bar(r.completion) if known else ""}</td>'
                    f'<td width="20%"><span class="muted">'
                    f'{_e(filled(tr.tr("%d%% filled in"), r.completion)) if known else "…"}'
                    f' · {_e(local_time(r.updated_at))}</span></td></tr>')
    rows.append("</table>")
    return "".join(rows)


def overview_html(pack, overview, tr: QObject) -> str:
    return _cards(overview, tr) + _due(overview, tr) + _modules(pack, overview, tr) + _recent(overview, tr)
