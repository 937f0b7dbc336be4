"""Loading a content pack from its folder.

:func:`load_pack` reads everything it can and returns the problems it met
beside the pack, so the app can open a pack with a broken topic and the
validator can list every problem at once. Only a folder with no readable
manifest raises :class:`~companion.errors.ContentError`.
"""
from __future__ import annotations

import os
import pickle
import re
from pathlib import Path
from typing import Iterator, NamedTuple

from companion import yamlfile
from companion.content import city as city_mod
from companion.content.checks import Check, load_checks
from companion.errors import ContentError, Problem
from companion.timefmt import fingerprint
from companion.messages import t
from companion.worksheets.template import ID_RE, Template, parse_template

DEFAULT_SECTIONS = {
    "objectives": "Learning objectives",
    "ideas": "Key ideas",
    "example": "Practice example",
    "reflect": "Questions for your city",
    "reading": "Further reading",
}


# The pack's records are named tuples, and the pack a plain class, not dataclasses: they are
# made each time the app starts, and a dataclass costs about a millisecond to make at import.
class Topic(NamedTuple):
    id: str
    title: str
    summary: str
    module_id: str
    path: Path
    body: str
    body_line: int
    worksheets: tuple[str, ...] = ()
    glossary: tuple[str, ...] = ()
    meta_lines: dict = {}  # the line of each front-matter key (read, never changed)
    reading: str = ""  # "essential" or "optional" reading in the schedule; "" when not said


class Page(NamedTuple):
    id: str
    title: str
    path: Path
    body: str
    body_line: int


class Module(NamedTuple):
    id: str
    number: int
    title: str
    summary: str
    path: Path
    topics: tuple[Topic, ...]


class Term(NamedTuple):
    id: str
    term: str
    definition: str
    see_also: tuple[str, ...]
    line: int


class Pack:
    """A content pack as loaded: its manifest, modules, pages, glossary, templates, the
    city's figures and the knowledge checks (a translation: over its base pack's)."""

    def __init__(self, root: Path, id: str, title: str, language: str, version: str,  # noqa: A002
                 authors: tuple[str, ...], licence: str, course: str, module_order: tuple[str, ...],
                 sections: dict[str, str], translation_of: str = "") -> None:
        self.root, self.id, self.title, self.language, self.version = root, id, title, language, version
        self.authors, self.licence, self.course, self.module_order = authors, licence, course, module_order
        self.sections = sections
        self.modules: list[Module] = []
        self.pages: dict[str, Page] = {}
        self.glossary: dict[str, Term] = {}
        self.templates: dict[str, Template] = {}
        self.glossary_path: Path | None = None
        self.city: dict[str, city_mod.Figure] = {}
        self.city_page = ""  # the id of the page that declares the city's figures
        self.checks: dict[str, Check] = {}  # key messages and knowledge checks, by topic
        self.translation_of = translation_of  # the id of the pack this one translates ("" for an original pack)
        self.base_language = ""  # the language of that pack, when it is loaded beside this one
        self.untranslated: set[str] = set()  # "kind:id" of what is shown from that pack

    def language_of(self, kind: str, ident: str) -> str:
        """The language ``kind:ident`` is shown in: its base pack's when not translated yet."""
        return self.base_language if f"{kind}:{ident}" in self.untranslated else self.language

    def topics(self) -> Iterator[Topic]:
        for module in self.modules:
            yield from module.topics

    def topic(self, topic_id: str) -> Topic | None:
        return next((tp for tp in self.topics() if tp.id == topic_id), None)

    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def templates_of(self, module_id: str) -> list[Template]:
        return [tpl for tpl in self.templates.values() if tpl.module == module_id]


class Loaded:
    """A pack and the problems met loading it."""

    def __init__(self, pack: Pack, problems: list[Problem], files: str = "") -> None:
        self.pack, self.problems = pack, problems
        self.files = files  # files_fingerprint of the pack when load_pack_cached loaded it


def _read(path: Path, problems: list[Problem]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path, 1, t("file.unreadable", path=path.name, detail=exc)))
        return None


def _yaml(path: Path, text: str, problems: list[Problem], first_line: int = 1):
    try:
        return yamlfile.loads(text, first_line)
    except ContentError as exc:
        line, _, message = str(exc).partition(": ")
        problems.append(Problem(path, int(line) if line.isdigit() else first_line, message))
        return None


def load_yaml_file(path: Path, problems: list[Problem]):
    text = _read(path, problems)
    return None if text is None else _yaml(path, text, problems)


_FRONT = re.compile(r"\A---[ \t]*\r?\n")


def split_front_matter(path: Path, text: str, problems: list[Problem]) -> tuple[dict | None, str, int]:
    """(front matter, body, line of the body's first line)."""
    if not _FRONT.match(text):
        problems.append(Problem(path, 1, t("frontmatter.missing")))
        return None, text, 1
    lines = text.splitlines(keepends=True)
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            meta = _yaml(path, "".join(lines[1:index]), problems, first_line=2)
            return meta, "".join(lines[index + 1:]), index + 2
    problems.append(Problem(path, 1, t("frontmatter.unclosed")))
    return None, text, 1


def _str_list(value) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _text(data: dict | None, key: str, default: str = "") -> str:
    value = (data or {}).get(key)
    return default if value is None else str(value)


def _load_topic(path: Path, module_id: str, problems: list[Problem]) -> Topic | None:
    text = _read(path, problems)
    if text is None:
        return None
    meta, body, body_line = split_front_matter(path, text, problems)
    if not isinstance(meta, dict):
        return None
    for key in ("id", "title"):
        if not meta.get(key):
            problems.append(Problem(path, yamlfile.line_of(meta), t("field.missing", key=key)))
    for key, line in getattr(meta, "duplicates", ()):
        problems.append(Problem(path, line, t("yaml.duplicate_key", key=key)))
    return Topic(
        id=_text(meta, "id"), title=_text(meta, "title", path.stem), summary=_text(meta, "summary"),
        module_id=module_id, path=path, body=body, body_line=body_line,
        worksheets=_str_list(meta.get("worksheets")), glossary=_str_list(meta.get("glossary")),
        meta_lines=dict(getattr(meta, "key_lines", {})), reading=_text(meta, "reading"),
    )


def _load_module(folder: Path, problems: list[Problem]) -> Module | None:
    meta_path = folder / "module.yaml"
    if not meta_path.is_file():
        return None
    meta = load_yaml_file(meta_path, problems)
    if not isinstance(meta, dict):
        if meta is not None:
            problems.append(Problem(meta_path, 1, t("yaml.not_mapping")))
        return None
    module_id = _text(meta, "id")
    if module_id != folder.name:
        problems.append(Problem(meta_path, meta.line_of("id"), t("module.id_mismatch", id=module_id, folder=folder.name)))
    topics = tuple(
        topic for topic in (_load_topic(p, module_id, problems) for p in sorted(folder.glob("*.md")))
        if topic is not None
    )
    number = meta.get("number")
    return Module(
        id=module_id, number=number if isinstance(number, int) else 0,
        title=_text(meta, "title", module_id), summary=_text(meta, "summary"),
        path=meta_path, topics=topics,
    )


def _load_glossary(path: Path, problems: list[Problem]) -> dict[str, Term]:
    if not path.is_file():
        return {}
    data = load_yaml_file(path, problems)
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, list):
        if data is not None:
            problems.append(Problem(path, yamlfile.line_of(data), t("field.missing", key="terms")))
        return {}
    glossary: dict[str, Term] = {}
    for raw in terms:
        if not isinstance(raw, dict):
            problems.append(Problem(path, yamlfile.line_of(terms), t("yaml.not_mapping")))
            continue
        term = Term(_text(raw, "id"), _text(raw, "term"), _text(raw, "definition").strip(),
                    _str_list(raw.get("see_also")), yamlfile.line_of(raw))
        for key in ("id", "term", "definition"):
            if not raw.get(key):
                problems.append(Problem(path, term.line, t("field.missing", key=key)))
        if term.id in glossary:
            problems.append(Problem(path, term.line, t("id.duplicate", kind=t("word.glossary"), id=term.id,
                                                       other=t("word.line", line=glossary[term.id].line))))
            continue
        if term.id and not ID_RE.match(term.id):
            problems.append(Problem(path, term.line, t("id.bad", id=term.id)))
        glossary[term.id] = term
    return glossary


def _load_pages(folder: Path, problems: list[Problem], pack: "Pack") -> dict[str, Page]:
    """The pages; a page with ``city:`` in its front matter declares the city's figures."""
    pages: dict[str, Page] = {}
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        text = _read(path, problems)
        if text is None:
            continue
        meta, body, body_line = split_front_matter(path, text, problems)
        if isinstance(meta, dict):
            page = Page(_text(meta, "id", path.stem), _text(meta, "title", path.stem), path, body, body_line)
            pages[page.id] = page
            figures = city_mod.read_city(meta, path, problems)
            if figures:
                pack.city.update(figures)
                pack.city_page = page.id
    return pages


def _load_templates(folder: Path, problems: list[Problem], read) -> dict[str, Template]:
    templates: dict[str, Template] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        data = read(path)
        if data is None:
            continue
        template, found = parse_template(data, path)
        problems.extend(found)
        if template is None:
            continue
        if template.id != path.stem:
            problems.append(Problem(path, yamlfile.line_of(data, "id"), t("template.id_mismatch", id=template.id, stem=path.stem)))
        if template.id in templates:
            problems.append(Problem(path, 1, t("id.duplicate", kind=t("word.worksheet"), id=template.id,
                                               other=templates[template.id].path.name)))
            continue
        templates[template.id] = template
    return templates


def files_fingerprint(root: Path) -> str:
    """Changes whenever a file of the pack is added, removed or changed
    (names relative to ``root``, sizes, modification times)."""
    digest = fingerprint()
    inside = len(os.path.join(root, ""))  # a file's name from the root on
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            digest.update(f"{path[inside:]}|{stat.st_mtime_ns}|{stat.st_size}\n".encode())
    return digest.hexdigest()


def load_pack_cached(root: Path, cache_dir: Path | None) -> Loaded:
    """:func:`load_pack`, kept parsed in ``cache_dir`` between runs: parsing
    every YAML file costs more than the rest of start-up. A cache that is
    missing, stale or unreadable is simply rebuilt. The pack's files are
    looked at once, here; ``Loaded.files`` keeps what was seen (the search
    index's key is made from it too)."""
    root = Path(root)
    return cached_load([root], cache_dir, lambda: load_pack(root))


def cached_load(roots: list[Path], cache_dir: Path | None, load, built=None) -> Loaded:
    """``load()``, read from the packs at ``roots``, kept in ``cache_dir``: one cache per set of roots.
    Before parsing, ``built(checked)`` (default: what the build kept for ``roots``, read with
    :func:`companion.content.parsed.read_built`) may give it parsed."""
    from companion import __version__
    from companion.content.parsed import FORMAT

    files = "+".join(files_fingerprint(Path(root)) for root in roots)
    if cache_dir is None:
        loaded = load()
        loaded.files = files
        return loaded
    where = "|".join(str(Path(root).resolve()) for root in roots)
    signature = fingerprint(f"{__version__}|{FORMAT}|{where}|{files}").hexdigest()
    slot = fingerprint(where).hexdigest()[:8]
    try:
        cache = Path(cache_dir) / f"pack-{slot}-{signature}.pickle"
        with open(cache, "rb") as stream:
            loaded = pickle.load(stream)  # noqa: S301 - our own file in the user's data folder
        if isinstance(loaded, Loaded):
            loaded.files = files
            return loaded
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    from companion.content.parsed import read_built

    # parsed when the bundle was built, or by make; ``checked`` keeps that the parse matched these files
    checked = Path(cache_dir) / f"built-{slot}-{signature}"
    try:  # what was kept for these packs' files as they were before (a parse copied here by an older
        for old in Path(cache_dir).glob(f"*-{slot}-*"):  # version, 1 MB): this one's parse is not here
            if old.name.startswith(("built-", "pack-")) and not old.name.startswith(checked.name):
                old.unlink(missing_ok=True)
    except OSError:
        pass
    loaded = built(checked) if built is not None else read_built(roots, checked)
    if isinstance(loaded, Loaded):  # read from there at each start: a copy here would cost more to write
        loaded.files = files        # (about 10 ms, on the first start) than it saves (2 ms a start)
        return loaded
    loaded = load()
    loaded.files = files
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob(f"pack-{slot}-*.pickle"):
            old.unlink(missing_ok=True)
        tmp = cache.with_suffix(".part")
        tmp.write_bytes(pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, cache)
    except (OSError, pickle.PickleError, NameError):
        pass
    return loaded


def load_pack(root: Path, base_city: dict[str, city_mod.Figure] | None = None) -> Loaded:
    """The pack at ``root``; ``{{city:KEY}}`` from its city file, else ``base_city`` (a translation's base)."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError(t("pack.not_folder", path=root))
    manifest_path = root / "manifest.yaml"
    if not manifest_path.is_file():
        raise ContentError(f"{manifest_path}:1: " + t("pack.no_manifest"))
    problems: list[Problem] = []
    manifest = load_yaml_file(manifest_path, problems)
    if not isinstance(manifest, dict):
        detail = problems[0] if problems else f"{manifest_path}:1: {t('yaml.not_mapping')}"
        raise ContentError(str(detail))
    for key in ("id", "title", "language", "version", "modules"):
        if key not in manifest:
            problems.append(Problem(manifest_path, manifest.line, t("field.missing", key=key)))
    for key, line in manifest.duplicates:
        problems.append(Problem(manifest_path, line, t("yaml.duplicate_key", key=key)))
    sections = dict(DEFAULT_SECTIONS)
    if isinstance(manifest.get("sections"), dict):
        sections.update({str(k): str(v) for k, v in manifest["sections"].items()})
    pack = Pack(
        root=root, id=_text(manifest, "id"), title=_text(manifest, "title"),
        language=_text(manifest, "language", "en"), version=_text(manifest, "version"),
        authors=_str_list(manifest.get("authors")), licence=_text(manifest, "licence"),
        course=_text(manifest, "course"), module_order=_str_list(manifest.get("modules")),
        sections=sections, translation_of=_text(manifest, "translation_of"),
    )
    modules_dir = root / "modules"
    found = {}
    for folder in sorted(p for p in modules_dir.iterdir() if p.is_dir()) if modules_dir.is_dir() else ():
        module = _load_module(folder, problems)
        if module is not None:
            found[folder.name] = module
    for module_id in pack.module_order:
        if module_id not in found and not pack.translation_of:  # a translation may lack a module
            problems.append(Problem(manifest_path, manifest.line_of("modules"), t("manifest.unknown_module", id=module_id)))
    for name, module in found.items():
        if name not in pack.module_order:
            problems.append(Problem(module.path, 1, t("manifest.unlisted_module", id=name)))
    order = {m: i for i, m in enumerate(pack.module_order)}
    pack.modules = sorted(found.values(), key=lambda m: (order.get(m.id, len(order)), m.number))
    pack.glossary_path = root / "glossary.yaml"
    pack.glossary = _load_glossary(pack.glossary_path, problems)
    pack.pages = _load_pages(root / "pages", problems, pack)
    if base_city:
        pack.city = {**base_city, **pack.city}
    city_mod.resolve_pack(pack, problems)
    read = city_mod.yaml_reader(pack, problems, load_yaml_file)
    pack.templates = _load_templates(root / "worksheets", problems, read)
    pack.checks = load_checks(root / "checks", problems, read)
    return Loaded(pack, problems)
