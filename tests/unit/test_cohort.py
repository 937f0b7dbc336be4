"""The trainer's desk: whose files these are, a cohort read without importing it,
and three report files whose figures agree."""
from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from companion import paths
from companion.errors import InputError
from companion.export import share as share_format
from companion.workbook import Workbook
from companion.workbook.cohort import REPORT_FILES, write_report
from tests.conftest import BUNDLED_PACK, MINI_PACK
from tests.unit.cohort_files import PEOPLE, make_handin


@pytest.fixture(scope="module")
def handin(tmp_path_factory):
    return make_handin(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="module")
def report(handin, tmp_path_factory):
    base = tmp_path_factory.mktemp("trainer")
    trainer = Workbook(base / "data", BUNDLED_PACK)
    cohort = trainer.cohort.read([handin["folder"]])
    written = write_report(cohort, base / "report")
    trainer.close()
    return {"cohort": cohort, "written": written, "out": base / "report", "data": base / "data"}


# who handed it in ----------------------------------------------------------------------------------
def test_the_participant_id_is_made_once_kept_in_the_data_folder_and_its_backups(tmp_path):
    book = Workbook(tmp_path / "data", MINI_PACK)
    first = book.book.participant_id()
    assert re.fullmatch(r"[0-9a-f-]{36}", first) and book.book.participant_id() == first
    backup = book.safety.backup_now("test")
    book.close()
    again = Workbook(tmp_path / "data", MINI_PACK)
    assert again.book.participant()["id"] == first
    again.close()
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT value FROM settings WHERE key = 'profile.participant'").fetchone() == (first,)


def test_a_share_file_carries_the_participant_inside_its_checksum(workbook, tmp_path):
    workbook.book.set_profile({"name": "Amina Yusuf", "city": "Addis Ababa"})
    sheet = workbook.book.create_worksheet("plan", "Plano", {"title": "Uma porta"})
    data = workbook.sharing.share_bytes([sheet.id])
    read = share_format.decode_file(data)
    assert read.participant["id"] == workbook.book.participant_id()
    assert (read.participant["name"], read.participant["city"]) == ("Amina Yusuf", "Addis Ababa")
    payload = json.loads(data)  # a companion from before reads it: the checksum covers every other key
    assert payload["format_version"] == 1
    assert payload["checksum"] == share_format.checksum({k: v for k, v in payload.items() if k != "checksum"})
    payload["participant"]["name"] = "Someone else"
    with pytest.raises(InputError, match="checksum"):
        share_format.decode(json.dumps(payload).encode())


def test_files_from_before_participant_ids_still_import(workbook, tmp_path):
    other = Workbook(tmp_path / "other", MINI_PACK)
    sheet = other.book.create_worksheet("plan", "Old plan", {"title": "Before ids"})
    old = tmp_path / "old.mldshare"
    old.write_bytes(share_format.encode(other.sharing.shared([sheet.id])))
    other.close()
    assert share_format.decode_file(old.read_bytes()).participant is None
    assert [r.status for r in workbook.sharing.import_paths([old])] == ["imported"]


@pytest.mark.parametrize("participant", [["a list"], {"name": 42}, "Amina"])
def test_a_malformed_participant_is_refused_in_words(participant):
    entry = {"uid": "u", "template_id": "plan", "template_version": 1, "title": "P", "status": "draft",
             "revision": 1, "created_at": "", "updated_at": "", "answers": {}}
    payload = {"format": share_format.FORMAT, "format_version": 1, "worksheets": [entry], "participant": participant}
    payload["checksum"] = share_format.checksum(payload)
    with pytest.raises(InputError, match="participant"):
        share_format.decode(json.dumps(payload).encode())


# the cohort -----------------------------------------------------------------------------------------
def test_each_participant_counts_once_and_nothing_is_imported(handin, report):
    cohort = report["cohort"]
    names = [p.name for p in cohort.people]
    assert names == ["Amina Yusuf", "Carlos Pérez", "No name (old.mldshare)", "فاطمة الزهراء"]
    assert {p.participant_id for p in cohort.people} == set(handin["ids"].values()) | {""}
    handed = Counter(cohort.person(w.person).name for w in cohort.worksheets)
    assert handed == {"Amina Yusuf": 3, "Carlos Pérez": 2, "فاطمة الزهراء": 2, "No name (old.mldshare)": 1}
    amina_plan = next(w for w in cohort.worksheets if w.person == 1 and w.template.id == "action-plan")
    assert amina_plan.answers["title"] == "The second version of the plan"  # the latest revision counts
    assert amina_plan.file == "participant0-again.mldshare"
    assert cohort.set_aside == 4  # the plans handed in as a PDF too, and Amina's again
    assert [(Path(n.file).name, n.reason) for n in cohort.not_read] == [
        ("notes.pdf", "the PDF is damaged and cannot be read")]
    assert not paths.database_path(report["data"]).exists()  # the trainer's workbook was never opened


def test_a_folder_without_worksheet_files_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    trainer = Workbook(tmp_path / "data", BUNDLED_PACK)
    with pytest.raises(InputError, match="no share file"):
        trainer.cohort.read([tmp_path / "empty"])
    trainer.close()


def test_the_three_files_are_written_for_the_trainer_only(report):
    assert [p.name for p in report["written"]] == list(REPORT_FILES)
    assert all(p.stat().st_mode & 0o077 == 0 and p.stat().st_size > 1000 for p in report["written"])


def _xlsx(path: Path) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_pdf_the_spreadsheet_and_the_database_agree(report):
    out = report["out"]
    sheets = _xlsx(out / "cohort.xlsx")
    db = sqlite3.connect(out / "cohort.sqlite")
    head, *rows = sheets["Activities"]
    budget = head.index("Budget")
    by_participant: dict[int, float] = defaultdict(float)  # the long sheet, grouped as a pivot table would
    for row in rows:
        by_participant[row[0]] += row[budget] or 0
    from_db = dict(db.execute("SELECT participant, SUM(budget) FROM action_plan__activities GROUP BY participant"))
    assert by_participant == from_db and len(from_db) == 3
    text = _pdf_text(out / "cohort.pdf")
    for number, total in from_db.items():  # each plan's total budget, as printed
        assert re.search(rf"Total budget\s+{total:,.0f}\b", text), (number, total)
    assert sorted(from_db.values()) == sorted(p.budget for p in report["cohort"].plans())
    chosen = dict(db.execute("SELECT answer, COUNT(*) FROM answers WHERE field = 'sdg-targets' GROUP BY answer"))
    head, *rows = sheets["Answers"]
    in_xlsx = Counter(row[head.index("Answer")] for row in rows if row[head.index("Field id")] == "sdg-targets")
    assert chosen == dict(in_xlsx) and chosen["10.7 Safe, orderly and regular migration through well-managed "
                                              "policies"] == 3
    for label, count in chosen.items():  # the bar chart's count beside each target
        assert re.search(re.escape(label[:40]) + r".*\s" + str(count) + r"\s*$", text, re.M), label
    handed = dict(db.execute("SELECT participant, COUNT(*) FROM worksheets GROUP BY participant"))
    head, *rows = sheets["Roster"]
    assert {row[0]: row[head.index("Handed in")] for row in rows} == handed == {1: 3, 2: 2, 3: 1, 4: 2}
    db.close()


def test_every_row_of_a_long_sheet_names_its_participant_and_worksheet_in_typed_columns(report):
    sheets = _xlsx(report["out"] / "cohort.xlsx")
    head, *rows = sheets["Actors"]
    assert head[:4] == ("Participant", "Name", "Worksheet", "Row")
    assert all(isinstance(row[0], int) and isinstance(row[2], int) for row in rows)
    assert all(isinstance(row[head.index("Interest")], int) for row in rows)
    head, *rows = sheets["Activities"]
    import datetime as dt

    assert all(isinstance(row[head.index("Start")], dt.datetime) for row in rows)


def test_the_database_is_searched_with_sqlite_full_text_search(report):
    db = sqlite3.connect(report["out"] / "cohort.sqlite")
    found = db.execute("SELECT answers.name, answers.answer FROM answers_fts JOIN answers "
                       "ON answers.rowid = answers_fts.rowid WHERE answers_fts MATCH ?", ("informacao",)).fetchall()
    assert found == [("Carlos Pérez", "Falta informação clara para quem parte")]
    actors = db.execute("SELECT COUNT(*) FROM stakeholder_map__actors_fts WHERE stakeholder_map__actors_fts "
                        "MATCH 'council'").fetchone()[0]
    assert actors >= 2
    fks = {row[2] for row in db.execute("PRAGMA foreign_key_list(worksheets)")}
    assert fks == {"participants"}
    db.close()


def test_the_files_say_they_hold_personal_data(report):
    text = _pdf_text(report["out"] / "cohort.pdf")
    first_page = " ".join(text.split("\f")[0].split())
    assert "personal data" in first_page and "do not pass them on" in first_page
    sheets = _xlsx(report["out"] / "cohort.xlsx")
    first = next(iter(sheets))
    assert first == "About these files" and "do not pass them on" in sheets[first][1][1]
    assert "Cohort report" in first_page and "notes.pdf" in text


def test_a_cohort_report_of_participants_in_any_script(report):
    text = _pdf_text(report["out"] / "cohort.pdf")
    assert "فاطمة الزهراء" in text or "الزهراء" in text
    assert {row for row in (p[0] for p in PEOPLE)} <= {p.name for p in report["cohort"].people}


def test_a_hostile_file_is_listed_and_the_rest_is_read(tmp_path, handin):
    bad = tmp_path / "bad"
    bad.mkdir()
    good = (handin["folder"] / "participant1.mldshare").read_bytes()
    (bad / "participant1.mldshare").write_bytes(good)
    payload = json.loads(good)
    payload["worksheets"][0]["answers"]["title"] = ["not", "text"]
    payload["checksum"] = share_format.checksum({k: v for k, v in payload.items() if k != "checksum"})
    (bad / "tampered.mldshare").write_text(json.dumps(payload))
    (bad / "huge.mldshare").write_bytes(b" " * (share_format.MAX_BYTES + 1))
    trainer = Workbook(tmp_path / "data", BUNDLED_PACK)
    cohort = trainer.cohort.read([bad, tmp_path / "missing.pdf"])
    trainer.close()
    assert [p.name for p in cohort.people] == ["Carlos Pérez"] and len(cohort.worksheets) == 2
    reasons = {Path(n.file).name: n.reason for n in cohort.not_read}
    assert set(reasons) == {"tampered.mldshare", "huge.mldshare", "missing.pdf"}
    assert "Title of the plan" in reasons["tampered.mldshare"] or "title" in reasons["tampered.mldshare"]


def test_hostile_names_and_answers_stay_words_in_every_file(tmp_path):
    hostile = "=HYPERLINK(\"http://x\")\x07<b>bold</b>\x00"
    book = Workbook(tmp_path / "p", MINI_PACK)
    book.book.set_profile({"name": hostile, "organisation": "<img src='file:///etc/passwd'>"})
    sheet = book.book.create_worksheet("plan", hostile, {"title": hostile, "objective": "@SUM(A1)\x1b[31m",
                                                         "activities": [{"activity": hostile, "budget": 5,
                                                                         "start": "2027-01-01"}]})
    (tmp_path / "in").mkdir()
    book.sharing.export_share([sheet.id], tmp_path / "in" / "p.mldshare")
    book.close()
    trainer = Workbook(tmp_path / "trainer", MINI_PACK)
    cohort = trainer.cohort.read([tmp_path / "in"])
    trainer.close()
    written = write_report(cohort, tmp_path / "out")
    sheets = _xlsx(written[1])
    roster = sheets["Roster"]
    assert roster[1][1].startswith("=HYPERLINK") and "\ufffd" in roster[1][1]  # words, not a formula
    db = sqlite3.connect(written[2])
    assert db.execute("SELECT name FROM participants").fetchone()[0] == " ".join(hostile.split())
    assert db.execute("SELECT SUM(budget) FROM plan__activities").fetchone()[0] == 5
    db.close()
    assert "<b>bold</b>" in _pdf_text(written[0])
