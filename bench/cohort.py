"""A cohort report of 40 participants × 16 worksheets: wall time and peak memory.

    python bench/cohort.py [--participants 40] [--pdf]

Makes the hand-in folder once under bench/.data/cohort-<n>[-pdf]/ (each
participant a share file of the 16 templates' worked examples, or a
companion PDF of them with --pdf, with a profile and a participant id of
their own), then runs ``companion cohort report`` on it as a whole process
three times and prints the median wall time and the peak resident memory
(ru_maxrss of the child). Not part of the test suite."""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))


def make_handin(folder: Path, participants: int, pdf: bool) -> None:
    from companion import paths
    from companion.workbook import Workbook

    work = Path(tempfile.mkdtemp())
    book = Workbook(work / "data", paths.content_dir())
    try:
        ids = [book.book.create_worksheet(tp.id, tp.title, tp.example).id for tp in book.templates()]
        folder.mkdir(parents=True)
        for n in range(participants):
            book.book.set_profile({"name": f"Participant {n + 1:02d}", "organisation": f"City {n % 7}",
                                   "city": f"City {n % 7}", "country": "Country"})
            book._db.set_setting("profile.participant", str(uuid.uuid4()))  # a data folder of their own
            if pdf:
                book.sharing.export_pdf(ids, folder / f"p{n:02d}.pdf")
            else:
                book.sharing.export_share(ids, folder / f"p{n:02d}.mldshare")
    finally:
        book.close()
        shutil.rmtree(work, ignore_errors=True)


def run_once(folder: Path, out: Path) -> tuple[float, int]:
    env = {**os.environ, "COMPANION_HOME": str(out / "home")}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "companion", "cohort", "report", str(folder), "--out",
                              str(out / "report")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"cohort report failed with status {status}")
    return wall, usage.ru_maxrss // 1024


def bench_cohort(tmp: Path, floor, run, command: list[str], runs: int) -> dict:
    """For bench/run.py: ``companion cohort report`` of 40 participants' share files, whole process
    through its spawner (``run(command, cwd)`` gives wall time and peak memory), alternating with
    the floor app; the median against the floor's start-up, and the largest peak."""
    folder = BENCH / ".data" / "cohort-40"
    if not folder.exists():
        make_handin(folder, 40, False)
    walls, peaks = [], []
    for n in range(runs):
        floor.once("cohort")
        done = run(command + ["cohort", "report", str(folder), "--out", str(tmp / f"cohort-{n}"),
                              "--data-dir", str(tmp / "cohort-home")], tmp)
        walls.append(done.wall), peaks.append(done.rss_mib)
    wall = statistics.median(walls)
    return {"cohort_40_s": wall, "cohort_40_ratio": wall / floor.seconds("cohort"), "cohort_40_rss_mib": max(peaks)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--pdf", action="store_true", help="hand in companion PDFs rather than share files")
    args = parser.parse_args()
    folder = BENCH / ".data" / f"cohort-{args.participants}{'-pdf' if args.pdf else ''}"
    if not folder.exists():
        make_handin(folder, args.participants, args.pdf)
    runs = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as out:
            runs.append(run_once(folder, Path(out)))
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    print(f"{args.participants} participants × 16 worksheets ({'PDFs' if args.pdf else 'share files'}, "
          f"{size:.1f} MB): median {statistics.median(w for w, _ in runs):.2f} s, "
          f"peak RSS {max(m for _, m in runs)} MiB")


if __name__ == "__main__":
    main()
