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
    worksheets = [item for item in reader.outline if not isinstance(item, list)]  # each with its sections
    assert [item.title for item in worksheets] == ["Plan for the desk", "Mapping actors"]
    pages = [reader.get_destination_page_number(item) + 1 for item in worksheets]
    listed = [int(n) for n in re.findall(r"\.\s*(\d+)\s*$", contents, re.MULTILINE)]
    assert listed == pages and pages[0] == 3


def _fonts(reader: PdfReader) -> dict[str, object]:
    """Every font the pages use (drawings' forms included), by its PDF name."""
    found: dict[str, object] = {}

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def _embedded(font) -> bool:
    for candidate in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
        descriptor = candidate.get("/FontDescriptor")
        if descriptor is not None and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2",
                                                                                 "/FontFile3")):
            return True
    return False


def test_every_font_of_a_worksheet_pdf_is_embedded_and_its_language_is_set(workbook, tmp_path: Path):
    template = load_pack(MINI_PACK).pack.templates["all-fields"]
    first = workbook.book.create_worksheet("all-fields", "Mapa dos atores", template.example)
    second = workbook.book.create_worksheet("plan", "خطة العمل", {"title": "ከተማ", "objective": "x"})
    reader = PdfReader(workbook.sharing.export_pdf([first.id, second.id], tmp_path / "book.pdf"))
    fonts = _fonts(reader)
    assert fonts and not [name for name, font in fonts.items() if not _embedded(font)]
    assert not [name for name in fonts if "Helvetica" in name or "Times" in name or "Courier" in name]
    assert reader.trailer["/Root"]["/Lang"] == "en"  # the pack's language
    assert reader.attachments  # the share file is still attached, so the PDF imports back


def test_the_follow_up_report_embeds_its_fonts_and_sets_its_language(workbook, tmp_path: Path):
    plan = workbook.book.create_worksheet("plan", "Plano", {
        "title": "x", "activities": [{"activity": "Rent the room", "start": "2027-03-01", "end": "2027-04-30"}]})
    reader = PdfReader(workbook.followup.write_report(plan.id, tmp_path / "report.pdf"))
    fonts = _fonts(reader)
    assert fonts and not [name for name, font in fonts.items() if not _embedded(font)]
    assert reader.trailer["/Root"]["/Lang"] == "en"
