"""Follow-up of an action plan after the course, as plain data.

Any worksheet whose template has an ``activities`` table (the course's
``action-plan``) can be followed up: for each activity (a filled row of that
table, numbered from 1 as the worksheet shows them) the participant records
dated check-ins, each with a status and a comment. A check-in is kept with
the activity's name as it was, so that it stays with its activity when rows
are later added, moved or removed.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from companion.errors import InputError
from companion.messages import t
from companion.worksheets.answers import is_empty, parse_date
from companion.worksheets.model import Worksheet
from companion.worksheets.template import Template

ACTIVITIES = "activities"
DATES = "follow-up-dates"
STATUSES = ("not-started", "in-progress", "done", "blocked")
NOT_STARTED, IN_PROGRESS, DONE, BLOCKED = STATUSES
MAX_COMMENT = 4000
SOON_DAYS = 14


class Checkin(NamedTuple):
    id: int
    worksheet_id: int
    activity_row: int
    activity: str
    status: str
    comment: str
    checked_on: str
    created_at: str


class Activity(NamedTuple):
    row: int
    name: str
    values: dict[str, Any]
    history: list[Checkin]  # oldest first

    @property
    def latest(self) -> Checkin | None:
        return self.history[-1] if self.history else None

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else NOT_STARTED

    @property
    def end(self) -> str | None:
        value = self.values.get("end")
        return value if parse_date(value) else None

    def overdue(self, today: dt.date) -> bool:
        end = parse_date(self.end)
        return bool(end and end < today and self.status != DONE)


class FollowUp(NamedTuple):
    worksheet: Worksheet
    template: Template
    activities: list[Activity]
    dates: list[dict[str, Any]]
    earlier: list[Checkin]  # check-ins whose activity is no longer in the plan

    def counts(self) -> dict[str, int]:
        found = {status: 0 for status in STATUSES}
        for activity in self.activities:
            found[activity.status] += 1
        return found


class Due(NamedTuple):
    kind: str  # "checkin" (a planned follow-up date) or "overdue" (an activity past its end)
    date: str
    worksheet_id: int
    worksheet_title: str
    text: str
    late: bool


def status_label(status: str) -> str:
    return t(f"followup.status.{status}")


def is_followable(template: Template) -> bool:
    f = template.field(ACTIVITIES)
    return f is not None and f.type == "table"


def filled(rows: Any) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        return []
    return [r for r in rows if isinstance(r, dict) and any(not is_empty(v) for v in r.values())]


def activity_key(name: str) -> str:
    return " ".join(name.casefold().split())


def normal_status(status: str) -> str:
    value = "-".join((status or "").strip().lower().replace("_", " ").split())
    if value not in STATUSES:
        raise InputError(t("followup.bad_status", status=status, known=", ".join(STATUSES)))
    return value


def as_json(current: FollowUp, today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    return {
        "id": current.worksheet.id, "title": current.worksheet.title,
        "activities": [{
            "row": a.row, "activity": a.name, "start": a.values.get("start"), "end": a.values.get("end"),
            "status": a.status, "overdue": a.overdue(today),
            "checkins": [{"date": c.checked_on, "status": c.status, "comment": c.comment,
                          "recorded": c.created_at} for c in a.history],
        } for a in current.activities],
        "follow_up_dates": current.dates,
        "earlier_activities": [{"activity": c.activity, "date": c.checked_on, "status": c.status,
                                "comment": c.comment} for c in current.earlier],
    }
