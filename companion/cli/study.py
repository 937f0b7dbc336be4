"""``companion progress ...`` and ``companion notes ...``: how far you have
come, topics read, notes and bookmarks."""
from __future__ import annotations

import argparse

from companion.cli.common import EXIT_OK, Command, print_json, workbook
from companion.errors import InputError
from companion.messages import t


def add_commands(command: Command) -> None:
    progress = command("progress", "how far you have come in the course").add_subparsers(
        dest="action", required=True)
    show = command("show", "modules, topics read, where you left off and the next step", progress)
    show.add_argument("--json", action="store_true")
    read = command("read", "mark a topic as read (or --undo)", progress)
    read.add_argument("topic", metavar="TOPIC_ID")
    read.add_argument("--undo", action="store_true", help="mark it as not read")

    notes = command("notes", "your notes on topics and your bookmarks").add_subparsers(
        dest="action", required=True)
    listing = command("list", "list your notes and bookmarks", notes)
    listing.add_argument("--json", action="store_true")
    write = command("set", "write your note on a topic (empty text removes it)", notes)
    write.add_argument("topic", metavar="TOPIC_ID")
    write.add_argument("text")
    checks = command("checks", "the key messages and knowledge check of a topic").add_subparsers(
        dest="action", required=True)
    shown = command("show", "a topic's key messages and questions, with your answers", checks)
    shown.add_argument("topic", metavar="TOPIC_ID")
    shown.add_argument("--json", action="store_true")
    answer = command("answer", "answer one question: the option ids you choose", checks)
    answer.add_argument("topic", metavar="TOPIC_ID")
    answer.add_argument("question", metavar="QUESTION_ID")
    answer.add_argument("options", nargs="+", metavar="OPTION_ID")
    answer.add_argument("--json", action="store_true")
    mark = command("bookmark", "bookmark a topic (or --remove)", notes)
    mark.add_argument("topic", metavar="TOPIC_ID")
    mark.add_argument("--remove", action="store_true")


def cmd_progress_show(args: argparse.Namespace) -> int:
    overview = workbook(args).study.overview()
    data = {
        "topics_read": overview.read, "topics": overview.topics,
        "modules": [{"id": m.module_id, "title": m.title, "percent": m.percent, "topics_read": m.topics_read,
                     "topics": m.topics, "worksheets_started": m.worksheets_started, "worksheets": m.worksheets,
                     "checks_answered": m.checks_answered, "checks": m.checks}
                    for m in overview.modules],
        "last_opened": overview.last and {"kind": overview.last.kind, "id": overview.last.id,
                                          "title": overview.last.title},
        "next_step": overview.next_step and {"kind": overview.next_step.kind, "id": overview.next_step.id,
                                             "title": overview.next_step.title},
        "due": [{"kind": d.kind, "date": d.date, "worksheet": d.worksheet_id, "text": d.text, "late": d.late}
                for d in overview.due],
    }
    if args.json:
        print_json(data)
        return EXIT_OK
    for m in overview.modules:
        print(t("progress.module", title=m.title, percent=m.percent, read=m.topics_read, topics=m.topics,
                started=m.worksheets_started, worksheets=m.worksheets))
    if overview.last:
        print(t("progress.last", title=overview.last.title))
    if overview.next_step:
        print(t("progress.next", title=overview.next_step.title))
    for d in overview.due:
        print(_due_text(d))
    return EXIT_OK


def _due_text(d) -> str:
    key = "followup.due_checkin" if d.kind == "checkin" else "followup.due_overdue"
    return t(key, date=d.date, title=d.worksheet_title, text=d.text)


def cmd_progress_read(args: argparse.Namespace) -> int:
    book = workbook(args)
    study = book.study
    study.mark_read(args.topic, read=not args.undo)
    title = book.pack.topic(args.topic).title
    print(t("progress.unread" if args.undo else "progress.read", title=title))
    return EXIT_OK


def cmd_notes_list(args: argparse.Namespace) -> int:
    book = workbook(args)
    study = book.study
    notes, bookmarks = study.notes(), study.bookmarks()
    if args.json:
        print_json({
            "notes": [{"kind": n.kind, "id": n.target_id, "title": n.title, "module": n.module, "text": n.body,
                       "updated": n.updated_at, "bookmarked": n.bookmarked} for n in notes],
            "bookmarks": [{"id": b.topic_id, "title": b.title, "module": b.module, "created": b.created_at}
                          for b in bookmarks]})
        return EXIT_OK
    if not notes and not bookmarks:
        print(t("notes.none"))
    for b in bookmarks:
        print(f"* {b.title}  (topic:{b.topic_id})")
    for n in notes:
        print(f"{n.title}  (topic:{n.target_id}, {n.updated_at[:16].replace('T', ' ')})")
        for line in n.body.splitlines():
            print(f"    {line}")
    return EXIT_OK


def cmd_notes_set(args: argparse.Namespace) -> int:
    book = workbook(args)
    study = book.study
    study.save_note(args.topic, args.text)
    title = book.pack.topic(args.topic).title
    print(t("notes.saved" if args.text.strip() else "notes.removed", title=title))
    return EXIT_OK


def cmd_notes_bookmark(args: argparse.Namespace) -> int:
    book = workbook(args)
    study = book.study
    study.set_bookmark(args.topic, not args.remove)
    title = book.pack.topic(args.topic).title
    print(t("notes.unbookmarked" if args.remove else "notes.bookmarked", title=title))
    return EXIT_OK


def _question_json(state) -> dict:
    question = state.question
    return {"id": question.id, "kind": question.kind, "text": question.text, "chosen": state.chosen,
            "right": state.right, "answered_at": state.answered_at or None,
            "options": [{"id": o.id, "text": o.text, **({"correct": o.correct, "feedback": o.feedback}
                                                       if state.right is not None else {})} for o in question.options]}


def cmd_checks_show(args: argparse.Namespace) -> int:
    state = workbook(args).study.check(args.topic)
    if state is None:
        raise InputError(t("checks.none"))
    if args.json:
        print_json({"topic": state.topic_id, "key_messages": list(state.key_messages),
                    "answered": state.answered, "right": state.right,
                    "questions": [_question_json(q) for q in state.questions]})
        return EXIT_OK
    print(t("checks.key_messages"))
    for message in state.key_messages:
        print(f"  - {message}")
    print(t("checks.title"))
    for q in state.questions:
        verdict = t("checks.not_answered") if q.right is None else t("checks.right" if q.right else "checks.wrong")
        print(f"  [{q.question.id}] {q.question.text}  ({verdict})")
        for option in q.question.options:
            mark = "x" if option.id in q.chosen else " "
            print(f"      [{mark}] {option.id}. {option.text}")
    return EXIT_OK


def cmd_checks_answer(args: argparse.Namespace) -> int:
    state = workbook(args).study.answer_question(args.topic, args.question, args.options)
    if args.json:
        print_json(_question_json(state))
        return EXIT_OK
    print(t("checks.right" if state.right else "checks.wrong"))
    for option in state.question.options:
        if option.id in state.chosen or option.correct:
            print(f"  {option.id}. {option.feedback}")
    return EXIT_OK


HANDLERS = {
    ("progress", "show"): cmd_progress_show,
    ("progress", "read"): cmd_progress_read,
    ("notes", "list"): cmd_notes_list,
    ("notes", "set"): cmd_notes_set,
    ("notes", "bookmark"): cmd_notes_bookmark,
    ("checks", "show"): cmd_checks_show,
    ("checks", "answer"): cmd_checks_answer,
}
