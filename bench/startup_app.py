"""The companion's start-up, measured the way ../shared/bench/floor_app.py measures the floor:
from the first line of the process until the main window is shown and the
event loop has run once. It takes the path `companion` takes (companion.ui.app.run):
the data folder, its lock, the integrity check, the content pack, the window.
Prints one line like the floor app."""
import resource
import sys
import time

T0 = time.perf_counter()

from companion.ui.app import make_app, open_window  # noqa: E402


def main() -> int:
    app = make_app()
    opened = open_window(sys.argv[1] if len(sys.argv) > 1 else None)
    if opened is None:
        return 2
    window, startup = opened
    window.show()
    app.processEvents()
    shown = time.perf_counter()
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"companion: shown after {shown - T0:.3f} s, peak RSS {rss_mib:.0f} MiB")
    window.workbook.close()
    startup.release()
    return 0


if __name__ == "__main__":
    sys.exit(main())
