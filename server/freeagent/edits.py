"""Text edits: the LSP-shaped edit every generator and quick fix produces, and applying them.

Owns :class:`TextEdit` (0-based line/character ranges, like LSP's) and :func:`apply_edits`,
which applies non-overlapping edits the way an editor applies a WorkspaceEdit; plus
:class:`Fix`, a titled set of edits across files (a quick fix).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextEdit:
    line: int
    character: int
    end_line: int
    end_character: int
    new_text: str

    def to_json(self) -> dict:
        return {
            "range": {
                "start": {"line": self.line, "character": self.character},
                "end": {"line": self.end_line, "character": self.end_character},
            },
            "newText": self.new_text,
        }


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[tuple[str, tuple[TextEdit, ...]], ...]  # (absolute file, edits) pairs
    preferred: bool = False
    # a fix too dear to compute with every check (a rename through the whole project): no edits
    # yet, and what computes them when the fix is asked for (validate.fixes.resolve_fix)
    recipe: dict | None = None

    def to_json(self) -> dict:
        out = {
            "title": self.title,
            "preferred": self.preferred,
            "edits": {file: [e.to_json() for e in edits] for file, edits in self.edits},
        }
        if self.recipe is not None:
            out["recipe"] = self.recipe
        return out


def apply_edits(text: str, edits) -> str:
    """Apply non-overlapping edits (any order) to text — what an editor does with a WorkspaceEdit."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(line: int, character: int) -> int:
        if line >= len(lines):
            return len(text)
        return min(offsets[line] + character, offsets[line] + len(lines[line]))

    out = text
    for edit in sorted(edits, key=lambda ed: (ed.line, ed.character), reverse=True):
        start, end = offset(edit.line, edit.character), offset(edit.end_line, edit.end_character)
        out = out[:start] + edit.new_text + out[end:]
    return out
