"""Reading one OpenAPI document (YAML or JSON) and remembering where every node came from.

Owns parsing with positions: PyYAML's composer gives each node a line and column, so a
problem found at a JSON pointer (by validation, by $ref resolution, by the generator) can be
reported at the right line. A JSON document is parsed by :mod:`json` (sixty times faster than
composing it as YAML: a 10 MB description loads in a fraction of a second) and its positions are
found only when first asked for, by a scan of its tokens; a JSON document :mod:`json` refuses
goes through the YAML composer, which says where the problem is.

A large YAML document is parsed the same way: by rapidyaml (C++, 0.03 s for Stripe's 4 MB where
libyaml's composer takes 1.5-2.5 s on these machines), its scalars resolved by PyYAML's own
resolver and constructors so the data is exactly what the composer gives, and its positions
found only when first asked for (one pointer's by the indentation, see :class:`BlockPositions`).
Aliases are copied within the composer's expansion budget. Whatever only the composer handles —
tags, anchors on keys, non-scalar keys, several documents, a syntax error (the composer says
where) — goes through the composer.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ryml  # type: ignore[import-untyped]  # rapidyaml ships no type information
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
    # one pointer's position found without all of them (None: it could not tell); see BlockPositions
    _find_one: Callable[[str], tuple[int, int] | None] | None = field(default=None, repr=False)

    @property
    def positions(self) -> dict[str, tuple[int, int]]:
        if self._positions is None:
            self._positions = self._find_positions() if self._find_positions else {}
            self._find_positions = self._find_one = None
        return self._positions

    def position(self, pointer: str) -> tuple[int, int]:
        """The closest known position of a JSON pointer (walks up to the nearest parent)."""
        if self._positions is None and self._find_one is not None:
            found = self._find_one(pointer)
            if found is not None:
                return found
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


def _budget(node: yaml.Node, text: str) -> tuple[int, int]:
    """(distinct nodes, most nodes the build may make) of a composed document; without an anchor
    there is no alias, so nothing expands and there is nothing to count."""
    if "&" not in text:
        return 0, sys.maxsize
    distinct = _distinct_nodes(node)
    return distinct, EXPANSION_FACTOR * distinct + EXPANSION_SLACK


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


FAST_YAML_CHARS = 200_000  # below this the composer takes well under 0.1 s: one parser is enough

# node flags that send a document to the composer: tags, and anchors or aliases on keys
_COMPOSER_ONLY = ryml.KEYANCH | ryml.KEYREF | ryml.KEYTAG | ryml.VALTAG
_NO_NODE = ryml.NONE
_STR_TAG = "tag:yaml.org,2002:str"
_BEING_BUILT = object()  # an anchor whose node is being built: an alias to it is a cycle


class _ComposerOnly(Exception):
    """The document uses what only the composer handles (or explains)."""


class _RapidBuilder:
    """Builds plain Python data from a rapidyaml tree, with the composer's semantics: a plain
    scalar is resolved and constructed by PyYAML (``yes`` is True, ``2011-01-01`` a date, ``1e3``
    a string), any other scalar is a string, a key is its text, and each use of an alias is its
    own copy of the anchored value — within the same expansion budget as the composer's."""

    def __init__(self, tree: ryml.Tree) -> None:
        self.tree = tree
        self.scalars = yaml.SafeLoader("")
        self.memo: dict[str, object] = {}  # plain scalar text -> its value (most repeat)
        self.anchors: dict[str, object] = {}
        self.budget = EXPANSION_FACTOR * tree.size() + EXPANSION_SLACK

    def scalar(self, text: str) -> object:
        try:
            return self.memo[text]
        except KeyError:
            pass
        tag = self.scalars.resolve(yaml.ScalarNode, text, (True, False))
        value = text if tag == _STR_TAG else self.scalars.construct_object(yaml.ScalarNode(tag, text))
        self.memo[text] = value
        return value

    def copy(self, value: object) -> object:
        self.budget -= 1
        if self.budget < 0:
            raise _ComposerOnly  # the composer says how far it expands
        if isinstance(value, dict):
            return {key: self.copy(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.copy(item) for item in value]
        return value

    def build(self, node: int) -> object:
        tree = self.tree
        kind = tree.type(node)
        if kind & _COMPOSER_ONLY:
            raise _ComposerOnly
        if kind & ryml.VALREF:
            target = self.anchors.get(bytes(tree.val_ref(node)).decode(), _BEING_BUILT)
            if target is _BEING_BUILT:
                raise _ComposerOnly
            return self.copy(target)
        anchor = bytes(tree.val_anchor(node)).decode() if kind & ryml.VALANCH else None
        if anchor is not None:
            self.anchors[anchor] = _BEING_BUILT
        self.budget -= 1
        value: object
        if kind & ryml.MAP:
            mapping: dict[str, object] = {}
            child = tree.first_child(node)
            while child != _NO_NODE:
                key = tree.key(child)
                mapping[bytes(key).decode() if key is not None else ""] = self.build(child)
                child = tree.next_sibling(child)
            value = mapping
        elif kind & ryml.SEQ:
            items: list[object] = []
            child = tree.first_child(node)
            while child != _NO_NODE:
                items.append(self.build(child))
                child = tree.next_sibling(child)
            value = items
        else:
            raw = tree.val(node)
            text = bytes(raw).decode() if raw is not None else ""
            value = text if kind & ryml.VALQUO else self.scalar(text)
        if anchor is not None:
            self.anchors[anchor] = value
        return value


@contextlib.contextmanager
def _stderr_kept_from_ryml() -> Iterator[None]:
    """rapidyaml writes its parse errors to file descriptor 2 before raising; the composer then
    reports the error properly, so those lines are dropped — and anything else written to the
    descriptor meanwhile (another thread's log) is passed on."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            kept = [
                line
                for line in caught.read().splitlines(keepends=True)
                if b"ERROR: [" not in line and b"(detected here)" not in line
            ]
            if kept:
                with contextlib.suppress(OSError):
                    os.write(2, b"".join(kept))


def _load_yaml_fast(path: Path, text: str) -> SpecDocument | None:
    """The document by rapidyaml, or None when it must go through the composer."""
    if not text.endswith("\n"):  # rapidyaml gives a last block scalar the line break the file lacks
        return None
    try:
        source = text.encode("utf-8")
        with _stderr_kept_from_ryml():
            tree = ryml.parse_in_arena(source)
        root = tree.root_id()
        if tree.type(root) & ryml.STREAM == ryml.STREAM:  # "---" opens the document
            if tree.num_children(root) != 1:  # several documents: the composer explains
                return None
            root = tree.first_child(root)
        if not tree.type(root) & ryml.MAP:  # a sequence or a scalar: the composer explains
            return None
        data = _RapidBuilder(tree).build(root)
    except Exception:  # noqa: BLE001 - any refusal or surprise: the composer decides and explains
        return None
    if not isinstance(data, dict):
        return None
    return yaml_document(path, data, text)


def yaml_document(path: Path, data: dict, text: str) -> SpecDocument:
    """A YAML document whose positions are found when asked for: one pointer's by the text's
    indentation, all of them by the composer when that cannot tell."""
    return SpecDocument(path, data, None, lambda: yaml_positions(text), BlockPositions(text, data).find)


class BlockPositions:
    """The position of one JSON pointer in a block-style YAML document, found by following its
    keys and items down the indentation — milliseconds, where composing a 3 MB document for all
    its positions takes one to two seconds. Positions are the composer's: a mapping entry at its
    key, a sequence item and the root at their first character. Where the way down is not plain
    block style (a flow collection, an anchor, a tag, an explicit key, an escape in a quoted key)
    it says None, and the composer decides."""

    _COLON = re.compile(r":(?=\s|$)")
    _SINGLE_QUOTED_KEY = re.compile(r"'((?:[^']|'')*)':(?=\s|$)")
    _PLAIN_KEY = re.compile(r"(.*?)[ \t]*:(?=\s|$)")

    def __init__(self, text: str, data: dict) -> None:
        self.text = text
        self.data = data
        self._lines: list[str] = []
        self._indents: list[int] = []  # per line: its indentation, -1 for a blank or comment line
        self._found: dict[str, tuple[int, int] | None] = {}
        self._mappings: dict[tuple[int, int], dict[str, tuple[int, int]]] = {}  # by the first key's position
        self._sequences: dict[tuple[int, int], list[tuple[int, int] | None]] = {}  # by the first dash's

    def find(self, pointer: str) -> tuple[int, int] | None:
        """The pointer's position — its nearest parent's when the data has no such node — or None
        when the text is not plain enough to tell."""
        if pointer not in self._found:
            if not self._lines:
                self._lines = [line.rstrip("\r") for line in self.text.split("\n")]
                for line in self._lines:
                    body = line.lstrip(" ")
                    self._indents.append(-1 if not body or body.startswith("#") else len(line) - len(body))
            tokens = [unescape_pointer(t) for t in pointer.lstrip("#").split("/")[1:]]
            self._found[pointer] = self._walk(tokens)
        return self._found[pointer]

    def _walk(self, tokens: list[str]) -> tuple[int, int] | None:
        position = start = self._root()  # where the pointer so far is reported / its value begins
        value: object = self.data
        for token in tokens:
            if isinstance(value, dict):
                if token not in value:
                    return position
                child = value[token]
            elif isinstance(value, list):
                if not token.isdigit() or int(token) >= len(value):
                    return position
                child = value[int(token)]
            else:
                return position
            if start is None:  # not a block collection on the lines below: the composer decides
                return None
            if isinstance(value, dict):
                position = self._entries(start).get(token)
                start = self._value_of(position) if position is not None else None
            else:
                items = self._items(start)
                position = start = items[int(token)] if int(token) < len(items) else None
            if position is None:
                return None
            value = child
        return position

    def _content(self, line: int) -> int | None:
        """The first content line from ``line`` on."""
        while line < len(self._indents):
            if self._indents[line] >= 0:
                return line
            line += 1
        return None

    def _root(self) -> tuple[int, int] | None:
        line = self._content(0)
        while line is not None and (self._lines[line].startswith("%") or self._lines[line].rstrip() == "---"):
            line = self._content(line + 1)
        if line is None or self._lines[line].startswith("---"):
            return None
        return line, self._indents[line]

    def _is_dash(self, line: int, col: int) -> bool:
        text = self._lines[line]
        return text[col : col + 1] == "-" and text[col + 1 : col + 2] in (" ", "")

    def _key_text(self, line: int, col: int) -> str | None:
        """The key that begins at (line, col); None unless it is plain or simply quoted."""
        rest = self._lines[line][col:]
        if rest[:1] == '"':
            end = rest.find('"', 1)
            if end < 0 or "\\" in rest[1:end] or not self._COLON.match(rest, end + 1):
                return None
            return rest[1:end]
        if rest[:1] == "'":
            match = self._SINGLE_QUOTED_KEY.match(rest)
            return match.group(1).replace("''", "'") if match else None
        if rest[:1] in ("?", "&", "*", "!", "[", "{", "-", "|", ">", "#", "%", "@", "`", ""):
            return None
        match = self._PLAIN_KEY.match(rest)
        return match.group(1) if match else None

    def _entries(self, start: tuple[int, int]) -> dict[str, tuple[int, int]]:
        """The position of every key of the block mapping whose first key is at ``start`` (none
        when one of its keys is not plain enough to read), found by one pass over its lines."""
        if start in self._mappings:
            return self._mappings[start]
        entries: dict[str, tuple[int, int]] = {}
        line, col = start
        while line < len(self._indents):
            indent = self._indents[line]
            if line == start[0] or (indent == col and not self._is_dash(line, col)):
                text = self._key_text(line, col)
                if text is None:
                    entries = {}
                    break
                entries[text] = (line, col)  # a repeated key: the last one counts, as in the data
            elif 0 <= indent < col:
                break
            line += 1
        self._mappings[start] = entries
        return entries

    def _value_of(self, entry: tuple[int, int]) -> tuple[int, int] | None:
        """Where the value of the entry whose key is at ``entry`` begins, when it is a block
        collection on the lines below (None for anything on the key's own line)."""
        line, col = entry
        text = self._lines[line]
        if text[col] in "\"'":
            end = col + 1 + len(self._key_text(line, col) or "")
            while text[end] != text[col]:  # past doubled single quotes
                end += 1
        else:
            end = col
        colon = self._COLON.search(text, end)
        if colon is None or text[colon.end() :].split(" #", 1)[0].strip():
            return None
        following = self._content(line + 1)
        if following is None:
            return None
        indent = self._indents[following]
        if indent > col or (indent == col and self._is_dash(following, col)):
            return following, indent
        return None

    def _items(self, start: tuple[int, int]) -> list[tuple[int, int] | None]:
        """The position of every item of the block sequence whose first dash is at ``start``."""
        if start in self._sequences:
            return self._sequences[start]
        items: list[tuple[int, int] | None] = []
        line, col = start
        while line < len(self._indents):
            indent = self._indents[line]
            if line == start[0] or indent == col:
                if not self._is_dash(line, col):
                    break
                rest = self._lines[line][col + 1 :]
                body = rest.lstrip(" ")
                if not body or body.startswith("#"):
                    following = self._content(line + 1)
                    if following is not None and self._indents[following] > col:
                        items.append((following, self._indents[following]))
                    else:
                        items.append(None)
                else:
                    items.append(None if body[:1] in ("&", "!", "*", "?") else (line, col + 1 + len(rest) - len(body)))
            elif 0 <= indent < col:
                break
            line += 1
        self._sequences[start] = items
        return items


def yaml_positions(text: str) -> dict[str, tuple[int, int]]:
    """The positions of a YAML document rapidyaml parsed, from the composer (empty if it
    refuses what rapidyaml accepted)."""
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
        if not isinstance(node, yaml.MappingNode):
            return {}
        builder = _Builder(_budget(node, text)[1], text)
        builder.build(node)
    except (yaml.YAMLError, _Expansion, RecursionError, ValueError):
        return {}
    return builder.positions


def load_document(path: Path, text: str) -> tuple[SpecDocument | None, list[Finding]]:
    """Parse ``text`` (YAML or JSON). A syntax error becomes a Finding at the parser's position."""
    if text.lstrip()[:1] == "{":
        doc = _load_json(path, text)
        if doc is not None:
            return doc, []
    if len(text) >= FAST_YAML_CHARS:
        doc = _load_yaml_fast(path, text)
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
    distinct, limit = _budget(node, text)
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
