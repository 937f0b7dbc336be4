"""Follow-up of an action plan after the course: check-ins on its
activities, what is due, and the report (the data is in
:mod:`companion.worksheets.followup`)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from companion.errors import InputError
from companion.messages import t
from companion.storage.followup import CheckinStore
from companion.worksheets.answers import parse_date
from companion.worksheets.followup import (
    ACTIVITIES, DATES, MAX_COMMENT, SOON_DAYS, Activity, Checkin, Due, FollowUp, activity_key, filled,
    is_followable, normal_status,
)
from companion.worksheets.model import Worksheet
from companion.worksheets.template import Template

if TYPE_CHECKING:
    from companion.workbook import Workbook


class FollowUps:
    def __init__(self, workbook: "Workbook") -> None:
        self.workbook = workbook

    def _checkins(self) -> CheckinStore:
        return CheckinStore(self.workbook._db)

    def followable_worksheets(self, limit: int | None = None) -> list[Worksheet]:
        """The participant's worksheets that have activities to follow up, most recently changed
        first (the first ``limit``)."""
        followable = [tid for tid, template in self.workbook.pack.templates.items() if is_followable(template)]
        return self.workbook._worksheets.of_templates(followable, limit)


    def _plan_worksheet(self, worksheet_id) -> tuple[Worksheet, Template]:
        worksheet = self.workbook.book.worksheet(worksheet_id)
        if worksheet.template_id not in self.workbook.pack.templates:
            raise InputError(t("worksheet.unknown_template", id=worksheet.template_id))
        template = self.workbook.book.template_of(worksheet)
        if not is_followable(template):
            raise InputError(t("followup.not_plan", id=worksheet.id, title=worksheet.title))
        return worksheet, template


    def plan(self, worksheet_id) -> FollowUp:
        """A worksheet's activities, each with its check-ins, and its follow-up dates."""
        worksheet, template = self._plan_worksheet(worksheet_id)
        activities = [Activity(n, str(row.get("activity") or t("followup.unnamed", row=n)), row, [])
                      for n, row in enumerate(filled(worksheet.answers.get(ACTIVITIES)), start=1)]
        names: dict[str, list[Activity]] = {}
        for activity in activities:
            names.setdefault(activity_key(activity.name), []).append(activity)
        earlier: list[Checkin] = []
        for checkin in self._checkins().of(worksheet.id):
            same = names.get(activity_key(checkin.activity), [])
            if len(same) == 1:
                same[0].history.append(checkin)
            elif 1 <= checkin.activity_row <= len(activities):
                activities[checkin.activity_row - 1].history.append(checkin)
            else:
                earlier.append(checkin)
        dates = sorted(filled(worksheet.answers.get(DATES)) if template.field(DATES) else [],
                       key=lambda r: str(r.get("date") or ""))
        return FollowUp(worksheet, template, activities, dates, earlier)


    def checkin(self, worksheet_id, activity_row, status: str, comment: str = "",
                date: str | None = None, today: dt.date | None = None) -> Checkin:
        """Record a check-in on one activity; nothing is stored when any part is wrong."""
        today = today or dt.date.today()
        current = self.plan(worksheet_id)
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
        return self._checkins().add(current.worksheet.id, row, activity.name, status,
                                                   comment, day.isoformat())


    def due(self, today: dt.date | None = None, limit: int = 6, plans: int = 3) -> list[Due]:
        """What needs attention in the most recent action plans: follow-up dates
        that are past or within two weeks and not done, and activities past their
        end date that are not done; the earliest first."""
        today = today or dt.date.today()
        soon = today + dt.timedelta(days=SOON_DAYS)
        found: list[Due] = []
        for worksheet in self.followable_worksheets(plans):
            current = self.plan(worksheet.id)
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


    def write_report(self, worksheet_id, out: Path, today: dt.date | None = None) -> Path:
        """The follow-up report as a PDF (ReportLab is imported only now)."""
        from companion.export.followup_pdf import write_followup_pdf

        current = self.plan(worksheet_id)
        write_followup_pdf(current, Path(out), self.workbook.pack, today or dt.date.today())
        return Path(out)
