"""A share file with HTML in its title and answers, imported through the command
line and drawn by the real window: the app opens no file the HTML names.

A colleague's share file is made with the app's own export (``worksheets new``
with a hostile title and answers, ``export share``) and imported into another
data folder; then ``companion screenshot`` draws the worksheet (and the other
views that list it) under ``strace -f``. From strace's log: every file opened
lies in the app's package and resources, the content pack, the data folder,
the Python installation, the system's libraries and configuration Qt and
fontconfig read, the fonts, or the temporary and home folders the run was
given; the CANARY the HTML names is never even tried; and no socket is
connected except a local (AF_UNIX) one.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI_PACK, ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="strace runs on Linux")

SYSTEM = ("/usr", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/sys", "/dev/null", "/dev/urandom", "/dev/random",
          "/etc/fonts", "/etc/ld.so.cache", "/etc/ld.so.preload", "/etc/localtime", "/etc/ssl", "/etc/pki",
          "/etc/gtk-3.0", "/etc/xdg", "/etc/machine-id", "/etc/locale.alias", "/var/lib/dbus/machine-id",
          "/var/cache/fontconfig", "/run/user")
OPEN = re.compile(r'^(\d+)\s+openat\((?:AT_FDCWD|\d+)(?:<(?P<dir>[^>]*)>)?, "(?P<path>(?:[^"\\]|\\.)*)"(?P<rest>.*)$')
RESUMED = re.compile(r"^(\d+)\s+<\.\.\. openat resumed>(?P<rest>.*)$")
RESULT = re.compile(r"= (?P<fd>-?\d+)(?:<(?P<real>[^>]*)>)?")
CONNECT = re.compile(r"^\d+\s+connect\((?P<rest>.*)$")  # the address is on this line, even if unfinished


def _strace() -> str:
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (scripts/setup-system.sh installs it)")
    probe = subprocess.run([strace, "-f", "-e", "trace=openat", "-o", os.devnull, "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"strace cannot trace here: {probe.stderr.strip()}")
    return strace


class Run:
    """``python -m companion`` with the small pack, offscreen, and a home, a
    temporary folder and a runtime folder of its own (so nothing of the
    machine's user is read)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.home, self.tmp, self.runtime = folder / "home", folder / "tmp", folder / "runtime"
        for path in (self.home, self.tmp, self.runtime):
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("DISPLAY", "WAYLAND_DISPLAY", "COMPANION_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                                 "XDG_DATA_HOME", "XDG_DATA_DIRS", "XDG_CONFIG_DIRS", "FONTCONFIG_FILE",
                                 "FONTCONFIG_PATH", "QT_PLUGIN_PATH", "PYTHONPATH")}
        self.env.update(COMPANION_CONTENT=str(MINI_PACK), QT_QPA_PLATFORM="offscreen", HOME=str(self.home),
                        TMPDIR=str(self.tmp), XDG_RUNTIME_DIR=str(self.runtime))

    def __call__(self, *args: str, prefix: tuple[str, ...] = ()) -> str:
        result = subprocess.run([*prefix, sys.executable, "-m", "companion", *args], capture_output=True, text=True,
                                env=self.env, cwd=ROOT, timeout=180)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
        return result.stdout


def _allowed(run: Run, data_dir: Path, out: Path) -> list[str]:
    import site

    python = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
              str(Path(sys.executable).resolve().parent.parent), *site.getsitepackages()}
    app = [str(ROOT / "companion"), str(ROOT / "resources"), str(MINI_PACK), *map(str, ROOT.glob("*.egg-info"))]
    return [*SYSTEM, *sorted(python), *app, str(data_dir), str(out), str(run.home), str(run.tmp), str(run.runtime)]


def _inside(path: str, roots: list[str]) -> bool:
    path = os.path.normpath(path)
    if path == str(ROOT):
        return True  # the folder itself, listed by Python's imports (``-m`` puts it on sys.path); nothing in it
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def _trace(log: Path) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(requested path, real path opened or None when the call failed) of every
    openat, and the arguments of every connect, from ``strace -f -y``."""
    opened, connects, pending = [], [], {}

    def finish(path: str, rest: str) -> None:
        result = RESULT.search(rest)
        if result is None:  # killed mid-call: count it as opened
            opened.append((path, path))
        elif int(result.group("fd")) >= 0:
            opened.append((path, result.group("real") or path))
        else:
            opened.append((path, None))

    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if match := OPEN.match(line):
            path = match.group("path").replace('\\"', '"')
            if not path.startswith("/"):
                path = os.path.join(match.group("dir") or str(ROOT), path)
            if "<unfinished ...>" in match.group("rest"):
                pending[match.group(1)] = path
            else:
                finish(path, match.group("rest"))
        elif (match := RESUMED.match(line)) and match.group(1) in pending:
            finish(pending.pop(match.group(1)), match.group("rest"))
        elif match := CONNECT.match(line):
            connects.append(match.group("rest"))
    opened.extend((path, path) for path in pending.values())
    return opened, connects


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """A colleague's data folder holding a hostile worksheet imported from a share file."""
    folder = tmp_path_factory.mktemp("hostile")
    run = Run(folder)
    canary = folder / "outside" / "canary.png"
    canary.parent.mkdir()
    canary.write_bytes(b"\x89PNG\r\n\x1a\n never to be read")
    title = f'<img src="{canary.as_uri()}"><h1>spoof</h1>'
    answers = folder / "answers.json"
    answers.write_text(json.dumps({
        "title": f'<img src="{canary}"><a href="{canary.as_uri()}">link</a>',
        "objective": f'<h1>spoof</h1><img src="{canary.as_uri()}">\n<table background="{canary}"><tr><td>x</td></tr>'
                     f'</table><p style="background-image: url({canary})">styled</p><script>alert(1)</script>',
        "activities": [{"activity": f'<img src="{canary.as_uri()}"> rent the room', "start": "2030-01-01",
                        "end": "2030-02-01"}],
    }), encoding="utf-8")
    sender = folder / "sender"
    made = json.loads(run("--data-dir", str(sender), "worksheets", "new", "plan", "--title", title,
                          "--answers", str(answers), "--json"))
    share = folder / "from a colleague.mldshare"
    run("--data-dir", str(sender), "export", "share", str(made["id"]), "--out", str(share))
    colleague = folder / "colleague"
    imported = json.loads(run("--data-dir", str(colleague), "import", str(share), "--json"))["imported"]
    assert [w["title"] for w in imported] == [title]
    return run, colleague, imported[0]["id"], canary, title


@pytest.mark.parametrize("view", ["worksheet:{id}", "home", "template:plan", "search:spoof", "followup:{id}"])
def test_drawing_an_imported_hostile_worksheet_opens_no_file_it_names(shared, view):
    strace = _strace()
    run, colleague, worksheet_id, canary, title = shared
    view = view.format(id=worksheet_id)
    shots = run.folder / "shots"
    shots.mkdir(exist_ok=True)
    out = shots / (re.sub(r"\W", "-", view) + ".png")
    log = run.folder / (out.stem + ".strace")
    run("--data-dir", str(colleague), "screenshot", str(out), "--view", view,
        prefix=(strace, "-f", "-y", "-e", "trace=openat,connect", "-o", str(log)))
    assert out.stat().st_size > 10_000
    opened, connects = _trace(log)
    assert len(opened) > 100, "the log holds the run's file opens"
    tried = [path for path, real in opened if "canary" in path or (real and "canary" in real)]
    assert tried == [], f"the app tried to open the file the HTML names: {tried}"
    allowed = _allowed(run, colleague, out)
    outside = sorted({real for _path, real in opened if real is not None and not _inside(real, allowed)})
    assert outside == [], f"files opened outside the app, its data, Python and the system: {outside}"
    assert [c for c in connects if "AF_UNIX" not in c] == [], connects
