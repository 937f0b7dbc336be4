"""Writing a file so that a failure never leaves half of it behind, and
reading one from outside within bounds.

Every export (PDFs, share files, CSV, content pack archives) is written to a
temporary file beside its target, flushed to the disk, then renamed over the
target in one step, and the folder is flushed so that the rename is on the
disk too before the export is reported done. A failure removes the temporary
file and comes out as a StorageError in plain words; whatever was at the
target stays as it was.
"""
from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from companion.errors import InputError, StorageError
from companion.messages import t


def _read_umask() -> int:
    """The process's umask (read by setting it and putting it back: done once,
    when this module is imported, before any thread writes files)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def sync_folder(folder: Path) -> None:
    """Flush a folder's names to the disk, so that a rename in it survives a
    power cut (a no-op where folders cannot be opened, as on Windows, or
    where the file system refuses)."""
    if os.name == "nt":
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _cannot_write(out: Path, exc: OSError) -> StorageError:
    return StorageError(t("file.cannot_write", path=out, detail=exc.strerror or exc))


@contextmanager
def atomic_output(out: Path) -> Iterator[str]:
    """``with atomic_output(out) as tmp:`` write the file at ``tmp``; when the
    block ends well it is synced and put in place of ``out``."""
    out = Path(out)
    try:
        handle, tmp = tempfile.mkstemp(prefix=".", suffix=".part", dir=out.parent if str(out.parent) else ".")
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    os.close(handle)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_UMASK)  # as any new file, not mkstemp's owner-only 0600
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(tmp, out)
        sync_folder(Path(tmp).parent)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _cannot_write(out, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomically(out: Path, data: bytes) -> Path:
    """Write ``data`` to ``out`` through :func:`atomic_output`; returns ``out``."""
    with atomic_output(out) as tmp:
        Path(tmp).write_bytes(data)
    return Path(out)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. A folder, a
    pipe, a device (``/dev/zero``) or a larger file is refused with
    InputError before anything is read, and opening never waits for a writer."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError(t("file.not_found", path=path)) from None
    except IsADirectoryError:
        raise InputError(t("file.not_regular", path=path)) from None
    except OSError as exc:
        raise InputError(t("file.unreadable", path=path, detail=exc.strerror or exc)) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # before fdopen, which refuses a folder with its own error
        os.close(fd)
        raise InputError(t("file.not_regular", path=path))
    with os.fdopen(fd, "rb") as stream:
        if info.st_size > limit:
            raise InputError(t("file.too_big", path=path))
        try:
            data = stream.read(limit + 1)
        except OSError as exc:
            raise InputError(t("file.unreadable", path=path, detail=exc.strerror or exc)) from None
    if len(data) > limit:  # it grew while being read
        raise InputError(t("file.too_big", path=path))
    return data
