"""A content pack kept parsed beside it, made when the pack is built or installed.

Parsing every YAML file of a pack costs more than the rest of a start. The
data folder keeps the parsed pack (``load_pack_cached``), but that cache is
missing at the first start after an install of the app or a new version of
it. So the bundle's build (build_installer.py), and ``make`` for a checkout,
parse each pack they ship and keep the result beside it, in
``.parsed/<pack folder>.pickle``. (A content install parses the pack it
installs into the data folder's cache, which its next start reads.) It is keyed by the contents of
the pack's files (not their times, which copying changes), and the pack's
paths are kept relative to it, so the bundle's copy is right wherever the
bundle is unpacked."""
from __future__ import annotations

import io
import os
import pickle
from pathlib import Path, PurePath

from companion.timefmt import fingerprint

FOLDER = ".parsed"


def built_path(root: Path) -> Path:
    return Path(root).parent / FOLDER / f"{Path(root).name}.pickle"


def contents_key(root: Path) -> str:
    """Changes whenever a file of the pack is added, removed or changed (its bytes)."""
    from companion import __version__

    digest = fingerprint(__version__)
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            digest.update(f"\0{os.path.relpath(path, root)}\0".encode())
            with open(path, "rb") as stream:
                digest.update(stream.read())
    return digest.hexdigest()


class _Pickler(pickle.Pickler):
    def __init__(self, stream, root: Path) -> None:
        super().__init__(stream, pickle.HIGHEST_PROTOCOL)
        self.root = root

    def persistent_id(self, obj):  # noqa: D401 - pickle's API
        if isinstance(obj, PurePath):
            try:
                return Path(obj).relative_to(self.root).as_posix()
            except ValueError:
                return None
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, stream, root: Path) -> None:
        super().__init__(stream)
        self.root = root

    def persistent_load(self, pid):
        return self.root / pid


def write_built(root: Path) -> Path:
    """Parse the pack at ``root`` and keep it beside it (written whole, then put in place)."""
    from companion.content.pack import load_pack

    root = Path(root).resolve()
    out = built_path(root)
    out.parent.mkdir(parents=True, exist_ok=True)
    stream = io.BytesIO()
    _Pickler(stream, root).dump((contents_key(root), load_pack(root)))
    tmp = out.with_suffix(".part")
    tmp.write_bytes(stream.getvalue())
    os.replace(tmp, out)
    return out


def read_built(root: Path):
    """The parsed pack kept beside ``root`` (a ``Loaded``), or None when there is
    none or it was made from other files."""
    from companion.content.pack import Loaded

    root = Path(root).resolve()
    try:
        with open(built_path(root), "rb") as stream:
            key, loaded = _Unpickler(stream, root).load()  # noqa: S301 - written by the build or install
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    try:
        same = key == contents_key(root)
    except OSError:
        return None
    return loaded if same and isinstance(loaded, Loaded) else None
