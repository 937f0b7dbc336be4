"""Find anything: full-text search over the course content and the
participant's own words (worksheets and notes).

The index is kept up to date without re-indexing at each start: the content
is indexed again only when the content pack's signature (id, version, and
the names, sizes and times of its files) changes, and the participant's
worksheets and notes are queued by database triggers whenever anything
changes them, then indexed just before the next search.
"""
from __future__ import annotations

import html
import re
import unicodedata
from typing import TYPE_CHECKING, Iterator, NamedTuple

from companion.errors import InputError
from companion.messages import t
from companion.storage import search as index_mod
from companion.timefmt import fingerprint
from companion.workbook.derived import raw_text

if TYPE_CHECKING:
    from companion.workbook import Workbook
    from companion.workbook.derived import Split
    from companion.worksheets.model import Worksheet

INDEX_FORMAT = "4"  # change when what is indexed changes, to index the content again
KIND_ORDER = ("topic", "glossary", "worksheet", "note", "template", "page")


# -- queries ------------------------------------------------------------------------------------

def _is_token_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LN" or category == "Co"


def words(text: str) -> list[list[str]]:
    """The query's words, each as the tokens FTS5's unicode61 tokenizer makes of it."""
    out = []
    for chunk in unicodedata.normalize("NFC", text or "").split():
        tokens, current = [], []
        for ch in chunk:
            if _is_token_char(ch):
                current.append(ch)
            elif current:
                tokens.append("".join(current))
                current = []
        if current:
            tokens.append("".join(current))
        if tokens:
            out.append(tokens)
    return out


def fts_query(text: str, prefix: bool = True) -> str | None:
    """The person's words as a safe FTS5 expression: every word must occur
    (a word cut by punctuation, as in "co-funded", as a phrase); the last word
    also matches longer words that start with it. None when there are no words."""
    found = words(text)
    if not found:
        return None
    terms = ['"' + " ".join(tokens) + '"' for tokens in found]
    last = found[-1]
    if prefix and len(last) == 1 and len(last[0]) >= 2 and _is_token_char(text[-1:] or " "):
        terms[-1] += "*"
    return " ".join(terms)


_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
                    "\u064b-\u065f\u0670]")


def fold(text: str) -> str:
    """Lower case without diacritics, as the index compares words."""
    return _MARKS.sub("", unicodedata.normalize("NFD", text)).casefold()


def folded_with_positions(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each of its characters, the index in ``text`` it came from."""
    out, where = [], []
    for i, ch in enumerate(text):
        for piece in fold(ch):
            out.append(piece)
            where.append(i)
    return "".join(out), where


def find_terms(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) in ``text`` of every occurrence of the query's words, ignoring case and diacritics."""
    folded, where = folded_with_positions(text)
    spans = []
    for tokens in words(query):
        needle = fold(" ".join(tokens))
        if not needle:
            continue
        start = folded.find(needle)
        while start >= 0:
            end = start + len(needle)
            spans.append((where[start], where[end - 1] + 1))
            start = folded.find(needle, end)
    return sorted(spans)


# -- results ------------------------------------------------------------------------------------

class SearchResult(NamedTuple):
    kind: str      # topic, glossary, worksheet, note, template, page
    id: str        # for a topic or page passage "TOPIC#ANCHOR"; for a note "topic:TOPIC"
    title: str     # with the matched words between \x02 and \x03
    snippet: str   # the same
    score: float   # higher is better

    @property
    def link(self) -> tuple[str, str]:
        """(kind, id) as the window's open_link takes them."""
        if self.kind == "worksheet":
            return "open", self.id
        if self.kind == "note":
            kind, _, ident = self.id.partition(":")
            return kind, ident
        return self.kind, self.id

    @staticmethod
    def marked(text: str, before: str, after: str, escape: bool = False) -> str:
        text = html.escape(text) if escape else text
        return text.replace(index_mod.OPEN, before).replace(index_mod.CLOSE, after)

    def plain_title(self) -> str:
        return self.marked(self.title, "", "")

    def as_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "title": self.plain_title(),
                "snippet": self.marked(self.snippet, "**", "**"), "score": round(self.score, 4)}


# -- the search of one workbook -------------------------------------------------------------

class Search:
    def __init__(self, workbook: "Workbook") -> None:
        self.workbook = workbook
        self._database = None
        self._index: index_mod.SearchIndex | None = None
        self._indexed_key: str | None = None  # the content key the index was checked against

    @property
    def index(self) -> index_mod.SearchIndex:
        """The index on the open database (made again when the workbook opens it again)."""
        database = self.workbook._db
        if database is not self._database:
            self._database, self._indexed_key = database, None
            self._index = index_mod.SearchIndex(database)
        return self._index

    # the content's signature -------------------------------------------------------
    def content_key(self) -> str:
        """Pack id and version and a hash of its files' names, sizes and times
        (as seen when the workbook loaded the pack, so a pack installed since
        has a key of its own)."""
        pack = self.workbook.pack
        digest = fingerprint(f"{INDEX_FORMAT}|{pack.id}|{pack.version}|{self.workbook.content_files}")
        return f"{pack.id}@{pack.version}:{digest.hexdigest()[:16]}"

    # queries ---------------------------------------------------------------------------
    def prepare(self) -> None:
        """Bring the index up to date: the content if the pack changed, then queued changes."""
        index = self.index
        key = self.content_key()
        if key != self._indexed_key:
            if index.content_key() != key:
                index.replace_content(self._content_rows(), key)
            self._indexed_key = key
        if index.has_pending():
            self._index_pending()

    def update_index(self) -> None:
        """Index the worksheets and notes changed since the last time, now
        (after a save or an import), so that no search waits for them."""
        index = self.index
        if index.has_pending():
            self._index_pending()

    def _index_pending(self) -> None:
        pending = self.index.pending()
        rows: dict[tuple[str, int], index_mod.Row | None] = {}
        for kind, item_id in pending:
            if kind == "worksheet":
                rows[(kind, item_id)] = self._worksheet_row(item_id)
            elif kind == "note":
                rows[(kind, item_id)] = self._note_row(item_id)
        self.index.update(pending, rows)

    def find(self, query: str, per_kind: int = 8) -> list[SearchResult]:
        """Results of every kind, grouped in KIND_ORDER, the best first within a kind."""
        if not (query or "").strip():
            raise InputError(t("search.empty"))
        match = fts_query(query)
        if match is None:
            return []
        self.prepare()
        results = []
        for kind in KIND_ORDER:
            passages = kind in ("topic", "page")  # several passages of one page: keep the best
            hits = self.index.search(match, kind, per_kind * 3 if passages else per_kind)
            seen: set[str] = set()
            for hit in hits:
                document = hit.ref.partition("#")[0]
                if passages and document in seen:
                    continue
                seen.add(document)
                results.append(SearchResult(hit.kind, hit.ref, hit.title, hit.snippet, hit.score))
                if len(seen) >= per_kind:
                    break
        return results

    def matching_field(self, worksheet_id: int, query: str) -> str | None:
        """The field of a worksheet holding most of the query's words (the
        first of equals), to show a worksheet found by a search where it matched."""
        needles = [fold(" ".join(tokens)) for tokens in words(query)]
        template_id = self.workbook._worksheets.get(worksheet_id, with_answers=False)
        template = self.workbook.pack.templates.get(template_id.template_id) if template_id else None
        if template is None:
            return None
        texts = self.index.answer_texts(worksheet_id)
        best, found = 0, None
        for f in template.fields():
            if f.id not in texts:
                continue
            text = fold(texts[f.id])
            count = sum(1 for needle in needles if needle and needle in text)
            if count > best:
                best, found = count, f.id
        return found

    # what is indexed -----------------------------------------------------------------------
    def _content_rows(self) -> Iterator[index_mod.Row]:
        from companion.content.markdown import to_html

        pack = self.workbook.pack
        for topic in pack.topics():
            module = pack.module(topic.module_id)
            intro = f"{topic.summary}\n{module.title if module else ''}"
            parts = list(_sections(to_html(topic.body)))
            if not parts or parts[0][0]:  # the text opens with a heading: the topic itself, by its summary
                yield index_mod.Row("topic", topic.id, topic.title, intro)
            for anchor, heading, text in parts:
                if anchor and not text:
                    continue  # a heading whose text is all in its subsections: nothing to show as a snippet
                title = f"{topic.title} › {heading}" if heading else topic.title
                body = f"{intro}\n{text}" if not anchor else text
                yield index_mod.Row("topic", f"{topic.id}#{anchor}" if anchor else topic.id, title, body)
        for topic_id, check in pack.checks.items():  # key messages and questions, found with their topic
            topic = pack.topic(topic_id)
            if topic is None:
                continue
            lines = list(check.key_messages)
            for question in check.questions:
                lines.append(question.text)
                lines += [option.text for option in question.options]
            yield index_mod.Row("topic", f"{topic_id}#knowledge-check", f"{topic.title} › {t('checks.title')}",
                                "\n".join(lines))
        for page in pack.pages.values():
            for anchor, heading, text in _sections(to_html(page.body)):
                if anchor and not text:
                    continue
                title = f"{page.title} › {heading}" if heading else page.title
                yield index_mod.Row("page", f"{page.id}#{anchor}" if anchor else page.id, title, text)
        for term in pack.glossary.values():
            yield index_mod.Row("glossary", term.id, term.term, term.definition)
        for template in pack.templates.values():
            labels = " · ".join(f.label for f in template.fields())
            yield index_mod.Row("template", template.id, template.title,
                                f"{template.summary}\n{_plain(to_html(template.instructions or ''))}\n{labels}")

    def _worksheet_row(self, worksheet_id: int) -> index_mod.Row | None:
        worksheet = self.workbook._worksheets.get(worksheet_id)
        if worksheet is None:
            return None
        template = self.workbook.pack.templates.get(worksheet.template_id)
        if template is not None:
            return self.worksheet_row(worksheet, self.workbook.book.split(worksheet.id, template, worksheet.answers))
        lines = [raw_text(value) for value in worksheet.answers.values()]
        return index_mod.Row("worksheet", str(worksheet.id), worksheet.title,
                             "\n".join(line for line in lines if line))

    @staticmethod
    def worksheet_row(worksheet: "Worksheet", split: "Split") -> index_mod.Row:
        """A worksheet's row in the index, from its answers split against its template."""
        return index_mod.Row("worksheet", str(worksheet.id), worksheet.title, split.words)

    def keep_row(self, row: index_mod.Row) -> None:
        """Put a worksheet's row in the index now (inside the transaction of its save)."""
        item = ("worksheet", int(row.ref))
        self.index.update([item], {item: row})

    def _note_row(self, note_id: int) -> index_mod.Row | None:
        note = self.workbook.study.note_store.by_id(note_id)
        if note is None:
            return None
        title = self._target_title(note.target_kind, note.target_id)
        return index_mod.Row("note", f"{note.target_kind}:{note.target_id}", title, note.body)

    def _target_title(self, kind: str, ident: str) -> str:
        if kind == "topic":
            topic = self.workbook.pack.topic(ident)
            return topic.title if topic else ident
        return ident



# -- text of content and answers ---------------------------------------------------------------------

_HEADING = re.compile(r'<h([1-6])(?: id="([^"]*)")?>(.*?)</h\1>', re.S)
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|div|br|hr|table|thead|tbody|tr|td|th|blockquote|pre)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def _plain(fragment: str) -> str:
    """Rendered HTML as plain text: blocks apart, inline markup (links, emphasis) gone."""
    return " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", fragment))).split())


def _sections(body_html: str) -> Iterator[tuple[str, str, str]]:
    """(anchor, heading, plain text) of each part of a rendered topic; the part
    before the first heading has no anchor."""
    position, anchor, heading = 0, "", ""
    for match in _HEADING.finditer(body_html):
        text = _plain(body_html[position:match.start()])
        if text or anchor:
            yield anchor, heading, text
        anchor, heading, position = match.group(2) or "", _plain(match.group(3)), match.end()
    text = _plain(body_html[position:])
    if text or anchor:
        yield anchor, heading, text
