"""Follow-up of an action plan after the course: check-ins, what is due, the report (no Qt)."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from companion.worksheets import followup
from companion.errors import InputError

TODAY = dt.date(2027, 5, 10)
PLAN = {"title": "One door", "activities": [
    {"activity": "Rent the room", "start": "2027-03-01", "end": "2027-04-30", "budget": 1200},
    {"activity": "Train staff", "start": "2027-05-01", "end": "2027-06-15"},
    {},
    {"activity": "Open the centre", "start": "2027-07-01", "end": "2027-07-01"},
]}


@pytest.fixture
def plan(workbook):
    return workbook.book.create_worksheet("plan", "Plano de Mirazul", PLAN)


def test_check_ins_are_kept_per_activity_in_date_order(workbook, plan):
    workbook.followup.checkin(plan.id, 1, "in-progress", "Two rooms visited", "2027-03-15", today=TODAY)
    workbook.followup.checkin(plan.id, "1", "Done", "  Contract signed ", "2027-04-20", today=TODAY)
    workbook.followup.checkin(plan.id, 2, "blocked", "No trainer yet", "2027-05-09", today=TODAY)
    workbook.followup.checkin(plan.id, 1, "in progress", "Recorded late", "2027-03-01", today=TODAY)
    current = workbook.followup.plan(plan.id)
    assert [a.name for a in current.activities] == ["Rent the room", "Train staff", "Open the centre"]
    rent, train, centre = current.activities
    assert [c.checked_on for c in rent.history] == ["2027-03-01", "2027-03-15", "2027-04-20"]
    assert rent.status == "done" and rent.latest.comment == "Contract signed"
    assert train.status == "blocked" and centre.status == "not-started"
    assert current.counts() == {"not-started": 1, "in-progress": 0, "done": 1, "blocked": 1}
    data = followup.as_json(current, TODAY)
    assert data["activities"][0]["checkins"][-1] == {"date": "2027-04-20", "status": "done",
                                                    "comment": "Contract signed",
                                                    "recorded": rent.latest.created_at}


def test_bad_check_ins_store_nothing(workbook, plan):
    cases = [((9, "done"), {}, "no activity 9"), ((0, "done"), {}, "no activity 0"),
             (("x", "done"), {}, "no activity x"), ((1, "finished"), {}, "not a status"),
             ((1, "done"), {"date": "2027-13-01"}, "not a date"),
             ((1, "done"), {"date": "2027-05-11"}, "in the future"),
             ((1, "done"), {"comment": "x" * 5000}, "under 4000")]
    for args, extra, message in cases:
        with pytest.raises(InputError, match=message):
            workbook.followup.checkin(plan.id, *args, today=TODAY, **extra)
    assert workbook.followup.plan(plan.id).activities[0].history == []
    other = workbook.book.create_worksheet("all-fields", "Not a plan")
    with pytest.raises(InputError, match="no activities table"):
        workbook.followup.checkin(other.id, 1, "done", today=TODAY)
    with pytest.raises(InputError, match="no worksheet with id 99"):
        workbook.followup.plan(99)


def test_check_ins_stay_with_their_activity_when_rows_move(workbook, plan):
    workbook.followup.checkin(plan.id, 2, "in-progress", "Started", "2027-05-02", today=TODAY)
    rows = PLAN["activities"]
    workbook.book.save_answers(plan.id, {"activities": [rows[3], rows[1], rows[0]]})
    current = workbook.followup.plan(plan.id)
    assert [a.status for a in current.activities] == ["not-started", "in-progress", "not-started"]
    workbook.book.save_answers(plan.id, {"activities": [rows[0]]})
    current = workbook.followup.plan(plan.id)
    assert [c.activity for c in current.earlier] == ["Train staff"]


def test_due_lists_activities_past_their_end_and_not_done(workbook, plan):
    due = workbook.followup.due(TODAY)
    assert [(d.kind, d.date, d.text, d.late) for d in due] == [("overdue", "2027-04-30", "Rent the room", True)]
    workbook.followup.checkin(plan.id, 1, "done", "", "2027-04-29", today=TODAY)
    assert workbook.followup.due(TODAY) == []
    assert workbook.followup.due(dt.date(2027, 7, 2))[0].text == "Train staff"


def test_the_report_shows_each_activity_and_its_check_ins(workbook, plan, tmp_path):
    workbook.followup.checkin(plan.id, 1, "done", "Contract signed with the owner", "2027-04-20", today=TODAY)
    workbook.followup.checkin(plan.id, 2, "blocked", "Formação adiada: ninguém disponível", "2027-05-09",
                     today=TODAY)
    out = workbook.followup.write_report(plan.id, tmp_path / "follow-up.pdf", today=TODAY)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    for expected in ("Follow-up of the action plan", "Plano de Mirazul", "1 of 3 activities done",
                     "Contract signed with the owner", "Formação adiada", "blocked", "Open the centre",
                     "No check-in recorded yet."):
        assert expected in text
    if shutil.which("pdftotext"):
        plain = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "Contract signed with the owner" in plain
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]  # hidden ones too


def test_a_report_to_a_folder_that_does_not_exist_fails_cleanly(workbook, plan, tmp_path):
    from companion.errors import StorageError

    with pytest.raises(StorageError, match="cannot write"):
        workbook.followup.write_report(plan.id, tmp_path / "missing" / "r.pdf", today=TODAY)


def test_the_follow_up_reads_the_most_recently_changed_plans_first_and_only_as_many_as_asked(workbook):
    old = workbook.book.create_worksheet("plan", "Oldest", PLAN)
    middle = workbook.book.create_worksheet("plan", "Middle", {"title": "Middle"})
    gone = workbook.book.create_worksheet("plan", "In the bin", PLAN)
    newest = workbook.book.create_worksheet("plan", "Newest", {"title": "Newest"})
    workbook.book.create_worksheet("all-fields", "Not a plan")
    workbook.book.delete_worksheet(gone.id)
    assert [w.title for w in workbook.followup.followable_worksheets()] == ["Newest", "Middle", "Oldest"]
    workbook.book.save_answers(old.id, {"title": "Changed last"})
    assert [w.id for w in workbook.followup.followable_worksheets()] == [old.id, newest.id, middle.id]
    assert [w.id for w in workbook.followup.followable_worksheets(2)] == [old.id, newest.id]
    assert {d.worksheet_id for d in workbook.followup.due(TODAY, plans=1)} == {old.id}
    assert workbook.followup.due(TODAY, plans=1) == workbook.followup.due(TODAY)  # the others have no activities
