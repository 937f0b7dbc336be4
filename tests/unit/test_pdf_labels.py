"""A PDF's own words (headings, captions, the page footer) in the language asked
for, whatever the language of the window or the command line; its dates
written as that language writes them; the answers as typed."""
from __future__ import annotations

import datetime as dt
import gettext
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from companion import messages
from companion.messages import CATALOGUE, formats

ANSWER = "Guichet unique — المدينة (2026)"


class _Catalogue(gettext.NullTranslations):
    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__()
        self.texts = texts

    def gettext(self, message: str) -> str:
        return self.texts.get(message, message)


@pytest.fixture
def translated(monkeypatch):
    """A French and an Arabic catalogue of a few PDF labels (the real ones are checked elsewhere)."""
    catalogues = {
        "fr": _Catalogue({CATALOGUE["pdf.template"]: "Modèle : {title} (version {version})",
                          CATALOGUE["pdf.page"]: "Page {page}"}),
        "ar": _Catalogue({CATALOGUE["pdf.template"]: "النموذج: {title} (الإصدار {version})",
                          CATALOGUE["pdf.page"]: "صفحة {page}"}),
    }
    real = messages._translation
    monkeypatch.setattr(messages, "_translation", lambda language: catalogues.get(language) or real(language))


def _text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: run scripts/setup-system.sh")
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    marks = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f"))
    return " ".join(unicodedata.normalize("NFKC", raw).translate(marks).split())


@pytest.mark.parametrize("labels, expected", [("fr", "Modèle : Action plan"), ("ar", "النموذج: Action plan"),
                                              ("en", "Worksheet: Action plan")])
def test_a_pdf_has_its_labels_in_the_language_asked(workbook, tmp_path, translated, labels, expected):
    assert messages.current_language() == "en"
    sheet = workbook.book.create_worksheet("plan", "Mon plan", {"objective": ANSWER})
    out = workbook.sharing.export_pdf([sheet.id], tmp_path / "out.pdf", labels=labels)
    text = _text(out)
    assert expected in text, text[:300]
    assert ANSWER.split(" — ")[0] in text and "المدينة" in text  # the answers as typed
    assert messages.current_language() == "en"  # the window's language is left as it was


def test_dates_and_numbers_are_written_as_each_language_writes_them():
    day = dt.date(2026, 3, 14)
    assert formats.long_date(day, "en") == "14 March 2026"
    assert formats.long_date(day, "fr") == "14 mars 2026"
    assert formats.long_date(day, "es") == "14 de marzo de 2026"
    assert formats.long_date(day, "pt") == "14 de março de 2026"
    assert "مارس" in formats.long_date(day, "ar") and "14" in formats.long_date(day, "ar")  # Latin digits
    assert formats.number(1234.5, "fr") == "1\u202f234,5" and formats.number(1234.5, "ar") == "1,234.5"
    assert formats.money(2500, "EUR", "es") == "2.500,00\xa0€"
    assert formats.money(2500, "EUR", "ar") == "\u200f2,500.00\xa0€"  # Latin digits, read right to left


def test_a_stored_time_is_written_as_a_day_and_time_never_an_iso_date():
    assert formats.date_time("2026-03-14T09:05:00+00:00", "fr").startswith("14 mars 2026 ")
    assert "-" not in formats.date_time("2026-03-14T09:05:00+00:00", "ar")
