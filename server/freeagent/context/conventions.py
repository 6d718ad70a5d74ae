"""Conventions inferred by majority vote from the project's own code, each with its evidence.

Owns the inference only: formatting (quotes, semicolons, indentation, trailing commas), module
system, import style (alias vs relative, extensions on relative imports), naming case per kind
of name and for file names, and the libraries in use (HTTP framework, validation, HTTP client,
test framework). Every result carries the counts it was decided on and the winning share, so
callers (prompts, the conventions validator) can judge confidence; a vote with no evidence
yields ``None`` rather than a guess.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .parsing import FileSummary

_CASES = (
    ("SCREAMING_SNAKE_CASE", re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")),
    ("PascalCase", re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)*$|^[A-Z][a-zA-Z0-9]*[a-z][a-zA-Z0-9]*$")),
    ("camelCase", re.compile(r"^[a-z][a-z0-9]*(?:[A-Z][a-zA-Z0-9]*)+$")),
    ("snake_case", re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")),
    ("kebab-case", re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")),
)


@lru_cache(maxsize=65536)  # a pure function of the name, asked for every symbol on every check
def name_case(name: str) -> str | None:
    """The case style of a name, or None when it is ambiguous (one lowercase word, `_x`, `X`)."""
    name = name.strip("_$")
    for label, pattern in _CASES:
        if pattern.match(name):
            return label
    return None


@dataclass(frozen=True)
class Vote:
    value: str
    evidence: dict[str, int]
    total: int
    share: float

    def to_json(self) -> dict:
        return {"value": self.value, "evidence": self.evidence, "total": self.total, "share": self.share}


def vote(counts: Counter | dict) -> Vote | None:
    counts = {k: v for k, v in counts.items() if v > 0}
    total = sum(counts.values())
    if not total:
        return None
    # ties break by name so the result is deterministic
    value = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    ordered = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return Vote(value, ordered, total, round(counts[value] / total, 3))


# Libraries by category: import root → display name. Python names are import names.
HTTP_FRAMEWORKS = {
    "express": "express",
    "fastify": "fastify",
    "hono": "hono",
    "next": "next",
    "koa": "koa",
    "@nestjs/core": "nestjs",
    "@nestjs/common": "nestjs",
    "@hapi/hapi": "hapi",
    "restify": "restify",
    "@remix-run/node": "remix",
    "elysia": "elysia",
    "fastapi": "fastapi",
    "flask": "flask",
    "django": "django",
    "starlette": "starlette",
}
VALIDATION_LIBS = {
    "zod": "zod",
    "joi": "joi",
    "yup": "yup",
    "valibot": "valibot",
    "ajv": "ajv",
    "class-validator": "class-validator",
    "superstruct": "superstruct",
    "@sinclair/typebox": "typebox",
    "io-ts": "io-ts",
    "arktype": "arktype",
    "pydantic": "pydantic",
    "marshmallow": "marshmallow",
    "attrs": "attrs",
}
HTTP_CLIENTS = {
    "axios": "axios",
    "ky": "ky",
    "got": "got",
    "node-fetch": "node-fetch",
    "undici": "undici",
    "superagent": "superagent",
    "ofetch": "ofetch",
    "httpx": "httpx",
    "requests": "requests",
    "aiohttp": "aiohttp",
    "urllib3": "urllib3",
}
TEST_FRAMEWORKS = {
    "vitest": "vitest",
    "jest": "jest",
    "@jest/globals": "jest",
    "mocha": "mocha",
    "ava": "ava",
    "node:test": "node:test",
    "@playwright/test": "playwright",
    "cypress": "cypress",
    "pytest": "pytest",
    "unittest": "unittest",
}

_TEST_FILE = re.compile(r"(^|/)(__tests__/|tests?/)|\.(test|spec)\.[cm]?[jt]sx?$|(^|/)test_[^/]*\.py$|_test\.py$")


def package_root(specifier: str, python: bool = False) -> str:
    if python:
        return specifier.split(".", 1)[0]
    if specifier.startswith("node:"):
        return specifier
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def is_bare(specifier: str) -> bool:
    return not specifier.startswith((".", "/", "#")) and "://" not in specifier


def _library_vote(
    table: dict[str, str],
    summaries: Iterable[FileSummary],
    declared: set[str],
    extra: Counter | None = None,
) -> Vote | None:
    """Files importing each library, plus one vote for a declared-but-unimported library."""
    files = Counter(extra or {})
    for summary in summaries:
        python = summary.language == "python"
        seen = set()
        for record in summary.imports:
            if python and record.specifier.startswith("."):
                continue
            root = package_root(record.specifier, python)
            if root in table:
                seen.add(table[root])
        files.update(seen)
    for package in declared:
        if package in table and files[table[package]] == 0:
            files[table[package]] = 1
    return vote(files)


def infer(
    summaries: list[FileSummary],
    declared_packages: set[str],
    alias_prefixes: list[str],
) -> dict[str, dict[str, Vote | None]]:
    """Conventions per language family ('typescript' covers TS and JS; 'python')."""
    families = {
        "typescript": [s for s in summaries if s.language != "python"],
        "python": [s for s in summaries if s.language == "python"],
    }
    result: dict[str, dict[str, Vote | None]] = {}
    for family, files in families.items():
        if not files:
            continue
        quotes: Counter[str] = Counter()
        semis: Counter[str] = Counter()
        indent: Counter[str] = Counter()
        commas: Counter[str] = Counter()
        modules: Counter[str] = Counter()
        import_style: Counter[str] = Counter()
        extensions: Counter[str] = Counter()
        naming: dict[str, Counter[str]] = {}
        file_names: Counter[str] = Counter()
        component_files: Counter[str] = Counter()
        fetch_files = 0
        for s in files:
            st = s.style
            quotes["single"] += st.single_quotes
            quotes["double"] += st.double_quotes
            semis["always"] += st.with_semicolon
            semis["never"] += st.without_semicolon
            commas["all"] += st.trailing_comma
            commas["none"] += st.no_trailing_comma
            for k, v in st.indent.items():
                indent["tab" if k == "tab" else f"{k} spaces"] += v
            fetch_files += 1 if st.fetch_calls else 0
            if family == "typescript":
                if st.esm and not st.cjs:
                    modules["esm"] += 1
                elif st.cjs and not st.esm:
                    modules["commonjs"] += 1
                elif st.cjs and st.esm:
                    modules["mixed"] += 1
                for record in s.imports:
                    spec = record.specifier
                    if spec.startswith("."):
                        import_style["relative-parent" if spec.startswith("../") else "relative"] += 1
                        ext = posixpath.splitext(spec)[1]
                        extensions[ext if ext in (".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx") else "none"] += 1
                    elif spec.startswith("#") or any(spec.startswith(p) for p in alias_prefixes):
                        import_style["alias"] += 1
            for symbol in s.symbols:
                case = name_case(symbol.name)
                if case:
                    kind = "types" if symbol.kind in ("class", "interface", "type", "enum") else symbol.kind + "s"
                    naming.setdefault(kind, Counter())[case] += 1
            base = posixpath.basename(s.path).split(".", 1)[0]
            if case := name_case(base):
                # React component files follow their own rule (UserCard.tsx beside api-client.ts)
                if s.language == "tsx" and any(sym.kind == "component" for sym in s.symbols):
                    component_files[case] += 1
                else:
                    file_names[case] += 1
        summary_naming = {k: vote(v) for k, v in sorted(naming.items())}
        summary_naming["files"] = vote(file_names)
        if component_files:
            summary_naming["component_files"] = vote(component_files)
        conventions: dict[str, Vote | None] = {
            "quotes": vote(quotes),
            "indent": vote(indent),
        }
        if family == "typescript":
            conventions["semicolons"] = vote(semis)
            conventions["trailing_commas"] = vote(commas)
            conventions["module_system"] = vote(modules)
            # alias vs going up the tree with ../ is the choice a generator has to make
            conventions["import_style"] = vote(
                {"alias": import_style["alias"], "relative": import_style["relative-parent"]}
            )
            conventions["relative_import_extension"] = vote(extensions)
        for kind, v in summary_naming.items():
            conventions[f"naming.{kind}"] = v
        lib_declared = {p for p in declared_packages}
        conventions["http_framework"] = _library_vote(HTTP_FRAMEWORKS, files, lib_declared)
        conventions["validation"] = _library_vote(VALIDATION_LIBS, files, lib_declared)
        client_extra = Counter({"fetch": fetch_files}) if family == "typescript" else None
        conventions["http_client"] = _library_vote(HTTP_CLIENTS, files, lib_declared, client_extra)
        tests = [s for s in files if _TEST_FILE.search(s.path)]
        conventions["test_framework"] = _library_vote(TEST_FRAMEWORKS, tests, lib_declared)
        result[family] = conventions
    return result
