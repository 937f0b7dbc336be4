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


def fold(text: str) -> str:
    """``text`` lower case, without accents or Arabic marks, letter variants folded.

    Alef with hamza or madda, ؤ and ئ decompose (NFD) into their base letter
    and a mark, and the mark goes."""
    return _MARKS.sub("", unicodedata.normalize("NFD", text)).translate(_LETTERS).casefold()


def folded_with_positions(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each of its characters, the index in ``text`` it came from."""
    out, where = [], []
    for i, ch in enumerate(text):
        for piece in fold(ch):
            out.append(piece)
            where.append(i)
    return "".join(out), where
