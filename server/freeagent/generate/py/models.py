"""OpenAPI schemas → pydantic v2 models and type annotations.

Components become ``class Name(BaseModel)`` (emitted once, dependencies first); properties get
snake_case attributes with the spec's name as alias (``project_id: UUID = Field(alias=
"projectId")``, ``populate_by_name=True``) so both spellings validate and responses serialise
by alias; ``additionalProperties: false`` forbids extra keys; enums are ``Literal[...]``;
``allOf`` of objects is flattened into one model; ``oneOf`` with a discriminator is a
discriminated union; recursion works through postponed annotations. Formats map to
``UUID``, ``datetime``, ``date``, ``bytes`` (binary); emails stay ``str`` (``EmailStr`` would
need an extra package the project may not have).
"""

from __future__ import annotations

import keyword

from ...specs.model import Node
from ...specs.registry import Registry
from ..naming import pascal, py_name
from ..ts.schemas import _nullable, _types


class PyModels:
    def __init__(self, registry: Registry, existing: set[str] | None = None, indent: str = "    ", quote: str = '"'):
        self.registry = registry
        self.existing = existing or set()
        self.indent = indent
        self.quote = quote
        self.decls: dict[str, str] = {}
        self.in_progress: set[str] = set()
        self.inline: dict[tuple, str] = {}  # unnamed object schemas being declared -> their class
        self.imports: set[tuple[str, str]] = set()  # (module, name)

    def q(self, text: str) -> str:
        body = text.replace("\\", "\\\\").replace(self.quote, "\\" + self.quote)
        return f"{self.quote}{body}{self.quote}"

    def child(self, node: Node, *keys) -> Node | None:
        return self.registry.child(node, *keys)

    def items(self, node: Node, key: str) -> list[Node]:
        value = node.value.get(key) if isinstance(node.value, dict) else None
        return (
            [n for i in range(len(value)) if (n := self.child(node, key, i)) is not None]
            if isinstance(value, list)
            else []
        )

    def ref(self, node: Node | None, hint: str = "Model") -> str:
        if node is None:
            self.imports.add(("typing", "Any"))
            return "Any"
        name = node.component_name
        if name is None:
            return self.annotation(node, hint)
        cls = pascal(name)
        if keyword.iskeyword(cls.lower()) or cls in ("BaseModel", "Field", "Any", "Literal"):
            cls += "Model"
        if cls in self.in_progress:
            return cls  # recursion: fine under `from __future__ import annotations` (always emitted)
        if cls in self.decls or cls in self.existing:
            return cls
        self.in_progress.add(cls)
        code = self.model(cls, node) if self.is_object(node) else f"{cls} = {self.annotation(node, cls)}"
        self.in_progress.discard(cls)
        self.decls[cls] = code
        return cls

    def is_object(self, node: Node) -> bool:
        v = node.value if isinstance(node.value, dict) else {}
        if any(k in v for k in ("oneOf", "anyOf", "enum", "const")):
            return False
        if "allOf" in v:
            return self._flatten(node) is not None
        return "object" in _types(v) and (bool(v.get("properties")) or v.get("additionalProperties") is False)

    def _flatten(self, node: Node) -> tuple[dict[str, Node], set[str], bool] | None:
        """allOf parts merged into (properties, required, closed); None when a part is a union."""
        props: dict[str, Node] = {}
        required: set[str] = set()
        closed, parts = False, [node]
        while parts:
            part = parts.pop(0)
            v = part.value if isinstance(part.value, dict) else {}
            if any(k in v for k in ("oneOf", "anyOf")):
                return None
            parts = self.items(part, "allOf") + parts
            for name in v.get("properties") or {}:
                if (c := self.child(part, "properties", name)) is not None:
                    props[name] = c
            required.update(v.get("required") or [])
            closed = closed or v.get("additionalProperties") is False
        return props, required, closed

    def model(self, cls: str, node: Node) -> str:
        """A pydantic model of an object schema (callers check ``is_object`` or ``_flatten`` first)."""
        v = node.value if isinstance(node.value, dict) else {}
        if "allOf" in v:
            flat = self._flatten(node)
            if flat is None:
                raise ValueError(f"{node.pointer}: an allOf with a union part is not a model")
            props, required, closed = flat
        else:
            props = {k: c for k in v.get("properties") or {} if (c := self.child(node, "properties", k)) is not None}
            required, closed = set(v.get("required") or []), v.get("additionalProperties") is False
        self.imports.update({("pydantic", "BaseModel"), ("pydantic", "ConfigDict")})
        i = self.indent
        lines = [f"class {cls}(BaseModel):"]
        doc = v.get("description") or v.get("title")
        if isinstance(doc, str) and doc.strip():
            lines.append(f'{i}"""{doc.strip().splitlines()[0].replace(chr(34) * 3, "")}"""')
            lines.append("")
        extra = ', extra="forbid"' if closed else ""
        lines.append(f"{i}model_config = ConfigDict(populate_by_name=True{extra})")
        lines.append("")
        used: set[str] = set()
        for name, child in props.items():
            attr = py_name(name)
            if attr in used or attr in ("model_config",) or attr.startswith("model_"):
                attr += "_"
            used.add(attr)
            t = self.ref(child, pascal(cls + "_" + name))
            field_args = []
            if attr != name:
                field_args.append(f"alias={self.q(name)}")
            if name not in required:
                t = t if t.endswith("| None") or t == "None" else f"{t} | None"
                field_args.insert(0, "default=None")
            if field_args:
                self.imports.add(("pydantic", "Field"))
                lines.append(f"{i}{attr}: {t} = Field({', '.join(field_args)})")
            else:
                lines.append(f"{i}{attr}: {t}")
        if not props:
            lines.append(f"{i}pass")
        return "\n".join(lines)

    def annotation(self, node: Node, hint: str = "Model") -> str:
        v = node.value
        if not isinstance(v, dict) or not v:
            self.imports.add(("typing", "Any"))
            return "Any"
        nullable = _nullable(v)
        if "const" in v:
            self.imports.add(("typing", "Literal"))
            out = f"Literal[{self._lit(v['const'])}]"
        elif isinstance(v.get("enum"), list):
            values = [x for x in v["enum"] if x is not None]
            nullable = nullable or None in v["enum"]
            self.imports.add(("typing", "Literal"))
            out = f"Literal[{', '.join(self._lit(x) for x in values)}]" if values else "None"
        elif "allOf" in v:
            flat = self._flatten(node)
            parts = self.items(node, "allOf")
            if flat is not None and len(parts) == 1 and not v.get("properties"):
                out = self.ref(parts[0], hint)
            elif flat is not None:
                cls = pascal(hint)
                if cls not in self.decls:
                    self.decls[cls] = self.model(cls, node)
                out = cls
            else:
                out = self.ref(parts[0], hint) if parts else "Any"
        elif "oneOf" in v or "anyOf" in v:
            variants = [
                self.ref(p, f"{hint}Option{n}")
                for n, p in enumerate(self.items(node, "oneOf" if "oneOf" in v else "anyOf"))
            ]
            unique = list(dict.fromkeys(variants))
            disc = (
                (v.get("discriminator") or {}).get("propertyName") if isinstance(v.get("discriminator"), dict) else None
            )
            out = " | ".join(unique) if unique else "Any"
            if disc and len(unique) > 1 and all(u in self.decls for u in unique):
                self.imports.update({("typing", "Annotated"), ("pydantic", "Field")})
                out = (
                    f"Annotated[{out}, Field(discriminator={self.q(py_name(disc) if py_name(disc) == disc else disc)})]"
                )
        else:
            types = [t for t in _types(v) if t != "null"]
            rendered = [self._typed(node, v, t, hint) for t in types] or (["None"] if "null" in _types(v) else ["Any"])
            if "Any" in rendered:
                self.imports.add(("typing", "Any"))
            out = " | ".join(dict.fromkeys(rendered))
        if nullable and out not in ("Any", "None") and not out.endswith("| None"):
            out = f"{out} | None"
        return out

    def _lit(self, value) -> str:
        if isinstance(value, str):
            return self.q(value)
        return repr(value)

    def _typed(self, node: Node, v: dict, t: str, hint: str) -> str:
        if t == "string":
            fmt = v.get("format")
            mapping = {"uuid": ("uuid", "UUID"), "date-time": ("datetime", "datetime"), "date": ("datetime", "date")}
            if fmt in mapping:
                self.imports.add(mapping[fmt])
                return mapping[fmt][1]
            return "bytes" if fmt == "binary" else "str"
        if t == "integer":
            return "int"
        if t == "number":
            return "float"
        if t == "boolean":
            return "bool"
        if t == "array":
            return f"list[{self.ref(self.child(node, 'items'), hint + 'Item') if 'items' in v else 'Any'}]"
        if t == "object":
            if self.is_object(node):
                key = (node.doc.path, node.pointer)
                if key in self.inline:  # a schema with no component name that contains itself
                    return self.inline[key]  # (`#/node` of another file): the class being built
                cls = pascal(hint)
                if cls not in self.decls:
                    self.inline[key] = cls
                    try:
                        self.decls[cls] = self.model(cls, node)
                    finally:
                        del self.inline[key]
                return cls
            extra = v.get("additionalProperties")
            value = (
                self.ref(self.child(node, "additionalProperties"), hint + "Value") if isinstance(extra, dict) else "Any"
            )
            if value == "Any":
                self.imports.add(("typing", "Any"))
            return f"dict[str, {value}]"
        self.imports.add(("typing", "Any"))
        return "Any"


def import_lines(imports: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Sorted (module, name) pairs, stdlib first then third-party, for the import merger."""
    order = {"__future__": 0, "collections.abc": 1, "datetime": 1, "typing": 1, "uuid": 1}
    return sorted(imports, key=lambda mn: (order.get(mn[0], 2), mn[0], mn[1]))
