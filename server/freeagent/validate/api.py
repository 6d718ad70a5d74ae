"""HTTP calls against the specs (rule family 3, FA3xx): invented endpoints, methods and fields.

Finds ``fetch``, axios (``axios.get``/``post``/…, ``axios(config)``, instances from
``axios.create``) and ky (``ky.get``/…, ``ky(url)``, ``ky.create`` instances) calls whose URL
is a string or template literal; a leading ``${base}`` and the specs' server path prefixes are
taken off. The path is matched against the operations' templates (``${id}`` fills
``{taskId}``):

* FA301 — no operation has that path (with the closest real paths);
* FA302 — the path exists but not with that method (with the methods it has);
* FA303 — a request-body object literal (or a ``const`` declared with one before the call)
  has fields the operation's body does not, or lacks required ones — at every level of the
  literal, through ``$ref``, ``allOf`` and discriminated ``oneOf`` (:mod:`..specs.shapes`);
* FA304 — query parameters (in the URL, axios ``params``, ky ``searchParams``) the operation
  does not define;
* FA305 — a field read from the call's parsed success response (``const page = await
  res.json(); page.itmes``, axios ``data.x``) that the response schema does not have.

Calls are only judged against an API the project plainly talks to: its own specs' operations,
or — with only the bundled registry — paths whose first segment the registry knows. Third-party
URLs (another host) are never judged.

Quick fixes edit only inside the literal or the object key at fault: FA301 swaps the path part
for a suggested one (host, ``${base}``, server base path, query and hash kept; ``${…}``
substitutions fill the suggestion's ``{param}`` slots in order, so only same-count suggestions
qualify, and a plain string only gets suggestions without slots); FA303 and FA304 rename the
key (quoting kept, ``{ titel }`` becomes ``{ title: titel }``) or the query name in the URL.
Literals with escape sequences get no fix: an edit could change what they mean.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..context.parsing import FUNCTION_SCOPES, FileSummary, Parsers
from ..context.workspace import WorkspaceContext
from ..findings import (
    CODE_BODY_FIELDS,
    CODE_UNKNOWN_METHOD,
    CODE_UNKNOWN_PATH,
    CODE_UNKNOWN_QUERY_PARAM,
    CODE_UNKNOWN_RESPONSE_FIELD,
    Finding,
    Range,
    Severity,
)
from ..specs.model import Operation
from ..specs.shapes import ObjectShape, items_of, object_shape
from .fixes import lsp_position, nearest_names, replace_bytes

_CALLS = """
(call_expression function: [(identifier) (member_expression)] @fn arguments: (arguments) @args) @call
"""
_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _strip_quotes(raw: str) -> str:
    return raw[1:-1] if len(raw) >= 2 and raw[0] in "'\"`" else raw


def _range(source: bytes, start: int, end: int) -> Range:
    return Range(*lsp_position(source, start), *lsp_position(source, end))


def _node_range(source: bytes, node) -> Range:
    return _range(source, node.start_byte, node.end_byte)


_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
_QUERY_NAME = re.compile(r"[\w.~\[\]-]+")
_PLACEHOLDER = re.compile(r"\{[^}/]+\}")


def _fill_placeholders(template: str, values: list[str]) -> str:
    """``template`` with its ``{name}`` placeholders replaced by ``values``, in order."""
    rest = iter(values)
    return _PLACEHOLDER.sub(lambda _m: next(rest), template)


def _units(node) -> list[tuple[str | None, int, int]] | None:
    """A URL literal's content as (character, start byte, end byte) — character None for a whole
    ``${…}`` — or None when it has escape sequences (or anything else unexpected)."""
    units: list[tuple[str | None, int, int]] = []
    for child in node.children[1:-1]:
        if child.type == "string_fragment":
            at = child.start_byte
            for ch in _text(child):
                width = len(ch.encode("utf-8"))
                units.append((ch, at, at + width))
                at += width
        elif child.type == "template_substitution":
            units.append((None, child.start_byte, child.end_byte))
        else:
            return None
    return units


class _UrlSpans:
    """Where, in the source, a URL literal's API path and literal query names are (byte offsets)."""

    def __init__(self, node, units, path_start: int, path_end: int, queries: list[tuple[str, int, int]]):
        self.node = node
        self.units = units
        self.path_start, self.path_end = path_start, path_end  # unit indexes
        self.queries = queries  # (name, start unit, end unit), in the URL's order; a ${…} in a name is "\0"

    def byte(self, index: int) -> int:
        """Byte offset where unit ``index`` starts (the closing delimiter's for the end)."""
        return self.units[index][1] if index < len(self.units) else self.node.end_byte - 1

    def delimiter(self) -> str:
        return _text(self.node)[0]


class ApiRules:
    def __init__(self, ctx: WorkspaceContext, operations, workspace_specs: bool, registry=None, memo=None):
        """``operations``: a list, or a function returning one — called only when a file makes
        an HTTP call (so a check of a project without any pays nothing for loading specs);
        ``registry`` (or a function returning it) reads the schemas (``$ref``, ``allOf``,
        ``oneOf``): without one, bodies and responses are not checked."""
        self.ctx = ctx
        self._operations = operations
        self.workspace_specs = workspace_specs
        self._registry_source = registry
        # path -> (what the findings were judged with, statement -> findings); a caller that
        # checks the same files again (the server, per edit) passes the same dict each time
        self._memo: dict[str, tuple] = memo if memo is not None else {}
        self._shapes: dict[tuple, ObjectShape | None] = {}
        self._source_operations: object = None

    @cached_property
    def registry(self):
        source = self._registry_source
        return source() if callable(source) else source

    @cached_property
    def operations(self) -> list[Operation]:
        ops = self._operations() if callable(self._operations) else self._operations
        self._source_operations = ops  # the registry's own list: the same object while nothing reloads
        return list(ops or [])

    @cached_property
    def bases(self) -> list[str]:
        return sorted(
            {urlparse(s).path.rstrip("/") for op in self.operations for s in op.servers if urlparse(s).path.strip("/")},
            key=len,
            reverse=True,
        )

    @cached_property
    def hosts(self) -> set[str]:
        return {urlparse(s).netloc for op in self.operations for s in op.servers if urlparse(s).netloc}

    @cached_property
    def templates(self) -> list:
        out = []
        for op in self.operations:
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(op.path.rstrip("/") or "/")) + "/?$"
            out.append((re.compile(pattern), op))
        return out

    @cached_property
    def first_segments(self) -> set[str]:
        return {op.path.strip("/").split("/")[0] for op in self.operations}

    def _mentions_api(self, text: str) -> bool:
        """Cheap test before parsing. With the workspace's own specs every call is judged (a
        typo in the first segment is exactly what FA301 is for); with only the bundled registry,
        only calls whose first segment it knows are, so '/<first segment>' must be in the text."""
        return self.workspace_specs or any("/" + segment in text for segment in self.first_segments)

    # ------------------------------------------------------------------ finding calls

    def _parsers(self) -> Parsers:
        return self.ctx.index.parsers

    def check(self, path: Path, summary: FileSummary) -> list[Finding]:
        if summary.language == "python":
            return []
        clients = {r.specifier for r in summary.imports}
        if not summary.style.fetch_calls and not clients & {"axios", "ky", "ky-universal"}:
            return []
        if not self.operations:
            return []
        text = self.ctx.read(path)
        if text is None or not self._mentions_api(text):
            return []
        source = text.encode("utf-8")
        parsers = self._parsers()
        lang = parsers._tsx if summary.language == "tsx" else parsers._ts
        from tree_sitter import QueryCursor, Tree

        kept = self.ctx.index.trees.get(summary.path)  # an open document's tree, already current
        kept_tree = kept[1] if kept is not None and kept[0] == source else None
        tree = kept_tree if isinstance(kept_tree, Tree) else lang[1].parse(source)
        query = parsers.query(summary.language, _CALLS)
        instances = set(re.findall(r"(?:const|let|var)\s+(\w+)\s*=\s*(?:axios|ky)\.(?:create|extend)\(", text))
        # Findings per top-level statement, kept for the next check of this file: a statement
        # with the same text at the same place, judged against the same operations with the same
        # clients and quote style, has the same findings (positions and fixes included). A call
        # whose consts live at the top level depends on other statements: never kept.
        judged_with = (self._source_operations, self.registry)  # compared by identity: reloads make new ones
        context = (frozenset(instances), summary.style.double_quotes > summary.style.single_quotes)
        kept_findings = self._memo.get(str(path))
        before: dict[tuple, list[Finding]] = {}
        if kept_findings is not None:
            same = all(a is b for a, b in zip(kept_findings[0], judged_with, strict=True))
            before = kept_findings[2] if same and kept_findings[1] == context else {}
        after: dict[tuple, list[Finding]] = {}
        findings: list[Finding] = []
        for statement in tree.root_node.named_children:
            key = (statement.start_point, source[statement.start_byte : statement.end_byte])
            found = before.get(key)
            if found is None:
                found, local = [], True
                for _, caps in QueryCursor(query).matches(statement):
                    fn, args = _text(caps["fn"][0]), caps["args"][0]
                    call = self._describe(fn, args, instances)
                    if call is not None:
                        found += self._judge(path, source, summary, caps["call"][0], *call)
                        local = local and _scope_of(caps["call"][0]).type != "program"
                if not local:
                    findings += found
                    continue
            after[key] = found
            findings += found
        self._memo[str(path)] = (judged_with, context, after)
        return findings

    def _describe(self, fn: str, args, instances: set[str]):
        """(url node, method, body object node | None, query keys) of an HTTP call, or None."""
        arguments = [a for a in args.named_children if a.type != "comment"]
        if not arguments:
            return None
        head, _, tail = fn.partition(".")
        if fn == "fetch":
            options = arguments[1] if len(arguments) > 1 and arguments[1].type == "object" else None
            method = (self._prop_string(options, "method") or "GET").upper()
            body = self._prop(options, "body")
            if (
                body is not None
                and body.type == "call_expression"
                and _text(body.child_by_field_name("function")) == "JSON.stringify"
            ):
                inner = [a for a in body.child_by_field_name("arguments").named_children]
                body = _object_literal(inner[0]) if inner else None
            else:
                body = _object_literal(body)
            return arguments[0], method, body, []
        is_axios = head == "axios" or (head in instances)
        is_ky = head == "ky" or (head in instances)
        if not (is_axios or is_ky):
            return None
        if tail in _METHODS:
            method = tail.upper()
            options_index = 2 if is_axios and method in ("POST", "PUT", "PATCH") else 1
            options = (
                arguments[options_index]
                if len(arguments) > options_index and arguments[options_index].type == "object"
                else None
            )
            if is_axios and method in ("POST", "PUT", "PATCH"):
                body = _object_literal(arguments[1]) if len(arguments) > 1 else None
            else:
                body = _object_literal(self._prop(options, "json"))
            query = self._keys(self._prop(options, "params" if is_axios else "searchParams"))
            return arguments[0], method, body, query
        if tail in ("", "request") and arguments[0].type == "object" and is_axios:
            config = arguments[0]
            url = self._prop(config, "url")
            if url is None:
                return None
            method = (self._prop_string(config, "method") or "GET").upper()
            return (url, method, _object_literal(self._prop(config, "data")), self._keys(self._prop(config, "params")))
        if tail == "" and is_ky:
            options = arguments[1] if len(arguments) > 1 and arguments[1].type == "object" else None
            return (
                arguments[0],
                (self._prop_string(options, "method") or "GET").upper(),
                _object_literal(self._prop(options, "json")),
                self._keys(self._prop(options, "searchParams")),
            )
        return None

    @staticmethod
    def _prop(obj, name: str):
        if obj is None or obj.type != "object":
            return None
        for pair in obj.named_children:
            if pair.type == "pair" and _strip_quotes(_text(pair.child_by_field_name("key"))) == name:
                return pair.child_by_field_name("value")
            if pair.type == "shorthand_property_identifier" and _text(pair) == name:
                return None
        return None

    def _prop_string(self, obj, name: str) -> str | None:
        value = self._prop(obj, name)
        if value is not None and value.type == "string":
            return _strip_quotes(_text(value))
        return None

    @staticmethod
    def _keys(obj) -> list[tuple[str, object]]:
        if obj is None or obj.type != "object":
            return []
        out = []
        for pair in obj.named_children:
            if pair.type == "pair":
                out.append((_strip_quotes(_text(pair.child_by_field_name("key"))), pair))
            elif pair.type == "shorthand_property_identifier":
                out.append((_text(pair), pair))
        return out

    # ------------------------------------------------------------------ judging

    def _url_path(self, node) -> tuple[str, list[str]] | None:
        """The API path of a URL literal ('/tasks/{}/comments') and its literal query names."""
        if node.type == "string":
            raw = _strip_quotes(_text(node))
        elif node.type == "template_string":
            raw = ""
            started = False
            for child in node.children:
                if child.type == "template_substitution":
                    raw += "{}" if started else ""
                elif child.type == "string_fragment":
                    raw += _text(child)
                    started = True
            if not started:
                return None
        else:
            return None
        parsed = urlparse(raw)
        if parsed.scheme in ("http", "https"):
            if parsed.netloc not in self.hosts:
                return None  # another host: not our API
            raw_path = parsed.path
        elif parsed.scheme or not raw.startswith("/"):
            return None
        else:
            raw_path = raw.split("?", 1)[0].split("#", 1)[0]
        query = [q.split("=", 1)[0] for q in (parsed.query or "").split("&") if q]
        for base in self.bases:
            if raw_path == base or raw_path.startswith(base + "/"):
                raw_path = raw_path[len(base) :] or "/"
                break
        return raw_path, query

    def _spans(self, node, api_path: str, url_query: list[str]) -> _UrlSpans | None:
        """The source spans behind ``_url_path``'s answer, or None when they cannot be told apart
        safely; re-derives the path and query names and gives up unless they agree with it."""
        units = _units(node)
        if units is None:
            return None
        flat = "".join("\0" if ch is None else ch for ch, _, _ in units)
        start = len(flat) - len(flat.lstrip("\0"))  # leading ${base}s are not part of the path
        host = re.match(r"https?://[^/?#]*", flat[start:])
        start += host.end() if host else 0
        end = next((i for i in range(start, len(flat)) if flat[i] in "?#"), len(flat))
        for base in self.bases:
            if flat[start:end] == base or flat[start:end].startswith(base + "/"):
                start += len(base)
                break
        queries = []
        if end < len(flat) and flat[end] == "?":
            stop = flat.find("#", end)
            stop = len(flat) if stop < 0 else stop
            at = end + 1
            for item in flat[end + 1 : stop].split("&"):
                if item:
                    name = item.split("=", 1)[0]
                    queries.append((name, at, at + len(name)))
                at += len(item) + 1
        if (flat[start:end].replace("\0", "{}") or "/") != api_path or [
            q[0].replace("\0", "{}") for q in queries
        ] != url_query:
            return None
        return _UrlSpans(node, units, start, end, queries)

    def _path_fixes(self, path: Path, source: bytes, spans: _UrlSpans | None, close) -> tuple:
        """FA301: one fix per suggested path that can stand in the literal as it is."""
        if spans is None:
            return ()
        substitutions = [
            source[a:b].decode("utf-8") for ch, a, b in spans.units[spans.path_start : spans.path_end] if ch is None
        ]
        quote = spans.delimiter()
        fixes = []
        for rank, candidate in enumerate(close):
            if any(bad in candidate for bad in (quote, "\\", "\n", "\r", "${", "?", "#")):
                continue
            slots = _PLACEHOLDER.findall(candidate)
            if len(slots) != len(substitutions) or (quote != "`" and slots):
                continue
            new = _fill_placeholders(candidate, substitutions)
            fixes.append(
                replace_bytes(
                    path,
                    source,
                    spans.byte(spans.path_start),
                    spans.byte(spans.path_end),
                    new,
                    f"Change path to '{candidate}'",
                    rank == 0,
                )
            )
        return tuple(fixes)

    @staticmethod
    def _key_node(pair):
        return pair if pair.type == "shorthand_property_identifier" else pair.child_by_field_name("key")

    def _rename_key(self, path: Path, source: bytes, pair, new: str, quote: str, title: str, taken: set[str]):
        """A fix renaming an object literal's key to ``new``: same quoting, shorthand expanded."""
        if new in taken:
            return None  # the object already has that key: renaming would duplicate it
        bare = _IDENTIFIER.fullmatch(new) is not None
        if not bare and any(c in new for c in (quote, "\\", "\n", "\r")):
            return None
        spelled = new if bare else f"{quote}{new}{quote}"
        if pair.type == "shorthand_property_identifier":
            return replace_bytes(path, source, pair.start_byte, pair.end_byte, f"{spelled}: {_text(pair)}", title, True)
        key = pair.child_by_field_name("key")
        if key is None:
            return None
        if key.type == "property_identifier":
            return replace_bytes(path, source, key.start_byte, key.end_byte, spelled, title, True)
        if key.type == "string" and _units(key) is not None:
            own = _text(key)[0]
            if any(c in new for c in (own, "\\", "\n", "\r")):
                return None
            return replace_bytes(path, source, key.start_byte + 1, key.end_byte - 1, new, title, True)
        return None  # computed or numeric keys are left alone

    def _shape(self, schema, literal=None) -> ObjectShape | None:
        """The object a schema node describes (None without a registry to read it with);
        ``literal`` gives discriminator values."""
        if self.registry is None:
            return None
        if literal is None:  # a response's shape: the same for every call of the operation
            key = (id(schema.doc), schema.pointer)
            if key not in self._shapes:
                self._shapes[key] = object_shape(self.registry, schema)
            return self._shapes[key]
        return object_shape(self.registry, schema, lambda prop: self._literal_string(literal, prop))

    def _literal_string(self, obj, name: str) -> str | None:
        return self._prop_string(obj, name) if obj is not None else None

    def _body(self, path: Path, source: bytes, op: Operation, obj, schema, label: str, quote: str) -> list[Finding]:
        """FA303 on an object literal against its schema, and on every object literal nested in
        it (in objects and arrays) against the schema of where it sits; ``label`` names where
        that is ('items[].')."""
        shape = self._shape(schema, obj)
        if shape is None:
            return []
        findings: list[Finding] = []
        pairs: dict[str, Any] = {}
        for key, pair in self._keys(obj):
            pairs.setdefault(key, pair)
        given = set(pairs)
        props = set(shape.properties)
        if shape.closed:
            for key in sorted(given - props):
                # 70, not the default 60: on real specs 60 paired `region` with `csrfProtection`
                close = nearest_names(key, sorted(props), cutoff=70)
                hint = f"; did you mean '{label}{close[0]}'?" if close else ""
                title = f"Rename field '{label}{key}' to '{label}{close[0]}'" if close else ""
                fix = self._rename_key(path, source, pairs[key], close[0], quote, title, given) if close else None
                findings.append(
                    Finding(
                        str(path),
                        _node_range(source, self._key_node(pairs[key])),
                        Severity.ERROR,
                        CODE_BODY_FIELDS,
                        f"{op.id} ({op.method} {op.path}) has no body field '{label}{key}'{hint}",
                        fixes=(fix,) if fix else (),
                    )
                )
        missing = sorted(shape.required - given)
        if missing and not any(c.type == "spread_element" for c in obj.named_children):
            findings.append(
                Finding(
                    str(path),
                    _node_range(source, obj),
                    Severity.ERROR,
                    CODE_BODY_FIELDS,
                    f"{op.id} ({op.method} {op.path}) requires body field(s) {', '.join(label + m for m in missing)}",
                )
            )
        for key, pair in pairs.items():
            value = pair.child_by_field_name("value") if pair.type == "pair" else None
            if key not in shape.properties or value is None:
                continue
            if value.type == "object":
                findings += self._body(path, source, op, value, shape.properties[key], f"{label}{key}.", quote)
            elif value.type == "array":
                items = items_of(self.registry, shape.properties[key])
                for element in value.named_children if items is not None else ():
                    if element.type == "object":
                        findings += self._body(path, source, op, element, items, f"{label}{key}[].", quote)
        return findings

    def _response_fields(self, path: Path, source: bytes, op: Operation, call) -> list[Finding]:
        """FA305: fields read from the parsed success response of this very call that its schema
        does not have — ``const res = await fetch(…); const page = await res.json(); page.itmes``,
        ``(await fetch(…)).json()``, axios's ``res.data.x`` and ``const { data } = …``. Only a
        ``const`` that the call's answer flows into directly; a field that is called (a method)
        is not judged."""
        response = _success_response(op)
        media = next((m for m in response.content if "json" in m), None) if response is not None else None
        if response is None or media is None:
            return []
        shape = self._shape(response.content[media])
        if shape is None or not shape.closed:
            return []
        reads = _response_reads(call)
        findings = []
        for node in reads:
            name = _text(node)
            if name in shape.properties:
                continue
            close = nearest_names(name, sorted(shape.properties))
            hint = f"; did you mean '{close[0]}'?" if close else ""
            findings.append(
                Finding(
                    str(path),
                    _node_range(source, node),
                    Severity.WARNING,
                    CODE_UNKNOWN_RESPONSE_FIELD,
                    f"the {response.status} response of {op.id} ({op.method} {op.path}) has no field '{name}'{hint}",
                )
            )
        return findings

    def _judge(
        self, path: Path, source: bytes, summary: FileSummary, call, url_node, method: str, body, query_pairs
    ) -> list[Finding]:
        described = self._url_path(url_node)
        if described is None:
            return []
        api_path, url_query = described
        first = api_path.strip("/").split("/")[0]
        if not self.workspace_specs and first not in self.first_segments:
            return []
        where = _node_range(source, url_node)
        found_spans: list = []

        def spans():  # where the path and query names sit in the literal: only a fix needs it
            if not found_spans:
                found_spans.append(self._spans(url_node, api_path, url_query))
            return found_spans[0]

        quote = '"' if summary.style.double_quotes > summary.style.single_quotes else "'"
        concrete = api_path.replace("{}", "x")
        candidates = [op for regex, op in self.templates if regex.match(concrete.rstrip("/") or "/")]
        if not candidates:
            nearest = nearest_names(api_path, sorted({op.path for op in self.operations}), limit=2)
            hint = f"; did you mean {' or '.join(repr(c) for c in nearest)}?" if nearest else ""
            return [
                Finding(
                    str(path),
                    where,
                    Severity.ERROR,
                    CODE_UNKNOWN_PATH,
                    f"no operation in the specs has the path '{api_path.replace('{}', '{…}')}'{hint}",
                    fixes=self._path_fixes(path, source, spans(), nearest),
                )
            ]
        op = next((o for o in candidates if o.method == method), None)
        if op is None:
            allowed = ", ".join(sorted({o.method for o in candidates}))
            return [
                Finding(
                    str(path),
                    where,
                    Severity.ERROR,
                    CODE_UNKNOWN_METHOD,
                    f"{method} is not an operation on {candidates[0].path} (it has {allowed})",
                )
            ]
        findings = []
        defined = {p.name for p in op.params("query")}
        given_query = set(url_query) | {k for k, _ in query_pairs}
        named = [(name, None, index) for index, name in enumerate(url_query)] + [
            (k, pair, None) for k, pair in query_pairs
        ]
        for name, pair, index in named:
            if name in defined:
                continue
            close = nearest_names(name, sorted(defined))
            hint = f"; did you mean '{close[0]}'?" if close else ""
            spot, fix = where, None
            title = f"Change query parameter '{name}' to '{close[0]}'" if close else ""
            if pair is not None:
                spot = _node_range(source, self._key_node(pair))
                if close:
                    fix = self._rename_key(path, source, pair, close[0], quote, title, given_query)
            elif spans() is not None:
                literal, a, b = spans().queries[index]
                spot = _range(source, spans().byte(a), spans().byte(b))
                if close and "\0" not in literal and close[0] not in given_query and _QUERY_NAME.fullmatch(close[0]):
                    fix = replace_bytes(path, source, spans().byte(a), spans().byte(b), close[0], title, True)
            findings.append(
                Finding(
                    str(path),
                    spot,
                    Severity.WARNING,
                    CODE_UNKNOWN_QUERY_PARAM,
                    f"{op.id} ({op.method} {op.path}) has no query parameter '{name}'{hint}",
                    fixes=(fix,) if fix else (),
                )
            )
        if body is not None and op.body is not None:
            media = next((m for m in op.body.content if "json" in m), None)
            if media is not None:
                findings += self._body(path, source, op, body, op.body.content[media], "", quote)
        findings += self._response_fields(path, source, op, call)
        return findings


def _object_literal(node):
    """``node`` when it is an object literal; for an identifier, the object literal a ``const``
    of that name was declared with, in the same function, before ``node`` (None otherwise)."""
    if node is None:
        return None
    if node.type == "object":
        return node
    if node.type != "identifier":
        return None
    declared = _const_value(node, _text(node))
    return declared if declared is not None and declared.type == "object" else None


def _scope_of(node):
    scope = node.parent
    while scope is not None and scope.type not in FUNCTION_SCOPES and scope.type != "program":
        scope = scope.parent
    return scope


def _declarators(scope):
    """The ``const`` declarators of a function (or the program), not of functions inside it."""
    stack = list(reversed(scope.named_children))
    while stack:
        node = stack.pop()
        if node.type in FUNCTION_SCOPES:
            continue
        if node.type == "lexical_declaration" and node.child(0) is not None and node.child(0).type == "const":
            yield from (d for d in node.named_children if d.type == "variable_declarator")
        stack.extend(reversed(node.named_children))


def _const_value(use, name: str):
    """The value of the last ``const name = …`` declared before ``use`` in its function."""
    scope = _scope_of(use)
    found = None
    for declarator in _declarators(scope) if scope is not None else ():
        target = declarator.child_by_field_name("name")
        named = target is not None and target.type == "identifier" and _text(target) == name
        if named and declarator.end_byte <= use.start_byte:
            found = declarator.child_by_field_name("value")
    return found


def _unwrap(node):
    while node is not None and node.type in ("await_expression", "parenthesized_expression", "as_expression"):
        node = node.named_children[0] if node.named_children else None
    return node


def _outermost(node):
    """``node`` with the ``await``s and parentheses around it."""
    while node.parent is not None and node.parent.type in ("await_expression", "parenthesized_expression"):
        node = node.parent
    return node


def _declared_as(expression):
    """The ``const`` declarator whose value is ``expression`` (through await and parentheses)."""
    node = _outermost(expression)
    parent = node.parent
    if parent is None or parent.type != "variable_declarator" or parent.child_by_field_name("value") != node:
        return None
    declaration = parent.parent
    if declaration is None or declaration.type != "lexical_declaration" or declaration.child(0).type != "const":
        return None
    return parent


def _json_of(call):
    """Where ``call``'s parsed JSON body goes: the ``const`` declarators holding it."""
    out = []
    response = _declared_as(call)
    # (await fetch(…)).json(): the call sits in a member expression `.json` that is called
    member = _outermost(call).parent
    if (
        member is not None
        and member.type == "member_expression"
        and _text(member.child_by_field_name("property")) == "json"
    ):
        invoked = member.parent
        if invoked is not None and invoked.type == "call_expression":
            declared = _declared_as(invoked)
            if declared is not None:
                out.append(declared)
    name = response.child_by_field_name("name") if response is not None else None
    if name is not None and name.type == "identifier":
        for declarator in _declarators(_scope_of(call)):
            value = _unwrap(declarator.child_by_field_name("value"))
            if value is None or value.type != "call_expression" or declarator.start_byte < call.end_byte:
                continue
            fn = value.child_by_field_name("function")
            if (
                fn is not None
                and fn.type == "member_expression"
                and _text(fn.child_by_field_name("property")) == "json"
                and _text(fn.child_by_field_name("object")) == _text(name)
            ):
                out.append(declarator)
    return out


def _response_reads(call) -> list:
    """Property nodes read from the parsed success body of ``call`` (see ``_response_fields``)."""
    fn = _text(call.child_by_field_name("function"))
    holders: list[tuple[str, Any]] = []  # (variable holding the body, its declarator)
    if fn.partition(".")[0] in ("ky", "ky-universal"):
        return []  # ky answers a Response-like object: `.json()` on the call, no `data`
    axios_like = fn != "fetch"
    if not axios_like:
        for declarator in _json_of(call):
            target = declarator.child_by_field_name("name")
            if target is not None and target.type == "identifier":
                holders.append((_text(target), declarator))
    else:
        response = _declared_as(call)
        target = response.child_by_field_name("name") if response is not None else None
        if target is not None and target.type == "identifier":
            holders.append((_text(target) + ".data", response))
        elif target is not None and target.type == "object_pattern":
            for p in target.named_children:
                if p.type == "shorthand_property_identifier_pattern" and _text(p) == "data":
                    holders.append(("data", response))
                elif p.type == "pair_pattern" and _text(p.child_by_field_name("key")) == "data":
                    value = p.child_by_field_name("value")
                    if value is not None and value.type == "identifier":
                        holders.append((_text(value), response))
    reads = []
    for holder, declarator in holders:
        scope = _scope_of(declarator)
        stack = [scope] if scope is not None else []
        while stack:
            node = stack.pop()
            if node.type in FUNCTION_SCOPES and node is not scope:
                continue
            if (
                node.type == "member_expression"
                and node.start_byte >= declarator.end_byte
                and _text(node.child_by_field_name("object")) == holder
            ):
                prop = node.child_by_field_name("property")
                invoked = (
                    node.parent is not None
                    and node.parent.type == "call_expression"
                    and (node.parent.child_by_field_name("function") == node)
                )
                if prop is not None and prop.type == "property_identifier" and not invoked:
                    reads.append(prop)
            stack.extend(node.named_children)
    return reads


def _success_response(op: Operation):
    for status in ("200", "201", "202", "2XX"):
        for response in op.responses:
            if response.status == status:
                return response
    return None
