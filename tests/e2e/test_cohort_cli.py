"""A trainer at a terminal: participants' profiles, their files handed in, a
cohort report from them, and blank worksheets to photocopy."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from companion.workbook import Workbook
from tests.conftest import BUNDLED_PACK
from tests.e2e.conftest import one_line

PEOPLE = [("Amina Yusuf", "City of Addis Ababa", "Addis Ababa", "Ethiopia"),
          ("Carlos Pérez", "Municipalidad de Cuenca", "Cuenca", "Ecuador"),
          ("Mariam Diallo", "Mairie de Kayes", "Kayes", "Mali")]


def _examples(tmp_path: Path) -> dict[str, Path]:
    book = Workbook(tmp_path / "examples", BUNDLED_PACK)
    out = {}
    for template_id in ("action-plan", "stakeholder-map"):
        out[template_id] = tmp_path / f"{template_id}.json"
        out[template_id].write_text(json.dumps(book.template(template_id).example), encoding="utf-8")
    book.close()
    return out


def test_three_participants_files_make_one_cohort_report(run, tmp_path):
    examples = _examples(tmp_path)
    handin = tmp_path / "handed-in"
    handin.mkdir()
    ids = {}
    for n, (name, org, city, country) in enumerate(PEOPLE):
        data = ["--data-dir", str(tmp_path / f"participant{n}")]
        shown = run(*data, "profile", "set", "--name", name, "--organisation", org, "--city", city,
                    "--country", country, "--json", pack=None)
        assert shown.returncode == 0, shown.stderr
        ids[name] = json.loads(shown.stdout)["participant_id"]
        made = [run(*data, "worksheets", "new", tid, "--answers", str(path), pack=None).stdout.strip()
                for tid, path in examples.items()]
        assert run(*data, "export", "share", *made, "--out", str(handin / f"p{n}.mldshare"), pack=None).returncode == 0
        assert run(*data, "export", "pdf", made[0], "--out", str(handin / f"p{n}-plan.pdf"), pack=None).returncode == 0
        if n == 0:  # the stakeholder map finished later, and handed in again
            run(*data, "worksheets", "complete", made[1], pack=None)
            run(*data, "export", "share", made[1], "--out", str(handin / "p0-map-final.mldshare"), pack=None)
    again = run("--data-dir", str(tmp_path / "participant0"), "profile", "show", "--json", pack=None)
    assert json.loads(again.stdout)["participant_id"] == ids["Amina Yusuf"]  # made once, kept
    (handin / "photo-of-flipchart.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00" * 200)
    out = tmp_path / "report"
    result = run("cohort", "report", str(handin), "--out", str(out), "--json", pack=None)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["participants"], summary["worksheets"], summary["set_aside"]) == (3, 6, 4)
    assert [Path(x["file"]).name for x in summary["not_read"]] == ["photo-of-flipchart.pdf"]
    assert one_line(result).startswith("companion: could not read ")
    assert sorted(p.name for p in out.iterdir()) == ["cohort.pdf", "cohort.sqlite", "cohort.xlsx"]
    db = sqlite3.connect(out / "cohort.sqlite")
    assert dict(db.execute("SELECT name, participant_id FROM participants")) == ids
    status = db.execute("SELECT status FROM worksheets WHERE name = 'Amina Yusuf' AND template = 'stakeholder-map'")
    assert status.fetchone() == ("complete",)  # the one handed in last
    db.close()
    listed = run("worksheets", "list", "--json", pack=None)  # the trainer's own workbook: nothing imported
    assert json.loads(listed.stdout) == []


def test_bad_input_is_one_line_and_exit_2(run, tmp_path):
    missing = run("cohort", "report", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r"), pack=None)
    assert missing.returncode == 2 and "could be read" in one_line(missing) and "no such file" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run("cohort", "report", str(empty), "--out", str(tmp_path / "r"), pack=None)
    assert nothing.returncode == 2 and "no share file" in one_line(nothing)
    assert run("profile", "set", pack=None).returncode == 2
    unknown = run("export", "blank", "no-such-template", "--out", str(tmp_path / "b.pdf"), pack=None)
    assert unknown.returncode == 2 and "no-such-template" in one_line(unknown)
    both = run("export", "blank", "swot", "--all", "--out", str(tmp_path / "b.pdf"), pack=None)
    assert both.returncode == 2 and "--all" in one_line(both)


def test_blank_worksheets_for_the_whole_course(run, tmp_path):
    out = tmp_path / "blank.pdf"
    result = run("export", "blank", "--all", "--out", str(out), pack=None)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:5] == b"%PDF-" and out.stat().st_size > 50_000
