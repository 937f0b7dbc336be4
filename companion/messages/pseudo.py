"""The pseudo-language ``qps``: every text accented, lengthened by a third and
bracketed, so that a text left untranslated (plain English) or cut by a
widget too narrow (no closing bracket) shows at a glance. Placeholders
(``{name}``, ``%s``, ``%n``, ``%1``), HTML tags, entities and ``&`` keys are kept."""
from __future__ import annotations

import re

PSEUDO = "qps"
# compiled by re at the first pseudo text (its cache keeps it), not at every start
_KEEP = r"\{[^{}]*\}|%[-+ 0#]*\d*(?:\.\d+)?[sdifnL%]|%\d|<[^>]*>|&[a-zA-Z]+;|&&|&(?=\w)"
_ACCENTS = str.maketrans("aceinorsuyACEINORSUYz", "àçéîñöŕšüýÀÇÉÎÑÖŔŠÜÝž")


def pseudo(text: str) -> str:
    """``text`` as the pseudo-language writes it; already pseudo text is left as it is."""
    if not text or text.startswith("[") and text.endswith("]"):
        return text
    parts, last = [], 0
    for match in re.finditer(_KEEP, text):
        parts.append(text[last:match.start()].translate(_ACCENTS))
        parts.append(match.group())
        last = match.end()
    parts.append(text[last:].translate(_ACCENTS))
    body = "".join(parts)
    lines = body.split("\n")
    # the padding goes on the longest line, so that its width grows by a third
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[longest] += " " + "~" * max(1, (len(text) + 2) // 3 - 1)
    return "[" + "\n".join(lines) + "]"
