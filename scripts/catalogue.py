"""The interface's translation catalogue: extract, update, compile.

    python scripts/catalogue.py extract   # resources/locale/companion.pot from the code
    python scripts/catalogue.py update    # the POT, then each language's PO updated from it
    python scripts/catalogue.py compile   # each PO to its .mo (skipped when the .mo is newer)

The POT holds every text a person sees: the window's ``tr()`` /
``QCoreApplication.translate()`` texts (Babel's Python extractor), every text
of :data:`companion.messages.CATALOGUE` (its key as a comment; a key with a
``_one`` sibling as one plural message) and the command line's help texts
(``command(name, "help")`` and ``help="..."`` in ``companion/cli``).
msgids are the English texts. The .mo files are built, not committed:
``make run``, ``make test``, ``tests/conftest.py`` and ``build_installer.py``
compile them.
"""
from __future__ import annotations

import ast
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "resources" / "locale"
POT = LOCALE / "companion.pot"
DOMAIN = "companion"
# The interface languages besides English, and the locale each catalogue is written for
# (Portuguese as written in Portugal and Lusophone Africa).
LANGUAGES = {"fr": "fr", "es": "es", "pt": "pt_PT", "ar": "ar"}

# tr(text), tr(text, disambiguation); tr(plural, singular, n) is a plural message;
# QCoreApplication.translate(context, text[, disambiguation[, n]]) likewise.
KEYWORDS = {
    "tr": {1: (1,), 2: (1,), 3: (2, 1)},
    "_tr": (1,),
    "translate": {2: (2,), 3: (2,), 4: (3, 2)},
}


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _ui_messages(catalog) -> None:
    """Every literal text given to tr(), _tr() or translate() in companion/ui, f-strings included
    (read from the syntax tree: Babel's tokenizer does not look inside f-strings)."""
    for path in sorted((ROOT / "companion" / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            specs = KEYWORDS.get(name)
            if specs is None or node.keywords:
                continue
            spec = specs.get(len(node.args)) if isinstance(specs, dict) else specs
            texts = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            if spec is None or len(texts) < max(spec) or any(texts[i - 1] is None for i in spec):
                continue
            message = texts[spec[0] - 1] if len(spec) == 1 else tuple(texts[i - 1] for i in spec)
            if message:
                catalog.add(message, locations=[(path.relative_to(ROOT).as_posix(), node.lineno)])


def _catalogue_messages(catalog) -> None:
    sys.path.insert(0, str(ROOT))
    from companion.messages import CATALOGUE

    for key, text in CATALOGUE.items():
        if key.endswith("_one") and key[:-4] in CATALOGUE:
            continue  # the singular of a plural message, added with it
        message = (CATALOGUE[key + "_one"], text) if key + "_one" in CATALOGUE else text
        catalog.add(message, auto_comments=[f"key: {key}"],
                    flags=["python-brace-format"] if "{" in text else [])


def _cli_help(catalog) -> None:
    for path in sorted((ROOT / "companion" / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            texts = [kw.value for kw in node.keywords if kw.arg in ("help", "description")]
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "command" and len(node.args) >= 2:
                texts.append(node.args[1])
            for value in texts:
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                    catalog.add(value.value, locations=[(path.relative_to(ROOT).as_posix(), node.lineno)],
                                auto_comments=["command line help"])


def template():
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="Migration & Local Development Companion", domain=DOMAIN,
                      msgid_bugs_address="", copyright_holder="", fuzzy=False)
    _ui_messages(catalog)
    _catalogue_messages(catalog)
    _cli_help(catalog)
    return catalog


def extract() -> int:
    from babel.messages.pofile import write_po

    catalog = template()
    LOCALE.mkdir(parents=True, exist_ok=True)
    with POT.open("wb") as out:
        write_po(out, catalog, width=100, sort_output=False, omit_header=False)
    print(f"{POT.relative_to(ROOT)}: {len(catalog)} messages")
    return len(catalog)


def update() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    extract()
    with POT.open("rb") as f:
        pot = read_po(f)
    for lang, locale in LANGUAGES.items():
        path = po_path(lang)
        if path.exists():
            with path.open("rb") as f:
                catalog = read_po(f, locale=locale)
            catalog.update(pot, no_fuzzy_matching=True)
        else:
            catalog = Catalog(locale=locale, domain=DOMAIN, project=pot.project, fuzzy=False)
            catalog.update(pot, no_fuzzy_matching=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            write_po(out, catalog, width=100, ignore_obsolete=True)
        print(path.relative_to(ROOT))


def compile_all(force: bool = False) -> list[Path]:
    """Each language's .mo from its PO, where the PO is newer. Fuzzy and empty
    translations are left out (the English text shows)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for lang, locale in LANGUAGES.items():
        po, mo = po_path(lang), mo_path(lang)
        if not po.exists() or (not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime):
            continue
        with po.open("rb") as f:
            catalog = read_po(f, locale=locale)
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        tmp.replace(mo)
        written.append(mo)
    return written


# what the bundle carries of each language ------------------------------------------------------
@lru_cache(maxsize=1)
def babel_locales() -> frozenset[str]:
    """The Babel locale data the shipped languages read: each one's locale and its parents up to root."""
    from babel.core import get_global

    sys.path.insert(0, str(ROOT))
    from companion.messages.formats import LOCALES

    parents = get_global("parent_exceptions")
    keep = {"root"}
    for name in LOCALES.values():
        while name and name != "root":
            keep.add(name)
            name = parents.get(name) or (name.rsplit("_", 1)[0] if "_" in name else "root")
    return frozenset(keep)


def bundle_drops(dest: str) -> bool | None:
    """Whether the bundle leaves out ``dest`` for language reasons (None: not a language file).
    Kept: the compiled catalogues, Qt's own catalogue of each language, Babel's data of
    the shipped locales. Left out: the PO and POT sources, every other Qt and Babel language."""
    name = dest.rsplit("/", 1)[-1]
    if "resources/locale/" in dest:
        return not name.endswith(".mo")
    if "/Qt/translations/" in dest:
        return name not in {"qtbase_fr.qm", "qtbase_es.qm", "qtbase_pt_BR.qm", "qtbase_ar.qm"}
    if "babel/locale-data/" in dest and name.endswith(".dat"):
        return name[:-4] not in babel_locales()
    return None


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "compile"
    if command == "extract":
        extract()
    elif command == "update":
        update()
    elif command == "compile":
        for mo in compile_all(force="--force" in argv):
            print(mo.relative_to(ROOT))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
