"""One running companion per data folder.

A lock file (``companion.lock``) in the data folder, locked with
``fcntl.flock`` on POSIX and ``msvcrt.locking`` on Windows. The operating
system drops these locks when the process ends, however it ends, so a crash
or a power cut never leaves a stale lock behind: the file stays, the lock
does not. The file holds the process id of the holder, for people only.
"""
from __future__ import annotations

import errno
import os
from pathlib import Path

LOCK_NAME = "companion.lock"

HELD, BUSY, UNAVAILABLE = "held", "busy", "unavailable"
_BUSY_CODES = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


def _try_lock(handle: int) -> None:
    if os.name == "nt":
        import msvcrt

        os.lseek(handle, 0, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(handle: int) -> None:
    if os.name == "nt":
        import msvcrt

        os.lseek(handle, 0, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_UN)


class DataLock:
    """The lock on one data folder; :meth:`acquire` says whether we hold it."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self._handle: int | None = None
        self.detail = ""

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> str:
        """``held`` (ours now), ``busy`` (another companion has it) or
        ``unavailable`` (the folder cannot hold a lock: read-only, or a file
        system without locks; nobody can be writing there through us)."""
        if self._handle is not None:
            return HELD
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            self.detail = exc.strerror or str(exc)
            return UNAVAILABLE
        try:
            _try_lock(handle)
        except OSError as exc:
            os.close(handle)
            self.detail = exc.strerror or str(exc)
            return BUSY if exc.errno in _BUSY_CODES else UNAVAILABLE
        self._handle = handle
        if os.name != "nt":  # on Windows the locked byte cannot be rewritten
            try:
                os.ftruncate(handle, 0)
                os.write(handle, f"{os.getpid()}\n".encode())
            except OSError:
                pass  # the pid is for people; the lock is what counts
        return HELD

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            _unlock(handle)
        except OSError:
            pass
        finally:
            os.close(handle)

    def __enter__(self) -> "DataLock":
        self.acquire()
        return self

    def __exit__(self, *_exc) -> None:
        self.release()
