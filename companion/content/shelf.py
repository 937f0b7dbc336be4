"""Which content pack a data folder uses: the bundled one, or one installed from a stick.

Cheap on purpose: :meth:`Workbook.open` calls :func:`active_root` at every
start, and it reads nothing when nothing was installed (no ``packs`` folder),
otherwise only the manifests. Installing packs is in :mod:`companion.workbook.packs`.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from companion import paths, yamlfile
from companion.errors import ContentError

PACKS_DIR = "packs"
VERSION_RE = re.compile(r"^\d{1,6}(\.\d{1,6}){0,3}$")


# which pack is in use ----------------------------------------------------------
class PackInfo(NamedTuple):
    id: str
    title: str
    language: str
    version: str
    root: Path
    origin: str  # "bundled", "installed" or "archive"
    translation_of: str = ""  # the id of the pack it translates

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "language": self.language, "version": self.version,
                "origin": self.origin, "path": str(self.root)}


def version_key(version: str) -> tuple[int, ...] | None:
    """``"1.2.0"`` as ``(1, 2, 0, 0)`` for comparing; None when not a version."""
    version = str(version).strip()
    if not VERSION_RE.match(version):
        return None
    numbers = [int(part) for part in version.split(".")]
    return tuple(numbers + [0] * (4 - len(numbers)))


INFO_KEYS = ("id", "title", "language", "version", "translation_of")
_TOP_LINE = re.compile(r"^([a-z_]+):[ \t]+(\S[^\n]*?)[ \t]*$", re.M)
_WORDS = re.compile(r"^[^\s'\"&*!|>%@`#,\[\]{}?:-][^#]*$")  # nothing YAML reads as anything but these words
_NOT_WORDS = re.compile(r"^(?:[-+0-9.eE_:]*|~|null|true|false|yes|no|on|off|y|n)$", re.I)


def _plain_info(text: str) -> dict[str, str] | None:
    """The manifest's identity read without a YAML parser, when each of its keys
    is one line of plain words at the top level (as the bundled packs write
    them; "1.0.0" is words to YAML too); None otherwise, to be parsed."""
    found = {}
    for key, value in _TOP_LINE.findall(text):
        if key in INFO_KEYS:
            plain = _WORDS.match(value) and not (_NOT_WORDS.match(value) and value.count(".") < 2) \
                and ": " not in value
            if key in found or not plain:
                return None
            found[key] = value
    return found


def read_info(root: Path, origin: str) -> PackInfo | None:
    """A pack's manifest only (cheap: the usual manifest without loading a YAML parser);
    None when there is no readable one."""
    try:
        text = (Path(root) / "manifest.yaml").read_text(encoding="utf-8")
        data = _plain_info(text) if origin == "bundled" else None
        if data is None:
            data = yamlfile.loads(text)
    except (OSError, UnicodeDecodeError, ContentError):
        return None
    if not isinstance(data, dict):
        return None
    text = {key: str(data.get(key) or "") for key in INFO_KEYS}
    return PackInfo(text["id"], text["title"], text["language"] or "en", text["version"], Path(root), origin,
                    text["translation_of"])


def packs_dir(data_dir: Path) -> Path:
    return Path(data_dir) / PACKS_DIR


def bundled_packs() -> list[PackInfo]:
    """The packs that came with the app (the default one first)."""
    default = paths.content_dir()
    roots = [default]
    shelf = default.parent  # content/: the packs of other languages beside the default one
    if shelf.is_dir():
        roots += [p for p in sorted(shelf.iterdir())
                  if p.is_dir() and (p / "manifest.yaml").is_file() and p.resolve() != default.resolve()]
    return [info for info in (read_info(root, "bundled") for root in roots) if info is not None]


def installed_packs(data_dir: Path) -> list[PackInfo]:
    """The packs installed in a data folder (from a stick)."""
    folder = packs_dir(data_dir)
    if not folder.is_dir():
        return []
    found = (read_info(p, "installed") for p in sorted(folder.iterdir())
             if p.is_dir() and not p.name.startswith("."))
    return [info for info in found if info is not None]


def _newest(candidates: list[PackInfo]) -> PackInfo | None:
    best = None
    for info in candidates:
        key = version_key(info.version)
        if key is not None and (best is None or key > version_key(best.version)):
            best = info
    return best


def active_root(data_dir: Path, language: str | None = None) -> Path:
    """The content pack a data folder uses for ``language`` (None: the default
    pack's): an installed pack of that language when it is newer than the
    bundled one, else the bundled one; the default pack (English) when there
    is no pack of that language at all."""
    default = paths.content_dir()
    if language:
        bundled_root = bundled_for_language(language)
        if bundled_root is None and not packs_dir(data_dir).is_dir():
            return default
    else:
        bundled_root = default
    if not packs_dir(data_dir).is_dir():
        return bundled_root  # the usual case: nothing installed, nothing to read
    bundled = read_info(bundled_root, "bundled") if bundled_root is not None else None
    language = language or (bundled.language if bundled else "en")
    installed = [i for i in installed_packs(data_dir) if i.language == language]
    best = _newest(installed)
    if best is None:
        return bundled_root if bundled_root is not None else default
    if bundled is not None and version_key(bundled.version) is not None \
            and version_key(bundled.version) >= version_key(best.version):
        return bundled_root
    return best.root


def bundled_for_language(language: str) -> Path | None:
    """The bundled pack of ``language``: ``content/<language>/`` beside the
    default pack (its manifest saying that language), else None."""
    default = paths.content_dir()
    for root in (default, default.parent / language):
        info = read_info(root, "bundled") if (root / "manifest.yaml").is_file() else None
        if info is not None and info.language == language:
            return root
    return None


def base_root(root: Path, data_dir: Path | None = None) -> Path | None:
    """The pack a translated pack at ``root`` translates (its manifest's
    ``translation_of``): the newest pack of that id among the default pack,
    the packs beside ``root`` and those installed in ``data_dir``. None for a
    pack that translates none, or when its base is nowhere to be found."""
    info = read_info(root, "bundled")
    if info is None or not info.translation_of:
        return None
    candidates = [paths.content_dir()]
    for folder in (Path(root).parent, packs_dir(data_dir) if data_dir is not None else None):
        try:
            candidates += [p for p in sorted(folder.iterdir()) if not p.name.startswith(".")] if folder else []
        except OSError:
            continue
    found = []
    for candidate in candidates:
        if not candidate.is_dir() or candidate.resolve() == Path(root).resolve():
            continue
        other = read_info(candidate, "bundled")
        if other is not None and other.id == info.translation_of and not other.translation_of:
            found.append(other)
    best = _newest(found) or (found[0] if found else None)
    return best.root if best else None
