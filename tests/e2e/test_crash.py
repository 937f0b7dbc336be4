"""Crashes: a process saving answers is killed (SIGKILL) at random moments.

After every kill the database must pass ``PRAGMA integrity_check`` and hold
every save that was acknowledged: the child prints a number only after
Workbook.save_answers has returned, so the stored number is the last one
printed, or the one after it (in flight when the kill came), never less.
The answers and their revision must agree (one transaction).

Two lanes run side by side (one data folder each, reused across kills) to
use both cores; COMPANION_CRASH_KILLS sets the total (default 210).
"""
from __future__ import annotations

import json
import os
import random
import selectors
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import MINI_PACK, ROOT

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

CHILD = Path(__file__).with_name("crash_child.py")
KILLS = int(os.environ.get("COMPANION_CRASH_KILLS", "210"))
LANES = 2
STARTUP_KILL_EVERY = 8  # every 8th kill lands while the child starts (opening, WAL recovery)


def _read_line(proc: subprocess.Popen, timeout: float) -> bytes:
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return b""
    return proc.stdout.readline()


def _stored(database: Path, worksheet_id: int) -> tuple[str, int | None, int | None]:
    """(integrity_check, the stored number, the number in the newest revision), read-only."""
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        integrity = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        row = conn.execute("SELECT value FROM answers WHERE worksheet_id = ? AND field_id = 'title'",
                           (worksheet_id,)).fetchone()
        revision = conn.execute(
            "SELECT v.value FROM revision_values v JOIN revisions r ON r.id = v.revision_id"
            " WHERE r.worksheet_id = ? AND v.field_id = 'title' ORDER BY r.id DESC LIMIT 1",
            (worksheet_id,)).fetchone()
    finally:
        conn.close()
    number = int(json.loads(row[0])) if row else None
    return integrity, number, int(json.loads(revision[0])) if revision else None


def _lane(data: Path, kills: int, seed: int, report: dict) -> None:
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    database = data / "companion.sqlite3"
    verified: int | None = None
    worksheet_id: int | None = None
    saves = 0
    for kill in range(kills):
        proc = subprocess.Popen([sys.executable, str(CHILD), str(data), str(MINI_PACK)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        delay = rng.uniform(0.02, 0.3)
        during_start = kill % STARTUP_KILL_EVERY == STARTUP_KILL_EVERY - 1
        start_number = None
        if during_start:
            time.sleep(delay)
        else:
            ready = _read_line(proc, 60)
            if not ready.startswith(b"ready"):
                proc.kill()
                _, err = proc.communicate()
                raise AssertionError(f"kill {kill}: the child did not start: {err.decode(errors='replace')}")
            _, ident, number = ready.split()
            worksheet_id, start_number = int(ident), int(number)
            if verified is not None:
                assert start_number == verified, f"kill {kill}: the child found {start_number}, not {verified}"
            time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL, f"kill {kill}: the child ended by itself: {err.decode()}"
        lines = out.split(b"\n")
        if during_start and lines and lines[0].startswith(b"ready"):
            _, ident, number = lines[0].split()
            worksheet_id, start_number = int(ident), int(number)
        acknowledged = [int(line) for line in lines[:-1] if line and not line.startswith(b"ready")]
        saves += len(acknowledged)
        if worksheet_id is None:
            continue  # killed before the first worksheet existed
        integrity, stored, revision = _stored(database, worksheet_id)
        assert integrity == "ok", f"kill {kill} (seed {seed}): the database is damaged: {integrity}"
        floor = acknowledged[-1] if acknowledged else (start_number if start_number is not None else verified)
        assert revision == stored, f"kill {kill} (seed {seed}): the answers and their revision differ"
        floor, stored = floor or 0, stored or 0
        assert floor <= stored <= floor + 1, (
            f"kill {kill} (seed {seed}): last acknowledged save {floor}, stored {stored}: "
            "an acknowledged save was lost")
        verified = stored
    report.update(kills=kills, saves=saves, last=verified)


def test_kill_during_saves_never_corrupts_or_loses_an_acknowledged_save(tmp_path: Path):
    per_lane = [KILLS // LANES + (1 if i < KILLS % LANES else 0) for i in range(LANES)]
    reports = [dict() for _ in range(LANES)]
    errors: list[BaseException] = []

    def run(lane: int) -> None:
        try:
            _lane(tmp_path / f"lane{lane}", per_lane[lane], 7919 * (lane + 1) + int(time.time()), reports[lane])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(lane,)) for lane in range(LANES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    total = sum(r["kills"] for r in reports)
    saves = sum(r["saves"] for r in reports)
    print(f"\n{total} kills, {saves} acknowledged saves checked, {time.monotonic() - started:.0f} s")
    assert total >= min(KILLS, 200) and saves > 0
