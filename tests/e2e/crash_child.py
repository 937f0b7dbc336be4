"""The child of tests/e2e/test_crash.py: saves answers as fast as it can.

It prints ``ready ID N`` once the database is open (N: the number stored
now), then, for each save, the number saved, after Workbook.save_answers
has returned (that is, after the commit was acknowledged). The parent kills
it with SIGKILL at a random moment.
"""
from __future__ import annotations

import sys
from pathlib import Path

from companion.workbook import Workbook


def main(data_dir: str, pack: str) -> None:
    book = Workbook(Path(data_dir), Path(pack))
    sheets = book.book.worksheets()
    sheet = sheets[0] if sheets else book.book.create_worksheet("plan", "crash test")
    current = book.book.worksheet(sheet.id).answers.get("title") or "0"
    number = int(current)
    out = sys.stdout
    out.write(f"ready {sheet.id} {number}\n")
    out.flush()
    while True:
        number += 1
        # a value of varying size, so that pages split, fill and the WAL checkpoints
        book.book.save_answers(sheet.id, {"title": str(number), "objective": "x" * (number * 37 % 5000),
                                     "activities": [{"activity": f"step {i}"} for i in range(number % 7)]})
        out.write(f"{number}\n")
        out.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
