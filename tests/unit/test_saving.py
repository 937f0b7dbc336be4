"""A save keeps what is derived from the answers (completion, search row) with
them, in one transaction, working out again only the fields that changed."""
from __future__ import annotations


import pytest

from companion.errors import StorageError
from companion.storage import search as index_mod
from companion.folding import fold
from companion.workbook.derived import Derived
from companion.worksheets import answers as answers_mod

ROWS = [{"activity": f"Step {n}", "start": "2027-03-01", "budget": n} for n in range(30)]


def _kept(workbook, template_id="plan"):
    template = workbook.template(template_id)
    return workbook.study.progress.completions({template_id: f"{template_id}@{template.version}"})[0].completion


def test_a_save_is_found_and_counted_at_once_with_no_indexing_left_over(workbook):
    sheet = workbook.book.create_worksheet("plan", "Plan")
    workbook.book.save_answers(sheet.id, {"title": "Kulturhaus", "activities": ROWS})
    assert not workbook.search.index.has_pending()  # written with the save, not queued
    assert _kept(workbook) == 67
    workbook.book.save_answers(sheet.id, {"objective": "Zanzibar"})
    assert [r.id for r in workbook.search.find("Zanzibar") if r.kind == "worksheet"] == [str(sheet.id)]
    assert [r.id for r in workbook.search.find("Kulturhaus") if r.kind == "worksheet"] == [str(sheet.id)]
    assert _kept(workbook) == 100


def test_a_save_whose_search_row_cannot_be_written_keeps_nothing(workbook, monkeypatch):
    sheet = workbook.book.create_worksheet("plan", "Plan")
    workbook.book.save_answers(sheet.id, {"title": "Before"})

    def refuse(*args, **kwargs):
        raise StorageError("the disk is full")

    monkeypatch.setattr(index_mod.SearchIndex, "update", refuse)
    with pytest.raises(StorageError):
        workbook.book.save_answers(sheet.id, {"title": "After", "objective": "More"})
    monkeypatch.undo()
    assert workbook.book.answers(sheet.id) == {"title": "Before"}  # all or nothing
    assert _kept(workbook) == 33
    assert [r.kind for r in workbook.search.find("Before")] == ["worksheet"]
    workbook.book.save_answers(sheet.id, {"title": "After"})  # the next try works
    assert [r.kind for r in workbook.search.find("After")] == ["worksheet"]


def test_the_split_kept_between_saves_is_the_split_of_the_whole_worksheet():
    from companion.workbook import Workbook
    from tests.conftest import MINI_PACK

    template = Workbook("/nonexistent", MINI_PACK).template("plan")
    derived = Derived()
    answers = {"title": "Tête-à-tête ÉCOLE", "activities": ROWS, "gone": "مدرسةٌ ـ يوماً",
               "objective": ["not", "text"]}  # a field of another type: set apart
    for change in ({}, {"title": "U"}, {"activities": ROWS[:3] + [{"activity": "x", "colour": "red"}]},
                   {"gone": "again"}, {"activities": [{"activity": " "}], "title": ""}):
        answers = {**answers, **change}
        split = derived.split(1, template, answers)
        fitting, apart = answers_mod.split_answers(template, answers)
        assert (split.fitting, split.apart) == (fitting, apart)
        assert answers_mod.completion(template, split.fitting, split.answered) == answers_mod.completion(
            template, fitting)  # counted from each field's kept answer, as from the whole
        assert split.words == Derived().split(1, template, answers).words
        assert split.folded == fold(split.words)  # each field folded apart, as the whole would be
    newer = template._replace(version=template.version + 1)
    assert derived.split(1, newer, answers).fitting == fitting  # another version: worked out again


def test_a_kept_completion_is_worked_out_again_after_a_template_version_change(workbook):
    sheet = workbook.book.create_worksheet("plan", "Plan")
    workbook.book.save_answers(sheet.id, {"title": "T"})
    template = workbook.template("plan")
    workbook.pack.templates["plan"] = template._replace(
        version=template.version + 1, sections=[template.sections[0]._replace(fields=template.sections[0].fields[:1])])
    assert _kept(workbook) is None  # kept for the version before
    assert workbook.study.worksheet_completions()[0].completion == 100  # title is now the only field
    assert _kept(workbook) == 100  # and kept for this version


def test_the_split_says_whether_its_words_are_those_of_the_last_split_of_the_worksheet():
    from companion.workbook import Workbook
    from tests.conftest import MINI_PACK

    template = Workbook("/nonexistent", MINI_PACK).template("all-fields")
    derived = Derived()
    assert not derived.split(1, template, {"name": "Ana", "scope": "city"}).same_words  # nothing kept yet
    assert derived.split(1, template, {"name": "Ana", "scope": "region"}).same_words  # an option is no word
    assert not derived.split(1, template, {"name": "Ana B", "scope": "region"}).same_words
    assert not derived.split(2, template, {"name": "Ana B", "scope": "region"}).same_words  # another worksheet


def _statements(workbook) -> list[str]:
    seen: list[str] = []
    workbook._db.conn.set_trace_callback(seen.append)
    return seen


def test_a_save_that_changes_no_word_leaves_the_search_row_as_it_is(workbook):
    sheet = workbook.book.create_worksheet("all-fields", "Survey")
    workbook.book.save_answers(sheet.id, {"name": "Kulturhaus", "scope": "city"})
    seen = _statements(workbook)
    workbook.book.save_answers(sheet.id, {"scope": "region", "confidence": 4})
    assert not [s for s in seen if "INTO search_worksheets" in s]  # the row is not written again
    assert not workbook.search.index.has_pending()
    assert [r.id for r in workbook.search.find("Kulturhaus") if r.kind == "worksheet"] == [str(sheet.id)]
    assert workbook.book.answers(sheet.id) == {"name": "Kulturhaus", "scope": "region", "confidence": 4}
    seen.clear()
    workbook.book.save_answers(sheet.id, {"story": "Zanzibar"})
    assert [s for s in seen if "INTO search_worksheets" in s]
    assert [r.id for r in workbook.search.find("Zanzibar") if r.kind == "worksheet"] == [str(sheet.id)]


def test_a_save_that_changes_no_word_still_writes_a_search_row_the_index_holds_otherwise(workbook):
    sheet = workbook.book.create_worksheet("all-fields", "Survey")
    workbook.book.save_answers(sheet.id, {"name": "Kulturhaus", "scope": "city"})
    workbook.book.rename_worksheet(sheet.id, "Mindelo survey")  # queued for the index, not yet in it
    workbook.book.save_answers(sheet.id, {"scope": "region"})
    assert not workbook.search.index.has_pending()  # written with the save, nothing left to catch up
    assert [r.id for r in workbook.search.find("Mindelo") if r.kind == "worksheet"] == [str(sheet.id)]
