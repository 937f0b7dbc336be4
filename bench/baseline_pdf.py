"""The PDF baseline: the same worksheets' text and tables, written with plain ReportLab.

    python bench/baseline_pdf.py WORKSHEETS.json OUT.pdf

WORKSHEETS.json is written by bench/run.py from the data folder the app
exports (each worksheet's title, and each section's answered fields as the
app displays them: a text, or a table's column labels and cells). This
program sets them as the app's PDF does, in its fonts (resources/fonts: Noto
Sans, bold for titles, labels and table heads; Noto Sans Arabic for runs of
Arabic letters), A4 with the app's margins, the same type sizes, each table
with a header row repeated on every page and a grid, a new page for each
worksheet; and no more: no cover, no contents (the app builds twice for its
page numbers), no bookmarks, no charts, no shaping of Arabic, no page
header. One pass of SimpleDocTemplate.build. It is what the content costs
to set in ReportLab on this machine; ``companion export pdf --all`` of the
same worksheets is measured as a multiple of it, in the same run.
"""
import json
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"
MARGIN = 18 * mm
ARABIC = re.compile("([\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+)")


def register() -> None:
    for name, file in (("NotoSans", "NotoSans-Regular.ttf"), ("NotoSans-Bold", "NotoSans-Bold.ttf"),
                       ("NotoSansArabic", "NotoSansArabic-Regular.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))


def markup(text: str) -> str:
    """Escaped text, Arabic runs in the Arabic font, line breaks kept."""
    out = ARABIC.sub(lambda m: f'<font name="NotoSansArabic">{m.group(1)}</font>', escape(text))
    return out.replace("\n", "<br/>")


def story(worksheets: list, st: dict) -> list:
    width = A4[0] - 2 * MARGIN - 12
    flow = []
    for number, ws in enumerate(worksheets):
        if number:
            flow.append(PageBreak())
        flow += [Paragraph(markup(ws["title"]), st["title"]), Paragraph(markup(ws["meta"]), st["meta"])]
        for section in ws["sections"]:
            flow.append(Paragraph(markup(section["title"]), st["section"]))
            for field in section["fields"]:
                flow.append(Paragraph(markup(field["label"]), st["label"]))
                if "rows" in field:
                    data = [[Paragraph(markup(c), st["head"]) for c in field["columns"]]]
                    data += [[Paragraph(markup(c), st["cell"]) for c in row] for row in field["rows"]]
                    share = width / len(field["columns"])
                    table = Table(data, colWidths=[share] * len(field["columns"]), repeatRows=1, hAlign="LEFT")
                    table.setStyle(TableStyle([
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6f2f2")),
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#cbd2d9")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
                    flow.append(table)
                else:
                    flow += [Paragraph(markup(p), st["body"]) for p in field["text"].split("\n\n")]
    return flow


def main() -> int:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    register()
    base = ParagraphStyle("body", fontName="NotoSans", fontSize=10, leading=14)
    st = {"body": base,
          "title": ParagraphStyle("title", base, fontName="NotoSans-Bold", fontSize=20, leading=27, spaceAfter=4),
          "meta": ParagraphStyle("meta", base, fontSize=9, leading=12),
          "section": ParagraphStyle("section", base, fontName="NotoSans-Bold", fontSize=13, leading=17,
                                    spaceBefore=12, spaceAfter=4),
          "label": ParagraphStyle("label", base, fontName="NotoSans-Bold", fontSize=9.5, leading=13, spaceBefore=6),
          "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11),
          "head": ParagraphStyle("head", base, fontName="NotoSans-Bold", fontSize=8.5, leading=11)}
    worksheets = json.loads(source.read_text(encoding="utf-8"))
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + 4 * mm, bottomMargin=MARGIN, initialFontName="NotoSans")
    doc.build(story(worksheets, st))
    print(f"baseline: {len(worksheets)} worksheets, {doc.page} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
