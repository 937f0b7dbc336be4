"""The PDF in every script participants write in, and the tables' charts.

The PDF is read back with ``pdftotext`` (poppler-utils, installed by
scripts/setup-system.sh). For Arabic, pdftotext returns the text in logical
(reading) order between U+202B and U+202C marks, as the letters that were
typed: the PDF carries them (ActualText) next to the joined glyphs it prints.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from companion.content.pack import load_pack
from companion.messages import t
from companion.worksheets import charts as chart_data
from tests.conftest import MINI_PACK

PORTUGUESE = "informação, participação"
ARABIC = "المدينة والهجرة"
AMHARIC = "ከተማ እና ፍልሰት"
BIDI_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f"))


def _raw(path: Path, page: int | None = None) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: run scripts/setup-system.sh")
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _text(path: Path) -> str:
    """The PDF's text as typed: letters normalised, bidi marks dropped, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", _raw(path)).translate(BIDI_MARKS).split())


def _export(workbook, tmp_path: Path, template: str, title: str, answers: dict, name: str = "out.pdf") -> Path:
    worksheet = workbook.book.create_worksheet(template, title, answers)
    return workbook.sharing.export_pdf([worksheet.id], tmp_path / name)


def test_portuguese_arabic_and_amharic_answers_come_back(workbook, tmp_path: Path):
    out = _export(workbook, tmp_path, "plan", ARABIC, {
        "title": AMHARIC,
        "objective": f"{PORTUGUESE}\n{ARABIC}\n{AMHARIC}",
        "activities": [{"activity": ARABIC, "start": "2027-03-01", "end": "2027-04-30"},
                       {"activity": AMHARIC, "start": "2027-05-01", "end": "2027-06-15"}],
    })
    text = _text(out)
    for expected in (PORTUGUESE, ARABIC, AMHARIC):
        assert expected in text, expected
    # title, answer, table cell and timeline label: each printed, none as an empty box
    assert text.count(ARABIC) >= 4 and text.count(AMHARIC) >= 4
    assert "\ufffd" not in _raw(out)


def test_arabic_is_shaped_and_extracted_in_reading_order(workbook, tmp_path: Path):
    out = _export(workbook, tmp_path, "plan", "Plan", {"title": "x", "objective": ARABIC})
    line = next(line for line in _raw(out).splitlines() if "\u0627" in line)
    assert line.translate(BIDI_MARKS) == ARABIC  # as typed: letters, not presentation forms
    # and printed joined: the glyphs drawn are the contextual forms (initial, medial, final)
    forms = set()
    for page in PdfReader(out).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "Arabic" in str(font["/BaseFont"]) and "/ToUnicode" in font:
                forms.update(int(code, 16) for code in re.findall(r"<([0-9A-F]{4})>",
                                                                   font["/ToUnicode"].get_data().decode()))
    assert any(0xFE70 <= code <= 0xFEFF for code in forms)


def test_mixed_words_print_without_empty_boxes(workbook, tmp_path: Path):
    answer = f"Meeting with the council (المجلس), then «ከተማ», ({AMHARIC}) and 40% in 2027."
    out = _export(workbook, tmp_path, "plan", "Mixed", {"title": "x", "objective": answer})
    raw, text = _raw(out), _text(out)
    assert "\ufffd" not in raw
    for expected in ("Meeting with the council", "المجلس", f"«ከተማ», ({AMHARIC})", "40% in 2027."):
        assert expected in text, expected


def test_the_grid_chart_shows_quadrants_and_actors(workbook, tmp_path: Path):
    template = load_pack(MINI_PACK).pack.templates["all-fields"]
    out = _export(workbook, tmp_path, "all-fields", "Grid", template.example)
    text = _text(out)
    for key in chart_data.QUADRANTS:
        assert chart_data.quadrant_label(key) in text, key
    for actor in ("City council", "Chamber of Commerce"):
        assert text.count(actor) >= 2, actor  # in the table and beside the grid
    assert text.count("Interest") >= 2 and text.count("Influence") >= 2  # the axes' titles
    assert t("chart.no_points") not in text
    assert all(not page.images for page in PdfReader(out).pages)  # drawn as vectors, not pictures


def test_the_timeline_shows_every_activity_and_its_years(workbook, tmp_path: Path):
    rows = [{"activity": "Rent the room", "start": "2027-11-01", "end": "2028-01-31"},
            {"activity": "Train staff", "start": "2028-02-01", "end": "2028-03-15"},
            {"activity": "No dates yet"}]
    text = _text(_export(workbook, tmp_path, "plan", "Timeline", {"title": "x", "activities": rows}))
    assert text.count("Rent the room") >= 2 and text.count("Train staff") >= 2
    assert text.count("No dates yet") == 1  # in the table only: the chart leaves out what it cannot place
    assert "2027" in text and "2028" in text
    assert t("chart.no_bars") not in text


def test_charts_without_data_say_what_is_missing(workbook, tmp_path: Path):
    plan = _text(_export(workbook, tmp_path, "plan", "No dates", {
        "title": "x", "activities": [{"activity": "Rent the room", "budget": 100}]}, "plan.pdf"))
    assert t("chart.no_bars") in plan
    grid = _text(_export(workbook, tmp_path, "all-fields", "No ratings", {
        "name": "x", "actors": [{"actor": "City council"}]}, "grid.pdf"))
    assert t("chart.no_points") in grid
    assert chart_data.quadrant_label("manage-closely") not in grid


def test_a_long_timeline_continues_over_several_drawings(workbook, tmp_path: Path):
    rows = [{"activity": f"Step {n}", "start": "2027-01-01", "end": "2027-12-31"} for n in range(90)]
    text = _text(_export(workbook, tmp_path, "plan", "Long", {"title": "x", "activities": rows}))
    assert all(text.count(f"Step {n} ") >= 2 for n in range(90))


def _logical(glyphs: str) -> str:
    """Shaped Arabic glyphs (visual order) back to the letters typed."""
    return "".join(unicodedata.normalize("NFKC", ch) for ch in reversed(glyphs))


def test_markup_escapes_and_sets_each_script_in_its_font():
    from companion.export import fonts

    assert fonts.markup("a < b & c\nd") == "a &lt; b &amp; c<br/>d"
    assert fonts.markup(f"x {ARABIC}.", fonts.BOLD) == f'x <font name="{fonts.ARABIC_BOLD}">المدينة</font> ' \
                                                      f'<font name="{fonts.ARABIC_BOLD}">والهجرة</font>.'
    assert fonts.markup(AMHARIC) == "".join(
        [f'<font name="{fonts.ETHIOPIC}">ከተማ</font>', " ", f'<font name="{fonts.ETHIOPIC}">እና</font>', " ",
         f'<font name="{fonts.ETHIOPIC}">ፍልሰት</font>'])


def _seen(text: str) -> str:
    """One line as drawn from left to right, each Arabic word written back as typed."""
    from companion.export import fonts

    fonts.register()
    return "".join(_logical(chunk) if any("\u0600" <= ch for ch in chunk) else str(chunk)
                   for _, chunk in fonts.line_runs(text))


def test_a_right_to_left_line_is_drawn_from_its_last_word_with_latin_kept_left_to_right():
    assert _seen("مركز موارد المهاجرين Migrant Centre في المدينة (2027)") == \
        "(2027) المدينة في Migrant Centre المهاجرين موارد مركز"
    # in a left-to-right line, only the Arabic phrase runs right to left
    assert _seen(f"We met the people of {ARABIC} on Monday") == "We met the people of والهجرة المدينة on Monday"


def test_a_mainly_arabic_answer_is_right_aligned():
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    from companion.export import fonts

    style = ParagraphStyle("body", fontName=fonts.register())
    assert fonts.paragraph(f"IOM: {ARABIC}", style).style.alignment == TA_RIGHT
    assert fonts.paragraph(f"The {ARABIC} project of IOM", style).style.alignment != TA_RIGHT


def test_narrow_columns_are_never_narrower_than_their_header_words():
    from companion.export import fonts, pdf

    st = pdf._styles()
    plan = load_pack(MINI_PACK).pack.templates["plan"].field("activities")
    rows = [{"activity": "Rent the room " * 8, "start": "2027-03-01", "end": "2027-04-30", "budget": 1200}]
    for width in (480.0, 300.0):
        widths = pdf.column_widths(plan, rows, width, st)
        assert sum(widths) == pytest.approx(width)
        for column, column_width in zip(plan.columns, widths):
            word = fonts.text_width(column.label, fonts.BOLD, st["head"].fontSize)
            assert column_width >= word + 2 * pdf.CELL_PADDING, column.label
    assert widths[0] == max(widths)  # the text column takes what the others leave


REALISTIC_ARABIC = [
    "تعمل البلدية على فتح مركز لموارد المهاجرين في وسط المدينة لتقديم المعلومات والخدمات الأساسية "
    "للمهاجرين والعائدين وأسرهم.",
    "سيقدم المركز استشارات قانونية مجانية ودروسا في اللغة ومساعدة في البحث عن عمل، بالتعاون مع منظمات "
    "المجتمع المدني والجامعة المحلية.",
    "نحتاج إلى تدريب الموظفين على التواصل مع الناس من ثقافات مختلفة، وإلى ترجمة الاستمارات إلى اللغات "
    "الرئيسية التي يتحدث بها السكان.",
    "سنقيس النجاح بعدد الأشخاص الذين يزورون المركز كل شهر وبرضاهم عن الخدمات التي يحصلون عليها، "
    "وسننشر تقريرا سنويا للجمهور.",
]


def test_arabic_copies_out_of_the_pdf_as_typed(workbook, tmp_path: Path):
    answer = "\n\n".join(REALISTIC_ARABIC)
    out = _export(workbook, tmp_path, "plan", "خطة مركز الموارد", {"title": "مركز", "objective": answer})
    found = set(_raw(out).translate(BIDI_MARKS).split())  # no normalisation: the letters as typed
    words = answer.split()
    share = sum(word in found for word in words) / len(words)
    assert share >= 0.95, (share, [word for word in words if word not in found])
    assert "خطة مركز الموارد" in _raw(out).translate(BIDI_MARKS)


def _line_tops(path: Path, markers: list[str], page: int = 1) -> dict[str, float]:
    """The top of the line that holds each of ``markers`` (Arabic words) on a page, as pdftotext places it."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: run scripts/setup-system.sh")
    html = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    tops = {}
    for top, body in re.findall(r'<line xMin="[^"]+" yMin="([^"]+)"[^>]*>(.*?)</line>', html, re.S):
        for word in re.findall(r">([^<]*)</word>", body):  # each word's letters as placed, in any order
            letters = sorted(unicodedata.normalize("NFKC", word).translate(BIDI_MARKS))
            for marker in markers:
                if letters == sorted(marker):
                    tops[marker] = float(top)
    return tops


def test_blank_lines_between_arabic_paragraphs_stay_where_they_were_typed(workbook, tmp_path: Path):
    markers = ["الأولى", "الثانية", "الثالثة"]
    answer = "\n\n".join(f"الفقرة {marker}" for marker in markers)
    out = _export(workbook, tmp_path, "plan", "Plan", {"title": "x", "objective": answer})
    tops = _line_tops(out, markers)
    assert sorted(tops, key=tops.get) == markers
    first, second, third = (tops[marker] for marker in markers)
    leading = 14  # the body's
    assert second - first >= 1.8 * leading and third - second >= 1.8 * leading  # a blank line between each


def test_the_contents_list_titles_in_every_script(workbook, tmp_path: Path):
    titles = [ARABIC, AMHARIC, "Plano de ação: informação e participação"]
    ids = [workbook.book.create_worksheet("plan", title, {"title": "x"}).id for title in titles]
    out = workbook.sharing.export_pdf(ids, tmp_path / "book.pdf")
    contents = " ".join(_raw(out, page=2).translate(BIDI_MARKS).split())
    for title in titles:
        assert title in contents, title
    assert "\ufffd" not in contents
    pages = [int(n) for n in re.findall(r"\.\s*(\d+)(?=\s|$)", contents)]
    assert pages == [3, 4, 5]


def test_a_blank_line_inside_one_arabic_paragraph_is_kept(tmp_path: Path):
    # a table's cell or a check-in's comment is one paragraph, whatever its blank lines
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import SimpleDocTemplate

    from companion.export import fonts
    from companion.export.canvas import Canvas

    markers = ["الأولى", "الثانية"]
    style = ParagraphStyle("body", fontName=fonts.register(), fontSize=10, leading=14)
    out = tmp_path / "cell.pdf"
    SimpleDocTemplate(str(out)).build([fonts.paragraph(f"الفقرة {markers[0]}\n\nالفقرة {markers[1]}", style)],
                                      canvasmaker=Canvas)
    tops = _line_tops(out, markers)
    assert tops[markers[1]] - tops[markers[0]] >= 1.8 * 14


def test_a_mark_above_the_line_as_the_first_thing_a_text_object_writes_is_drawn():
    from companion.export.canvas import Canvas

    text = Canvas("/dev/null").beginText()
    text._code.clear()  # as after a shaped Arabic run's font was set on an earlier line
    text.setRise(2.2)  # tanween above a letter, as in "يوماً"
    assert text._code[-1].endswith(" Ts")


def test_the_arabic_worked_examples_print_with_arabic_labels(tmp_path):
    from companion import messages
    from companion.workbook import Workbook
    from tests.conftest import ROOT

    book = Workbook(tmp_path / "data", ROOT / "content" / "ar")
    try:
        for template_id in ("action-plan", "stakeholder-map"):
            template = book.template(template_id)
            book.book.create_worksheet(template_id, template.example_title, dict(template.example))
        with messages.in_language("ar"):
            out = book.sharing.export_pdf(None, tmp_path / "workbook-ar.pdf")
    finally:
        book.close()
    assert len(PdfReader(str(out)).pages) >= 4  # a cover, the contents, the two worksheets


def test_the_boxes_of_right_to_left_options_stand_where_their_labels_start():
    from companion.export import pdf as pdf_mod
    from companion.export.pdf import CheckBox
    from companion.worksheets.template import Field, Option

    def options(*labels):
        f = Field(id="who", type="multichoice", label="?", options=tuple(Option(str(i), label)
                                                                          for i, label in enumerate(labels)))
        return pdf_mod._options(f, ["0"], pdf_mod._styles())

    arabic = options("العائدون", "المغتربون")
    assert isinstance(arabic._cellvalues[0][-1], CheckBox) and arabic.hAlign == "RIGHT"
    english = options("Returnees", "The diaspora")
    assert isinstance(english._cellvalues[0][0], CheckBox) and english.hAlign == "LEFT"


def test_the_quick_look_for_right_to_left_text_misses_no_right_to_left_character():
    from companion.export import fonts

    missed = [hex(code) for code in range(0x110000)
              if unicodedata.bidirectional(chr(code)) in ("R", "AL") and not fonts._ANY_RIGHT_TO_LEFT.search(chr(code))]
    assert missed == []
    assert fonts.is_rtl("خطة العمل plan") and not fonts.is_rtl("Action plan (2026)")
