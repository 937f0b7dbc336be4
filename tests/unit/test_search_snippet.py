"""A result's snippet: the words around its first match, found without listing every word of a long text."""
from __future__ import annotations

import random
import re

import pytest

from companion.folding import fold, folded_with_positions
from companion.workbook import search_text
from companion.workbook.search_text import _mark, _word_spans, needles, snippet


def _every_word_snippet(text: str, query: str, size: int) -> str:
    """The snippet as worked out from the list of every word of the text and every match in it."""
    spans = _word_spans(text, needles(query))
    words_at = [m.span() for m in re.finditer(r"\S+", text)]
    if not words_at:
        return ""
    first = next((i for i, (a, b) in enumerate(words_at) if spans and b > spans[0][0]), 0)
    begin = max(0, min(first - 3, len(words_at) - size))
    end = min(len(words_at), begin + size)
    low, high = words_at[begin][0], words_at[end - 1][1]
    inner = [(a - low, b - low) for a, b in spans if a >= low and b <= high]
    return ("…" if begin else "") + _mark(text[low:high], inner) + ("…" if end < len(words_at) else "")


VOCABULARY = ["migração", "cooperação", "the", "diaspora", "(return)", "بلدية", "الهجرة", "يوماً", "remittances,",
              "skills", "matching.", "Mindelo", "2025", "—", "x", "a\u0301b", "ﬁne", "straße", "together", "nonreturn",
              "x2025", "أبلدية"]


@pytest.mark.parametrize("seed", range(6))
def test_the_snippet_is_the_one_every_word_gives(seed):
    rnd = random.Random(seed)
    for _ in range(120):
        count = rnd.choice([0, 1, 3, 14, 16, 20, 40, 400, 1500])
        spaces = [" ", "  ", "\n", "\u00a0", "\t"]
        text = rnd.choice(["", " ", "\n"]) + "".join(rnd.choice(VOCABULARY) + rnd.choice(spaces)
                                                    for _ in range(count))
        query = rnd.choice(["migracao", "the", "diaspora", "بلدية", "skills matching", "return", "nowhere", "2025"])
        size = rnd.choice([1, 3, 14])
        expected = _every_word_snippet(text, query, size)
        assert snippet(text, query, size) == expected, (text[:200], query, size)
        assert snippet(text, query, size, folded=fold(text)) == expected, (text[:200], query, size)


def test_a_match_where_one_part_of_the_text_folded_at_a_time_ends_is_found():
    """The text is folded 1,024 characters at a time, then 4,096, ...: a match across the end
    of a part, even one spread by accents that fold to nothing, is the one found."""
    for filler in ("x ", "ß ", "يوماً "):  # ß folds to two letters, the tanween to none
        for parts in (1024, 1024 + 4096):
            for count in range(parts // len(filler) - 6, parts // len(filler) + 2):
                for word in ("Remessas enviadas", "r" + "\u0301" * 40 + "emessas enviadas"):
                    text = filler * count + word
                    expected = _every_word_snippet(text, "remessas", 14)
                    assert "\x02" in expected
                    assert snippet(text, "remessas") == expected, (filler, count, word)
                    assert snippet(text, "remessas", folded=fold(text)) == expected, (filler, count, word)


def test_folding_keeps_each_character_s_place():
    for text in ["Migração e cooperação", "يوماً مُعبّأة", "ﬁne straße İstanbul", "a\u0301b", ""]:
        folded, where = folded_with_positions(text)
        assert folded == "".join(fold(ch) for ch in text)
        assert list(where) == [i for i, ch in enumerate(text) for _ in fold(ch)]


def test_a_long_text_s_snippet_reads_few_of_its_words(monkeypatch):
    text = "word " * 50_000 + "diaspora " + "word " * 50_000
    seen = []
    real = search_text._WORD.finditer
    monkeypatch.setattr(search_text, "_WORD", type("W", (), {"finditer": staticmethod(
        lambda *a: (seen.append(m) or m for m in real(*a)))})())
    assert snippet(text, "diaspora", 14) == "…word word word \x02diaspora\x03 word word word word word word word word word word…"
    assert len(seen) < 3000


def test_folding_replaces_letter_variants_as_a_translation_table_would():
    import unicodedata

    from companion import folding

    rnd = random.Random(5)
    chars = [chr(c) for c in [*range(32, 0x250), *range(0x600, 0x700), 0x200C, 0x200D, 0x200E, 0x200F, 0xFB01, 0x130]]
    for _ in range(3000):
        text = "".join(rnd.choice(chars) for _ in range(rnd.randint(0, 30)))
        table = folding._MARKS.sub("", unicodedata.normalize("NFD", text)).translate(folding._LETTERS).casefold()
        assert fold(text) == table, text
    assert fold("مدرسةٌ ـ يوماً ى") == "مدرسه  يوما ي"
