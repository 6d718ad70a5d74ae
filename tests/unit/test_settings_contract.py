"""The VS Code extension's contributed settings and the server's Settings are one contract.

The server's settings are the dataclasses in ``freeagent.config``; the extension contributes
them to VS Code in ``vscode-client/package.json`` (``contributes.configuration``). Both sides
are flattened into dotted camelCase keys, as an editor sends them under the ``freeagent``
section (``freeagent.llm.budgetUsd``, ``freeagent.index.maxFileSizeKb``), and compared key by
key: the key set, the JSON type, the default and the bounds.

How the Python side maps to JSON:

- a nested dataclass (``index``, ``llm``) is not a setting of its own: its fields are;
- ``str``/``int``/``float``/``bool`` are ``string``/``integer``/``number``/``boolean``;
- ``list[T]`` is ``array`` whose ``items`` has T's JSON type;
- ``Literal["a", "b"]`` is ``string`` with ``enum: ["a", "b"]`` (same values, same order);
- ``dict[str, V]`` (``llm.prices``) is ONE setting of JSON type ``object``: VS Code edits it as
  a whole in settings.json, and the server validates the whole value. Where package.json
  describes the values (``additionalProperties``, or ``properties`` for known keys), each of
  those schemas must have V's JSON type, recursively;
- a field's metadata ``ge``/``le`` are the property's ``minimum``/``maximum``, and neither
  appears when the field has no bound.

Keys under ``config.CLIENT_ONLY_KEYS`` (``freeagent.server.*``, ``freeagent.trace.server``) are
the extension's own and not server settings; :data:`NOT_CONTRIBUTED` lists the server keys the
extension deliberately leaves out, with the reason.
"""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from typing import Any, Literal

import pytest

from freeagent.config import CLIENT_ONLY_KEYS, SECTION, Settings, to_camel
from tests.helpers import ROOT

CLIENT = ROOT / "vscode-client"

# Server settings the extension does not offer in its Settings editor, and why. Each must still
# be a server key (a rename shows up here) and must stay uncontributed.
NOT_CONTRIBUTED = {
    f"{SECTION}.llm.anthropicApiKey": "API keys live in VS Code's SecretStorage (Free Agent: Set API Key), "
    "never in settings.json; they reach the server as ANTHROPIC_API_KEY",
    f"{SECTION}.llm.openaiApiKey": "as anthropicApiKey: the key reaches the server as OPENAI_API_KEY",
}


@dataclasses.dataclass(frozen=True)
class ServerSetting:
    key: str
    annotation: Any
    default: Any
    ge: float | None
    le: float | None


def server_settings(cls: type = Settings, prefix: str = SECTION) -> dict[str, ServerSetting]:
    hints = typing.get_type_hints(cls)
    out: dict[str, ServerSetting] = {}
    for f in dataclasses.fields(cls):
        key = f"{prefix}.{to_camel(f.name)}"
        kind = hints[f.name]
        if dataclasses.is_dataclass(kind):
            out.update(server_settings(kind, key))
            continue
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        out[key] = ServerSetting(key, kind, default, f.metadata.get("ge"), f.metadata.get("le"))
    return out


def contributed_settings() -> dict[str, dict]:
    configuration = json.loads((CLIENT / "package.json").read_text(encoding="utf-8"))["contributes"]["configuration"]
    out: dict[str, dict] = {}
    for section in configuration if isinstance(configuration, list) else [configuration]:
        for key, schema in section.get("properties", {}).items():
            assert key not in out, f"{key}: contributed twice in package.json"
            out[key] = schema
    return out


SERVER = server_settings()
CONTRIBUTED = contributed_settings()
BOTH = sorted(SERVER.keys() & CONTRIBUTED.keys())


def client_only(key: str) -> bool:
    return key.split(".")[1] in CLIENT_ONLY_KEYS


def show(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) if not typing.get_args(annotation) else str(annotation)


def same(a: Any, b: Any) -> bool:
    """JSON equality: 120 == 120.0, but True != 1 and a list is not a string."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


def type_problems(annotation: Any, schema: Any, where: str) -> list[str]:
    """How ``schema`` (package.json's side) disagrees with the Python ``annotation``."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        assert all(isinstance(a, str) for a in args), f"{where}: only Literals of strings map to JSON ({annotation})"
        expected = "string"
    elif origin is list:
        expected = "array"
    elif origin is dict:
        assert args[0] is str, f"{where}: a dict setting needs str keys ({annotation})"
        expected = "object"
    elif annotation in _SCALARS:
        expected = _SCALARS[annotation]
    else:
        raise AssertionError(f"{where}: no JSON mapping for the server's type {annotation}")
    if not isinstance(schema, dict):
        return [f"{where}: package.json has no schema ({schema!r}); the server's type is {show(annotation)}"]
    problems = []
    if schema.get("type") != expected:
        problems.append(
            f"{where}: package.json type {schema.get('type')!r}, server type {show(annotation)} (JSON {expected!r})"
        )
    if origin is Literal:
        if schema.get("enum") != list(args):
            problems.append(f"{where}: package.json enum {schema.get('enum')!r}, server Literal values {list(args)!r}")
        labels = schema.get("enumDescriptions")
        if labels is not None and len(labels) != len(args):
            problems.append(
                f"{where}: {len(labels)} enumDescriptions in package.json for the server's {len(args)} values"
            )
    elif "enum" in schema:
        problems.append(f"{where}: package.json enum {schema['enum']!r}, server type {show(annotation)} has no enum")
    if origin is list:
        problems += type_problems(args[0], schema.get("items"), f"{where}.items")
    if origin is dict:
        values = [schema.get("additionalProperties"), *schema.get("properties", {}).values()]
        for value in values:
            if isinstance(value, dict):  # `additionalProperties: true/false` or none: nothing to compare
                problems += type_problems(args[1], value, f"{where}[*]")
    return problems


# ------------------------------------------------------------------ (a) the keys


@pytest.mark.parametrize("key", [pytest.param(k, id=k) for k in sorted(SERVER)])
def test_every_server_key_is_contributed(key):
    setting = SERVER[key]
    if key in NOT_CONTRIBUTED:
        assert key not in CONTRIBUTED, (
            f"{key}: package.json contributes it, but it is listed as deliberately not contributed "
            f"({NOT_CONTRIBUTED[key]})"
        )
        return
    assert key in CONTRIBUTED, (
        f"{key}: server Settings has it ({show(setting.annotation)}, default {setting.default!r}), "
        "package.json does not contribute it"
    )


@pytest.mark.parametrize("key", [pytest.param(k, id=k) for k in sorted(CONTRIBUTED)])
def test_every_contributed_key_is_a_server_key(key):
    if client_only(key):
        assert key not in SERVER, f"{key}: contributed as client-only ({CLIENT_ONLY_KEYS}), yet a server setting"
        return
    assert key in SERVER, (
        f"{key}: package.json contributes it (default {CONTRIBUTED[key].get('default')!r}), "
        f"server Settings has no such key (nor is it under CLIENT_ONLY_KEYS {CLIENT_ONLY_KEYS})"
    )


def test_not_contributed_keys_are_server_keys():
    stale = sorted(NOT_CONTRIBUTED.keys() - SERVER.keys())
    assert not stale, f"NOT_CONTRIBUTED names {stale}, which server Settings does not have"


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in CLIENT_ONLY_KEYS])
def test_client_only_keys_are_the_extensions_own(name):
    keys = sorted(k for k in CONTRIBUTED if k.split(".")[1] == name)
    assert keys, f"{SECTION}.{name}: in config.CLIENT_ONLY_KEYS, package.json contributes nothing under it"
    assert name not in {f.name for f in dataclasses.fields(Settings)}, (
        f"{SECTION}.{name}: in config.CLIENT_ONLY_KEYS (the server drops it), yet a field of Settings"
    )


def test_client_only_keys_are_the_same_in_the_extension():
    source = (CLIENT / "src" / "settings.ts").read_text(encoding="utf-8")
    found = re.search(r"export const CLIENT_ONLY_KEYS\s*=\s*\[([^\]]*)\]", source)
    assert found, "vscode-client/src/settings.ts: no `export const CLIENT_ONLY_KEYS = [...]`"
    extension = tuple(re.findall(r"['\"]([^'\"]+)['\"]", found.group(1)))
    assert extension == CLIENT_ONLY_KEYS, (
        f"CLIENT_ONLY_KEYS: settings.ts {extension!r}, server config.py {CLIENT_ONLY_KEYS!r}"
    )


# ------------------------------------------------------------------ (b)-(d) each common key


@pytest.mark.parametrize("key", [pytest.param(k, id=k) for k in BOTH])
def test_type_matches(key):
    problems = type_problems(SERVER[key].annotation, CONTRIBUTED[key], key)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("key", [pytest.param(k, id=k) for k in BOTH])
def test_default_matches(key):
    schema = CONTRIBUTED[key]
    assert "default" in schema, f"{key}: package.json has no default, server default {SERVER[key].default!r}"
    assert same(schema["default"], SERVER[key].default), (
        f"{key}: package.json default {schema['default']!r}, server default {SERVER[key].default!r}"
    )


@pytest.mark.parametrize(
    "key, bound, field",
    [
        pytest.param(k, bound, field, id=f"{k}-{bound}")
        for k in BOTH
        for bound, field in (("minimum", "ge"), ("maximum", "le"))
    ],
)
def test_bound_matches(key, bound, field):
    expected = getattr(SERVER[key], field)
    actual = CONTRIBUTED[key].get(bound)
    if expected is None:
        assert bound not in CONTRIBUTED[key], f"{key}: package.json {bound} {actual!r}, server has no {field} bound"
    else:
        assert actual is not None and same(actual, expected), (
            f"{key}: package.json {bound} {actual!r}, server {field}={expected!r}"
        )


# ------------------------------------------------------------------ one default marker list


def test_the_extension_spells_no_default_marker_list():
    """package.json's default of `freeagent.markers` is the extension's only copy (checked above
    against the server's); no array literal in its sources may list the markers again."""
    markers = SERVER[f"{SECTION}.markers"].default
    names = "|".join(re.escape(m) for m in markers)
    quoted = re.compile(rf"""(['"`])({names})\1""")
    for source in sorted((CLIENT / "src").glob("**/*.ts")):
        text = source.read_text(encoding="utf-8")
        for array in re.finditer(r"\[[^\[\]]*\]", text):
            named = {m.group(2) for m in quoted.finditer(array.group(0))}
            line = text.count("\n", 0, array.start()) + 1
            assert len(named) < 2, (
                f"vscode-client/src/{source.relative_to(CLIENT / 'src')}:{line}: a marker list {array.group(0)!r}; "
                f"the default is package.json's freeagent.markers ({markers!r})"
            )
