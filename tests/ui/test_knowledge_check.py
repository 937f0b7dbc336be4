"""Key messages and a knowledge check, as a participant meets them in a topic."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import BUNDLED_PACK


def _home_percent(window, module_id: str) -> int:
    return next(m.percent for m in window.workbook.study.module_progress() if m.module_id == module_id)


def test_key_messages_open_the_topic_and_the_check_is_linked_at_its_end(make_window):
    window = make_window(pack=BUNDLED_PACK)
    window.open_link("topic", "core-why-local")
    text = window.reader.browser.toPlainText()
    check = window.workbook.pack.checks["core-why-local"]
    assert text.index("Key messages") < text.index(check.key_messages[0]) < text.index("Learning objectives")
    assert "check:core-why-local" in window.reader.browser.toHtml()


def test_a_check_answered_with_the_keyboard_counts_in_home_and_says_why(make_window, monkeypatch, qtbot):
    from companion.ui.views import check as check_view

    window = make_window(pack=BUNDLED_PACK)
    window.open_link("topic", "core-why-local")
    before = _home_percent(window, "core")
    seen = {}

    def answer_every_question(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        for box in dialog.questions:
            right = [o.id for o in box.question.options if o.correct]
            for option_id in right:  # reach each right option with the keyboard and tick it
                button = box.buttons[option_id]
                button.setFocus()
                qtbot.waitUntil(lambda b=button: QApplication.focusWidget() is b)
                qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
            box.check_button.setFocus()
            qtbot.waitUntil(lambda b=box.check_button: QApplication.focusWidget() is b)
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
            seen[box.question.id] = box.feedback.text()
        return 0

    monkeypatch.setattr(check_view.KnowledgeCheck, "exec", answer_every_question)
    window.open_link("check", "core-why-local")
    assert seen and all(text.startswith("Right.") for text in seen.values()), seen
    state = window.workbook.study.check("core-why-local")
    assert state.answered and state.right == len(state.questions)
    assert _home_percent(window, "core") > before
    window.show_home()
    assert "1 of 7 knowledge checks answered" in window.reader.browser.toPlainText()
