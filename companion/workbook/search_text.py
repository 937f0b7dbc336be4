"""The words of a search: the query as a safe FTS5 expression, the matches
in a text (folded as the index folds, :func:`companion.folding.fold`), the
marked titles and snippets of results, and the plain text of what is indexed."""
from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from typing import Any, Iterator, Sequence

from companion.folding import fold, folded_with_positions, folds_evenly
from companion.worksheets import answers as answers_mod

# \x02 and \x03 mark the matched words in titles and snippets (escaped by the caller)
OPEN, CLOSE = "\x02", "\x03"
SNIPPET_WORDS = 14


# -- queries ------------------------------------------------------------------------------------

def _is_token_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LN" or category == "Co"


def words(text: str) -> list[list[str]]:
    """The query's words, each as the tokens FTS5's unicode61 tokenizer makes of it."""
    out = []
    for chunk in unicodedata.normalize("NFC", text or "").split():
        tokens, current = [], []
        for ch in chunk:
            if _is_token_char(ch):
                current.append(ch)
            elif current:
                tokens.append("".join(current))
                current = []
        if current:
            tokens.append("".join(current))
        if tokens:
            out.append(tokens)
    return out


def fts_query(text: str, prefix: bool = True) -> str | None:
    """The person's words as a safe FTS5 expression: every word must occur
    (a word cut by punctuation, as in "co-funded", as a phrase); the last word
    also matches longer words that start with it. None when there are no words."""
    found = words(fold(text or ""))
    if not found:
        return None
    terms = ['"' + " ".join(tokens) + '"' for tokens in found]
    last = found[-1]
    if prefix and len(last) == 1 and len(last[0]) >= 2 and _is_token_char(text[-1:] or " "):
        terms[-1] += "*"
    return " ".join(terms)


@lru_cache(maxsize=64)
def needles(query: str) -> tuple[str, ...]:
    """The query's words folded as the index folds them, as they are looked for in a text
    (a word cut by punctuation, as in "co-funded", with its parts apart by one space)."""
    return tuple(needle for needle in (fold(" ".join(tokens)) for tokens in words(query)) if needle)


def find_terms(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) in ``text`` of every occurrence of the query's words, ignoring case and diacritics."""
    return _occurrences(text, needles(query))


def _occurrences(text: str, wanted: tuple[str, ...]) -> list[tuple[int, int]]:
    folded, where = folded_with_positions(text)
    spans = []
    for needle in wanted:
        start = folded.find(needle)
        while start >= 0:
            end = start + len(needle)
            spans.append((where[start], where[end - 1] + 1))
            start = folded.find(needle, end)
    return sorted(spans)


def marked(text: str, query: str) -> str:
    """``text`` with the words that start with one of the query's words between OPEN and CLOSE."""
    return _mark(text, _word_spans(text, needles(query)))


def snippet(text: str, query: str, size: int = SNIPPET_WORDS, folded: str | None = None) -> str:
    """About ``size`` words of ``text`` around the first of its matches, marked; "…" where cut.

    Only the text up to the first match and the words shown are folded: a worksheet's text
    can hold thousands of words. With ``folded``, fold(text) as the index keeps it, the first
    match is looked for there, and a text holding none of the query's words (a result found
    by its title) is seen at once."""
    wanted = needles(query)
    at = None if folded is None else _first_in_folded(text, wanted, folded)
    words_at, first = _words_near(text, _first_match(text, wanted) if at is None else at, size)
    if not words_at:
        return ""
    begin = max(0, min(first - 3, len(words_at) - size))
    end = min(len(words_at), begin + size)
    low, high = words_at[begin][0], words_at[end - 1][1]
    # the words shown start after a space (or the text's start) and end before one (or its end),
    # so the matches among them are the ones found in them alone
    inner = _word_spans(text[low:high], wanted)
    return ("…" if begin else "") + _mark(text[low:high], inner) + ("…" if end < len(words_at) else "")


def _first_in_folded(text: str, wanted: tuple[str, ...], folded: str) -> int | None:
    """Where the first match at a word's start begins in ``text`` (0 when there is none), found
    in ``folded``; None when the text before it does not fold character for character (a place
    in ``folded`` is then not the same place in ``text``)."""
    first, even = None, 0  # text[:even] folds character for character
    for needle in wanted:
        at = folded.find(needle)
        while at >= 0 and (first is None or at < first):
            end = at + len(needle)
            if end > even:
                if end > len(text) or not folds_evenly(text[even:end]):
                    return None
                even = end
            if not (at and _is_token_char(text[at - 1])):
                first = at
                break
            at = folded.find(needle, end)
    return first or 0


def _first_match(text: str, wanted: tuple[str, ...], part: int = 1024) -> int:
    """Where the first match at a word's start begins in ``text`` (0 when there is none),
    folding the text a part at a time from its start, each part four times the last."""
    longest = max(map(len, wanted), default=0)
    low = 0
    while longest and low < len(text):
        high = min(len(text), low + part)
        folded, where = _folded_part(text, low, high, longest)
        first = None
        for needle in wanted:
            at = folded.find(needle)
            while at >= 0 and (first is None or low + where[at] < first):
                start = low + where[at]
                if start >= high:
                    break  # the next part finds it
                if not (start and _is_token_char(text[start - 1])):
                    first = start
                    break
                at = folded.find(needle, at + len(needle))
        if first is not None:
            return first
        low, part = high, part * 4
    return 0


def _folded_part(text: str, low: int, high: int, longest: int) -> tuple[str, Sequence[int]]:
    """``text[low:high]`` folded with its positions, and as many characters after it as make
    ``longest`` folded characters (a match that starts in the part ends in what is folded)."""
    extra = 2 * longest + 16
    while True:
        stop = min(len(text), high + extra)
        folded, where = folded_with_positions(text[low:stop])
        if stop == len(text) or len(folded) - bisect_left(where, high - low) >= longest:
            return folded, where
        extra *= 4


_WORD = re.compile(r"\S+")


def _words_near(text: str, at: int, size: int) -> tuple[list[tuple[int, int]], int]:
    """The (start, end) of the words a snippet of ``size`` words around ``at`` can take (a long
    worksheet's text holds thousands: only these are looked at), and the index among them of
    the first word ending after ``at``. When words before them are left out, ``size`` + 3 are
    kept before it, so the snippet starts after some of them and says "…" as it should."""
    start = at
    while start > 0 and not text[start - 1].isspace():
        start -= 1  # the beginning of the word holding ``at``
    after = []
    for match in _WORD.finditer(text, start):
        after.append(match.span())
        if len(after) > size:  # one more than can be shown: the snippet ends with "…"
            break
    wanted, window = size + 3, 16 * (size + 3)  # never more than ``wanted`` are shown before ``at``
    while True:
        low = max(0, start - window)
        before = [m.span() for m in _WORD.finditer(text, low, start)]
        if low == 0:
            return before + after, len(before)
        if len(before) > wanted:  # the first may be cut by the window: left out
            return before[-wanted:] + after, wanted
        window *= 4


def _word_spans(text: str, wanted: tuple[str, ...]) -> list[tuple[int, int]]:
    """The occurrences of the ``wanted`` folded words kept to matches at a word's start, each
    stretched to its word's end."""
    out = []
    for start, end in _occurrences(text, wanted):
        if start and _is_token_char(text[start - 1]):
            continue
        while end < len(text) and (_is_token_char(text[end]) or unicodedata.category(text[end]) == "Mn"):
            end += 1
        if not out or start >= out[-1][1]:
            out.append((start, end))
    return out


def _mark(text: str, spans: list[tuple[int, int]]) -> str:
    parts, position = [], 0
    for start, end in spans:
        parts += [text[position:start], OPEN, text[start:end], CLOSE]
        position = end
    return "".join(parts) + text[position:]


# -- text of content and answers ---------------------------------------------------------------------

_HEADING = re.compile(r'<h([1-6])(?: id="([^"]*)")?>(.*?)</h\1>', re.S)
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|div|br|hr|table|thead|tbody|tr|td|th|blockquote|pre)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def plain(fragment: str) -> str:
    """Rendered HTML as plain text: blocks apart, inline markup (links, emphasis) gone."""
    return " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", fragment))).split())


def sections(body_html: str) -> Iterator[tuple[str, str, str]]:
    """(anchor, heading, plain text) of each part of a rendered topic; the part
    before the first heading has no anchor."""
    position, anchor, heading = 0, "", ""
    for match in _HEADING.finditer(body_html):
        text = plain(body_html[position:match.start()])
        if text or anchor:
            yield anchor, heading, text
        anchor, heading, position = match.group(2) or "", plain(match.group(3)), match.end()
    text = plain(body_html[position:])
    if text or anchor:
        yield anchor, heading, text


TYPED = ("text", "longtext", "number", "date")  # what a person writes; options' labels depend on the language


def answer_text(f, value: Any) -> str:
    """The words a person wrote in an answer (not the labels of options they
    chose, which are in the language of the pack shown), so that the index of
    their words is the same in every language."""
    if answers_mod.is_empty(value):
        return ""
    if f.type == "table":
        if not isinstance(value, list):
            return ""
        return "\n".join(" · ".join(raw_text(row.get(c.id)) for c in f.columns
                                    if c.type in TYPED and not answers_mod.is_empty(row.get(c.id)))
                         for row in value if isinstance(row, dict))
    return raw_text(value) if f.type in TYPED else ""


def raw_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " ".join(raw_text(v) for v in value)
    if isinstance(value, dict):
        return " ".join(raw_text(v) for v in value.values())
    return "" if value is None else str(value)
