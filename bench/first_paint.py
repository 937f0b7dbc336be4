"""Run a program until its main window is first painted, then end it.

    python bench/first_paint.py app --data-dir DIR      the real `companion` (companion.cli.main:main)
    python bench/first_paint.py floor FLOOR_APP.py      the floor app's window, shown the same way

The companion goes through its real entry point, ``companion.cli.main.main``
with the arguments given, exactly as the installed ``companion`` script
calls it: the parser, the data folder taken, recovery, the integrity check,
the content pack, the window, ``app.exec()``. Nothing of the app is changed;
besides the entry point, this file imports only what the app imports anyway
(json, PySide6.QtCore, PySide6.QtWidgets), and in the app's own order: it
hooks ``QMainWindow.show`` when the program itself first imports
PySide6.QtWidgets (importing Qt first would change what is measured: PySide6
reads the source of every module imported after it). Just before the first
main window is shown, an event filter is put on the
application; the first paint event of a widget of that window arms a
zero-delay timer, which fires once the whole window has been painted and
flushed (Qt paints a window's widgets in one pass). The timer writes one
line to stdout; then, once no QThread of the window is running any more
(the daily backup is taken on one once the window is drawn), it ends the
event loop with ``QApplication.exit(0)``, so the app leaves through its own
``run()`` (the data folder let go) and the process ends. Not ``quit()``:
since Qt 6 that closes the windows first, as a person closing the window
would, which is not what is measured (and it waits for the daily backup in
``closeEvent``).

The line: ``FIRST_PAINT {json}`` with ``clock`` (time.monotonic() at the
paint: the parent subtracts its own monotonic time at spawn, the same clock
on Linux), ``in_process`` (seconds from this file's first line), ``hwm_mib``
(the peak resident memory so far, VmHWM), the number of modules loaded, and
which of the modules that should wait for first use (reportlab,
sqlite_utils, babel, pyxform, and others worth knowing) were already in
sys.modules at the first paint.

The floor app (../shared/bench/floor_app.py) is run the same way: its
``build()``, ``show()``, ``exec()`` with the same hook, so that both are
measured from process start to their first painted window by one method.
"""
import time

START = time.perf_counter()

import json  # noqa: E402 - the app imports json at start-up too
import os  # noqa: E402
import sys  # noqa: E402

# Must not be loaded on the way to the first window (a budget), then others worth knowing.
FORBIDDEN = ("reportlab", "sqlite_utils", "babel", "pyxform")
NOTED = ("markdown", "yaml", "PIL", "uharfbuzz", "openpyxl", "companion.storage.backup",
         "companion.export.pdf", "companion.ui.views.worksheet", "companion.workbook.search")


def _report() -> None:
    now = time.monotonic()
    in_process = time.perf_counter() - START
    loaded = set(sys.modules)
    line = {"clock": now, "in_process": in_process, "hwm_mib": _hwm_mib(), "modules": len(loaded),
            "forbidden": [m for m in FORBIDDEN if m in loaded],
            "noted": [m for m in NOTED if m in loaded]}
    os.write(1, ("FIRST_PAINT " + json.dumps(line) + "\n").encode())


def _hwm_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _hook() -> dict:
    """Hooks ``QMainWindow.show`` as soon as the program imports PySide6.QtWidgets, not before:
    importing Qt here first would change the order in which the program loads its modules (and
    PySide6 reads the source of every module imported after it, so that order has a cost)."""
    import importlib.util  # not importlib.abc: it loads importlib.resources, 15 ms neither program needs

    state = {"window": None, "filter": None, "done": False, "waited": 0}

    class PatchOnImport:  # a finder and loader of sys.meta_path, for PySide6.QtWidgets only
        def find_spec(self, name, path, target=None):
            if name != "PySide6.QtWidgets":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            self.loader = spec.loader
            spec.loader = self
            return spec

        def create_module(self, spec):
            return self.loader.create_module(spec)

        def exec_module(self, module):
            self.loader.exec_module(module)
            _patch(module, state)

    sys.meta_path.insert(0, PatchOnImport())
    return state


def _patch(widgets, state: dict) -> None:
    from PySide6.QtCore import QEvent, QObject, QThread, QTimer

    QApplication, QMainWindow = widgets.QApplication, widgets.QMainWindow

    def finish() -> None:
        _report()
        state["done"] = True
        QTimer.singleShot(0, leave)  # after what the app starts once it is drawn (the day's backup)

    def leave() -> None:
        busy = [t for t in state["window"].findChildren(QThread) if t.isRunning()]
        if busy and state["waited"] < 3000:  # at most a minute
            state["waited"] += 1
            QTimer.singleShot(20, leave)
        else:
            QApplication.exit(0)

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and obj.isWidgetType() and obj.window() is state["window"]:
                QApplication.instance().removeEventFilter(self)
                QTimer.singleShot(0, finish)
            return False

    shown = QMainWindow.show

    def show(window):
        if state["window"] is None:
            state["window"] = window
            state["filter"] = FirstPaint()
            QApplication.instance().installEventFilter(state["filter"])
        return shown(window)

    QMainWindow.show = show


def main() -> int:
    kind, args = sys.argv[1], sys.argv[2:]
    state = _hook()
    if kind == "app":
        from companion.cli.main import main as companion

        code = companion(args)
    elif kind == "floor":
        import importlib.util

        spec = importlib.util.spec_from_file_location("floor_app", args[0])
        floor = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(floor)
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(sys.argv[:1])
        window = floor.build()
        window.show()
        code = app.exec()
    else:
        raise SystemExit(f"first_paint: unknown program {kind!r}")
    if not state["done"]:
        print("first_paint: the program ended before its main window was painted", file=sys.stderr)
        return 3
    return code


if __name__ == "__main__":
    sys.exit(main())
