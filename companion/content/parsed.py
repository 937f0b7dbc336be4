"""A content pack kept parsed beside it, made when the pack is built or installed.

Parsing every YAML file of a pack costs more than the rest of a start. The
data folder keeps the parsed pack (``load_pack_cached``), but that cache is
missing at the first start after an install of the app or a new version of
it. So the bundle's build (build_installer.py), and ``make`` for a checkout,
parse each pack they ship and keep the result beside it, in
``.parsed/<pack folder>.pickle`` (a translation together with the pack it
translates, beside it: ``content/fr`` over ``content/en``). (A content install parses the pack it
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
FORMAT = "3"  # raised whenever what a kept parse holds changes (2: a translation keeps its own parts only;
# 3: named tuples for the records)


def built_path(roots: list[Path]) -> Path:
    first = Path(roots[0])
    return first.parent / FOLDER / f"{first.name}.pickle"


def _base(roots: list[Path]) -> Path:
    """The folder the kept paths are relative to: the one holding every root."""
    return Path(os.path.commonpath([str(Path(r).resolve()) for r in roots]))


def contents_key(roots: list[Path]) -> str:
    """Changes whenever a file of the packs is added, removed or changed (its bytes)."""
    from companion import __version__

    digest = fingerprint(f"{__version__}|{FORMAT}")
    inside = len(os.path.join(_base(roots), ""))  # a file's name from the folder holding the packs on
    for root in roots:
        for folder, dirs, files in os.walk(Path(root).resolve()):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                digest.update(f"\0{path[inside:]}\0".encode())
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


def write_built(roots: list[Path], loaded) -> Path:
    """Keep ``loaded``, the packs at ``roots`` parsed, beside the first (written whole, then
    put in place); ``companion.content.translation.keep_parsed`` parses and calls this."""
    roots = [Path(r).resolve() for r in roots]
    out = built_path(roots)
    out.parent.mkdir(parents=True, exist_ok=True)
    stream = io.BytesIO()
    _Pickler(stream, _base(roots)).dump((contents_key(roots), loaded))
    tmp = out.with_suffix(".part")
    tmp.write_bytes(stream.getvalue())
    os.replace(tmp, out)
    return out


def read_built(roots: list[Path], checked: Path | None = None):
    """What ``write_built`` kept for ``roots``, or None when there is none or it
    was made from other files (the caller checks that it is a parsed pack).

    Comparing means reading every file of the packs (about 4 ms for the English one).
    ``checked``, a file in the data folder's cache named after the packs' files as found
    (names, sizes, times: see ``pack.cached_load``), keeps that this very parse matched
    them, so the next start with the same files reads none of them."""
    roots = [Path(r).resolve() for r in roots]
    try:
        with open(built_path(roots), "rb") as stream:
            made = os.fstat(stream.fileno())
            key, loaded = _Unpickler(stream, _base(roots)).load()  # noqa: S301 - written by the build or install
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    matched = f"{made.st_size}|{made.st_mtime_ns}|{key}"
    if checked is not None and _read(checked) == matched:
        return loaded
    try:
        same = key == contents_key(roots)
    except OSError:
        return None
    if same and checked is not None:
        _write(checked, matched)
    return loaded if same else None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii")
    except (OSError, ValueError):
        return None


def _write(path: Path, text: str) -> None:
    """A convenience only: a folder that cannot be written means comparing again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(text, encoding="ascii")
        os.replace(tmp, path)
    except OSError:
        pass
