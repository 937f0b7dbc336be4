"""The workbook PDF prints computed totals, answers kept from another
version of a worksheet, and the knowledge checks answered."""
from __future__ import annotations

import subprocess

import pytest

from companion.export import share as share_format
from companion.workbook import Workbook
from tests.conftest import BUNDLED_PACK

pytestmark = pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
                                reason="pdftotext (poppler-utils) is not installed")


def test_the_workbook_pdf_prints_totals_set_apart_answers_and_knowledge_checks(tmp_path):
    book = Workbook(tmp_path / "data", BUNDLED_PACK)
    try:
        plan = book.template("action-plan")
        book.book.create_worksheet("action-plan", "Plano de Mirazul", plan.example)
        state = book.study.check("core-why-local")
        first = state.questions[0].question
        book.study.answer_question("core-why-local", first.id, [next(o.id for o in first.options if o.correct)])
        older = share_format.SharedWorksheet("old-1", "action-plan", 1, "Last year's plan", "draft", 1, "", "",
                                             {"title": "Old", "total-budget": 999, "gone-field": "Kept from before"})
        path = tmp_path / "old.mldshare"
        path.write_bytes(share_format.encode([older]))
        assert book.sharing.import_paths([path])[0].status == "imported"
        out = book.sharing.export_pdf(None, tmp_path / "workbook.pdf")
    finally:
        book.close()
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split())
    assert "Total budget 142000" in text  # the computed total, under its label
    assert "From an earlier version of this worksheet" in text and "Kept from before" in text
    assert "Knowledge checks" in text and first.text.split()[0] in text and "(right)" in text
