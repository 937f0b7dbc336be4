"""The layers stay clean: no Qt below companion/ui, no SQL outside storage."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "companion"


def _modules_outside_ui() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        if "ui" in relative.parts or relative.name == "__main__":
            continue
        names.append(".".join(relative.parts).removesuffix(".__init__"))
    return names


def test_every_module_below_the_ui_imports_without_qt():
    modules = _modules_outside_ui()
    assert "companion.workbook" in modules and "companion.export.pdf" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Qt imported below the UI: {result.stdout}"


SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b")


def test_no_sql_outside_storage():
    offenders = [
        str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*.py")
        if "storage" not in path.relative_to(PACKAGE).parts and SQL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_cli_does_not_import_qt_or_reportlab_for_quick_commands():
    code = ("import sys; import companion.cli.main; "
            "print(any(m.startswith(('PySide6', 'reportlab')) for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "False", result.stderr
