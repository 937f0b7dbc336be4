"""The one data model of a cohort report, and the tables every file is made from.

:class:`Cohort` holds the participants, the worksheets they handed in (one
per participant and template) and the files that could not be read. Its
:meth:`Cohort.sheets` are the tables the spreadsheet and the database both
write, row for row; the PDF prints :meth:`Cohort.roster`,
:meth:`Cohort.plans` and :meth:`Cohort.chosen`, which count the same rows.
Plain data only: the writers below (``export/``, ``storage/``) never import
this module, they read its attributes.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from companion.messages import t
from companion.worksheets import answers as answers_mod
from companion.worksheets.template import Field, Template

PLAN_TEMPLATE = "action-plan"
OBJECTIVE_FIELDS = ("smart-objective", "objective")
CHOICE_FIELDS = ("target-groups", "sdg-targets", "gcm-objectives")
CURRENCY_FIELD = "currency"


@dataclass(frozen=True)
class Person:
    number: int  # 1..n, in the roster's order
    key: str
    participant_id: str
    name: str
    organisation: str
    role: str
    city: str
    country: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class Handed:
    """A worksheet a participant handed in: its latest revision, its answers checked."""

    number: int
    person: Any  # the participant's number (their key while the files are read)
    uid: str
    template: Template
    template_version: int
    title: str
    status: str
    completion: int
    saved: dt.datetime | None
    revision: int
    file: str
    answers: dict[str, Any]

    @property
    def saved_text(self) -> str:
        return self.saved.isoformat(sep=" ", timespec="minutes") if self.saved else ""


@dataclass(frozen=True)
class NotRead:
    file: str
    reason: str


@dataclass(frozen=True)
class Column:
    key: str  # the database's column
    label: str  # the spreadsheet's header
    kind: str  # int, real, text, date or datetime


@dataclass(frozen=True)
class Sheet:
    """One table of the report: a sheet of the spreadsheet and a table of the database."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[list[Any]]
    search: tuple[str, ...] = ()  # the columns of its full-text index
    pk: str | None = None
    refs: tuple[tuple[str, str, str], ...] = ()  # (column, table, its column)


@dataclass(frozen=True)
class Activity:
    person: int
    label: str
    start: dt.date | None
    end: dt.date | None
    budget: float | None


@dataclass(frozen=True)
class Plan:
    person: Person
    worksheet: Handed
    objective: str
    chosen: dict[str, list[str]]  # choice field id: the labels chosen
    activities: list[Activity]
    budget: float | None
    currency: str


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _kind(f: Field) -> str:
    if f.type == "rating" or (f.type == "number" and f.integer):
        return "int"
    return {"number": "real", "computed": "real", "date": "date"}.get(f.type, "text")


def typed(f: Field, value: Any) -> Any:
    """A value as a typed cell: numbers as numbers, dates as dates, choices as their words."""
    if answers_mod.is_empty(value):
        return None
    if f.type in ("number", "rating", "computed") and _number(value) is not None:
        return value
    if f.type == "date":
        return answers_mod.parse_date(value)
    try:
        return answers_mod.display_text(f, value)
    except (TypeError, ValueError, KeyError):
        return str(value)


def _name(*parts: str) -> str:
    """A database table's or column's name: letters, digits and underscores."""
    return re.sub(r"[^0-9A-Za-z_]+", "_", "_".join(parts)).strip("_").lower() or "x"


class Cohort:
    def __init__(self, people: list[Person], worksheets: list[Handed], not_read: list[NotRead], set_aside: int,
                 templates: list[Template], course: str, made: dt.date, language: str = "en") -> None:
        self.people, self.worksheets, self.not_read = people, worksheets, not_read
        self.set_aside, self.templates, self.course, self.made = set_aside, templates, course, made
        self.language = language  # the content pack's: the templates' words are in it
        self._plans: list[Plan] | None = None
        self._sheets: list[Sheet] | None = None

    # what the PDF and the window show ---------------------------------------------
    def person(self, number: int) -> Person:
        return self.people[number - 1]

    def handed_templates(self) -> list[Template]:
        """The pack's templates that at least one participant handed in, in the course's order."""
        handed = {w.template.id for w in self.worksheets}
        return [tp for tp in self.templates if tp.id in handed]

    def roster(self) -> list[tuple[Person, dict[str, Handed]]]:
        """Each participant with their worksheets, by template id."""
        by_person: dict[int, dict[str, Handed]] = {p.number: {} for p in self.people}
        for w in self.worksheets:
            by_person[w.person][w.template.id] = w
        return [(p, by_person[p.number]) for p in self.people]

    def plan_template(self) -> Template | None:
        """The action plan: the template of that id, else the first whose table has a timeline."""
        found = next((tp for tp in self.templates if tp.id == PLAN_TEMPLATE), None)
        return found or next((tp for tp in self.templates for f in tp.fields()
                              if f.type == "table" and f.chart and f.chart.type == "timeline"), None)

    def choice_fields(self) -> list[Field]:
        """The plan's choices whose counts are charted: target groups, SDG targets, GCM objectives."""
        template = self.plan_template()
        if template is None:
            return []
        named = [f for f in (template.field(i) for i in CHOICE_FIELDS) if f and f.type == "multichoice"]
        return named or [f for f in template.fields() if f.type == "multichoice"]

    def plans(self) -> list[Plan]:
        """Every action plan handed in, in the roster's order (worked out once)."""
        if self._plans is None:
            self._plans = self._make_plans()
        return self._plans

    def _make_plans(self) -> list[Plan]:
        template = self.plan_template()
        if template is None:
            return []
        objective = next((f for f in (template.field(i) for i in OBJECTIVE_FIELDS) if f), None)
        table = next((f for f in template.fields() if f.type == "table" and f.chart
                      and f.chart.type == "timeline"), None)
        total = next((f for f in template.fields() if f.type == "computed" and table
                      and f.compute and f.compute[:2] == ("sum", table.id)), None)
        currency = template.field(CURRENCY_FIELD)
        out = []
        for w in self.worksheets:
            if w.template.id != template.id:
                continue
            a = w.answers
            activities = self._activities(w, table) if table else []
            budget = _number(a.get(total.id)) if total else None
            if budget is None and total is None and activities:
                budget = sum(x.budget for x in activities if x.budget is not None) or None
            money = typed(currency, a.get(currency.id)) if currency else None
            if money and currency.type == "choice" and a.get(currency.id) == "other":
                money = a.get(CURRENCY_FIELD + "-other") or money
            out.append(Plan(self.person(w.person), w, str(a.get(objective.id) or "") if objective else "",
                            {f.id: [f.option_label(o) for o in a.get(f.id) or []] for f in self.choice_fields()},
                            activities, budget, str(money or "")))
        return out

    @staticmethod
    def _activities(w: Handed, table: Field) -> list[Activity]:
        chart = table.chart.columns
        money = next((c for c in table.columns if c.type == "number"), None)
        out = []
        for row in _rows(w.answers.get(table.id)):
            out.append(Activity(w.person, " ".join(str(row.get(chart["label"]) or "").split()),
                                answers_mod.parse_date(row.get(chart["start"])),
                                answers_mod.parse_date(row.get(chart["end"])),
                                _number(row.get(money.id)) if money else None))
        return out

    def chosen(self, f: Field) -> list[tuple[str, int]]:
        """How many action plans chose each option of ``f``, in the template's order."""
        counts = {o.id: 0 for o in f.options}
        for plan in self.plans():
            for option in plan.worksheet.answers.get(f.id) or []:
                if option in counts:
                    counts[option] += 1
        return [(o.label, counts[o.id]) for o in f.options]

    # the tables the spreadsheet and the database hold -------------------------------
    def sheets(self) -> list[Sheet]:
        """About, participants, worksheets, answers, then one long table per kind of
        table; each row names its participant and worksheet (worked out once:
        the spreadsheet and the database write the same rows)."""
        if self._sheets is None:
            self._sheets = [self._about(), self._participants(), self._worksheets(), self._answers(),
                            *self._tables(), self._not_read()]
        return self._sheets

    def _about(self) -> Sheet:
        rows = [[t("cohort.notice_label"), t("cohort.notice")],
                [t("cohort.course"), self.course],
                [t("cohort.made"), self.made],
                [t("cohort.participants"), len(self.people)],
                [t("cohort.worksheets"), len(self.worksheets)],
                [t("cohort.set_aside_label"), self.set_aside],
                [t("cohort.not_read_label"), len(self.not_read)]]
        return Sheet("about", t("cohort.sheet_about"),
                     (Column("item", t("cohort.item"), "text"), Column("value", t("cohort.value"), "text")),
                     [[item, str(value)] for item, value in rows])

    def _participants(self) -> Sheet:
        handed = {p.number: [0, 0] for p in self.people}
        for w in self.worksheets:
            handed[w.person][0] += 1
            handed[w.person][1] += w.status == "complete"
        columns = (Column("participant", t("cohort.participant"), "int"),
                   Column("name", t("cohort.name"), "text"),
                   Column("organisation", t("cohort.organisation"), "text"),
                   Column("role", t("cohort.role"), "text"), Column("city", t("cohort.city"), "text"),
                   Column("country", t("cohort.country"), "text"),
                   Column("worksheets", t("cohort.handed_in"), "int"),
                   Column("complete", t("cohort.complete"), "int"),
                   Column("participant_id", t("cohort.participant_id"), "text"),
                   *(Column(_name(tp.id) + "_completion", t("cohort.completion_of", template=tp.title), "int")
                     for tp in self.handed_templates()))
        rows = [[p.number, p.name, p.organisation, p.role, p.city, p.country, *handed[p.number],
                 p.participant_id, *(w.completion if (w := mine.get(tp.id)) else None
                                     for tp in self.handed_templates())]
                for p, mine in self.roster()]
        return Sheet("participants", t("cohort.sheet_roster"), columns, rows,
                     search=("name", "organisation", "role", "city", "country"), pk="participant")

    def _worksheets(self) -> Sheet:
        columns = (Column("worksheet", t("cohort.worksheet"), "int"),
                   Column("participant", t("cohort.participant"), "int"),
                   Column("name", t("cohort.name"), "text"), Column("template", t("cohort.template_id"), "text"),
                   Column("template_title", t("cohort.template"), "text"),
                   Column("title", t("cohort.title"), "text"), Column("status", t("cohort.status"), "text"),
                   Column("completion", t("cohort.completion"), "int"),
                   Column("last_saved", t("cohort.last_saved"), "datetime"),
                   Column("template_version", t("cohort.template_version"), "int"),
                   Column("revision", t("cohort.revision"), "int"), Column("file", t("cohort.file"), "text"))
        rows = [[w.number, w.person, self.person(w.person).name, w.template.id, w.template.title, w.title,
                 t(f"status.{w.status}"), w.completion, w.saved, w.template_version, w.revision, w.file]
                for w in self.worksheets]
        return Sheet("worksheets", t("cohort.sheet_worksheets"), columns, rows, search=("title",),
                     pk="worksheet", refs=(("participant", "participants", "participant"),))

    def _answers(self) -> Sheet:
        columns = (Column("participant", t("cohort.participant"), "int"),
                   Column("name", t("cohort.name"), "text"), Column("worksheet", t("cohort.worksheet"), "int"),
                   Column("template", t("cohort.template_id"), "text"), Column("field", t("cohort.field"), "text"),
                   Column("question", t("cohort.question"), "text"), Column("answer", t("cohort.answer"), "text"),
                   Column("option", t("cohort.option"), "text"), Column("number", t("cohort.number"), "real"))
        rows = []
        for w in self.worksheets:
            lead = [w.person, self.person(w.person).name, w.number, w.template.id]
            for f in w.template.fields():
                value = w.answers.get(f.id)
                if f.type == "table" or answers_mod.is_empty(value) or \
                        not answers_mod.is_visible(w.template, f, w.answers):
                    continue
                if f.type in ("multichoice", "checklist"):  # one row per option chosen: countable
                    rows += [[*lead, f.id, f.label, f.option_label(o), o, None] for o in value]
                else:
                    typed_value = typed(f, value)
                    text = typed_value.isoformat() if isinstance(typed_value, dt.date) else \
                        answers_mod.display_text(f, value)
                    rows.append([*lead, f.id, f.label, text, value if f.type == "choice" else None,
                                 _number(value)])
        return Sheet("answers", t("cohort.sheet_answers"), columns, rows, search=("question", "answer"),
                     refs=(("participant", "participants", "participant"),
                           ("worksheet", "worksheets", "worksheet")))

    def _tables(self) -> list[Sheet]:
        fields = [(tp, f) for tp in self.handed_templates() for f in tp.fields() if f.type == "table"]
        labels = [f.label for _, f in fields]
        out = []
        for tp, f in fields:
            title = f.label if labels.count(f.label) == 1 else f"{tp.title} – {f.label}"
            fixed = ["participant", "name", "worksheet", "row"]
            keys = []
            for c in f.columns:
                key = _name(c.id)
                while key in fixed or key in keys:
                    key += "_"
                keys.append(key)
            columns = (Column("participant", t("cohort.participant"), "int"),
                       Column("name", t("cohort.name"), "text"), Column("worksheet", t("cohort.worksheet"), "int"),
                       Column("row", t("cohort.row"), "int"),
                       *(Column(key, c.label, _kind(c)) for key, c in zip(keys, f.columns)))
            rows = [[w.person, self.person(w.person).name, w.number, number,
                     *(typed(c, row.get(c.id)) for c in f.columns)]
                    for w in self.worksheets if w.template.id == tp.id
                    for number, row in enumerate(_rows(w.answers.get(f.id)), start=1)]
            search = tuple(key for key, c in zip(keys, f.columns) if _kind(c) == "text")
            out.append(Sheet(_name(tp.id) + "__" + _name(f.id), title, columns, rows, search=search,
                             refs=(("participant", "participants", "participant"),
                                   ("worksheet", "worksheets", "worksheet"))))
        return out

    def _not_read(self) -> Sheet:
        return Sheet("files_not_read", t("cohort.sheet_not_read"),
                     (Column("file", t("cohort.file"), "text"), Column("reason", t("cohort.reason"), "text")),
                     [[n.file, n.reason] for n in self.not_read])


def _rows(value: Any) -> list[dict]:
    """A table's rows that hold something."""
    return [row for row in value or [] if isinstance(row, dict)
            and any(not answers_mod.is_empty(v) for v in row.values())] if isinstance(value, list) else []
