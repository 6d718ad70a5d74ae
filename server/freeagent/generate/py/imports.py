"""Merging imports into a Python file's import block (tree-sitter-python), without duplicates."""

from __future__ import annotations

from tree_sitter import Node

from ...context.parsing import Parsers
from ...edits import TextEdit


def merge_python_imports(text: str, wanted: list[tuple[str, str]], parsers: Parsers | None = None) -> list[TextEdit]:
    """Edits that make ``text`` import every (module, name); name "" means ``import module``."""
    parsers = parsers or Parsers()
    tree = parsers._py[1].parse(text.encode("utf-8"))
    existing_from: dict[str, Node] = {}
    imported: set[tuple[str, str]] = set()
    last_end = None
    insert_after_docstring = None
    for child in tree.root_node.named_children:
        if child.type in ("import_statement", "import_from_statement", "future_import_statement"):
            last_end = child.end_point
            if child.type == "import_from_statement":
                module = child.child_by_field_name("module_name").text.decode()
                existing_from.setdefault(module, child)
                for name in child.children_by_field_name("name"):
                    imported.add((module, name.text.decode()))
            elif child.type == "future_import_statement":
                for name in child.children_by_field_name("name"):
                    imported.add(("__future__", name.text.decode()))
            else:
                for name in child.children_by_field_name("name"):
                    imported.add((name.text.decode().split(" as ")[0], ""))
        elif (
            child.type == "expression_statement"
            and last_end is None
            and insert_after_docstring is None
            and child.named_children
            and child.named_children[0].type == "string"
        ):
            insert_after_docstring = child.end_point
        elif child.type != "comment":
            break
    edits: list[TextEdit] = []
    new_lines: list[str] = []
    future: list[str] = []  # must be the first statements: at the top, after a module docstring
    by_module: dict[str, list[str]] = {}
    for module, name in wanted:
        if (module, name) in imported:
            continue
        imported.add((module, name))
        if module == "__future__":
            future.append(f"from __future__ import {name}")
            continue
        if not name:
            new_lines.append(f"import {module}")
        else:
            by_module.setdefault(module, []).append(name)
    for module, names in by_module.items():
        node = existing_from.get(module)
        if node is not None and not any(c.type == "wildcard_import" for c in node.named_children):
            last = node.children[-1]
            before = last.prev_sibling
            if last.type == ")" and before is not None:  # parenthesised list: insert before the ")"
                row, col = before.end_point
                sep = "" if before.type == "," else ","
                edits.append(TextEdit(row, col, row, col, sep + "".join(f" {n}," for n in names).rstrip(",")))
            else:
                row, col = node.end_point
                edits.append(TextEdit(row, col, row, col, "".join(f", {n}" for n in names)))
        else:
            new_lines.append(f"from {module} import {', '.join(names)}")
    if future and (last_end is not None or insert_after_docstring is not None):
        if insert_after_docstring is not None:
            row = insert_after_docstring[0]
            line = text.split("\n")[row]
            edits.append(TextEdit(row, len(line), row, len(line), "\n\n" + "\n".join(future)))
        else:
            edits.append(TextEdit(0, 0, 0, 0, "\n".join(future) + "\n"))
        future = []
    new_lines = future + new_lines
    if new_lines:
        block = "\n".join(new_lines)
        anchor = last_end or insert_after_docstring
        if anchor is not None:
            line = text.split("\n")[anchor[0]]
            insertion = "\n" + block + ("" if last_end else "\n")
            # names added to the last import statement land at the same spot: keep them first
            same = [e for e in edits if (e.line, e.character) == (anchor[0], len(line))]
            for e in same:
                edits.remove(e)
                insertion = e.new_text + insertion
            edits.append(TextEdit(anchor[0], len(line), anchor[0], len(line), insertion))
        else:
            edits.append(TextEdit(0, 0, 0, 0, block + "\n\n"))
    return edits
