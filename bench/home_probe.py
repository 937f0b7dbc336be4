"""The home view, timed the first time a process shows it.

    python bench/home_probe.py DATA_DIR

The window is built as the app builds it (make_app, the workbook with its
pack and database open, MainWindow), except that it opens on a topic: its
constructor's call of ``show_home`` is skipped and the first topic is opened
instead, and the window is shown. Then Home is opened as from the tree
(``open_link("home")``) and timed until the page is set and painted (one
pass of the event loop): the first Home of the process. Nothing of the home page was computed before in this process: the
worksheets listed, each one's completion (read from the database's kept
completions, or worked out when none is kept), the overview, the HTML and
its layout. Then a topic is opened and Home shown again (the figure the
benchmark used to report: everything cached). Prints one JSON line.
"""
import json
import sys
import time


def main() -> int:
    from companion.ui.app import _reader_css, make_app
    from companion.ui.main_window import MainWindow
    from companion.workbook import Workbook

    app = make_app()
    workbook = Workbook.open(sys.argv[1])
    workbook.pack  # noqa: B018 - loaded at start-up before any view
    workbook.open_database()
    show_home = MainWindow.show_home
    MainWindow.show_home = lambda self: None
    try:
        window = MainWindow(workbook, _reader_css())
        topic = next(t for t in workbook.pack.topics())
        window.open_link("topic", topic.id)
    finally:
        MainWindow.show_home = show_home
    window.show()
    app.processEvents()
    start = time.perf_counter()
    window.open_link("home", "")
    app.processEvents()
    first = time.perf_counter() - start
    window.open_link("topic", topic.id)
    app.processEvents()
    start = time.perf_counter()
    window.open_link("home", "")
    app.processEvents()
    again = time.perf_counter() - start
    worksheets = len(workbook.book.worksheets())
    window.close()
    workbook.close()
    print(json.dumps({"first_s": first, "again_s": again, "worksheets": worksheets}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
