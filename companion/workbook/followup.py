"""Follow-up of an action plan after the course, written once for the CLI and the UI.

Any worksheet whose template has an ``activities`` table (the course's
``action-plan``) can be followed up: for each activity (a filled row of that
table, numbered from 1 as the worksheet shows them) the participant records
dated check-ins, each with a status and a comment. A check-in is kept with
the activity's name as it was, so that it stays with its activity when rows
are later added, moved or removed.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from companion.errors import InputError
from companion.messages import t
from companion.storage.followup import Checkin, CheckinStore
from companion.worksheets.answers import is_empty, parse_date
from companion.worksheets.model import Worksheet
from companion.worksheets.template import Template

ACTIVITIES = "activities"
DATES = "follow-up-dates"
STATUSES = ("not-started", "in-progress", "done", "blocked")
NOT_STARTED, IN_PROGRESS, DONE, BLOCKED = STATUSES
MAX_COMMENT = 4000
SOON_DAYS = 14


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


def _filled(rows: Any) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        return []
    return [r for r in rows if isinstance(r, dict) and any(not is_empty(v) for v in r.values())]


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def followable_worksheets(workbook) -> list[Worksheet]:
    """The participant's worksheets that have activities to follow up, most recently changed first."""
    return [w for w in workbook.worksheets()
            if w.template_id in workbook.pack.templates and is_followable(workbook.template_of(w))]


def _plan_worksheet(workbook, worksheet_id) -> tuple[Worksheet, Template]:
    worksheet = workbook.worksheet(worksheet_id)
    if worksheet.template_id not in workbook.pack.templates:
        raise InputError(t("worksheet.unknown_template", id=worksheet.template_id))
    template = workbook.template_of(worksheet)
    if not is_followable(template):
        raise InputError(t("followup.not_plan", id=worksheet.id, title=worksheet.title))
    return worksheet, template


def plan(workbook, worksheet_id) -> FollowUp:
    """A worksheet's activities, each with its check-ins, and its follow-up dates."""
    worksheet, template = _plan_worksheet(workbook, worksheet_id)
    activities = [Activity(n, str(row.get("activity") or t("followup.unnamed", row=n)), row, [])
                  for n, row in enumerate(_filled(worksheet.answers.get(ACTIVITIES)), start=1)]
    names: dict[str, list[Activity]] = {}
    for activity in activities:
        names.setdefault(_key(activity.name), []).append(activity)
    earlier: list[Checkin] = []
    for checkin in CheckinStore(workbook.database).of(worksheet.id):
        same = names.get(_key(checkin.activity), [])
        if len(same) == 1:
            same[0].history.append(checkin)
        elif 1 <= checkin.activity_row <= len(activities):
            activities[checkin.activity_row - 1].history.append(checkin)
        else:
            earlier.append(checkin)
    dates = sorted(_filled(worksheet.answers.get(DATES)) if template.field(DATES) else [],
                   key=lambda r: str(r.get("date") or ""))
    return FollowUp(worksheet, template, activities, dates, earlier)


def normal_status(status: str) -> str:
    value = "-".join((status or "").strip().lower().replace("_", " ").split())
    if value not in STATUSES:
        raise InputError(t("followup.bad_status", status=status, known=", ".join(STATUSES)))
    return value


def checkin(workbook, worksheet_id, activity_row, status: str, comment: str = "",
            date: str | None = None, today: dt.date | None = None) -> Checkin:
    """Record a check-in on one activity; nothing is stored when any part is wrong."""
    today = today or dt.date.today()
    current = plan(workbook, worksheet_id)
    try:
        row = int(activity_row)
    except (TypeError, ValueError):
        row = 0
    if not 1 <= row <= len(current.activities):
        raise InputError(t("followup.no_row", row=activity_row, count=len(current.activities),
                           title=current.worksheet.title))
    status = normal_status(status)
    day = today if date in (None, "") else parse_date(str(date).strip())
    if day is None:
        raise InputError(t("followup.bad_date", date=date))
    if day > today:
        raise InputError(t("followup.future_date", date=day.isoformat()))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InputError(t("followup.long_comment", max=MAX_COMMENT))
    activity = current.activities[row - 1]
    return CheckinStore(workbook.database).add(current.worksheet.id, row, activity.name, status,
                                               comment, day.isoformat())


def due(workbook, today: dt.date | None = None, limit: int = 6, plans: int = 3) -> list[Due]:
    """What needs attention in the most recent action plans: follow-up dates
    that are past or within two weeks and not done, and activities past their
    end date that are not done; the earliest first."""
    today = today or dt.date.today()
    soon = today + dt.timedelta(days=SOON_DAYS)
    found: list[Due] = []
    for worksheet in followable_worksheets(workbook)[:plans]:
        current = plan(workbook, worksheet.id)
        title = worksheet.title
        for row in current.dates:
            day = parse_date(row.get("date"))
            if day and day <= soon and row.get("status") not in ("done",):
                found.append(Due("checkin", day.isoformat(), worksheet.id, title,
                                 str(row.get("what") or ""), day < today))
        for activity in current.activities:
            if activity.overdue(today):
                found.append(Due("overdue", activity.end or "", worksheet.id, title, activity.name, True))
    found.sort(key=lambda d: (d.date, d.kind))
    return found[:limit]


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


def write_report(workbook, worksheet_id, out: Path, today: dt.date | None = None) -> Path:
    """The follow-up report as a PDF (ReportLab is imported only now)."""
    from companion.export.followup_pdf import write_followup_pdf

    current = plan(workbook, worksheet_id)
    write_followup_pdf(current, Path(out), workbook.pack, today or dt.date.today())
    return Path(out)
