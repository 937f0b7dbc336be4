"""A participant's worksheet as the layers pass it around."""
from __future__ import annotations

from typing import Any

DRAFT = "draft"
COMPLETE = "complete"


class Worksheet:
    """One worksheet: its row in the workbook, and its answers once read. A plain class, not a
    dataclass: it is made at every start-up, and a dataclass costs about a millisecond to make."""

    FIELDS = ("id", "uid", "template_id", "template_version", "title", "status", "created_at", "updated_at",
              "answers")
    __slots__ = FIELDS + ("__weakref__",)
    __hash__ = None  # changes as it is edited: never a key

    def __init__(self, id: int, uid: str, template_id: str, template_version: int,  # noqa: A002
                 title: str, status: str, created_at: str, updated_at: str,
                 answers: dict[str, Any] | None = None) -> None:
        self.id, self.uid, self.template_id, self.template_version = id, uid, template_id, template_version
        self.title, self.status, self.created_at, self.updated_at = title, status, created_at, updated_at
        self.answers = {} if answers is None else answers

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        return self._values() == other._values() if type(other) is Worksheet else NotImplemented

    def __repr__(self) -> str:
        return "Worksheet(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS) + ")"
