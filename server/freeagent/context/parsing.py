"""Source files → plain summaries, with tree-sitter (TypeScript, TSX/JSX, JavaScript, Python).

Owns what the code index knows about one file: its imports (static, type-only, re-exports,
``require``, ``import x = require()``, dynamic ``import()``, Python ``import``/``from``), its
exports (named, default, re-exported, ``export *``, CommonJS ``module.exports``), top-level
symbols with kinds, and a small style sample (quotes, semicolons, indentation, trailing commas)
that the conventions module aggregates. No syntax tree is kept: summaries are small so a
5,000-file workspace stays well under 200 MB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Query, QueryCursor


@dataclass(slots=True, frozen=True)
class Span:
    line: int  # 0-based
    column: int
    end_line: int
    end_column: int

    @classmethod
    def of(cls, node: Node) -> Span:
        (sl, sc), (el, ec) = node.start_point, node.end_point
        return cls(sl, sc, el, ec)


@dataclass(slots=True, frozen=True)
class ImportRecord:
    specifier: str
    kind: str  # static | reexport | require | import-equals | dynamic | python
    names: tuple[str, ...]  # imported names: "default", "*", or export names
    type_only: bool
    span: Span  # of the specifier string (the module name for Python)
    # require()/import() inside a try block or with a .catch(): an optional dependency, whose
    # absence the code handles
    guarded: bool = False


@dataclass(slots=True, frozen=True)
class ExportRecord:
    name: str  # "default", "*" (export * from), or the exported name
    kind: str  # local | default | reexport | reexport-all | commonjs
    source: str | None = None
    type_only: bool = False


@dataclass(slots=True, frozen=True)
class SymbolRecord:
    name: str
    kind: str  # function | component | class | interface | type | enum | variable | constant | namespace
    exported: bool
    line: int


@dataclass(slots=True)
class StyleSample:
    single_quotes: int = 0
    double_quotes: int = 0
    with_semicolon: int = 0
    without_semicolon: int = 0
    indent: dict = field(default_factory=dict)  # "tab" | "2" | "4" … -> count of indent steps
    trailing_comma: int = 0
    no_trailing_comma: int = 0
    esm: int = 0  # import/export statements
    cjs: int = 0  # require() calls and module.exports/exports.x assignments
    fetch_calls: int = 0


@dataclass(slots=True)
class FileSummary:
    path: str  # posix, relative to the workspace root
    language: str
    size: int
    imports: list[ImportRecord] = field(default_factory=list)
    exports: list[ExportRecord] = field(default_factory=list)
    symbols: list[SymbolRecord] = field(default_factory=list)
    ambient_modules: list[str] = field(default_factory=list)  # declare module 'x'
    style: StyleSample = field(default_factory=StyleSample)
    has_errors: bool = False


# the style sample (quotes, semicolons, trailing commas): matched in a file's first
# STYLE_SAMPLE_BYTES only — a vote needs samples, not every string of a 5,000-line file (zod's
# types.ts alone had 9,000 matches: a third of a cold check's parsing time went to this loop)
_TS_STYLE_QUERY = """
(string) @string
[(lexical_declaration) (variable_declaration) (expression_statement) (return_statement)
 (import_statement) (throw_statement) (break_statement) (continue_statement)
 (type_alias_declaration)] @stmt
[(object) (array) (named_imports) (object_pattern) (array_pattern) (export_clause)] @list
"""
STYLE_SAMPLE_BYTES = 8 * 1024
# require(), fetch() and import() calls are found from where their names occur in the text: a
# query for them walked every call of the file (0.24 s of zod's 0.9 s of parsing, for 5 calls).
# bytes.find, not a regular expression: `\b(require|fetch|import)\s*\(` took 0.11 s over
# chartdb's 8.7 MB, the finds and their checks 0.02 s
_CALL_NAMES = (b"require", b"fetch", b"import")
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _call_names(source: bytes, start: int = 0, end: int | None = None):
    """(offset, name) wherever require, fetch or import stands as a word followed by ``(``
    (spaces and line breaks between allowed), in source[start:end]."""
    end = len(source) if end is None else end
    for word in _CALL_NAMES:
        at = source.find(word, start, end)
        while at != -1:
            after = at + len(word)
            if at == 0 or source[at - 1] not in _WORD_BYTES:
                while after < len(source) and source[after] in b" \t\r\n":
                    after += 1
                if source[after : after + 1] == b"(":
                    yield at, word.decode()
            at = source.find(word, at + len(word), end)


_PY_QUERY = """
(import_statement) @import
(import_from_statement) @from
(future_import_statement) @future
(string) @string
"""

_DECLARATION_KINDS = {
    "function_declaration": "function",
    "generator_function_declaration": "function",
    "function_signature": "function",
    "class_declaration": "class",
    "abstract_class_declaration": "class",
    "interface_declaration": "interface",
    "type_alias_declaration": "type",
    "enum_declaration": "enum",
    "internal_module": "namespace",
    "module": "namespace",
}
_FUNCTION_VALUES = {"arrow_function", "function_expression", "function", "generator_function"}


# the nodes that open a function scope (a try there guards nothing outside; a const there is its own)
FUNCTION_SCOPES = frozenset(
    (
        "function_declaration",
        "function_expression",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
    )
)


def _calls(root: Node, source: bytes, start: int = 0, end: int | None = None):
    """(name, call node, first argument if it is a string literal) of every ``require(…)``,
    ``fetch(…)`` and ``import(…)`` call: each place the name is followed by ``(`` in the text is
    looked up in the tree (a string or a comment there is no call; ``window.fetch`` is not one)."""
    for at, name in _call_names(source, start, end):
        node = root.named_descendant_for_byte_range(at, at + len(name))
        if node is None or node.start_byte != at or node.end_byte != at + len(name):
            continue
        if node.type != ("import" if name == "import" else "identifier"):
            continue
        call = node.parent
        if call is None or call.type != "call_expression" or call.child_by_field_name("function") != node:
            continue
        arguments = call.child_by_field_name("arguments")
        first = arguments.named_child(0) if arguments is not None and arguments.type == "arguments" else None
        yield name, call, first if first is not None and first.type == "string" else None


def _guarded(call: Node) -> bool:
    """Whether a require()/import() call's failure is handled where it is made: inside the block
    of a ``try`` (in the same function), or with ``.catch(...)`` on the promise."""
    parent = call.parent
    if parent is not None and parent.type == "member_expression":
        prop = parent.child_by_field_name("property")
        if prop is not None and _text(prop) == "catch":
            return True
    child, node = call, parent
    while node is not None and node.type not in FUNCTION_SCOPES:
        if node.type == "try_statement" and node.child_by_field_name("body") == child:
            return True
        child, node = node, node.parent
    return False


_PY_IMPORT_ERRORS = frozenset((b"ImportError", b"ModuleNotFoundError", b"Exception", b"BaseException"))


def _py_import_context(node: Node) -> tuple[bool, bool]:
    """(guarded, type_only) of a Python import statement: inside the body of a ``try`` whose
    ``except`` catches ImportError (or a parent of it, or everything) — an optional dependency —
    and inside ``if TYPE_CHECKING:`` (the type checker's only)."""
    guarded = type_only = False
    child, parent = node, node.parent
    while parent is not None and parent.type not in ("function_definition", "class_definition"):
        if parent.type == "try_statement" and child.type == "block" and child == parent.child(2):
            for clause in parent.named_children:
                if clause.type == "except_clause":
                    caught = clause.named_children[0] if clause.named_child_count > 1 else None
                    if caught is None or any(
                        n.type == "identifier" and n.text in _PY_IMPORT_ERRORS for n in _walk(caught)
                    ):
                        guarded = True
        elif parent.type == "if_statement" and child == parent.child_by_field_name("consequence"):
            condition = parent.child_by_field_name("condition")
            if condition is not None and (condition.text or b"").endswith(b"TYPE_CHECKING"):
                type_only = True
        child, parent = parent, parent.parent
    return guarded, type_only


def _walk(node: Node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.children)


def _bound_names(pattern: Node) -> list[str]:
    """The names a destructuring pattern binds: ``{ a, b: c, d = 1, ...e }`` → a, c, d, e;
    ``[f, [g], , ...h]`` → f, g, h."""
    names: list[str] = []
    stack = [pattern]
    while stack:
        node = stack.pop()
        t = node.type
        if t in ("identifier", "shorthand_property_identifier_pattern"):
            names.append(_text(node))
        elif t == "pair_pattern":  # b: c — the value binds
            value = node.child_by_field_name("value")
            if value is not None:
                stack.append(value)
        elif t in ("assignment_pattern", "object_assignment_pattern"):  # d = 1 — the left binds
            left = node.child_by_field_name("left")
            if left is not None:
                stack.append(left)
        elif t in ("object_pattern", "array_pattern", "rest_pattern"):
            stack.extend(reversed(node.named_children))
    return names


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def _string_value(node: Node) -> str:
    """The value of a string literal node (quotes stripped, no escape processing needed for specifiers)."""
    raw = _text(node)
    return raw[1:-1] if len(raw) >= 2 and raw[0] in "'\"`" else raw


# a line's indentation, on lines with something on them that is not a comment's continuation
# (`*`), a line comment or a `#` line; possessive, so a blank line never matches a shorter lead
_INDENTED_LINE = re.compile(rb"^([ \t]*+)(?!\*|//|#)[^\n]", re.MULTILINE)


_INDENT_LINES = 400  # the lines the indentation is sampled from
# what the style query counts (the rest of StyleSample comes from the statements themselves)
_SAMPLED = (
    "single_quotes",
    "double_quotes",
    "with_semicolon",
    "without_semicolon",
    "trailing_comma",
    "no_trailing_comma",
)


def _indent_sample(source: bytes, sample: dict, max_lines: int = _INDENT_LINES) -> None:
    """Counts of indentation steps (a line indented 1–8 columns deeper than the line before it:
    "2", "4" …) and of tab-indented lines ("tab"), over the first ``max_lines`` lines."""
    head = b"\n".join(source.split(b"\n", max_lines)[:max_lines])
    previous = 0
    for lead in _INDENTED_LINE.findall(head):
        if lead[:1] == b"\t":
            sample["tab"] = sample.get("tab", 0) + 1
            previous = 0
            continue
        width = len(lead)
        step = width - previous
        if 0 < step <= 8:
            key = _STEP_KEYS[step]
            sample[key] = sample.get(key, 0) + 1
        previous = width


_STEP_KEYS = {n: str(n) for n in range(1, 9)}


def _point(source: bytes, offset: int) -> tuple[int, int]:
    row = source.count(b"\n", 0, offset)
    return row, offset - (source.rfind(b"\n", 0, offset) + 1)


def _common_prefix(a: bytes, b: bytes, limit: int) -> int:
    """Length of the common prefix (compared 4 KB at a time in C, then byte by byte)."""
    i, step = 0, 4096
    while i < limit:
        j = min(i + step, limit)
        if a[i:j] != b[i:j]:
            while a[i] == b[i]:
                i += 1
            return i
        i = j
    return limit


def _edited(previous, source: bytes):
    """The old tree, told about the one contiguous change between old and new source."""
    old_source, old_tree = previous
    limit = min(len(old_source), len(source))
    start = _common_prefix(old_source, source, limit)
    end = _common_prefix(old_source[::-1], source[::-1], limit - start)
    old_end, new_end = len(old_source) - end, len(source) - end
    old_tree.edit(
        start_byte=start,
        old_end_byte=old_end,
        new_end_byte=new_end,
        start_point=_point(old_source, start),
        old_end_point=_point(old_source, old_end),
        new_end_point=_point(source, new_end),
    )
    return old_tree


class Parsers:
    """The tree-sitter languages, parsers and compiled queries (built once per process)."""

    def __init__(self) -> None:
        self._queries: dict[tuple[str, str], Query] = {}

    @cached_property
    def _ts(self):
        lang = Language(tree_sitter_typescript.language_typescript())
        return lang, Parser(lang), Query(lang, _TS_STYLE_QUERY)

    @cached_property
    def _tsx(self):
        lang = Language(tree_sitter_typescript.language_tsx())
        return lang, Parser(lang), Query(lang, _TS_STYLE_QUERY)

    @cached_property
    def _py(self):
        import tree_sitter_python  # imported with the first Python file: most TypeScript projects have none

        lang = Language(tree_sitter_python.language())
        return lang, Parser(lang), Query(lang, _PY_QUERY)

    def query(self, language: str, source: str) -> Query:
        """A compiled query for a language's grammar, compiled once per process."""
        key = (language, source)
        compiled = self._queries.get(key)
        if compiled is None:
            grammar = self._py if language == "python" else self._ts if language == "typescript" else self._tsx
            lang = grammar[0]
            compiled = self._queries[key] = Query(lang, source)
        return compiled

    def summarize(self, rel_path: str, language: str, source: bytes) -> FileSummary:
        return self.summarize_tree(rel_path, language, source)[0]

    def summarize_tree(self, rel_path: str, language: str, source: bytes, previous=None, memo: dict | None = None):
        """(summary, tree). ``previous`` — (old source, old tree) of the same file — lets
        tree-sitter re-parse incrementally: an edit in a large open document costs ~1 ms.
        ``memo`` — a dict kept with an open document — holds what each top-level statement
        contributed, so the next summary re-reads only the statements an edit changed."""
        if language == "python":
            _, parser, _ = self._py
        else:
            # .js/.mjs/.cjs files may contain JSX (React projects), so they use the TSX grammar;
            # TSX can't parse `<T>x` casts, which only .ts files use.
            _, parser, _ = self._ts if language == "typescript" else self._tsx
        tree = parser.parse(source, _edited(previous, source)) if previous is not None else parser.parse(source)
        if language == "python":
            return self._summarize_python(rel_path, source, tree), tree
        query = (self._ts if language == "typescript" else self._tsx)[2]
        return self._summarize_ts(rel_path, language, source, tree, query, memo), tree

    # ------------------------------------------------------------------ TypeScript / JS

    def _summarize_ts(self, rel_path, language, source, tree, style_query, memo=None) -> FileSummary:
        root = tree.root_node
        summary = FileSummary(rel_path, language, len(source), has_errors=root.has_error)
        style = summary.style
        imports, exports, symbols = summary.imports, summary.exports, summary.symbols

        if memo is None:
            for child in root.named_children:
                self._top_level(child, summary)
            self._call_records(root, source, 0, len(source), summary)
            self._style_sample(root, source, style_query, style)
            _indent_sample(source, style.indent)
        else:
            # a statement with the same text at the same place contributes the same records
            # (their positions included): only the statements an edit touched are read again;
            # the style and indentation samples, while the text they are taken from is the same
            fresh: dict = {}
            shares: list[StyleSample] = []  # the style sample, statement by statement
            esm = cjs = fetches = 0
            ambient = summary.ambient_modules
            for child in root.named_children:
                start, end = child.start_byte, child.end_byte
                key = (child.start_point, child.type, source[start:end])
                part = memo.get(key)
                if part is None:
                    piece = FileSummary(rel_path, language, 0)
                    self._top_level(child, piece)
                    self._call_records(child, source, start, end, piece)
                    if end <= STYLE_SAMPLE_BYTES:  # wholly in the style sample: its share depends on its text only
                        self._style_sample(child, source, style_query, piece.style, start, end)
                    counts = (piece.style.esm, piece.style.cjs, piece.style.fetch_calls)
                    part = (piece.imports, piece.exports, piece.symbols, piece.ambient_modules, counts, piece.style)
                fresh[key] = part
                if part[0]:
                    imports.extend(part[0])
                if part[1]:
                    exports.extend(part[1])
                if part[2]:
                    symbols.extend(part[2])
                if part[3]:
                    ambient.extend(part[3])
                esm, cjs, fetches = esm + part[4][0], cjs + part[4][1], fetches + part[4][2]
                if end <= STYLE_SAMPLE_BYTES:
                    shares.append(part[5])
                elif start < STYLE_SAMPLE_BYTES:  # the statement the sample's end cuts through
                    cut = StyleSample()
                    self._style_sample(child, source, style_query, cut, start, STYLE_SAMPLE_BYTES)
                    shares.append(cut)
            style.esm, style.cjs, style.fetch_calls = esm, cjs, fetches
            sample = StyleSample()
            for share in shares:
                for name in _SAMPLED:
                    setattr(sample, name, getattr(sample, name) + getattr(share, name))
            lines = ("indent", b"\n".join(source.split(b"\n", _INDENT_LINES)[:_INDENT_LINES]))
            indent = memo.get(lines)
            if indent is None:
                indent = {}
                _indent_sample(lines[1], indent)
            fresh[lines] = indent
            for name in _SAMPLED:
                setattr(style, name, getattr(sample, name))
            style.indent.update(indent)
            memo.clear()
            memo.update(fresh)
        imports.sort(key=lambda r: (r.span.line, r.span.column))
        exported = {e.name for e in exports if e.kind in ("local", "default")}
        if exported:
            summary.symbols = [
                s if s.exported or s.name not in exported else SymbolRecord(s.name, s.kind, True, s.line)
                for s in symbols
            ]
        return summary

    def _declaration(self, node: Node, summary: FileSummary, exported: bool) -> list[str]:
        """Record symbols a declaration introduces; return their names."""
        kind = _DECLARATION_KINDS.get(node.type)
        tsx = summary.language == "tsx"
        line = node.start_point[0]
        if kind is not None:
            name = _text(node.child_by_field_name("name"))
            if not name:
                return []
            if kind == "function" and tsx and name[:1].isupper():
                kind = "component"
            summary.symbols.append(SymbolRecord(name, kind, exported, line))
            return [name]
        if node.type in ("lexical_declaration", "variable_declaration"):
            names = []
            is_const = node.child(0) is not None and node.child(0).type == "const"
            for declarator in node.named_children:
                if declarator.type != "variable_declarator":
                    continue
                name_node = declarator.child_by_field_name("name")
                if name_node is not None and name_node.type in ("object_pattern", "array_pattern"):
                    # `export const { a, b: c, ...d } = obj`: bound names (exports), though not
                    # symbols that vote on conventions (their names are the object's keys)
                    names += _bound_names(name_node)
                    continue
                if name_node is None or name_node.type != "identifier":
                    continue
                name = _text(name_node)
                value = declarator.child_by_field_name("value")
                if value is not None and value.type in _FUNCTION_VALUES:
                    kind = "component" if tsx and name[:1].isupper() else "function"
                elif is_const and name.isupper() and len(name) > 1:
                    kind = "constant"
                else:
                    kind = "variable"
                summary.symbols.append(SymbolRecord(name, kind, exported, line))
                names.append(name)
            return names
        if node.type == "ambient_declaration":
            for inner in node.named_children:
                if inner.type == "module":
                    name_node = inner.child_by_field_name("name")
                    if name_node is not None and name_node.type == "string":
                        summary.ambient_modules.append(_string_value(name_node))
                        return []
                return self._declaration(inner, summary, exported)
        return []

    def _call_records(self, root, source: bytes, start: int, end: int, summary: FileSummary) -> None:
        """The require()/import() records and fetch() count of the calls in source[start:end]."""
        style, imports = summary.style, summary.imports
        for fn, call, src in _calls(root, source, start, end):
            if fn == "fetch":
                style.fetch_calls += 1
            elif fn == "require" and src is not None:
                style.cjs += 1
                parent = call.parent
                names: tuple[str, ...] = ("*",)
                if parent is not None and parent.type == "variable_declarator":
                    target = parent.child_by_field_name("name")
                    if target is not None and target.type == "object_pattern":
                        names = tuple(
                            _text(p.child_by_field_name("key") or p)
                            for p in target.named_children
                            if p.type in ("shorthand_property_identifier_pattern", "pair_pattern")
                        )
                imports.append(ImportRecord(_string_value(src), "require", names, False, Span.of(src), _guarded(call)))
            elif fn == "import" and src is not None:
                imports.append(ImportRecord(_string_value(src), "dynamic", ("*",), False, Span.of(src), _guarded(call)))

    def _style_sample(
        self, root, source: bytes, style_query, style: StyleSample, start: int = 0, end: int = STYLE_SAMPLE_BYTES
    ) -> None:
        """Quotes, semicolons and trailing commas of the nodes of ``root`` in source[start:end]
        (the file's first STYLE_SAMPLE_BYTES; per statement, the part of it in them)."""
        sampler = QueryCursor(style_query)
        sampler.set_byte_range(start, end)
        for pattern, caps in sampler.matches(root):
            if pattern == 0:
                node = caps["string"][0]
                parent = node.parent
                if parent is not None and parent.type == "jsx_attribute":
                    continue  # JSX attributes use double quotes by convention regardless
                first = source[node.start_byte : node.start_byte + 1]
                if first == b"'":
                    style.single_quotes += 1
                elif first == b'"':
                    style.double_quotes += 1
            elif pattern == 1:
                node = caps["stmt"][0]
                parent = node.parent
                if parent is not None and parent.type in ("for_statement", "for_in_statement"):
                    continue
                last = node.child(node.child_count - 1)
                if last is not None and last.type == ";":
                    style.with_semicolon += 1
                elif not (
                    node.type == "expression_statement" and last is not None and last.type.endswith("_statement")
                ):
                    style.without_semicolon += 1
            elif pattern == 2:
                node = caps["list"][0]
                if node.start_point[0] == node.end_point[0] or node.named_child_count == 0:
                    continue
                closing = node.child(node.child_count - 1)
                before = closing.prev_sibling if closing is not None else None
                while before is not None and before.type == "comment":
                    before = before.prev_sibling
                if before is None:
                    continue
                if before.type == ",":
                    style.trailing_comma += 1
                elif before.end_point[0] != closing.start_point[0]:
                    style.no_trailing_comma += 1  # last element on its own line, no comma

    def _top_level(self, node: Node, summary: FileSummary) -> None:
        t = node.type
        style = summary.style
        if t == "import_statement":
            style.esm += 1
            self._import_statement(node, summary)
            return
        if t == "export_statement":
            style.esm += 1
            self._export_statement(node, summary)
            return
        if t == "expression_statement":
            self._commonjs_export(node, summary)
            return
        self._declaration(node, summary, exported=False)

    def _import_statement(self, node: Node, summary: FileSummary) -> None:
        source = node.child_by_field_name("source")
        type_only = any(c.type == "type" for c in node.children)
        names: list[str] = []
        for clause in node.named_children:
            if clause.type == "import_require_clause":  # import x = require('y')
                src = clause.child_by_field_name("source")
                if src is not None:
                    summary.imports.append(
                        ImportRecord(_string_value(src), "import-equals", ("*",), False, Span.of(src))
                    )
                    summary.style.cjs += 1
                return
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":
                    names.append("default")
                elif part.type == "namespace_import":
                    names.append("*")
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type == "import_specifier":
                            names.append(_text(spec.child_by_field_name("name")))
        if source is not None:
            if not names:  # side-effect import: import './polyfill'
                names = []
            summary.imports.append(
                ImportRecord(_string_value(source), "static", tuple(names), type_only, Span.of(source))
            )

    def _export_statement(self, node: Node, summary: FileSummary) -> None:
        source = node.child_by_field_name("source")
        type_only = any(c.type == "type" for c in node.children)
        is_default = any(c.type == "default" for c in node.children)
        declaration = node.child_by_field_name("declaration")
        exports = summary.exports
        if source is not None:
            spec = _string_value(source)
            clause = next((c for c in node.named_children if c.type == "export_clause"), None)
            names: list[str] = []
            if clause is None:
                ns = next((c for c in node.named_children if c.type == "namespace_export"), None)
                if ns is not None:  # export * as ns from 'x'
                    alias = _text(ns.named_children[-1]) if ns.named_children else "*"
                    exports.append(ExportRecord(alias, "reexport", spec, type_only))
                    names = ["*"]
                else:
                    exports.append(ExportRecord("*", "reexport-all", spec, type_only))
                    names = ["*"]
            else:
                for s in clause.named_children:
                    if s.type != "export_specifier":
                        continue
                    name = _text(s.child_by_field_name("name"))
                    alias = _text(s.child_by_field_name("alias")) or name
                    exports.append(ExportRecord(alias, "reexport", spec, type_only))
                    names.append(name)
            summary.imports.append(ImportRecord(spec, "reexport", tuple(names), type_only, Span.of(source)))
            return
        if is_default:
            exports.append(ExportRecord("default", "default"))
            if declaration is not None:
                self._declaration(declaration, summary, exported=True)
            return
        if declaration is not None:
            for name in self._declaration(declaration, summary, exported=True):
                exports.append(
                    ExportRecord(
                        name, "local", type_only=declaration.type in ("interface_declaration", "type_alias_declaration")
                    )
                )
            return
        for clause in node.named_children:
            if clause.type == "export_clause":  # export { a, b as c }
                for s in clause.named_children:
                    if s.type == "export_specifier":
                        name = _text(s.child_by_field_name("name"))
                        alias = _text(s.child_by_field_name("alias")) or name
                        exports.append(ExportRecord(alias, "local", type_only=type_only))
            elif clause.type in ("identifier", "expression") and any(c.type == "=" for c in node.children):
                exports.append(ExportRecord("default", "commonjs"))  # export = x

    def _commonjs_export(self, node: Node, summary: FileSummary) -> None:
        expr = node.named_children[0] if node.named_child_count else None
        if expr is None or expr.type != "assignment_expression":
            return
        left = _text(expr.child_by_field_name("left"))
        if left == "module.exports":
            summary.style.cjs += 1
            summary.exports.append(ExportRecord("default", "commonjs"))
            right = expr.child_by_field_name("right")
            if right is not None and right.type == "object":
                for prop in right.named_children:
                    key = prop.child_by_field_name("key") if prop.type == "pair" else prop
                    if prop.type in ("pair", "shorthand_property_identifier") and key is not None:
                        summary.exports.append(ExportRecord(_text(key), "commonjs"))
        elif left.startswith(("exports.", "module.exports.")):
            summary.style.cjs += 1
            summary.exports.append(ExportRecord(left.rsplit(".", 1)[1], "commonjs"))

    # ------------------------------------------------------------------ Python

    def _summarize_python(self, rel_path: str, source: bytes, tree) -> FileSummary:
        query = self._py[2]
        root = tree.root_node
        summary = FileSummary(rel_path, "python", len(source), has_errors=root.has_error)
        style = summary.style
        for pattern, caps in QueryCursor(query).matches(root):
            if pattern == 0:
                node = caps["import"][0]
                for name_node in node.children_by_field_name("name"):
                    target = name_node.child_by_field_name("name") if name_node.type == "aliased_import" else name_node
                    if target is None:  # an aliased import without its name (only in broken code)
                        continue
                    guarded, type_only = _py_import_context(node)
                    summary.imports.append(
                        ImportRecord(_text(target), "python", ("*",), type_only, Span.of(target), guarded)
                    )
            elif pattern == 1:
                node = caps["from"][0]
                module = node.child_by_field_name("module_name")
                names = []
                for name_node in node.children_by_field_name("name"):
                    target = name_node.child_by_field_name("name") if name_node.type == "aliased_import" else name_node
                    names.append(_text(target))
                if any(c.type == "wildcard_import" for c in node.named_children):
                    names.append("*")
                if module is not None:
                    guarded, type_only = _py_import_context(node)
                    summary.imports.append(
                        ImportRecord(_text(module), "python", tuple(names), type_only, Span.of(module), guarded)
                    )
            elif pattern == 3:
                node = caps["string"][0]
                raw = _text(node).lstrip("rRbBuUfF")
                if raw.startswith("'"):
                    style.single_quotes += 1
                elif raw.startswith('"') and not raw.startswith('"""'):
                    style.double_quotes += 1
        all_names: list[str] | None = None
        for child in root.named_children:
            node = child
            if node.type == "decorated_definition":
                node = node.child_by_field_name("definition") or node
            if node.type in ("function_definition", "class_definition"):
                name = _text(node.child_by_field_name("name"))
                kind = "class" if node.type == "class_definition" else "function"
                summary.symbols.append(SymbolRecord(name, kind, not name.startswith("_"), node.start_point[0]))
            elif node.type == "expression_statement" and node.named_child_count:
                assign = node.named_children[0]
                if assign.type != "assignment":
                    continue
                left = assign.child_by_field_name("left")
                if left is None or left.type != "identifier":
                    continue
                name = _text(left)
                if name == "__all__":
                    right = assign.child_by_field_name("right")
                    if right is not None and right.type in ("list", "tuple"):
                        all_names = [_string_value(s) for s in right.named_children if s.type == "string"]
                    continue
                if name.isupper() and len(name) > 1:
                    kind = "constant"
                elif name[:1].isupper():
                    kind = "type"  # module-level PascalCase: a type alias or class factory
                else:
                    kind = "variable"
                summary.symbols.append(SymbolRecord(name, kind, not name.startswith("_"), node.start_point[0]))
        if all_names is not None:
            wanted = set(all_names)
            summary.symbols = [SymbolRecord(s.name, s.kind, s.name in wanted, s.line) for s in summary.symbols]
            summary.exports = [ExportRecord(n, "local") for n in all_names]
        else:
            summary.exports = [ExportRecord(s.name, "local") for s in summary.symbols if s.exported]
        _indent_sample(source, style.indent)
        return summary
