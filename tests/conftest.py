"""Shared fixtures. Qt runs offscreen: set before anything imports Qt."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_sessionstart(session) -> None:
    """The translation catalogues compiled from their .po files (kept when up to date)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("catalogue", Path(__file__).resolve().parent.parent / "scripts"
                                                  / "catalogue.py")
    catalogue = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(catalogue)
    catalogue.compile_all()

ROOT = Path(__file__).resolve().parent.parent
MINI_PACK = ROOT / "tests" / "fixtures" / "packs" / "mini"
BUNDLED_PACK = ROOT / "content" / "en"


@pytest.fixture
def mini_pack(tmp_path: Path) -> Path:
    """A writable copy of the small valid pack, for tests that break it."""
    target = tmp_path / "pack"
    shutil.copytree(MINI_PACK, target)
    return target


@pytest.fixture
def workbook(tmp_path: Path):
    from companion.workbook import Workbook

    book = Workbook(tmp_path / "data", MINI_PACK)
    yield book
    book.close()
