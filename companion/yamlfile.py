"""YAML that remembers line numbers, so every problem can name its line.

Mappings load as :class:`LineDict` and lists as :class:`LineList`: ordinary
dicts and lists that also know the line they start on and, for a mapping,
the line of each key. Duplicate keys, which plain PyYAML silently accepts,
are recorded so that a validator can report them.

A content pack comes from outside, so its YAML is read within bounds:
aliases and merge keys (``&a``, ``*a``, ``<<``), which let a few hundred
bytes expand into gigabytes ("billion laughs"), are refused, and so is
nesting deeper than :data:`MAX_DEPTH`.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from companion.errors import ContentError
from companion.messages import t


MAX_DEPTH = 40  # a worksheet template is about eight levels deep


class LineDict(dict):
    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int]] = []

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0


@lru_cache(maxsize=1)
def _loader() -> type:
    """The loader class, built on first use: PyYAML is imported only when a
    file is parsed, not at start-up (the pack comes from its cache then)."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~10x faster
        depth = 0

        def construct_object(self, node, deep=False):
            if node in self.constructed_objects or node in self.recursive_objects:
                # the same node met twice: an alias (*name) to an anchor
                raise yaml.constructor.ConstructorError(None, None, t("yaml.alias"), node.start_mark)
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise yaml.constructor.ConstructorError(None, None, t("yaml.too_deep", max=MAX_DEPTH),
                                                            node.start_mark)
                return super().construct_object(node, deep=deep)
            finally:
                self.depth -= 1

    def mapping(loader, node) -> LineDict:
        if any(key.tag == "tag:yaml.org,2002:merge" for key, _ in node.value):
            raise yaml.constructor.ConstructorError(None, None, t("yaml.alias"), node.start_mark)
        result = LineDict()
        result.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key here is not plain text", key_node.start_mark
                ) from None
            if node.flow_style and isinstance(key, str) and " " in key.strip() and value_node.tag.endswith(":null") \
                    and not value_node.value:
                # {label: A, help: one, two}: the comma ended the value and "two" became a key
                raise yaml.constructor.ConstructorError(None, None, t("yaml.comma_in_braces", text=key),
                                                        key_node.start_mark)
            line = key_node.start_mark.line + 1
            if key in result:
                result.duplicates.append((key, line))
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def sequence(loader, node) -> LineList:
        result = LineList(loader.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        return result

    def text(loader, node) -> str:
        # Dates stay text: answers and ids are compared as written.
        return loader.construct_scalar(node)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", text)
    return Loader


def loads(text: str, first_line: int = 1) -> Any:
    """Parse YAML text; raise :class:`ContentError` with ``line: message``
    when it is malformed. ``first_line`` shifts lines for embedded YAML."""
    import yaml

    try:
        data = yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        detail = exc.problem or str(exc)
        raise ContentError(f"{line}: " + t("yaml.malformed", detail=detail)) from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{first_line}: " + t("yaml.malformed", detail=str(exc))) from None
    if first_line != 1:
        _shift(data, first_line - 1)
    return data


def _shift(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        data.duplicates = [(k, v + offset) for k, v in data.duplicates]
        for value in data.values():
            _shift(value, offset)
    elif isinstance(data, LineList):
        data.line += offset
        for value in data:
            _shift(value, offset)


def line_of(container: Any, key: Any = None, default: int = 1) -> int:
    """The line of ``key`` in a loaded mapping, or of the container itself."""
    if isinstance(container, LineDict):
        return container.line_of(key) if key is not None else container.line
    if isinstance(container, LineList):
        return container.line
    return default
