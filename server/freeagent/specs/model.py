"""Operations as the generators and matchers see them: plain records built from OpenAPI.

Owns the shape of an operation (method, path, parameters by location, request body per
media type, responses per status, security requirements) and the rules for names: missing
``operationId``s get a stable name derived from method and path, and names that collide
(exactly, or after case-normalisation) are disambiguated deterministically by source order.
Schemas are not copied or inlined: a :class:`Node` points into its document, and $refs are
followed on demand (recursive schemas stay finite).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .loader import SpecDocument

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Node:
    """A value at a JSON pointer in a document (the target of any $ref already followed)."""

    doc: SpecDocument
    pointer: str
    value: object
    ref: str | None = None  # the last $ref followed to get here ("#/components/schemas/Task")

    @property
    def component_name(self) -> str | None:
        """'Task' when this node is a named component schema (reached by $ref or directly)."""
        m = re.match(r"^/components/schemas/([^/]+)$", self.pointer)
        return m.group(1).replace("~1", "/").replace("~0", "~") if m else None

    @property
    def position(self) -> tuple[int, int]:
        return self.doc.position(self.pointer)


@dataclass
class Parameter:
    name: str
    location: str  # path | query | header | cookie
    required: bool
    schema: Node | None
    description: str = ""
    style: str | None = None
    explode: bool | None = None
    content_type: str | None = None  # parameters described with `content` instead of `schema`
    allow_empty: bool = False  # query `allowEmptyValue`: `?name=` is the parameter left empty

    def shape(self) -> str:
        """'array', 'object', 'scalar', or 'union' (anyOf/oneOf: which one the value is decides, at
        run time): what decides the parameter's serialization, with its ``style`` and ``explode``."""
        schema = self.schema.value if self.schema is not None and isinstance(self.schema.value, dict) else {}
        t = schema.get("type")
        types = t if isinstance(t, list) else [t]
        if "array" in types or "items" in schema:
            return "array"
        if "object" in types or "properties" in schema or "additionalProperties" in schema:
            return "object"
        if t is None and (isinstance(schema.get("anyOf"), list) or isinstance(schema.get("oneOf"), list)):
            return "union"
        return "scalar"

    def as_shape(self, shape: str) -> Parameter:
        """This parameter as if its schema were only the ``shape`` ('array' or 'object') a union
        value turns out to be at run time (how each branch of a union is serialized)."""
        node = Node(self.schema.doc, self.schema.pointer, {"type": shape}) if self.schema is not None else None
        return Parameter(self.name, self.location, True, node, style=self.style, explode=self.explode)


@dataclass
class Body:
    required: bool
    content: dict[str, Node]  # media type -> schema node
    description: str = ""


@dataclass
class Response:
    status: str  # "200", "4XX", "default"
    description: str
    content: dict[str, Node]  # media type -> schema node (may be empty: no body)
    headers: dict[str, Node] = field(default_factory=dict)


@dataclass
class SecurityScheme:
    name: str
    type: str  # http | apiKey | oauth2 | openIdConnect | mutualTLS
    scheme: str | None = None  # bearer | basic (http)
    location: str | None = None  # header | query | cookie (apiKey)
    param_name: str | None = None  # apiKey parameter name
    bearer_format: str | None = None


@dataclass
class Operation:
    id: str  # unique in the registry
    declared_id: str | None  # the operationId as written (None when derived)
    method: str  # upper case
    path: str
    summary: str
    description: str
    tags: list[str]
    parameters: list[Parameter]
    body: Body | None
    responses: list[Response]
    security: list[list[SecurityScheme]]  # alternatives (OR) of requirements (AND)
    deprecated: bool
    doc: SpecDocument
    pointer: str
    servers: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def source(self) -> str:
        return str(self.doc.path)

    def params(self, location: str) -> list[Parameter]:
        return [p for p in self.parameters if p.location == location]

    def success_responses(self) -> list[Response]:
        """The 2xx responses (``2XX`` included); when there are none, ``default`` is what a
        successful call gets too (an operation that declares only ``default``)."""
        ok = [r for r in self.responses if r.status.startswith("2")]
        return ok or [r for r in self.responses if r.status == "default"]

    def success_status(self) -> tuple[str, bool]:
        """The status a generated handler answers on success, and whether the description
        declares one. The first 2xx it declares (``2XX`` or only ``default``: 200); an operation
        that declares no success at all — OpenAPI 3.1 makes ``responses`` optional, and real
        descriptions list only errors (``401``) or nothing — answers ``204 No Content``: it
        promises no body, so none is sent, and no status the description names is contradicted."""
        success = self.success_responses()
        if not success:
            return "204", False
        return (success[0].status if success[0].status.isdigit() else "200"), True

    def error_responses(self) -> list[Response]:
        """The 4xx/5xx responses, and ``default`` unless it is the only answer to a success."""
        default_is_success = not any(r.status.startswith("2") for r in self.responses)
        return [
            r
            for r in self.responses
            if r.status[:1] in ("4", "5") or (r.status == "default" and not default_is_success)
        ]


_WORD = re.compile(r"[A-Za-z0-9]+")


def words(text: str) -> list[str]:
    """Split identifiers and prose into lower-case words: 'listTaskComments' → list task comments."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [w.lower() for w in _WORD.findall(spaced)]


def camel(parts: list[str]) -> str:
    parts = [p for p in parts if p]
    if not parts:
        return "operation"
    head, *rest = parts
    out = head.lower() + "".join(p[:1].upper() + p[1:].lower() for p in rest)
    return out if not out[0].isdigit() else "op" + out[0].upper() + out[1:]


def derive_operation_id(method: str, path: str) -> str:
    """GET /orgs/{org}/repos → getOrgsByOrgRepos (stable, unique per method and path)."""
    parts = [method.lower()]
    for segment in path.strip("/").split("/"):
        if not segment:
            continue
        m = re.fullmatch(r"\{(.+)\}", segment)
        if m:
            parts += ["by"] + words(m.group(1))
        else:
            parts += words(segment)
    return camel(parts)


def normalise_id(operation_id: str) -> str:
    """An operationId as a JS identifier in camelCase ('get_item', 'GetItem' → 'getItem')."""
    return camel(words(operation_id))


def assign_ids(operations: list[Operation]) -> None:
    """Give every operation a unique id; collisions get 2, 3 … in source order."""
    taken: dict[str, int] = {}
    for op in operations:
        base = normalise_id(op.declared_id) if op.declared_id else derive_operation_id(op.method, op.path)
        key = base.lower()
        if key in taken:
            taken[key] += 1
            candidate = f"{base}{taken[key]}"
            while candidate.lower() in taken:
                taken[key] += 1
                candidate = f"{base}{taken[key]}"
            taken[candidate.lower()] = 1
            op.id = candidate
        else:
            taken[key] = 1
            op.id = base
