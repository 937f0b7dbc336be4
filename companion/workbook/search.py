"""Find anything: full-text search over the course content and the
participant's own words (worksheets and notes).

The index is kept up to date without re-indexing at each start: the content
is indexed again only when the content pack's signature (id, version, and
the names, sizes and times of its files) changes, and the participant's
worksheets and notes are queued by database triggers whenever anything
changes them, then indexed just before the next search.

Words are compared folded (:func:`companion.folding.fold`: no case, no
accents, Arabic letter variants and marks folded), the same for the pack's
text, the participant's and the query, whatever the language. Each row of
content carries its language (a topic a translation lacks is in English);
the participant's words are indexed as typed, never in a language, so
changing language indexes only the content again, in the background
(:meth:`Search.refresh_in_background`): searches meanwhile find the content
indexed before, each result saying its language.
"""
from __future__ import annotations

import html
import threading
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple

from companion.errors import InputError, StorageError
from companion.folding import fold
from companion.messages import t
from companion.storage import search as index_mod
from companion.timefmt import fingerprint
from companion.workbook.search_text import (  # noqa: F401 - the words of a search, for the window and tests
    CLOSE, OPEN, find_terms, fts_query, marked, needles, plain, raw_text, sections, snippet, words,
)

if TYPE_CHECKING:
    from companion.workbook import Workbook
    from companion.workbook.derived import Split
    from companion.worksheets.model import Worksheet

INDEX_FORMAT = "5"  # change when what is indexed changes, to index the content again
KIND_ORDER = ("topic", "glossary", "worksheet", "note", "template", "page")


# -- results ------------------------------------------------------------------------------------

class SearchResult(NamedTuple):
    kind: str      # topic, glossary, worksheet, note, template, page
    id: str        # for a topic or page passage "TOPIC#ANCHOR"; for a note "topic:TOPIC"
    title: str     # with the matched words between \x02 and \x03
    snippet: str   # the same
    score: float   # higher is better
    language: str = ""  # of the content found ("" for the participant's own words)

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
        return text.replace(OPEN, before).replace(CLOSE, after)

    def plain_title(self) -> str:
        return self.marked(self.title, "", "")

    def as_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "title": self.plain_title(),
                "snippet": self.marked(self.snippet, "**", "**"), "score": round(self.score, 4),
                "language": self.language}


# -- the search of one workbook -------------------------------------------------------------

class Search:
    def __init__(self, workbook: "Workbook") -> None:
        self.workbook = workbook
        self._database = None
        self._index: index_mod.SearchIndex | None = None
        self._indexed_key: str | None = None  # the content key the index was checked against
        self._lock = threading.Lock()
        self._wanted: tuple[Any, str] | None = None  # (pack, key) the worker indexes
        self._worker: threading.Thread | None = None

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
        """Bring the index up to date: the content if the pack changed (unless
        it is being indexed in the background: the rows there serve till then),
        then queued changes."""
        index = self.index
        if self._worker is None or not index.has_content():
            key = self.content_key()
            if key != self._indexed_key:
                if index.content_key() != key:
                    index.replace_content(self._content_rows(self.workbook.pack), key)
                self._indexed_key = key
        if index.has_pending():
            self._index_pending()

    def refresh_in_background(self) -> None:
        """Index the content of the pack shown now on a worker thread with its
        own connection (after a change of language): no search waits for it."""
        self.index  # noqa: B018 - the database is open before the worker needs its path
        with self._lock:
            self._wanted = (self.workbook.pack, self.content_key())
            if self._worker is not None:
                return  # the worker takes the newest pack when it is done with this one
            self._worker = threading.Thread(target=self._index_content, args=(self.workbook._db.path,),
                                            name="search-content", daemon=True)
        self._worker.start()

    def wait_for_index(self, timeout: float | None = None) -> None:
        """Wait for the content being indexed in the background (for the command line and tests)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def _index_content(self, path) -> None:
        from companion.storage.db import Database

        database = None
        try:
            database = Database(path)
            index = index_mod.SearchIndex(database)
            while True:
                with self._lock:
                    pack, key = self._wanted
                if index.content_key() != key:
                    index.replace_content(self._content_rows(pack), key)
                with self._lock:
                    if self._wanted[1] == key:
                        self._worker = None
                        return
        except StorageError:
            with self._lock:
                self._worker = None  # the next search indexes the content itself
        finally:
            if database is not None:
                database.close()

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
                results.append(SearchResult(hit.kind, hit.ref, marked(hit.title, query),
                                            snippet(hit.body, query, folded=hit.folded_body), hit.score,
                                            hit.language))
                if len(seen) >= per_kind:
                    break
        return results

    def matching_field(self, worksheet_id: int, query: str) -> str | None:
        """The field of a worksheet holding most of the query's words (the
        first of equals), to show a worksheet found by a search where it matched."""
        wanted = needles(query)
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
            count = sum(1 for needle in wanted if needle in text)
            if count > best:
                best, found = count, f.id
        return found

    # what is indexed -----------------------------------------------------------------------
    def _content_rows(self, pack) -> Iterator[index_mod.Row]:
        """Every passage of the content, with the language it is written in."""
        from companion.content.markdown import to_html

        for row in self._passages(pack, to_html):
            ident, _, anchor = row.ref.partition("#")
            kind = "check" if anchor == "knowledge-check" else "worksheet" if row.kind == "template" else row.kind
            yield row._replace(language=pack.language_of(kind, ident))

    def _passages(self, pack, to_html) -> Iterator[index_mod.Row]:
        for topic in pack.topics():
            module = pack.module(topic.module_id)
            intro = f"{topic.summary}\n{module.title if module else ''}"
            parts = list(sections(to_html(topic.body)))
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
            for anchor, heading, text in sections(to_html(page.body)):
                if anchor and not text:
                    continue
                title = f"{page.title} › {heading}" if heading else page.title
                yield index_mod.Row("page", f"{page.id}#{anchor}" if anchor else page.id, title, text)
        for term in pack.glossary.values():
            yield index_mod.Row("glossary", term.id, term.term, term.definition)
        for template in pack.templates.values():
            labels = " · ".join(f.label for f in template.fields())
            yield index_mod.Row("template", template.id, template.title,
                                f"{template.summary}\n{plain(to_html(template.instructions or ''))}\n{labels}")

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
        return index_mod.Row("worksheet", str(worksheet.id), worksheet.title, split.words, folded_body=split.folded)

    def keep_row(self, row: index_mod.Row, maybe_held: bool = False) -> None:
        """Put a worksheet's row in the index now (inside the transaction of its save);
        ``maybe_held`` (its words are as at the last save): not again if the index holds it."""
        item = ("worksheet", int(row.ref))
        self.index.update([item], {item: row}, keep_held=maybe_held)

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
