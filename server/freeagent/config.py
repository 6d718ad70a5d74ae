"""One typed settings model for the whole engine, and how values reach it.

Precedence, lowest to highest (each layer only overrides the keys it actually sets):

1. the defaults declared on :class:`Settings`;
2. the workspace's settings file, ``.freeagent.json`` at the workspace root (JSONC: comments and
   trailing commas allowed; the same keys as the ``freeagent`` section — nested objects, or
   dotted keys as in VS Code's settings.json), read by every CLI command and by the server,
   which reloads it when it changes and reports its problems as diagnostics on the file;
3. ``initializationOptions`` sent by the client in ``initialize`` (whole object, or its
   ``freeagent`` member when the client nests settings under the section name);
4. the ``freeagent`` section the client returns for ``workspace/configuration``, asked once
   globally and once per workspace folder (folder scope wins over the global answer);
5. for the CLI, command-line flags (they win over the file).

The server applies the merged settings per workspace folder (markers, models, the type check
on save …); ``watch`` and ``logLevel`` are about the server process, so they come from the
editor's layers (3, 4) alone.

Keys are accepted in camelCase (as editors send them) or snake_case. An invalid value never
takes the server down: :func:`merge_settings` drops the offending key, keeps the value from the
layer below, and returns a message naming the key and the problem so the caller can show it.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .findings import CODE_BAD_SETTINGS_FILE, Finding, Range, Severity
from .markers import DEFAULT_MARKERS

# The settings are plain dataclasses: the CLI and the engine read them without importing
# pydantic (~120 ms of a `freeagent check`). pydantic validates the layers in merge_settings,
# against models derived from these classes; a field's bounds and description live in its
# metadata (`ge`, `le`, `description`).


def _setting(
    default: Any = dataclasses.MISSING,
    *,
    factory: Any = dataclasses.MISSING,
    description: str,
    ge: int | None = None,
    le: int | None = None,
) -> Any:
    metadata = {"description": description, "ge": ge, "le": le}
    if factory is not dataclasses.MISSING:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass
class IndexSettings:
    exclude: list[str] = _setting(
        factory=list, description="Extra gitignore-style globs to leave out of the code index."
    )
    max_file_size_kb: int = _setting(1024, ge=1, le=65536, description="Source files larger than this are not indexed.")
    respect_gitignore: bool = _setting(True, description="Skip what .gitignore ignores.")
    cache: bool = _setting(
        True,
        description="Keep file summaries in the user's cache directory, so the next start re-parses only changed files.",
    )


@dataclass
class PythonSettings:
    interpreter: str = _setting(
        "",
        description="The Python interpreter (or environment folder) the workspace's code runs with, "
        "absolute or relative to the workspace; empty: found ($VIRTUAL_ENV, .venv, venv, Poetry's).",
    )
    warm: bool = _setting(
        True,
        description="After the workspace loads, ask jedi in a background process what every Python file "
        "uses of its installed packages, so a file's first open finds the answers.",
    )


@dataclass
class LlmSettings:
    provider: Literal["anthropic", "openai", "ollama"] = _setting(
        "anthropic",
        description="The premium provider: anthropic (Claude), openai (GPT-4o or any OpenAI-compatible server) or ollama.",
    )
    model: str = _setting(
        "", description="The premium model (empty: the provider's default, e.g. claude-sonnet-5-5, gpt-4o)."
    )
    base_url: str = _setting(
        "", description="The premium provider's API URL (empty: the SDK's default or its *_BASE_URL variable)."
    )
    fallback_provider: Literal["anthropic", "openai", "ollama"] = _setting(
        "ollama", description="The local/cheap provider tried first in cost-sensitive mode."
    )
    fallback_model: str = _setting("", description="The fallback model (empty: qwen2.5-coder:7b for Ollama).")
    fallback_base_url: str = _setting("", description="The fallback's URL (empty: OLLAMA_HOST or 127.0.0.1:11434).")
    mode: Literal["premium", "cost-sensitive"] = _setting(
        "premium",
        description="cost-sensitive: start with the fallback and escalate to premium only when its code fails the checks.",
    )
    budget_usd: float = _setting(0.50, ge=0, description="Most a task may spend across attempts (USD).")
    max_attempts: int = _setting(
        3, ge=1, le=10, description="Attempts per task (the first plus retries with corrections)."
    )
    timeout_s: float = _setting(120.0, ge=1, le=1800, description="Time limit of one model call.")
    max_retries: int = _setting(
        2, ge=0, le=10, description="Retries of one call on 429/5xx/timeouts/dropped connections."
    )
    prompt_tokens: int = _setting(
        12000, ge=1000, le=400000, description="Token budget of the prompt (context is cut to fit)."
    )
    max_output_tokens: int = _setting(4096, ge=256, le=128000, description="Most tokens one answer may have.")
    context_tokens: int = _setting(
        32768, ge=2048, le=1048576, description="Ollama's context window (num_ctx) for these prompts."
    )
    typecheck: bool = _setting(
        True, description="Also run the workspace's tsc on each TypeScript candidate (when it has one)."
    )
    typecheck_timeout_s: float = _setting(60.0, ge=1, le=600, description="Time limit of that tsc run.")
    ensemble: list[str] = _setting(
        factory=list,
        description="Generate with several models at once and keep the one the checks prefer: "
        "'provider/model[:samples]' each (openai/gpt-4o-mini:3, ollama/qwen2.5-coder:7b, anthropic/claude-sonnet-5-5).",
    )
    ensemble_mode: Literal["cascade", "all"] = _setting(
        "cascade",
        description="cascade: the cheapest member first, a dearer one only when no candidate so far passes; all: every member at once.",
    )
    ensemble_temperature: float = _setting(
        0.7, ge=0, le=2, description="Sampling temperature of a member asked for more than one sample."
    )
    ensemble_retries: int = _setting(
        1, ge=0, le=5, description="Retries with the root cause per ensemble candidate (the ensemble is the retry)."
    )
    anthropic_api_key: str = _setting(
        "", description="Prefer the ANTHROPIC_API_KEY variable; this setting is for clients that cannot set it."
    )
    openai_api_key: str = _setting("", description="Prefer the OPENAI_API_KEY variable.")
    prices: dict[str, dict[str, float]] = _setting(
        factory=dict,
        description="Extra or corrected prices, $ per million tokens: {model: {input, output, cached_input}}.",
    )


@dataclass
class StoreSettings:
    enabled: bool = _setting(
        True, description="Record every generation and its outcome (applied, rejected, survival, votes)."
    )
    path: str = _setting(
        "",
        description="The outcome store's SQLite file (relative: to the workspace); empty: one per workspace "
        "under $XDG_DATA_HOME/freeagent/stores.",
    )


@dataclass
class Settings:
    index: IndexSettings = _setting(factory=IndexSettings, description="What the code index covers.")
    watch: Literal["auto", "client", "server", "off"] = _setting(
        "auto",
        description="Who watches files: the client (dynamic registration), the server "
        "(watchfiles), 'auto' (client when it supports it, else server) or nobody.",
    )
    log_level: Literal["error", "warning", "info", "debug"] = _setting(
        "info", description="What the server logs to the client's output."
    )
    change_debounce_ms: int = _setting(
        150, ge=0, le=5000, description="Delay before re-indexing a document being typed in."
    )
    spec_globs: list[str] = _setting(
        factory=lambda: [
            "openapi.{yaml,yml,json}",
            "**/openapi*.{yaml,yml,json}",
            "specs/**/*.{yaml,yml,json}",
        ],
        description="Where the workspace's own OpenAPI documents live.",
    )
    typecheck_on_save: bool = _setting(
        False,
        description="Run the workspace's own tsc on a TypeScript document when it is saved (FA501).",
    )
    typecheck_timeout_ms: int = _setting(60000, ge=1000, le=600000, description="Time limit of one type check.")
    ignore_codes: list[str] = _setting(
        factory=list,
        description="Diagnostic codes never reported (e.g. ['FA401']); one line: `// freeagent-ignore FA301`.",
    )
    bundled_specs: bool = _setting(
        True, description="Also offer the operations of the bundled example registry (specs/)."
    )
    markers: list[str] = _setting(
        factory=lambda: list(DEFAULT_MARKERS),
        description="Comment markers that introduce a generation task.",
    )
    llm: LlmSettings = _setting(factory=LlmSettings, description="The LLM fallback: providers, models, budget.")
    python: PythonSettings = _setting(
        factory=PythonSettings, description="Python projects: the environment their installed packages are read from."
    )
    store: StoreSettings = _setting(
        factory=StoreSettings, description="The outcome store: what is recorded of each generation, and where."
    )


def to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


class _Validator:
    """pydantic models mirroring the dataclasses (built on first use), and the conversion back."""

    def __init__(self) -> None:
        import typing

        from pydantic import BaseModel, ConfigDict, Field, create_model

        def model_for(cls):
            hints = typing.get_type_hints(cls)
            fields = {}
            for f in dataclasses.fields(cls):
                kind = hints[f.name]
                if dataclasses.is_dataclass(kind):
                    kind = model_for(kind)
                    fields[f.name] = (kind, Field(default_factory=kind))
                    continue
                bounds = {k: f.metadata[k] for k in ("ge", "le") if f.metadata.get(k) is not None}
                if f.default_factory is not dataclasses.MISSING:
                    fields[f.name] = (kind, Field(default_factory=f.default_factory, **bounds))
                else:
                    fields[f.name] = (kind, Field(default=f.default, **bounds))
            config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")
            return create_model(cls.__name__, __config__=config, **fields)

        self.model = model_for(Settings)
        self.base = BaseModel

    def validate(self, data: dict) -> Settings:
        return self._convert(self.model.model_validate(data), Settings)

    def _convert(self, value, cls):
        hints = {f.name: f for f in dataclasses.fields(cls)}
        out = {}
        for name in hints:
            item = getattr(value, name)
            out[name] = self._convert(item, type(getattr(cls(), name))) if isinstance(item, self.base) else item
        return cls(**out)


_validator: _Validator | None = None


def _validation():
    global _validator
    if _validator is None:
        _validator = _Validator()
    return _validator


SECTION = "freeagent"  # the settings section editors send, and the prefix of every key
SETTINGS_FILE = ".freeagent.json"  # the workspace's settings file, at the workspace root


def _snake(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def _free_keys() -> set[tuple[str, ...]]:
    """Paths of the settings whose keys are the user's own names, not setting names (the model
    names of ``llm.prices``): their keys are kept as written."""
    import typing

    out = set()

    def walk(cls: type, path: tuple[str, ...]) -> None:
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            kind = hints[f.name]
            if isinstance(kind, type) and dataclasses.is_dataclass(kind):
                walk(kind, path + (f.name,))
            elif typing.get_origin(kind) is dict:
                out.add(path + (f.name,))

    walk(Settings, ())
    return out


def _normalise(value: Any, path: tuple[str, ...] = ()) -> Any:
    """snake_case keys, and dotted keys (``"llm.provider"``, as VS Code's settings.json writes
    them) unfolded into nested objects — except the user's own names (see :func:`_free_keys`)."""
    if not isinstance(value, dict):
        return value
    if path in _FREE_KEYS or (path[:1] == (SECTION,) and path[1:] in _FREE_KEYS):
        return {key: _normalise(item, path + ("*",)) for key, item in value.items()}
    out: dict = {}
    for key, item in value.items():
        parts = [_snake(part) for part in str(key).split(".")]
        nested = _normalise(item, path + tuple(parts))
        for part in reversed(parts):
            nested = {part: nested}
        out = _deep_merge(out, nested)
    return out


_FREE_KEYS = _free_keys()

# Keys of the `freeagent` section that belong to the editor's client, not to the server
# (the VS Code extension's `freeagent.server.*` and `freeagent.trace.server`): not warned about.
CLIENT_ONLY_KEYS = ("server", "trace")


def _unwrap(layer: Any) -> dict:
    """The layer's settings object with snake_case keys (so layers merge key by key)."""
    if not isinstance(layer, dict):
        return {}
    data = _normalise(layer)
    inner = data.get(SECTION)
    if isinstance(inner, dict):
        data = inner
    return {k: v for k, v in data.items() if k not in CLIENT_ONLY_KEYS}


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


@dataclass(frozen=True)
class SettingProblem:
    """A value of one layer that was ignored: where (snake_case path), and why."""

    layer: int  # index of the layer in the merge (0: the lowest given)
    loc: tuple[str, ...]
    message: str

    @property
    def key(self) -> str:
        return ".".join(to_camel(p) for p in self.loc) or "(root)"

    def __str__(self) -> str:
        return f"setting '{SECTION}.{self.key}' ignored: {self.message}"


def _merge(layers: tuple[Any, ...]) -> tuple[dict, list[SettingProblem]]:
    from pydantic import ValidationError

    validator = _validation()
    problems: list[SettingProblem] = []
    merged: dict = {}
    for index, layer in enumerate(layers):
        candidate = _deep_merge(copy.deepcopy(merged), _unwrap(layer))
        for _ in range(50):  # each pass removes at least one bad key
            try:
                validator.validate(candidate)
                break
            except ValidationError as exc:
                removed = False
                for err in exc.errors():
                    loc = tuple(str(p) for p in err["loc"] if not isinstance(p, int))
                    problems.append(SettingProblem(index, loc, err["msg"]))
                    # an error inside a list value drops the whole key (ints left out of loc)
                    removed |= _restore(candidate, merged, loc)
                if not removed:
                    candidate = dict(merged)
                    break
        merged = candidate
    return merged, problems


def merge_settings(*layers: Any) -> tuple[Settings, list[str]]:
    """Merge raw layers (lowest precedence first) into Settings, returning problems found.

    Each layer is validated on its own after merging onto the ones below, so a bad key in a
    higher layer falls back to the lower layer's value rather than to the default.
    """
    if not any(_unwrap(layer) for layer in layers):
        return Settings(), []  # nothing to validate: no pydantic model to build (50 ms of a start)
    merged, problems = _merge(layers)
    messages: list[str] = []
    for problem in problems:
        if str(problem) not in messages:
            messages.append(str(problem))
    return _validation().validate(merged), messages


# ---------------------------------------------------------------------- the workspace's settings file


@dataclass
class SettingsFile:
    """What ``.freeagent.json`` contributes: its valid settings, and its problems as findings."""

    path: Path
    layer: dict = field(default_factory=dict)  # only the keys that validated ({} when absent or broken)
    findings: list[Finding] = field(default_factory=list)
    exists: bool = False


def _key_range(text: str, loc: tuple[str, ...]) -> Range:
    """Where the key at ``loc`` is written in the file (its camelCase or snake_case name, each
    part searched after its parent's); the start of the file when it cannot be found."""
    offset, found = 0, None
    for part in loc:
        names = "|".join(re.escape(n) for n in dict.fromkeys((to_camel(part), part)))
        m = re.compile(rf'"(?:[\w.]*\.)?(?:{names})"\s*:').search(text, offset)
        if m is None:
            break
        offset, found = m.end(), m
    if found is None:
        return Range.at(0, 0)
    line = text.count("\n", 0, found.start())
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1)
    return Range.at(line, column, len(found.group(0).rstrip(": \t").rstrip()))


def read_settings_file(root: Path, read: Callable[[Path], str | None] | None = None) -> SettingsFile:
    """Read and validate ``root/.freeagent.json`` (``read``: the caller's reader, which may
    prefer an editor's unsaved text). A broken file or value becomes a finding on the file; the
    rest of the file still applies."""
    from .context.tsconfig import parse_jsonc

    path = Path(root) / SETTINGS_FILE
    try:
        text = read(path) if read is not None else path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError) as exc:
        finding = Finding(
            str(path), Range.at(0, 0), Severity.ERROR, CODE_BAD_SETTINGS_FILE, f"{SETTINGS_FILE} cannot be read: {exc}"
        )
        return SettingsFile(path, {}, [finding], exists=True)
    if text is None:
        return SettingsFile(path)
    data, findings = parse_jsonc(path, text, CODE_BAD_SETTINGS_FILE)
    if data is None:
        return SettingsFile(path, {}, findings, exists=True)
    layer, problems = _merge((data,))
    for problem in problems:
        findings.append(
            Finding(
                str(path),
                _key_range(text, problem.loc),
                Severity.WARNING,
                CODE_BAD_SETTINGS_FILE,
                f"{SETTINGS_FILE}: {problem}",
            )
        )
    return SettingsFile(path, layer, findings, exists=True)
