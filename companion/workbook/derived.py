"""What a worksheet's answers give beyond themselves, worked out field by field:
each answer split against its template (what fits, what is set apart) and
its words for the search index.

A save changes one field or a few; the rest of the worksheet, a 100-row
table say, is the same as at the last save. Each field's results are kept
with the answer they came from (compared by value, so nothing stale is ever
used), and a save works out again only the fields whose answers differ.
Each answer's value is also kept with the text it is stored as, so that a
save decodes again only the answers whose stored text changed."""
from __future__ import annotations

from typing import Any, NamedTuple

from companion.folding import fold
from companion.workbook.search_text import answer_text, raw_text  # the words the index holds
from companion.worksheets import answers as answers_mod
from companion.worksheets.template import Template

_NONE = object()
KEPT_WORKSHEETS = 8  # the worksheets saved last: someone edits one or two at a time


class Split(NamedTuple):
    fitting: dict[str, Any]
    apart: dict[str, Any]
    words: str  # the text the search index holds for these answers
    folded: str | None = None  # ``fold(words)``, put together from each field's (None: not worked out)
    answered: frozenset[str] | None = None  # the fields of ``fitting`` that have an answer (None: not worked out)
    same_words: bool = False  # ``words`` are those of the last split of this worksheet (its index row may hold them)


class _Field(NamedTuple):
    value: Any
    fitting: Any
    apart: Any
    words: str
    folded: str  # fold(words): the whole worksheet's folded text is these, one a line, as fold() of the lines
    answered: bool  # the part that fits has an answer (answers.has_answer)


class Derived:
    def __init__(self) -> None:
        self._kept: dict[int, tuple[str, dict[str, _Field], str]] = {}  # template key, fields, words
        self._stored: dict[int, dict[str, tuple[str, Any]]] = {}

    def stored(self, worksheet_id: int) -> dict[str, tuple[str, Any]]:
        """The worksheet's answers as last read, each with the text it is stored
        as: what ``WorksheetStore.answers`` reads again without decoding."""
        return _latest(self._stored, worksheet_id, self._stored.get(worksheet_id) or {})

    def split(self, worksheet_id: int, template: Template, answers: dict[str, Any]) -> Split:
        key = f"{template.id}@{template.version}"
        found = self._kept.get(worksheet_id)
        before = found[1] if found and found[0] == key else {}
        fields: dict[str, _Field] = {}
        for field_id, value in answers.items():
            kept = before.get(field_id)
            if kept is None or (kept.value is not value and kept.value != value):
                kept = _work_out(template, field_id, value)
            elif kept.value is not value:  # an equal copy: kept from now on, so the next save finds the very value
                kept = kept._replace(value=value)
            fields[field_id] = kept
        fitting = {k: f.fitting for k, f in fields.items() if f.fitting is not _NONE}
        apart = {k: f.apart for k, f in fields.items() if f.apart is not _NONE}
        lines = [fields[f.id] for f in template.fields() if f.id in fields]
        lines += [f for k, f in fields.items() if template.field(k) is None]
        lines = [line for line in lines if line.words]
        words = "\n".join(line.words for line in lines)
        _latest(self._kept, worksheet_id, (key, fields, words))
        return Split(fitting, apart, words, "\n".join(line.folded for line in lines),
                     frozenset(k for k, f in fields.items() if f.answered), bool(before) and found[2] == words)

    def forget(self, worksheet_id: int | None = None) -> None:
        """Drop what is kept (of one worksheet, or of all after a content update or a restore)."""
        for kept in (self._kept, self._stored):
            if worksheet_id is None:
                kept.clear()
            else:
                kept.pop(worksheet_id, None)


def _latest(kept: dict, worksheet_id: int, value: Any) -> Any:
    """``value`` kept for the worksheet as the latest used, with at most KEPT_WORKSHEETS others."""
    kept.pop(worksheet_id, None)
    kept[worksheet_id] = value
    while len(kept) > KEPT_WORKSHEETS:
        kept.pop(next(iter(kept)))
    return value


def _work_out(template: Template, field_id: str, value: Any) -> _Field:
    fitting, apart = answers_mod.split_answers(template, {field_id: value})
    fit, away = fitting.get(field_id, _NONE), apart.get(field_id, _NONE)
    f = template.field(field_id)
    words = []
    if fit is not _NONE and f is not None:
        words.append(answer_text(f, fit))
    if away is not _NONE:
        words.append(raw_text(away))
    text = "\n".join(w for w in words if w)
    return _Field(value, fit, away, text, fold(text), fit is not _NONE and answers_mod.has_answer(fit))
