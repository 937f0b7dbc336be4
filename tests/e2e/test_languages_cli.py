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


def test_a_worksheet_handed_on_in_french_reads_with_spanish_labels_and_its_words_as_typed(run, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text('{"title": "Une seule porte à l\'annexe"}', encoding="utf-8")
    made = run("--lang", "fr", "worksheets", "new", "action-plan", "--title", "Plan de Mirazul", "--answers",
               str(answers), pack=None)
    assert made.returncode == 0, made.stderr
    assert "brouillon" in run("--lang", "fr", "worksheets", "list", pack=None).stdout
    share = tmp_path / "plan.mldshare"
    assert run("--lang", "fr", "export", "share", "1", "--out", str(share), pack=None).returncode == 0
    colleague = {"COMPANION_HOME": str(tmp_path / "colleague")}
    assert run("--lang", "es", "import", str(share), pack=None, env_extra=colleague).returncode == 0
    shown = run("--lang", "es", "worksheets", "show", "1", pack=None, env_extra=colleague).stdout
    assert shown.splitlines()[0].startswith("Plan de Mirazul  (Plan de acción, borrador, ")
    assert 'Título del plan: "Une seule porte à l\'annexe"' in shown
