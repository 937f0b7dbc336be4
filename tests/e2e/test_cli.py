"""The companion command as a trainer's script or a person at a terminal runs it."""
from __future__ import annotations

import json
import shutil
import subprocess

from tests.e2e.conftest import one_line
from tests.conftest import BUNDLED_PACK, MINI_PACK


def test_version(run):
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("companion 0.")


def test_bad_usage_is_one_line_and_exit_2(run):
    result = run("export", "pdf")
    assert result.returncode == 2
    assert "--out" in one_line(result) or "ID" in result.stderr


def test_content_check_passes_a_valid_pack_and_lists_problems_of_a_broken_one(run, tmp_path):
    ok = run("content", "check", str(MINI_PACK))
    assert ok.returncode == 0 and "valid" in ok.stdout
    broken = tmp_path / "broken"
    shutil.copytree(MINI_PACK, broken)
    topic = broken / "modules" / "core" / "01-why-local.md"
    topic.write_text(topic.read_text().replace("topic:m1-coherence", "topic:gone"))
    bad = run("content", "check", str(broken))
    assert bad.returncode == 1
    assert f"{broken}/modules/core/01-why-local.md:15: broken link: there is no topic 'gone'" in bad.stdout
    missing = run("content", "check", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "not a folder" in one_line(missing)


def test_content_stats_json(run):
    result = run("content", "stats", str(MINI_PACK), "--json")
    figures = json.loads(result.stdout)
    assert set(figures) == {"language", "modules", "topics", "words", "worksheets", "glossary"}
    assert figures["topics"] == 3


def test_create_list_show_and_export_a_worksheet(run, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"title": "Uma porta para todos", "activities": [
        {"activity": "Abrir o centro", "start": "2027-03-01", "end": "2027-06-30", "budget": 5000}]}),
        encoding="utf-8")
    created = run("worksheets", "new", "plan", "--title", "Plano de Mirazul", "--answers", str(answers))
    assert created.returncode == 0, created.stderr
    worksheet_id = created.stdout.strip()
    listing = json.loads(run("worksheets", "list", "--json").stdout)
    assert listing[0]["title"] == "Plano de Mirazul" and listing[0]["completion"] == 67
    shown = json.loads(run("worksheets", "show", worksheet_id, "--json").stdout)
    assert shown["answers"]["activities"][0]["budget"] == 5000
    assert shown["problems"][0]["field"] == "objective"
    out = tmp_path / "plan.pdf"
    exported = run("export", "pdf", worksheet_id, "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout \
        if shutil.which("pdftotext") else __import__("pypdf").PdfReader(out).pages[0].extract_text()
    assert "Plano de Mirazul" in text and "Uma porta para todos" in text and "Abrir o centro" in text


def test_bad_answers_are_refused_and_nothing_is_created(run, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"title": "x", "activities": [{"activity": "a", "start": "March"}]}))
    result = run("worksheets", "new", "plan", "--answers", str(answers))
    assert result.returncode == 2
    assert "YYYY-MM-DD" in one_line(result)
    answers.write_text("{not json")
    assert "not valid JSON" in one_line(run("worksheets", "new", "plan", "--answers", str(answers)))
    assert json.loads(run("worksheets", "list", "--json").stdout) == []
    assert "no worksheet with id 9" in one_line(run("export", "pdf", "9", "--out", str(tmp_path / "x.pdf")))


def test_screenshot_draws_the_real_window(run, tmp_path):
    out = tmp_path / "home.png"
    result = run("screenshot", str(out), "--view", "topic:core-why-local", "--size", "1024x700")
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 700)
    assert len({image.pixel(x, y) for x in range(0, 1024, 16) for y in range(0, 700, 16)}) > 10
    assert "should be home" in one_line(run("screenshot", str(out), "--view", "nowhere"))
    assert "no topic 'x'" in one_line(run("screenshot", str(out), "--view", "topic:x"))


def test_without_a_display_the_app_says_how_to_run_it(run):
    result = run(display=False)
    assert result.returncode == 2
    assert "no display found" in one_line(result) and "xvfb-run" in result.stderr


def test_the_bundled_pack_is_used_by_default(run):
    result = run("worksheets", "templates", "--json", pack=None)
    assert result.returncode == 0
    assert BUNDLED_PACK.is_dir() and isinstance(json.loads(result.stdout), list)


def test_the_worksheet_operations_from_the_command_line(run):
    first = run("worksheets", "new", "plan", "--title", "Mine", "--json")
    worksheet_id = str(json.loads(first.stdout)["id"])
    assert json.loads(run("worksheets", "rename", worksheet_id, "Our plan", "--json").stdout)["title"] == "Our plan"
    copy = json.loads(run("worksheets", "duplicate", worksheet_id, "--title", "Next year", "--json").stdout)
    assert copy["title"] == "Next year" and copy["id"] != int(worksheet_id)
    refused = run("worksheets", "complete", worksheet_id)
    assert refused.returncode == 2 and "Title" in one_line(refused)
    assert run("worksheets", "delete", worksheet_id).returncode == 0
    bin_rows = json.loads(run("worksheets", "bin", "--json").stdout)
    assert [r["id"] for r in bin_rows] == [int(worksheet_id)]
    assert run("worksheets", "restore", worksheet_id).returncode == 0
    history = json.loads(run("worksheets", "history", worksheet_id, "--json").stdout)
    assert history[-1]["kind"] == "create"
    reverted = run("worksheets", "revert", worksheet_id, str(history[-1]["revision"]), "--json")
    assert reverted.returncode == 0, reverted.stderr
    assert json.loads(run("worksheets", "history", worksheet_id, "--json").stdout)[0]["kind"] == "restore"
    assert "no revision 9999" in one_line(run("worksheets", "revert", worksheet_id, "9999"))


def test_export_share_csv_pdf_all_and_import_from_the_command_line(run, tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"title": "Informação", "activities": [{"activity": "Abrir"}]}), encoding="utf-8")
    worksheet_id = run("worksheets", "new", "plan", "--title", "Plano", "--answers", str(answers)).stdout.strip()
    share = tmp_path / "plano.mldshare"
    assert run("export", "share", worksheet_id, "--out", str(share)).returncode == 0
    csv_out = tmp_path / "plano.csv"
    assert run("export", "csv", worksheet_id, "--out", str(csv_out)).returncode == 0
    assert "Abrir" in csv_out.read_text(encoding="utf-8-sig")
    pdf = tmp_path / "all.pdf"
    assert run("export", "pdf", "--all", "--out", str(pdf)).returncode == 0
    assert "--all" in one_line(run("export", "pdf", "--out", str(pdf)))
    folder = tmp_path / "stick"
    folder.mkdir()
    (folder / "plano.mldshare").write_bytes(share.read_bytes())
    (folder / "broken.mldshare").write_text("{")
    env = {"COMPANION_HOME": str(tmp_path / "trainer")}
    result = run("import", str(folder), str(pdf), "--json", env_extra=env)
    summary = json.loads(result.stdout)
    assert [r["title"] for r in summary["imported"]] == ["Plano"]
    assert [r["title"] for r in summary["duplicates"]] == ["Plano"]
    assert summary["refused"][0]["file"].endswith("broken.mldshare") and summary["refused"][0]["reason"]
    again = run("import", str(share), env_extra=env)
    assert again.returncode == 0 and "0 imported, 1 already here, 0 refused" in again.stdout
    bad = run("import", str(folder / "broken.mldshare"), env_extra=env)
    assert bad.returncode == 2 and "broken.mldshare" in bad.stderr and "Traceback" not in bad.stderr


def test_output_cut_short_by_a_pager_or_head_is_not_an_error(run, tmp_path):
    import os
    import sys

    from tests.conftest import ROOT

    answers = tmp_path / "long.json"
    answers.write_text(json.dumps({"objective": "A long objective. " * 5000}))  # far more than a pipe holds
    assert run("worksheets", "new", "plan", "--title", "Long", "--answers", str(answers)).returncode == 0
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(COMPANION_HOME=str(tmp_path / "home"), COMPANION_CONTENT=str(MINI_PACK), QT_QPA_PLATFORM="offscreen")
    piped = subprocess.run(f"{sys.executable} -m companion worksheets show 1 --json | head -c 10 >/dev/null; "
                           f"echo ${{PIPESTATUS[0]}}", shell=True, executable="/bin/bash", capture_output=True,
                           text=True, env=env, cwd=str(ROOT))
    assert piped.stderr == "" and piped.stdout.strip() == "0"
