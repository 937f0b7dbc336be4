"""What the way to the first window loads, and in which order: the layers below the window
before Qt (PySide6 reads the source of every module imported after it), and none of the
libraries that only exports, backups or a trainer's reports need."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

# The real entry point, offscreen, on a new data folder: the modules loaded when Qt was first
# imported, and those loaded by the time the window was shown and the event loop ran once.
PROBE = textwrap.dedent("""
    import importlib.util, json, sys, time

    seen = {}

    def watch(module):
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        shown = module.QMainWindow.show

        def show(window):
            shown(window)
            def report():
                import gc
                seen["at_first_window"] = sorted(sys.modules)
                seen["collecting_at_first_window"] = gc.isenabled()
                waited = time.monotonic()

                def once_drawn():
                    if not gc.isenabled() and time.monotonic() - waited < 10:
                        return QTimer.singleShot(20, once_drawn)
                    seen["collecting_once_drawn"] = gc.isenabled()
                    seen["frozen_once_drawn"] = gc.get_freeze_count()
                    print("PROBE " + json.dumps(seen), flush=True)
                    QApplication.exit(0)
                once_drawn()
            QTimer.singleShot(0, report)  # fires before the first paint

        module.QMainWindow.show = show

    class Watch:
        def find_spec(self, name, path, target=None):
            if name == "PySide6" and "before_qt" not in seen:
                seen["before_qt"] = sorted(sys.modules)
            if name != "PySide6.QtWidgets":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            loader = spec.loader

            class Then:
                def create_module(self, spec):
                    return loader.create_module(spec)

                def exec_module(self, module):
                    loader.exec_module(module)
                    watch(module)

            spec.loader = Then()
            return spec

    sys.meta_path.insert(0, Watch())
    from companion.cli.main import main
    sys.exit(main(["--data-dir", sys.argv[1], "--lang", "en"]))
""")


def _start(tmp_path) -> dict:
    from companion import paths
    from companion.content.parsed import read_built
    from companion.content.translation import keep_parsed

    english = paths.content_dir("en")
    if read_built([english]) is None:  # as installed: the pack parsed when it was built (make does it too)
        keep_parsed(english)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "data")], capture_output=True,
                            text=True, env=env, timeout=120)
    line = next((x for x in result.stdout.splitlines() if x.startswith("PROBE ")), None)
    assert line is not None, result.stderr[-2000:]
    return json.loads(line[len("PROBE "):])


def test_the_layers_below_the_window_are_loaded_before_qt(tmp_path):
    seen = _start(tmp_path)
    after_qt = set(seen["at_first_window"]) - set(seen["before_qt"])
    below_the_window = sorted(m for m in after_qt if m.startswith("companion.") and not m.startswith("companion.ui"))
    assert below_the_window == [], "add them to companion.workbook.FOR_THE_WINDOW"
    assert "companion.workbook.book" in seen["before_qt"]


def test_the_collector_waits_until_the_window_is_drawn_and_then_leaves_the_start_alone(tmp_path):
    seen = _start(tmp_path)
    assert seen["collecting_at_first_window"] is False
    assert seen["collecting_once_drawn"] is True
    assert seen["frozen_once_drawn"] > 10_000  # what the start made and kept: never walked again


def test_the_first_window_loads_no_export_backup_or_report_library(tmp_path):
    loaded = set(_start(tmp_path)["at_first_window"])
    for name in ("reportlab", "sqlite_utils", "babel", "pyxform", "openpyxl", "markdown", "yaml"):
        assert name not in loaded, name
