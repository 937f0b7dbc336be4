"""``companion search``: topics, glossary terms, worksheets and notes."""
from __future__ import annotations

import argparse

from companion.cli.common import EXIT_OK, Command, print_json, workbook
from companion.messages import t


def add_commands(command: Command) -> None:
    find = command("search", "find topics, glossary terms, your worksheets and your notes")
    find.add_argument("query", nargs="+", metavar="QUERY", help="words to find (accents and case do not matter)")
    find.add_argument("--limit", type=int, default=8, metavar="N", help="results of each kind (default 8)")
    find.add_argument("--json", action="store_true")


def cmd_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    book = workbook(args)
    results = book.search.find(query, per_kind=max(1, min(args.limit, 100)))
    if args.json:
        print_json([r.as_json() for r in results])
        return EXIT_OK
    if not results:
        print(t("search.nothing", query=query))
        return EXIT_OK
    kind = None
    for result in results:
        if result.kind != kind:
            kind = result.kind
            print(t(f"search.kind.{kind}"))
        link_kind, ident = result.link
        language = f" [{result.language}]" if result.language and result.language != book.content_language else ""
        print(f"  {result.plain_title()}{language}  ({link_kind}:{ident})")
        snippet = " ".join(result.marked(result.snippet, "[", "]").split())
        if snippet:
            print(f"      {snippet}")
    return EXIT_OK


HANDLERS = {("search", None): cmd_search}
