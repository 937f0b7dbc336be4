"""The command line in the chosen language: --lang, else the data folder's, help texts included."""
from __future__ import annotations

from tests.e2e.conftest import one_line


def test_help_is_written_in_the_language_asked(run):
    shown = run("--lang", "qps", "export", "--help")
    assert shown.returncode == 0
    assert "[éxpöŕt wöŕkšhéétš" in shown.stdout  # the command's description
    assert "export worksheets" not in shown.stdout


def test_an_unknown_language_is_refused_in_one_line(run):
    result = run("--lang", "xx", "worksheets", "list")
    assert result.returncode == 2
    line = one_line(result)
    assert "'xx'" in line and "en, fr, es, pt, ar" in line


def test_commands_speak_the_language_kept_in_the_data_folder_unless_told_another(run, tmp_path):
    from companion.workbook import Workbook
    from tests.conftest import MINI_PACK

    book = Workbook(tmp_path / "home", MINI_PACK)
    book.set_preference("language", "qps")
    book.close()
    kept = one_line(run("worksheets", "show", "999"))
    assert kept.startswith("companion: [") and kept.endswith("]"), kept
    told = one_line(run("--lang", "en", "worksheets", "show", "999"))
    assert "[" not in told, told
