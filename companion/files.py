"""Writing a file so that a failure never leaves half of it behind.

Every export (PDFs, share files, CSV, content pack archives) is written to a
temporary file beside its target, flushed to the disk, then renamed over the
target in one step. A failure removes the temporary file and comes out as a
StorageError in plain words; whatever was at the target stays as it was.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from companion.errors import StorageError
from companion.messages import t


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
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(tmp, out)
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
