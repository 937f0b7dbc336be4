"""Translated content packs, for the command line (``companion content
diff|check|stats``) and the window: a translation compared with the pack it
translates, checked against it, its words counted against it.

How a translation is read over its base is in
:mod:`companion.content.translation`; which pack a language shows is
:meth:`companion.workbook.Workbook.use_language`.
"""
from __future__ import annotations

from pathlib import Path

from companion.content import shelf, validate
from companion.content import translation as translation_mod
from companion.content.pack import Loaded, Pack, load_pack
from companion.errors import Problem
from companion.messages import t


def read(root: Path, data_dir: Path | None = None) -> tuple[Loaded, Pack | None]:
    """The pack at ``root`` as written, and the pack it translates (see
    :func:`companion.content.translation.read_as_written`)."""
    return translation_mod.read_as_written(root, data_dir)


def check(root: Path, data_dir: Path | None = None) -> tuple[Loaded, list[Problem]]:
    """Every problem of the pack at ``root``; a translation's also where it
    departs from the ids and the structure of the pack it translates."""
    loaded, base = read(root, data_dir)
    return loaded, validate.check_loaded(loaded, base)


def diff(first: Path, second: Path) -> list[str]:
    """What the pack at ``second`` lacks or has in excess compared with the
    one at ``first``, by id, one line each (none: they hold the same ids)."""
    base = load_pack(first).pack
    other = load_pack(second, base.city).pack
    return [translation_mod.difference_line(d) for d in translation_mod.differences(base, other)]


def stats(root: Path | None = None, data_dir: Path | None = None) -> list[dict]:
    """What each pack holds (the pack at ``root``, else every bundled pack);
    for a translation, its words against those of the same parts of its base
    (``ratio``, in percent)."""
    roots = [Path(root)] if root is not None else [info.root for info in shelf.bundled_packs()]
    out = []
    for folder in roots:
        loaded, base = read(folder, data_dir)
        figures = validate.stats(loaded.pack)
        if base is not None:
            words, base_words = translation_mod.word_ratio(base, loaded.pack, validate.word_counts)
            figures.update(translation_of=base.id, translated_words=words, base_words=base_words,
                           ratio=round(100 * words / base_words) if base_words else None)
        out.append(figures)
    return out


def ratio_line(figures: dict) -> str | None:
    """A translation's words against its base's, in words (None for a pack that translates none)."""
    if figures.get("ratio") is None:
        return None
    return t("translation.ratio", language=figures["language"], words=figures["translated_words"],
             ratio=figures["ratio"], base=figures["translation_of"], base_words=figures["base_words"])
