"""Search, progress, notes and follow-up from a terminal or a trainer's script."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest

from tests.e2e.conftest import one_line


def _error_line(result) -> str:
    assert result.returncode == 2
    return one_line(result)


@pytest.fixture
def plan(run, tmp_path):
    answers = tmp_path / "plan.json"
    answers.write_text(json.dumps({"title": "Uma porta para a informação", "activities": [
        {"activity": "Abrir o centro", "start": "2026-03-01", "end": "2026-06-30"},
        {"activity": "Train staff", "start": "2030-01-01", "end": "2030-02-01"}]}), encoding="utf-8")
    created = run("worksheets", "new", "plan", "--title", "Plano de Mirazul", "--answers", str(answers))
    assert created.returncode == 0, created.stderr
    return created.stdout.strip()


def test_search_json_finds_worksheets_topics_and_terms(run, plan):
    result = run("search", "informacao", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found == [{"kind": "worksheet", "id": plan, "title": "Plano de Mirazul",
                      "snippet": found[0]["snippet"], "score": found[0]["score"], "language": ""}]
    assert "**informação**" in found[0]["snippet"] and found[0]["score"] >= 0
    kinds = {r["kind"] for r in json.loads(run("search", "diaspora", "--json").stdout)}
    assert {"topic", "glossary"} <= kinds
    text = run("search", "Mirazul desk")
    assert "Topics" in text.stdout and "[desk]" in text.stdout and "(topic:core-why-local#practice-example)" in text.stdout


@pytest.mark.parametrize("query", ['"', "AND", "*", "NEAR(", "-", "title:x OR"])
def test_search_with_fts_syntax_never_crashes(run, plan, query):
    result = run("search", query, "--json")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert isinstance(json.loads(result.stdout), list)


def test_an_empty_search_is_one_line_and_exit_2(run):
    assert "words to search" in _error_line(run("search", " "))


def test_progress_notes_and_bookmarks(run):
    assert run("progress", "read", "core-why-local").stdout.strip() == "marked 'Why local' as read"
    assert run("notes", "set", "core-why-local", "Perguntar sobre a formação").returncode == 0
    assert run("notes", "bookmark", "m1-coherence").returncode == 0
    progress = json.loads(run("progress", "show", "--json").stdout)
    assert progress["topics_read"] == 1 and progress["modules"][0]["topics_read"] == 1
    assert progress["next_step"] == {"kind": "worksheet", "id": "plan", "title": "Action plan"}
    listed = json.loads(run("notes", "list", "--json").stdout)
    assert listed["notes"][0]["text"] == "Perguntar sobre a formação"
    assert [b["id"] for b in listed["bookmarks"]] == ["m1-coherence"]
    assert [r["kind"] for r in json.loads(run("search", "formacao", "--json").stdout)] == ["note"]
    assert "no topic 'nope'" in _error_line(run("progress", "read", "nope"))


def test_a_follow_up_check_in_appears_in_the_report(run, plan, tmp_path):
    done = run("followup", "checkin", plan, "1", "--status", "in-progress", "--comment", "Sala alugada no anexo",
               "--date", "2026-05-02")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "recorded: Abrir o centro: in progress on 2026-05-02"
    assert run("followup", "checkin", plan, "2", "--status", "blocked", "--json").returncode == 0
    shown = json.loads(run("followup", "show", plan, "--json").stdout)
    assert [a["status"] for a in shown["activities"]] == ["in-progress", "blocked"]
    assert shown["activities"][0]["checkins"][0]["comment"] == "Sala alugada no anexo"
    assert shown["activities"][0]["overdue"] is (dt.date.today() > dt.date(2026, 6, 30))
    out = tmp_path / "follow-up.pdf"
    report = run("followup", "report", plan, "--out", str(out))
    assert report.returncode == 0, report.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "Sala alugada no anexo" in text and "Abrir o centro" in text and "blocked" in text


def test_bad_check_ins_are_one_line_and_exit_2(run, plan):
    assert "no activity 7" in _error_line(run("followup", "checkin", plan, "7", "--status", "done"))
    assert "not a status" in _error_line(run("followup", "checkin", plan, "1", "--status", "finished"))
    assert "in the future" in _error_line(run("followup", "checkin", plan, "1", "--status", "done",
                                              "--date", "2999-01-01"))
    assert "no worksheet with id 42" in _error_line(run("followup", "show", "42"))
    assert run("followup", "show", plan, "--json").stdout.count('"checkins": []') == 2
