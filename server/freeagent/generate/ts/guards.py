"""Plain TypeScript type guards: the schema target for projects that do not depend on zod.

``isX(value: unknown): value is X`` functions checking what the spec requires (types, required
properties, enums, nullability, arrays, closed objects, unions), with the TS types from
:class:`~.schemas.TypeEmitter`. No runtime dependency is added to a project that has none.
"""

from __future__ import annotations

from ...specs.model import Node
from ..naming import pascal
from .schemas import TypeEmitter, _nullable, _types


class GuardEmitter:
    def __init__(self, types: TypeEmitter):
        self.types = types
        self.style = types.style
        self.decls: dict[str, str] = {}
        self.in_progress: set[str] = set()
        self.inline_stack: set[tuple] = set()

    def guard_for(self, node: Node, type_name: str) -> str:
        """Declare `isTypeName` for a node and return its name."""
        name = f"is{pascal(type_name)}"
        if name in self.decls or name in self.in_progress:
            return name
        self.in_progress.add(name)
        t = self.types.ref(node)
        e, i = self.style.end, self.style.indent
        # each function's body inlines afresh: `isNode`, first met inside `isGetTreeResponse`'s
        # own inlining of the same schema, was `return true`
        outer, self.inline_stack = self.inline_stack, set()
        try:
            body = self.expr(node, "value", 0)
        finally:
            self.inline_stack = outer
        self.decls[name] = "\n".join(
            [
                f"export function {name}(value: unknown): value is {t} {{",
                f"{i}return {body}{e}",
                "}",
            ]
        )
        self.in_progress.discard(name)
        return name

    def expr(self, node: Node | None, x: str, depth: int) -> str:
        if node is None:
            return "true"
        # named as the types are (a schema reached by $ref in another file has no component name,
        # and may refer to itself: `children: {items: {$ref: '#/node'}}`)
        component = self.types.schema_name(node)
        if component is not None and depth > 0:
            return f"{self.guard_for(node, self.types.decl_name(component))}({x})"
        key = (node.doc.path, node.pointer)
        if key in self.inline_stack:  # a cycle through schemas that have no name: not followed
            return "true"
        self.inline_stack.add(key)
        try:
            return self._expr(node, x, depth)
        finally:
            self.inline_stack.discard(key)

    def _expr(self, node: Node, x: str, depth: int) -> str:
        v = node.value
        if not isinstance(v, dict) or not v:
            return "true"
        st = self.style
        if "const" in v:
            out = f"{x} === {st.lit(v['const'])}"
        elif isinstance(v.get("enum"), list):
            out = "(" + " || ".join(f"{x} === {st.lit(val)}" for val in v["enum"]) + ")" if v["enum"] else "false"
        elif "allOf" in v:
            parts = [self.expr(p, x, depth + 1) for p in self.types.items_of(node, "allOf")]
            out = " && ".join(parts) or "true"
        elif "oneOf" in v or "anyOf" in v:
            parts = [
                self.expr(p, x, depth + 1) for p in self.types.items_of(node, "oneOf" if "oneOf" in v else "anyOf")
            ]
            out = "(" + " || ".join(parts) + ")" if parts else "true"
        else:
            types = [t for t in _types(v) if t != "null"]
            rendered = [self._typed(node, v, t, x, depth) for t in types]
            if not rendered:
                return f"{x} === null" if "null" in _types(v) else "true"
            out = rendered[0] if len(rendered) == 1 else "(" + " || ".join(rendered) + ")"
        if _nullable(v):
            out = f"({x} === null || {out})"
        return out

    def _typed(self, node: Node, v: dict, t: str, x: str, depth: int) -> str:
        st = self.style
        if t == "string":
            return f"typeof {x} === {st.q('string')}"
        if t == "integer":
            return f"Number.isInteger({x})"
        if t == "number":
            return f"typeof {x} === {st.q('number')}"
        if t == "boolean":
            return f"typeof {x} === {st.q('boolean')}"
        # Arrays and objects are checked inside an arrow function over a fresh `unknown`
        # parameter: TypeScript cannot narrow `(o as Record<…>)['k']` or a value an earlier
        # guard in the same `&&` chain already narrowed.
        var = f"v{depth}"
        if t == "array":
            item = self.expr(self.types.child(node, "items"), f"i{depth}", depth + 1) if "items" in v else "true"
            every = f" && {var}.every((i{depth}: unknown) => {item})" if item != "true" else ""
            return f"(({var}: unknown) => Array.isArray({var}){every})({x})"
        if t == "object":
            inner = self._object(node, v, var, depth)
            return f"(({var}: unknown) => {inner})({x})"
        return "true"

    def _object(self, node: Node, v: dict, x: str, depth: int) -> str:
        st = self.style
        checks = [f"typeof {x} === {st.q('object')}", f"{x} !== null", f"!Array.isArray({x})"]
        props = v.get("properties") or {}
        required = set(v.get("required") or [])
        record = f"({x} as Record<string, unknown>)"
        for key in props:
            child = self.types.child(node, "properties", key)
            access = f"{record}[{st.q(key)}]"
            check = self.expr(child, access, depth + 1)
            if key in required:
                checks.append(check if check != "true" else f"{st.q(key)} in {x}")
            elif check != "true":
                checks.append(f"({access} === undefined || {check})")
        extra = v.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            item = self.expr(self.types.child(node, "additionalProperties"), f"e{depth}", depth + 1)
            if item != "true":
                known = "[" + ", ".join(st.q(k) for k in props) + "]"
                skip = f"{known}.includes(key) || " if props else ""
                binding = f"[key, e{depth}]" if props else f"[, e{depth}]"
                checks.append(f"Object.entries({x}).every(({binding}) => {skip}{item})")
        if extra is False and props:
            allowed = "[" + ", ".join(st.q(k) for k in props) + "]"
            checks.append(f"Object.keys({x}).every((key) => {allowed}.includes(key))")
        if len(checks) <= 3:
            return " && ".join(checks)
        return f"\n{self.style.indent * (depth + 2)}&& ".join(checks)  # one check per line
