"""The layers stay clean: no Qt below companion/ui, no SQL outside storage, the window and the
command line only through the workbook, and no import cycle."""
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


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    """The companion modules a file imports, at its top or inside functions;
    imports only for type checkers (``if TYPE_CHECKING:``) do not count."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
               and getattr(block.test, "id", None) == "TYPE_CHECKING" for node in ast.walk(block)}
    package = _module_name(path).rpartition(".")[0] if path.name != "__init__.py" else _module_name(path)
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if (ROOT / Path(*candidate.split("."))).with_suffix(".py").exists()
                          or (ROOT / Path(*candidate.split(".")) / "__init__.py").exists() else base)
    return {name for name in found if name.split(".")[0] == "companion"}


GRAPH = {_module_name(path): _imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def test_the_window_and_the_command_line_go_through_the_workbook():
    """ui/ and cli/ never import storage/ or export/: they call the workbook's services."""
    offenders = sorted(
        f"{module} imports {name}" for module, names in GRAPH.items()
        if module.startswith(("companion.ui", "companion.cli")) for name in names
        if name.startswith(("companion.storage", "companion.export")))
    assert offenders == []


def test_the_import_graph_has_no_cycle():
    def visit(module: str, path: list[str], done: set[str]) -> list[str] | None:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return None
        for name in sorted(GRAPH.get(module, ())):
            cycle = visit(name, path + [module], done)
            if cycle:
                return cycle
        done.add(module)
        return None

    done: set[str] = set()
    for module in GRAPH:
        cycle = visit(module, [], done)
        assert cycle is None, " -> ".join(cycle)
