"""Hostile input: Markdown in content packs, answer files, backup files.

Whatever the shape, the result is the thing working or one plain line
saying why not: no crash, no traceback, nothing changed in the database.
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import io
import json
import os
import re
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from companion.cli import main as cli
from companion.workbook import safety
from companion.content.markdown import to_html
from companion.errors import CompanionError, InputError
from companion.storage import backup as store
from companion.workbook import Workbook
from companion.workbook.book import number
from tests.conftest import MINI_PACK

FAST = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))


# Markdown ------------------------------------------------------------------------
@pytest.mark.parametrize("markdown", [
    "<script>alert('x')</script>",
    "<SCRIPT SRC=http://evil.example/x.js></SCRIPT>",
    "<iframe src='https://evil.example'></iframe>",
    "<img src=x onerror=alert(1)>",
    "<object data='x.swf'></object><embed src='x'>",
    "<svg onload=alert(1)>",
    "<style>body{background:url(http://evil.example/t.png)}</style>",
    "<a href='javascript:alert(1)'>raw link</a>",
    "<meta http-equiv=refresh content='0;url=http://evil.example'>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
])
def test_raw_html_in_a_pack_is_shown_as_text_never_as_markup(markdown):
    page = to_html(markdown)
    for tag in ("<script", "<SCRIPT", "<iframe", "<img", "<object", "<embed", "<svg", "<style", "<meta",
                "<link", "<a href='javascript"):
        assert tag not in page
    assert "&lt;" in page


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "  javascript:alert(1)", "<javascript:alert(1)>",
    "java&#115;cript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd", "//evil.example/x", "\\\\evil\\share\\x", "https:evil.example", "ftp://evil.example/x",
])
def test_links_that_could_run_or_fetch_something_lose_their_target(link):
    page = to_html(f"[click]({link}) and <{link}> and [ref][r]\n\n[r]: {link}")
    assert re.findall(r'href="([^"]*)"', page) == [], page


def test_in_app_and_web_links_keep_their_targets():
    page = to_html("[a](topic:core-why-local) [b](glossary:x) [c](https://example.org) [d](mailto:a@b.c) [e](#top)")
    for href in ("topic:core-why-local", "glossary:x", "https://example.org", "mailto:a@b.c", "#top"):
        assert f'href="{href}"' in page


@pytest.mark.parametrize("image", [
    "http://evil.example/track.png", "https://evil.example/t.png", "//evil.example/t.png",
    "\\\\evil\\share\\t.png", "file:///etc/passwd", "data:image/png;base64,AAAA", "/etc/passwd",
    "images/../../../etc/passwd", "javascript:alert(1)",
])
def test_images_from_outside_the_pack_are_shown_as_their_description(image):
    page = to_html(f"Before ![a map]({image}) after")
    assert "<img" not in page and "[a map]" in page


def test_images_of_the_pack_itself_stay():
    assert '<img alt="map" src="images/map.png"' in to_html("![map](images/map.png)")


@FAST
@given(st.text(max_size=300))
def test_any_markdown_renders_without_a_script_or_a_remote_load(text):
    page = to_html(text)
    assert "<script" not in page.lower() and "<iframe" not in page.lower()
    for chunk in page.split("<img")[1:]:
        assert chunk.split('src="', 1)[1].startswith("images/")
    for chunk in page.split('href="')[1:]:
        target = chunk.split('"', 1)[0]
        assert target.split(":", 1)[0] in ("topic", "glossary", "worksheet", "page", "http", "https", "mailto") \
            or ":" not in target, target


# answers files -----------------------------------------------------------------------
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
FIELD_IDS = ["name", "story", "people", "started", "finished", "scope", "scope-other", "themes", "confidence",
             "steps", "actors"]
COLUMNS = ["actor", "kind", "interest", "influence", "needs"]
ROW = st.dictionaries(st.sampled_from(COLUMNS) | st.text(max_size=5), JSON, max_size=5)
ANSWERS = st.dictionaries(st.sampled_from(FIELD_IDS) | st.text(max_size=6),
                          JSON | st.lists(ROW | JSON, max_size=3), max_size=6)


@pytest.fixture(scope="module")
def hostile_book():
    folder = Path(tempfile.mkdtemp(prefix="companion-hostile-"))
    book = Workbook(folder, MINI_PACK)
    yield book
    book.close()


@FAST
@given(answers=ANSWERS | JSON)
def test_any_answers_are_stored_checked_or_refused_in_one_line(hostile_book, answers):
    before = len(hostile_book.book.worksheets())
    try:
        made = hostile_book.book.create_worksheet("all-fields", "Hostile", answers)
    except InputError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 400
        assert len(hostile_book.book.worksheets()) == before
        return
    again = hostile_book.book.worksheet(made.id)  # what was stored reads back, checks and scores
    hostile_book.book.issues(again)
    hostile_book.book.completion(again)
    json.dumps(again.answers, allow_nan=False)


def _cli(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(list(args))
    return code, err.getvalue()


def _count(folder: Path) -> int:
    database = folder / "companion.sqlite3"
    if not database.exists():
        return 0
    conn = sqlite3.connect(database)
    try:
        return conn.execute("SELECT count(*) FROM worksheets").fetchone()[0]
    finally:
        conn.close()


WORKED = json.dumps(json.loads(json.dumps({
    "name": "Mirazul desk", "people": 12, "started": "2025-01-10", "scope": "other", "scope-other": "Norte",
    "themes": ["health", "jobs"], "confidence": 4, "steps": ["map"],
    "actors": [{"actor": "City council", "kind": "public", "interest": 4, "influence": 5}]}))).encode()


@pytest.fixture
def mini_content(monkeypatch):
    monkeypatch.setenv("COMPANION_CONTENT", str(MINI_PACK))


@FAST
@given(content=st.binary(max_size=400) | st.builds(lambda n: WORKED[:n], st.integers(0, len(WORKED) - 1))
       | JSON.map(lambda v: json.dumps(v).encode()) | ANSWERS.map(lambda v: json.dumps(v).encode()))
def test_any_answers_file_through_the_command_line_is_one_line_or_a_worksheet(mini_content, tmp_path_factory,
                                                                             content):
    folder = tmp_path_factory.mktemp("data")
    answers = folder.parent / f"{folder.name}.json"
    answers.write_bytes(content)
    code, err = _cli("--data-dir", str(folder), "worksheets", "new", "all-fields", "--title", "T",
                     "--answers", str(answers))
    assert "Traceback" not in err
    if code == 0:
        assert _count(folder) == 1 and err == ""
    else:
        assert code == 2 and len(err.strip().splitlines()) == 1, err
        assert _count(folder) == 0


@pytest.mark.parametrize("content", [
    b"[" * 100_000, b"1" * 5000, b'{"people": 1' + b"0" * 5000 + b"}", b'{"people": Infinity}',
    b'{"people": NaN}', b'{"confidence": 1e999}', b"\xff\xfe\x00garbage", b"", b'"text"', b"[]",
    b'{"scope": ["city"]}', b'{"scope": {"a": 1}}', b'{"themes": [["health"]]}',
])
def test_answers_files_at_the_limits_are_refused_in_one_line(mini_content, tmp_path, content):
    answers = tmp_path / "answers.json"
    answers.write_bytes(content)
    code, err = _cli("--data-dir", str(tmp_path / "data"), "worksheets", "new", "all-fields",
                     "--answers", str(answers))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert _count(tmp_path / "data") == 0


def test_an_answers_path_that_is_a_folder_or_missing_is_one_line(mini_content, tmp_path):
    for path in (tmp_path, tmp_path / "missing.json"):
        code, err = _cli("--data-dir", str(tmp_path / "data"), "worksheets", "new", "plan", "--answers", str(path))
        assert code == 2 and len(err.strip().splitlines()) == 1


# backup files ------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _good_backup() -> bytes:
    folder = Path(tempfile.mkdtemp(prefix="companion-source-"))
    book = Workbook(folder, MINI_PACK)
    for number in range(4):
        sheet = book.book.create_worksheet("all-fields", f"Sheet {number}")
        book.book.save_answers(sheet.id, {"name": f"Name {number}", "story": "story " * 200, "people": number,
                                     "themes": ["health"], "actors": [{"actor": "Council", "interest": 3}]})
    out, _ = safety.export_backup(book, folder.parent / "good.sqlite3")
    book.close()
    return gzip.decompress(out.read_bytes())  # unpacked, as backups were before they were packed


@pytest.fixture(scope="module")
def victim(tmp_path_factory):
    """A data folder with work in it that no bad backup may change."""
    folder = tmp_path_factory.mktemp("victim")
    book = Workbook(folder, MINI_PACK)
    book.book.create_worksheet("plan", "Mine, not to be lost")
    book.close()
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("companion.sqlite3*")}


def _flipped(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    mangled = bytearray(data)
    for offset, value in flips:
        mangled[offset % len(mangled)] = value
    return bytes(mangled)


def _restore_or_refuse(victim: Path, content: bytes) -> None:
    handle, name = tempfile.mkstemp(suffix=".sqlite3")
    os.write(handle, content)
    os.close(handle)
    before = _files(victim)
    try:
        safety.restore(victim, Path(name))
    except InputError as exc:
        assert "\n" not in str(exc)
        assert _files(victim) == before, "a refused backup changed the data"
        return
    finally:
        os.unlink(name)
    # accepted: then everything in it must be readable by the app
    book = Workbook(victim, MINI_PACK)
    try:
        for sheet in book.book.worksheets():
            try:
                full = book.book.worksheet(sheet.id)
                book.book.issues(full)
                book.book.completion(full)
                book.book.history(sheet.id)
            except CompanionError:
                pass  # e.g. a template id changed into one this pack does not have
        for sheet in book.book.bin():
            book.book.worksheet(sheet.id, deleted=True)
    finally:
        book.close()
    assert store.health(victim / "companion.sqlite3").state == "ok"


@FAST
@given(st.binary(max_size=5000) | st.binary(max_size=5000).map(lambda b: store.HEADER + b))
def test_random_bytes_are_never_restored(victim, content):
    before = _files(victim)
    handle, name = tempfile.mkstemp(suffix=".sqlite3")
    os.write(handle, content)
    os.close(handle)
    try:
        with pytest.raises(InputError):
            safety.restore(victim, Path(name))
    finally:
        os.unlink(name)
    assert _files(victim) == before


@FAST
@given(cut=st.integers(min_value=0, max_value=10 ** 6))
def test_a_truncated_backup_is_refused_unless_only_unused_space_went(tmp_path_factory, cut):
    good_backup = _good_backup()
    assume(cut % len(good_backup) != 0)
    folder = tmp_path_factory.mktemp("victim")
    Workbook(folder, MINI_PACK).close()
    before = _files(folder)
    _restore_or_refuse(folder, good_backup[: cut % len(good_backup)])
    if _files(folder) != before:  # accepted: then the cut took only free pages, and nothing is missing
        book = Workbook(folder, MINI_PACK)
        assert sorted(w.title for w in book.book.worksheets()) == [f"Sheet {n}" for n in range(4)]
        book.close()


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(flips=st.lists(st.tuples(st.integers(min_value=100, max_value=10 ** 7), st.integers(0, 255)),
                      min_size=1, max_size=6))
def test_a_backup_with_bytes_changed_is_refused_or_wholly_readable(tmp_path_factory, flips):
    good_backup = _good_backup()
    folder = tmp_path_factory.mktemp("victim")
    book = Workbook(folder, MINI_PACK)
    book.book.create_worksheet("plan", "Mine")
    book.close()
    _restore_or_refuse(folder, _flipped(good_backup, flips))


def test_a_backup_with_wrong_types_or_bad_text_is_refused(tmp_path, victim):
    good_backup = _good_backup()
    cases = {
        "a title stored as a blob": "UPDATE worksheets SET title = x'00ff' WHERE id = 1",
        "answers that are not JSON": "UPDATE answers SET value = '{not json' WHERE field_id = 'name'",
        "text that is not UTF-8": "UPDATE worksheets SET title = CAST(x'fffe41' AS TEXT) WHERE id = 2",
        "a version that is text": "UPDATE worksheets SET template_version = 'one' WHERE id = 1",
    }
    for label, sql in cases.items():
        path = tmp_path / "case.sqlite3"
        path.write_bytes(good_backup)
        conn = sqlite3.connect(path)
        conn.executescript(f"{sql};")
        conn.close()
        before = _files(victim)
        with pytest.raises(InputError, match="damaged"):
            safety.restore(victim, path)
        assert _files(victim) == before, label


# share files and ids from outside ------------------------------------------------------
def _nested(depth: int):
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
CONTROL = st.text(st.characters(max_codepoint=0x9F), min_size=1, max_size=20)
HOSTILE_VALUE = st.one_of(
    st.integers(min_value=2 ** 63 - 5, max_value=10 ** 60) | st.integers(max_value=-(2 ** 63) + 5),
    st.text(SURROGATE, min_size=1, max_size=3).map(lambda s: "ok" + s),
    st.integers(0, 60).map(_nested),
    CONTROL,
    st.integers(90_000, 150_000).map(lambda n: "y" * n),
    st.floats(allow_nan=False, allow_infinity=False),
)
HOSTILE_KEY = st.sampled_from(["title", "objective", "activities", "later-field"]) | CONTROL | \
    st.text(SURROGATE, min_size=1, max_size=2)


def _share_file(path: Path, title, answers) -> Path:
    payload = {"format": "mld-companion-share", "format_version": 1, "app_version": "0.1.0",
               "exported_at": "2026-01-01T00:00:00+00:00",
               "worksheets": [{"uid": "u-hostile", "template_id": "plan", "template_version": 1, "title": title,
                               "status": "draft", "revision": 1, "created_at": "2026-01-01",
                               "updated_at": "2026-01-01", "answers": answers}]}
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    payload["checksum"] = "sha256:" + __import__("hashlib").sha256(
        canonical.encode("utf-8", "surrogatepass")).hexdigest()
    path.write_text(json.dumps(payload, ensure_ascii=True), encoding="ascii")
    return path


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(title=st.text(max_size=40) | CONTROL | st.text(SURROGATE, min_size=1, max_size=2)
       | st.integers(290, 400).map(lambda n: "t" * n),
       answers=st.dictionaries(HOSTILE_KEY, HOSTILE_VALUE, max_size=3))
def test_any_share_file_is_imported_whole_or_refused_and_changes_nothing(hostile_book, tmp_path_factory,
                                                                          title, answers):
    folder = tmp_path_factory.mktemp("share")
    path = _share_file(folder / "x.mldshare", title, answers)
    before = [(w.id, w.title) for w in hostile_book.book.worksheets()]
    [result] = hostile_book.sharing.import_paths([path])
    if result.status == "refused":
        assert "\n" not in result.reason and result.reason
        assert [(w.id, w.title) for w in hostile_book.book.worksheets()] == before
        return
    made = hostile_book.book.worksheet(result.worksheet_id)  # it reads back, scores and is found
    hostile_book.book.issues(made)
    hostile_book.book.completion(made)
    hostile_book.search.find("plan")
    json.dumps(made.answers, ensure_ascii=False).encode("utf-8")


@FAST
@given(ident=st.integers(min_value=-(2 ** 70), max_value=2 ** 70) | st.text(max_size=30)
       | st.integers(2 ** 63 - 2, 2 ** 64).map(str) | st.just("9" * 5000))
def test_any_id_finds_a_worksheet_or_is_one_plain_refusal(hostile_book, ident):
    try:
        found = hostile_book.book.worksheet(ident)
    except InputError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 200
        return
    assert 1 <= found.id < 2 ** 63
    with pytest.raises(InputError):
        # an id that names no revision: the text itself when it reads as no number ("1\x85" reads as 1)
        hostile_book.book.restore_revision(found.id, ident if isinstance(ident, str) and number(ident) is None
                                           else 2 ** 63)
