"""YAML reading that remembers where each value came from, for errors with file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Where:
    """A place in a content file (1-based line)."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, and where."""

    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ContentError(Exception):
    """The content cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class LineDict(dict[str, Any]):
    """A mapping that knows the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that knows the line of each item."""

    line: int = 0
    item_lines: list[int]


class LineStr(str):
    """A string that knows its line and, for block scalars, the line of its first text line."""

    line: int = 0
    first_text_line: int = 0


# libyaml's parser where PyYAML was built with it (several times faster at start); the
# constructors below, which keep each value's line, are the same either way.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> LineStr:
    result = LineStr(loader.construct_scalar(node))
    result.line = node.start_mark.line + 1
    # A block scalar (| or >) starts on the line after its indicator.
    block = node.style in ("|", ">")
    result.first_text_line = result.line + 1 if block else result.line
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)


def read_yaml(path: Path, root: Path) -> Any:
    """Parse one YAML file; syntax errors become a ContentError with file and line."""
    name = _display_name(path, root)
    try:
        with path.open(encoding="utf-8") as stream:
            return yaml.load(stream, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise ContentError([Problem(Where(name, line), f"YAML syntax: {error.problem}")]) from error
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ContentError([Problem(Where(name, 1), f"cannot read: {error}")]) from error


def line_of(value: Any, default: int = 1) -> int:
    """The line a loaded value started on."""
    return int(getattr(value, "line", default) or default)


def _display_name(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


class Collector:
    """Gathers problems so one run reports all of them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def add(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(Where(file, line), message))

    def read(self, path: Path) -> Any:
        try:
            return read_yaml(path, self.root)
        except ContentError as error:
            self.problems.extend(error.problems)
            return None
