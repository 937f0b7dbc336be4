"""Portable mode: data beside the bundle on a stick, and a read-only stick falling back."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from companion import paths
from companion.workbook import portable


@pytest.fixture(autouse=True)
def _no_overrides(monkeypatch, tmp_path):
    monkeypatch.delenv("COMPANION_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "laptop"))  # platformdirs' user folder on Linux


def _stick(tmp_path: Path, marker: bool = True) -> Path:
    exe_dir = tmp_path / "stick" / "companion-0.1.0-linux-x86_64"
    exe_dir.mkdir(parents=True)
    (exe_dir / "companion").write_text("")
    if marker:
        (exe_dir / paths.PORTABLE_MARKER).write_text("portable\n")
    return exe_dir


def test_a_marker_or_a_data_folder_beside_the_executable_turns_portable_mode_on(tmp_path):
    exe_dir = _stick(tmp_path, marker=False)
    assert paths.portable_dir_for(exe_dir) is None
    (exe_dir / paths.PORTABLE_DIR_NAME).mkdir()
    assert paths.portable_dir_for(exe_dir) == exe_dir / "companion-data"
    (exe_dir / paths.PORTABLE_DIR_NAME).rmdir()
    (exe_dir / paths.PORTABLE_MARKER).write_text("")
    assert paths.portable_dir_for(exe_dir) == exe_dir / "companion-data"
    assert paths.portable_dir_for(None) is None


def test_portable_data_is_kept_beside_the_bundle_wherever_the_stick_is_mounted(tmp_path):
    exe_dir = _stick(tmp_path)
    folder = portable.resolve(exe_dir=exe_dir)
    assert folder.portable and not folder.fell_back
    assert folder.path == exe_dir / "companion-data" and folder.path.is_dir()
    moved = tmp_path / "E_drive" / exe_dir.name  # the same stick under another drive letter
    moved.parent.mkdir()
    exe_dir.rename(moved)
    assert portable.resolve(exe_dir=moved).path == moved / "companion-data"
    assert not (tmp_path / "laptop").exists(), "nothing was written to the laptop's folder"


def test_the_frozen_app_finds_its_portable_folder_from_its_own_executable(tmp_path, monkeypatch):
    exe_dir = _stick(tmp_path)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe_dir / "companion"))
    assert paths.data_dir() == exe_dir / "companion-data"
    assert portable.resolve().path == exe_dir / "companion-data"
    monkeypatch.setenv("COMPANION_HOME", str(tmp_path / "chosen"))
    assert portable.resolve().path == tmp_path / "chosen"  # a folder the person named always wins
    assert portable.resolve(tmp_path / "explicit").path == tmp_path / "explicit"


def test_a_read_only_stick_falls_back_to_the_laptops_folder_and_says_why(tmp_path):
    exe_dir = _stick(tmp_path)
    folder = portable.resolve(exe_dir=exe_dir, probe=lambda path: "Read-only file system")
    assert folder.fell_back and not folder.portable
    assert folder.path == tmp_path / "laptop" / paths.APP_DIR_NAME
    assert folder.wanted == exe_dir / "companion-data"
    warning = folder.warning()
    assert "cannot be written (Read-only file system)" in warning
    assert str(folder.wanted) in warning and str(folder.path) in warning


def test_the_real_probe_reports_a_folder_that_cannot_be_made(tmp_path):
    blocked = tmp_path / "companion-data"
    blocked.write_text("a file where the folder should be")
    assert portable.writable_problem(blocked)
    assert portable.writable_problem(tmp_path / "fine") is None
    assert list((tmp_path / "fine").iterdir()) == [], "the probe leaves nothing behind"
    exe_dir = _stick(tmp_path)
    (exe_dir / "companion-data").write_text("in the way")
    assert portable.resolve(exe_dir=exe_dir).fell_back
