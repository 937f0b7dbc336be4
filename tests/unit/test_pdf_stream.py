"""The workbook PDF written in one pass, page by page: the contents' page
numbers drawn once the worksheets are placed, the share file embedded while
writing, one worksheet's answers in memory at a time, read on the writing
thread through a connection of its own."""
from __future__ import annotations

import gc
import io
import json
import re
import shutil
import subprocess
import threading
import tracemalloc
import weakref
from pathlib import Path

import pytest
from pypdf import PdfReader

from companion.export import share as share_format
from companion.workbook import sharing

BIDI_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f"))
ROWS = [{"activity": f"Activity {n} of the plan", "start": "2027-03-01", "end": "2027-04-30", "budget": n}
        for n in range(30)]


def _pdftotext(path: Path, page: int) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: run scripts/setup-system.sh")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_the_share_file_is_embedded_as_the_pdf_is_written_not_added_by_pypdf(workbook, tmp_path, monkeypatch):
    import pypdf

    def refuse(*args, **kwargs):
        raise AssertionError("pypdf rewrote the PDF")

    monkeypatch.setattr(pypdf, "PdfWriter", refuse)
    workbook.book.set_profile({"name": "Amina Yusuf"})
    one = workbook.book.create_worksheet("plan", "Plano: المدينة", {"title": "x", "activities": ROWS})
    two = workbook.book.create_worksheet("all-fields", "Fields", workbook.template("all-fields").example)
    out = workbook.sharing.export_pdf([one.id, two.id], tmp_path / "book.pdf")
    data = out.read_bytes()
    assert data.count(b"%%EOF") == 1 and data.count(b"\nxref\n") == 1  # written once, never updated
    assert PdfReader(out).metadata["/Producer"].startswith("ReportLab")
    found = sharing.read_file(out)
    assert [(w.title, w.answers) for w in found] == [(w.title, workbook.book.answers(w.id)) for w in (one, two)]
    assert share_format.decode_file(PdfReader(out).attachments[sharing.ATTACHMENT_NAME][0]).participant["name"] \
        == "Amina Yusuf"


def test_the_contents_numbers_are_the_pages_the_worksheets_start_on(workbook, tmp_path):
    long = "A plan whose title is long enough to wrap onto a second line of the contents page, " * 2
    titles = [long + str(n) if n % 9 == 0 else "خطة المدينة والهجرة" if n % 7 == 0 else f"Plan of district {n}"
              for n in range(70)]
    ids = []
    for n, title in enumerate(titles):  # worksheets of one page and of several
        ids.append(workbook.book.create_worksheet("plan", title, {"title": "x", "activities": ROWS[:n % 4 * 10]}).id)
    out = workbook.sharing.export_pdf(ids, tmp_path / "book.pdf")
    reader = PdfReader(out)
    starts = [reader.get_destination_page_number(item) + 1 for item in reader.outline if not isinstance(item, list)]
    assert len(starts) == 70 and starts[0] > 3  # the contents take more than one page
    printed = []
    for page in range(2, starts[0]):
        text = " ".join(_pdftotext(out, page).translate(BIDI_MARKS).split())
        printed += [int(n) for n in re.findall(r"\.\s*(\d+)(?=\s|$)", text)]
    assert printed == starts


def test_the_contents_lines_link_to_the_worksheets_from_every_contents_page(workbook, tmp_path):
    ids = [workbook.book.create_worksheet("plan", f"Plan {n}", {"title": "x"}).id for n in range(60)]
    reader = PdfReader(workbook.sharing.export_pdf(ids, tmp_path / "book.pdf"))
    targets = []
    for page in reader.pages[1:4]:
        for annotation in page.get("/Annots", []):
            destination = annotation.get_object()["/Dest"]
            targets.append(reader.get_page_number(destination[0].get_object()) + 1)
    starts = [reader.get_destination_page_number(item) + 1 for item in reader.outline if not isinstance(item, list)]
    assert targets == starts


def test_an_export_holds_one_worksheet_at_a_time(workbook, tmp_path, monkeypatch):
    from companion.export import pdf

    ids = [workbook.book.create_worksheet("plan", f"Plan {n}", {"title": "x", "activities": ROWS}).id
           for n in range(6)]
    job = workbook.sharing.prepare_pdf(ids)
    assert not any(worksheet.answers for worksheet, _ in job.items)  # the job holds no answers
    loaded, laid_out, alive = [], [], []
    story = pdf.worksheet_story

    def recording_story(*args, **kwargs):
        flowables = story(*args, **kwargs)
        laid_out.append([weakref.ref(f) for f in flowables])
        return flowables

    def load(listed, original=job.reader.load):
        gc.collect()
        alive.append((sum(ref() is not None for ref in loaded),
                      sum(ref() is not None for refs in laid_out[:-1] for ref in refs)))
        worksheet, template = original(listed)
        loaded.append(weakref.ref(worksheet))
        return worksheet, template

    monkeypatch.setattr(pdf, "worksheet_story", recording_story)
    monkeypatch.setattr(job.reader, "load", load)
    sharing.write_pdf(job, tmp_path / "book.pdf")
    # when a worksheet is read, at most the one before is still held, and none of the earlier ones' flowables
    assert len(alive) == 6 and all(worksheets <= 1 and flowables == 0 for worksheets, flowables in alive), alive
    assert len(sharing.read_file(tmp_path / "book.pdf")) == 6


def test_the_writer_reads_on_its_own_thread_through_its_own_connection(workbook, tmp_path, monkeypatch):
    from companion.storage import db

    ids = [workbook.book.create_worksheet("plan", f"Plan {n}", {"title": "x", "activities": ROWS}).id
           for n in range(4)]
    job = workbook.sharing.prepare_pdf(ids)  # on this thread, as the window does
    opened = []
    init = db.Database.__init__

    def recording_init(self, path):
        init(self, path)
        opened.append((threading.get_ident(), self))

    monkeypatch.setattr(db.Database, "__init__", recording_init)
    failures = []

    def export():
        try:
            sharing.write_pdf(job, tmp_path / "book.pdf")
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    worker = threading.Thread(target=export)
    worker.start()
    edits = 0
    while worker.is_alive():  # the window goes on saving meanwhile, on its own connection
        workbook.book.save_answers(ids[0], {"objective": f"Edit {edits}"})
        edits += 1
    worker.join()
    assert not failures and edits > 0
    assert [thread for thread, _ in opened] == [worker.ident]  # one connection, opened on the writing thread
    with pytest.raises(Exception):
        opened[0][1].conn.execute("SELECT 1")  # and closed when the PDF was written
    assert len(sharing.read_file(tmp_path / "book.pdf")) == 4


def test_the_share_file_written_piece_by_piece_is_the_one_written_whole():
    worksheets = [share_format.SharedWorksheet("u1", "plan", 1, "Plano: المدينة", "draft", 1, "a", "b",
                                               {"activities": [{"activity": "Rent\nroom", "budget": 1}], "x": {}}),
                  share_format.SharedWorksheet("u2", "plan", 2, "Two", "complete", 0, "a", "b", {})]
    for chosen in (worksheets, worksheets[:1]):
        for participant in (None, {"id": "p1", "name": "Amina", "city": "Mirazul"}):
            whole = share_format.encode(chosen, participant=participant)
            out = io.BytesIO()
            encoder = share_format.Encoder(out.write, participant, json.loads(whole)["exported_at"])
            for worksheet in chosen:
                encoder.add(worksheet)
            encoder.finish()
            assert out.getvalue() == whole


def test_pages_go_to_the_file_as_they_are_drawn(tmp_path):
    from companion.export import fonts
    from companion.export.stream import Deflated, StreamingCanvas

    fonts.register()
    out = tmp_path / "pages.pdf"
    canvas = StreamingCanvas(str(out), initialFontName=fonts.BODY)
    packed = Deflated()
    packed.write(b"hello " * 1000)
    tracemalloc.start()
    try:
        for page in range(150):  # some 40 kB of drawing each: 6 MB that ReportLab would keep until saving
            canvas.bookmarkHorizontal(f"p{page}", 0, 800)
            for line in range(70):
                canvas.drawString(40, 800 - 11 * line, f"Page {page} line {line} " + "text " * 80)
            if page == 0:
                canvas.linkRect("", "p149", (40, 700, 300, 720))  # to a page not drawn yet: kept for the end
            canvas.showPage()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    canvas.attach(packed.attachment("note.txt"))
    canvas.save()
    assert peak < 1.5 * 1024 * 1024, peak
    reader = PdfReader(out)
    assert len(reader.pages) == 150 and "Page 149 line 69" in reader.pages[149].extract_text()
    assert reader.attachments == {"note.txt": [b"hello " * 1000]}
    link = reader.pages[0]["/Annots"][0].get_object()["/Dest"]
    assert reader.get_page_number(link[0].get_object()) == 149


def test_a_paragraph_breaks_its_lines_once_per_width(monkeypatch):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from companion.export import fonts

    style = ParagraphStyle("body", fontName=fonts.register(), fontSize=10, leading=14)
    para = fonts.paragraph("The resource centre answers questions about papers, work and schools. " * 8, style)
    breaks = []
    original = Paragraph.breakLines

    def counting(self, *args, **kwargs):
        breaks.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Paragraph, "breakLines", counting)
    first = para.wrap(300, 800)
    assert para.wrap(300, 50) == first and len(breaks) == 1  # measured, then placed: broken once
    assert para.wrap(200, 800)[1] > first[1] and len(breaks) == 2
    assert para.split(200, 20) == [] and para.wrap(200, 800)[1] > first[1]  # split() let its lines go: broken again
    assert len(breaks) == 3
