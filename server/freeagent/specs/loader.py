"""Reading one OpenAPI document (YAML or JSON) and remembering where every node came from.

Owns parsing with positions: PyYAML's composer gives each node a line and column, so a
problem found at a JSON pointer (by validation, by $ref resolution, by the generator) can be
reported at the right line. A JSON document is parsed by :mod:`json` (sixty times faster than
composing it as YAML: a 10 MB description loads in a fraction of a second) and its positions are
found only when first asked for, by a scan of its tokens; a JSON document :mod:`json` refuses
goes through the YAML composer, which says where the problem is.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..findings import CODE_BAD_SPEC, Finding, Range, Severity


def walk(data: object) -> Iterator[tuple[tuple[str, ...], object]]:
    """Every node of parsed data with the JSON-pointer tokens that reach it (the root's: ())."""
    stack: list[tuple[tuple[str, ...], object]] = [((), data)]
    while stack:
        tokens, value = stack.pop()
        yield tokens, value
        if isinstance(value, dict):
            stack.extend(((*tokens, str(k)), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*tokens, str(i)), v) for i, v in enumerate(value))


def pointer_of(tokens: tuple[str, ...]) -> str:
    return "".join(f"/{escape_pointer(t)}" for t in tokens)


def escape_pointer(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


@dataclass
class SpecDocument:
    path: Path
    data: dict
    _positions: dict[str, tuple[int, int]] | None = None  # pointer -> (line, col) 0-based
    _find_positions: Callable[[], dict[str, tuple[int, int]]] | None = field(default=None, repr=False)

    @property
    def positions(self) -> dict[str, tuple[int, int]]:
        if self._positions is None:
            self._positions = self._find_positions() if self._find_positions else {}
            self._find_positions = None
        return self._positions

    def position(self, pointer: str) -> tuple[int, int]:
        """The closest known position of a JSON pointer (walks up to the nearest parent)."""
        while True:
            if pointer in self.positions:
                return self.positions[pointer]
            if not pointer:
                return (0, 0)
            pointer = pointer.rsplit("/", 1)[0]

    def get(self, pointer: str):
        node = self.data
        if pointer in ("", "#"):
            return node
        for token in pointer.lstrip("#").lstrip("/").split("/"):
            token = unescape_pointer(token)
            if isinstance(node, dict):
                if token not in node:
                    raise KeyError(pointer)
                node = node[token]
            elif isinstance(node, list):
                node = node[int(token)]
            else:
                raise KeyError(pointer)
        return node


# libyaml's composer is ~10x faster than the pure-Python one and gives the same marks.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Expansion(Exception):
    """The document's aliases expand it far beyond its own size (the "billion laughs" shape)."""


def _distinct_nodes(root: yaml.Node) -> int:
    """How many nodes the composed document really has (an alias is the node it points at)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return len(seen)


# Aliases are expanded into plain data (each use gets its own positions), so a document may grow
# by its reuse of anchors — but not without bound: a repository is untrusted input.
EXPANSION_FACTOR = 50
EXPANSION_SLACK = 100_000
KEY_CHARS = 200  # of a non-scalar mapping key's source text


class _Builder:
    """Builds plain Python data from a composed YAML node tree, recording each node's position;
    gives up (:class:`_Expansion`) past ``budget`` nodes built."""

    def __init__(self, budget: int, text: str = "") -> None:
        self.scalars = yaml.SafeLoader("")  # only its scalar constructors are used
        self.positions: dict[str, tuple[int, int]] = {}
        self.budget = budget
        self.text = text

    def _complex_key(self, node: yaml.Node) -> str:
        """A mapping or sequence used as a key (``? [a, b]``; never in JSON or OpenAPI): its
        source text, cut short. Building it and taking ``str()`` instead grows exponentially
        with nesting (each level escapes the quotes of the one inside)."""
        start, end = node.start_mark.index, node.end_mark.index
        return self.text[start : min(end, start + KEY_CHARS)]

    def build(self, node: yaml.Node, pointer: str = ""):
        self.budget -= 1
        if self.budget < 0:
            raise _Expansion
        self.positions.setdefault(pointer, (node.start_mark.line, node.start_mark.column))
        if isinstance(node, yaml.MappingNode):
            out = {}
            for key_node, value_node in node.value:
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else self._complex_key(key_node)
                child = f"{pointer}/{escape_pointer(key)}"
                # a mapping entry is reported at its key, which is where a reader looks
                self.positions[child] = (key_node.start_mark.line, key_node.start_mark.column)
                out[key] = self.build(value_node, child)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, f"{pointer}/{i}") for i, item in enumerate(node.value)]
        return self.scalars.construct_object(node)


# a JSON token: a string, a punctuation mark, or a bare literal (number, true, false, null)
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def json_positions(text: str) -> dict[str, tuple[int, int]]:
    """The (line, column) of every JSON pointer of a JSON document :mod:`json` accepted, as the
    YAML builder records them: a mapping entry at its key, an array item and the root at their
    first character."""
    newlines = [m.start() for m in re.finditer("\n", text)]
    positions: dict[str, tuple[int, int]] = {}

    def at(offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(newlines, offset)
        return line, offset - (newlines[line - 1] + 1 if line else 0)

    stack: list[list] = []  # [is_object, pointer, next index (array) or current entry (object)]
    want_key = False
    for match in _JSON_TOKEN.finditer(text):
        token, start = match.group(), match.start()
        first = token[0]
        if first == ",":
            want_key = bool(stack) and stack[-1][0]
            continue
        if first == ":":
            continue
        if first in "}]":
            stack.pop()
            want_key = False
            continue
        if want_key:
            key = json.loads(token) if "\\" in token else token[1:-1]
            frame = stack[-1]
            frame[2] = f"{frame[1]}/{escape_pointer(key)}"
            positions[frame[2]] = at(start)
            want_key = False
            continue
        if not stack:
            pointer = ""
            positions.setdefault(pointer, at(start))
        elif stack[-1][0]:
            pointer = stack[-1][2]  # the entry's position is its key's
        else:
            frame = stack[-1]
            pointer = f"{frame[1]}/{frame[2]}"
            frame[2] += 1
            positions.setdefault(pointer, at(start))
        if first == "{":
            stack.append([True, pointer, None])
            want_key = True
        elif first == "[":
            stack.append([False, pointer, 0])
    return positions


def _load_json(path: Path, text: str) -> SpecDocument | None:
    """The document by :mod:`json` when it is JSON that :mod:`json` accepts, else None."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested too deeply for it: YAML says why
        return None
    if not isinstance(data, dict):
        return None
    return SpecDocument(path, data, None, lambda: json_positions(text))


def load_document(path: Path, text: str) -> tuple[SpecDocument | None, list[Finding]]:
    """Parse ``text`` (YAML or JSON). A syntax error becomes a Finding at the parser's position."""
    if text.lstrip()[:1] == "{":
        doc = _load_json(path, text)
        if doc is not None:
            return doc, []
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line, mark.column) if mark else (0, 0)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [
            Finding(
                str(path),
                Range.at(line, col),
                Severity.ERROR,
                CODE_BAD_SPEC,
                f"{path.name} is not valid YAML/JSON: {problem} (line {line + 1}, column {col + 1})",
            )
        ]
    if node is None or not isinstance(node, yaml.MappingNode):
        return None, [
            Finding(
                str(path),
                Range.at(0, 0),
                Severity.ERROR,
                CODE_BAD_SPEC,
                f"{path.name} is not an OpenAPI document (not a mapping)",
            )
        ]
    distinct = _distinct_nodes(node)
    limit = EXPANSION_FACTOR * distinct + EXPANSION_SLACK
    builder = _Builder(limit, text)
    try:
        data = builder.build(node)
    except _Expansion:
        message = (
            f"{path.name}: its YAML aliases expand its {distinct} nodes to more than {limit} "
            "(the 'billion laughs' shape); the document is not loaded"
        )
        return None, [Finding(str(path), Range.at(0, 0), Severity.ERROR, CODE_BAD_SPEC, message)]
    except RecursionError:
        message = f"{path.name}: nested too deeply (or an alias refers to its own anchor)"
        return None, [Finding(str(path), Range.at(0, 0), Severity.ERROR, CODE_BAD_SPEC, message)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line, mark.column) if mark else (0, 0)
        return None, [Finding(str(path), Range.at(line, col), Severity.ERROR, CODE_BAD_SPEC, f"{path.name}: {exc}")]
    return SpecDocument(path, data, builder.positions), []


def looks_like_openapi(data: object) -> bool:
    return isinstance(data, dict) and (isinstance(data.get("openapi"), str) or "swagger" in data)
