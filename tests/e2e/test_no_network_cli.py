"""The main flows of the command line with the network made impossible.

Each run gets a ``sitecustomize`` on PYTHONPATH that refuses (and records)
any socket: an audit hook on every ``socket.*`` event, so even code that
swallowed the error is caught by the record. Where the system allows it, the
same flows run once more in a new network namespace (``unshare -n``), where
not even Qt could reach a network.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI_PACK, ROOT

SITECUSTOMIZE = '''
import os, socket, sys

_LOG = os.environ.get("NO_NETWORK_LOG")


def _refuse(event, args):
    if event.startswith("socket.") and event != "socket.gethostname":
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{event} {args!r}\\n")
        raise OSError(101, "network use refused by the test (" + event + ")")


sys.addaudithook(_refuse)
'''


@pytest.fixture
def offline(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "network-attempts.log"

    def run(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env.update(PYTHONPATH=os.pathsep.join([str(site), str(ROOT)]), NO_NETWORK_LOG=str(log),
                   COMPANION_HOME=str(tmp_path / "home"), COMPANION_CONTENT=str(MINI_PACK),
                   QT_QPA_PLATFORM="offscreen")
        return subprocess.run([*prefix, sys.executable, "-m", "companion", *args], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=120)

    run.log = log
    run.site = site
    run.folder = tmp_path
    return run


def test_the_guard_really_refuses_a_connection(offline):
    env = {**os.environ, "PYTHONPATH": str(offline.site), "NO_NETWORK_LOG": str(offline.log)}
    result = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
                            capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "network use refused by the test" in result.stderr
    assert offline.log.read_text().strip()


def _main_flows(run, folder: Path, **kwargs) -> None:
    def ok(*args: str) -> str:
        result = run(*args, **kwargs)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
        return result.stdout

    first = ok("worksheets", "new", "plan", "--title", "Offline plan").strip()
    ok("worksheets", "show", first)
    ok("export", "pdf", first, "--out", str(folder / "plan.pdf"))
    ok("export", "share", first, "--out", str(folder / "plan.mldshare"))
    ok("import", str(folder / "plan.pdf"))
    assert "Offline plan" in ok("search", "offline")
    ok("backup", "--out", str(folder / "all.mldbackup"))
    ok("restore", str(folder / "all.mldbackup"))
    ok("screenshot", str(folder / "home.png"))
    assert (folder / "plan.pdf").stat().st_size > 1000 and (folder / "home.png").stat().st_size > 1000


def test_the_main_flows_work_with_every_socket_refused(offline):
    _main_flows(offline, offline.folder)
    assert not offline.log.exists() or offline.log.read_text() == "", offline.log.read_text()


def test_the_main_flows_work_without_any_network_at_all(offline, tmp_path):
    unshare = shutil.which("unshare")
    if not unshare or subprocess.run([unshare, "-n", "true"], capture_output=True).returncode != 0:
        pytest.skip("no network namespaces here (unshare -n is not permitted)")
    folder = tmp_path / "namespace"
    folder.mkdir()
    _main_flows(offline, folder, prefix=(unshare, "-n"))
    assert not offline.log.exists() or offline.log.read_text() == ""
