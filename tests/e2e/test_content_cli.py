"""Content packs, the self-check and a read-only stick, as a trainer's terminal sees them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MINI_PACK, ROOT
from tests.unit.test_packs import newer_pack, zip_of


@pytest.fixture
def run(tmp_path: Path):
    def run(*args: str, env_extra: dict | None = None, code: str | None = None):
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "COMPANION_HOME")}
        env.update({"COMPANION_CONTENT": str(MINI_PACK), "QT_QPA_PLATFORM": "offscreen",
                    "XDG_DATA_HOME": str(tmp_path / "laptop"), **(env_extra or {})})
        command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "companion", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=180)
    return run


def _one_line(result) -> str:
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "propagateSizeHints" not in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_pack_install_list_and_the_answers_kept(run, tmp_path):
    home = ["--data-dir", str(tmp_path / "home")]
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"title": "One door", "objective": "Open a centre"}))
    assert run(*home, "worksheets", "new", "plan", "--answers", str(answers)).returncode == 0
    source = newer_pack(tmp_path / "src")
    archive = tmp_path / "mini-1.1.0.zip"
    packed = run("content", "pack", str(source), "--out", str(archive))
    assert packed.returncode == 0 and "mini-en version 1.1.0" in packed.stdout

    dry = run(*home, "content", "install", str(archive), "--dry-run")
    assert dry.returncode == 0 and "would install mini-en version 1.1.0" in dry.stdout
    assert "removed fields: objective" in dry.stdout and not (tmp_path / "home" / "packs" / "mini-en").exists()
    done = run(*home, "content", "install", str(archive), "--json", "--allow-unsigned")
    report = json.loads(done.stdout)
    assert report["status"] == "installed" and report["changes"]["new_topics"][0]["id"] == "core-new"
    listing = json.loads(run(*home, "content", "list", "--json").stdout)
    assert [(r["id"], r["version"]) for r in listing if r["in_use"]] == [("mini-en", "1.1.0")]
    shown = json.loads(run(*home, "worksheets", "show", "1", "--json").stdout)
    assert shown["set_apart"] == {"version": "earlier", "answers": {"Objective": "Open a centre"}} and shown["answers"]["title"] == "One door"
    again = run(*home, "content", "install", str(archive))
    assert again.returncode == 0 and "already in use" in again.stdout


def test_a_broken_pack_is_refused_in_one_line(run, tmp_path):
    source = newer_pack(tmp_path / "src")
    topic = source / "modules" / "core" / "01-why-local.md"
    topic.write_text(topic.read_text().replace("topic:m1-coherence", "topic:gone"))
    packed = run("content", "pack", str(source), "--out", str(tmp_path / "bad.zip"))
    assert packed.returncode == 2 and "broken link" in packed.stdout
    assert "not valid: 1 problem:" in _one_line(packed) and not (tmp_path / "bad.zip").exists()
    refused = run("--data-dir", str(tmp_path / "home"), "content", "install",
                  str(zip_of(source, tmp_path / "bad.zip")))
    assert refused.returncode == 2 and "broken link" in _one_line(refused)
    evil = zip_of(newer_pack(tmp_path / "src2"), tmp_path / "evil.zip", [("mini-en/../../evil.txt", b"x")])
    hostile = run("--data-dir", str(tmp_path / "home"), "content", "install", str(evil))
    assert hostile.returncode == 2 and "outside the pack folder" in _one_line(hostile)
    assert not list(tmp_path.rglob("evil.txt"))
    listing = json.loads(run("--data-dir", str(tmp_path / "home"), "content", "list", "--json").stdout)
    assert [r["version"] for r in listing if r["in_use"]] == ["1.0.0"]


def test_self_check_passes_and_writes_nothing_to_the_data_folder(run, tmp_path):
    result = run("--data-dir", str(tmp_path / "home"), "self-check")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert all(line.startswith("ok: ") for line in lines[:-1]), result.stdout
    assert "drew the main window offscreen" in result.stdout and "share file" in result.stdout
    assert lines[-1].startswith("self-check passed")
    assert not (tmp_path / "home").exists()


FROZEN = (
    "import sys; sys.frozen = True; sys.executable = sys.argv[1]; "
    "from companion.cli.main import main; sys.exit(main(sys.argv[2:]))"
)


def test_portable_mode_keeps_data_beside_the_executable(run, tmp_path):
    exe_dir = tmp_path / "stick" / "companion"
    exe_dir.mkdir(parents=True)
    (exe_dir / "portable.txt").write_text("")
    created = run(str(exe_dir / "companion"), "worksheets", "new", "plan", "--title", "On the stick", code=FROZEN)
    assert created.returncode == 0, created.stderr
    assert (exe_dir / "companion-data" / "companion.sqlite3").is_file()
    assert not (tmp_path / "laptop").exists()


def test_a_read_only_stick_warns_in_one_line_and_uses_the_laptops_folder(run, tmp_path):
    exe_dir = tmp_path / "stick" / "companion"
    exe_dir.mkdir(parents=True)
    (exe_dir / "portable.txt").write_text("")
    (exe_dir / "companion-data").write_text("a file in the way: the folder cannot be made")
    created = run(str(exe_dir / "companion"), "worksheets", "new", "plan", "--title", "Laptop", code=FROZEN)
    assert created.returncode == 0, created.stderr
    warning = _one_line(created)
    assert "on the stick" in warning and "cannot be written" in warning and "this computer's folder" in warning
    assert (tmp_path / "laptop" / "MLDCompanion" / "companion.sqlite3").is_file()
    listing = run(str(exe_dir / "companion"), "worksheets", "list", "--json", code=FROZEN)
    assert [w["title"] for w in json.loads(listing.stdout)] == ["Laptop"]


def test_packing_the_bundled_content_gives_an_archive_that_passes_its_own_checks(run, tmp_path):
    out = tmp_path / "toolbox.zip"
    result = run("content", "pack", str(ROOT / "content" / "en"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        assert "toolbox-en/manifest.yaml" in archive.namelist()
