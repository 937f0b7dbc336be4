"""My notes and bookmarks, in one place, as a page of the reader."""
from __future__ import annotations

import html

from PySide6.QtCore import QObject

from companion.timefmt import local_time


def _e(text) -> str:
    return html.escape(str(text))


def notes_html(study, tr: QObject) -> str:
    notes, bookmarks = study.notes(), study.bookmarks()
    intro = tr.tr("Open a topic and use Bookmark or My note above its text. "
                  "Notes stay on this computer, and Search (Ctrl+K) finds them.")
    parts = [f'<p class="kicker">{_e(tr.tr("Your own words"))}</p>',
             f"<h1>{_e(tr.tr('My notes and bookmarks'))}</h1>",
             f'<p class="muted">{_e(intro)}</p>']
    parts.append(f"<h2>{_e(tr.tr('Bookmarks'))}</h2>")
    if bookmarks:
        parts.append("<ul>")
        for b in bookmarks:
            parts.append(f'<li><a href="topic:{_e(b.topic_id)}">{_e(b.title)}</a> '
                         f'<span class="muted">· {_e(b.module)}</span></li>')
        parts.append("</ul>")
    else:
        parts.append(f'<p class="muted">{_e(tr.tr("No bookmarks yet."))}</p>')
    parts.append(f"<h2>{_e(tr.tr('Notes'))}</h2>")
    if not notes:
        parts.append(f'<p class="muted">{_e(tr.tr("No notes yet."))}</p>')
    for n in notes:
        star = " ★" if n.bookmarked else ""
        parts.append(f'<h3><a href="note:{_e(n.target_id)}">{_e(n.title)}</a>{star}</h3>'
                     f'<p class="muted">{_e(n.module)} · {_e(tr.tr("changed %s") % local_time(n.updated_at))}</p>')
        body = "<br/>".join(_e(line) for line in n.body.splitlines())
        parts.append(f"<p>{body}</p>")
    return "\n".join(parts)
