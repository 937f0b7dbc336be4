"""The PDF of a worksheet, read back as text."""
from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from companion.content.pack import load_pack
from tests.conftest import MINI_PACK


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_a_worksheet_pdf_holds_its_title_answers_and_table(workbook, tmp_path: Path):
    template = load_pack(MINI_PACK).pack.templates["all-fields"]
    worksheet = workbook.book.create_worksheet("all-fields", "Mirazul desk plan", template.example)
    out = workbook.sharing.export_pdf([worksheet.id], tmp_path / "out.pdf")
    text = _text(out)
    for expected in ("Mirazul desk plan", "Every field type", "It began in 2025.", "2025-01-10",
                     "Barrio Norte", "4 / 5", "Actor", "City council", "Chamber of Commerce",
                     "Mapped actors", "Held a meeting", "Page 1"):
        assert expected in text, expected
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]  # hidden ones too


def test_a_long_table_splits_across_pages_with_its_header_repeated(workbook, tmp_path: Path):
    rows = [{"activity": f"Activity number {n} with a longer description to fill the line",
             "start": "2027-03-01", "end": "2027-04-01", "budget": n} for n in range(120)]
    worksheet = workbook.book.create_worksheet("plan", "Long plan", {"title": "Long", "activities": rows})
    reader = PdfReader(workbook.sharing.export_pdf([worksheet.id], tmp_path / "long.pdf"))
    table_pages = [page.extract_text() for page in reader.pages if "2027-03-01" in page.extract_text()]
    assert len(table_pages) >= 3
    for text in table_pages[1:]:
        assert "Activity" in text and "Budget" in text


def test_accented_text_comes_back_from_the_pdf(workbook, tmp_path: Path):
    worksheet = workbook.book.create_worksheet("plan", "Plano de ação", {"title": "Informação e participação"})
    text = _text(workbook.sharing.export_pdf([worksheet.id], tmp_path / "pt.pdf"))
    assert "Plano de ação" in text and "Informação e participação" in text


def test_a_workbook_has_a_cover_contents_and_bookmarks(workbook, tmp_path: Path):
    workbook.book.set_profile({"name": "Amina Yusuf", "organisation": "City of Addis Ababa", "city": "Addis Ababa"})
    first = workbook.book.create_worksheet("plan", "Plan for the desk", {"title": "One door"})
    second = workbook.book.create_worksheet("all-fields", "Mapping actors", {"name": "x"})
    reader = PdfReader(workbook.sharing.export_pdf([first.id, second.id], tmp_path / "book.pdf"))
    cover, contents = reader.pages[0].extract_text(), reader.pages[1].extract_text()
    assert "Workbook" in cover and "Amina Yusuf" in cover and "Governing migration at local level" in cover
    assert "2 worksheets" in cover
    assert "Contents" in contents and "Plan for the desk" in contents and "Mapping actors" in contents
    assert [item.title for item in reader.outline] == ["Plan for the desk", "Mapping actors"]
    pages = [reader.get_destination_page_number(item) + 1 for item in reader.outline]
    listed = [int(n) for n in re.findall(r"\.\s*(\d+)\s*$", contents, re.MULTILINE)]
    assert listed == pages and pages[0] == 3
