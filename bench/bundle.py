"""The built bundle against its budgets: start-up beside the floor app, and sizes.

    python build_installer.py && python bench/bundle.py [--runs 7]     (or: make bench-bundle)

Start-up is whole-process wall time, from starting the program until its
window has been shown, grabbed and saved as a PNG, then the program exits:
the bundle's ``companion screenshot OUT.png`` (home view, 1280x800) and
``../shared/bench/floor_app.py OUT.png`` (the same window size), run
alternately so that drift on a shared machine hits both alike; the median of
each is compared. The bundle is measured as a participant runs it: with an
environment that has none of this checkout's Python around it. Peak memory
is each child's own maximum RSS. Not part of the tests.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import build_installer  # noqa: E402
from floor import floor_app  # noqa: E402 - bench/floor.py, beside this script

MIB = 1024 * 1024
BUDGETS = [
    # (figure, limit, what)
    ("unpacked_mib", 120.0, "bundle unpacked (MiB), fonts included"),
    ("archive_mib", 50.0, "bundle archive (MiB)"),
    ("startup_ratio", 1.5, "bundle start-up / floor app"),
]


def _timed(command: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed: {process.stderr.read().decode()[-400:]}")
    process.stderr.close()
    return wall, usage.ru_maxrss / 1024


def measure_startup(exe: Path, runs: int, scratch: Path, floor: Path) -> dict:
    bundle_env = {"PATH": "/usr/bin:/bin", "HOME": str(scratch / "home"), "LANG": "C.UTF-8",
                  "QT_QPA_PLATFORM": "offscreen", "COMPANION_HOME": str(scratch / "data")}
    floor_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    bundle_cmd = [str(exe), "screenshot", str(scratch / "bundle.png"), "--size", "1280x800"]
    floor_cmd = [sys.executable, str(floor), str(scratch / "floor.png")]
    _timed(bundle_cmd, bundle_env, scratch)  # first run: the data folder and the parsed-pack cache
    _timed(floor_cmd, floor_env, scratch)
    bundle_t, bundle_m, floor_t, floor_m = [], [], [], []
    for _ in range(runs):
        t, m = _timed(floor_cmd, floor_env, scratch)
        floor_t.append(t), floor_m.append(m)
        t, m = _timed(bundle_cmd, bundle_env, scratch)
        bundle_t.append(t), bundle_m.append(m)
    figures = {"floor_s": statistics.median(floor_t), "bundle_s": statistics.median(bundle_t),
               "floor_rss_mib": statistics.median(floor_m), "bundle_rss_mib": statistics.median(bundle_m),
               "runs": runs}
    figures["startup_ratio"] = figures["bundle_s"] / figures["floor_s"]
    figures["memory_ratio"] = figures["bundle_rss_mib"] / figures["floor_rss_mib"]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where build_installer.py put the bundle")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--floor", type=Path, help="the floor app (default: ../shared/bench/floor_app.py)")
    args = parser.parse_args(argv)
    bundle = args.dist / build_installer.bundle_name()
    exe = bundle / build_installer.executable_name()
    archive = args.dist / (bundle.name + build_installer.archive_suffix())
    if not exe.is_file() or not archive.is_file():
        print(f"bench: no bundle in {args.dist}: run  python build_installer.py  first", file=sys.stderr)
        return 2
    figures = {"unpacked_mib": build_installer.folder_size(bundle) / MIB, "archive_mib": archive.stat().st_size / MIB,
               "files": sum(1 for _ in bundle.rglob("*"))}
    floor = floor_app(args.floor)
    if floor is not None:
        with tempfile.TemporaryDirectory(prefix="companion-bench-") as scratch:
            figures.update(measure_startup(exe, args.runs, Path(scratch), floor))
    print(f"{'budget':<42} {'measured':>10} {'limit':>8}  holds")
    verdicts = {}
    for key, limit, what in BUDGETS:
        if key not in figures:
            print(f"{what:<42} {'n/a':>10} {limit:>8}  (not measured)")
            continue
        verdicts[key] = figures[key] <= limit
        print(f"{what:<42} {figures[key]:>10.3f} {limit:>8}  {'yes' if verdicts[key] else 'NO'}")
    for key in ("floor_s", "bundle_s", "floor_rss_mib", "bundle_rss_mib", "memory_ratio", "files", "runs"):
        if key in figures:
            print(f"  {key} = {figures[key]:.3f}" if isinstance(figures[key], float) else f"  {key} = {figures[key]}")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = ROOT / "bench" / "results" / f"bundle-{stamp}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"time": stamp, "bundle": bundle.name, "figures": figures, "holds": verdicts},
                              indent=2))
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
