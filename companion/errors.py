"""The errors and problems the layers below the UI report to a person."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class CompanionError(Exception):
    """An error whose message is fit to show a person as it is."""


class ContentError(CompanionError):
    """A content pack cannot be used."""


class InputError(CompanionError):
    """Something the person gave (an id, a file, answers) is not acceptable."""


class StorageError(CompanionError):
    """The data folder or database cannot be used."""


class Problem(NamedTuple):
    """One problem in a content pack, at a file and line."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"
