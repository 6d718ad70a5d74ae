"""HTTP calls against the specs (rule family 3, FA3xx): invented endpoints, methods and fields.

Finds ``fetch``, axios (``axios.get``/``post``/…, ``axios(config)``, instances from
``axios.create``) and ky (``ky.get``/…, ``ky(url)``, ``ky.create`` instances) calls whose URL
is a string or template literal; a leading ``${base}`` and the specs' server path prefixes are
taken off. The path is matched against the operations' templates (``${id}`` fills
``{taskId}``):

* FA301 — no operation has that path (with the closest real paths);
* FA302 — the path exists but not with that method (with the methods it has);
* FA303 — a request-body object literal has fields the operation's body does not, or lacks
  required ones;
* FA304 — query parameters (in the URL, axios ``params``, ky ``searchParams``) the operation
  does not define.

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
from urllib.parse import urlparse

from ..context.parsing import FileSummary, Parsers
from ..context.workspace import WorkspaceContext
from ..findings import (
    CODE_BODY_FIELDS,
    CODE_UNKNOWN_METHOD,
    CODE_UNKNOWN_PATH,
    CODE_UNKNOWN_QUERY_PARAM,
    Finding,
    Range,
    Severity,
)
from ..specs.model import Operation
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
    def __init__(self, ctx: WorkspaceContext, operations, workspace_specs: bool):
        """``operations``: a list, or a function returning one — called only when a file makes
        an HTTP call (so a check of a project without any pays nothing for loading specs)."""
        self.ctx = ctx
        self._operations = operations
        self.workspace_specs = workspace_specs

    @cached_property
    def operations(self) -> list[Operation]:
        ops = self._operations() if callable(self._operations) else self._operations
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
        findings: list[Finding] = []
        for _, caps in QueryCursor(query).matches(tree.root_node):
            fn, args = _text(caps["fn"][0]), caps["args"][0]
            call = self._describe(fn, args, instances)
            if call is not None:
                findings += self._judge(path, source, summary, *call)
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
                body = inner[0] if inner and inner[0].type == "object" else None
            elif body is not None and body.type != "object":
                body = None
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
                body = arguments[1] if len(arguments) > 1 and arguments[1].type == "object" else None
            else:
                body = self._prop(options, "json")
                body = body if body is not None and body.type == "object" else None
            query = self._keys(self._prop(options, "params" if is_axios else "searchParams"))
            return arguments[0], method, body, query
        if tail in ("", "request") and arguments[0].type == "object" and is_axios:
            config = arguments[0]
            url = self._prop(config, "url")
            if url is None:
                return None
            method = (self._prop_string(config, "method") or "GET").upper()
            body = self._prop(config, "data")
            return (
                url,
                method,
                body if body is not None and body.type == "object" else None,
                self._keys(self._prop(config, "params")),
            )
        if tail == "" and is_ky:
            options = arguments[1] if len(arguments) > 1 and arguments[1].type == "object" else None
            body = self._prop(options, "json")
            return (
                arguments[0],
                (self._prop_string(options, "method") or "GET").upper(),
                body if body is not None and body.type == "object" else None,
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

    def _judge(
        self, path: Path, source: bytes, summary: FileSummary, url_node, method: str, body, query_pairs
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
            schema = op.body.content[media].value if media else None
            if isinstance(schema, dict) and isinstance(schema.get("properties"), dict) and "allOf" not in schema:
                props = set(schema["properties"])
                pairs: dict[str, object] = {}
                for key, pair in self._keys(body):
                    pairs.setdefault(key, pair)
                given = set(pairs)
                spread = any(c.type == "spread_element" for c in body.named_children)
                bwhere = _node_range(source, body)
                for key in sorted(given - props):
                    close = nearest_names(key, sorted(props))
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    fix = (
                        self._rename_key(
                            path, source, pairs[key], close[0], quote, f"Rename field '{key}' to '{close[0]}'", given
                        )
                        if close
                        else None
                    )
                    findings.append(
                        Finding(
                            str(path),
                            _node_range(source, self._key_node(pairs[key])),
                            Severity.ERROR,
                            CODE_BODY_FIELDS,
                            f"{op.id} ({op.method} {op.path}) has no body field '{key}'{hint}",
                            fixes=(fix,) if fix else (),
                        )
                    )
                missing = sorted(set(schema.get("required") or []) - given)
                if missing and not spread:
                    findings.append(
                        Finding(
                            str(path),
                            bwhere,
                            Severity.ERROR,
                            CODE_BODY_FIELDS,
                            f"{op.id} ({op.method} {op.path}) requires body field(s) {', '.join(missing)}",
                        )
                    )
        return findings
