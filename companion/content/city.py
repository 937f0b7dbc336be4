"""The course city: one file of figures that every topic and worked example quotes.

A page whose front matter holds ``city:`` (``pages/mirazul.md``) declares
each figure once, with the words it goes with::

    city:
      plan.people:
        value: "1,500"
        label: people given information and a referral by the centre

Anywhere in the pack, ``{{city:plan.people}}`` stands for the value and is
replaced when the pack loads, so the figures cannot diverge. ``content
check`` reports a reference to a key the city file does not declare, and a
number written by hand right before a declared figure's words (its label's
first word, in a sentence sharing two more of its words), where a reference
belongs.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from companion import yamlfile

REF = re.compile(r"\{\{\s*city:([A-Za-z0-9._-]+)\s*\}\}")
KEY = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")
NUMBER = r"\d(?:[\d,.]*\d)?"
_COUNT = re.compile(r"^(?:[A-Z]{3} )?\d[\d,.]*(?: ?%)?$")  # 1,500 or 80 % or USD 142,000
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_SENTENCE = re.compile(r"[^.!?:;]*(?:[.!?:;]|$)")  # a colon or a semicolon starts another statement
_WORD = re.compile(r"[^\W\d_]{5,}")
_COMMON = {"about", "after", "their", "there", "which", "where", "while", "other", "these", "those", "under",
           "until", "within", "plan's", "first", "still", "every"}


class Figure(NamedTuple):
    key: str
    value: str
    label: str
    line: int


def read_city(meta: Any, path: Path, problems: list) -> dict[str, Figure]:
    """The figures of a page's ``city:`` front matter (problems noted with their line)."""
    from companion.errors import Problem
    from companion.messages import t

    city = meta.get("city") if isinstance(meta, dict) else None
    if city is None:
        return {}
    if not isinstance(city, dict):
        problems.append(Problem(path, yamlfile.line_of(meta, "city"), t("city.not_mapping")))
        return {}
    figures = {}
    for key, entry in city.items():
        line = yamlfile.line_of(city, key)
        if not isinstance(key, str) or not KEY.match(key):
            problems.append(Problem(path, line, t("city.bad_key", key=key)))
            continue
        if not isinstance(entry, dict) or entry.get("value") in (None, "") or not entry.get("label"):
            problems.append(Problem(path, line, t("city.bad_entry", key=key)))
            continue
        figures[key] = Figure(key, str(entry["value"]), str(entry["label"]), line)
    return figures


def resolve(text: str, city: dict[str, Figure], unknown: list[str] | None = None) -> str:
    """``text`` with every ``{{city:KEY}}`` replaced by its value; a key the
    city does not declare stays as written and is added to ``unknown``."""
    if "{{" not in text:
        return text

    def value(found: re.Match) -> str:
        figure = city.get(found.group(1))
        if figure is None:
            if unknown is not None:
                unknown.append(found.group(1))
            return found.group(0)
        return figure.value

    return REF.sub(value, text)


def resolve_data(data: Any, city: dict[str, Figure], unknown: list[tuple[str, int]]) -> Any:
    """Loaded YAML with every string resolved, in place (line numbers kept);
    ``unknown`` gets (key, line) of each undeclared reference."""
    if isinstance(data, dict):
        for key in list(data):
            value = data[key]
            if isinstance(value, str):
                missing: list[str] = []
                data[key] = resolve(value, city, missing)
                unknown.extend((name, yamlfile.line_of(data, key)) for name in missing)
            else:
                resolve_data(value, city, unknown)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            if isinstance(value, str):
                missing = []
                data[index] = resolve(value, city, missing)
                unknown.extend((name, yamlfile.line_of(data)) for name in missing)
            else:
                resolve_data(value, city, unknown)
    return data


def references(text: str) -> list[tuple[str, int]]:
    """(key, line within ``text``) of every reference written in ``text``."""
    return [(found.group(1), text.count("\n", 0, found.start()) + 1) for found in REF.finditer(text)]


def literal_figures(text: str, city: dict[str, Figure], name: str = "") -> list[tuple[Figure, str, int]]:
    """(figure, what was written, line within ``text``) for each number written by
    hand right before a declared figure's words, where a reference belongs: in
    a paragraph about the city (it names it, ``name``, or quotes one of its
    figures), a sentence with the number then the label's first word and two
    more of the label's words."""
    found = []
    paragraphs = [m for m in re.finditer(r"(?:[^\n]+\n?)+", text)
                  if "{{city:" in m.group(0) or (name and name in m.group(0))]
    for figure in city.values():
        if not _COUNT.match(figure.value):
            continue  # dates, lists and words are quoted too, but only counts are looked for
        words = figure.label.split()
        if not words:
            continue
        head = re.escape(words[0])
        others = {w.lower() for w in _WORD.findall(figure.label)[1:]} - _COMMON - {words[0].lower()}
        pattern = re.compile(rf"(?<![\w{{:.,]){NUMBER}\s+{head}\b", re.IGNORECASE)
        for paragraph in paragraphs:
            for sentence in _SENTENCE.finditer(paragraph.group(0)):
                part = sentence.group(0)
                if len(others & {w.lower() for w in _WORD.findall(part)}) < 2:
                    continue
                for hit in pattern.finditer(part):
                    if _YEAR.match(hit.group(0).split()[0]):
                        continue  # a year, not a count
                    at = paragraph.start() + sentence.start() + hit.start()
                    found.append((figure, hit.group(0), text.count("\n", 0, at) + 1))
    return found


# resolving a whole pack ------------------------------------------------------------
def resolve_pack(pack, problems: list) -> None:
    """Every ``{{city:KEY}}`` of topics, pages and the glossary replaced by the
    city file's value; a key the city does not declare is a problem."""
    from companion.errors import Problem
    from companion.messages import t

    def text(value: str, path: Path, line: int) -> str:
        unknown: list[str] = []
        value = resolve(value, pack.city, unknown)
        problems.extend(Problem(path, line, t("city.unknown", key=key)) for key in unknown)
        return value

    def body(value: str, path: Path, first: int) -> str:
        for key, line in references(value):
            if key not in pack.city:
                problems.append(Problem(path, first + line - 1, t("city.unknown", key=key)))
        return resolve(value, pack.city)

    for number, module in enumerate(pack.modules):
        topics = tuple(tp._replace(title=text(tp.title, tp.path, tp.meta_lines.get("title", 1)),
                                   summary=text(tp.summary, tp.path, tp.meta_lines.get("summary", 1)),
                                   body=body(tp.body, tp.path, tp.body_line)) for tp in module.topics)
        pack.modules[number] = module._replace(topics=topics)
    for page_id, page in list(pack.pages.items()):
        pack.pages[page_id] = page._replace(body=body(page.body, page.path, page.body_line))
    for term_id, term in list(pack.glossary.items()):
        pack.glossary[term_id] = term._replace(definition=text(term.definition, pack.glossary_path, term.line))


def yaml_reader(pack, problems: list, load_yaml_file):
    """``read(path)``: a YAML file of the pack (loaded by ``load_yaml_file``),
    its city references resolved."""
    from companion.errors import Problem
    from companion.messages import t

    def read(path: Path):
        data = load_yaml_file(path, problems)
        if data is not None:
            unknown: list[tuple[str, int]] = []
            resolve_data(data, pack.city, unknown)
            problems.extend(Problem(path, line, t("city.unknown", key=key)) for key, line in unknown)
        return data
    return read
