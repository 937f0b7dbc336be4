"""See how far you have come: topics read, where the person left off, the
next step in the course, each module's progress, bookmarks and notes."""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from companion.errors import InputError
from companion.messages import t
from companion.storage.notes import NoteStore
from companion.storage.progress import CompletionRow, ProgressStore

if TYPE_CHECKING:
    from companion.content.checks import Question
    from companion.workbook import Workbook
    from companion.worksheets.model import Worksheet

LAST_OPENED = "study.last_opened"


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
    checks_answered: int = 0  # topics whose knowledge check is answered in full
    checks: int = 0
    pending: bool = False  # a worksheet's completion is still being worked out: ``percent`` is not yet known


class QuestionState(NamedTuple):
    question: "Question"
    chosen: list[str]        # the options the person chose last ([] before any answer)
    right: bool | None       # None before any answer
    answered_at: str


class CheckState(NamedTuple):
    """A topic's key messages and knowledge check, with the person's answers."""
    topic_id: str
    key_messages: tuple[str, ...]
    questions: list[QuestionState]

    @property
    def answered(self) -> bool:
        return all(q.right is not None for q in self.questions)

    @property
    def right(self) -> int:
        return sum(1 for q in self.questions if q.right)


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
    pending: int = 0  # worksheets whose completion is still being worked out (see Study.work_out_completions)


def completion_key(template) -> str:
    """What a kept completion is valid for: the template and its version."""
    return f"{template.id}@{template.version}"


# -- the study of one workbook -----------------------------------------------------------------

class Study:
    def __init__(self, workbook: "Workbook") -> None:
        self.workbook = workbook
        self._database = None

    def _stores(self) -> tuple[ProgressStore, NoteStore]:
        """The stores on the open database (made again when the workbook opens it again)."""
        database = self.workbook._db
        if database is not self._database:
            self._database = database
            self._progress, self._notes = ProgressStore(database), NoteStore(database)
        return self._progress, self._notes

    @property
    def progress(self) -> ProgressStore:
        return self._stores()[0]

    @property
    def note_store(self) -> NoteStore:
        return self._stores()[1]

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

    def record_opened(self, kind: str, ident: Any) -> None:
        """Remember the topic or worksheet the person opened last."""
        if kind == "open":
            kind = "worksheet"
        if kind not in ("topic", "worksheet"):
            return
        ident = str(ident).partition("#")[0]
        value = json.dumps({"kind": kind, "id": ident, "at": dt.datetime.now(dt.timezone.utc).isoformat()})
        self.workbook._db.set_setting(LAST_OPENED, value)

    def last_opened(self) -> Place | None:
        try:
            data = json.loads(self.workbook._db.setting(LAST_OPENED) or "null")
            kind, ident, at = data["kind"], str(data["id"]), str(data.get("at", ""))
        except (ValueError, TypeError, KeyError):
            return None
        if kind == "topic":
            topic = self.workbook.pack.topic(ident)
            return Place(kind, ident, topic.title, at) if topic else None
        if kind == "worksheet":
            worksheet = self.workbook._worksheets.get(int(ident), with_answers=False) if ident.isdigit() else None
            return Place(kind, ident, worksheet.title, at) if worksheet else None
        return None

    def worksheet_completions(self, work_out: bool = True) -> list[CompletionRow]:
        """Every live worksheet with its completion: kept when it was saved,
        worked out again only for a worksheet whose template version changed
        since (or that was saved by an older companion). ``work_out=False``:
        those are left as None, to be worked out later (:meth:`work_out_completions`)."""
        keys = {template_id: completion_key(template) for template_id, template in self.workbook.pack.templates.items()}
        rows = self.progress.completions(keys)
        if not work_out or all(r.completion is not None for r in rows):
            return rows
        self.work_out_completions()
        return self.progress.completions(keys)

    def work_out_completions(self, limit: int | None = None) -> int:
        """Work out and keep the completions not known (at most ``limit`` of them);
        returns how many are still not known."""
        templates = self.workbook.pack.templates
        keys = {template_id: completion_key(template) for template_id, template in templates.items()}
        stale = [r for r in self.progress.completions(keys) if r.completion is None]
        now = stale if limit is None else stale[:limit]
        computed: dict[int, int] = {}
        for row in now:
            worksheet = self.workbook._worksheets.get(row.worksheet_id) if row.template_id in templates else None
            computed[row.worksheet_id] = self.workbook.book.completion(worksheet) if worksheet else 0
        self.progress.store_completions(
            [(r.worksheet_id, r.updated_at, keys.get(r.template_id, ""), computed[r.worksheet_id]) for r in now])
        return len(stale) - len(now)

    def keep_completion(self, worksheet: "Worksheet", value: int | None = None) -> int:
        """Keep a worksheet's completion (worked out now unless given) as it is
        saved, so that no list, Home or command ever computes it for every
        worksheet at start."""
        template = self.workbook.book.template_of(worksheet)
        value = self.workbook.book.completion(worksheet) if value is None else value
        self.progress.store_completions([(worksheet.id, worksheet.updated_at, completion_key(template), value)])
        return value

    def module_progress(self, completions: list[CompletionRow] | None = None,
                        read: dict[str, str] | None = None) -> list[ModuleProgress]:
        """Per module: topics read, and the best completion of each of its worksheets."""
        pack = self.workbook.pack
        read = self.read_topics() if read is None else read
        completions = self.worksheet_completions() if completions is None else completions
        best: dict[str, int] = {}
        unknown = set()  # templates with a worksheet whose completion is not worked out yet
        for row in completions:
            best[row.template_id] = max(best.get(row.template_id, 0), row.completion or 0)
            if row.completion is None:
                unknown.add(row.template_id)
        answered = self.checks_answered()
        out = []
        for module in pack.modules:
            topics = [tp.id for tp in module.topics]
            templates = [tp.id for tp in pack.templates_of(module.id)]
            checks = [tp for tp in topics if tp in pack.checks]
            done = sum(1 for tp in topics if tp in read)
            checked = sum(1 for tp in checks if tp in answered)
            units = len(topics) + len(templates) + len(checks)
            score = done + checked + sum(best.get(tp, 0) for tp in templates) / 100
            out.append(ModuleProgress(
                module.id, module.number, module.title, done, len(topics),
                sum(1 for tp in templates if tp in best), len(templates),
                round(100 * score / units) if units else 0, topics[0] if topics else "", checked, len(checks),
                any(tp in unknown for tp in templates)))
        return out

    # knowledge checks ---------------------------------------------------------------------------------
    def check(self, topic_id: str) -> CheckState | None:
        """A topic's key messages and knowledge check with the answers given (None: it has none)."""
        self._topic(topic_id)
        found = self.workbook.pack.checks.get(topic_id)
        if found is None:
            return None
        given = self.progress.answers(topic_id)
        questions = []
        for question in found.questions:
            chosen, right, at = given.get((topic_id, question.id), ([], None, ""))
            known = [c for c in chosen if question.option(c) is not None]
            questions.append(QuestionState(question, known, question.is_right(known) if chosen else None, at))
        return CheckState(topic_id, found.key_messages, questions)

    def answer_question(self, topic_id: str, question_id: str, chosen: list[str]) -> QuestionState:
        """Keep the person's answer to one question; says whether it is right
        (each option's feedback is on the question). Wrong ids are refused."""
        self._topic(topic_id)
        found = self.workbook.pack.checks.get(topic_id)
        question = found.question(question_id) if found else None
        if question is None:
            raise InputError(t("checks.unknown_question", topic=topic_id, id=question_id))
        picked = list(dict.fromkeys(str(c) for c in chosen))
        unknown = [c for c in picked if question.option(c) is None]
        if unknown:
            raise InputError(t("checks.unknown_option", id=question_id, option=unknown[0],
                               known=", ".join(o.id for o in question.options)))
        if not picked or (question.kind == "single" and len(picked) != 1):
            raise InputError(t("checks.choose_one" if question.kind == "single" else "checks.choose_some",
                               id=question_id))
        picked.sort(key=[o.id for o in question.options].index)
        right = question.is_right(picked)
        stamp = self.progress.answer(topic_id, question_id, picked, right)
        return QuestionState(question, picked, right, stamp)

    def check_answers(self) -> list[dict]:
        """Every knowledge-check answer as a share file carries it (by ids)."""
        return [{"topic": topic, "question": question, "chosen": chosen, "right": right, "answered_at": at}
                for (topic, question), (chosen, right, at) in sorted(self.progress.answers().items())]

    def checks_answered(self) -> dict[str, tuple[int, int]]:
        """Topic id to (questions answered right, questions) for every check answered in full."""
        given = self.progress.answers()
        out = {}
        for topic_id, found in self.workbook.pack.checks.items():
            states = [given.get((topic_id, q.id)) for q in found.questions]
            if found.questions and all(states):
                out[topic_id] = (sum(1 for q, st in zip(found.questions, states) if q.is_right(st[0])),
                                 len(found.questions))
        return out

    def schedule(self) -> list[tuple[str, str]]:
        """(kind, id) of the topics and worksheets in course order: the
        schedule page's links, then anything it leaves out in module order.

        The page's introduction (the text before its first heading) names
        what the whole course builds towards (the action plan, finished on
        the last day); its links come after those of the days, so that the
        first step is the first item of the first day."""
        pack = self.workbook.pack
        order: list[tuple[str, str]] = []
        page = pack.pages.get("schedule")
        body = page.body if page else ""
        heading = re.search(r"^#{1,6}\s", body, re.MULTILINE)
        if heading:
            body = body[heading.start():] + "\n" + body[:heading.start()]
        for kind, ident in re.findall(r"\]\((topic|worksheet):([A-Za-z0-9_-]+)", body):
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
        if drafts:  # the least complete of those known (any, while none is)
            row = min(drafts, key=lambda r: (r.completion is None, r.completion or 0, r.updated_at))
            return Step("finish", str(row.worksheet_id), row.title)
        return None

    def overview(self, today: dt.date | None = None, work_out: bool = True) -> Overview:
        """Everything the home view shows, in one call (``work_out=False``: the completions
        not kept are left unknown, counted in ``pending``, for :meth:`work_out_completions`)."""
        read = self.read_topics()
        completions = self.worksheet_completions(work_out)
        return Overview(
            modules=self.module_progress(completions, read), last=self.last_opened(),
            next_step=self.next_step(completions, read), recent=completions[:5],
            due=self.workbook.followup.due(today), read=len([tp for tp in self.workbook.pack.topics()
                                                              if tp.id in read]),
            topics=sum(1 for _ in self.workbook.pack.topics()),
            pending=sum(1 for r in completions if r.completion is None))

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
        stamp = self.note_store.save("topic", topic_id, text.replace("\r\n", "\n"))
        self.workbook.search.update_index()
        return stamp

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
