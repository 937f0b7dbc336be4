"""Portable mode: the data folder beside the bundle on a trainer's stick.

:func:`companion.paths.data_dir` says where the data folder should be; this
module checks that a *portable* one can really be written (a stick may be
locked, full or mounted read-only) and, when it cannot, names the laptop's
own user folder instead. The CLI warns in one line and falls back; the UI asks
first (see ``companion/ui/portable.py``). A folder the person named
(``--data-dir`` or ``COMPANION_HOME``) is never replaced behind their back:
the database reports the problem when it opens.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, NamedTuple

from companion import paths
from companion.messages import t

Probe = Callable[[Path], "str | None"]


class DataFolder(NamedTuple):
    """Where the data goes, and why not where it was meant to go."""

    path: Path
    portable: bool = False
    wanted: Path | None = None
    """The portable folder that could not be used (None when all is well)."""
    problem: str = ""
    """Why ``wanted`` could not be used, in words."""

    @property
    def fell_back(self) -> bool:
        return self.wanted is not None

    def warning(self) -> str:
        return t("portable.read_only", wanted=self.wanted, detail=self.problem, fallback=self.path)


def writable_problem(folder: Path) -> str | None:
    """None when ``folder`` can be created and a file written in it, else why not."""
    import tempfile  # only in portable mode: kept off the usual start-up

    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".write-test-", dir=folder)
        try:
            os.write(handle, b"ok")
            os.fsync(handle)
        finally:
            os.close(handle)
            os.unlink(probe)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def resolve(explicit: str | os.PathLike | None = None, exe_dir: Path | None = None,
            probe: Probe = writable_problem) -> DataFolder:
    """The data folder to use. ``exe_dir`` stands for the executable's folder
    (the frozen bundle's by default), so tests need no frozen build; ``probe``
    checks a portable folder can be written (tests inject a failure)."""
    if explicit or os.environ.get("COMPANION_HOME"):
        return DataFolder(paths.data_dir(explicit))
    portable = paths.portable_dir_for(exe_dir if exe_dir is not None else paths.executable_dir())
    if portable is None:
        return DataFolder(paths.user_data_dir())
    problem = probe(portable)
    if problem is None:
        return DataFolder(portable, portable=True)
    return DataFolder(paths.user_data_dir(), wanted=portable, problem=problem)
