"""The companion never uses the network: nothing in companion/ can even reach it."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "companion"

FORBIDDEN = ("socket", "ssl", "urllib.request", "urllib3", "http.client", "http.server", "requests", "httpx",
             "aiohttp", "ftplib", "smtplib", "poplib", "imaplib", "telnetlib", "xmlrpc", "websocket",
             "PySide6.QtNetwork", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebSockets")


def _imports(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "__import__", "import_module") and node.args and isinstance(node.args[0], ast.Constant):
            names.add(str(node.args[0].value))
    return names


def _forbidden(name: str) -> bool:
    return any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)


def test_nothing_in_the_package_imports_a_network_module():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        found = sorted(name for name in _imports(ast.parse(source, str(path))) if _forbidden(name))
        if "QtNetwork" in source:
            found.append("QtNetwork (named)")
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_the_check_itself_catches_each_form():
    code = ("import socket\nfrom urllib.request import urlopen\nimport http.client as h\n"
            "from PySide6 import QtNetwork\nimportlib.import_module('requests')\n")
    found = {name for name in _imports(ast.parse(code)) if _forbidden(name)}
    assert {"socket", "urllib.request", "http.client", "PySide6.QtNetwork", "requests"} <= found
