"""Topic Markdown to the HTML the reader shows.

Raw HTML in a pack is shown as text, never interpreted: a pack from a stick
cannot run scripts or load anything. Links keep their ``topic:``,
``glossary:``, ``worksheet:`` and ``page:`` forms for the UI to follow; web
links (``http``, ``https``, ``mailto``) open only after the person agrees.
Any other link (``javascript:``, ``data:``, ``file:``, ``//host``) loses its
target, and an image from anywhere but the pack's own ``images/`` folder is
shown as its description, so nothing is ever fetched.
"""
from __future__ import annotations

import html
from typing import Any

from companion.collation import sort_key
from companion.content.pack import Pack, Topic
from companion.messages import t, t_count

EXTENSIONS = ["tables", "sane_lists", "toc"]


IN_APP_SCHEMES = ("topic", "glossary", "worksheet", "page")
WEB_SCHEMES = ("http", "https", "mailto")


def safe_link(href: str) -> bool:
    """A link the reader may follow: in the app, to the web (asked first), an anchor."""
    target = href.strip()
    scheme, sep, rest = target.partition(":")
    if sep:
        return scheme in IN_APP_SCHEMES or (scheme.lower() in WEB_SCHEMES and (
            scheme.lower() == "mailto" or rest.startswith("//")))
    return not target.startswith(("//", "\\"))


def safe_image(src: str) -> bool:
    """Only the pack's own images; never the web, a file path or a network share."""
    target = src.strip().replace("\\", "/")
    return target.startswith("images/") and ":" not in target and ".." not in target.split("/")


def _neutralise(root: Any) -> None:
    """Drop link targets and images that could load or run anything."""
    for element in root.iter():
        if element.tag == "a" and not safe_link(element.get("href", "")):
            element.attrib.pop("href", None)
        elif element.tag == "img" and not safe_image(element.get("src", "")):
            alt = element.get("alt", "")
            element.tag = "span"
            element.attrib.clear()
            element.set("class", "image-removed")
            element.text = f"[{alt}]" if alt else ""


def _converter():
    """A Markdown converter with raw HTML off and _neutralise last. Python-Markdown
    is imported here, when the first text is converted, not at start-up: the
    window opens on the home page, which is not Markdown."""
    import markdown
    from markdown.treeprocessors import Treeprocessor

    class Neutralise(Treeprocessor):
        def run(self, root) -> None:
            _neutralise(root)

    md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(Neutralise(md), "neutralise", -10)
    return md


def to_html(text: str) -> str:
    """Markdown to HTML, with raw HTML escaped."""
    return _converter().convert(text)


def topic_html(pack: Pack, topic: Topic) -> str:
    """A topic as one HTML page: title, module, body, and its worksheets and terms."""
    module = pack.module(topic.module_id)
    parts = []
    shown_in = pack.language_of("topic", topic.id)
    if shown_in != pack.language:  # a translation that lacks this topic: shown from the pack it translates
        from companion.content.translation import language_name

        parts.append(f'<p class="untranslated"><b>{html.escape(t("translation.not_translated", language=language_name(shown_in)))}'
                     f'</b></p>')
    if module is not None:
        parts.append(f'<p class="kicker">{html.escape(module.title)}</p>')
    parts.append(f"<h1>{html.escape(topic.title)}</h1>")
    if topic.summary:
        parts.append(f'<p class="summary">{html.escape(topic.summary)}</p>')
    check = pack.checks.get(topic.id)
    if check is not None and check.key_messages:
        items = "".join(f"<li>{html.escape(message)}</li>" for message in check.key_messages)
        parts.append(f'<table class="key-messages" width="100%"><tr><td><p><b>{html.escape(t("checks.key_messages"))}'
                     f'</b></p><ul>{items}</ul></td></tr></table>')
    parts.append(to_html(topic.body))
    if check is not None and check.questions:
        parts.append(f'<h2 id="knowledge-check">{html.escape(t("checks.title"))}</h2>'
                     f'<p><a href="check:{html.escape(topic.id)}">'
                     f'{html.escape(t_count("checks.open", len(check.questions)))}</a></p>')
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
    for term in sorted(pack.glossary.values(), key=lambda g: sort_key(g.term, pack.language)):
        see = ", ".join(
            f'<a href="glossary:{html.escape(o)}">{html.escape(pack.glossary[o].term)}</a>'
            for o in term.see_also if o in pack.glossary
        )
        rows.append(f'<h3><a name="{html.escape(term.id)}"></a>{html.escape(term.term)}</h3>')
        rows.append(f"<p>{html.escape(term.definition)}</p>")
        if see:
            rows.append(f'<p class="see">{html.escape(t("reader.see_also"))} {see}</p>')
    return "\n".join(rows)
