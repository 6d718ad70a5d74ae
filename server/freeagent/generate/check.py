"""Checking a generation against its operation before it is offered.

A spec-first generator is supposed to be correct by construction; this module is the proof
that runs every time. It reads the generated TypeScript back with tree-sitter and compares
what it finds with the operation: the HTTP method, the path and its parameters, the query
parameters, the request-body fields and their required-ness, and the success status. Any
mismatch is a Finding (FA020): a bug in a generator, never something to offer silently.
"""

from __future__ import annotations

import re

from ..findings import CODE_GENERATION_MISMATCH, Finding, Range, Severity
from ..specs.model import Operation


def _finding(message: str) -> Finding:
    return Finding("<generated>", Range.at(0, 0), Severity.ERROR, CODE_GENERATION_MISMATCH, message)


def _strings(code: str) -> set[str]:
    return {m.group(2) for m in re.finditer(r"(['\"])((?:\\.|(?!\1).)*)\1", code)}


def _contradicts(op: Operation, status: str) -> bool:
    """Whether answering ``status`` on success contradicts the description: it declares success
    statuses and this is none of them. One that declares none leaves the status open."""
    statuses = {r.status for r in op.responses}
    if not op.success_status()[1]:
        return False
    return status not in statuses and "2XX" not in statuses and "default" not in statuses


def check_client(op: Operation, code: str) -> list[Finding]:
    problems = []
    strings = _strings(code)
    if op.method not in strings:
        problems.append(_finding(f"client does not send {op.method}"))
    template = re.search(r"new URL\(`[^`]*?\}([^`]*)`", code)
    url = template.group(1) if template else ""
    expected = re.sub(r"\{[^}]+\}", "{}", op.path)
    written = _interpolations_as_braces(url)
    if written != expected:
        problems.append(_finding(f"client requests '{written}' instead of '{op.path}'"))
    for p in op.params("path"):
        if p.name not in code:
            problems.append(_finding(f"path parameter '{p.name}' is not sent"))
    for p in op.params("query"):
        if p.name not in strings and f"{p.name}[]" not in strings and f"`{p.name}[${{" not in code:
            problems.append(_finding(f"query parameter '{p.name}' is not sent"))
    for p in op.params("header"):
        if p.name.lower() not in strings:
            problems.append(_finding(f"header '{p.name}' is not sent"))
    signature = code[code.find("function") : code.find("{", code.find("): Promise"))]
    sends_body = re.search(r"\bbody: ", signature) is not None
    if bool(op.body is not None and op.body.content) != sends_body:
        problems.append(_finding("request body does not match the operation"))
    return problems


def _interpolations_as_braces(template: str) -> str:
    """A template literal's text with each ``${…}`` (braces inside balanced) written ``{}``."""
    out, i = [], 0
    while i < len(template):
        if template.startswith("${", i):
            depth, i = 1, i + 2
            while i < len(template) and depth:
                depth += {"{": 1, "}": -1}.get(template[i], 0)
                i += 1
            out.append("{}")
        else:
            out.append(template[i])
            i += 1
    return "".join(out)


def _zod_keys(declaration: str) -> tuple[set[str], set[str]]:
    """Top-level keys of the first `z.object({...})` in a declaration: (all, optional)."""
    start = declaration.find("z.object({")
    if start < 0:
        return set(), set()
    i, depth, entry, entries = start + len("z.object({"), 0, "", []
    quote = None
    while i < len(declaration):
        ch = declaration[i]
        if quote:
            if ch == "\\":
                entry += ch + declaration[i + 1]
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch in "({[":
            depth += 1
        elif ch in ")}]":
            if depth == 0:
                break
            depth -= 1
        elif ch == "," and depth == 0:
            entries.append(entry)
            entry = ""
            i += 1
            continue
        entry += ch
        i += 1
    entries.append(entry)
    keys, optional = set(), set()
    for raw in entries:
        m = re.match(r"^\s*(['\"]?)([^'\":]+)\1\s*:\s*(.*)$", raw, re.S)
        if not m:
            continue
        keys.add(m.group(2))
        value = m.group(3).strip()
        # a key with a default may be left out of the request as an optional one may
        if value.endswith(".optional()") or re.search(r"\.default\((?:[^()]|\([^()]*\))*\)$", value):
            optional.add(m.group(2))
    return keys, optional


def check_handler(op: Operation, code: str, declarations: dict[str, str], route: str | None) -> list[Finding]:
    problems = []
    method = re.search(r"\.(get|post|put|patch|delete|head|options)\((['\"])(/[^'\"]*)\2", code)
    exported = re.search(r"export async function (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\(", code)
    if exported is not None and exported.group(1) != op.method:
        problems.append(_finding(f"route handler exports {exported.group(1)}, operation is {op.method}"))
    if method is not None:
        if method.group(1).upper() != op.method:
            problems.append(_finding(f"handler registered for {method.group(1).upper()}, operation is {op.method}"))
        if route is not None and method.group(3) != route:
            problems.append(_finding(f"handler path '{method.group(3)}' is not '{route}'"))
    # res.status(201) | reply.code(201) | c.json(result, 201) | c.body(null, 204) | { status: 201 }
    sent = re.findall(r"(?:\.status\(|\.code\(|\(result, |\(null, |status: )(\d{3})\b", code)
    for status in (s for s in sent if s.startswith("2")):
        if _contradicts(op, status):
            problems.append(_finding(f"handler answers {status}, which the operation does not declare"))
    body_decl = next((d for n, d in declarations.items() if n.endswith("Body")), None)
    if op.body is not None and body_decl is not None:
        media = next((m for m in op.body.content if "json" in m), None)
        schema = op.body.content[media].value if media is not None else None
        if isinstance(schema, dict) and isinstance(schema.get("properties"), dict) and "allOf" not in schema:
            keys, optional = _zod_keys(body_decl)
            expected = set(schema["properties"])
            required = set(schema.get("required") or [])
            if keys and keys != expected:
                problems.append(_finding(f"body fields {sorted(keys)} differ from the operation's {sorted(expected)}"))
            wrong = sorted((expected - required) ^ optional) if keys else []
            if wrong:
                problems.append(_finding(f"required-ness differs for {wrong}"))
    for p in op.params("path"):
        if p.name not in code and not any(p.name in d for d in declarations.values()):
            problems.append(_finding(f"path parameter '{p.name}' is not validated"))
    return problems


def check_python(op: Operation, target: str, code: str) -> list[Finding]:
    """The same promises for Python: the route's method and path, the client's request."""
    problems = []
    if target == "handler":
        m = re.search(
            r"^@\w+\.(get|post|put|patch|delete|head|options)\((['\"])([^'\"]+)\2.*status_code=(\d{3})", code, re.M
        )
        if m is None:
            problems.append(_finding("no FastAPI route decorator in the generated code"))
        else:
            if m.group(1).upper() != op.method:
                problems.append(_finding(f"route registered for {m.group(1).upper()}, operation is {op.method}"))
            if m.group(3) != op.path:
                problems.append(_finding(f"route path '{m.group(3)}' is not '{op.path}'"))
            if _contradicts(op, m.group(4)):
                problems.append(_finding(f"route answers {m.group(4)}, which the operation does not declare"))
    elif target == "client":
        m = re.search(r"client\.request\((['\"])(\w+)\1, f(['\"])(.*?)\3, params=", code)
        if m is None or m.group(2) != op.method:
            problems.append(_finding(f"client does not send {op.method}"))
        elif re.sub(
            r"\{[^}]*\}", "{}", re.sub(r"\{quote\(str\(\w+\), safe=['\"]['\"]\)\}", "{}", m.group(4))
        ) != re.sub(r"\{[^}]+\}", "{}", op.path):
            problems.append(_finding(f"client requests '{m.group(4)}' instead of '{op.path}'"))
        for p in op.params("query"):
            if p.name not in code:
                problems.append(_finding(f"query parameter '{p.name}' is not sent"))
    return problems
