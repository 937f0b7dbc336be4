"""Backup files packed with zlib (the gzip format): a companion database
compresses to about a quarter of its size. A backup written by ``companion
backup`` or the window is packed; the copies in ``backups/`` are not (they
are read at start when a database has to be recovered). A file is told
apart by its first bytes, so a backup written before packing still restores."""
from __future__ import annotations

import os
import zlib
from pathlib import Path

from companion.errors import StorageError
from companion.files import sync_folder
from companion.messages import t

MAGIC = b"\x1f\x8b"
_CHUNK = 1024 * 1024


def is_packed(head: bytes) -> bool:
    return head[:2] == MAGIC


def pack(source: Path, dest: Path) -> None:
    """``source`` packed into ``dest``, written atomically and flushed to the disk."""
    dest = Path(dest)
    tmp = dest.with_name(f".{dest.name}.part")
    try:
        _pack(source, tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(t("backup.cannot_write", path=dest, detail=exc.strerror or exc)) from None
    sync_folder(dest.parent)


def _pack(source: Path, tmp: Path, dest: Path) -> None:
    try:
        packer = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: gzip header and trailer
        with open(source, "rb") as reader, open(tmp, "wb") as writer:
            while chunk := reader.read(_CHUNK):
                writer.write(packer.compress(chunk))
            writer.write(packer.flush())
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class Unpacker:
    """Unpacks a packed file chunk by chunk, never to more than ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self._unpacker = zlib.decompressobj(31)
        self._left = limit

    def feed(self, chunk: bytes) -> bytes:
        """The bytes ``chunk`` unpacks to; ValueError when the file is damaged or too big."""
        try:
            out = self._unpacker.decompress(chunk, self._left + 1)
        except zlib.error as exc:
            raise ValueError(str(exc)) from None
        self._left -= len(out)
        if self._left < 0 or self._unpacker.unconsumed_tail:
            raise OverflowError("too big")
        return out

    def finish(self) -> None:
        """ValueError unless the whole packed file was read."""
        if not self._unpacker.eof:
            raise ValueError("the file is cut short")
