"""``companion --open VIEW`` starts the app at that view."""
from __future__ import annotations

import html
import re

import pytest
from PySide6.QtWidgets import QApplication

from companion.errors import InputError
from tests.conftest import MINI_PACK, ROOT


@pytest.fixture
def started(monkeypatch, tmp_path, qtbot):
    """Run the app as ``companion --open VIEW`` does; returns what the window showed
    when its event loop began (the loop itself ends at once)."""
    from companion.ui import app as app_module
    from companion.ui.safety import DataSafety
    from companion.workbook import Workbook

    # the day's backup has a test of its own; closing at once while its thread ends would wait for it
    monkeypatch.setattr(DataSafety, "after_start", lambda self, startup: None)

    monkeypatch.setenv("COMPANION_CONTENT", str(MINI_PACK))
    data = tmp_path / "data"
    book = Workbook.open(data)
    try:  # a profile already: no first-run question
        book.book.set_profile(book.book.profile())
        plan = book.book.create_worksheet("plan", "Open me").id
    finally:
        book.close()
    seen = {}

    def exec_(_app):
        window = opened[-1]
        qtbot.wait(20)  # what was queued for just after showing
        seen.update(window=window, current=window.stack.currentWidget(), title=window.navigator.history.current())
        if look is not None:
            seen["looked"] = look(window)
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    opened = []
    open_window = app_module.open_window

    def remember(*args):
        found = open_window(*args)
        opened.append(found[0])
        return found

    monkeypatch.setattr(app_module, "open_window", remember)

    look = None

    def start(view, looking=None):
        """``looking(window)``, if given, is called once the window is shown; its result is seen["looked"]."""
        nonlocal look
        seen.clear()
        look = looking
        return app_module.run(str(data), view), seen
    start.plan, start.opened = plan, opened
    return start


def test_the_app_starts_at_the_view_named(started):
    code, seen = started("glossary")
    assert code == 0 and seen["current"] is seen["window"].reader
    assert seen["title"].kind in ("glossary", "view")
    code, seen = started(f"worksheet:{started.plan}#objective")
    assert code == 0 and seen["current"] is seen["window"].worksheet_view
    assert seen["window"].worksheet_view.worksheet.id == started.plan
    code, seen = started("search:plan")
    assert seen["current"] is seen["window"].study_ui.search_view


def test_a_topic_opens_at_the_heading_named_and_is_laid_out_only_at_the_width_it_is_shown_at(
        started, monkeypatch):
    from companion.ui.views.reader import Browser

    monkeypatch.setenv("COMPANION_CONTENT", str(ROOT / "content" / "en"))  # a topic longer than a screen
    widths = []  # the reader's page width at each layout of its page
    build = Browser.__init__

    def counting(self, parent=None):
        build(self, parent)
        self.document().documentLayout().update.connect(lambda *_: widths.append(self.document().pageSize().width()))
    monkeypatch.setattr(Browser, "__init__", counting)

    topic = "core-global-frameworks"
    code, seen = started(f"topic:{topic}")
    headings = re.findall(r'<h[23][^>]* id="([^"]+)"', seen["window"].reader.html)
    heading = headings[len(headings) // 2]  # one in the middle of the page
    title = re.search(rf'<h[23][^>]* id="{heading}"[^>]*>(.*?)</h[23]>', seen["window"].reader.html).group(1)

    def heading_top(window):
        browser = window.reader.browser
        cursor = browser.document().find(html.unescape(re.sub("<[^>]+>", "", title)))
        return browser.verticalScrollBar().value(), browser.cursorRect(cursor).top(), browser.viewport().width()

    widths.clear()
    code, seen = started(f"topic:{topic}#{heading}", heading_top)
    scrolled, top, width = seen["looked"]
    assert code == 0 and scrolled > 0
    assert 0 <= top < 40, "the heading is the first line in sight"
    assert widths and set(widths) == {width}, "laid out only at the width it is shown at"


def test_a_page_that_fits_gives_back_the_room_its_scroll_bar_was_shown_with(started):
    def bar(window):
        browser = window.reader.browser
        return browser.verticalScrollBar().isVisible(), browser.viewport().width(), browser.width()

    code, seen = started("schedule", bar)  # a short page of the small pack
    visible, viewport, outer = seen["looked"]
    assert code == 0 and not visible
    assert outer - viewport < 10, "the text takes the scroll bar's room back"


def test_a_view_that_is_not_there_raises_before_the_window_shows(started):
    with pytest.raises(InputError, match="no topic 'nope'"):
        started("topic:nope")
    assert not started.opened[-1].isVisible()
