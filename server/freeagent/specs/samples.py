"""A value that conforms to a schema: what a generated handler answers an error with when the
document declares its own error format, and what the conformance harness calls clients and
stubs handlers with.

Built from the schema's own constraints — ``const``, ``enum``, a ``default`` or ``example`` that
fits, ``format``, lengths, bounds, ``multipleOf``, required properties through ``allOf`` chains,
the first usable branch of ``oneOf``/``anyOf`` (with its discriminator value set), array
``minItems`` — never from a guess that is not checked. ``$ref``s are followed through the
registry; a required property that recurses without end, a ``pattern`` no fitting example
satisfies (unless the caller gives a ``pattern`` hook), or contradictory constraints raise
:class:`NoSample` with the reason, so a caller can fall back instead of emitting a value the
schema rejects.

``strings``: an optional hook asked first for every string property (``(name, schema)`` → a value
or None), so a caller can put its own message where an error schema has ``message``; an
optional property is filled when the hook's value lands in it (``{errors: [{message}]}``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .model import Node

if TYPE_CHECKING:
    from .registry import Registry

MAX_DEPTH = 24
DEEP = 4  # from here on a recursive structure ends: null where allowed, as few items as allowed
FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00Z",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uuid": "6f1c0d1e-8d7e-4e0a-9f51-0a3c2b1d4e5f",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "https://example.com/",
    "iri-reference": "https://example.com/",
    "uri-template": "https://example.com/{id}",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "AAAA",
    "json-pointer": "/a",
    "regex": "a",
}


class NoSample(ValueError):
    """No conforming value could be built; the message says why."""


def _types(v: dict) -> list[str]:
    t = v.get("type")
    if isinstance(t, list):
        return [str(x) for x in t]
    if isinstance(t, str):
        return [t]
    if "properties" in v or "additionalProperties" in v or "required" in v:
        return ["object"]
    if "items" in v:
        return ["array"]
    return []


class Sampler:
    def __init__(
        self,
        registry: Registry,
        strings: Callable[[str, dict], object | None] | None = None,
        pattern: Callable[[str, dict], str | None] | None = None,
        optional: bool = False,
        direction: str = "response",
    ) -> None:
        """``optional``: also fill optional properties whose values are easy (scalars), to
        exercise more of a client's serialization. ``direction``: ``response`` leaves out
        ``writeOnly`` properties, ``request`` the ``readOnly`` ones (required or not)."""
        self.registry = registry
        self.direction = direction
        self.hinted = 0  # how many values the ``strings`` hook supplied
        self.strings = strings
        self.pattern = pattern
        self.optional = optional

    def value(self, node: Node, name: str = "", depth: int = 0) -> object:
        if depth > MAX_DEPTH:
            raise NoSample(f"{node.pointer}: nested too deep (a required property recurses)")
        v = node.value
        if v is True or v == {}:
            return "example"
        if not isinstance(v, dict):
            raise NoSample(f"{node.pointer}: not a schema")
        if depth > DEEP and (v.get("nullable") is True or "null" in _types(v)):
            return None
        if "const" in v:
            return v["const"]
        if isinstance(v.get("enum"), list) and v["enum"]:
            usable = [x for x in v["enum"] if x is not None] or v["enum"]
            return usable[0]
        if "allOf" in v:
            return self._all_of(node, name, depth)
        for key in ("oneOf", "anyOf"):
            if isinstance(v.get(key), list):
                return self._one_of(node, key, name, depth)
        types = [t for t in _types(v) if t != "null"]
        if not types:
            if "null" in _types(v):
                return None
            return "example"
        kind = types[0]
        if kind == "object":
            return self._object(node, depth)
        if kind == "array":
            return self._array(node, name, depth)
        if kind == "string":
            return self._string(node, name)
        if kind in ("integer", "number"):
            return self._number(node, kind)
        if kind == "boolean":
            return self._fitting(v, lambda x: isinstance(x, bool), True)
        if kind == "null":
            return None
        raise NoSample(f"{node.pointer}: unknown type {kind!r}")

    # -- helpers ------------------------------------------------------------------
    def _child(self, node: Node, *keys: str | int) -> Node | None:
        return self.registry.child(node, *keys)

    @staticmethod
    def _fitting(v: dict, ok: Callable[[object], bool], fallback: object) -> object:
        """The schema's default or example when it fits, else ``fallback``."""
        for key in ("default", "example"):
            if key in v and ok(v[key]):
                return v[key]
        examples = v.get("examples")
        if isinstance(examples, list):
            for x in examples:
                if ok(x):
                    return x
        return fallback

    def _object(self, node: Node, depth: int, props: dict[str, Node] | None = None, required=None) -> dict:
        v = node.value if isinstance(node.value, dict) else {}
        if props is None:
            props = {}
            for key in v.get("properties") or {}:
                child = self._child(node, "properties", key)
                if child is not None:
                    props[key] = child
            required = {r for r in v.get("required") or [] if isinstance(r, str)}
        hidden = "writeOnly" if self.direction == "response" else "readOnly"
        left_out = {k for k, c in props.items() if isinstance(c.value, dict) and c.value.get(hidden) is True}
        props = {k: c for k, c in props.items() if k not in left_out}
        out: dict[str, object] = {}
        for key in sorted(required or (), key=lambda k: list(props).index(k) if k in props else len(props)):
            if key in left_out:
                continue  # required, but not in this direction
            child = props.get(key)
            if child is None:
                extra = self._child(node, "additionalProperties")
                out[key] = self.value(extra, key, depth + 1) if extra is not None else "example"
            else:
                out[key] = self.value(child, key, depth + 1)
        if self.strings is not None and depth <= DEEP:  # an optional field where the hook's value goes
            for key, child in props.items():
                if key in out:
                    continue
                before = self.hinted
                try:
                    value = self.value(child, key, depth + 1)
                except NoSample:
                    continue
                if self.hinted > before:
                    out[key] = value
                    break
        if self.optional and depth < 4:
            for key, child in props.items():
                if key in out or not isinstance(child.value, dict):
                    continue
                if {"string", "integer", "number", "boolean"} & set(_types(child.value)) or "enum" in child.value:
                    try:
                        out[key] = self.value(child, key, depth + 1)
                    except NoSample:
                        continue
        minimum = v.get("minProperties")
        if isinstance(minimum, int) and len(out) < minimum:
            extra = self._child(node, "additionalProperties")
            candidates = [k for k in props if k not in out]
            while len(out) < minimum:
                if candidates:
                    key = candidates.pop(0)
                    out[key] = self.value(props[key], key, depth + 1)
                elif v.get("additionalProperties") is not False:
                    key = f"key{len(out) + 1}"
                    out[key] = self.value(extra, key, depth + 1) if extra is not None else "example"
                else:
                    raise NoSample(f"{node.pointer}: minProperties {minimum} cannot be met")
        return out

    def _all_of(self, node: Node, name: str, depth: int) -> object:
        props: dict[str, Node] = {}
        required: set[str] = set()
        parts, seen, objecty = [node], 0, False
        while parts:
            part = parts.pop(0)
            seen += 1
            if seen > 64:
                raise NoSample(f"{node.pointer}: allOf chain too long")
            v = part.value if isinstance(part.value, dict) else {}
            if "allOf" in v and isinstance(v["allOf"], list):
                parts = [c for i in range(len(v["allOf"])) if (c := self._child(part, "allOf", i))] + parts
            objectlike = "object" in _types(v) or "properties" in v or "allOf" in v
            decides = "oneOf" in v or "anyOf" in v or "enum" in v or "const" in v or bool(_types(v))
            if part is not node and not objectlike and decides:
                return self.value(part, name, depth + 1)  # a non-object part decides the value
            for key in v.get("properties") or {}:
                child = self._child(part, "properties", key)
                if child is None:
                    continue
                narrower = isinstance(child.value, dict) and any(k in child.value for k in ("enum", "const"))
                if key not in props or narrower:  # a later part that pins the value wins (type: enum [tag])
                    props[key] = child
            required.update(r for r in v.get("required") or [] if isinstance(r, str))
            objecty = objecty or "object" in _types(v) or "properties" in v
        if not objecty and not props:
            return "example"
        return self._object(node, depth, props, required)

    def _one_of(self, node: Node, key: str, name: str, depth: int) -> object:
        v = node.value if isinstance(node.value, dict) else {}
        branches = v[key]
        discriminator: dict = v["discriminator"] if isinstance(v.get("discriminator"), dict) else {}
        prop = discriminator.get("propertyName") if isinstance(discriminator.get("propertyName"), str) else None
        mapping: dict = discriminator["mapping"] if isinstance(discriminator.get("mapping"), dict) else {}
        reasons = []
        first: object = None
        if depth > DEEP and any(isinstance(b, dict) and b.get("type") == "null" for b in branches):
            return None
        for i, raw in enumerate(branches):
            child = self._child(node, key, i)
            if child is None or (isinstance(child.value, dict) and _types(child.value) == ["null"]):
                continue
            try:
                value = self.value(child, name, depth + 1)
            except NoSample as exc:
                reasons.append(str(exc))
                continue
            if prop and isinstance(value, dict):
                ref = raw.get("$ref") if isinstance(raw, dict) else None
                tag = next((k for k, target in mapping.items() if ref and target == ref), None)
                if tag is None and ref and prop not in value:  # no mapping: the component's name
                    tag = ref.rsplit("/", 1)[-1]
                if tag is not None:  # (a value the branch's own enum/const gave is kept otherwise)
                    value[prop] = tag
            if key == "oneOf" and not prop and self._also_matches(value, node, i, len(branches)):
                first = value if first is None else first
                continue  # valid for another branch too: oneOf wants exactly one; try the next
            return value
        if first is not None:
            return first  # every branch's sample is ambiguous: the first (a oneOf without a tag)
        if any(isinstance(b, dict) and b.get("type") == "null" for b in branches):
            return None
        raise NoSample(f"{node.pointer}: no {key} branch has a sample ({'; '.join(reasons)[:200]})")

    def _also_matches(self, value: object, node: Node, index: int, count: int) -> bool:
        """Whether ``value`` (built from branch ``index`` of ``node``'s oneOf) is valid for another
        branch too, by JSON Schema validation with ``$ref``s resolved through the registry's
        documents. Unsure (a ref it cannot follow): False."""
        others = [j for j in range(count) if j != index]
        return any(self._valid(value, f"{node.pointer}/oneOf/{j}", node) for j in others)

    def _valid(self, value: object, pointer: str, node: Node) -> bool:
        import jsonschema  # type: ignore[import-untyped]
        import referencing
        from referencing.jsonschema import DRAFT202012

        def retrieve(uri: str) -> referencing.Resource:
            from urllib.request import url2pathname  # http.client and ssl come with it: when needed

            path = Path(url2pathname(urlsplit(uri).path)).resolve()
            doc = self.registry.documents.get(path)
            if doc is None:
                raise referencing.exceptions.NoSuchResource(uri)
            return referencing.Resource.from_contents(doc.data, default_specification=DRAFT202012)

        base = node.doc.path.as_uri()
        refs = referencing.Registry(retrieve=retrieve)  # type: ignore[call-arg]
        validator = jsonschema.Draft202012Validator({"$ref": f"{base}#{pointer}"}, registry=refs)
        try:
            return validator.is_valid(value)
        except (jsonschema.exceptions.SchemaError, referencing.exceptions.Unresolvable, RecursionError):
            return False

    def _array(self, node: Node, name: str, depth: int) -> list:
        v = node.value if isinstance(node.value, dict) else {}
        items = self._child(node, "items")
        minimum: int = v["minItems"] if isinstance(v.get("minItems"), int) else 0
        maximum: int | None = v["maxItems"] if isinstance(v.get("maxItems"), int) else None
        count = max(minimum, 1) if depth <= DEEP else minimum  # deep (recursive) arrays: as few as allowed
        if maximum is not None:
            count = min(count, maximum)
        if count == 0:
            return []
        if items is None:
            return ["example"] * count if not v.get("uniqueItems") else [f"example{i}" for i in range(count)]
        first = self.value(items, name, depth + 1)
        out = [first]
        for n in range(1, count):
            out.append(_vary(first, n) if v.get("uniqueItems") else first)
        if v.get("uniqueItems") and len({repr(x) for x in out}) != len(out):
            raise NoSample(f"{node.pointer}: {count} unique items cannot be built")
        return out

    def _string(self, node: Node, name: str) -> str:
        v = node.value
        assert isinstance(v, dict)
        if self.strings is not None:
            hinted = self.strings(name, v)
            if hinted is not None:
                self.hinted += 1
                return hinted  # type: ignore[return-value]
        low: int = v["minLength"] if isinstance(v.get("minLength"), int) else 0
        high: int | None = v["maxLength"] if isinstance(v.get("maxLength"), int) else None
        pattern: str | None = v["pattern"] if isinstance(v.get("pattern"), str) else None

        def fits(x: object) -> bool:
            if not isinstance(x, str) or len(x) < low or (high is not None and len(x) > high):
                return False
            try:
                return pattern is None or re.search(pattern, x) is not None
            except re.error:
                return False

        chosen = self._fitting(v, fits, None)
        if chosen is not None:
            return chosen  # type: ignore[return-value]
        if pattern is not None:
            made = self.pattern(pattern, v) if self.pattern is not None else None
            if made is not None and fits(made):
                return made
            raise NoSample(f"{node.pointer}: no example satisfies pattern {pattern!r}")
        fmt = v.get("format")
        text = FORMATS.get(fmt, "string") if isinstance(fmt, str) else "string"
        if fmt in FORMATS and (len(text) < low or (high is not None and len(text) > high)):
            raise NoSample(f"{node.pointer}: format {fmt} does not fit length {low}..{high}")
        if len(text) < low:
            text += "x" * (low - len(text))
        if high is not None and len(text) > high:
            text = text[:high]
        return text

    def _number(self, node: Node, kind: str) -> int | float:
        v = node.value
        assert isinstance(v, dict)

        def bound(key: str) -> float | None:
            x = v.get(key)
            return float(x) if isinstance(x, int | float) and not isinstance(x, bool) else None

        lo, hi, step = bound("minimum"), bound("maximum"), bound("multipleOf")
        xlo, xhi = bound("exclusiveMinimum"), bound("exclusiveMaximum")  # 3.1 numbers
        open_lo, open_hi = v.get("exclusiveMinimum") is True, v.get("exclusiveMaximum") is True  # 3.0 flags

        def fits(x: object) -> bool:
            if not isinstance(x, int | float) or isinstance(x, bool):
                return False
            f = float(x)
            if kind == "integer" and not f.is_integer():
                return False
            if lo is not None and (f < lo or (open_lo and f == lo)):
                return False
            if hi is not None and (f > hi or (open_hi and f == hi)):
                return False
            if (xlo is not None and f <= xlo) or (xhi is not None and f >= xhi):
                return False
            return not (step and not math.isclose(f / step, round(f / step)))

        chosen = self._fitting(v, fits, None)
        if isinstance(chosen, int | float):
            return chosen
        unit = step or 1.0
        start = lo if lo is not None else (xlo if xlo is not None else 1.0)
        candidate = math.ceil(start / unit) * unit
        for _ in range(4):
            value: int | float = int(candidate) if kind == "integer" or float(candidate).is_integer() else candidate
            if fits(value):
                return value
            candidate += unit
        if hi is not None and fits(hi):
            return int(hi) if kind == "integer" else hi
        raise NoSample(f"{node.pointer}: no {kind} fits its bounds")


def _vary(value: object, n: int) -> object:
    if isinstance(value, str):
        return f"{value}{n}"
    if isinstance(value, bool):
        return not value if n == 1 else value
    if isinstance(value, int | float):
        return value + n
    if isinstance(value, dict):
        return {k: _vary(x, n) if i == 0 else x for i, (k, x) in enumerate(value.items())}
    return value
