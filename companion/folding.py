"""Text folded for search: the one function the index and the queries share.

A word is found whatever its usual spelling: case and accents go for Latin
scripts (é→e, ñ→n, ç→c, ã→a), and Arabic letter variants and marks fold
(alef forms أ إ آ ٱ → ا, taa marbuta ة → ه, alef maqsura ى → ي, hamza on a
carrier ؤ → و, ئ → ي; harakat, tanween, shadda, sukun, the dagger alef and
tatweel go). The search index stores its text folded and every query is
folded the same way, whatever the language of the interface or the pack.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Sequence

_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
                    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_LETTERS = str.maketrans({
    "\u0671": "\u0627",  # alef wasla
    "\u0672": "\u0627", "\u0673": "\u0627", "\u0675": "\u0627",  # alef with wavy hamza
    "\u0629": "\u0647",  # taa marbuta -> haa
    "\u0649": "\u064a",  # alef maqsura -> yaa
    "\u06cc": "\u064a",  # Farsi yeh, as Arabic keyboards on some systems type it
    "\u0640": None,      # tatweel
    "\u200c": None, "\u200d": None, "\u200e": None, "\u200f": None,  # joiners and direction marks
})

_VARIANT_OF = {chr(key): value if isinstance(value, str) else chr(value) if value is not None else ""
               for key, value in _LETTERS.items()}
_VARIANTS = re.compile("[" + "".join(_VARIANT_OF) + "]")


def fold(text: str) -> str:
    """``text`` lower case, without accents or Arabic marks, letter variants folded.

    Alef with hamza or madda, ؤ and ئ decompose (NFD) into their base letter
    and a mark, and the mark goes."""
    text = _MARKS.sub("", unicodedata.normalize("NFD", text))
    if _VARIANTS.search(text) is not None:  # str.translate looks up every character: only when needed
        text = _VARIANTS.sub(lambda found: _VARIANT_OF[found.group()], text)
    return text.casefold()


_FOLDED: dict[str, str] = {}  # each character folded, as it is first met (a few hundred in all)


def _folded_char(ch: str) -> str:
    piece = _FOLDED.get(ch)
    if piece is None:
        piece = _FOLDED[ch] = fold(ch)
    return piece


_EVEN: set[str] = set()  # characters met that fold to exactly one, and are no combining mark


def folds_evenly(text: str) -> bool:
    """Whether ``fold(text)`` has each character of ``text`` folded in its place: each folds to
    exactly one character, and none is a combining mark that folding could move. Then a
    place in the folded text is the same place in ``text``."""
    if text.isascii():
        return True
    chars = set(text)
    if chars <= _EVEN:
        return True
    for ch in chars - _EVEN:
        if len(_folded_char(ch)) != 1 or unicodedata.combining(ch):
            return False
        _EVEN.add(ch)
    return True


def folded_with_positions(text: str) -> tuple[str, Sequence[int]]:
    """Each character of ``text`` folded, and for each character of the result the index in
    ``text`` it came from. Each different character is folded once; when each folds to
    exactly one character (most texts), the positions are those of ``text`` itself."""
    if text.isascii():  # nothing to fold but the case, character for character
        return text.lower(), range(len(text))
    table = {ord(ch): _folded_char(ch) for ch in set(text)}
    folded = text.translate(table)
    if len(folded) == len(text) and all(len(piece) == 1 for piece in table.values()):
        return folded, range(len(text))
    where: list[int] = []
    for i, ch in enumerate(text):
        where.extend([i] * len(table[ord(ch)]))
    return folded, where
