from pathlib import Path

import pytest

from freeagent.context.parsing import Parsers

PARSERS = Parsers()


def ts(source: str, language: str = "typescript"):
    return PARSERS.summarize("src/a.ts", language, source.encode())


@pytest.mark.parametrize(
    "source, expected",
    [
        pytest.param("import x from 'a';", [("a", "static", ("default",), False)], id="default"),
        pytest.param("import { b, c as d } from './b.js';", [("./b.js", "static", ("b", "c"), False)], id="named"),
        pytest.param("import * as ns from 'ns';", [("ns", "static", ("*",), False)], id="namespace"),
        pytest.param("import type { T } from './types';", [("./types", "static", ("T",), True)], id="type-only"),
        pytest.param("import './polyfill';", [("./polyfill", "static", (), False)], id="side-effect"),
        pytest.param("export * from './all';", [("./all", "reexport", ("*",), False)], id="export-star"),
        pytest.param("export { a as b } from 'pkg';", [("pkg", "reexport", ("a",), False)], id="reexport-named"),
        pytest.param("export type { T } from './t';", [("./t", "reexport", ("T",), True)], id="reexport-type"),
        pytest.param("const fs = require('fs');", [("fs", "require", ("*",), False)], id="require"),
        pytest.param(
            "const { a, b: c } = require('m');", [("m", "require", ("a", "b"), False)], id="require-destructured"
        ),
        pytest.param("import fs = require('fs');", [("fs", "import-equals", ("*",), False)], id="import-equals"),
        pytest.param(
            "async function f() { await import('node:path'); }",
            [("node:path", "dynamic", ("*",), False)],
            id="dynamic-nested",
        ),
        pytest.param(
            "function g() { if (x) { require('deep'); } }", [("deep", "require", ("*",), False)], id="require-nested"
        ),
        pytest.param("require(name);", [], id="require-non-literal"),
        # calls are found where their names are followed by `(` in the text, then looked up in
        # the tree: look-alikes in strings, comments, other names and member calls are no calls
        pytest.param(
            "const m = await import\n  ('./late');", [("./late", "dynamic", ("*",), False)], id="dynamic-newline"
        ),
        pytest.param(
            "const s = \"require('a')\"; // import('b')\n/* require('c') */ x.require('d'); myrequire('e');"
            "\nfunction require(id) { return id; }",
            [],
            id="not-calls",
        ),
        pytest.param("const t = `${require('tpl')}`;", [("tpl", "require", ("*",), False)], id="require-in-template"),
    ],
)
def test_imports(source, expected):
    summary = ts(source)
    assert [(r.specifier, r.kind, r.names, r.type_only) for r in summary.imports] == expected


def test_import_span_points_at_the_specifier():
    (record,) = ts("\n  import x from 'lodash';").imports
    assert (record.span.line, record.span.column, record.span.end_column) == (1, 16, 24)


def test_exports_and_symbols():
    summary = ts(
        """
export default function main() {}
export const a = 1, b = () => 2;
export class C {}
export interface I {}
export type T = string;
export enum E { X }
const local = 3;
const MAX_RETRIES = 5;
export { local as renamedLocal };
export * as ns from './ns';
declare module 'virtual:env' { export const x: number; }
"""
    )
    exports = {(e.name, e.kind) for e in summary.exports}
    assert exports >= {
        ("default", "default"),
        ("a", "local"),
        ("b", "local"),
        ("C", "local"),
        ("I", "local"),
        ("T", "local"),
        ("E", "local"),
        ("renamedLocal", "local"),
        ("ns", "reexport"),
    }
    kinds = {s.name: (s.kind, s.exported) for s in summary.symbols}
    assert kinds["main"] == ("function", True)
    assert kinds["b"] == ("function", True)
    assert kinds["a"] == ("variable", True)
    assert kinds["C"] == ("class", True) and kinds["I"] == ("interface", True)
    assert kinds["T"] == ("type", True) and kinds["E"] == ("enum", True)
    assert kinds["local"] == ("variable", False)
    assert kinds["MAX_RETRIES"] == ("constant", False)
    assert summary.ambient_modules == ["virtual:env"]


def test_commonjs_exports():
    summary = ts("module.exports = { send, retry: 3 };\nexports.extra = 1;\n", "javascript")
    assert {(e.name, e.kind) for e in summary.exports} == {
        ("default", "commonjs"),
        ("send", "commonjs"),
        ("retry", "commonjs"),
        ("extra", "commonjs"),
    }
    assert summary.style.cjs == 2 and summary.style.esm == 0


def test_jsx_in_js_and_components():
    summary = PARSERS.summarize(
        "src/App.jsx",
        "tsx",
        b'import React from "react"\nexport function UserCard({ name }) {\n  return <div className="card">{name}</div>\n}\n',
    )
    assert not summary.has_errors
    assert summary.symbols[0].kind == "component"
    # the JSX attribute string does not vote for quotes
    assert (summary.style.double_quotes, summary.style.single_quotes) == (1, 0)
    assert summary.style.without_semicolon >= 2 and summary.style.with_semicolon == 0


def test_style_sample():
    summary = ts("const a = {\n    x: 'a',\n    y: 'b',\n};\nconst b = [\n    1,\n    2\n];\nfetch('/x');\n")
    style = summary.style
    assert style.single_quotes == 3 and style.double_quotes == 0
    assert style.with_semicolon == 3 and style.without_semicolon == 0
    assert style.indent == {"4": 2}
    assert (style.trailing_comma, style.no_trailing_comma) == (1, 1)
    assert style.fetch_calls == 1


def test_fetch_calls_are_counted_by_the_call_not_the_word():
    source = (
        "refetch(1); window.fetch('/a'); const s = 'fetch(x)'; // fetch(y)\n"
        "function fetch(u: string) { return u; }\nawait fetch (`/b/${id}`, {});\n"
    )
    assert ts(source).style.fetch_calls == 1


def test_python_imports_symbols_and_all():
    summary = PARSERS.summarize(
        "app/x.py",
        "python",
        b"from __future__ import annotations\nimport os.path as p, sys\nfrom . import models\nfrom ..core.db import Session as S, engine\n"
        b"try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
        b"__all__ = ['handler']\n\n@decorator\ndef handler():\n    return \"x\"\n\nclass Item:\n    pass\n\nLIMIT = 10\n",
    )
    assert [(r.specifier, r.names) for r in summary.imports] == [
        ("os.path", ("*",)),
        ("sys", ("*",)),
        (".", ("models",)),
        ("..core.db", ("Session", "engine")),
        ("yaml", ("*",)),
    ]
    assert [e.name for e in summary.exports] == ["handler"]
    kinds = {s.name: (s.kind, s.exported) for s in summary.symbols}
    assert kinds == {"handler": ("function", True), "Item": ("class", False), "LIMIT": ("constant", False)}
    assert summary.style.indent == {"4": 4}  # try body, except body, def body, class body


def test_syntax_errors_are_flagged_not_fatal():
    summary = ts("import { from 'x';\nexport const ok = 1;\n")
    assert summary.has_errors
    assert any(e.name == "ok" for e in summary.exports)


@pytest.mark.parametrize("seed", range(8))
def test_incremental_reparse_matches_a_full_parse(seed):
    """Open documents re-parse incrementally; the summary must equal a from-scratch parse."""
    import random

    rng = random.Random(seed)
    source = (Path(__file__).resolve().parents[2] / "examples/taskboard/src/routes/tasks.ts").read_bytes()
    snippets = [
        b"import z from 'zod';\n",
        b"const q = require('x');\n",
        b"export const k = 1;\n",
        b"fetch('/a');\n",
        b"}",
        b"'",
        b"\n\n",
        b"export * from './y.js';\n",
        b"",
    ]
    previous = None
    current = source
    for _ in range(6):
        summary, tree = PARSERS.summarize_tree("src/t.ts", "typescript", current, previous)
        full = PARSERS.summarize("src/t.ts", "typescript", current)
        assert (summary.imports, summary.exports, summary.symbols, summary.style, summary.has_errors) == (
            full.imports,
            full.exports,
            full.symbols,
            full.style,
            full.has_errors,
        )
        previous = (current, tree)
        at = rng.randrange(len(current) + 1)
        cut = rng.randrange(0, 40)
        current = current[:at] + rng.choice(snippets) + current[at + cut :]


def test_a_summary_from_kept_statements_equals_a_fresh_one():
    """An open document's summary reuses what each unchanged top-level statement gave (same
    text at the same place) and the style and indentation samples while their text is the
    same: after each kind of edit it must equal a summary made from nothing."""
    import random

    head = "import { a } from './a.js';\nconst fs = require('fs');\n"
    blocks = [
        f"export function f{n}(x: string) {{\n  const r = await fetch(`/t/${{x}}`);\n  return import('./m{n}.js');\n}}\n"
        for n in range(100)  # 11 KB: a statement straddles the style sample's end
    ]
    text = head + "".join(blocks) + 'export { a };\nmodule.exports.z = 1;\ndeclare module "virt" {}\n'
    edits = [
        lambda t: "// one more line on top\n" + t,  # every statement moves down
        lambda t: t.replace("f7(x", "f7(y", 1),  # one statement changes in place
        lambda t: t.replace("import { a } from './a.js';\n", ""),  # a statement goes
        lambda t: t.replace("  return import('./m30.js');\n", '    return require("./m30.js");\n'),  # quotes, indent
        lambda t: t + "export const last = () => fetch('/x');\n",
        lambda t: t.replace("'", '"'),  # the style sample changes everywhere
        lambda t: t[: len(t) // 2] + "export function broken( {\n" + t[len(t) // 2 :],  # a parse error
    ]
    rng = random.Random(7)
    memo: dict = {}
    previous = None
    for step in range(40):
        text = rng.choice(edits)(text) if step else text
        source = text.encode()
        kept, tree = PARSERS.summarize_tree("src/a.ts", "typescript", source, previous, memo)
        assert kept == PARSERS.summarize("src/a.ts", "typescript", source), f"step {step}"
        previous = (source, tree)
    assert memo  # statements were kept
