"""Which files are code, and in which language: the suffix tables everything else shares.

Plain data with no imports, so the language server's adapters can use it without loading the
engine (start-up stays fast); :mod:`freeagent.context.files` classifies files with it, the
generators and validators decide what applies to a file with it.
"""

from __future__ import annotations

# TypeScript proper (not JavaScript): what the spec-first generator writes and tsc checks.
TS_SUFFIXES = (".ts", ".tsx", ".mts", ".cts")
JS_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs")
PY_SUFFIXES = (".py", ".pyi")

# every indexed source suffix → the tree-sitter grammar that parses it
SOURCE_SUFFIXES = {
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "tsx",  # the TSX grammar parses JSX too
    ".py": "python",
    ".pyi": "python",
}

# files the validators check (stubs are declarations, not code anyone runs)
CODE_SUFFIXES = TS_SUFFIXES + JS_SUFFIXES + (".py",)
# files a generation task can be written in (spec-first and LLM code actions)
GENERATE_SUFFIXES = TS_SUFFIXES + (".py",)
