"""Alphabetical order as each interface language sorts: the glossary, the
worksheet templates, the people of a cohort report.

A collation key of our own, not Qt's QCollator nor pyuca: the lists are put
in order below the window (the glossary page and the reports are made
without Qt, and the command line prints them too), and pyuca's table (the
Unicode default order, about 2 MB) knows no language: Spanish puts "ñ" after
"n" as a letter of its own, which the default order does not. The key
compares letters first (accents, case and marks set aside), then accents,
then case, as CLDR's collations do for these languages:

- Latin letters: "é", "ç", "ã" sort as "e", "c", "a" and come after them
  when the words are otherwise equal; Spanish: "ñ" after "n".
- Arabic: the hamza and madda forms of alef (أ إ آ) as alef, ة with ت and
  ى with ي (CLDR's Arabic tailoring), short vowels and tatweel set aside;
  the letters otherwise in the order of the alphabet, which Unicode's order follows.
"""
from __future__ import annotations

import unicodedata

_AFTER = "\U0010ffff"  # sorts after every letter: a letter of its own placed after its base
_TAILORING = {
    "es": {"ñ": "n" + _AFTER},
    "ar": {"ة": "ت", "ى": "ي", "ـ": ""},
}


def sort_key(text: str, language: str = "en") -> tuple:
    """A key for ``sorted`` that orders ``text`` as ``language`` does."""
    tailoring = _TAILORING.get(language, {})
    folded = text.casefold()
    primary, secondary = [], []
    for ch in folded:
        if ch in tailoring:
            primary.append(tailoring[ch])
            continue
        for part in unicodedata.normalize("NFD", ch):
            if unicodedata.combining(part) or unicodedata.category(part) == "Mn":
                secondary.append(part)
            else:
                primary.append(tailoring.get(part, part))
    # lower case before upper case when all else is equal, as CLDR's default tertiary order
    tertiary = tuple(not ch.islower() for ch in text)
    return "".join(primary), "".join(secondary), tertiary, text


def sorted_texts(items, key=lambda item: item, language: str = "en") -> list:
    """``items`` in ``language``'s alphabetical order of ``key(item)``."""
    return sorted(items, key=lambda item: sort_key(key(item), language))
