"""A content pack of another language, read over the pack it translates.

A translated pack says ``translation_of: toolbox-en`` in its manifest and
keeps every id of that pack (modules, topics, worksheets, fields, options,
glossary terms, pages, knowledge-check questions and options), so that
answers, progress and share files mean the same in every language. It may
be partial: :func:`overlay` takes what it lacks from its base and notes it
in ``Pack.untranslated``, so the reader can say "not yet translated". The
base's structure is the one shown: its modules in its order, its topics,
and only those worksheets and knowledge checks of the translation whose
fields, options and right answers are exactly the base's (another is shown
from the base, never with ids that answers would not fit).

:func:`differences` lists what one pack lacks or has in excess, by id;
:func:`problems` adds what ``content check`` says of a translation.
"""
from __future__ import annotations

from pathlib import Path

from companion.content import shelf
from companion.content.pack import Loaded, Pack, cached_load, load_pack, load_pack_cached
from companion.errors import Problem
from companion.messages import t

KINDS = ("module", "topic", "page", "glossary", "worksheet", "field", "option", "check", "question", "answer")


# reading a translation over its base ---------------------------------------------------------
def load_content(root: Path, cache_dir: Path | None = None, data_dir: Path | None = None) -> Loaded:
    """The pack at ``root`` as the reader shows it: a translation over its base
    (found by :func:`companion.content.shelf.base_root`), any other pack alone."""
    base = shelf.base_root(root, data_dir)
    if base is None:
        return _without_base(load_pack_cached(root, cache_dir))
    return cached_load([Path(root), base], cache_dir, lambda: read_translation(Path(root), base),
                       built=lambda checked: _built_translation(Path(root), base, checked))


def _built_translation(root: Path, base: Path, checked: Path) -> Loaded | None:
    """The translation at ``root`` over ``base``, both as the build kept them parsed; None if either is not."""
    from companion.content.parsed import read_built

    own = read_built([root, base], checked.with_name(checked.name + "-own"))
    english = read_built([base], checked.with_name(checked.name + "-base"))
    if not isinstance(own, Loaded) or not isinstance(english, Loaded):
        return None
    return Loaded(overlay(english.pack, own.pack), own.problems)


def keep_parsed(root: Path) -> Path:
    """Parse the pack at ``root`` and keep it beside it (a translation: its own parts,
    read over the pack beside it that it translates): see :mod:`companion.content.parsed`."""
    from companion.content.parsed import write_built

    root = Path(root)
    base = _sibling_base(root)
    if base is None:
        return write_built([root], load_pack(root))
    # only its own parts (the city of its base filled in): the base is kept parsed beside it on its own
    return write_built([root, base], load_pack(root, load_pack(base).pack.city))


def _sibling_base(root: Path) -> Path | None:
    """The pack beside ``root`` that it translates (None for an original pack)."""
    info = shelf.read_info(root, "bundled")
    if info is None or not info.translation_of:
        return None
    for other in sorted(Path(root).parent.iterdir()):
        found = shelf.read_info(other, "bundled") if other.is_dir() and other != root else None
        if found is not None and found.id == info.translation_of and not found.translation_of:
            return other
    return None


def read_as_written(root: Path, data_dir: Path | None = None) -> tuple[Loaded, Pack | None]:
    """The pack at ``root`` as written (not completed by its base), and the
    pack it translates (None for a pack that translates none, or whose base
    is not found: a problem says so)."""
    base_root = shelf.base_root(root, data_dir)
    if base_root is None:
        return _without_base(load_pack(root)), None
    base = load_pack(base_root).pack
    return load_pack(root, base.city), base


def _without_base(loaded: Loaded) -> Loaded:
    """``loaded``, with a problem if it is a translation whose base was not found."""
    if loaded.pack.translation_of:
        loaded.problems.append(Problem(Path(loaded.pack.root) / "manifest.yaml", 1,
                                       t("translation.no_base", id=loaded.pack.translation_of)))
    return loaded


def read_translation(root: Path, base_root: Path) -> Loaded:
    base = load_pack(base_root)
    own = load_pack(root, base.pack.city)
    return Loaded(overlay(base.pack, own.pack), own.problems)


def overlay(base: Pack, own: Pack) -> Pack:
    """``own`` (a translation) completed by ``base``: see the module's docstring."""
    pack = Pack(root=own.root, id=own.id, title=own.title, language=own.language, version=own.version,
                authors=own.authors, licence=own.licence, course=own.course or base.course,
                module_order=base.module_order, sections=own.sections, translation_of=own.translation_of)
    pack.base_language, pack.glossary_path = base.language, own.glossary_path
    missing = pack.untranslated
    own_topics = {tp.id: tp for tp in own.topics()}
    own_modules = {m.id: m for m in own.modules}
    for module in base.modules:
        topics = []
        for topic in module.topics:
            found = own_topics.get(topic.id)
            if found is None or found.module_id != topic.module_id:
                missing.add(f"topic:{topic.id}")
                found = topic
            topics.append(found)
        shown = own_modules.get(module.id)
        if shown is None:
            missing.add(f"module:{module.id}")
        pack.modules.append((shown or module)._replace(number=module.number, topics=tuple(topics)))
    pack.pages = _pick(base.pages, own.pages, "page", missing)
    pack.glossary = _pick(base.glossary, own.glossary, "glossary", missing)
    pack.templates = _pick(base.templates, own.templates, "worksheet", missing, same=lambda a, b:
                           template_shape(a) == template_shape(b))
    pack.checks = _pick(base.checks, own.checks, "check", missing, same=lambda a, b: check_shape(a) == check_shape(b))
    pack.city = {**base.city, **own.city}
    pack.city_page = own.city_page or base.city_page
    return pack


def _pick(base: dict, own: dict, kind: str, missing: set[str], same=lambda a, b: True) -> dict:
    out = {}
    for ident, item in base.items():
        found = own.get(ident)
        if found is None or not same(item, found):
            missing.add(f"{kind}:{ident}")
            found = item
        out[ident] = found
    return out


# the shapes that must not differ ----------------------------------------------------------------
FIELD_ASPECTS = ("type", "required", "advisable", "options", "min", "max", "integer", "max_length", "scale",
                 "not_before", "show_if", "constraint", "columns", "min_rows", "chart", "compute",
                 "earlier_values")


def field_shape(f) -> dict:
    """What of a field answers depend on, by aspect (its texts left out)."""
    return {
        "type": f.type, "required": f.required, "advisable": f.advisable,
        "options": tuple(o.id for o in f.options), "min": f.min, "max": f.max, "integer": f.integer,
        "max_length": f.max_length, "scale": tuple(sorted(f.labels)), "not_before": f.not_before,
        "show_if": f.show_expr or f.show_if, "constraint": f.constraint[0] if f.constraint else None,
        "columns": tuple((c.id, tuple(field_shape(c).items())) for c in f.columns), "min_rows": f.min_rows,
        "chart": (f.chart.type, tuple(sorted(f.chart.columns.items()))) if f.chart else None,
        "compute": f.compute, "earlier_values": tuple(sorted((str(k), repr(v)) for k, v in f.earlier_values.items())),
    }


def template_shape(template) -> tuple:
    return (template.version, template.module, tuple(s.id for s in template.sections),
            tuple((f.id, tuple(field_shape(f).items())) for f in template.fields()))


def check_shape(check) -> tuple:
    return tuple((q.id, q.kind, tuple((o.id, o.correct) for o in q.options)) for q in check.questions)


# ids, by kind -------------------------------------------------------------------------------
def ids(pack: Pack) -> dict[tuple[str, str], tuple[str, str] | None]:
    """Every id of a pack as (kind, id), with the (kind, id) it belongs to."""
    found: dict[tuple[str, str], tuple[str, str] | None] = {}
    for module in pack.modules:
        found[("module", module.id)] = None
        for topic in module.topics:
            found[("topic", topic.id)] = ("module", module.id)
    found.update({("page", ident): None for ident in pack.pages})
    found.update({("glossary", ident): None for ident in pack.glossary})
    for template in pack.templates.values():
        found[("worksheet", template.id)] = None
        for f in template.fields():
            _field_ids(found, f, template.id, ("worksheet", template.id))
    for topic_id, check in pack.checks.items():
        found[("check", topic_id)] = ("topic", topic_id)
        for question in check.questions:
            found[("question", f"{topic_id}/{question.id}")] = ("check", topic_id)
            for option in question.options:
                found[("answer", f"{topic_id}/{question.id}/{option.id}")] = ("question", f"{topic_id}/{question.id}")
    return found


def _field_ids(found: dict, f, prefix: str, parent: tuple[str, str]) -> None:
    ident = f"{prefix}/{f.id}"
    found[("field", ident)] = parent
    for option in f.options:
        found[("option", f"{ident}/{option.id}")] = ("field", ident)
    for column in f.columns:
        _field_ids(found, column, ident, ("field", ident))


def differences(first: Pack, second: Pack) -> list[tuple[str, str, str]]:
    """("lacks" or "excess", kind, id): what ``second`` lacks or has in excess
    compared with ``first``; an item inside one that is itself lacking (or in
    excess) is not listed again."""
    mine, theirs = ids(first), ids(second)
    out = [("lacks", kind, ident) for (kind, ident), parent in mine.items()
           if (kind, ident) not in theirs and (parent is None or parent in theirs)]
    out += [("excess", kind, ident) for (kind, ident), parent in theirs.items()
            if (kind, ident) not in mine and (parent is None or parent in mine)]
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(out, key=lambda d: (d[0] != "lacks", order[d[1]], d[2]))


def language_name(code: str) -> str:
    """A language's name in the interface's language ("French" for ``fr``); the code when not known."""
    from companion.messages import CATALOGUE

    key = f"translation.language.{code}"
    return t(key) if key in CATALOGUE else code


def difference_line(difference: tuple[str, str, str]) -> str:
    what, kind, ident = difference
    return t(f"translation.{what}", kind=t(f"word.{kind}"), id=ident)


# what content check says of a translation -----------------------------------------------------
def problems(base: Pack, own: Pack) -> list[Problem]:
    """Where the translation ``own`` (loaded alone) departs from ``base``'s ids and structure."""
    name = base.id or str(base.root)
    manifest = own.root / "manifest.yaml"
    found: list[Problem] = []
    if own.module_order != base.module_order:
        found.append(Problem(manifest, 1, t("translation.modules_differ", base=name,
                                            modules=", ".join(base.module_order))))
    if set(own.sections) != set(base.sections):
        found.append(Problem(manifest, 1, t("translation.sections_differ", base=name, keys=", ".join(base.sections))))
    if own.language == base.language:
        found.append(Problem(manifest, 1, t("translation.same_language", language=base.language)))
    theirs = ids(base)
    for (kind, ident), parent in ids(own).items():
        if kind in ("module", "topic", "page", "glossary", "worksheet", "check") and (kind, ident) not in theirs:
            path, line = _where(own, kind, ident)
            found.append(Problem(path, line, t("translation.not_in_base", kind=t(f"word.{kind}"),
                                               id=ident, base=name)))
    for module in own.modules:
        other = base.module(module.id)
        if other is not None and other.number != module.number:
            found.append(Problem(module.path, 1, t("translation.module_number", id=module.id, number=other.number,
                                                   base=name)))
    for topic in own.topics():
        other = base.topic(topic.id)
        if other is not None and other.module_id != topic.module_id:
            found.append(Problem(topic.path, 2, t("translation.other_module", id=topic.id, module=other.module_id,
                                                  here=topic.module_id, base=name)))
    for ident, template in own.templates.items():
        if ident in base.templates:
            found += _template_problems(base.templates[ident], template, name)
    for ident, check in own.checks.items():
        if ident in base.checks:
            found += _check_problems(base.checks[ident], check, name)
    found += [Problem(manifest if not own.city_page else own.pages[own.city_page].path, figure.line,
                      t("translation.city_excess", key=key, base=name))
              for key, figure in own.city.items() if key not in base.city]
    return found


def _where(pack: Pack, kind: str, ident: str) -> tuple[Path, int]:
    if kind == "module":
        return pack.module(ident).path, 1
    if kind == "topic":
        return pack.topic(ident).path, 2
    if kind == "page":
        return pack.pages[ident].path, 2
    if kind == "glossary":
        return pack.glossary_path, pack.glossary[ident].line
    if kind == "worksheet":
        return pack.templates[ident].path, 1
    return pack.checks[ident].path, 1


def _template_problems(base, own, name: str) -> list[Problem]:
    found = []
    for aspect, mine, theirs in (("version", own.version, base.version), ("module", own.module, base.module),
                                 ("sections", [s.id for s in own.sections], [s.id for s in base.sections])):
        if mine != theirs:
            found.append(Problem(own.path, 1, t("translation.worksheet_differs", worksheet=own.id, aspect=aspect,
                                                 base_value=theirs, value=mine, base=name)))
    found += _fields_problems(list(base.fields()), list(own.fields()), own, "", name)
    return found


def _fields_problems(base_fields: list, own_fields: list, own, prefix: str, name: str) -> list[Problem]:
    found = []
    mine = {f.id: f for f in own_fields}
    theirs = {f.id: f for f in base_fields}
    say = lambda key, line, **values: found.append(Problem(own.path, line, t(  # noqa: E731
        key, worksheet=own.id, base=name, **values)))
    for ident in theirs:
        if ident not in mine:
            say("translation.field_missing", 1, id=prefix + ident)
    for ident, f in mine.items():
        other = theirs.get(ident)
        if other is None:
            say("translation.field_excess", f.line, id=prefix + ident)
            continue
        if list(theirs).index(ident) != list(mine).index(ident) and set(mine) == set(theirs):
            say("translation.field_differs", f.line, id=prefix + ident, aspect="order",
                base_value=list(theirs).index(ident) + 1, value=list(mine).index(ident) + 1)
        shape, base_shape = field_shape(f), field_shape(other)
        for aspect in FIELD_ASPECTS:
            if aspect == "options":
                for option in base_shape[aspect]:
                    if option not in shape[aspect]:
                        say("translation.option_missing", f.line, id=prefix + ident, option=option)
                for option in shape[aspect]:
                    if option not in base_shape[aspect]:
                        say("translation.option_excess", f.line, id=prefix + ident, option=option)
            elif aspect == "columns":
                found += _fields_problems(list(other.columns), list(f.columns), own, f"{prefix}{ident}/", name)
            elif shape[aspect] != base_shape[aspect]:
                say("translation.field_differs", f.line, id=prefix + ident, aspect=aspect,
                    base_value=_shown(base_shape[aspect]), value=_shown(shape[aspect]))
    return found


def _shown(value) -> str:
    return "-" if value in (None, (), "") else str(value)


def _check_problems(base, own, name: str) -> list[Problem]:
    found = []
    say = lambda question, aspect, theirs, mine: found.append(Problem(own.path, 1, t(  # noqa: E731
        "translation.check_differs", topic=own.topic_id, id=question, aspect=aspect, base_value=_shown(theirs),
        value=_shown(mine), base=name)))
    mine = {q.id: q for q in own.questions}
    for question in base.questions:
        other = mine.get(question.id)
        if other is None:
            say(question.id, "id", question.id, None)
            continue
        for aspect, theirs, ours in (("kind", question.kind, other.kind),
                                     ("options", [o.id for o in question.options], [o.id for o in other.options]),
                                     ("correct", sorted(question.right_options()), sorted(other.right_options()))):
            if theirs != ours:
                say(question.id, aspect, theirs, ours)
    for ident in mine:
        if base.question(ident) is None:
            say(ident, "id", None, ident)
    return found


# words ----------------------------------------------------------------------------------------
def word_ratio(base: Pack, own: Pack, counts) -> tuple[int, int]:
    """(words of the translation, words of the same items in ``base``), items
    counted by ``counts(pack)`` ({"kind:id": words})."""
    mine, theirs = counts(own), counts(base)
    shared = [key for key in mine if key in theirs]
    return sum(mine[key] for key in shared), sum(theirs[key] for key in shared)
