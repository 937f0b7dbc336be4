"""A participant's worksheet as the layers pass it around."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DRAFT = "draft"
COMPLETE = "complete"


@dataclass
class Worksheet:
    id: int
    uid: str
    template_id: str
    template_version: int
    title: str
    status: str
    created_at: str
    updated_at: str
    answers: dict[str, Any] = field(default_factory=dict)
