"""The worksheet engine: many worksheets, the bin, status, revisions, template versions."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from companion.errors import InputError
from companion.worksheets import answers as answers_mod, computed
from companion.storage.db import Database
from companion.storage.migrations import MIGRATIONS, SCHEMA_VERSION
from companion.workbook import Workbook


def test_rename_duplicate_delete_and_restore(workbook):
    first = workbook.book.create_worksheet("plan", "My first plan", {"title": "One door"})
    renamed = workbook.book.rename_worksheet(first.id, "  Plan for 2027 ")
    assert renamed.title == "Plan for 2027"
    with pytest.raises(InputError, match="needs a title"):
        workbook.book.rename_worksheet(first.id, "   ")
    copy = workbook.book.duplicate_worksheet(first.id)
    assert copy.id != first.id and copy.title == "Plan for 2027 (copy)"
    assert copy.answers == {"title": "One door"}
    workbook.book.delete_worksheet(first.id)
    assert [w.id for w in workbook.book.worksheets()] == [copy.id]
    assert [w.id for w in workbook.book.bin()] == [first.id]
    with pytest.raises(InputError):
        workbook.book.worksheet(first.id)
    restored = workbook.book.restore_worksheet(first.id)
    assert restored.answers == {"title": "One door"} and workbook.book.bin() == []
    with pytest.raises(InputError, match="not in the bin"):
        workbook.book.restore_worksheet(first.id)


def test_completing_runs_the_validator(workbook):
    worksheet = workbook.book.create_worksheet("plan", "P")
    with pytest.raises(InputError, match="cannot be marked complete yet. Fix this first:\n• Title: This field is required"):
        workbook.book.complete_worksheet(worksheet.id)
    workbook.book.save_answers(worksheet.id, {"activities": [{"start": "2027-01-01"}]})
    with pytest.raises(InputError) as refused:
        workbook.book.complete_worksheet(worksheet.id)
    assert str(refused.value).endswith("Fix these 2 things first:\n• Title: This field is required.\n"
                                       "• Activities: Row 1: 'Activity' is required.")
    workbook.book.save_answers(worksheet.id, {"activities": []})
    workbook.book.save_answers(worksheet.id, {"title": "Done"})
    assert workbook.book.complete_worksheet(worksheet.id).status == "complete"
    workbook.book.save_answers(worksheet.id, {"title": ""})
    assert workbook.book.worksheet(worksheet.id).status == "draft"
    workbook.book.save_answers(worksheet.id, {"title": "Again"})
    workbook.book.complete_worksheet(worksheet.id)
    assert workbook.book.reopen_worksheet(worksheet.id).status == "draft"


def test_every_save_keeps_a_revision_and_any_can_be_restored(workbook):
    worksheet = workbook.book.create_worksheet("plan", "P", {"title": "First words"})
    workbook.book.save_answers(worksheet.id, {"title": "Second words", "objective": "Goal"})
    workbook.book.save_answers(worksheet.id, {"title": "Third words"})
    history = workbook.book.history(worksheet.id)
    assert [r.kind for r in history] == ["edit", "edit", "create"]
    assert history[1].fields == ("title", "objective") or set(history[1].fields) == {"title", "objective"}
    restored = workbook.book.restore_revision(worksheet.id, history[-1].id)
    assert restored.answers.get("title") == "First words" and restored.answers.get("objective") is None
    newest = workbook.book.history(worksheet.id)[0]
    assert newest.kind == "restore" and newest.restored_from == history[-1].id
    # restoring is itself a revision: the text before the restore comes back too
    back = workbook.book.restore_revision(worksheet.id, history[0].id)
    assert back.answers["title"] == "Third words" and back.answers["objective"] == "Goal"
    with pytest.raises(InputError, match="no revision 999"):
        workbook.book.restore_revision(worksheet.id, 999)


def _changed_pack(mini_pack: Path) -> Path:
    path = mini_pack / "worksheets" / "all-fields.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("version: 1", "version: 2", 1)
    text = text.replace("      - {id: story, type: longtext, label: Story}\n", "")      # a field removed
    text = text.replace("{id: people, type: number,", "{id: people, type: text,")      # a type changed
    text = text.replace("      - id: confidence\n        type: rating",
                        "      - id: confidence\n        type: choice\n        options: [{id: a, label: A}]")
    path.write_text(text, encoding="utf-8")
    return mini_pack


def test_a_template_change_keeps_every_answer(tmp_path: Path, mini_pack: Path):
    before = Workbook(tmp_path / "data", mini_pack)
    template = before.template("all-fields")
    worksheet = before.book.create_worksheet("all-fields", "Mine", template.example)
    answers = dict(worksheet.answers)
    before.close()
    after = Workbook(tmp_path / "data", _changed_pack(mini_pack))
    again = after.book.worksheet(worksheet.id)
    assert again.answers == answers                       # nothing dropped in storage
    assert again.template_version == 1                    # it remembers what it started with
    assert after.book.template_of(again).version == 2
    version, earlier = after.book.set_apart(again)
    earlier = dict(earlier)
    assert version == "earlier"
    assert earlier == {"Story": "It began in 2025.", "Confidence": 4}
    shown = after.book.template_of(again).field("people")
    assert shown.type == "text"                           # 12 still fits a text field
    after.book.save_answers(worksheet.id, {"name": "Edited after the update"})
    assert after.book.worksheet(worksheet.id).answers["story"] == "It began in 2025."
    after.close()


def test_an_old_database_is_migrated_with_a_copy_taken_first(tmp_path: Path):
    path = tmp_path / "companion.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    conn.execute("INSERT INTO worksheets (uid, template_id, template_version, title, created_at, updated_at)"
                 " VALUES ('u1', 'plan', 1, 'Old', '2026-01-01', '2026-01-01')")
    conn.execute("INSERT INTO answers VALUES (1, 'title', '\"Kept\"', '2026-01-01')")
    conn.commit()
    conn.close()
    db = Database(path)
    assert db.schema_version() == SCHEMA_VERSION
    backups = list((tmp_path / "backups").glob("before-migration-v1-*.sqlite3"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    copy.close()
    db.close()
    from tests.conftest import MINI_PACK

    book = Workbook(tmp_path, MINI_PACK)
    assert book.book.worksheet(1).answers == {"title": "Kept"}
    assert [r.kind for r in book.book.history(1)] == ["create"]
    assert book._worksheets.answers_at(1, book.book.history(1)[0].id) == {"title": "Kept"}
    book.close()


def test_a_worksheet_from_a_newer_template_keeps_and_names_what_this_version_does_not_know(tmp_path):
    """A colleague's companion has a newer template: one more table column, one
    more option, one more field. Nothing of it is missing, required or lost."""
    from companion.export import share as share_format
    from companion.workbook import Workbook
    from tests.conftest import MINI_PACK

    theirs = share_format.SharedWorksheet(
        uid="newer-1", template_id="plan", template_version=2, title="From a newer companion", status="draft",
        revision=3, created_at="2027-01-01", updated_at="2027-01-02",
        answers={"title": "One door", "objective": "Open it",
                 "activities": [{"activity": "Rent rooms", "start": "2027-03-01", "co-funding": "EU"},
                                {"activity": "Train staff", "co-funding": "city"}],
                 "risk-register": "new field"})
    path = tmp_path / "newer.mldshare"
    path.write_bytes(share_format.encode([theirs]))
    book = Workbook(tmp_path / "data", MINI_PACK)
    try:
        [result] = book.sharing.import_paths([path])
        assert result.status == "imported", result.reason
        sheet = book.book.worksheet(result.worksheet_id)
        version, apart = book.book.set_apart(sheet)
        assert version == "newer"
        assert dict(apart) == {"Activities": [{"co-funding": "EU"}, {"co-funding": "city"}],
                               "risk-register": "new field"}
        assert not [i for i in book.book.issues(sheet) if i.field_id == "activities"]
        # the rows this version knows are there, and editing them keeps the newer cells
        book.book.save_answers(sheet.id, {"activities": [{"activity": "Rent two rooms", "start": "2027-03-01"},
                                                          {"activity": "Train staff"}]})
        stored = book.book.worksheet(sheet.id).answers["activities"]
        assert stored == [{"activity": "Rent two rooms", "start": "2027-03-01", "co-funding": "EU"},
                          {"activity": "Train staff", "co-funding": "city"}]
    finally:
        book.close()


def test_the_action_plan_total_is_computed_from_its_activities_and_never_typed():
    from companion.content.pack import load_pack
    from companion.errors import InputError
    from companion.worksheets import answers as answers_mod
    from tests.conftest import BUNDLED_PACK

    template = load_pack(BUNDLED_PACK).pack.templates["action-plan"]
    total = template.field("total-budget")
    assert total.type == "computed" and "total-budget" not in template.example
    shown = computed.with_computed(template, template.example)
    assert shown["total-budget"] == sum(row["budget"] for row in template.example["activities"]) == 142000
    with pytest.raises(InputError, match="computed"):
        answers_mod.coerce_all(template, {"total-budget": 5})
    assert not [i for i in answers_mod.check(template, {}) if i.field_id == "total-budget"]


def test_a_worksheet_made_with_the_first_action_plan_opens_with_every_answer_and_the_new_fields_empty(tmp_path):
    """The first version's worked example, as a participant's worksheet would
    hold it, imported into today's pack: nothing lost, nothing invented."""
    from companion.export import share as share_format
    from companion.workbook import Workbook
    from tests.conftest import BUNDLED_PACK, ROOT

    old = json.loads((ROOT / "tests" / "fixtures" / "answers" / "action-plan-v1.json").read_text(encoding="utf-8"))
    sheet = share_format.SharedWorksheet("v1-plan", "action-plan", 1, "Our plan of last year", "draft", 1,
                                         "2026-11-20", "2026-11-20", old)
    path = tmp_path / "v1.mldshare"
    path.write_bytes(share_format.encode([sheet]))
    book = Workbook(tmp_path / "data", BUNDLED_PACK)
    try:
        [result] = book.sharing.import_paths([path])
        assert result.status == "imported", result.reason
        opened = book.book.worksheet(result.worksheet_id)
        template = book.book.template_of(opened)
        fitting, apart = answers_mod.split_answers(template, opened.answers)
        assert set(fitting) | set(apart) == set(old)  # every answer is there, in place or set apart
        assert fitting["activities"] == old["activities"] and fitting["title"] == old["title"]
        version, shown_apart = book.book.set_apart(opened)
        assert version == "earlier" and ("Total budget", old["total-budget"]) in shown_apart
        for new_field in ("theory-of-change", "currency", "consultations"):
            assert template.field(new_field) is not None and answers_mod.is_empty(fitting.get(new_field))
        assert computed.with_computed(template, fitting)["total-budget"] == sum(
            row.get("budget", 0) for row in old["activities"])
    finally:
        book.close()


def test_an_earlier_risk_scale_carries_over_to_the_one_scale(tmp_path):
    from companion.content.pack import load_pack
    from tests.conftest import BUNDLED_PACK

    canvas = load_pack(BUNDLED_PACK).pack.templates["remittance-canvas"]
    risks = [f for f in canvas.fields() if f.type == "table" and f.column("likelihood")][0]
    [row] = answers_mod.coerce(risks, [{"risk": "Fraud", "likelihood": "medium", "impact": "high"}])
    assert (row["likelihood"], row["impact"]) == (2, 3)
    assert answers_mod.display_text(risks.column("impact"), 3) == "3 / 3 (High)"
