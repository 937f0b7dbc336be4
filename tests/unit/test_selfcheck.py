"""The self-check: every step reported, nothing written to the person's data folder."""
from __future__ import annotations

import shutil

from companion.workbook import packs, selfcheck
from tests.conftest import MINI_PACK


def test_every_step_passes_on_a_good_installation_and_the_data_folder_is_untouched(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_CONTENT", str(MINI_PACK))
    data = tmp_path / "data"
    steps = list(selfcheck.run(data))
    assert [s.status for s in steps if s.failed] == [], [s.line for s in steps]
    lines = "\n".join(s.line for s in steps)
    assert "ok: bundled content pack mini-en 1.0.0" in lines
    assert "ok: created 2 worksheets" in lines and "ok: exported them to a PDF" in lines
    assert "ok: exported a share file and imported it back (2 worksheets" in lines
    assert not data.exists()


def test_a_broken_installed_pack_is_reported_and_the_other_steps_still_run(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_CONTENT", str(MINI_PACK))
    data = tmp_path / "data"
    broken = shutil.copytree(MINI_PACK, packs.packs_dir(data) / "mini-en")
    (broken / "manifest.yaml").write_text((MINI_PACK / "manifest.yaml").read_text().replace("1.0.0", "1.5.0"))
    topic = broken / "modules" / "core" / "01-why-local.md"
    topic.write_text(topic.read_text().replace("topic:m1-coherence", "topic:gone"))
    steps = list(selfcheck.run(data))
    failed = [s.line for s in steps if s.failed]
    assert len(failed) == 1 and failed[0].startswith("FAILED: installed content pack") and "broken link" in failed[0]
    assert any(s.line.startswith("ok: exported them to a PDF") for s in steps)


def test_a_failing_step_is_one_line_and_does_not_stop_the_others(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_CONTENT", str(MINI_PACK))

    def window_check(book):
        raise RuntimeError("no platform plugin\nsecond line")

    steps = list(selfcheck.run(tmp_path / "data", window_check))
    assert steps[-1].line == "FAILED: drawing the main window: RuntimeError: no platform plugin"
    assert sum(s.failed for s in steps) == 1


def test_a_bundle_missing_markdowns_table_extension_is_caught(tmp_path, monkeypatch):
    from companion.content import markdown

    monkeypatch.setattr(markdown, "EXTENSIONS", ["sane_lists"])
    steps = list(selfcheck.check_packs(tmp_path / "data"))
    assert any(s.failed and "tables extension is missing" in s.line for s in steps), [s.line for s in steps]
