"""The benchmarks: each budget of the issues, measured on this machine.

    make bench            (or: python bench/run.py [--quick])

Start-up is reported as a ratio to ../shared/bench/floor_app.py run in the
same session; the in-process timings against their budgets. Prints a table,
writes bench/results/<time>.json and exits 0 even when a budget fails (it
says which). Not part of the test suite: these machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"shown after ([0-9.]+) s, peak RSS ([0-9.]+) MiB")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))
from floor import floor_app  # noqa: E402 - bench/floor.py, beside this script


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _child_env() -> dict:
    """Both start-ups run offscreen and may cache bytecode, as an installed
    app does (its .pyc files are built in); PYTHONDONTWRITEBYTECODE, set on
    some machines, would make the companion recompile its own modules at
    every start and the floor not."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _startup(script: Path, runs: int, *args: str) -> tuple[float, float]:
    times, memory = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True,
                             cwd=ROOT, env=_child_env(), timeout=120)
        match = LINE.search(out.stdout)
        if not match:
            raise SystemExit(f"bench: {script.name} printed no timing: {out.stderr.strip()[-300:]}")
        times.append(float(match.group(1)))
        memory.append(float(match.group(2)))
    return statistics.median(times), statistics.median(memory)


def bench_startup(runs: int, data_dir: Path, floor: Path | None) -> dict:
    if floor is None:
        return {}
    _startup(floor, 1)  # once each first: bytecode compiled, pack cache and database made
    _startup(ROOT / "bench" / "startup_app.py", 1, str(data_dir))
    # alternate the two so drift on a shared machine hits both alike
    floor_t, floor_m, app_t, app_m = [], [], [], []
    for _ in range(runs):
        t, m = _startup(floor, 1)
        floor_t.append(t), floor_m.append(m)
        t, m = _startup(ROOT / "bench" / "startup_app.py", 1, str(data_dir))
        app_t.append(t), app_m.append(m)
    ft, fm, at, am = (statistics.median(v) for v in (floor_t, floor_m, app_t, app_m))
    return {"floor_s": ft, "floor_rss_mib": fm, "app_s": at, "app_rss_mib": am,
            "startup_ratio": at / ft, "memory_ratio": am / fm}


def _workbook(data_dir: Path):
    from companion.workbook import Workbook

    return Workbook(data_dir, ROOT / "content" / "en")


def bench_save(data_dir: Path, saves: int) -> dict:
    book = _workbook(data_dir)
    template = book.template("action-plan")
    worksheet = book.book.create_worksheet("action-plan", "Bench", template.example)
    text = template.example["problem"]
    times = []
    for n in range(saves):
        start = time.perf_counter()
        book.book.save_answers(worksheet.id, {"problem": f"{text} {n}"})
        times.append((time.perf_counter() - start) * 1000)
    book.close()
    return {"save_p95_ms": p95(times), "save_median_ms": statistics.median(times), "saves": saves}


def bench_open_table(data_dir: Path, runs: int) -> dict:
    from companion.ui.app import _reader_css, make_app
    from companion.ui.main_window import MainWindow

    app = make_app()
    book = _workbook(data_dir)
    template = book.template("action-plan")
    rows = [dict(template.example["activities"][n % len(template.example["activities"])],
                 activity=f"Activity {n}") for n in range(100)]
    worksheet = book.book.create_worksheet("action-plan", "Hundred rows", {**template.example, "activities": rows})
    window = MainWindow(book, _reader_css())
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    times = []
    for _ in range(runs):
        window.show_home()
        app.processEvents()
        start = time.perf_counter()
        window.open_worksheet(worksheet.id)
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    window.close()
    return {"open_100_rows_ms": statistics.median(times)}


def bench_exports(data_dir: Path, runs: int) -> dict:
    from companion.workbook import sharing

    book = _workbook(data_dir)
    plan = book.template("action-plan")
    plan_id = book.book.create_worksheet("action-plan", plan.example_title, plan.example).id
    ids = [plan_id]
    templates = [tp for tp in book.templates() if tp.example]
    while len(ids) < 15:
        tp = templates[len(ids) % len(templates)]
        ids.append(book.book.create_worksheet(tp.id, tp.example_title, tp.example).id)
    out = data_dir / "out.pdf"
    book.sharing.export_pdf([plan_id], out)  # fonts registered once, as in a running app
    one, fifteen = [], []
    for _ in range(runs):
        start = time.perf_counter()
        book.sharing.export_pdf([plan_id], out)
        one.append((time.perf_counter() - start) * 1000)
    for _ in range(max(2, runs // 2)):
        start = time.perf_counter()
        book.sharing.export_pdf(ids, out)
        fifteen.append(time.perf_counter() - start)
    folder = data_dir / "stick"
    folder.mkdir()
    for n in range(100):
        tp = templates[n % len(templates)]
        w = book.book.create_worksheet(tp.id, f"Participant {n}", tp.example)
        book.sharing.export_share([w.id], folder / f"p{n:03}.mldshare")
    book.close()
    target = _workbook(data_dir / "trainer")
    start = time.perf_counter()
    results = target.sharing.import_paths([folder])
    imported = time.perf_counter() - start
    target.close()
    assert sum(r.status == "imported" for r in results) == 100
    return {"pdf_action_plan_ms": statistics.median(one), "pdf_workbook_15_s": statistics.median(fifteen),
            "import_100_files_s": imported}


SEARCH_QUERIES = ["diaspora", "remittances", "informacao", "skills matching", "Mirazul centre", "partnership agr",
                  "return", "the", "coherence", "one door"]


def _thousand_worksheets(data_dir: Path):
    """The English pack and 1,000 worksheets filled in with the worked examples."""
    book = _workbook(data_dir)
    templates = book.templates()
    for n in range(1000):
        template = templates[n % len(templates)]
        book.book.create_worksheet(template.id, f"{template.title} {n}", template.example)
    return book


def bench_search(data_dir: Path, runs: int) -> dict:
    from companion.workbook.study import study

    book = _thousand_worksheets(data_dir)
    start = time.perf_counter()
    book.search.prepare()  # once: the content and 1,000 worksheets into the index
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        for query in SEARCH_QUERIES:
            start = time.perf_counter()
            book.search.find(query)
            times.append((time.perf_counter() - start) * 1000)
    book.close()
    return {"search_p95_ms": p95(times), "search_median_ms": statistics.median(times), "search_index_s": first}


def bench_home(data_dir: Path, runs: int) -> dict:
    from companion.ui.app import _reader_css, make_app
    from companion.ui.main_window import MainWindow

    app = make_app()
    book = _thousand_worksheets(data_dir)
    window = MainWindow(book, _reader_css())  # shows home once: completions computed and kept
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    times = []
    for _ in range(runs):
        window.open_link("topic", "core-why-local")
        app.processEvents()
        start = time.perf_counter()
        window.show_home()
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    window.close()
    return {"home_1000_ms": statistics.median(times), "home_1000_max_ms": max(times)}


def bench_bundle() -> dict:
    """The bundle's sizes, when build_installer.py has built one (its start-up:
    bench/bundle.py, make bench-bundle)."""
    import build_installer

    bundle = ROOT / "dist" / build_installer.bundle_name()
    archive = bundle.parent / (bundle.name + build_installer.archive_suffix())
    if not bundle.is_dir() or not archive.is_file():
        return {}
    mib = 1024 * 1024
    return {"bundle_unpacked_mib": build_installer.folder_size(bundle) / mib,
            "bundle_archive_mib": archive.stat().st_size / mib}


BUDGETS = [
    # (figure, limit, what)
    ("startup_ratio", 1.3, "start-up / floor app"),
    ("memory_ratio", 1.3, "peak memory / floor app"),
    ("save_p95_ms", 5.0, "saving a change, 95th percentile (ms)"),
    ("open_100_rows_ms", 150.0, "opening a worksheet with a 100-row table (ms)"),
    ("pdf_action_plan_ms", 250.0, "the action plan to PDF (ms)"),
    ("pdf_workbook_15_s", 1.5, "a 15-worksheet workbook to PDF (s)"),
    ("search_p95_ms", 10.0, "search, pack + 1,000 worksheets, p95 (ms)"),
    ("home_1000_ms", 100.0, "home view with 1,000 worksheets (ms)"),
    ("bundle_unpacked_mib", 120.0, "bundle unpacked (MiB), when built"),
    ("bundle_archive_mib", 50.0, "bundle .tar.gz (MiB), when built"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke test")
    parser.add_argument("--floor", type=Path, help="the floor app (default: ../shared/bench/floor_app.py)")
    args = parser.parse_args(argv)
    floor = floor_app(args.floor)
    runs = 3 if args.quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        figures = {}
        # start-up moves most with the machine's load: twice the runs, alternating with the floor
        figures.update(bench_startup(runs * 2 + 1, tmp / "startup", floor))
        figures.update(bench_save(tmp / "save", 100 if args.quick else 500))
        figures.update(bench_open_table(tmp / "open", runs))
        figures.update(bench_exports(tmp / "exports", runs))
        figures.update(bench_search(tmp / "search", runs))
        figures.update(bench_home(tmp / "home", runs))
        figures.update(bench_bundle())
    print(f"{'budget':<48} {'measured':>10} {'limit':>8}  holds")
    verdicts = {}
    for key, limit, what in BUDGETS:
        if key not in figures:
            print(f"{what:<48} {'n/a':>10} {limit:>8}  (not measured)")
            continue
        holds = figures[key] <= limit
        verdicts[key] = holds
        print(f"{what:<48} {figures[key]:>10.3f} {limit:>8}  {'yes' if holds else 'NO'}")
    for key in ("floor_s", "app_s", "floor_rss_mib", "app_rss_mib", "save_median_ms", "import_100_files_s"):
        if key in figures:
            print(f"  {key} = {figures[key]:.3f}")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = ROOT / "bench" / "results" / f"{stamp}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"time": stamp, "figures": figures, "holds": verdicts}, indent=2))
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
