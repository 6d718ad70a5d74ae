"""Identifiers for generated code: safe, readable, and stable for the same input."""

from __future__ import annotations

import keyword
import re

from ..specs.model import words

TS_RESERVED = frozenset(
    """break case catch class const continue debugger default delete do else enum export extends
    false finally for function if import in instanceof new null return super switch this throw true
    try typeof var void while with as implements interface let package private protected public
    static yield any boolean number string symbol type from of await async never unknown object
    undefined""".split()
)
# Globals a generated type must not shadow in a module scope.
TS_GLOBALS = frozenset(
    """Object Array Date Error String Number Boolean Symbol Function Promise Map Set Record Partial
    Required Readonly Pick Omit Exclude Extract JSON Math RegExp URL Blob File Response Request
    Headers FormData Buffer Event Node Element Text Document Location""".split()
)
_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def pascal(text: str) -> str:
    parts = words(text) or ["value"]
    name = "".join(p[:1].upper() + p[1:] for p in parts)
    return name if not name[0].isdigit() else "T" + name


def camel(text: str) -> str:
    name = pascal(text)
    name = name[:1].lower() + name[1:]
    return name


def type_name(text: str) -> str:
    """A TypeScript type name for a schema/component name, never a reserved word or global."""
    name = pascal(text)
    if name in TS_GLOBALS or name.lower() in TS_RESERVED:
        name += "Model"
    return name


def function_name(text: str) -> str:
    """A function name: 'delete' (an operationId) → 'deleteOperation'."""
    name = camel(text)
    return name + "Operation" if name in TS_RESERVED or name in TS_GLOBALS else name


def value_name(text: str) -> str:
    name = camel(text)
    if name in TS_RESERVED or name in TS_GLOBALS:
        name += "Value"
    return name


def property_key(name: str, quote: str) -> str:
    """An object/interface key: bare when it is an identifier, quoted otherwise ('content-type')."""
    if _IDENT.match(name):
        return name
    escaped = name.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return f"{quote}{escaped}{quote}"


def py_name(text: str) -> str:
    name = "_".join(words(text)) or "value"
    if name[0].isdigit():
        name = "v_" + name
    return name + "_" if keyword.iskeyword(name) else name
