"""One typed settings model for the whole engine, and how values reach it.

Precedence, lowest to highest (each layer only overrides the keys it actually sets):

1. the defaults declared on :class:`Settings`;
2. ``initializationOptions`` sent by the client in ``initialize`` (whole object, or its
   ``freeagent`` member when the client nests settings under the section name);
3. the ``freeagent`` section the client returns for ``workspace/configuration``, asked once
   globally and once per workspace folder (folder scope wins over the global answer);
4. for the CLI, command-line flags.

Keys are accepted in camelCase (as editors send them) or snake_case. An invalid value never
takes the server down: :func:`merge_settings` drops the offending key, keeps the value from the
layer below, and returns a message naming the key and the problem so the caller can show it.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", validate_assignment=True
    )


class IndexSettings(_Model):
    exclude: list[str] = Field(
        default_factory=list,
        description="Extra gitignore-style globs to leave out of the code index.",
    )
    max_file_size_kb: int = Field(
        default=1024, ge=1, le=65536, description="Source files larger than this are not indexed."
    )
    respect_gitignore: bool = Field(default=True, description="Skip what .gitignore ignores.")


class Settings(_Model):
    index: IndexSettings = Field(default_factory=IndexSettings)
    watch: Literal["auto", "client", "server", "off"] = Field(
        default="auto",
        description="Who watches files: the client (dynamic registration), the server "
        "(watchfiles), 'auto' (client when it supports it, else server) or nobody.",
    )
    log_level: Literal["error", "warning", "info", "debug"] = Field(
        default="info", description="What the server logs to the client's output."
    )
    change_debounce_ms: int = Field(
        default=150, ge=0, le=5000, description="Delay before re-indexing a document being typed in."
    )
    spec_globs: list[str] = Field(
        default_factory=lambda: [
            "openapi.{yaml,yml,json}",
            "**/openapi*.{yaml,yml,json}",
            "specs/**/*.{yaml,yml,json}",
        ],
        description="Where the workspace's own OpenAPI documents live.",
    )
    typecheck_on_save: bool = Field(
        default=False, description="Run the workspace's own tsc on a TypeScript document when it is saved (FA501).",
    )
    typecheck_timeout_ms: int = Field(default=60000, ge=1000, le=600000, description="Time limit of one type check.")
    ignore_codes: list[str] = Field(
        default_factory=list,
        description="Diagnostic codes never reported (e.g. ['FA401']); one line: `// freeagent-ignore FA301`.",
    )
    bundled_specs: bool = Field(
        default=True, description="Also offer the operations of the bundled example registry (specs/)."
    )
    markers: list[str] = Field(
        default_factory=lambda: ["TODO", "FIXME", "@generate"],
        description="Comment markers that introduce a generation task.",
    )


SECTION = "freeagent"


def _snake(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def _normalise(value: Any) -> Any:
    if isinstance(value, dict):
        return {_snake(str(k)): _normalise(v) for k, v in value.items()}
    return value


def _unwrap(layer: Any) -> dict:
    """The layer's settings object with snake_case keys (so layers merge key by key)."""
    if not isinstance(layer, dict):
        return {}
    inner = layer.get(SECTION)
    return _normalise(inner if isinstance(inner, dict) else layer)


def _deep_merge(base: dict, top: dict) -> dict:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


_MISSING = object()


def _get(data: Any, loc: tuple) -> Any:
    for part in loc:
        if not isinstance(data, dict) or part not in data:
            return _MISSING
        data = data[part]
    return data


def _restore(data: dict, below: dict, loc: tuple) -> bool:
    """Put back the lower layer's value at ``loc`` (or remove the key if it had none)."""
    parent = _get(data, loc[:-1])
    if not loc or not isinstance(parent, dict) or loc[-1] not in parent:
        return False
    previous = _get(below, loc)
    if previous is _MISSING or previous == parent[loc[-1]]:
        del parent[loc[-1]]
    else:
        parent[loc[-1]] = previous
    return True


def merge_settings(*layers: Any) -> tuple[Settings, list[str]]:
    """Merge raw layers (lowest precedence first) into Settings, returning problems found.

    Each layer is validated on its own after merging onto the ones below, so a bad key in a
    higher layer falls back to the lower layer's value rather than to the default.
    """
    problems: list[str] = []
    merged: dict = {}
    for layer in layers:
        candidate = _deep_merge(copy.deepcopy(merged), _unwrap(layer))
        for _ in range(50):  # each pass removes at least one bad key
            try:
                Settings.model_validate(candidate)
                break
            except ValidationError as exc:
                removed = False
                for err in exc.errors():
                    loc = tuple(p for p in err["loc"] if not isinstance(p, int))
                    name = ".".join(to_camel(str(p)) for p in loc) or "(root)"
                    problems.append(f"setting '{SECTION}.{name}' ignored: {err['msg']}")
                    # an error inside a list value drops the whole key (ints left out of loc)
                    removed |= _restore(candidate, merged, loc)
                if not removed:
                    candidate = dict(merged)
                    break
        merged = candidate
    return Settings.model_validate(merged), problems
