"""``companion --open VIEW``: a view that cannot be shown is one line and exit 2, before any window."""
from __future__ import annotations

from tests.e2e.conftest import one_line


def test_an_unknown_kind_of_view_is_refused_before_anything_opens(run):
    for view in ("nowhere", "topic:", "worksheet:first", "followup:x", "home:extra"):
        result = run("--open", view, display=False)  # refused before it even looks for a display
        assert result.returncode == 2, view
        assert "--open should be home, glossary" in one_line(result)


def test_a_topic_or_worksheet_that_is_not_there_is_refused_before_the_window_shows(run):
    result = run("--open", "topic:nope")
    assert result.returncode == 2 and "no topic 'nope'" in one_line(result)
    result = run("--open", "worksheet:77")
    assert result.returncode == 2 and "77" in one_line(result)


def test_the_option_is_in_the_help(run):
    result = run("--help")
    assert "--open VIEW" in result.stdout and "worksheet:ID" in result.stdout
