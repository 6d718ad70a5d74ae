"""Merging the imports generated code needs into a file's existing import block.

Owns the rules from the design notes: reuse an existing ``import … from 'm'`` for the same
module (adding only the missing names, type-only names as ``type X`` inside a value import or
in the file's ``import type`` statement), never duplicate a name already imported, add new
statements after the last import (or at the top), in the file's quote and semicolon style.
Returns LSP-style text edits; nothing here knows about LSP.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from ...context.parsing import Parsers
from ...edits import TextEdit
from .style import TsStyle


@dataclass
class _Existing:
    module: str
    type_only: bool
    default: str | None
    namespace: bool
    names: list[str]  # as written: "x", "type X", "a as b"
    named_node: Node | None  # the named_imports node (for inserting into it)
    node: Node


def _existing_imports(parsers: Parsers, text: str, tsx: bool):
    lang = parsers._tsx if tsx else parsers._ts
    tree = lang[1].parse(text.encode("utf-8"))
    found: list[_Existing] = []
    last_end = None
    for child in tree.root_node.named_children:
        if child.type != "import_statement":
            if child.type == "comment":
                continue  # a comment before or between the imports
            break
        last_end = child.end_point
        source = child.child_by_field_name("source")
        module = source.text.decode()[1:-1] if source is not None else ""
        type_only = any(c.type == "type" for c in child.children)
        default, namespace, names, named_node = None, False, [], None
        for clause in child.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":
                    default = part.text.decode()
                elif part.type == "namespace_import":
                    namespace = True
                elif part.type == "named_imports":
                    named_node = part
                    names = [s.text.decode() for s in part.named_children if s.type == "import_specifier"]
        found.append(_Existing(module, type_only, default, namespace, names, named_node, child))
    return found, last_end


def _local_name(spec: str) -> str:
    spec = spec.removeprefix("type ").strip()
    return spec.split(" as ")[-1].strip()


def merge_imports(
    text: str, wanted: list[tuple[str, str, bool]], style: TsStyle, tsx: bool = False, parsers: Parsers | None = None
) -> list[TextEdit]:
    """Edits that make ``text`` import every (module, name, type_only) in ``wanted``.

    ``name`` "default:X" imports a default as X; "*:X" a namespace; otherwise a named import.
    """
    parsers = parsers or Parsers()
    existing, last_end = _existing_imports(parsers, text, tsx)
    imported_locals: set[str] = set()
    for e in existing:
        imported_locals.update(_local_name(n) for n in e.names)
        if e.default:
            imported_locals.add(e.default)
    edits: list[TextEdit] = []
    new_statements: list[str] = []
    by_module: dict[str, list[tuple[str, bool]]] = {}
    for module, name, type_only in wanted:
        local = name.split(":", 1)[-1]
        if local in imported_locals:
            continue
        imported_locals.add(local)
        by_module.setdefault(module, []).append((name, type_only))
    q, e = style.q, style.end
    for module, names in by_module.items():
        defaults = [n.split(":", 1)[1] for n, _ in names if n.startswith("default:")]
        namespaces = [n.split(":", 1)[1] for n, _ in names if n.startswith("*:")]
        for ns in namespaces:
            new_statements.append(f"import * as {ns} from {q(module)}{e}")
        for type_only in (False, True):
            named = [n for n, t in names if ":" not in n and t == type_only]
            group_defaults = defaults if not type_only else []
            if not named and not group_defaults:
                continue
            # Merge into a statement of the same kind: type-only names into `import type {…}`,
            # value names into a value import (the file's own split between the two is kept).
            target = next(
                (
                    ex.named_node
                    for ex in existing
                    if ex.module == module
                    and ex.named_node is not None
                    and not ex.namespace
                    and ex.type_only == type_only
                ),
                None,
            )
            if target is not None and named:
                edits.append(_insert_names(target, named, style))
                named = []
            clause = ([group_defaults[0]] if group_defaults else []) + (
                ["{ " + ", ".join(named) + " }"] if named else []
            )
            if clause:
                keyword = "import type" if type_only else "import"
                new_statements.append(f"{keyword} {', '.join(clause)} from {q(module)}{e}")
    if new_statements:
        block = "\n".join(new_statements)
        if last_end is not None:
            row = last_end[0]
            line_text = text.split("\n")[row] if row < len(text.split("\n")) else ""
            edits.append(TextEdit(row, len(line_text), row, len(line_text), "\n" + block))
        else:
            edits.append(TextEdit(0, 0, 0, 0, block + "\n\n"))
    return edits


def _insert_names(node: Node, specs: list[str], style: TsStyle) -> TextEdit:
    """An edit adding ``specs`` to an import's named_imports list ``node`` (`{ a, b }`)."""
    closing = node.children[-1]  # "}"
    before = closing.prev_sibling
    if node.start_point[0] != node.end_point[0]:
        # a multiline list: one name per line, at the list's indentation
        needs_comma = before is not None and before.type not in (",", "{")
        insertion = ("," if needs_comma else "") + "".join(f"\n{style.indent}{s}," for s in specs)
        if not style.trailing_comma:
            insertion = insertion.rstrip(",")
    elif before is not None and before.type == "{":
        insertion = " " + ", ".join(specs)
    else:
        insertion = (", " if before is not None and before.type != "," else " ") + ", ".join(specs)
    row, col = before.end_point if before is not None else closing.start_point
    return TextEdit(row, col, row, col, insertion)
