"""An XLSForm imported as a worksheet template: the mapping, its languages, what is refused
(with its row, nothing written) and the limits any hostile file meets."""
from __future__ import annotations

import importlib.util
import io
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from companion.content.pack import load_pack
from companion.content.validate import check_loaded
from companion.errors import InputError
from companion.worksheets import answers as answers_mod
from tests.conftest import MINI_PACK, ROOT

pytest.importorskip("pyxform", reason="pip install pyxform (the test and authoring extras)")
from companion.content import xlsform  # noqa: E402

SAMPLE = ROOT / "content" / "samples" / "consultation-plan.xlsx"


def _sample_module():
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "content" / "samples" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_sample = _sample_module()


@pytest.fixture
def packs(tmp_path: Path) -> tuple[Path, Path]:
    """An English pack and, beside it, a French one."""
    en = shutil.copytree(MINI_PACK, tmp_path / "packs" / "en")
    fr = shutil.copytree(MINI_PACK, tmp_path / "packs" / "fr")
    manifest = fr / "manifest.yaml"
    manifest.write_text(manifest.read_text().replace("id: mini-en", "id: mini-fr").replace("language: en", "language: fr"))
    return en, fr


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _form(tmp_path: Path, name: str = "form.xlsx", extra: list[tuple] = (), at: int | None = None,
          change: dict | None = None) -> Path:
    survey = list(make_sample.SURVEY)
    for row in extra:
        survey.insert(at if at is not None else len(survey), tuple(row) + (None,) * (len(survey[0]) - len(row)))
    for index, row in (change or {}).items():
        survey[index] = row
    return make_sample.write(tmp_path / name, survey=survey)


def test_the_committed_sample_is_what_its_script_writes(tmp_path):
    fresh = make_sample.write(tmp_path / "fresh.xlsx")
    sheets = {}
    for path in (SAMPLE, fresh):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        sheets[path] = {name: [tuple(c.value for c in row) for row in book[name].rows] for name in book.sheetnames}
        book.close()
    assert sheets[SAMPLE] == sheets[fresh]


def test_the_sample_form_becomes_a_valid_template_in_each_language_pack(packs):
    en, fr = packs
    imported = xlsform.import_xlsform(SAMPLE, en, module="m1")
    assert imported.id == "consultation-plan"
    assert imported.written == [en / "worksheets" / "consultation-plan.yaml", fr / "worksheets" / "consultation-plan.yaml"]
    for pack in (en, fr):
        loaded = load_pack(pack)
        assert check_loaded(loaded) == [], check_loaded(loaded)
    english = load_pack(en).pack.templates["consultation-plan"]
    french = load_pack(fr).pack.templates["consultation-plan"]
    assert [s.id for s in english.sections] == ["basics", "inclusion", "questions", "followup"]
    kinds = {f.id: f.type for f in english.fields()}
    assert kinds == {"topic": "text", "meeting-date": "date", "participants": "number", "format": "choice",
                     "budget": "number", "invited": "multichoice", "invited-other": "text", "interpreters": "choice",
                     "languages": "text", "agenda": "table", "report-date": "date", "report-how": "longtext"}
    participants = english.field("participants")
    assert participants.integer and participants.constraint == (". > 0 and . <= 500", "Between 1 and 500 people")
    assert english.field("topic").required and english.field("topic").help == "One decision the municipality has to take."
    assert english.field("invited-other").show_expr == "selected(${invited}, 'other')"
    assert english.field("report-how").show_expr == "string-length(${topic}) > 0"  # the group's relevant
    assert english.field("report-date").constraint[0] == ". >= ${meeting-date}"
    assert english.field("format").option_label("focus-group") == "Focus group"
    assert english.field("languages").help == "Plan transport and childcare so that people can come."  # a note
    assert english.instructions.startswith("Plan a consultation with people on the move")
    assert [c.id for c in english.field("agenda").columns] == ["question", "minutes"]
    assert english.example["invited"] == ["returnees", "host-community"] and english.example["format"] == "focus-group"
    assert french.field("topic").label == "Sur quoi consulterez-vous les gens ?"
    assert french.field("participants").constraint[1] == "Entre 1 et 500 personnes"
    assert french.field("format").option_label("focus-group") == "Groupe de discussion"
    assert french.sections[0].title == "La consultation"
    assert answers_mod.check(english, english.example) == []


def test_without_a_pack_of_a_language_its_texts_are_said_to_be_left_out(packs):
    en, fr = packs
    shutil.rmtree(fr)
    imported = xlsform.import_xlsform(SAMPLE, en, module="core")
    assert imported.written == [en / "worksheets" / "consultation-plan.yaml"]
    assert any("French (fr)" in note and "not written" in note for note in imported.notes)


@pytest.mark.parametrize("row, expected", [
    (("geopoint", "where", "Where is it?", "Où ?"), "the question type 'geopoint' is not supported"),
    (("time", "at", "At what time?", "À quelle heure ?"), "the question type 'time' is not supported"),
    (("calculate", "total", None, None, None, None, None, None, None, None, None, None, None),
     "Missing calculation"),  # pyxform's own check, at the same row
    (("text", "echo", "You said ${topic}", "Vous avez dit ${topic}"), "shows another answer"),
    (("integer", "code", "Code", "Code", None, None, None, None, "regex(., '^[0-9]{4}$')"),
     "constraint: the function 'regex()' is not supported"),
    (("text", "later", "Later", "Plus tard", None, None, None, "${participants} > 10 and pulldata('a', 'b', 'c', 'd')"),
     "relevant: the function 'pulldata()' is not supported"),
    (("text", "when_req", "Why", "Pourquoi", None, None, "${participants} > 10"), "'required' is an expression"),
    (("note", "warn", "Careful", "Attention", None, None, None, "${participants} > 100"), "a note shown only sometimes"),
])
def test_a_row_it_cannot_express_is_refused_with_its_row_and_nothing_is_written(tmp_path, packs, row, expected):
    en, fr = packs
    before = (_files(en), _files(fr))
    form = _form(tmp_path, extra=[row], at=5)  # the 5th line after the header: row 6 of the sheet
    with pytest.raises(xlsform.FormRefused) as refused:
        xlsform.import_xlsform(form, en, module="core")
    first = refused.value.problems[0]
    assert first.startswith("form.xlsx:survey!6: ") and expected in first, refused.value.problems
    assert str(refused.value) == first
    assert (_files(en), _files(fr)) == before


def test_an_unsupported_column_and_every_problem_are_listed_each_with_its_row(tmp_path, packs):
    en, _ = packs
    survey = [tuple(make_sample.SURVEY[0]) + ("calculation",)] + [tuple(r) + (None,) for r in make_sample.SURVEY[1:]]
    survey[3] = survey[3][:-1] + ("1 + 1",)
    survey.append(("image", "photo", "Photo", "Photo") + (None,) * 10)
    form = make_sample.write(tmp_path / "two.xlsx", survey=survey)
    with pytest.raises(xlsform.FormRefused) as refused:
        xlsform.import_xlsform(form, en, module="core")
    assert refused.value.problems == [
        "two.xlsx:survey!4: the column 'calculation' is not supported, so this row cannot be expressed",
        "two.xlsx:survey!25: the question type 'image' is not supported (supported: text, integer, decimal, date, "
        "select_one, select_multiple, note, groups and repeats)"]


def test_pyxforms_own_errors_keep_their_row_and_the_choices_sheet_names_its_own(tmp_path, packs):
    en, _ = packs
    form = _form(tmp_path, extra=[("select_one nowhere", "pick", "Pick", "Choisir")], at=3)
    with pytest.raises(xlsform.FormRefused) as refused:
        xlsform.import_xlsform(form, en, module="core")
    assert refused.value.problems[0].startswith("form.xlsx:survey!4: ") and "nowhere" in refused.value.problems[0]
    choices = list(make_sample.CHOICES) + [("format", "focus-group", "Focus group again", "Encore")]
    form = make_sample.write(tmp_path / "same.xlsx", choices=choices)
    with pytest.raises(xlsform.FormRefused) as refused:
        xlsform.import_xlsform(form, en, module="core")
    assert refused.value.problems[0].startswith("same.xlsx:choices!12: 'focus-group' becomes the id")


def test_a_form_needs_a_worked_example_a_known_module_and_replace_to_overwrite(tmp_path, packs):
    en, _ = packs
    survey = [row[:-1] + (None,) for row in make_sample.SURVEY]
    survey[0] = make_sample.SURVEY[0]
    with pytest.raises(xlsform.FormRefused, match=r"survey!1: the form gives no worked example"):
        xlsform.import_xlsform(make_sample.write(tmp_path / "bare.xlsx", survey=survey), en, module="core")
    with pytest.raises(InputError, match="'m9' is not in"):
        xlsform.import_xlsform(SAMPLE, en, module="m9")
    xlsform.import_xlsform(SAMPLE, en)  # the pack's first module
    assert "module: core" in (en / "worksheets" / "consultation-plan.yaml").read_text()
    with pytest.raises(InputError, match="add --replace"):
        xlsform.import_xlsform(SAMPLE, en, module="m1")
    xlsform.import_xlsform(SAMPLE, en, module="m1", replace=True)
    assert "module: m1" in (en / "worksheets" / "consultation-plan.yaml").read_text()


def _zip(path: Path, entries: list[tuple[str, bytes]], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


def _rewritten(source: Path, out: Path, change) -> Path:
    with zipfile.ZipFile(source) as original:
        entries = [(info.filename, change(info.filename, original.read(info.filename))) for info in original.infolist()]
    return _zip(out, [e for e in entries if e[1] is not None])


@pytest.mark.parametrize("name, make, said", [
    ("random bytes", lambda d: (d / "x.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 20) and d / "x.xlsx",
     "is not an .xlsx workbook"),
    ("a zip of nothing", lambda d: _zip(d / "x.xlsx", [("hello.txt", b"hi")]), "is not an .xlsx workbook"),
    ("a workbook that is no form", lambda d: _rewritten(SAMPLE, d / "x.xlsx", lambda n, b: b"<broken" if n.endswith(
        "sheet1.xml") else b), "cannot be read as an XLSForm"),
    ("a zip bomb", lambda d: _zip(d / "x.xlsx", [("xl/worksheets/sheet1.xml", b"\0" * (61 * 1024 * 1024))]),
     "unpacks to more than"),
    ("a billion laughs", lambda d: _rewritten(SAMPLE, d / "x.xlsx", lambda n, b: (
        b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>' + b)
        if n == "xl/worksheets/sheet1.xml" else b), "document type declaration"),
    ("countless rows", lambda d: make_sample.write(d / "x.xlsx", survey=[make_sample.SURVEY[0]] + [
        ("text", f"q{i}", "Q", "Q") for i in range(5200)]), "has more than 5000 rows"),
    ("a folder", lambda d: (d / "x.xlsx").mkdir() or d / "x.xlsx", "not a file that can be read"),
    ("a file too large", lambda d: (d / "x.xlsx").write_bytes(b"\0" * (11 * 1024 * 1024)) and d / "x.xlsx",
     "too large"),
])
def test_a_hostile_file_is_refused_in_one_line(tmp_path, packs, name, make, said):
    en, _ = packs
    before = _files(en)
    folder = tmp_path / "in"
    folder.mkdir()
    path = make(folder)
    with pytest.raises(InputError) as refused:
        xlsform.import_xlsform(path, en)
    assert said in str(refused.value) and "\n" not in str(refused.value), str(refused.value)
    assert _files(en) == before


def test_an_encrypted_entry_is_refused(tmp_path, packs):
    en, _ = packs
    data = bytearray(SAMPLE.read_bytes())
    data[6] |= 0x1  # the first entry's "encrypted" flag
    at = bytes(data).rfind(b"PK\x01\x02")
    while at != -1:  # and in the central directory
        data[at + 8] |= 0x1
        at = bytes(data).rfind(b"PK\x01\x02", 0, at)
    (tmp_path / "x.xlsx").write_bytes(bytes(data))
    with pytest.raises(InputError, match="encrypted"):
        xlsform.import_xlsform(tmp_path / "x.xlsx", en)


def test_pyxform_is_loaded_by_this_command_only_and_without_it_the_command_says_how_to_install(tmp_path, packs,
                                                                                                monkeypatch):
    import subprocess

    code = ("import sys; import companion.cli.main, companion.workbook, companion.workbook.packs, "
            "companion.content.xlsform, companion.content.signing; "
            "print(any(m.split('.')[0] in ('pyxform', 'nacl') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "False", result.stderr
    monkeypatch.setitem(sys.modules, "pyxform", None)
    monkeypatch.setitem(sys.modules, "pyxform.errors", None)
    en, _ = packs
    with pytest.raises(InputError, match=r"pip install 'mld-companion\[authoring\]'"):
        xlsform.import_xlsform(SAMPLE, en)
    assert io  # the module is used by the helpers above
