"""The course city's figures quoted by reference, and knowledge checks as pack content."""
from __future__ import annotations

from pathlib import Path

from companion.content.pack import load_pack
from companion.content.validate import check_loaded
from tests.conftest import BUNDLED_PACK

CITY = """---
id: city
title: Riverton, the course city
city:
  plan.people:
    value: "1,500"
    label: people given information and a referral by the centre by the end of the plan
  plan.end:
    value: 30 June 2028
    label: end of the action plan
---

Riverton's plan reaches {{city:plan.people}} people by {{city:plan.end}}.
"""

CHECK = """topic: core-why-local
key_messages:
  - Migration happens in a place.
  - Cities respond first.
  - Plans need figures from {{city:plan.people}} people.
questions:
  - id: where
    kind: single
    text: Where is migration felt first?
    options:
      - {id: a, text: In the streets of a city, correct: true, feedback: "Yes, people live it locally."}
      - {id: b, text: Only in ministries, correct: false, feedback: Ministries write rules; people live in places.}
  - id: who
    kind: multiple
    text: Who acts locally?
    options:
      - {id: a, text: The city, correct: true, feedback: It runs services.}
      - {id: b, text: Associations, correct: true, feedback: They reach people.}
      - {id: c, text: Nobody, correct: false, feedback: Many act.}
  - id: when
    kind: single
    text: When does the plan end?
    options:
      - {id: a, text: "{{city:plan.end}}", correct: true, feedback: As the city file says.}
      - {id: b, text: Never, correct: false, feedback: A plan has an end.}
"""


def _pack(mini_pack: Path, topic_text: str = "", check: str = CHECK) -> Path:
    (mini_pack / "pages" / "city.md").write_text(CITY, encoding="utf-8")
    (mini_pack / "checks").mkdir(exist_ok=True)
    (mini_pack / "checks" / "core-why-local.yaml").write_text(check, encoding="utf-8")
    topic = mini_pack / "modules" / "core" / "01-why-local.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace(
        "- Explain Why local.", "- Explain Why local.\n\n" + topic_text), encoding="utf-8")
    return mini_pack


def test_city_references_are_replaced_everywhere_when_the_pack_loads(mini_pack):
    loaded = load_pack(_pack(mini_pack, "In Riverton the centre serves {{city:plan.people}} people."))
    assert check_loaded(loaded) == []
    pack = loaded.pack
    assert "serves 1,500 people" in pack.topic("core-why-local").body
    assert "reaches 1,500 people by 30 June 2028" in pack.pages["city"].body
    check = pack.checks["core-why-local"]
    assert check.key_messages[2] == "Plans need figures from 1,500 people."
    assert check.question("when").option("a").text == "30 June 2028"


def test_an_unknown_reference_and_a_planted_contradiction_are_reported_with_their_line(mini_pack):
    loaded = load_pack(_pack(mini_pack, "In Riverton the centre gives information and a referral to\n"
                                        "1,200 people by the end of the plan. See {{city:plan.budget}}."))
    problems = [str(p) for p in check_loaded(loaded)]
    assert any("01-why-local.md:14:" in p and "'1,200 people'" in p and "plan.people" in p for p in problems), problems
    assert any("01-why-local.md:14:" in p and "no figure 'plan.budget'" in p for p in problems), problems


def test_a_check_with_two_right_answers_to_a_single_question_is_reported(mini_pack):
    broken = CHECK.replace("feedback: Ministries write rules; people live in places.}",
                           "feedback: Ministries write rules.}").replace(
        "{id: b, text: Only in ministries, correct: false", "{id: b, text: Only in ministries, correct: true")
    problems = [str(p) for p in check_loaded(load_pack(_pack(mini_pack, check=broken)))]
    assert any("core-why-local.yaml" in p and "'where' (single) has 2 right option(s)" in p for p in problems), problems


def test_the_english_pack_quotes_its_city_and_every_topic_has_key_messages_and_a_check():
    loaded = load_pack(BUNDLED_PACK)
    assert check_loaded(loaded) == []
    pack = loaded.pack
    assert pack.city and pack.city_page
    topics = list(pack.topics())
    assert {tp.id for tp in topics} == set(pack.checks)
    for check in pack.checks.values():
        assert 3 <= len(check.key_messages) <= 5 and 3 <= len(check.questions) <= 5
    assert all(tp.reading in ("essential", "optional") for tp in topics)
    assert not any("{{city:" in tp.body for tp in topics)


def test_a_count_before_a_colon_is_not_taken_for_a_figure_named_after_it():
    from companion.content.city import Figure, literal_figures

    city = {"assessed": Figure("assessed", "150", "personnes de retour évaluées via l'Office régional de l'emploi", 1)}
    listed = "À Mirazul, un groupe de 12 personnes : membres, personnes de retour, l'Office de l'emploi.\n"
    assert literal_figures(listed, city, "Mirazul") == []
    stale = "À Mirazul, 120 personnes de retour ont été évaluées par l'Office de l'emploi.\n"
    assert [(f.key, written) for f, written, _line in literal_figures(stale, city, "Mirazul")] == \
        [("assessed", "120 personnes")]
