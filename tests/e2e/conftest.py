"""The companion command run as a subprocess, the way a trainer's script or a
person at a terminal runs it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI_PACK, ROOT


@pytest.fixture
def run(tmp_path: Path):
    """``run(*args)``: ``python -m companion ARGS`` with its own data folder
    (COMPANION_HOME under tmp_path), the small test pack, offscreen and no
    display. ``pack=None`` uses the bundled pack; ``display=False`` leaves
    QT_QPA_PLATFORM unset; ``env_extra`` adds variables."""
    def run(*args: str, pack: Path | None = MINI_PACK, env_extra: dict | None = None,
            display: bool = True) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
        env["COMPANION_HOME"] = str(tmp_path / "home")
        if pack is not None:
            env["COMPANION_CONTENT"] = str(pack)
        if display:
            env["QT_QPA_PLATFORM"] = "offscreen"
        env.update(env_extra or {})
        return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=120)
    return run


def one_line(result: subprocess.CompletedProcess) -> str:
    """The single line a failed command printed on stderr (no traceback)."""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]
