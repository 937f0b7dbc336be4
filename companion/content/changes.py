"""What changes between two versions of a content pack: worksheets added,
removed or changed (fields and their shapes), topics and files."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.content.pack import Pack
from companion.messages import t

@dataclass
class WorksheetChange:
    id: str
    title: str
    old_version: int
    new_version: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass
class PackDiff:
    old_version: str
    new_version: str
    new_topics: list[tuple[str, str]] = field(default_factory=list)
    changed_topics: list[tuple[str, str]] = field(default_factory=list)
    removed_topics: list[tuple[str, str]] = field(default_factory=list)
    new_worksheets: list[tuple[str, str]] = field(default_factory=list)
    changed_worksheets: list[WorksheetChange] = field(default_factory=list)
    removed_worksheets: list[tuple[str, str]] = field(default_factory=list)
    glossary: dict[str, int] = field(default_factory=lambda: {"new": 0, "changed": 0, "removed": 0})

    def is_empty(self) -> bool:
        return not (self.new_topics or self.changed_topics or self.removed_topics or self.new_worksheets
                    or self.changed_worksheets or self.removed_worksheets or any(self.glossary.values()))

    def lines(self) -> list[str]:
        """What changes, in words, one line per item."""
        out: list[str] = []
        for key, items in (("packs.diff.new_topics", self.new_topics),
                           ("packs.diff.changed_topics", self.changed_topics),
                           ("packs.diff.removed_topics", self.removed_topics),
                           ("packs.diff.new_worksheets", self.new_worksheets),
                           ("packs.diff.removed_worksheets", self.removed_worksheets)):
            if items:
                out.append(t(key, count=len(items)))
                out += [f"  - {title} ({ident})" for ident, title in items]
        if self.changed_worksheets:
            out.append(t("packs.diff.changed_worksheets", count=len(self.changed_worksheets)))
            for change in self.changed_worksheets:
                out.append("  - " + t("packs.diff.worksheet", title=change.title, id=change.id,
                                      old=change.old_version, new=change.new_version))
                for key, ids in (("packs.diff.fields_added", change.added),
                                 ("packs.diff.fields_removed", change.removed),
                                 ("packs.diff.fields_changed", change.changed)):
                    if ids:
                        out.append("    " + t(key, fields=", ".join(ids)))
        if any(self.glossary.values()):
            out.append(t("packs.diff.glossary", **self.glossary))
        return out or [t("packs.diff.nothing")]

    def as_dict(self) -> dict[str, Any]:
        pairs = lambda items: [{"id": i, "title": title} for i, title in items]  # noqa: E731
        return {"old_version": self.old_version, "new_version": self.new_version,
                "new_topics": pairs(self.new_topics), "changed_topics": pairs(self.changed_topics),
                "removed_topics": pairs(self.removed_topics), "new_worksheets": pairs(self.new_worksheets),
                "removed_worksheets": pairs(self.removed_worksheets),
                "changed_worksheets": [vars(c) for c in self.changed_worksheets], "glossary": self.glossary}


def _file_bytes(path: Path | None) -> bytes:
    try:
        return Path(path).read_bytes() if path else b""
    except OSError:
        return b""


def _field_shapes(template) -> dict[str, tuple]:
    return {f.id: (f.type, tuple(c.id for c in f.columns), tuple(o.id for o in f.options))
            for f in template.fields()}


def diff_packs(old: Pack | None, new: Pack) -> PackDiff:
    """What a person would see change going from ``old`` to ``new``."""
    diff = PackDiff(old.version if old else "", new.version)
    old_topics = {tp.id: tp for tp in old.topics()} if old else {}
    new_topics = {tp.id: tp for tp in new.topics()}
    for ident, topic in new_topics.items():
        if ident not in old_topics:
            diff.new_topics.append((ident, topic.title))
        elif _file_bytes(topic.path) != _file_bytes(old_topics[ident].path):
            diff.changed_topics.append((ident, topic.title))
    diff.removed_topics = [(i, tp.title) for i, tp in old_topics.items() if i not in new_topics]
    old_templates = old.templates if old else {}
    for ident, template in new.templates.items():
        before = old_templates.get(ident)
        if before is None:
            diff.new_worksheets.append((ident, template.title))
            continue
        if _file_bytes(before.path) == _file_bytes(template.path) and before.version == template.version:
            continue
        shapes_old, shapes_new = _field_shapes(before), _field_shapes(template)
        diff.changed_worksheets.append(WorksheetChange(
            ident, template.title, before.version, template.version,
            added=[f for f in shapes_new if f not in shapes_old],
            removed=[f for f in shapes_old if f not in shapes_new],
            changed=[f for f in shapes_new if f in shapes_old and shapes_new[f] != shapes_old[f]]))
    diff.removed_worksheets = [(i, tp.title) for i, tp in old_templates.items() if i not in new.templates]
    old_terms = old.glossary if old else {}
    for ident, term in new.glossary.items():
        before = old_terms.get(ident)
        if before is None:
            diff.glossary["new"] += 1
        elif (before.term, before.definition, before.see_also) != (term.term, term.definition, term.see_also):
            diff.glossary["changed"] += 1
    diff.glossary["removed"] = sum(1 for i in old_terms if i not in new.glossary)
    return diff


