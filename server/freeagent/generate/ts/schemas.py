"""OpenAPI schemas → TypeScript types and zod schemas (3.0 and 3.1 semantics).

Owns the mapping of every schema feature the registry resolves — ``$ref`` to components (as
named declarations, emitted once, in dependency order; recursion through ``z.lazy`` with an
explicit type), ``allOf`` (flattened into one object when every part is an object),
``oneOf``/``anyOf`` (unions; ``z.discriminatedUnion`` when a discriminator names a property
every variant has), ``nullable`` and ``type: [x, "null"]``, enums and ``const``, arrays,
``additionalProperties``, formats (uuid, email, uri, date, date-time, binary), numeric and
length bounds, ``multipleOf``, ``uniqueItems``. Declarations the project already exports are reused, not redefined.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...specs.model import Node
from ...specs.registry import Registry
from ..naming import property_key, type_name, value_name
from .style import TsStyle

# zod's checks for the string formats it knows
_ZOD_STRING_FORMATS = {
    "uuid": ".uuid()",
    # not zod's email(): it rejects addresses RFC 5321 allows (a `$`, a `}` in the local part),
    # so valid requests would be refused; the format asks for one @ between non-blank parts
    "email": r".regex(/^[^\s@]+@[^\s@]+$/, { message: {message} })",
    "uri": ".url()",
    "url": ".url()",
    "date-time": ".datetime({ offset: true })",
}


# pointer tokens that say where a schema sits, not what it is (no name to declare it under)
_STRUCTURAL = {"schema", "items", "properties", "additionalProperties", "allOf", "oneOf", "anyOf", "not", "content"}


def _types(v: dict) -> list[str]:
    t = v.get("type")
    if isinstance(t, list):
        return [str(x) for x in t]
    if isinstance(t, str):
        return [t]
    if "properties" in v or "additionalProperties" in v:
        return ["object"]
    if "items" in v:
        return ["array"]
    return []


def _nullable(v: dict) -> bool:
    return bool(v.get("nullable")) or "null" in _types(v)


@dataclass
class Declarations:
    """Named declarations a generation needs, in dependency order, plus what to import."""

    code: dict[str, str] = field(default_factory=dict)
    reused: dict[str, str] = field(default_factory=dict)  # name -> module it is imported from


class SchemaEmitter:
    """Walks schema nodes; subclasses say how each shape is written."""

    def __init__(
        self,
        registry: Registry,
        style: TsStyle,
        existing: dict[str, str] | None = None,
        reserved: frozenset[str] | set[str] = frozenset(),
    ):
        """``reserved``: names the file imports (a framework's ``Context``): a schema so named is
        declared under another."""
        self.registry = registry
        self.style = style
        self.existing = existing or {}  # exported name -> module specifier (reuse instead of redefine)
        self.decls = Declarations()
        self.in_progress: set[str] = set()
        self.recursive: set[str] = set()
        self.inline_stack: set[tuple] = set()
        self.names: dict[tuple, str] = {}  # (document, pointer) of a named schema -> its name
        self.taken: dict[str, tuple] = {name: ("imported",) for name in reserved}  # type name -> its schema

    def schema_name(self, node: Node) -> str | None:
        """The name a schema is declared under: a component's name; for a schema reached by
        ``$ref`` elsewhere (multi-file descriptions keep schemas in files of their own, or under
        the keys of a shared file) the file's or the key's name; None for an inline schema.
        Two different schemas never share a name (the second gets a number)."""
        key = (node.doc.path, node.pointer)
        if key in self.names:
            return self.names[key]
        base = node.component_name
        if base is None and node.ref is not None:
            last = node.pointer.rsplit("/", 1)[-1] if node.pointer else node.doc.path.name.split(".", 1)[0]
            last = last.replace("~1", "/").replace("~0", "~")
            if last and not last.isdigit() and last not in _STRUCTURAL:
                base = last
        if base is None:
            return None
        name, n = base, 1
        while self.taken.get(type_name(name), key) != key:  # 'foo-bar' and 'FooBar' are one name in TS
            n += 1
            name = f"{base}{n}"
        self.taken[type_name(name)] = key
        self.names[key] = name
        return name

    # -- naming of components: subclasses define decl_name()

    def decl_name(self, component: str) -> str:
        raise NotImplementedError

    def ref(self, node: Node | None) -> str:
        """The expression for a node, naming (and declaring) component schemas."""
        if node is None:
            return self.unknown()
        component = self.schema_name(node)
        if component is None:
            key = (node.doc.path, node.pointer)
            if key in self.inline_stack:  # a cycle through schemas that have no name: give up there
                return self.unknown()
            self.inline_stack.add(key)
            try:
                return self.expr(node)
            finally:
                self.inline_stack.discard(key)
        name = self.decl_name(component)
        if name in self.decls.code or name in self.decls.reused:
            return self.use(name)
        if name in self.existing:
            self.decls.reused[name] = self.existing[name]
            return self.use(name)
        if name in self.in_progress:
            self.recursive.add(name)
            return self.use_recursive(name)
        self.in_progress.add(name)
        body = self.expr(node)
        self.in_progress.discard(name)
        self.decls.code[name] = self.declare(name, node, body)
        return self.use(name)

    def use(self, name: str) -> str:
        return name

    def use_recursive(self, name: str) -> str:
        return name

    def child(self, node: Node, *keys) -> Node | None:
        return self.registry.child(node, *keys)

    def items_of(self, node: Node, key: str) -> list[Node]:
        value = node.value.get(key) if isinstance(node.value, dict) else None
        if not isinstance(value, list):
            return []
        return [n for i in range(len(value)) if (n := self.child(node, key, i)) is not None]

    def flatten_all_of(self, node: Node) -> tuple[dict[str, Node], set[str], bool] | None:
        """allOf parts merged into (properties, required, closed) when every part is an object."""
        props: dict[str, Node] = {}
        required: set[str] = set()
        closed = False
        parts = [node]
        seen = 0
        while parts:
            part = parts.pop(0)
            seen += 1
            if seen > 64:
                return None
            v = part.value if isinstance(part.value, dict) else {}
            if "allOf" in v:
                parts = self.items_of(part, "allOf") + parts
            if any(k in v for k in ("oneOf", "anyOf")):
                return None
            if part is not node and "allOf" not in v and "object" not in _types(v) and "properties" not in v:
                return None
            for name in v.get("properties") or {}:
                child = self.child(part, "properties", name)
                if child is not None:
                    props[name] = child
            required.update(r for r in v.get("required") or [] if isinstance(r, str))
            closed = closed or v.get("additionalProperties") is False
        return props, required, closed

    # -- subclass hooks
    def expr(self, node: Node) -> str:
        raise NotImplementedError

    def declare(self, name: str, node: Node, body: str) -> str:
        raise NotImplementedError

    def unknown(self) -> str:
        raise NotImplementedError


def _one_object_literal(body: str) -> bool:
    """Whether ``body`` is exactly one ``{ … }`` type literal (an interface can say it), not
    ``{ … } | { … }`` or ``{ … } | null``. Braces inside quoted property names do not count."""
    if not body.startswith("{\n") or not body.endswith("}"):
        return False
    depth, quote = 0, ""
    for i, ch in enumerate(body):
        if quote:
            if ch == "\\":
                continue
            if ch == quote and body[i - 1] != "\\":
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and i != len(body) - 1:
                return False
    return depth == 0


def default_literal(schema: object, st: TsStyle) -> str | None:
    """The JS literal of a schema's ``default`` when it is a scalar of the schema's own type (a
    default that contradicts its schema is left out rather than trusted)."""
    if not isinstance(schema, dict) or "default" not in schema:
        return None
    value, types = schema["default"], _types(schema)
    fits = (
        (isinstance(value, str) and "string" in types and schema.get("format") != "binary")
        or (isinstance(value, bool) and "boolean" in types)
        or (isinstance(value, int) and not isinstance(value, bool) and ({"integer", "number"} & set(types)))
        or (isinstance(value, float) and "number" in types)
    )
    enum = schema.get("enum")
    if fits and isinstance(enum, list) and value not in enum:
        return None
    return st.lit(value) if fits else None


def _paren(t: str) -> str:
    return f"({t})" if (" | " in t or " & " in t) else t


class TypeEmitter(SchemaEmitter):
    def decl_name(self, component: str) -> str:
        return type_name(component)

    def unknown(self) -> str:
        return "unknown"

    def declare(self, name: str, node: Node, body: str) -> str:
        st = self.style
        if _one_object_literal(body):
            return f"export interface {name} {body}"
        return f"export type {name} = {body}{st.end}"  # a union, an intersection, a nullable object …

    def object_body(self, props: dict[str, Node], required: set[str], extra: str | None, depth: int) -> str:
        st = self.style
        lines = []
        for name, child in props.items():
            optional = "" if name in required else "?"
            t = self.ref(child)
            t = t.replace("\n", "\n" + st.indent) if "\n" in t else t
            if optional and st.exact_optional:  # zod's `.optional()` parses to `T | undefined`
                t += " | undefined"
            lines.append(f"{st.indent}{property_key(name, st.quote)}{optional}: {t}{';' if st.semi else ''}")
        if extra is not None:
            lines.append(f"{st.indent}[key: string]: {extra}{';' if st.semi else ''}")
        if not lines:
            return "Record<string, never>" if extra is None else f"Record<string, {extra}>"
        return "{\n" + "\n".join(lines) + "\n}"

    def expr(self, node: Node, depth: int = 0) -> str:
        v = node.value
        if v is True or v == {}:
            return "unknown"
        if not isinstance(v, dict):
            return "unknown"
        st = self.style
        nullable = _nullable(v)
        result: str
        if "const" in v:
            result = st.lit(v["const"])
        elif isinstance(v.get("enum"), list):
            result = " | ".join(st.lit(x) for x in v["enum"] if x is not None) or "never"
            nullable = nullable or None in v["enum"]
        elif "allOf" in v:
            parts = [self.ref(p) for p in self.items_of(node, "allOf")]
            own = {k: val for k, val in v.items() if k in ("properties", "required")}
            if own.get("properties"):
                props = {k: c for k in own["properties"] if (c := self.child(node, "properties", k)) is not None}
                parts.append(self.object_body(props, set(own.get("required") or []), None, depth))
            result = " & ".join(_paren(p) for p in parts) or "unknown"
        elif "oneOf" in v or "anyOf" in v:
            variants = self.items_of(node, "oneOf" if "oneOf" in v else "anyOf")
            result = " | ".join(dict.fromkeys(self.ref(p) for p in variants)) or "unknown"
        else:
            types = [t for t in _types(v) if t != "null"]
            rendered = [self._typed(node, v, t, depth) for t in types] or (
                ["null"] if "null" in _types(v) else ["unknown"]
            )
            result = " | ".join(dict.fromkeys(rendered))
        if nullable and result not in ("unknown", "null"):
            result = f"{_paren(result) if ' & ' in result else result} | null"
        return result

    def _typed(self, node: Node, v: dict, t: str, depth: int) -> str:
        if t == "string":
            return "Blob" if v.get("format") == "binary" else "string"
        if t in ("integer", "number"):
            return "number"
        if t == "boolean":
            return "boolean"
        if t == "array":
            item = self.ref(self.child(node, "items")) if "items" in v else "unknown"
            return f"Array<{item}>" if any(c in item for c in " |&\n") else f"{item}[]"
        if t == "object":
            props = {k: c for k in (v.get("properties") or {}) if (c := self.child(node, "properties", k)) is not None}
            extra_raw = v.get("additionalProperties")
            extra = None
            if extra_raw is True or (extra_raw is None and not props and "properties" not in v):
                extra = "unknown"
            elif isinstance(extra_raw, dict):
                extra = "unknown" if props else self.ref(self.child(node, "additionalProperties"))
            return self.object_body(props, set(v.get("required") or []), extra, depth)
        return "unknown"


class ZodEmitter(SchemaEmitter):
    """zod schemas; ``types`` supplies TS type names for recursive schemas' annotations."""

    def __init__(self, registry, style, existing=None, types: TypeEmitter | None = None):
        super().__init__(registry, style, existing)
        self.types = types or TypeEmitter(registry, style, existing)

    def decl_name(self, component: str) -> str:
        return value_name(component) + "Schema"

    def unknown(self) -> str:
        return "z.unknown()"

    def use_recursive(self, name: str) -> str:
        return f"z.lazy(() => {name})"

    def declare(self, name: str, node: Node, body: str) -> str:
        if name in self.recursive:
            type_ref = self.types.ref(node)  # declares the TS type too
            indented = body.replace("\n", "\n" + self.style.indent)
            comma = "," if self.style.trailing_comma else ""
            return f"export const {name}: z.ZodType<{type_ref}> = z.lazy(() =>\n{self.style.indent}{indented}{comma}\n){self.style.end}"
        return f"export const {name} = {body}{self.style.end}"

    def object_expr(self, props: dict[str, Node], required: set[str], closed: bool, extra: str | None) -> str:
        st = self.style
        entries = []
        for name, child in props.items():
            e = self.ref(child)
            if name not in required:
                default = default_literal(child.value, st)
                e += f".default({default})" if default is not None else ".optional()"
            entries.append(f"{property_key(name, st.quote)}: {e}")
        if not entries:
            base = "z.object({})"
        else:
            inner = ",\n".join(st.indent + e.replace("\n", "\n" + st.indent) for e in entries)
            base = "z.object({\n" + inner + ("," if st.trailing_comma else "") + "\n})"
        if closed:
            return base + ".strict()"
        if extra is not None:
            return base + f".catchall({extra})"
        return base

    def expr(self, node: Node) -> str:
        v = node.value
        if not isinstance(v, dict) or v == {}:
            return "z.unknown()"
        st = self.style
        nullable = _nullable(v)
        if "const" in v:
            result = f"z.literal({st.lit(v['const'])})"
        elif isinstance(v.get("enum"), list):
            values = [x for x in v["enum"] if x is not None]
            nullable = nullable or None in v["enum"]
            if values and all(isinstance(x, str) for x in values):
                result = "z.enum([" + ", ".join(st.q(x) for x in values) + "])"
            elif len(values) == 1:
                result = f"z.literal({st.lit(values[0])})"
            else:
                result = "z.union([" + ", ".join(f"z.literal({st.lit(x)})" for x in values) + "])"
        elif "allOf" in v:
            flat = self.flatten_all_of(node)
            if flat is not None:
                props, required, closed = flat
                result = self.object_expr(props, required, closed, None)
            else:
                parts = [self.ref(p) for p in self.items_of(node, "allOf")] or ["z.unknown()"]
                result = parts[0]
                for p in parts[1:]:
                    result = f"z.intersection({result}, {p})"
        elif "oneOf" in v or "anyOf" in v:
            variants = self.items_of(node, "oneOf" if "oneOf" in v else "anyOf")
            exprs = list(dict.fromkeys(self.ref(p) for p in variants))
            disc = (
                (v.get("discriminator") or {}).get("propertyName") if isinstance(v.get("discriminator"), dict) else None
            )
            if len(exprs) == 1:
                result = exprs[0]
            elif (
                disc
                and "oneOf" in v
                and all(self._is_plain_object_with(p, disc) for p in variants)
                and not self.recursive
            ):
                result = f"z.discriminatedUnion({st.q(disc)}, [" + ", ".join(exprs) + "])"
            else:
                result = "z.union([" + ", ".join(exprs) + "])" if exprs else "z.unknown()"
        else:
            types = [t for t in _types(v) if t != "null"]
            rendered = [self._typed(node, v, t) for t in types]
            if not rendered:
                result = "z.null()" if "null" in _types(v) else "z.unknown()"
                nullable = False
            elif len(rendered) == 1:
                result = rendered[0]
            else:
                result = "z.union([" + ", ".join(rendered) + "])"
        if nullable:
            result += ".nullable()"
        return result

    def _is_plain_object_with(self, node: Node, prop: str) -> bool:
        v = node.value
        if not isinstance(v, dict) or any(k in v for k in ("oneOf", "anyOf")):
            return False
        if "allOf" in v:
            flat = self.flatten_all_of(node)
            return flat is not None and prop in flat[0]
        counted = "minProperties" in v or "maxProperties" in v  # refined: no longer a z.object
        return prop in (v.get("properties") or {}) and not _nullable(v) and not counted

    def _typed(self, node: Node, v: dict, t: str) -> str:
        st = self.style
        if t == "string":
            fmt = v.get("format")
            if fmt == "binary":
                return "z.instanceof(Blob)"
            out = "z.string()"
            if isinstance(fmt, str):
                out += _ZOD_STRING_FORMATS.get(fmt, "").replace("{message}", st.q(f"Invalid {fmt}"))
            if fmt == "date":
                out += r".regex(/^\d{4}-\d{2}-\d{2}$/)"
            if isinstance(v.get("pattern"), str):
                out += f".regex(new RegExp({st.q(v['pattern'])}))"
            # JSON Schema counts characters (code points), a JS string's length UTF-16 units: a
            # length bound is checked on [...value] unless the two cannot differ (at least 0 or 1)
            low, high = v.get("minLength"), v.get("maxLength")
            if isinstance(low, int) and not isinstance(low, bool) and 0 < low <= 1:
                out += f".min({low})"
            elif isinstance(low, int) and not isinstance(low, bool) and low > 1:
                message = st.q(f"String must contain at least {low} character(s)")
                out += f".refine((value) => [...value].length >= {low}, {{ message: {message} }})"
            if isinstance(high, int) and not isinstance(high, bool):
                message = st.q(f"String must contain at most {high} character(s)")
                out += f".refine((value) => [...value].length <= {high}, {{ message: {message} }})"
            return out
        if t in ("integer", "number"):
            out = "z.number()" + (".int()" if t == "integer" else "")
            for key, method in (("minimum", "min"), ("maximum", "max")):
                bound = v.get(key)
                if isinstance(bound, (int, float)) and not isinstance(bound, bool):
                    exclusive = v.get("exclusive" + key.capitalize())
                    if exclusive is True:  # 3.0 boolean form
                        out += f".{'gt' if key == 'minimum' else 'lt'}({bound})"
                    else:
                        out += f".{method}({bound})"
            for key, method in (("exclusiveMinimum", "gt"), ("exclusiveMaximum", "lt")):
                bound = v.get(key)
                if isinstance(bound, (int, float)) and not isinstance(bound, bool):
                    out += f".{method}({bound})"
            step = v.get("multipleOf")
            if isinstance(step, (int, float)) and not isinstance(step, bool) and step > 0:
                out += f".multipleOf({step})"
            if t == "integer" and v.get("format") == "int32":  # the format's range, where no bound is given
                if "minimum" not in v and "exclusiveMinimum" not in v:
                    out += ".min(-2147483648)"
                if "maximum" not in v and "exclusiveMaximum" not in v:
                    out += ".max(2147483647)"
            return out
        if t == "boolean":
            return "z.boolean()"
        if t == "array":
            out = f"z.array({self.ref(self.child(node, 'items')) if 'items' in v else 'z.unknown()'})"
            if isinstance(v.get("minItems"), int):
                out += f".min({v['minItems']})"
            if isinstance(v.get("maxItems"), int):
                out += f".max({v['maxItems']})"
            if v.get("uniqueItems") is True:  # equal items: equal JSON (zod has no built-in)
                unique = "new Set(items.map((item) => JSON.stringify(item))).size === items.length"
                out += f".refine((items) => {unique}, {{ message: {st.q('expected unique items')} }})"
            return out
        if t == "object":
            props = {k: c for k in (v.get("properties") or {}) if (c := self.child(node, "properties", k)) is not None}
            extra_raw = v.get("additionalProperties")
            if not props and isinstance(extra_raw, dict):
                return f"z.record(z.string(), {self.ref(self.child(node, 'additionalProperties'))})" + self._counts(v)
            if not props and "properties" not in v and extra_raw is not False:
                return "z.record(z.string(), z.unknown())" + self._counts(v)
            extra = None
            if isinstance(extra_raw, dict):
                extra = self.ref(self.child(node, "additionalProperties"))
            elif extra_raw is True:
                extra = "z.unknown()"
            return self.object_expr(props, set(v.get("required") or []), extra_raw is False, extra) + self._counts(v)
        return "z.unknown()"

    def _counts(self, v: dict) -> str:
        """minProperties/maxProperties as refinements (zod 3 and 4 alike)."""
        st, out = self.style, ""
        for key, op, words in (("minProperties", ">=", "at least"), ("maxProperties", "<=", "at most")):
            n = v.get(key)
            if isinstance(n, int) and not isinstance(n, bool) and n >= 0:
                message = st.q(f"expected {words} {n} propert{'y' if n == 1 else 'ies'}")
                out += f".refine((value) => Object.keys(value).length {op} {n}, {{ message: {message} }})"
        return out
