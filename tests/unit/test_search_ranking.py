"""A word found in hundreds of worksheets: the best come first, as many as asked, with their
snippets; SQLite ranks every match and only the best are read and made into results."""
from __future__ import annotations

import random
import sqlite3

import pytest

from companion.folding import fold, folds_evenly
from companion.workbook import Workbook
from companion.workbook import search_text
from companion.workbook.search_text import snippet
from tests.conftest import MINI_PACK

WORD = "remessas"


@pytest.fixture
def crowded(workbook):
    """260 worksheets: 240 hold the word (0 to 6 times, in texts of different lengths, a few
    in their title only), 20 do not; some are exact copies of others (equal scores)."""
    rnd = random.Random(11)
    filler = "balcão único de informação para a diáspora e o município".split()
    made = []
    for n in range(260):
        times = 0 if n >= 240 else rnd.randint(0, 6)
        words = [rnd.choice(filler) for _ in range(rnd.randint(5, 400))] + ["Remessas"] * times
        rnd.shuffle(words)
        title = f"Plano {n}" + (" das remessas" if n % 37 == 0 else "")
        if n % 50 == 7 and made:
            title, objective = made[-1][1], made[-1][2]  # a copy of the one before
        else:
            objective = " ".join(words)
        made.append((workbook.book.create_worksheet("plan", title, {"objective": objective}).id, title, objective))
    workbook.search.prepare()
    return workbook, made


def _ranked_by_fts5(workbook, query: str) -> list[tuple[str, float]]:
    """Every matching worksheet in the order of FTS5's own rank column, with its score."""
    conn = sqlite3.connect(workbook._db.path)
    try:
        return [(str(rowid), -rank) for rowid, rank in conn.execute(
            "SELECT rowid, rank FROM search_worksheets WHERE search_worksheets MATCH ? ORDER BY rank",
            (search_text.fts_query(query),))]
    finally:
        conn.close()


def test_a_common_word_gives_the_best_worksheets_first_and_as_many_as_asked(crowded):
    workbook, made = crowded
    everything = _ranked_by_fts5(workbook, WORD)
    holding = {str(i) for i, title, objective in made if WORD in fold(f"{title} {objective}")}
    assert {ref for ref, _ in everything} == holding and len(holding) > 200
    for per_kind in (1, 8, 100):
        found = [r for r in workbook.search.find(WORD, per_kind=per_kind) if r.kind == "worksheet"]
        assert [(r.id, r.score) for r in found] == everything[:per_kind]
    rare = [r for r in workbook.search.find("Plano 25", per_kind=100) if r.kind == "worksheet"]
    assert {r.plain_title() for r in rare} == {"Plano 25"} | {t for _, t, _ in made if t.startswith("Plano 25")}


def test_worksheets_with_equal_scores_come_in_the_order_they_were_made(crowded):
    workbook, made = crowded
    found = [r.id for r in workbook.search.find(WORD, per_kind=100) if r.kind == "worksheet"]
    scores = dict(_ranked_by_fts5(workbook, WORD))
    ties = [(a, b) for a, b in zip(found, found[1:]) if scores[a] == scores[b]]
    assert ties and all(int(a) < int(b) for a, b in ties)


def test_each_result_s_snippet_shows_the_word_or_the_start_of_a_worksheet_found_by_its_title(crowded):
    workbook, made = crowded
    objectives = {str(i): objective for i, _, objective in made}
    for result in workbook.search.find(WORD, per_kind=100):
        if result.kind != "worksheet":
            continue
        text = objectives[result.id]
        if WORD in fold(text):
            assert "\x02Remessas\x03" in result.snippet
        else:
            assert "\x02" not in result.snippet and text.startswith(result.snippet.rstrip("…"))


def test_the_rank_a_table_was_made_with_orders_the_results(crowded):
    workbook, _ = crowded
    assert workbook.search.index._rank("search_worksheets") == \
        "bm25(search_worksheets, 0.0, 0.0, 6.0, 1.0, 0.0, 0.0, 0.0)"
    path = workbook._db.path
    for setting, expected in [("bm25()", "bm25(search_worksheets)"), ("bm25(2, 1)", "bm25(search_worksheets, 2, 1)"),
                              ("bm25(NULL, 1)", "rank")]:  # a setting not read as bm25 and numbers: by rank
        workbook.close()
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("INSERT INTO search_worksheets (search_worksheets, rank) VALUES ('rank', ?)", (setting,))
        conn.close()
        workbook = Workbook(workbook.data_dir, MINI_PACK)
        try:
            assert workbook.search.index._rank("search_worksheets") == expected
            found = [(r.id, r.score) for r in workbook.search.find(WORD, per_kind=30) if r.kind == "worksheet"]
            assert found == _ranked_by_fts5(workbook, WORD)[:30], setting
        finally:
            workbook.close()


def test_a_long_text_given_folded_has_only_the_words_shown_folded(monkeypatch):
    folded_lengths = []
    real = search_text.folded_with_positions
    monkeypatch.setattr(search_text, "folded_with_positions",
                        lambda text: folded_lengths.append(len(text)) or real(text))
    text = "balcão único " * 20_000 + "Remessas enviadas " + "balcão único " * 20_000
    shown = snippet(text, WORD, folded=fold(text))
    assert "\x02Remessas\x03 enviadas" in shown and sum(folded_lengths) < 200
    folded_lengths.clear()
    assert snippet(text, "nowhere", folded=fold(text)) == "balcão único " * 6 + "balcão único…"
    assert sum(folded_lengths) < 200


def test_a_text_folds_evenly_when_each_character_folds_to_one_in_its_place():
    assert folds_evenly("") and folds_evenly("Plain ASCII") and folds_evenly("Migração, coopération, بلدية")
    assert not folds_evenly("straße")  # ß folds to two letters
    assert not folds_evenly("يوماً")  # the tanween goes
    assert not folds_evenly("a\u0301")  # a combining accent goes
    assert not folds_evenly("\u05d1\u05b0")  # a Hebrew point stays but folding may move it
