"""The home view: where the course and the workbook begin."""
from __future__ import annotations

import html

from PySide6.QtCore import QObject

from companion.content.pack import Pack


def home_html(pack: Pack, recent: list, tr: QObject, overview=None) -> str:
    """The home page as HTML (``tr`` is the view whose ``tr`` translates;
    ``overview``, a companion.workbook.study.Overview, adds the person's progress)."""
    parts = [f'<p class="kicker">{html.escape(pack.course or pack.title)}</p>',
             f"<h1>{html.escape(pack.title)}</h1>",
             f"<p>{html.escape(tr.tr('Read the toolbox, fill in your worksheets and take your action plan home. Everything stays on this computer and works without the internet.'))}</p>",
             f'<p><a href="page:schedule">{html.escape(tr.tr("Course schedule"))}</a> · '
             f'<a href="view:glossary">{html.escape(tr.tr("Glossary"))}</a>'
             + (f' · <a href="view:notes">{html.escape(tr.tr("My notes and bookmarks"))}</a>'
                f' · <a href="view:followup">{html.escape(tr.tr("Follow-up"))}</a>' if overview else "")
             + "</p>"]
    if overview is not None:
        from companion.ui.views.progress_html import overview_html

        parts.append(overview_html(pack, overview, tr))
        return "\n".join(parts)
    if recent:
        parts.append(f"<h2>{html.escape(tr.tr('Your recent worksheets'))}</h2><ul>")
        for worksheet in recent[:5]:
            parts.append(f'<li><a href="open:{worksheet.id}">{html.escape(worksheet.title)}</a></li>')
        parts.append("</ul>")
    parts.append(f"<h2>{html.escape(tr.tr('Modules'))}</h2>")
    parts.append('<table class="modules" width="100%" cellpadding="6">')
    for module in pack.modules:
        first = module.topics[0].id if module.topics else ""
        label = tr.tr("Core module") if module.number == 0 else tr.tr("Module %d") % module.number
        parts.append(
            f'<tr><td width="22%"><b>{html.escape(label)}</b></td>'
            f'<td><a href="topic:{html.escape(first)}">{html.escape(module.title)}</a><br/>'
            f'<span class="muted">{html.escape(module.summary)}</span></td></tr>')
    parts.append("</table>")
    return "\n".join(parts)
