"""Findings: the one plain result type every checker in the engine returns.

A Finding is what the LSP adapter turns into a ``Diagnostic`` and what ``freeagent check``
prints; it carries no pygls types. Positions are 0-based (LSP style); the CLI converts to
1-based when it prints. Codes are stable, listed in the README and explained one by one in
``docs/diagnostics.md``, which :func:`docs_url` links to (an editor shows the link on the code).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


# Stable codes for problems with the workspace's own configuration files (FA0xx).
CODE_BAD_PACKAGE_JSON = "FA001"
CODE_BAD_TSCONFIG = "FA002"
CODE_UNREADABLE_FILE = "FA003"
CODE_TSCONFIG_EXTENDS = "FA004"
CODE_BAD_PYPROJECT = "FA005"
CODE_BAD_WORKSPACE_FILE = "FA006"

# Every stable code with a one-line title (the README's table, SARIF rule descriptions).
CODE_TITLES = {
    CODE_BAD_PACKAGE_JSON: "package.json is not valid JSON",
    CODE_BAD_TSCONFIG: "tsconfig/jsconfig could not be parsed",
    CODE_UNREADABLE_FILE: "file could not be read",
    CODE_TSCONFIG_EXTENDS: "tsconfig `extends` target not found or circular",
    CODE_BAD_PYPROJECT: "pyproject.toml or requirements file could not be parsed",
    CODE_BAD_WORKSPACE_FILE: "pnpm-workspace.yaml could not be parsed",
    "FA010": "OpenAPI document is not valid YAML/JSON",
    "FA011": "OpenAPI document does not validate, or an operationId repeats",
    "FA012": "$ref points to nothing, is circular or is remote",
    "FA020": "generated code does not match its operation",
    "FA021": "a model's answer has no code, or its code does not parse",
    "FA101": "package not declared in package.json (hallucinated when not installed either)",
    "FA102": "devDependency imported at runtime from production source",
    "FA103": "subpath not exported by the package's exports map",
    "FA104": "import resolves to no file",
    "FA105": "Python import neither stdlib, local nor declared",
    "FA201": "named import not exported by the workspace module",
    "FA202": "default import from a module without a default export",
    "FA301": "HTTP call to a path no operation in the specs has",
    "FA302": "HTTP call with a method the path does not have",
    "FA303": "request body with fields the operation does not have, or without required ones",
    "FA304": "query parameter the operation does not define",
    "FA501": "the workspace's TypeScript compiler reports an error in the file",
    "FA401": "name or file name differs from the project's clear majority case",
    "FA402": "module style contradicts the package (require in ESM, import in a CommonJS .js file)",
}

# Where docs/diagnostics.md is published (the same URL as pyproject.toml's [project.urls]).
DOCS_URL = "https://github.com/free-agent-dev/free-agent/blob/main/docs/diagnostics.md"


def docs_url(code: str) -> str:
    """The page section explaining ``code``: its heading is the bare code, so GitHub's anchor is
    the code in lower case ('## FA101' → '#fa101')."""
    return f"{DOCS_URL}#{code.lower()}"


@dataclass(frozen=True, slots=True)
class Range:
    line: int
    character: int
    end_line: int
    end_character: int

    @classmethod
    def at(cls, line: int, character: int, length: int = 1) -> "Range":
        return cls(line, character, line, character + length)


@dataclass(frozen=True, slots=True)
class Finding:
    file: str  # absolute path
    range: Range
    severity: Severity
    code: str
    message: str
    source: str = "freeagent"
    fixes: tuple = field(default_factory=tuple)

    def to_json(self, relative_to: str | None = None) -> dict:
        """The CLI/JSON contract shape (1-based line/column, path relative to the workspace)."""
        import os

        path = os.path.relpath(self.file, relative_to) if relative_to else self.file
        return {
            "file": path.replace(os.sep, "/"),
            "line": self.range.line + 1,
            "column": self.range.character + 1,
            "end_line": self.range.end_line + 1,
            "end_column": self.range.end_character + 1,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "source": self.source,
            "fixes": [f.to_json() if hasattr(f, "to_json") else asdict(f) for f in self.fixes],
        }
