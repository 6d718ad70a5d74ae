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


# Every stable code, by rule family. A code appears as a string only here: a checker reports the
# constant, so a grep for the code leads to this line and a grep for the constant to its rule.

# FA0xx — the workspace's own configuration files (context/).
CODE_BAD_PACKAGE_JSON = "FA001"
CODE_BAD_TSCONFIG = "FA002"
CODE_UNREADABLE_FILE = "FA003"
CODE_TSCONFIG_EXTENDS = "FA004"
CODE_BAD_PYPROJECT = "FA005"
CODE_BAD_WORKSPACE_FILE = "FA006"
CODE_BAD_SETTINGS_FILE = "FA007"
# FA01x — the OpenAPI documents (specs/).
CODE_BAD_SPEC = "FA010"
CODE_INVALID_SPEC = "FA011"
CODE_BAD_REF = "FA012"
SPEC_CODES = (CODE_BAD_SPEC, CODE_INVALID_SPEC, CODE_BAD_REF)
# FA02x — generated code (generate/).
CODE_GENERATION_MISMATCH = "FA020"
CODE_ANSWER_SYNTAX = "FA021"
# FA1xx — imports (validate/imports.py).
CODE_UNDECLARED_PACKAGE = "FA101"
CODE_DEV_DEPENDENCY_AT_RUNTIME = "FA102"
CODE_SUBPATH_NOT_EXPORTED = "FA103"
CODE_UNRESOLVED_IMPORT = "FA104"
CODE_UNDECLARED_PYTHON_IMPORT = "FA105"
# FA2xx — names imported from workspace modules (validate/exports.py).
CODE_NAME_NOT_EXPORTED = "FA201"
CODE_NO_DEFAULT_EXPORT = "FA202"
# FA203-FA205 — names of installed Python modules (validate/python_names.py).
CODE_UNKNOWN_IMPORTED_NAME = "FA203"
CODE_UNKNOWN_ATTRIBUTE = "FA204"
CODE_UNKNOWN_KEYWORD = "FA205"
# FA3xx — HTTP calls against the specs (validate/api.py).
CODE_UNKNOWN_PATH = "FA301"
CODE_UNKNOWN_METHOD = "FA302"
CODE_BODY_FIELDS = "FA303"
CODE_UNKNOWN_QUERY_PARAM = "FA304"
CODE_UNKNOWN_RESPONSE_FIELD = "FA305"
# FA4xx — the project's conventions (validate/conventions.py).
CODE_NAMING = "FA401"
CODE_MODULE_STYLE = "FA402"
# FA5xx — the deep check (validate/typecheck.py).
CODE_TYPE_ERROR = "FA501"
CODE_TYPECHECK_NOT_RUN = "FA502"

# Every stable code with a one-line title (the README's table, SARIF rule descriptions).
CODE_TITLES = {
    CODE_BAD_PACKAGE_JSON: "package.json is not valid JSON",
    CODE_BAD_TSCONFIG: "tsconfig/jsconfig could not be parsed",
    CODE_UNREADABLE_FILE: "file could not be read",
    CODE_TSCONFIG_EXTENDS: "tsconfig `extends` target not found or circular",
    CODE_BAD_PYPROJECT: "pyproject.toml or requirements file could not be parsed",
    CODE_BAD_WORKSPACE_FILE: "pnpm-workspace.yaml could not be parsed",
    CODE_BAD_SETTINGS_FILE: ".freeagent.json could not be parsed, or a setting in it is invalid",
    CODE_BAD_SPEC: "OpenAPI document is not valid YAML/JSON",
    CODE_INVALID_SPEC: "OpenAPI document does not validate, or an operationId repeats",
    CODE_BAD_REF: "$ref points to nothing, is circular or is remote",
    CODE_GENERATION_MISMATCH: "generated code does not match its operation",
    CODE_ANSWER_SYNTAX: "a model's answer has no code, or its code does not parse",
    CODE_UNDECLARED_PACKAGE: "package not declared in package.json (hallucinated when not installed either)",
    CODE_DEV_DEPENDENCY_AT_RUNTIME: "devDependency imported at runtime from production source",
    CODE_SUBPATH_NOT_EXPORTED: "subpath not exported by the package's exports map",
    CODE_UNRESOLVED_IMPORT: "import resolves to no file",
    CODE_UNDECLARED_PYTHON_IMPORT: "Python import neither stdlib, local nor declared",
    CODE_NAME_NOT_EXPORTED: "named import not exported by the workspace module",
    CODE_NO_DEFAULT_EXPORT: "default import from a module without a default export",
    CODE_UNKNOWN_IMPORTED_NAME: "name imported from an installed Python module that does not define it",
    CODE_UNKNOWN_ATTRIBUTE: "attribute an installed Python module or class does not have",
    CODE_UNKNOWN_KEYWORD: "keyword argument the installed callable does not accept",
    CODE_UNKNOWN_PATH: "HTTP call to a path no operation in the specs has",
    CODE_UNKNOWN_METHOD: "HTTP call with a method the path does not have",
    CODE_BODY_FIELDS: "request body with fields the operation does not have, or without required ones",
    CODE_UNKNOWN_QUERY_PARAM: "query parameter the operation does not define",
    CODE_UNKNOWN_RESPONSE_FIELD: "field read from a parsed response that the operation's success schema does not have",
    CODE_NAMING: "name or file name differs from the project's clear majority case",
    CODE_MODULE_STYLE: "module style contradicts the package (require in ESM, import in a CommonJS .js file)",
    CODE_TYPE_ERROR: "the workspace's TypeScript compiler reports an error in the file",
    CODE_TYPECHECK_NOT_RUN: "the type check could not run: the compiler stopped before checking the file",
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
    def at(cls, line: int, character: int, length: int = 1) -> Range:
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
