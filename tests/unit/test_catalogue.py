"""The translation catalogues: the POT holds every text of the code, each
language translates every one of them, with its plural forms and the same
placeholders, and the texts are shown in the language set."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from companion import messages

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("catalogue", ROOT / "scripts" / "catalogue.py")
catalogue = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(catalogue)

LANGUAGES = sorted(catalogue.LANGUAGES)
PLURAL_FORMS = {"fr": 3, "es": 3, "pt": 3, "ar": 6}
_BRACES = re.compile(r"\{[a-z_]+\}")
_PERCENT = re.compile(r"%(?:\d|[-+ 0#]*\d*(?:\.\d+)?[sdif%])")
_COUNTS = {"{count}", "%n"}


def _read(path: Path, locale: str | None = None):
    with path.open("rb") as f:
        return read_po(f, locale=locale)


@pytest.fixture(scope="module")
def pot():
    return _read(catalogue.POT)


def _placeholders(text: str) -> tuple[set, list]:
    return set(_BRACES.findall(text)) | ({"%n"} if "%n" in text else set()), sorted(_PERCENT.findall(text))


def test_the_template_holds_every_text_of_the_code(pot):
    """A text added to the code and not extracted into the POT fails here (run
    `python scripts/catalogue.py extract`, then have it translated)."""
    code = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue.template() if m.id}
    held = {m.id if isinstance(m.id, str) else m.id[0] for m in pot if m.id}
    assert sorted(code - held) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_is_translated(pot, lang):
    po = _read(catalogue.po_path(lang), catalogue.LANGUAGES[lang])
    missing = []
    for message in pot:
        if not message.id:
            continue
        found = po.get(message.id)
        strings = [] if found is None or found.fuzzy else (
            list(found.string) if isinstance(found.string, (list, tuple)) else [found.string])
        if not strings or not all(s and s.strip() for s in strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert missing == [], f"{len(missing)} texts without a {lang} translation, the first: {missing[:5]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_messages_have_every_form_of_the_language(pot, lang):
    po = _read(catalogue.po_path(lang), catalogue.LANGUAGES[lang])
    assert po.num_plurals == PLURAL_FORMS[lang]
    for message in pot:
        if message.pluralizable:
            found = po.get(message.id)
            assert found is not None and found.pluralizable, message.id
            assert len(found.string) == PLURAL_FORMS[lang], message.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_are_kept(pot, lang):
    """{name}, %s, %d and %n stay as they are: a translation that loses one, or
    adds one, would print a wrong text or fail while formatting."""
    po = _read(catalogue.po_path(lang), catalogue.LANGUAGES[lang])
    wrong = []
    for message in pot:
        found = po.get(message.id) if message.id else None
        if found is None or found.fuzzy:
            continue
        if message.pluralizable:
            braces, percents = _placeholders(message.id[1])
            for form in found.string:
                if not form:
                    continue
                got_braces, got_percents = _placeholders(form)
                # a form may write the number in words ("one", "two"): {count} and %n may be left out
                if got_braces - braces or braces - _COUNTS - got_braces or got_percents != percents:
                    wrong.append((message.id[0], form))
        elif found.string:
            if _placeholders(found.string) != _placeholders(message.id):
                wrong.append((message.id, found.string))
    assert wrong == []


def test_a_text_is_shown_in_the_language_set(tmp_path, monkeypatch):
    """t(), t_count() and the window's texts read the compiled catalogue of the language set."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    folder = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    french = Catalog(locale="fr")
    french.add(messages.CATALOGUE["checks.title"], "Vérifiez vos connaissances")
    french.add((messages.CATALOGUE["pdf.cover_count_one"], messages.CATALOGUE["pdf.cover_count"]),
               ("{count} fiche de travail", "{count} de fiches de travail", "{count} fiches de travail"))
    with (folder / "companion.mo").open("wb") as out:
        write_mo(out, french)
    monkeypatch.setattr("companion.paths.resources_dir", lambda: tmp_path)
    messages._translation.cache_clear()
    try:
        messages.set_language("fr_SN.UTF-8")
        assert messages.current_language() == "fr"
        assert messages.t("checks.title") == "Vérifiez vos connaissances"
        assert [messages.t_count("pdf.cover_count", n) for n in (1, 2, 0)] == [
            "1 fiche de travail", "2 fiches de travail", "0 fiche de travail"]
        with messages.in_language("en"):
            assert messages.t("checks.title") == "Check your understanding"
        assert messages.t("checks.title") == "Vérifiez vos connaissances"
    finally:
        messages.set_language("en")
        messages._translation.cache_clear()


def test_the_pseudo_language_lengthens_and_brackets_keeping_placeholders():
    messages.set_language("qps")
    try:
        text = messages.t("pack.not_folder", path="/tmp/x")
        assert text.startswith("[") and text.endswith("]") and "/tmp/x" in text
        assert len(messages.gettext("Search everything")) >= len("Search everything") * 4 // 3
        assert "%n" in messages.ngettext("%n result", "%n results", 2)
    finally:
        messages.set_language("en")


def test_arabic_sentences_that_start_with_a_latin_word_read_right_to_left():
    assert messages.right_to_left_first("PDF ملف") == "\u200fPDF ملف"
    assert messages.right_to_left_first("ملف PDF") == "ملف PDF"
    assert messages.right_to_left_first("PDF file") == "PDF file"
