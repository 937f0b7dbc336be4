"""Checks a trainer runs on a pack: every problem with its file and line.

:func:`check_pack` adds the cross-checks (ids unique across the pack, links
that resolve, required sections in order, worked examples that fit their
templates) to what :func:`~companion.content.pack.load_pack` already found.
"""
from __future__ import annotations

import re
from pathlib import Path

from companion.content.pack import Loaded, Pack, Topic, load_pack
from companion.errors import InputError, Problem
from companion.messages import t
from companion.worksheets.answers import coerce
from companion.yamlfile import line_of

LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
WEB_SCHEMES = ("http://", "https://", "mailto:")
LINK_KINDS = ("topic", "glossary", "worksheet", "page")
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
FENCE = re.compile(r"^(```|~~~)")


def links(text: str) -> list[tuple[int, str]]:
    """(line offset, target) of every Markdown link in ``text``."""
    found = []
    for match in LINK.finditer(text):
        found.append((text.count("\n", 0, match.start()), match.group(1)))
    return found


def targets(pack: Pack, base: Pack | None = None) -> dict[str, set[str]]:
    """The ids a link may name, by kind: the pack's, and its base's when it is a translation."""
    found = {"topic": {tp.id for tp in pack.topics()}, "glossary": set(pack.glossary),
             "worksheet": set(pack.templates), "page": set(pack.pages), "module": {m.id for m in pack.modules}}
    if base is not None:
        for kind, known in targets(base).items():
            found[kind] |= known
    return found


def _link_problems(pack: Pack, path: Path, text: str, first_line: int, known: dict | None = None) -> list[Problem]:
    targets_ = known or targets(pack)
    problems = []
    for offset, target in links(text):
        if target.startswith(WEB_SCHEMES) or target.startswith("#") or target.startswith("images/"):
            continue
        kind, sep, ident = target.partition(":")
        line = first_line + offset
        if not sep or kind not in LINK_KINDS:
            problems.append(Problem(path, line, t("link.unknown_scheme", target=target)))
        elif ident.split("#")[0] not in targets_[kind]:
            problems.append(Problem(path, line, t("link.broken", kind=t(f"word.{kind}"), id=ident)))
    return problems


def headings(text: str, level: int = 2) -> list[tuple[int, str]]:
    """(line offset, text) of the headings of ``level``, outside code blocks."""
    marker, found, fenced = "#" * level + " ", [], False
    for offset, line in enumerate(text.splitlines()):
        if FENCE.match(line.strip()):
            fenced = not fenced
        elif not fenced and line.startswith(marker):
            found.append((offset, line[len(marker):].strip().rstrip("#").strip()))
    return found


def _section_problems(pack: Pack, topic: Topic) -> list[Problem]:
    present = {title.casefold(): offset for offset, title in headings(topic.body)}
    problems, last, previous = [], -1, None
    for heading in pack.sections.values():
        offset = present.get(heading.casefold())
        if offset is None:
            problems.append(Problem(topic.path, topic.body_line, t("topic.missing_section", heading=heading)))
            continue
        if offset < last:
            problems.append(Problem(topic.path, topic.body_line + offset,
                                    t("topic.section_order", heading=heading, previous=previous)))
        last, previous = max(last, offset), heading
    return problems


def _topic_problems(pack: Pack, topic: Topic, known: dict) -> list[Problem]:
    problems = _section_problems(pack, topic)
    problems += _link_problems(pack, topic.path, topic.body, topic.body_line, known)
    for key, ids, message in (("worksheets", known["worksheet"], "topic.unknown_worksheet"),
                              ("glossary", known["glossary"], "topic.unknown_term")):
        for ident in getattr(topic, key):
            if ident not in ids:
                problems.append(Problem(topic.path, topic.meta_lines.get(key, 1), t(message, id=ident)))
    return problems


def _duplicate_ids(pack: Pack) -> list[Problem]:
    problems, seen = [], {}
    for item in [*pack.topics(), *pack.pages.values()]:
        if not item.id:
            continue
        if item.id in seen:
            problems.append(Problem(item.path, 2, t("id.duplicate", kind=t("word.topic"), id=item.id, other=seen[item.id])))
        else:
            seen[item.id] = item.path.name
    modules = {}
    for module in pack.modules:
        if module.id in modules:
            problems.append(Problem(module.path, 1, t("id.duplicate", kind=t("word.module"), id=module.id, other=modules[module.id])))
        modules[module.id] = module.path.parent.name
    return problems


def _template_problems(pack: Pack, known: dict) -> list[Problem]:
    problems = []
    modules = known["module"]
    for template in pack.templates.values():
        path = template.path
        if template.module and template.module not in modules:
            problems.append(Problem(path, 1, t("template.unknown_module", id=template.module)))
        problems += _link_problems(pack, path, template.instructions, 1, known)
        if not template.example:
            problems.append(Problem(path, template.example_line or 1, t("example.missing")))
            continue
        for key, value in template.example.items():
            line = line_of(template.example, key, template.example_line)
            f = template.field(str(key))
            if f is None:
                problems.append(Problem(path, line, t("example.invalid", detail=t("answer.unknown_field", field=key))))
                continue
            try:
                coerce(f, value)
            except InputError as exc:
                problems.append(Problem(path, line, t("example.invalid", detail=exc)))
    return problems


def _glossary_problems(pack: Pack, known: dict) -> list[Problem]:
    problems = []
    for term in pack.glossary.values():
        for other in term.see_also:
            if other not in known["glossary"]:
                problems.append(Problem(pack.glossary_path, term.line, t("glossary.unknown_see_also", id=other)))
    return problems


def check_loaded(loaded: Loaded, base: Pack | None = None) -> list[Problem]:
    """Every problem of a loaded pack; a translation (``base``: the pack it
    translates, loaded) may link to what only its base holds, and must keep
    its base's ids and structure."""
    pack = loaded.pack
    known = targets(pack, base)
    problems = list(loaded.problems)
    problems += _duplicate_ids(pack)
    for module in pack.modules:
        if not module.topics and (base is None or base.module(module.id) is None):
            problems.append(Problem(module.path, 1, t("module.no_topics", id=module.id)))
        for topic in module.topics:
            problems += _topic_problems(pack, topic, known)
    for page in pack.pages.values():
        problems += _link_problems(pack, page.path, page.body, page.body_line, known)
    problems += _template_problems(pack, known)
    problems += _glossary_problems(pack, known)
    problems += _check_problems(pack, known)
    problems += _city_problems(pack)
    if base is not None:
        from companion.content import translation

        problems += translation.problems(base, pack)
    return sorted(set(problems), key=lambda p: (str(p.file), p.line, p.message))


def _check_problems(pack: Pack, known: dict) -> list[Problem]:
    return [Problem(check.path, 1, t("check.unknown_topic", id=topic_id))
            for topic_id, check in pack.checks.items() if topic_id not in known["topic"]]


def _city_problems(pack: Pack) -> list[Problem]:
    """Figures of the city written by hand where a reference belongs, in the
    files as written (before references are replaced)."""
    from companion.content import city as city_mod

    if not pack.city:
        return []
    page = pack.pages.get(pack.city_page)
    city_path = page.path if page else None
    name = page.title.split(",")[0].split()[0] if page and page.title.split() else ""
    paths = [tp.path for tp in pack.topics()] + [pg.path for pg in pack.pages.values()]
    paths += [tpl.path for tpl in pack.templates.values()] + [c.path for c in pack.checks.values()]
    problems = []
    for path in paths:
        if path == city_path:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for figure, written, line in city_mod.literal_figures(text, pack.city, name):
            problems.append(Problem(path, line, t("city.literal", written=written, key=figure.key,
                                                  value=figure.value)))
    return problems


def check_pack(root: Path) -> list[Problem]:
    """Every problem in the pack at ``root`` (raises ContentError if it is no pack)."""
    return check_loaded(load_pack(root))


def count_words(text: str) -> int:
    text = LINK.sub("]", text)
    return len(WORD.findall(text))


def word_counts(pack: Pack) -> dict[str, int]:
    """Words a participant reads, by "kind:id" (topics, pages, glossary terms, worksheets)."""
    counts = {f"topic:{tp.id}": count_words(tp.body) for tp in pack.topics()}
    counts.update({f"page:{p.id}": count_words(p.body) for p in pack.pages.values()})
    counts.update({f"glossary:{g.id}": count_words(f"{g.term} {g.definition}") for g in pack.glossary.values()})
    for template in pack.templates.values():
        counts[f"worksheet:{template.id}"] = count_words(template.instructions) + sum(
            count_words(f"{f.label} {f.help}") for f in template.fields())
    return counts


def stats(pack: Pack) -> dict:
    """What a pack holds; words count everything a participant reads."""
    words = sum(word_counts(pack).values())
    return {
        "language": pack.language,
        "modules": len(pack.modules),
        "topics": sum(1 for _ in pack.topics()),
        "words": words,
        "worksheets": len(pack.templates),
        "glossary": len(pack.glossary),
    }
