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
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from rapidfuzz import process

from ..context.parsing import FileSummary, Parsers
from ..context.workspace import WorkspaceContext
from ..findings import Finding, Range, Severity
from ..specs.model import Operation

CODE_UNKNOWN_PATH = "FA301"
CODE_METHOD = "FA302"
CODE_BODY = "FA303"
CODE_QUERY = "FA304"

_CALLS = """
(call_expression function: [(identifier) (member_expression)] @fn arguments: (arguments) @args) @call
"""
_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _strip_quotes(raw: str) -> str:
    return raw[1:-1] if len(raw) >= 2 and raw[0] in "'\"`" else raw


class ApiRules:
    def __init__(self, ctx: WorkspaceContext, operations: list[Operation], workspace_specs: bool):
        self.ctx = ctx
        self.operations = operations
        self.workspace_specs = workspace_specs
        self.bases = sorted({urlparse(s).path.rstrip("/") for op in operations for s in op.servers if urlparse(s).path.strip("/")},
                            key=len, reverse=True)
        self.hosts = {urlparse(s).netloc for op in operations for s in op.servers if urlparse(s).netloc}
        self.templates = []
        for op in operations:
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(op.path.rstrip("/") or "/")) + "/?$"
            self.templates.append((re.compile(pattern), op))
        self.first_segments = {op.path.strip("/").split("/")[0] for op in operations}
        self._query = None

    # ------------------------------------------------------------------ finding calls

    def _parsers(self) -> Parsers:
        return self.ctx.index.parsers

    def check(self, path: Path, summary: FileSummary) -> list[Finding]:
        if summary.language == "python" or not self.operations:
            return []
        clients = {r.specifier for r in summary.imports}
        if not summary.style.fetch_calls and not clients & {"axios", "ky", "ky-universal"}:
            return []
        text = self.ctx.read(path)
        if text is None:
            return []
        source = text.encode("utf-8")
        lang = self._parsers()._tsx if summary.language == "tsx" else self._parsers()._ts
        tree = lang[1].parse(source)
        if self._query is None or self._query[0] is not lang[0]:
            from tree_sitter import Query

            self._query = (lang[0], Query(lang[0], _CALLS))
        from tree_sitter import QueryCursor

        instances = set(re.findall(r"(?:const|let|var)\s+(\w+)\s*=\s*(?:axios|ky)\.(?:create|extend)\(", text))
        findings: list[Finding] = []
        for _, caps in QueryCursor(self._query[1]).matches(tree.root_node):
            fn, args = _text(caps["fn"][0]), caps["args"][0]
            call = self._describe(fn, args, instances)
            if call is not None:
                findings += self._judge(path, *call)
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
            if body is not None and body.type == "call_expression" and _text(body.child_by_field_name("function")) == "JSON.stringify":
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
            options = arguments[options_index] if len(arguments) > options_index and arguments[options_index].type == "object" else None
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
            return url, method, body if body is not None and body.type == "object" else None, self._keys(self._prop(config, "params"))
        if tail == "" and is_ky:
            options = arguments[1] if len(arguments) > 1 and arguments[1].type == "object" else None
            body = self._prop(options, "json")
            return arguments[0], (self._prop_string(options, "method") or "GET").upper(), \
                body if body is not None and body.type == "object" else None, self._keys(self._prop(options, "searchParams"))
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
                raw_path = raw_path[len(base):] or "/"
                break
        return raw_path, query

    def _judge(self, path: Path, url_node, method: str, body, query_pairs) -> list[Finding]:
        described = self._url_path(url_node)
        if described is None:
            return []
        api_path, url_query = described
        first = api_path.strip("/").split("/")[0]
        if not self.workspace_specs and first not in self.first_segments:
            return []
        where = Range(url_node.start_point[0], url_node.start_point[1], url_node.end_point[0], url_node.end_point[1])
        concrete = api_path.replace("{}", "x")
        candidates = [op for regex, op in self.templates if regex.match(concrete.rstrip("/") or "/")]
        if not candidates:
            close = process.extract(api_path, sorted({op.path for op in self.operations}), limit=2, score_cutoff=60)
            hint = f"; did you mean {' or '.join(repr(c[0]) for c in close)}?" if close else ""
            return [Finding(str(path), where, Severity.ERROR, CODE_UNKNOWN_PATH,
                            f"no operation in the specs has the path '{api_path.replace('{}', '{…}')}'{hint}")]
        op = next((o for o in candidates if o.method == method), None)
        if op is None:
            allowed = ", ".join(sorted({o.method for o in candidates}))
            return [Finding(str(path), where, Severity.ERROR, CODE_METHOD,
                            f"{method} is not an operation on {candidates[0].path} (it has {allowed})")]
        findings = []
        defined = {p.name for p in op.params("query")}
        for name in url_query + [k for k, _ in query_pairs]:
            if name not in defined:
                close = process.extractOne(name, sorted(defined), score_cutoff=60) if defined else None
                hint = f"; did you mean '{close[0]}'?" if close else ""
                findings.append(Finding(str(path), where, Severity.WARNING, CODE_QUERY,
                                        f"{op.id} ({op.method} {op.path}) has no query parameter '{name}'{hint}"))
        if body is not None and op.body is not None:
            media = next((m for m in op.body.content if "json" in m), None)
            schema = op.body.content[media].value if media else None
            if isinstance(schema, dict) and isinstance(schema.get("properties"), dict) and "allOf" not in schema:
                props = set(schema["properties"])
                given = {k for k, _ in self._keys(body)}
                spread = any(c.type == "spread_element" for c in body.named_children)
                bwhere = Range(body.start_point[0], body.start_point[1], body.end_point[0], body.end_point[1])
                for key in sorted(given - props):
                    close = process.extractOne(key, sorted(props), score_cutoff=60)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    findings.append(Finding(str(path), bwhere, Severity.ERROR, CODE_BODY,
                                            f"{op.id} ({op.method} {op.path}) has no body field '{key}'{hint}"))
                missing = sorted(set(schema.get("required") or []) - given)
                if missing and not spread:
                    findings.append(Finding(str(path), bwhere, Severity.ERROR, CODE_BODY,
                                            f"{op.id} ({op.method} {op.path}) requires body field(s) {', '.join(missing)}"))
        return findings
