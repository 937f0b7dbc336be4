"""The window in every language: each view walked in the pseudo-language and
in Arabic, failing on a text of the interface left untranslated or cut; in
Arabic the window mirrored; a worksheet shared from a French window read in
a Spanish one; the language chosen kept in the data folder."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTableWidget, QTreeView

from companion import messages
from tests.conftest import BUNDLED_PACK
from tests.ui import languages

VIEWS = ("home", "glossary", "schedule", "bin", "notes", "topic:{topic}", "template:action-plan",
         "example:stakeholder-map", "worksheet:{plan}", "followup:{plan}", "search:migration")


@pytest.fixture
def language(qtbot):
    """Apply a language to the application for one test; English again after it."""
    from companion.ui import translator
    from companion.ui.app import make_app

    app = make_app()
    before = QLocale()

    def apply(code: str) -> str:
        return translator.apply(code, app)

    yield apply
    translator.apply("en", app)
    QLocale.setDefault(before)


@pytest.fixture
def walk(make_window, tmp_path):
    """The window on the real course content, with an action plan filled from its worked example."""
    from companion.workbook import Workbook

    def start():
        book = Workbook(tmp_path / "data", BUNDLED_PACK)
        template = book.template("action-plan")
        plan = book.book.create_worksheet("action-plan", "Plan d'action de Mirazul", template.example).id
        book.book.set_profile(book.book.profile())
        book.close()
        window = make_window(tmp_path / "data", BUNDLED_PACK)
        topic = next(window.workbook.pack.topics()).id
        content = languages.content_texts(window.workbook.pack, template.example, "Plan d'action de Mirazul")
        return window, [view.format(topic=topic, plan=plan) for view in VIEWS], content
    return start


def _walk(window, views, content, code, qtbot):
    untranslated, cut = [], []
    for view in views:
        window.navigate(view)
        qtbot.wait(30)
        written = view in ("home", "notes", "glossary")  # pages the window writes around the course's texts
        texts = languages.shown_texts(window, window.reader.browser if written else None)
        found = languages.cut(texts)
        settled = time.monotonic() + 3
        while found and time.monotonic() < settled:
            # a wrapping check box takes the height its width needs one layout pass after it is
            # shown, which a loaded machine may not have run yet: a text really cut stays cut
            qtbot.wait(50)
            texts = languages.shown_texts(window, window.reader.browser if written else None)
            found = languages.cut(texts)
        untranslated += [f"{view}: {p}" for p in languages.untranslated(texts, content, code)]
        cut += [f"{view}: {p}" for p in found]
    from companion.ui.views.profile import ProfileDialog

    dialog = ProfileDialog(window.workbook.book.profile(), window)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = languages.shown_texts(dialog)[1:] + [(dialog.windowTitle(), None, "dialog title")]
    untranslated += [f"profile: {p}" for p in languages.untranslated(texts, content, code)]
    cut += [f"profile: {p}" for p in languages.cut(texts)]
    dialog.close()
    return sorted(set(untranslated)), sorted(set(cut))


def test_every_view_in_the_pseudo_language_is_translated_and_uncut(language, walk, qtbot):
    language("qps")
    window, views, content = walk()
    untranslated, cut = _walk(window, views, content, "qps", qtbot)
    assert untranslated == [], f"{len(untranslated)} texts not through the catalogue:\n" + "\n".join(untranslated)
    assert cut == [], f"{len(cut)} texts cut:\n" + "\n".join(cut)


def test_every_view_in_arabic_is_translated_uncut_and_mirrored(language, walk, qtbot):
    language("ar")
    window, views, content = walk()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    untranslated, cut = _walk(window, views, content, "ar", qtbot)
    window.navigate(views[VIEWS.index("worksheet:{plan}")])
    qtbot.wait(30)
    form = window.worksheet_view
    mirrored = [window, window.nav, form, *form.findChildren(QTableWidget), *languages.item_views(window)]
    from companion.ui.widgets.charts import ChartWidget

    charts = form.findChildren(ChartWidget)
    assert charts, "the action plan shows its timeline"
    assert all(w.isRightToLeft() for w in mirrored + charts)
    assert isinstance(window.nav, QTreeView) and window.nav.isRightToLeft()
    # the tree's rows start at the right: the first column's text is drawn near the right edge
    rect = window.nav.visualRect(window.nav.model().index(0, 0))
    assert rect.right() > window.nav.viewport().width() - 40
    assert untranslated == [], f"{len(untranslated)} texts left in English:\n" + "\n".join(untranslated)
    assert cut == [], f"{len(cut)} texts cut:\n" + "\n".join(cut)


def test_charts_are_drawn_mirrored_in_arabic(language, qtbot):
    """The timeline's bars start from the right in a right-to-left window."""
    from companion.ui.widgets.charts import ChartWidget
    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QWidget

    language("ar")
    holder = QWidget()
    qtbot.addWidget(holder)
    chart = ChartWidget.__new__(ChartWidget)
    QWidget.__init__(chart, holder)
    chart.resize(400, 100)
    assert chart.isRightToLeft()
    assert chart.mirrored(QRectF(10, 5, 50, 10)) == QRectF(340, 5, 50, 10)
    chart.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    assert chart.mirrored(QRectF(10, 5, 50, 10)) == QRectF(10, 5, 50, 10)


def test_the_language_chosen_is_kept_and_the_window_opens_again_in_it(language, make_window, qtbot):
    language("en")
    window = make_window()
    assert window.language_ui.language_actions["en"].isChecked()
    window.language_ui.language_actions["fr"].trigger()
    assert window.workbook.preference("language") == "fr"
    assert window.restart_language == "fr" and not window.isVisible()


def test_the_window_says_which_language_the_course_content_is_in(language, make_window):
    language("es")
    window = make_window()
    shown = window.language_ui.content_label.text()
    assert shown == window.language_ui.tr("Course content in %s: there is none in %s yet") % (
        window.language_ui.names()["en"], window.language_ui.names()["es"])


def test_a_worksheet_shared_from_a_french_window_opens_in_a_spanish_one(language, make_window, tmp_path, qtbot,
                                                                       monkeypatch):
    """The share file carries the answers as typed; the Spanish window shows them
    with its own labels, and its PDF's labels are Spanish."""
    language("fr")
    french = make_window(tmp_path / "fr")
    typed = {"objective": "Ouvrir un guichet unique à Mirazul — « accueil » ; 2 500 €"}
    sheet = french.workbook.book.create_worksheet("plan", "Plan français", typed)
    shared = tmp_path / "plan.mldshare"
    french.workbook.sharing.export_share([sheet.id], shared)

    language("es")
    spanish = make_window(tmp_path / "es")
    from companion.ui import dialogs

    monkeypatch.setattr(dialogs.QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(shared)], ""))
    said = []
    monkeypatch.setattr(dialogs.QMessageBox, "exec", lambda box: said.append(box.text()) or 0)
    spanish.sharing_ui.import_action.trigger()
    (imported,) = spanish.workbook.book.worksheets()
    spanish.open_worksheet(imported.id)
    qtbot.wait(30)
    view = spanish.worksheet_view
    assert spanish.workbook.book.worksheet(imported.id).answers["objective"] == typed["objective"]
    shown = [e.text() for e in view.findChildren(QLineEdit) if e.text()] + [
        e.toPlainText() for e in view.findChildren(QPlainTextEdit) if e.toPlainText()]
    assert typed["objective"] in shown, shown  # the answer as typed, in its own words
    # the Spanish window's own words: its menus, the form's buttons and the import's summary
    for english, seen in (("&Export worksheet to PDF…", spanish.sharing_ui.export_action.text()),
                          ("%d imported, %d already here, %d refused.", None)):
        with messages.in_language("es"):
            assert messages.is_translated(english), english
            spanish_text = messages.gettext(english)
        assert seen in (None, spanish_text)
    assert said and said[0] == messages.gettext("%d imported, %d already here, %d refused.") % (1, 0, 0)
    job = spanish.workbook.sharing.prepare_pdf([imported.id])
    assert job.labels == "es"  # and a PDF exported from here has Spanish labels


def test_the_course_content_follows_the_window_and_an_untranslated_topic_says_so(language, qtbot, tmp_path):
    from companion.ui.app import _window

    for code, topic, shown in (("fr", "core-why-local", "Pourquoi la migration est une question locale"),
                               ("es", "m4-remittances-inclusion", "Remesas"),
                               ("ar", "core-why-local", "لماذا")):
        window = _window(tmp_path / code, lang=code)  # --lang, nothing kept yet
        qtbot.addWidget(window)
        try:
            assert window.workbook.pack.language == code
            window.navigate(f"topic:{topic}")
            assert shown in window.reader.browser.toPlainText()
            if code == "ar":
                window.navigate("topic:m1-local-development")  # the Arabic pack has the core module only
                text = window.reader.browser.toPlainText()
                assert "What local development means" in text
                assert window.workbook.pack.language_of("topic", "m1-local-development") == "en"
                notice = messages.t("translation.not_translated", language=messages.t("translation.language.en"))
                assert notice in text
        finally:
            window.workbook.close()
