"""Quick fixes for findings: edits that change the workspace's files, never anything outside.

Owns building the edits: adding a dependency to a package.json (at its alphabetical place, in
the file's indentation, with the version that is installed or locked — the caller asks
``context.manifests.locked_version``, never guesses one), replacing an import specifier with the
one that resolves, and replacing a span of source text given as byte offsets (what tree-sitter
nodes carry). Also the one place "did you mean" candidates come from (:func:`nearest_names`).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from ..edits import Fix, TextEdit


def add_dependency(manifest: Path, text: str, group: str, package: str, version: str) -> Fix | None:
    """A fix inserting `"package": "^version"` into ``group`` of the manifest's text."""
    lines = text.split("\n")
    entry_value = f'"^{version}"' if re.match(r"^\d", version) else json.dumps(version)
    # the indent of the first member line (one starting with a quote), else two spaces
    sample = next((line for line in lines[1:] if line.strip().startswith('"')), '  "')
    indent_match = re.match(r"^(\s*)\"", sample)
    indent_unit = (indent_match.group(1) if indent_match is not None else "") or "  "
    start = next((i for i, line in enumerate(lines) if re.match(rf'^\s*"{re.escape(group)}"\s*:\s*\{{', line)), None)
    title = (
        f"Add {package}@^{version} to {group} in {manifest.name}"
        if entry_value.startswith('"^')
        else f"Add {package} to {group} in {manifest.name}"
    )
    if start is None:
        # no such group yet: add it after the opening brace
        body = f'{indent_unit}"{group}": {{\n{indent_unit * 2}"{package}": {entry_value}\n{indent_unit}}},'
        return Fix(title, ((str(manifest), (TextEdit(0, len(lines[0]), 0, len(lines[0]), "\n" + body),)),), True)
    if lines[start].rstrip().endswith("{}") or lines[start].rstrip().endswith("{},"):
        inner = indent_unit * 2
        head = lines[start][: lines[start].index("{") + 1]
        tail = lines[start][lines[start].rindex("}") :]
        new = f'{head}\n{inner}"{package}": {entry_value}\n{lines[start][: len(lines[start]) - len(lines[start].lstrip())]}{tail}'
        return Fix(title, ((str(manifest), (TextEdit(start, 0, start, len(lines[start]), new),)),), True)
    entries = []
    row = start + 1
    while row < len(lines) and not lines[row].strip().startswith("}"):
        m = re.match(r'^(\s*)"([^"]+)"\s*:', lines[row])
        if m:
            entries.append((row, m.group(2), m.group(1)))
        row += 1
    inner = entries[0][2] if entries else indent_unit * 2
    after = [e for e in entries if e[1] < package]
    new_line = f'{inner}"{package}": {entry_value}'
    if after:
        anchor = after[-1][0]
        has_comma = lines[anchor].rstrip().endswith(",")
        insert = ("" if has_comma else ",") + "\n" + new_line + ("," if has_comma else "")
        if not has_comma:
            return Fix(
                title,
                ((str(manifest), (TextEdit(anchor, len(lines[anchor]), anchor, len(lines[anchor]), insert),)),),
                True,
            )
        return Fix(
            title,
            (
                (
                    str(manifest),
                    (TextEdit(anchor, len(lines[anchor]), anchor, len(lines[anchor]), "\n" + new_line + ","),),
                ),
            ),
            True,
        )
    first = entries[0][0] if entries else start + 1
    return Fix(title, ((str(manifest), (TextEdit(first, 0, first, 0, new_line + ",\n"),)),), True)


def replace_specifier(file: Path, span, new_specifier: str) -> Fix:
    """Replace the text inside an import's quotes."""
    edit = TextEdit(span.line, span.column + 1, span.end_line, span.end_column - 1, new_specifier)
    return Fix(f"Change to '{new_specifier}'", ((str(file), (edit,)),), True)


@lru_cache(maxsize=8)
def _line_starts(source: bytes) -> list[int]:
    """Byte offsets where each line starts (bytes cache their hash: later lookups cost nothing)."""
    starts, find = [0], source.find
    at = find(b"\n")
    while at != -1:
        starts.append(at + 1)
        at = find(b"\n", at + 1)
    return starts


def lsp_position(source: bytes, offset: int) -> tuple[int, int]:
    """(line, character) of a byte offset in ``source``, the character in UTF-16 units as LSP counts.

    tree-sitter's ``start_point`` columns count bytes; they differ from characters on a line with
    non-ASCII text before the spot, where an edit at the byte column would cut into the wrong text.
    """
    starts = _line_starts(source)
    line = bisect_right(starts, offset) - 1
    before = source[starts[line] : offset]
    if before.isascii():
        return line, len(before)
    return line, len(before.decode("utf-8", "replace").encode("utf-16-le")) // 2


def replace_bytes(file: Path, source: bytes, start: int, end: int, new_text: str, title: str, preferred: bool) -> Fix:
    """A fix replacing ``source[start:end]`` (byte offsets, e.g. a node's start_byte/end_byte)."""
    edit = TextEdit(*lsp_position(source, start), *lsp_position(source, end), new_text)
    return Fix(title, ((str(file), (edit,)),), preferred)


def nearest_names(name: str, choices: list[str], limit: int = 1, cutoff: int = 60) -> list[str]:
    """Up to ``limit`` of ``choices`` closest to ``name`` (rapidfuzz's weighted ratio, best
    first, at least ``cutoff`` of 100) — the "did you mean" of a finding. rapidfuzz is imported
    here, on the first suggestion: a check that finds nothing never loads it."""
    from rapidfuzz import process

    return [match[0] for match in process.extract(name, choices, limit=limit, score_cutoff=cutoff)]
