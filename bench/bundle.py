"""The built bundle against its size budgets.

    python build_installer.py && python bench/bundle.py     (or: make bench-bundle)

The budgets (``build_installer.BUDGET_MIB``: unpacked folder and archive,
every language and the four content packs carried) are the ones
tests/e2e/test_bundle.py asserts; this prints the figures and keeps them in
bench/results/. Start-up is not timed here: bench/run.py times the real
start-up, to the window's first paint, through bench/first_paint.py (a
screenshot of the bundle measured a different thing: a grab and a PNG
written after the window). Not part of the tests.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import build_installer  # noqa: E402

MIB = 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where build_installer.py put the bundle")
    args = parser.parse_args(argv)
    bundle = args.dist / build_installer.bundle_name()
    archive = args.dist / (bundle.name + build_installer.archive_suffix())
    if not (bundle / build_installer.executable_name()).is_file() or not archive.is_file():
        print(f"bench: no bundle in {args.dist}: run  python build_installer.py  first", file=sys.stderr)
        return 2
    figures = {"unpacked": build_installer.folder_size(bundle) / MIB, "archive": archive.stat().st_size / MIB}
    print(f"{'budget (MiB)':<20} {'measured':>10} {'limit':>8}  holds")
    verdicts = {}
    for key, limit in build_installer.BUDGET_MIB.items():
        verdicts[key] = figures[key] <= limit
        print(f"{key:<20} {figures[key]:>10.1f} {limit:>8}  {'yes' if verdicts[key] else 'NO'}")
    figures["files"] = sum(1 for _ in bundle.rglob("*"))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = ROOT / "bench" / "results" / f"bundle-{stamp}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"time": stamp, "bundle": bundle.name, "figures": figures, "holds": verdicts}, indent=2))
    print(f"wrote {out.relative_to(ROOT)}")
    return 0 if all(verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
