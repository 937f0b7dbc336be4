"""A yes/no question at the terminal takes the language's own yes (oui, sí, sim, نعم, and
their short forms) besides y and yes, and says so in the question."""
from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _at_terminal(args: list[str], answer: str, home: Path) -> tuple[str, int]:
    """Run the companion at a pseudo-terminal, type ``answer`` at its question; (what it showed, exit code)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(COMPANION_HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "companion", *args], stdin=follower, stdout=follower,
                               stderr=follower, env=env, cwd=ROOT)
    os.close(follower)
    shown, typed, deadline = b"", False, time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the program ended and closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        if not typed and b": " in shown.rsplit(b"\n", 1)[-1]:
            os.write(leader, answer.encode("utf-8") + b"\n")
            typed = True
        if process.poll() is not None and not ready:
            break
    os.close(leader)
    return shown.decode("utf-8", "replace"), process.wait(timeout=30)


@pytest.fixture
def key(run, tmp_path):
    made = run("content", "keygen", "--out", str(tmp_path / "amina"), "--name", "Amina")
    assert made.returncode == 0, made.stderr
    return tmp_path / "amina.pub", made.stdout.split("fingerprint: ")[1].strip()


@pytest.mark.parametrize(("language", "answer", "word_asked"), [
    ("fr", "oui", "oui"), ("fr", "O", "oui"), ("es", "sí", "sí"), ("es", "si", "sí"), ("pt", "sim", "sim"),
    ("ar", "نعم", "نعم"), ("ar", "ن", "نعم"), ("fr", "yes", "oui"), ("en", "y", "yes"),
])
def test_the_trust_question_takes_the_languages_own_yes(key, tmp_path, language, answer, word_asked):
    public, fingerprint = key
    shown, code = _at_terminal(["--lang", language, "content", "trust", str(public)], answer, tmp_path / "home")
    question = [line for line in shown.splitlines() if "?" in line or "؟" in line]
    assert question and word_asked in question[0], shown
    assert code == 0, shown
    assert (tmp_path / "home" / "trusted-keys" / f"{fingerprint}.pub").is_file()


@pytest.mark.parametrize(("language", "answer"), [("fr", "non"), ("en", "oui"), ("ar", "لا"), ("es", "")])
def test_any_other_answer_trusts_nothing(key, tmp_path, language, answer):
    public, fingerprint = key
    shown, code = _at_terminal(["--lang", language, "content", "trust", str(public)], answer, tmp_path / "home")
    assert code != 0, shown
    assert not (tmp_path / "home" / "trusted-keys").exists()
