"""The Unicode bidirectional algorithm (UAX #9), implicit rules only.

Enough for the text participants type (no explicit embeddings): the level of
each character of one line, and the order in which runs at those levels are
seen. :mod:`companion.export.fonts` uses it to draw lines that mix Arabic and
other scripts.
"""
from __future__ import annotations

import unicodedata

_NEUTRAL = {"B", "S", "WS", "ON", "BN"}
_EXPLICIT = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def _last_strong(types: list[str], i: int, sor: str, strong: tuple[str, ...]) -> str:
    for j in range(i - 1, -1, -1):
        if types[j] in strong:
            return types[j]
    return sor


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """The embedding level of each character of one line (even: left to right)."""
    base, sor = (1, "R") if rtl else (0, "L")
    types = [unicodedata.bidirectional(ch) or "L" for ch in text]
    types = ["BN" if kind in _EXPLICIT else kind for kind in types]
    previous = sor
    for i, kind in enumerate(types):  # W1: a combining mark takes the type before it
        if kind == "NSM":
            types[i] = previous
        elif kind != "BN":
            previous = kind
    for i, kind in enumerate(types):  # W2: European digits after Arabic letters are Arabic numbers
        if kind == "EN" and _last_strong(types, i, sor, ("R", "L", "AL")) == "AL":
            types[i] = "AN"
    types = ["R" if kind == "AL" else kind for kind in types]  # W3
    for i in range(1, len(types) - 1):  # W4: one separator between two numbers joins them
        left, kind, right = types[i - 1], types[i], types[i + 1]
        if left == right == "EN" and kind in ("ES", "CS") or left == right == "AN" and kind == "CS":
            types[i] = left
    for i, kind in enumerate(types):  # W5: terminators (%, currency) next to digits
        if kind == "ET":
            j = i
            while j < len(types) and types[j] == "ET":
                j += 1
            if (i > 0 and types[i - 1] == "EN") or (j < len(types) and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
    types = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in types]  # W6
    for i, kind in enumerate(types):  # W7: European digits after Latin letters are Latin
        if kind == "EN" and _last_strong(types, i, sor, ("R", "L")) == "L":
            types[i] = "L"
    i = 0
    while i < len(types):  # N1, N2: neutrals between two like directions take it, others the base's
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < len(types) and types[j] in _NEUTRAL:
            j += 1
        before = "R" if i == 0 and rtl else ("L" if i == 0 else types[i - 1])
        after = ("R" if rtl else "L") if j == len(types) else types[j]
        before, after = ("R" if d in ("EN", "AN") else d for d in (before, after))
        types[i:j] = [before if before == after else sor] * (j - i)
        i = j
    levels = []
    for kind in types:  # I1, I2
        if base == 0:
            levels.append(1 if kind == "R" else 2 if kind in ("AN", "EN") else 0)
        else:
            levels.append(1 if kind == "R" else 2)
    raw = [unicodedata.bidirectional(ch) for ch in text]
    i = len(text)
    while i > 0 and (raw[i - 1] in ("WS", "B", "S", "BN") or raw[i - 1] in _EXPLICIT):  # L1
        i -= 1
        levels[i] = base
    return levels


def visual_order(levels: list[int]) -> list[int]:
    """Indices of items at ``levels`` in the order they are seen (rule L2)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    for level in range(max(levels), (min(levels) | 1) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return order
