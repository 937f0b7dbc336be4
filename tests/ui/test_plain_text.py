"""Text from people and files is shown as text, and nothing it names is opened.

Each test puts HTML where a person or a file can put words (a worksheet title
from a share file, an answer, a note, a file name, a content pack's titles,
help and glossary), naming a local CANARY file. It shows that text in one kind
of widget, lets Qt lay out and paint (``widget.grab()``), and checks

(a) that the widget shows the markup literally: a label's text as Qt's
    accessibility layer reads it (what is drawn, what a screen reader says),
    a document's ``toPlainText()``, an item's text; and
(b) that the canary file was never opened, with an inotify watch for IN_OPEN
    and IN_ACCESS on it (access times would not tell: ``noatime``/``relatime``).

The first test is the control: Qt itself, given such a title in an ordinary
label, does open the file.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import struct
import sys
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QUrl, Qt
from PySide6.QtGui import QAccessible, QColor, QImage, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QLabel, QMessageBox, QStyleOptionViewItem, QTextEdit, QToolTip, QWidget,
)

from tests.conftest import MINI_PACK

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the canary is watched with inotify (Linux)")

IN_ACCESS, IN_OPEN = 0x001, 0x020
IN_NONBLOCK, IN_CLOEXEC = os.O_NONBLOCK, 0o2000000
EVENT = struct.Struct("iIII")  # wd, mask, cookie, len (then the name, len bytes)


class OpenWatch:
    """Every open or read of one file from now on, by any process, seen with inotify."""

    def __init__(self, path: Path) -> None:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self.fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            pytest.skip(f"inotify is not available here: {os.strerror(ctypes.get_errno())}")
        if libc.inotify_add_watch(self.fd, os.fsencode(path), IN_OPEN | IN_ACCESS) < 0:
            error = ctypes.get_errno()
            os.close(self.fd)
            pytest.skip(f"cannot watch {path}: {os.strerror(error)}")

    def events(self) -> list[str]:
        """The events since the last call ("open", "access"), read without blocking."""
        found = []
        while True:
            try:
                data = os.read(self.fd, 64 * 1024)
            except BlockingIOError:
                return found
            offset = 0
            while offset < len(data):
                _wd, mask, _cookie, size = EVENT.unpack_from(data, offset)
                found += [name for bit, name in ((IN_OPEN, "open"), (IN_ACCESS, "access")) if mask & bit]
                offset += EVENT.size + size

    def close(self) -> None:
        os.close(self.fd)


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class Canary:
    """A real little PNG that must never be opened."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "canary.png"
        self.path.write_bytes(_png(8, 8, (255, 0, 0)))
        self.uri = self.path.as_uri()
        self.watch = OpenWatch(self.path)

    def html(self, words: str = "spoof") -> str:
        """A title as an attacker writes it: an image from the disk and a heading."""
        return f'<img src="{self.uri}"><h1>{words}</h1>'

    def more_html(self) -> str:
        """Longer text (answers, notes, help): more ways of naming the file."""
        return (f'<img src="{self.path}"> <a href="{self.uri}">link</a> '
                f'<table background="{self.path}"><tr><td>cell</td></tr></table> '
                f'<p style="background-image: url({self.path})">styled</p> <h1>spoof</h1>')

    def assert_untouched(self) -> None:
        events = self.watch.events()
        assert events == [], f"the canary {self.path} was opened or read: {events}"


@pytest.fixture
def canary(tmp_path):
    folder = tmp_path / "outside"
    folder.mkdir()
    found = Canary(folder)
    yield found
    found.watch.close()


def settle(*widgets: QWidget) -> None:
    """Let Qt lay out and paint: events, then each widget drawn into a pixmap."""
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()
    for widget in widgets:
        widget.grab()
    app.processEvents()


def paint(canary: Canary, *widgets: QWidget) -> None:
    """Let Qt lay out and paint the widgets, then check that the canary is untouched."""
    settle(*widgets)
    canary.assert_untouched()


def shown(widget: QWidget) -> str:
    """What the widget shows, as Qt's accessibility layer reads it (a rich-text
    label gives its rendered text, a window its displayed title)."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def tooltip_shown(canary: Canary, show, window: QWidget) -> str:
    """What the tooltip ``show()`` puts up over ``window`` shows, once drawn (the
    canary checked). The window settles first: a tooltip hides on the next focus
    or activation event."""
    settle(window)
    show()
    tips = [w for w in QApplication.topLevelWidgets() if w.objectName() == "qtooltip_label" and w.isVisible()]
    assert tips, "no tooltip shown"
    text = shown(tips[0])
    tips[0].grab()
    QToolTip.hideText()
    canary.assert_untouched()
    return text


def _quoted(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


@pytest.fixture
def hostile_pack(tmp_path, canary):
    """The mini pack with HTML in its titles, help, options, glossary and a topic,
    and one real image of its own (a green square) in images/."""
    pack = tmp_path / "pack"
    shutil.copytree(MINI_PACK, pack)

    def change(relative: str, old: str, new: str) -> None:
        path = pack / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    change("modules/core/module.yaml", "title: Introduction", f"title: {_quoted(canary.html('module'))}")
    change("modules/core/01-why-local.md", "title: Why local", f"title: {_quoted(canary.html('topic'))}")
    change("modules/core/01-why-local.md", "## Key ideas\n",
           "## Key ideas\n\n"
           f'<img src="{canary.uri}">\n\n'
           f"<script>alert(1)</script>\n\n<iframe src=\"{canary.uri}\"></iframe>\n\n<h1>spoof</h1>\n\n"
           f"Inline <img src=\"{canary.path}\"> and ![alt text]({canary.uri}) and "
           f"![up](images/../outside/canary.png) and ![ours](images/ok.png)\n\n")
    change("worksheets/plan.yaml", "title: Action plan", f"title: {_quoted(canary.html('template'))}")
    change("worksheets/plan.yaml", "summary: The plan.", f"summary: {_quoted(canary.more_html())}")
    change("worksheets/plan.yaml", "  Fill in your plan.",
           f'  Fill in your plan. <img src="{canary.uri}"> <h1>spoof</h1>')
    change("worksheets/plan.yaml", "    title: The plan\n", f"    title: {_quoted(canary.html('section'))}\n")
    change("worksheets/plan.yaml", "help: What you will do.", f"help: {_quoted(canary.more_html())}")
    change("worksheets/plan.yaml", "        label: Title\n        required: true",
           f"        label: {_quoted(canary.html('label'))}\n        required: true\n"
           f"        help: {_quoted(canary.more_html())}")
    change("worksheets/all-fields.yaml", "{id: city, label: City}", '{id: city, label: "R&D <b>city</b>"}')
    change("worksheets/all-fields.yaml", "{id: jobs, label: Jobs}", '{id: jobs, label: "R&D <b>jobs</b>"}')
    change("glossary.yaml", "term: Diaspora", f"term: {_quoted(canary.html('term'))}")
    change("glossary.yaml", "definition: People who left a country, and their descendants, who keep ties with it.",
           f"definition: {_quoted(canary.more_html())}")
    (pack / "images").mkdir(exist_ok=True)
    (pack / "images" / "ok.png").write_bytes(_png(40, 40, (0, 200, 0)))
    return pack


# the control: Qt opens a file named in a label's HTML --------------------------------------------

def test_the_canary_watch_sees_qt_open_a_file_named_in_an_ordinary_label(qtbot, canary):
    label = QLabel(canary.html())  # Qt.AutoText, as QLabel is made by default
    qtbot.addWidget(label)
    label.show()
    settle(label)
    assert canary.watch.events(), "the watch must see Qt read the file, or the other tests prove nothing"


# worksheets: header, list, history, window title -----------------------------------------------

def test_the_worksheet_header_shows_a_hostile_title_and_answers_as_text(make_window, canary, qtbot):
    window = make_window()
    title = canary.html("title")
    answer = canary.more_html()
    worksheet = window.workbook.book.create_worksheet("plan", title, {"title": answer, "objective": answer})
    window.navigate(f"worksheet:{worksheet.id}")
    view = window.worksheet_view
    paint(canary, window)
    assert shown(view.title) == title
    assert view.rows["title"].editor.value() == answer and view.rows["objective"].editor.value() == answer
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.rows["title"].editor.edit.setFocus()
    view.rows["title"].editor.edit.setText("")
    view.rows["title"].editor.edit.textEdited.emit("")
    view.rows["objective"].editor.edit.setFocus()  # the title left empty:
    view.flush()  # a message under the field ("required") is text too
    paint(canary, window)
    assert view.rows["title"].message.isVisibleTo(view)
    canary.assert_untouched()


def test_the_worksheet_list_shows_hostile_titles_as_text(make_window, hostile_pack, canary):
    window = make_window(pack=hostile_pack)
    title = canary.html("listed")
    window.workbook.book.create_worksheet("plan", title)
    window.navigate("template:plan")
    page = window.list_view
    paint(canary, window)
    assert page.table.item(0, 0).text() == title
    assert shown(page.title) == canary.html("template") and shown(page.summary) == canary.more_html()
    canary.assert_untouched()


def test_the_history_shows_a_hostile_title_and_field_labels_as_text(make_window, hostile_pack, canary, qtbot):
    from companion.ui.views.history import HistoryDialog

    window = make_window(pack=hostile_pack)
    title = canary.html("history")
    worksheet = window.workbook.book.create_worksheet("plan", title, {"title": "x"})
    window.workbook.book.save_answers(worksheet.id, {"title": canary.more_html()})
    dialog = HistoryDialog(window.workbook, worksheet, window.workbook.book.template_of(worksheet), window)
    qtbot.addWidget(dialog)
    dialog.show()
    paint(canary, dialog)
    items = [dialog.list.item(r).text() for r in range(dialog.list.count())]
    assert any(canary.html("label") in text for text in items)  # the field's label, from the pack
    assert shown(dialog) == f"History of {title}"
    canary.assert_untouched()


def test_the_window_title_shows_a_hostile_title_as_typed(make_window, canary, qtbot):
    from companion.ui.views.history import HistoryDialog

    window = make_window()
    title = f"Draft [*] {canary.html('title')}"
    worksheet = window.workbook.book.create_worksheet("plan", title)
    dialog = HistoryDialog(window.workbook, worksheet, window.workbook.book.template_of(worksheet), window)
    qtbot.addWidget(dialog)
    dialog.show()
    paint(canary, dialog)
    assert shown(dialog) == f"History of {title}"  # "[*]" kept, the markup as typed
    canary.assert_untouched()


# the pack: contents tree, field help, topics, tooltips ------------------------------------------

def test_the_contents_tree_shows_hostile_pack_titles_as_text(make_window, hostile_pack, canary):
    window = make_window(pack=hostile_pack)
    paint(canary, window)
    model = window.nav.model()
    texts = []

    def walk(parent):
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            texts.append(index.data())
            walk(index)
    walk(model.index(-1, -1))
    assert f"Core module: {canary.html('module')}" in texts
    assert canary.html("topic") in texts and canary.html("template") in texts
    canary.assert_untouched()


def test_tooltips_show_hostile_pack_text_as_text(make_window, hostile_pack, canary):
    window = make_window(pack=hostile_pack)
    model = window.nav.model()
    found = model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, canary.html("template"), 1,
                        Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    tip = found[0].data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip_shown(canary, lambda: QToolTip.showText(window.nav.mapToGlobal(QPoint(4, 4)), tip, window.nav),
                         window) == canary.html("template")
    window.navigate("topic:core-why-local")
    # the glossary term under the mouse in a topic: its term and definition
    shown_term = tooltip_shown(canary, lambda: window.reader._hovered(QUrl("glossary:diaspora")), window)
    assert shown_term == canary.html("term") + "\n" + canary.more_html()
    canary.assert_untouched()


def test_a_fields_help_and_labels_from_a_pack_are_shown_as_text(make_window, hostile_pack, canary):
    window = make_window(pack=hostile_pack)
    worksheet = window.workbook.book.create_worksheet("plan", "Plain title")
    window.navigate(f"worksheet:{worksheet.id}")
    view = window.worksheet_view
    view.instructions_button.setChecked(True)
    paint(canary, window)
    row = view.rows["title"]
    assert shown(row.label) == canary.html("label") + " *"
    help_labels = [label for label in row.findChildren(QLabel) if label.objectName() == "help"]
    assert [shown(label) for label in help_labels] == [canary.more_html()]
    assert canary.html("section") in [shown(label) for label in view.findChildren(QLabel)]
    assert shown(view.kicker) == f"Worksheet · {canary.html('template')}"
    assert f'<img src="{canary.uri}"> <h1>spoof</h1>' in view.instructions.toPlainText()
    other = window.workbook.book.create_worksheet("all-fields", "Every field")
    window.navigate(f"worksheet:{other.id}")
    paint(canary, window)
    assert window.worksheet_view.rows["scope"].editor.combo.itemText(1) == "R&D <b>city</b>"
    jobs = window.worksheet_view.rows["themes"].editor.boxes[1][1]
    assert jobs.text() == "R&&D <b>jobs</b>"  # drawn "R&D <b>jobs</b>"
    assert QKeySequence.mnemonic(jobs.text()).isEmpty()  # the pack's "&" makes no keyboard shortcut
    canary.assert_untouched()


def test_a_topic_with_raw_html_shows_it_as_text_and_loads_only_its_own_image(make_window, hostile_pack, canary):
    window = make_window(pack=hostile_pack)
    window.navigate("topic:core-why-local")
    paint(canary, window)
    text = window.reader.browser.toPlainText()
    for literal in (f'<img src="{canary.uri}">', "<script>alert(1)</script>", "<iframe", "<h1>spoof</h1>",
                    f'<img src="{canary.path}">', canary.html("topic"), "[alt text]", "[up]"):
        assert literal in text
    picture = window.reader.browser.viewport().grab().toImage()
    green = sum(1 for x in range(0, picture.width(), 2) for y in range(0, picture.height(), 2)
                if picture.pixelColor(x, y) == QColor(0, 200, 0))
    assert green > 50, "the pack's own image is shown"
    canary.assert_untouched()


# the study views: search, follow-up, notes, home --------------------------------------------------

def test_search_results_show_hostile_titles_and_queries_as_text(make_window, canary):
    from companion.ui.views.search import MARKUP

    window = make_window()
    title = f"zebra {canary.html('found')}"
    window.workbook.book.create_worksheet("plan", title, {"objective": f"zebra {canary.more_html()}"})
    window.navigate("search:zebra")
    view = window.study_ui.search_view
    paint(canary, window)
    group = view.model.index(0, 0)
    index = view.model.index(0, 0, group)
    assert index.data() == title
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 800, 60)
    drawn = view.results.itemDelegate()._document(option, index).toPlainText()
    assert title in drawn and "&lt;img" in index.data(MARKUP)  # the delegate's HTML escapes it
    query = canary.html("query")
    window.navigate(f"search:{query}")
    paint(canary, window)
    assert query in shown(view.title)
    canary.assert_untouched()


def test_the_follow_up_view_shows_hostile_plans_and_check_ins_as_text(make_window, canary):
    window = make_window()
    title, name, comment = canary.html("plan"), canary.html("activity"), canary.more_html()[:400]
    plan = window.workbook.book.create_worksheet("plan", title, {"title": "t", "activities": [
        {"activity": name, "start": "2030-01-01", "end": "2030-02-01"}]})
    window.workbook.followup.checkin(plan.id, 1, "in-progress", comment)
    window.navigate(f"followup:{plan.id}")
    view = window.study_ui.followup_view
    paint(canary, window)
    assert view.plans.currentText() == title
    assert view.table.item(0, 0).text() == f"1. {name}" and view.table.item(0, 4).text() == comment
    assert shown(view.history_label) == f"Check-ins of “{name}”"
    assert view.history.item(0, 2).text() == comment
    canary.assert_untouched()


def test_notes_show_hostile_text_as_text(make_window, canary):
    window = make_window()
    note = canary.more_html()
    window.workbook.study.save_note("core-why-local", note)
    window.navigate("notes")
    paint(canary, window)
    assert note.replace("\n", " ") in window.reader.browser.toPlainText()
    window.navigate("topic:core-why-local")
    paint(canary, window)
    assert window.study_ui.note_editor.edit.toPlainText() == note
    canary.assert_untouched()


def test_the_home_view_shows_hostile_titles_as_text(make_window, canary):
    window = make_window()
    title = canary.html("home")
    worksheet = window.workbook.book.create_worksheet("plan", title)
    window.workbook.study.record_opened("open", str(worksheet.id))
    window.show_home()
    paint(canary, window)
    assert title in window.reader.browser.toPlainText()
    canary.assert_untouched()


# dialogs ----------------------------------------------------------------------------------------------

def test_the_import_summary_shows_hostile_file_names_and_titles_as_text(make_window, canary, monkeypatch, tmp_path):
    sender = make_window(tmp_path / "sender")
    title = canary.html("shared")
    worksheet = sender.workbook.book.create_worksheet("plan", title, {"objective": canary.more_html()})
    monkeypatch.chdir(canary.path.parent)  # a relative name in the file name would point at the canary
    share = tmp_path / '<img src="canary.png"><h1>spoof.mldshare'
    sender.workbook.sharing.export_share([worksheet.id], share)
    bad = tmp_path / '<img src="canary.png"> broken.mldshare'
    bad.write_bytes(b"not a share file")
    boxes = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or 0)
    colleague = make_window(tmp_path / "colleague")
    colleague.sharing_ui.import_paths([str(share), str(bad)])
    box = boxes[-1]
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.show()
    next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.ActionRole).click()  # details
    paint(canary, box)
    details = box.findChild(QTextEdit).toPlainText()
    assert f"'{title}'" in details and bad.name in details
    imported = next(w for w in colleague.workbook.book.worksheets() if w.title == title)
    colleague.navigate(f"worksheet:{imported.id}")
    paint(canary, colleague)
    assert shown(colleague.worksheet_view.title) == title
    canary.assert_untouched()


def test_message_boxes_show_hostile_text_as_text(make_window, hostile_pack, canary, monkeypatch):
    from companion.ui import dialogs

    window = make_window(pack=hostile_pack)
    boxes = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or int(QMessageBox.StandardButton.Ok))
    text = canary.more_html()
    for ask in (dialogs.information, dialogs.warning, dialogs.critical, dialogs.question):
        ask(window, "Title", text)
    dialogs.about(window, "About", text)
    worksheet = window.workbook.book.create_worksheet("plan", "Plain")
    window.navigate(f"worksheet:{worksheet.id}")
    told = []  # a text Qt does not take for HTML goes to the static function, which shows it as text too
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _title, said, *a, **k: told.append(said))
    window.worksheet_view.complete_button.click()  # "not complete": names the required field's label
    assert len(boxes) == 5 and len(told) == 1
    from PySide6.QtGui import Qt as GuiQt

    assert canary.html("label") in told[0] and not GuiQt.mightBeRichText(told[0])
    for box in boxes:
        box.show()
        paint(canary, box)
        labels = {label.objectName(): label for label in box.findChildren(QLabel)}
        assert box.textFormat() == Qt.TextFormat.PlainText
        assert "<img" in shown(labels["qt_msgbox_label"])
        box.hide()
    canary.assert_untouched()


# the reader's resources ------------------------------------------------------------------------------

def test_the_reader_loads_nothing_but_the_packs_images(make_window, hostile_pack, canary, monkeypatch):
    from companion.ui.views.reader import SafeDocument

    window = make_window(pack=hostile_pack)
    images = hostile_pack / "images"
    (images / "link.png").symlink_to(canary.path)
    monkeypatch.chdir(images)  # where a relative name would be looked for
    refused = [canary.uri, str(canary.path), "../../outside/canary.png", "images/../../outside/canary.png",
               "images/link.png", "images/../images/link.png", "images/ok.png?x=1", "/images/ok.png",
               "qrc:/images/ok.png", "data:image/png;base64,iVBORw0KGgo=", "http://127.0.0.1:9/x.png",
               "//127.0.0.1/share/x.png", "file:images/ok.png", "images/missing.png", "images/"]
    page = ("".join(f'<p><img src="{url}"></p>' for url in refused)
            + f'<link rel="stylesheet" href="{canary.path}"><style>@import url("{canary.uri}");</style>'
            + canary.more_html() + '<p><img src="images/ok.png"></p>')
    worksheet = window.workbook.book.create_worksheet("plan", "Plain")
    window.navigate(f"worksheet:{worksheet.id}")
    instructions = window.worksheet_view.instructions
    instructions.show()
    for browser in (window.reader.browser, instructions):
        browser.setHtml(page)
        paint(canary, browser)
    detached = SafeDocument()  # as the search results draw their rows
    detached.setHtml(page)
    detached.setTextWidth(400)
    detached.size()  # lays it out, which asks for the images
    canary.assert_untouched()

    browser = window.reader.browser
    for url in refused:
        assert browser.loadResource(2, QUrl(url)) is None, url
        found = browser.document().resource(2, QUrl(url))
        assert isinstance(found, QImage) and found.size().width() == 1, url  # a transparent pixel
    style = browser.document().resource(3, QUrl(str(canary.path)))  # a style sheet: empty
    assert style is not None and len(style) == 0
    ours = browser.loadResource(2, QUrl("images/ok.png"))
    assert isinstance(ours, QImage) and ours.width() == 40
    canary.assert_untouched()
