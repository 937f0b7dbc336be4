"""How the worksheet PDF uses its pages: long answers split, headings stay with
what follows them, charts that grow still fit, and the document can be
navigated (contents, bookmarks, links)."""
from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader


SECTION_TITLES = ("First section", "Choices", "Table")


def _pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _content_lines(page_text: str) -> list[str]:
    """A page's lines in drawing order without the running header and footer."""
    return [line.strip() for line in page_text.splitlines()
            if line.strip() and not line.startswith(("Governing migration", "Made with", "Page "))]


def _story(paragraphs: int) -> str:
    return "\n\n".join(f"Paragraph {n}. " + "The resource centre answers questions about papers, work and "
                       "schools, in four languages, five days a week. " * 3 for n in range(1, paragraphs + 1))


def test_an_answer_longer_than_a_page_starts_where_the_last_one_ended(workbook, tmp_path: Path):
    worksheet = workbook.book.create_worksheet("all-fields", "Long story", {"name": "Amina", "story": _story(30)})
    pages = _pages(workbook.sharing.export_pdf([worksheet.id], tmp_path / "long.pdf"))
    assert len(pages) >= 3
    first = _content_lines(pages[0])
    # the label and the first paragraphs share the page of the name, not a page of their own
    assert "Story" in first and any(line.startswith("Paragraph 1.") for line in first)
    assert sum(len(line) for line in first) > 1500  # the first page is full, not a quarter used
    for page in pages[1:-1]:
        assert sum(len(line) for line in _content_lines(page)) > 1500


def test_a_table_row_longer_than_a_page_splits_across_pages(workbook, tmp_path: Path):
    activity = " ".join(f"step{n}" for n in range(2500))
    worksheet = workbook.book.create_worksheet("plan", "Tall row", {"title": "x", "activities": [
        {"activity": activity, "start": "2027-01-01", "end": "2027-02-01"}]})
    pages = _pages(workbook.sharing.export_pdf([worksheet.id], tmp_path / "tall.pdf"))
    text = " ".join(" ".join(page.split()) for page in pages)
    assert "step0 " in pages[0] and all(f"step{n} " in text for n in range(0, 2500, 97))
    assert sum(1 for page in pages if "step" in page) >= 3


def test_a_section_heading_never_ends_a_page(workbook, tmp_path: Path):
    # the story grows by three lines from one worksheet to the next, so that the next sections'
    # headings sweep the bottom of the page
    actors = [{"actor": f"Actor {n}", "interest": 1 + n % 5, "influence": 1 + n % 3} for n in range(8)]
    ids = []
    for lines in range(0, 51, 3):
        story = "\n".join(f"Line {n} of the story, about the desk." for n in range(lines))
        ids.append(workbook.book.create_worksheet("all-fields", f"Sheet {lines}", {
            "name": "Amina", "story": story, "scope": "city", "steps": ["map"], "actors": actors}).id)
    pages = _pages(workbook.sharing.export_pdf(ids, tmp_path / "sweep.pdf"))
    for number, text in enumerate(pages, start=1):
        lines = _content_lines(text)
        assert lines and lines[-1] not in SECTION_TITLES, (number, lines[-3:])
        assert lines[-1] not in ("Story", "Actors"), (number, lines[-3:])  # a field's label neither


def test_a_stakeholder_map_with_sixty_actors_fits_its_pages(workbook, tmp_path: Path):
    actors = [{"actor": f"Organisation number {n} of the municipal consultation network",
               "interest": 1 + n % 5, "influence": 1 + (n * 3) % 5} for n in range(60)]
    worksheet = workbook.book.create_worksheet("all-fields", "Sixty actors", {"name": "x", "actors": actors})
    text = " ".join(" ".join(page.split()) for page in _pages(
        workbook.sharing.export_pdf([worksheet.id], tmp_path / "grid.pdf")))
    for n in range(60):  # in the table and in the chart's legend
        assert text.count(f"Organisation number {n} of") >= 2, n


def test_a_drawing_taller_than_the_page_is_scaled_to_fit():
    from reportlab.graphics.shapes import Drawing, Rect

    from companion.export import layout

    drawing = Drawing(400, 2000)
    drawing.add(Rect(0, 0, 400, 2000))
    width, height = layout.fit_drawing(drawing, 480, 700).wrap(480, 700)
    assert width <= 480 and height <= 700
    assert layout.fit_drawing(Drawing(300, 200), 480, 700).wrap(480, 700) == (300, 200)


def test_each_line_of_the_contents_is_a_link_to_its_worksheet(workbook, tmp_path: Path):
    ids = [workbook.book.create_worksheet("plan", title, {"title": "x"}).id for title in ("First", "Second")]
    reader = PdfReader(workbook.sharing.export_pdf(ids, tmp_path / "book.pdf"))
    contents = reader.pages[1]
    width = float(contents.mediabox.width)
    targets = []
    for annotation in contents.get("/Annots", []):
        annotation = annotation.get_object()
        assert annotation["/Subtype"] == "/Link"
        left, _, right, _ = (float(v) for v in annotation["/Rect"])
        assert right - left > 0.7 * width  # the whole line, dots included, not only the title or the number
        destination = annotation["/Dest"]
        if not isinstance(destination, list):
            destination = reader.named_destinations[str(destination)]
            targets.append(reader.get_destination_page_number(destination) + 1)
        else:
            targets.append(reader.get_page_number(destination[0].get_object()) + 1)
    listed = [int(n) for n in re.findall(r"\.\s*(\d+)\s*$", contents.extract_text(), re.MULTILINE)]
    assert targets == listed == [3, 4]


def test_web_addresses_in_answers_are_links(workbook, tmp_path: Path):
    answer = "See https://example.org/centre?lang=pt, or www.iom.int (the IOM site)."
    worksheet = workbook.book.create_worksheet("plan", "Links", {"title": "x", "objective": answer})
    reader = PdfReader(workbook.sharing.export_pdf([worksheet.id], tmp_path / "links.pdf"))
    uris = [annotation.get_object()["/A"]["/URI"] for page in reader.pages
            for annotation in page.get("/Annots", []) if "/A" in annotation.get_object()]
    assert "https://example.org/centre?lang=pt" in uris and "https://www.iom.int" in uris
    text = " ".join(reader.pages[0].extract_text().split())
    assert "https://example.org/centre?lang=pt, or www.iom.int (the IOM site)." in text


def test_bookmarks_have_worksheets_and_their_sections_and_show_on_opening(workbook, tmp_path: Path):
    first = workbook.book.create_worksheet("plan", "Plan", {"title": "x"})
    second = workbook.book.create_worksheet("all-fields", "Map", {"name": "x", "scope": "city"})
    reader = PdfReader(workbook.sharing.export_pdf([first.id, second.id], tmp_path / "book.pdf"))
    outline = reader.outline
    assert [item.title for item in outline if not isinstance(item, list)] == ["Plan", "Map"]
    children = [item for item in outline if isinstance(item, list)]
    assert [[child.title for child in group] for group in children] == [["The plan"], list(SECTION_TITLES)]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
