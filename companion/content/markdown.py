"""Topic Markdown to the HTML the reader shows.

Raw HTML in a pack is shown as text, never interpreted: a pack from a stick
cannot run scripts or load anything. Links keep their ``topic:``,
``glossary:``, ``worksheet:`` and ``page:`` forms for the UI to follow.
"""
from __future__ import annotations

import html

import markdown as _markdown

from companion.content.pack import Pack, Topic
from companion.messages import t

EXTENSIONS = ["tables", "sane_lists", "toc"]


def _converter() -> _markdown.Markdown:
    md = _markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def to_html(text: str) -> str:
    """Markdown to HTML, with raw HTML escaped."""
    return _converter().convert(text)


def topic_html(pack: Pack, topic: Topic) -> str:
    """A topic as one HTML page: title, module, body, and its worksheets and terms."""
    module = pack.module(topic.module_id)
    parts = []
    if module is not None:
        parts.append(f'<p class="kicker">{html.escape(module.title)}</p>')
    parts.append(f"<h1>{html.escape(topic.title)}</h1>")
    if topic.summary:
        parts.append(f'<p class="summary">{html.escape(topic.summary)}</p>')
    parts.append(to_html(topic.body))
    related = [
        f'<a href="worksheet:{html.escape(w)}">{html.escape(pack.templates[w].title)}</a>'
        for w in topic.worksheets if w in pack.templates
    ]
    terms = [
        f'<a href="glossary:{html.escape(g)}">{html.escape(pack.glossary[g].term)}</a>'
        for g in topic.glossary if g in pack.glossary
    ]
    if related or terms:
        parts.append('<hr/><table class="related" width="100%">')
        if related:
            parts.append(f"<tr><th>{t('reader.worksheets')}</th><td>{' · '.join(related)}</td></tr>")
        if terms:
            parts.append(f"<tr><th>{t('reader.glossary')}</th><td>{' · '.join(terms)}</td></tr>")
        parts.append("</table>")
    return "\n".join(parts)


def glossary_html(pack: Pack) -> str:
    """The whole glossary, one anchor per term."""
    rows = [f"<h1>{html.escape(t('reader.glossary'))}</h1>"]
    for term in sorted(pack.glossary.values(), key=lambda g: g.term.casefold()):
        see = ", ".join(
            f'<a href="glossary:{html.escape(o)}">{html.escape(pack.glossary[o].term)}</a>'
            for o in term.see_also if o in pack.glossary
        )
        rows.append(f'<h3><a name="{html.escape(term.id)}"></a>{html.escape(term.term)}</h3>')
        rows.append(f"<p>{html.escape(term.definition)}</p>")
        if see:
            rows.append(f'<p class="see">{html.escape(t("reader.see_also"))} {see}</p>')
    return "\n".join(rows)
