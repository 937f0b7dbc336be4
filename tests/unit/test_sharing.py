"""Share files, PDFs that import back, CSV, and imports that never harm what is there."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from companion.errors import InputError
from companion.export import share as share_format
from companion.workbook import Workbook
from tests.conftest import MINI_PACK

ANSWERS = {"title": "Uma porta: المدينة والهجرة ከተማ", "objective": "Open the centre",
           "activities": [{"activity": "Rent", "start": "2027-03-01", "end": "2027-04-30", "budget": 1200}]}


@pytest.fixture
def other(tmp_path: Path):
    book = Workbook(tmp_path / "colleague", MINI_PACK)
    yield book
    book.close()


def _snapshot(book: Workbook) -> list:
    return [(w.id, w.title, book.book.answers(w.id)) for w in book.book.worksheets()] + \
        [("bin", w.id) for w in book.book.bin()]


def test_a_share_file_round_trips_exactly_and_twice_creates_nothing(workbook, other, tmp_path):
    mine = workbook.book.create_worksheet("plan", "Plano", ANSWERS)
    out = workbook.sharing.export_share([mine.id], tmp_path / "plan.mldshare")
    first = other.sharing.import_paths([out])
    assert [r.status for r in first] == ["imported"]
    copy = other.book.worksheet(first[0].worksheet_id)
    assert (copy.title, copy.answers, copy.template_id) == ("Plano", ANSWERS, "plan")
    again = other.sharing.import_paths([out])
    assert [r.status for r in again] == ["duplicate"] and len(other.book.worksheets()) == 1
    assert "already in this workbook" in again[0].message()


def test_a_pdf_from_the_companion_imports_back(workbook, other, tmp_path):
    one = workbook.book.create_worksheet("plan", "Plan A", ANSWERS)
    two = workbook.book.create_worksheet("all-fields", "Fields", workbook.template("all-fields").example)
    pdf = workbook.sharing.export_pdf([one.id, two.id], tmp_path / "both.pdf")
    results = other.sharing.import_paths([pdf])
    assert [r.status for r in results] == ["imported", "imported"]
    got = {w.title: w.answers for w in (other.book.worksheet(r.worksheet_id) for r in results)}
    assert got == {"Plan A": ANSWERS, "Fields": workbook.book.worksheet(two.id).answers}


def test_import_never_overwrites_the_importers_own_work(workbook, tmp_path):
    mine = workbook.book.create_worksheet("plan", "Mine", {"title": "Original"})
    out = workbook.sharing.export_share([mine.id], tmp_path / "mine.mldshare")
    workbook.book.save_answers(mine.id, {"title": "Changed since"})
    results = workbook.sharing.import_paths([out])
    assert results[0].status == "imported" and results[0].worksheet_id != mine.id
    assert workbook.book.worksheet(mine.id).answers["title"] == "Changed since"


def test_csv_holds_every_table_row(workbook, tmp_path):
    mine = workbook.book.create_worksheet("plan", "P", ANSWERS)
    text = (workbook.sharing.export_csv(mine.id, tmp_path / "p.csv")).read_text(encoding="utf-8-sig")
    assert text.splitlines()[:3] == ["Table: Activities", "Activity,Start,End,Budget", "Rent,2027-03-01,2027-04-30,1200"]


def _good(workbook, tmp_path) -> bytes:
    mine = workbook.book.create_worksheet("plan", "P", ANSWERS)
    return workbook.sharing.share_bytes([mine.id])


def _resign(payload: dict) -> bytes:
    payload["checksum"] = share_format.checksum({k: v for k, v in payload.items() if k != "checksum"})
    return json.dumps(payload).encode()


BROKEN = {
    "truncated": lambda good: good[: len(good) // 2],
    "corrupt": lambda good: good.replace(b"Rent", b"Rant"),
    "not json": lambda good: b"\x00\x01binary garbage",
    "future format": lambda good: _resign({**json.loads(good), "format_version": 99}),
    "wrong type": lambda good: _resign({**json.loads(good), "worksheets": [
        {**json.loads(good)["worksheets"][0], "answers": {"title": ["not", "text"]}}]}),
    "unknown field": lambda good: _resign({**json.loads(good), "worksheets": [
        {**json.loads(good)["worksheets"][0], "answers": {"colour": "red"}}]}),
    "unknown template": lambda good: _resign({**json.loads(good), "worksheets": [
        {**json.loads(good)["worksheets"][0], "template_id": "no-such"}]}),
    "missing key": lambda good: _resign({**json.loads(good), "worksheets": [{"uid": "x"}]}),
    "no worksheets": lambda good: _resign({**json.loads(good), "worksheets": []}),
    "other json": lambda good: b'{"hello": "world"}',
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_every_kind_of_broken_file_is_refused_naming_file_and_reason(kind, workbook, other, tmp_path):
    path = tmp_path / f"{kind.replace(' ', '-')}.mldshare"
    path.write_bytes(BROKEN[kind](_good(workbook, tmp_path)))
    before = _snapshot(other)
    results = other.sharing.import_paths([path])
    assert [r.status for r in results] == ["refused"]
    assert str(path) in results[0].message() and results[0].reason
    assert _snapshot(other) == before


def test_oversized_files_and_pdfs_without_a_worksheet_are_refused(other, tmp_path):
    big = tmp_path / "big.mldshare"
    big.write_bytes(b" " * (share_format.MAX_BYTES + 10))
    plain = tmp_path / "plain.pdf"
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(plain))
    pdf.drawString(100, 700, "Not from the companion")
    pdf.save()
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\n garbage")
    reasons = {r.path.name: r.reason for r in other.sharing.import_paths([big, plain, damaged])}
    assert "larger than" in reasons["big.mldshare"]
    assert "holds no worksheet" in reasons["plain.pdf"]
    assert reasons["damaged.pdf"]
    assert other.book.worksheets() == []


def test_a_folder_import_goes_on_past_bad_files(workbook, other, tmp_path):
    folder = tmp_path / "stick"
    folder.mkdir()
    for n in range(3):
        w = workbook.book.create_worksheet("plan", f"Participant {n}", {"title": f"Plan {n}"})
        workbook.sharing.export_share([w.id], folder / f"p{n}.mldshare")
    (folder / "broken.mldshare").write_text("{")
    (folder / "notes.txt").write_text("ignored: not a share file")
    results = other.sharing.import_paths([folder])
    assert sorted(r.status for r in results) == ["imported"] * 3 + ["refused"]
    assert sorted(w.title for w in other.book.worksheets()) == ["Participant 0", "Participant 1", "Participant 2"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(
    st.binary(max_size=400),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                 max_leaves=20).map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.sampled_from(["format", "format_version", "worksheets", "checksum", "app_version"]),
                    st.none() | st.integers() | st.text(max_size=10) | st.lists(st.dictionaries(
                        st.sampled_from(["uid", "template_id", "answers", "title"]), st.text(max_size=5)),
                        max_size=2)).map(lambda d: json.dumps({**d, "format": "mld-companion-share"}).encode()),
))
def test_random_files_never_crash_and_never_change_anything(other, tmp_path, data):
    path = tmp_path / "random.mldshare"
    path.write_bytes(data)
    before = _snapshot(other)
    results = other.sharing.import_paths([path])
    assert [r.status for r in results] == ["refused"] and results[0].reason
    assert _snapshot(other) == before


def test_decode_refuses_with_input_errors_only():
    with pytest.raises(InputError):
        share_format.decode(b"[" * 100000)


def test_share_files_and_pdfs_carry_the_knowledge_check_answers_but_an_import_keeps_them_out(tmp_path):
    from companion.workbook.sharing import read_file
    from companion.export import share as share_format
    from tests.conftest import BUNDLED_PACK

    book = Workbook(tmp_path / "mine", BUNDLED_PACK)
    try:
        question = book.pack.checks["core-why-local"].questions[0]
        right = [o.id for o in question.options if o.correct][:1]
        book.study.answer_question("core-why-local", question.id, right)
        sheet = book.book.create_worksheet("action-plan", "Plan")
        share = book.sharing.export_share([sheet.id], tmp_path / "p.mldshare")
        pdf = book.sharing.export_pdf([sheet.id], tmp_path / "p.pdf")
    finally:
        book.close()
    for path in (share, pdf):
        data = path.read_bytes()
        carried = share_format.decode_file(data).checks if path.suffix == ".mldshare" else None
        if carried is not None:
            assert carried == ({"topic": "core-why-local", "question": question.id, "chosen": right, "right": True,
                                "answered_at": carried[0]["answered_at"]},)
        assert read_file(path)[0].title == "Plan"
    other = Workbook(tmp_path / "colleague", BUNDLED_PACK)
    try:
        assert other.sharing.import_paths([share])[0].status == "imported"
        assert other.study.check_answers() == []  # someone else's answers are not the importer's progress
    finally:
        other.close()
