"""How generated TypeScript should look in *this* file: the project's conventions made concrete.

Owns turning the context engine's votes (quotes, semicolons, indentation, trailing commas,
extensions on relative imports) plus the file's own module and strictness settings into a :class:`TsStyle`
the emitters use, and the small text helpers that apply it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...context.workspace import WorkspaceContext


@dataclass(frozen=True)
class TsStyle:
    quote: str = "'"
    semi: bool = True
    indent: str = "  "
    trailing_comma: bool = True
    relative_extension: str = ""  # ".js" under NodeNext/Node16 ESM, "" for bundlers
    zod_major: int = 3
    # the tsconfig's exactOptionalPropertyTypes: an optional property is written `?: T | undefined`
    # (what zod parses it to) and left out rather than given `undefined`
    exact_optional: bool = False

    @property
    def end(self) -> str:
        return ";" if self.semi else ""

    def q(self, text: str) -> str:
        """A string literal in the project's quote style."""
        body = json.dumps(text)[1:-1]  # escapes \\, control chars and "
        if self.quote == "'":
            body = body.replace('\\"', '"').replace("'", "\\'")
        return f"{self.quote}{body}{self.quote}"

    def lit(self, value) -> str:
        """A JS literal for a JSON value."""
        if isinstance(value, str):
            return self.q(value)
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        return json.dumps(value)

    def block(self, lines: list[str], depth: int = 1) -> list[str]:
        return [(self.indent * depth + line) if line else line for line in lines]

    def comma_list(self, items: list[str], depth: int) -> list[str]:
        """Multiline list items, with or without the trailing comma the project uses."""
        out = []
        for i, item in enumerate(items):
            last = i == len(items) - 1
            out.append(self.indent * depth + item + ("," if not last or self.trailing_comma else ""))
        return out


def style_for(ctx: WorkspaceContext | None, file: Path | None) -> TsStyle:
    if ctx is None:
        return TsStyle()
    votes = ctx.conventions().get("typescript", {})

    def value(key, default):
        v = votes.get(key)
        return v.value if v is not None else default

    quote = '"' if value("quotes", "single") == "double" else "'"
    semi = value("semicolons", "always") == "always"
    indent_vote = value("indent", "2 spaces")
    indent = "\t" if indent_vote == "tab" else " " * int(indent_vote.split()[0])
    trailing = value("trailing_commas", "all") == "all"
    ext = ""
    config = ctx.nearest_tsconfig(file) if file is not None else None
    package = ctx.nearest_package(file) if file is not None else None
    esm = (package is not None and package.type == "module") or (file is not None and file.suffix in (".mts", ".mjs"))
    if config is not None and config.module_resolution in ("node16", "nodenext") and esm:
        ext = ".js"  # required by the compiler
    elif value("relative_import_extension", "none") == ".js" and (
        config is None or config.module_resolution != "bundler"
    ):
        ext = ".js"
    zod_major = 3
    if package is not None:
        group = package.declared("zod")
        spec = package.groups()[group]["zod"] if group else None
        if spec:
            digits = "".join(ch if ch.isdigit() else " " for ch in spec).split()
            zod_major = int(digits[0]) if digits else 3
    exact = config is not None and config.option("exactOptionalPropertyTypes") is True
    return TsStyle(quote, semi, indent, trailing, ext, zod_major, exact)
