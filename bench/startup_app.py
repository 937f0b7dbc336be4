"""The companion's start-up, measured the way ../shared/bench/floor_app.py measures the floor:
from the first line of the process until the main window is shown and the
event loop has run once. Prints one line like the floor app."""
import resource
import sys
import time

T0 = time.perf_counter()

from companion.ui.app import _window, make_app  # noqa: E402


def main() -> int:
    app = make_app()
    window = _window(sys.argv[1] if len(sys.argv) > 1 else None)
    window.show()
    app.processEvents()
    shown = time.perf_counter()
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"companion: shown after {shown - T0:.3f} s, peak RSS {rss_mib:.0f} MiB")
    window.workbook.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
