"""Find anything, see how far you have come: written once for the CLI and the UI.

:func:`study` gives the :class:`Study` of a workbook: full-text search over
the course content and the participant's own words, topics read, where the
person left off, the next step in the course, bookmarks and personal notes.

The search index is kept up to date without re-indexing at each start: the
content is indexed again only when the content pack's signature (id,
version, and the names, sizes and times of its files) changes, and the
participant's worksheets and notes are queued by database triggers whenever
anything changes them, then indexed just before the next search.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
import weakref
from typing import Any, Iterator, NamedTuple

from companion.errors import InputError
from companion.messages import t
from companion.storage import search as index_mod
from companion.storage.db import guard
from companion.storage.notes import NoteStore
from companion.storage.progress import CompletionRow, ProgressStore
from companion.timefmt import fingerprint
from companion.worksheets import answers as answers_mod

INDEX_FORMAT = "3"  # change when what is indexed changes, to index the content again
KIND_ORDER = ("topic", "glossary", "worksheet", "note", "template", "page")
LAST_OPENED = "study.last_opened"


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


class ModuleProgress(NamedTuple):
    module_id: str
    number: int
    title: str
    topics_read: int
    topics: int
    worksheets_started: int
    worksheets: int
    percent: int
    first_topic: str


class Place(NamedTuple):
    kind: str   # "topic" or "worksheet"
    id: str
    title: str
    at: str


class Step(NamedTuple):
    kind: str   # "topic", "worksheet" (a template not started) or "finish" (a worksheet to complete)
    id: str
    title: str


class NoteEntry(NamedTuple):
    kind: str          # what the note is on: "topic"
    target_id: str
    title: str         # the topic's title
    module: str        # the module's title
    body: str
    updated_at: str
    bookmarked: bool


class Bookmark(NamedTuple):
    topic_id: str
    title: str
    module: str
    created_at: str


class Overview(NamedTuple):
    modules: list[ModuleProgress]
    last: Place | None
    next_step: Step | None
    recent: list[CompletionRow]
    due: list
    read: int
    topics: int


# -- the study of one workbook -----------------------------------------------------------------

_STUDIES: "weakref.WeakKeyDictionary[Any, Study]" = weakref.WeakKeyDictionary()


def study(workbook) -> "Study":
    """The one Study of this workbook."""
    found = _STUDIES.get(workbook)
    if found is None:
        found = _STUDIES[workbook] = Study(workbook)
    return found


def notes(workbook) -> list[NoteEntry]:
    """Every personal note, the most recently changed first (for exports)."""
    return study(workbook).notes()


class Study:
    def __init__(self, workbook) -> None:
        self.workbook = workbook
        self._database = None
        self._indexed_key: str | None = None  # the content key the index was checked against

    # stores (made again when the workbook opens its database again) ---------------
    def _stores(self):
        database = self.workbook.database
        if database is not self._database:
            self._database = database
            self._indexed_key = None
            self._index = index_mod.SearchIndex(database)
            self._progress = ProgressStore(database)
            self._notes = NoteStore(database)
        return self._index, self._progress, self._notes

    @property
    def index(self) -> index_mod.SearchIndex:
        return self._stores()[0]

    @property
    def progress(self) -> ProgressStore:
        return self._stores()[1]

    @property
    def note_store(self) -> NoteStore:
        return self._stores()[2]

    # preferences (text size, theme), kept in the database's settings ----------------
    def preference(self, name: str, default: str | None = None) -> str | None:
        return self.workbook.database.setting(f"ui.{name}", default)

    def set_preference(self, name: str, value: str) -> None:
        """Keep a preference; a disk that refuses comes out as StorageError."""
        database = self.workbook.database
        with guard(database.path):
            database.set_setting(f"ui.{name}", str(value))

    # the content's signature -------------------------------------------------------
    def content_key(self) -> str:
        """Pack id and version and a hash of its files' names, sizes and times
        (as seen when the workbook loaded the pack, so a pack installed since
        has a key of its own)."""
        pack = self.workbook.pack
        digest = fingerprint(f"{INDEX_FORMAT}|{pack.id}|{pack.version}|{self.workbook.content_files}")
        return f"{pack.id}@{pack.version}:{digest.hexdigest()[:16]}"

    # search ---------------------------------------------------------------------------
    def prepare_search(self) -> None:
        """Bring the index up to date: the content if the pack changed, then queued changes."""
        index = self.index
        key = self.content_key()
        if key != self._indexed_key:
            if index.content_key() != key:
                index.replace_content(self._content_rows(), key)
            self._indexed_key = key
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

    def search(self, query: str, per_kind: int = 8) -> list[SearchResult]:
        """Results of every kind, grouped in KIND_ORDER, the best first within a kind."""
        if not (query or "").strip():
            raise InputError(t("search.empty"))
        match = fts_query(query)
        if match is None:
            return []
        self.prepare_search()
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
        template_id = self.workbook.store.get(worksheet_id, with_answers=False)
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
        worksheet = self.workbook.store.get(worksheet_id)
        if worksheet is None:
            return None
        lines = []
        template = self.workbook.pack.templates.get(worksheet.template_id)
        if template is not None:
            fitting, earlier = answers_mod.split_answers(template, worksheet.answers)
            lines = [_answer_text(f, fitting.get(f.id)) for f in template.fields()]
            lines += [_raw_text(value) for value in earlier.values()]
        else:
            lines = [_raw_text(value) for value in worksheet.answers.values()]
        return index_mod.Row("worksheet", str(worksheet.id), worksheet.title,
                             "\n".join(line for line in lines if line))

    def _note_row(self, note_id: int) -> index_mod.Row | None:
        note = self.note_store.by_id(note_id)
        if note is None:
            return None
        title = self._target_title(note.target_kind, note.target_id)
        return index_mod.Row("note", f"{note.target_kind}:{note.target_id}", title, note.body)

    def _target_title(self, kind: str, ident: str) -> str:
        if kind == "topic":
            topic = self.workbook.pack.topic(ident)
            return topic.title if topic else ident
        return ident

    # topics read and where the person left off ------------------------------------------------
    def _topic(self, topic_id: str):
        topic = self.workbook.pack.topic(topic_id)
        if topic is None:
            raise InputError(t("cli.unknown_topic", id=topic_id))
        return topic

    def mark_read(self, topic_id: str, read: bool = True, how: str = "marked") -> None:
        self._topic(topic_id)
        if read:
            self.progress.mark_read(topic_id, how)
        else:
            self.progress.mark_unread(topic_id)

    def read_topics(self) -> dict[str, str]:
        return self.progress.read_topics()

    def is_read(self, topic_id: str) -> bool:
        return topic_id in self.progress.read_topics()

    def record_opened(self, kind: str, ident: Any) -> None:
        """Remember the topic or worksheet the person opened last."""
        if kind == "open":
            kind = "worksheet"
        if kind not in ("topic", "worksheet"):
            return
        ident = str(ident).partition("#")[0]
        value = json.dumps({"kind": kind, "id": ident, "at": dt.datetime.now(dt.timezone.utc).isoformat()})
        self.workbook.database.set_setting(LAST_OPENED, value)

    def last_opened(self) -> Place | None:
        try:
            data = json.loads(self.workbook.database.setting(LAST_OPENED) or "null")
            kind, ident, at = data["kind"], str(data["id"]), str(data.get("at", ""))
        except (ValueError, TypeError, KeyError):
            return None
        if kind == "topic":
            topic = self.workbook.pack.topic(ident)
            return Place(kind, ident, topic.title, at) if topic else None
        if kind == "worksheet":
            worksheet = self.workbook.store.get(int(ident), with_answers=False) if ident.isdigit() else None
            return Place(kind, ident, worksheet.title, at) if worksheet else None
        return None

    def worksheet_completions(self) -> list[CompletionRow]:
        """Every live worksheet with its completion, computed only where answers changed."""
        key = self.content_key()
        rows = self.progress.completions(key)
        stale = [r for r in rows if r.completion is None]
        if not stale:
            return rows
        computed: dict[int, int] = {}
        for row in stale:
            if row.template_id not in self.workbook.pack.templates:
                computed[row.worksheet_id] = 0
                continue
            worksheet = self.workbook.store.get(row.worksheet_id)
            computed[row.worksheet_id] = self.workbook.completion(worksheet) if worksheet else 0
        self.progress.store_completions(
            [(r.worksheet_id, r.updated_at, computed[r.worksheet_id]) for r in stale], key)
        return [CompletionRow(r.worksheet_id, r.template_id, r.title, r.status, r.updated_at,
                              computed.get(r.worksheet_id, r.completion)) for r in rows]

    def module_progress(self, completions: list[CompletionRow] | None = None,
                        read: dict[str, str] | None = None) -> list[ModuleProgress]:
        """Per module: topics read, and the best completion of each of its worksheets."""
        pack = self.workbook.pack
        read = self.read_topics() if read is None else read
        completions = self.worksheet_completions() if completions is None else completions
        best: dict[str, int] = {}
        for row in completions:
            best[row.template_id] = max(best.get(row.template_id, 0), row.completion or 0)
        out = []
        for module in pack.modules:
            topics = [tp.id for tp in module.topics]
            templates = [tp.id for tp in pack.templates_of(module.id)]
            done = sum(1 for tp in topics if tp in read)
            units = len(topics) + len(templates)
            score = done + sum(best.get(tp, 0) for tp in templates) / 100
            out.append(ModuleProgress(
                module.id, module.number, module.title, done, len(topics),
                sum(1 for tp in templates if tp in best), len(templates),
                round(100 * score / units) if units else 0, topics[0] if topics else ""))
        return out

    def schedule(self) -> list[tuple[str, str]]:
        """(kind, id) of the topics and worksheets in course order: the
        schedule page's links, then anything it leaves out in module order."""
        pack = self.workbook.pack
        order: list[tuple[str, str]] = []
        page = pack.pages.get("schedule")
        for kind, ident in re.findall(r"\]\((topic|worksheet):([A-Za-z0-9_-]+)", page.body if page else ""):
            if (kind, ident) not in order:
                order.append((kind, ident))
        for module in pack.modules:
            for topic in module.topics:
                if ("topic", topic.id) not in order:
                    order.append(("topic", topic.id))
        for template in self.workbook.templates():
            if ("worksheet", template.id) not in order:
                order.append(("worksheet", template.id))
        return [(k, i) for k, i in order if (pack.topic(i) if k == "topic" else pack.templates.get(i))]

    def next_step(self, completions: list[CompletionRow] | None = None,
                  read: dict[str, str] | None = None) -> Step | None:
        """The first topic not read or worksheet not started, in course order;
        then the least complete worksheet still a draft."""
        pack = self.workbook.pack
        read = self.read_topics() if read is None else read
        completions = self.worksheet_completions() if completions is None else completions
        started = {r.template_id for r in completions}
        for kind, ident in self.schedule():
            if kind == "topic" and ident not in read:
                return Step("topic", ident, pack.topic(ident).title)
            if kind == "worksheet" and ident not in started:
                return Step("worksheet", ident, pack.templates[ident].title)
        drafts = [r for r in completions if r.status != "complete" and r.template_id in pack.templates]
        if drafts:
            row = min(drafts, key=lambda r: (r.completion or 0, r.updated_at))
            return Step("finish", str(row.worksheet_id), row.title)
        return None

    def overview(self, today: dt.date | None = None) -> Overview:
        """Everything the home view shows, in one call."""
        from companion.workbook import followup

        read = self.read_topics()
        completions = self.worksheet_completions()
        return Overview(
            modules=self.module_progress(completions, read), last=self.last_opened(),
            next_step=self.next_step(completions, read), recent=completions[:5],
            due=followup.due(self.workbook, today), read=len([tp for tp in self.workbook.pack.topics()
                                                              if tp.id in read]),
            topics=sum(1 for _ in self.workbook.pack.topics()))

    # bookmarks and notes ----------------------------------------------------------------------------
    def set_bookmark(self, topic_id: str, on: bool = True) -> None:
        self._topic(topic_id)
        self.progress.set_bookmark(topic_id, on)

    def is_bookmarked(self, topic_id: str) -> bool:
        return self.progress.is_bookmarked(topic_id)

    def bookmarks(self) -> list[Bookmark]:
        pack = self.workbook.pack
        out = []
        for topic_id, created in self.progress.bookmarks():
            topic = pack.topic(topic_id)
            if topic is not None:
                module = pack.module(topic.module_id)
                out.append(Bookmark(topic_id, topic.title, module.title if module else "", created))
        return out

    def note(self, topic_id: str) -> str:
        found = self.note_store.get("topic", topic_id)
        return found.body if found else ""

    def save_note(self, topic_id: str, text: str) -> str:
        """Keep the note on a topic (empty text removes it); returns the time saved."""
        self._topic(topic_id)
        if not isinstance(text, str):
            raise InputError(t("notes.not_text"))
        return self.note_store.save("topic", topic_id, text.replace("\r\n", "\n"))

    def notes(self) -> list[NoteEntry]:
        pack = self.workbook.pack
        marked = {topic_id for topic_id, _ in self.progress.bookmarks()}
        out = []
        for row in self.note_store.all():
            topic = pack.topic(row.target_id) if row.target_kind == "topic" else None
            module = pack.module(topic.module_id) if topic else None
            out.append(NoteEntry(row.target_kind, row.target_id, topic.title if topic else row.target_id,
                                 module.title if module else "", row.body, row.updated_at,
                                 row.target_id in marked))
        return out


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


def _answer_text(f, value: Any) -> str:
    if answers_mod.is_empty(value):
        return ""
    if f.type == "table":
        if not isinstance(value, list):
            return ""
        return "\n".join(" · ".join(answers_mod.display_text(c, row.get(c.id)) for c in f.columns
                                    if not answers_mod.is_empty(row.get(c.id)))
                         for row in value if isinstance(row, dict))
    try:
        return answers_mod.display_text(f, value)
    except (TypeError, ValueError, KeyError):
        return _raw_text(value)


def _raw_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " ".join(_raw_text(v) for v in value)
    if isinstance(value, dict):
        return " ".join(_raw_text(v) for v in value.values())
    return "" if value is None else str(value)
