"""Key messages and knowledge checks: one file per topic, ``checks/<topic-id>.yaml``.

::

    topic: core-why-local
    key_messages:            # three to five short sentences, shown as the topic opens
      - ...
    questions:               # three to five, shown at the topic's end
      - id: places
        kind: single         # single: exactly one right option; multiple: one or more
        text: The question?
        options:
          - id: a
            text: The option.
            correct: true
            feedback: Why this option is right or wrong.

Ids of questions and options never change once a pack is given out: a
participant's answers are kept by them, in every language.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from companion import yamlfile
from companion.errors import Problem
from companion.messages import t
from companion.worksheets.template import ID_RE

KINDS = ("single", "multiple")


class Option(NamedTuple):
    id: str
    text: str
    correct: bool
    feedback: str


class Question(NamedTuple):
    id: str
    kind: str
    text: str
    options: tuple[Option, ...]

    def right_options(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)

    def is_right(self, chosen: set[str] | frozenset[str] | list[str]) -> bool:
        return frozenset(chosen) == self.right_options()

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class Check(NamedTuple):
    topic_id: str
    key_messages: tuple[str, ...]
    questions: tuple[Question, ...]
    path: Path

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


def _text(data: Any, key: str) -> str:
    value = data.get(key) if isinstance(data, dict) else None
    return "" if value is None else str(value).strip()


def parse_check(data: Any, path: Path) -> tuple[Check | None, list[Problem]]:
    """A check file's content, with every problem found (file and line)."""
    problems: list[Problem] = []

    def problem(container: Any, message: str, key: Any = None) -> None:
        problems.append(Problem(path, yamlfile.line_of(container, key), message))

    if not isinstance(data, dict):
        problem(data, t("yaml.not_mapping"))
        return None, problems
    topic_id = _text(data, "topic")
    if not topic_id:
        problem(data, t("field.missing", key="topic"))
    messages = data.get("key_messages")
    if not isinstance(messages, list) or not 3 <= len(messages) <= 5 or not all(
            isinstance(m, str) and m.strip() for m in messages):
        problem(data, t("check.key_messages"), "key_messages")
        messages = [m for m in messages if isinstance(m, str)] if isinstance(messages, list) else []
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not 3 <= len(raw_questions) <= 5:
        problem(data, t("check.question_count"), "questions")
        raw_questions = raw_questions if isinstance(raw_questions, list) else []
    questions: list[Question] = []
    for raw in raw_questions:
        question = _question(raw, problem)
        if question is None:
            continue
        if any(q.id == question.id for q in questions):
            problem(raw, t("id.duplicate", kind=t("word.question"), id=question.id, other=path.name), "id")
            continue
        questions.append(question)
    check = Check(topic_id, tuple(m.strip() for m in messages), tuple(questions), path)
    return check, problems


def _question(raw: Any, problem) -> Question | None:
    if not isinstance(raw, dict):
        problem(raw, t("yaml.not_mapping"))
        return None
    ident, kind, text = _text(raw, "id"), _text(raw, "kind"), _text(raw, "text")
    if not ident or not ID_RE.match(ident):
        problem(raw, t("id.bad", id=ident), "id")
    if kind not in KINDS:
        problem(raw, t("check.kind", kind=kind), "kind")
    if not text:
        problem(raw, t("field.missing", key="text"), "text")
    options: list[Option] = []
    raw_options = raw.get("options")
    if not isinstance(raw_options, list) or len(raw_options) < 2:
        problem(raw, t("check.options", id=ident), "options")
        raw_options = raw_options if isinstance(raw_options, list) else []
    for entry in raw_options:
        if not isinstance(entry, dict):
            problem(raw_options, t("yaml.not_mapping"))
            continue
        option = Option(_text(entry, "id"), _text(entry, "text"), entry.get("correct") is True,
                        _text(entry, "feedback"))
        if not option.id or any(o.id == option.id for o in options):
            problem(entry, t("check.option_id", id=ident, option=option.id), "id")
            continue
        for key in ("text", "feedback"):
            if not _text(entry, key):
                problem(entry, t("field.missing", key=key), key)
        options.append(option)
    right = sum(o.correct for o in options)
    if (kind == "single" and right != 1) or (kind == "multiple" and right < 1):
        problem(raw, t("check.right_count", id=ident, kind=kind, count=right), "options")
    return Question(ident, kind, text, tuple(options))


def load_checks(folder: Path, problems: list[Problem], read) -> dict[str, Check]:
    """Every ``checks/*.yaml`` of a pack, by topic id; ``read(path)`` gives a
    file's loaded YAML (city references resolved) or None."""
    checks: dict[str, Check] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        data = read(path)
        if data is None:
            continue
        check, found = parse_check(data, path)
        problems.extend(found)
        if check is None or not check.topic_id:
            continue
        if check.topic_id != path.stem:
            problems.append(Problem(path, yamlfile.line_of(data, "topic"),
                                    t("check.file_name", topic=check.topic_id, stem=path.stem)))
        if check.topic_id in checks:
            problems.append(Problem(path, 1, t("id.duplicate", kind=t("word.check"), id=check.topic_id,
                                               other=checks[check.topic_id].path.name)))
            continue
        checks[check.topic_id] = check
    return checks
