"""The Qt binding the app runs on keeps Python's reference counts whole.

PySide6-Essentials 6.12.0 drops a reference to None, True or False on many
Qt calls (update(), setVisible(), signal emits...); after a few thousand the
interpreter aborts with "deallocating None", so a typing session crashes.
pyproject.toml excludes that release; this test fails on it."""
from __future__ import annotations

import subprocess
import sys

CODE = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
widget = QWidget()
before = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(3000):
    widget.update()
    widget.setVisible(False)
print(before[0] - sys.getrefcount(None), before[1] - sys.getrefcount(True))
"""


def test_qt_calls_do_not_leak_references_to_none_or_booleans():
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    lost_none, lost_true = (int(n) for n in result.stdout.split())
    assert lost_none < 100 and lost_true < 100, (lost_none, lost_true)
