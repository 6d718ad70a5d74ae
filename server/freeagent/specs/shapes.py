"""What a JSON object may hold where a schema stands: its properties and required names.

Owns reading an object schema the way a checker of literals needs it — through ``$ref``s (the
registry follows them, across files too), ``allOf`` chains (properties and required names
merged), and ``oneOf``/``anyOf`` with a ``discriminator`` whose value the literal gives (the
mapping, else the branch named like the value, else the branch whose property pins the value
with ``enum``/``const``) — and the schema of an array's items. Anything it cannot read for
certain (a ``oneOf`` without a usable tag, a non-object part in an ``allOf``, a recursion
without end) is None: a checker says nothing rather than guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Node

if TYPE_CHECKING:
    from .registry import Registry

_MAX_PARTS = 64


@dataclass
class ObjectShape:
    properties: dict[str, Node] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    # unknown names are the caller's finding: no additionalProperties/patternProperties allow them
    closed: bool = True


def _types(v: dict) -> set[str]:
    t = v.get("type")
    if isinstance(t, list):
        return {str(x) for x in t}
    return {t} if isinstance(t, str) else set()


def _objectlike(v: dict) -> bool:
    return "object" in _types(v) or isinstance(v.get("properties"), dict)


def items_of(registry: Registry, node: Node) -> Node | None:
    """The schema of an array schema's items (None when it is no array of one schema)."""
    from .registry import RefError

    v = node.value
    if not isinstance(v, dict) or not isinstance(v.get("items"), dict):
        return None
    try:
        return registry.child(node, "items")
    except RefError:
        return None


def object_shape(registry: Registry, node: Node, tag: Callable[[str], str | None] | None = None) -> ObjectShape | None:
    """The object ``node`` describes, or None when that is not certain. ``tag(property)``: the
    literal's string value of a discriminator property (None when it has none)."""
    from .registry import RefError

    try:
        return _object_shape(registry, node, tag)
    except RefError:  # a broken $ref is the document's finding (FA012), not a reason to guess
        return None


def _object_shape(registry: Registry, node: Node, tag) -> ObjectShape | None:
    shape = ObjectShape()
    parts, seen = [node], 0
    any_object = listed = False
    while parts:
        part = parts.pop(0)
        seen += 1
        if seen > _MAX_PARTS:
            return None
        v = part.value
        if not isinstance(v, dict):
            return None
        for combinator in ("oneOf", "anyOf"):
            if isinstance(v.get(combinator), list):
                branch = _tagged_branch(registry, part, combinator, tag)
                if branch is None:
                    return None
                parts.insert(0, branch)
        if isinstance(v.get("allOf"), list):
            children = [registry.child(part, "allOf", i) for i in range(len(v["allOf"]))]
            if any(c is None for c in children):
                return None
            parts = [c for c in children if c is not None] + parts
        elif not _objectlike(v) and not any(isinstance(v.get(k), list) for k in ("oneOf", "anyOf")):
            if part is node or _types(v) or "enum" in v or "const" in v:
                return None  # no object here (or a part that is none): nothing to check keys against
            continue  # an annotation-only part (description, title) adds nothing
        any_object = any_object or _objectlike(v)
        props = v.get("properties")
        if isinstance(props, dict):
            listed = True
            for key in props:
                child = registry.child(part, "properties", key)
                if child is not None and key not in shape.properties:
                    shape.properties[key] = child
        shape.required.update(r for r in v.get("required") or [] if isinstance(r, str))
        extra = v.get("additionalProperties")
        if extra is True or isinstance(extra, dict) or v.get("patternProperties") or v.get("unevaluatedProperties"):
            shape.closed = False
    if not listed:  # `{type: object}` alone (FastAPI's `body: dict`): any field is allowed
        shape.closed = False
    return shape if any_object else None


def _tagged_branch(registry: Registry, node: Node, combinator: str, tag) -> Node | None:
    """The branch of a ``oneOf``/``anyOf`` the literal's discriminator value picks."""
    v = node.value if isinstance(node.value, dict) else {}
    discriminator: dict = v["discriminator"] if isinstance(v.get("discriminator"), dict) else {}
    prop = discriminator.get("propertyName")
    if not isinstance(prop, str) or tag is None:
        return None
    value = tag(prop)
    if value is None:
        return None
    branches = v[combinator]
    mapping: dict = discriminator["mapping"] if isinstance(discriminator.get("mapping"), dict) else {}
    target = mapping.get(value)
    for i, raw in enumerate(branches):
        ref = raw.get("$ref") if isinstance(raw, dict) else None
        if isinstance(target, str) and ref == target:
            return registry.child(node, combinator, i)
        if target is None and isinstance(ref, str) and ref.rsplit("/", 1)[-1] == value:
            return registry.child(node, combinator, i)
    if target is not None:
        return None  # the mapping names a schema no branch refers to
    for i in range(len(branches)):
        branch = registry.child(node, combinator, i)
        pinned = registry.child(branch, "properties", prop) if branch is not None else None
        pv = pinned.value if pinned is not None and isinstance(pinned.value, dict) else {}
        if pv.get("const") == value or (isinstance(pv.get("enum"), list) and value in pv["enum"]):
            return branch
    return None
