"""The fuzz targets: every parser that reads user files, driven through its real entry point.

Owns one :class:`Target` per parser (package.json, tsconfig + extends chains, pyproject,
requirements, pnpm-workspace, .gitignore rules, OpenAPI load + ``$ref`` resolution, settings
layers and ``.freeagent.json``, a whole workspace load + ``check_all``) and the rule that
judges one case (:func:`run_case`). The JSON-RPC target is in :mod:`tests.fuzzing.rpc`, the
provider-responses target in :mod:`tests.fuzzing.providers`;
:data:`tests.fuzzing.driver.ALL` holds them all.

The rule: these parsers report problems as Findings and **never raise**, so a *crash* is any
exception escaping the entry point; a *hang* is a case that takes longer than
:data:`CASE_SECONDS` (interrupted by SIGALRM in the main thread where Python code is running,
and measured afterwards for C code a signal cannot interrupt). Each target's session gives it
a scratch directory reused (emptied) between cases.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from . import strategies as s

CASE_SECONDS = 2.0


class Hang(Exception):
    """Raised by the alarm in a case that ran past its time bound."""


@dataclass
class Outcome:
    kind: str  # "crash" | "hang"
    detail: str  # the exception and where it was raised (or how long the case took)
    seconds: float


@dataclass
class Target:
    name: str
    strategy: st.SearchStrategy
    run: Callable[[Any, Any], None]  # (session, generated value)
    session: Callable[[], contextlib.AbstractContextManager] = field(default=lambda: scratch_dir())
    bound: float = CASE_SECONDS


@contextlib.contextmanager
def scratch_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fa-fuzz-") as tmp:
        yield Path(tmp).resolve()


def _empty(directory: Path) -> Path:
    """A fresh workspace folder inside ``directory`` (its previous contents removed)."""
    ws = directory / "ws"
    shutil.rmtree(ws, ignore_errors=True)
    ws.mkdir()
    return ws


def _on_alarm(signum, frame):
    raise Hang


def run_case(target: Target, env: Any, value: Any) -> Outcome | None:
    """Run one case; None when the entry point returned within its time bound."""
    in_main = threading.current_thread() is threading.main_thread()
    previous = None
    if in_main:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, target.bound)
    started = time.perf_counter()
    outcome = None
    try:
        target.run(env, value)
    except Hang as exc:
        detail = str(exc) or f"interrupted after {target.bound:.1f} s"
        outcome = Outcome("hang", detail, time.perf_counter() - started)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        outcome = Outcome("crash", "".join(traceback.format_exception(exc)[-6:]), time.perf_counter() - started)
    finally:
        if in_main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    seconds = time.perf_counter() - started
    if outcome is None and seconds > target.bound:
        outcome = Outcome("hang", f"took {seconds:.2f} s (bound {target.bound:.1f} s)", seconds)
    return outcome


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))


# -------------------------------------------------------------------------------- manifests


def _package_json(env: Path, text: str) -> None:
    from freeagent.context.manifests import parse_package_json

    manifest, _ = parse_package_json(env / "package.json", text)
    if manifest is not None:  # what the engine asks of a manifest afterwards
        manifest.groups()
        manifest.declared("react")


def _pnpm_workspace(env: Path, text: str) -> None:
    from freeagent.context.manifests import parse_pnpm_workspace

    parse_pnpm_workspace(env / "pnpm-workspace.yaml", text)


def _pyproject(env: Path, text: str) -> None:
    from freeagent.context.manifests import parse_pyproject

    parse_pyproject(env / "pyproject.toml", text)


def _requirements(env: Path, text: str) -> None:
    from freeagent.context.manifests import parse_requirements

    parse_requirements(env / "requirements.txt", text)


# -------------------------------------------------------------------------------- tsconfig

TSCONFIG_FILES = ["tsconfig.json", "tsconfig.base.json", "sub/tsconfig.json", "node_modules/pkg/tsconfig.json"]


@st.composite
def tsconfig_workspaces(draw) -> dict[str, str]:
    """A few config files whose ``extends`` point at each other (chains, cycles), at nothing,
    outside the workspace or at packages; their other options of any type."""
    files: dict[str, str] = {}
    for name in draw(st.lists(st.sampled_from(TSCONFIG_FILES), min_size=1, max_size=4, unique=True)):
        if draw(st.integers(0, 5)) == 0:
            files[name] = draw(s.json_texts())
            continue
        body = draw(s.json_objects(10))
        body["extends"] = draw(s.extends_specs(TSCONFIG_FILES + ["../tsconfig.json", "../tsconfig.base.json"]))
        if draw(st.booleans()):
            body["compilerOptions"] = draw(
                st.dictionaries(
                    st.sampled_from(["baseUrl", "paths", "typeRoots", "rootDir", "outDir"]), s.json_values(6)
                )
            )
        if draw(st.booleans()):
            body["references"] = draw(st.one_of(s.json_values(6), st.lists(st.fixed_dictionaries({"path": s.SCALARS}))))
        text = json.dumps(body, allow_nan=True)
        if draw(st.booleans()):  # JSONC: a comment and a trailing comma
            text = "// config\n" + text.replace("}", ",}", 1) if text.count("{") else text
        files[name] = text
    if draw(st.booleans()):
        files["node_modules/pkg/package.json"] = draw(s.json_texts())
    return files


def _tsconfig(env: Path, files: dict[str, str]) -> None:
    from freeagent.context.tsconfig import TsConfigResolver, parse_jsonc

    ws = _empty(env)
    for name, text in files.items():
        _write(ws / name, text)
        parse_jsonc(ws / name, text)

    def read(path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except (OSError, ValueError):
            return None

    resolver = TsConfigResolver(ws, read, lambda: {"pkg": ws / "node_modules" / "pkg"})
    for name in files:
        if name.endswith("tsconfig.json") or name.endswith("base.json"):
            config, _ = resolver.resolve(ws / name)
            config.module, config.module_resolution, config.paths_base  # noqa: B018 - what the engine reads


def _jsonc(env: Path, text: str) -> None:
    from freeagent.context.tsconfig import parse_jsonc

    parse_jsonc(env / "tsconfig.json", text)


# -------------------------------------------------------------------------------- gitignore


@st.composite
def gitignore_cases(draw) -> tuple[list[str], list[str], list[str], list[tuple[str, bool]]]:
    return (
        draw(s.gitignore_lines()),  # root .gitignore
        draw(s.gitignore_lines()),  # src/.gitignore
        draw(s.gitignore_lines()),  # settings index.exclude
        draw(st.lists(st.tuples(s.REL_PATHS, st.booleans()), min_size=1, max_size=6)),
    )


def _gitignore(env: Path, case) -> None:
    from freeagent.context.files import IgnoreRules, scan

    root_lines, sub_lines, extra, probes = case
    ws = _empty(env)
    _write(ws / ".gitignore", "\n".join(root_lines))
    _write(ws / "src" / ".gitignore", "\n".join(sub_lines))
    _write(ws / "src" / "a.ts", "export const a = 1\n")
    rules = IgnoreRules(ws, extra)
    for rel, is_dir in probes:
        rules.ignored(rel, is_dir)
    scan(ws, rules)


# -------------------------------------------------------------------------------- OpenAPI

SPEC_FILES = ["openapi.yaml", "other.yaml", "sub/part.json", "sub/loop.yaml"]


def _schema(refs: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.fixed_dictionaries({"$ref": refs}),
        st.fixed_dictionaries(
            {"type": st.sampled_from(["object", "string", "array"])}, optional={"properties": s.json_values(6)}
        ),
        s.json_values(6),
    )


@st.composite
def openapi_documents(draw, name: str) -> object:
    refs = s.ref_strings(SPEC_FILES)
    schema = _schema(refs)
    parameter = st.one_of(
        st.fixed_dictionaries({"$ref": refs}),
        st.fixed_dictionaries(
            {"name": s.SCALARS, "in": st.sampled_from(["query", "path", "header", "cookie"]) | s.SCALARS},
            optional={
                "schema": schema,
                "content": st.dictionaries(st.text(max_size=5), st.fixed_dictionaries({"schema": schema})),
            },
        ),
        s.json_values(4),
    )
    operation = st.fixed_dictionaries(
        {},
        optional={
            "operationId": s.SCALARS,
            "parameters": st.lists(parameter, max_size=3) | s.SCALARS,
            "requestBody": st.fixed_dictionaries({"$ref": refs})
            | st.fixed_dictionaries(
                {
                    "content": st.dictionaries(
                        st.sampled_from(["application/json", "x"]),
                        st.fixed_dictionaries({"schema": schema}) | s.SCALARS,
                    )
                }
            ),
            "responses": st.dictionaries(
                st.sampled_from(["200", "4XX", "default"]) | st.text(max_size=3),
                st.fixed_dictionaries({"$ref": refs})
                | st.fixed_dictionaries(
                    {"description": s.SCALARS},
                    optional={
                        "content": st.dictionaries(
                            st.sampled_from(["application/json"]), st.fixed_dictionaries({"schema": schema})
                        ),
                        "headers": st.dictionaries(
                            st.text(max_size=3),
                            st.fixed_dictionaries({"$ref": refs})
                            | st.fixed_dictionaries({"schema": schema})
                            | s.SCALARS,
                        ),
                    },
                ),
            )
            | s.SCALARS,
            "security": st.lists(
                st.dictionaries(st.sampled_from(["key", "bearer"]), st.lists(st.text(max_size=3))) | s.SCALARS,
                max_size=2,
            )
            | s.SCALARS,
            "tags": st.lists(s.SCALARS, max_size=2) | s.SCALARS,
            "deprecated": s.SCALARS,
        },
    )
    path_item = st.one_of(
        st.fixed_dictionaries({"$ref": refs}),
        st.dictionaries(
            st.sampled_from(["get", "post", "put", "delete", "parameters"]),
            operation | st.lists(parameter, max_size=2) | s.SCALARS,
            max_size=3,
        ),
        s.SCALARS,
    )
    doc = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "openapi": st.sampled_from(["3.0.0", "3.1.0"]) | s.SCALARS,
                "info": s.json_values(4),
                "servers": st.lists(st.fixed_dictionaries({"url": s.SCALARS}) | s.SCALARS, max_size=2) | s.SCALARS,
                "security": s.json_values(4),
                "paths": st.dictionaries(
                    st.sampled_from(["/items", "/items/{id}", "/a~b", ""]) | st.text(max_size=5), path_item, max_size=3
                )
                | s.SCALARS,
                "components": st.fixed_dictionaries(
                    {},
                    optional={
                        "schemas": st.dictionaries(st.sampled_from(["A", "B", "C"]), schema, max_size=3) | s.SCALARS,
                        "parameters": st.dictionaries(st.sampled_from(["P", "Q"]), parameter, max_size=2) | s.SCALARS,
                        "responses": st.dictionaries(
                            st.sampled_from(["R"]), st.fixed_dictionaries({"$ref": refs}) | s.json_values(4), max_size=1
                        ),
                        "securitySchemes": st.dictionaries(
                            st.sampled_from(["key", "bearer"]),
                            st.fixed_dictionaries({"$ref": refs})
                            | st.fixed_dictionaries({"type": s.SCALARS, "scheme": s.SCALARS, "in": s.SCALARS})
                            | s.SCALARS,
                            max_size=2,
                        )
                        | s.SCALARS,
                    },
                )
                | s.SCALARS,
            },
        )
    )
    if name == "openapi.yaml" and isinstance(doc, dict):
        doc.setdefault("openapi", "3.0.0")
    return doc


@st.composite
def spec_workspaces(draw) -> dict[str, str]:
    import yaml

    files: dict[str, str] = {}
    for name in draw(st.lists(st.sampled_from(SPEC_FILES[1:]), max_size=3, unique=True)) + ["openapi.yaml"]:
        how = draw(st.sampled_from(["yaml", "json", "yaml", "json", "text", "mutated", "prefixed"]))
        if how == "text":
            files[name] = draw(s.yaml_texts())
            continue
        doc = draw(openapi_documents(name))
        if how == "json":
            text = json.dumps(doc, allow_nan=True)
        else:
            try:
                text = yaml.safe_dump(doc, allow_unicode=True)
            except yaml.YAMLError:
                text = json.dumps(doc, allow_nan=True)
        if how == "mutated":
            text = draw(s.mutated(text))
        elif how == "prefixed":  # hostile YAML in front of a real document
            text = draw(st.sampled_from(s.YAML_SNIPPETS)) + text
        files[name] = text
    return files


def _openapi(env: Path, files: dict[str, str]) -> None:
    from freeagent.specs.registry import Registry

    ws = _empty(env)
    for name, text in files.items():
        _write(ws / name, text)

    from freeagent.context.workspace import WorkspaceContext

    registry = Registry(WorkspaceContext(ws).read)  # the engine's reader
    registry.load([ws / name for name in files])
    for op in registry.operations:  # what generation and validation read of an operation
        for p in op.parameters:
            if p.schema is not None:
                registry.child(p.schema, "properties")
        for r in op.responses:
            for node in r.content.values():
                registry.child(node, "properties", "id")


def _spec_text(env: Path, text: str) -> None:
    from freeagent.specs.loader import load_document

    doc, _ = load_document(env / "openapi.yaml", text)
    if doc is not None:
        doc.position("/paths/~1a/get")


# -------------------------------------------------------------------------------- settings

SETTING_KEYS = [
    "freeagent",
    "index",
    "exclude",
    "maxFileSizeKb",
    "max_file_size_kb",
    "respectGitignore",
    "cache",
    "watch",
    "logLevel",
    "changeDebounceMs",
    "specGlobs",
    "typecheckOnSave",
    "typecheckTimeoutMs",
    "ignoreCodes",
    "bundledSpecs",
    "markers",
    "llm",
    "llm.provider",
    "freeagent.llm.model",
    "freeagent.index.exclude",
    "provider",
    "model",
    "budgetUsd",
    "maxAttempts",
    "prices",
    "server",
    "trace",
    "..",
    ".",
    "",
    "a.",
]


def settings_values() -> st.SearchStrategy:
    key = st.sampled_from(SETTING_KEYS) | st.text(max_size=6)
    return st.recursive(
        s.SCALARS | st.sampled_from(["anthropic", "off", "debug", "server"]),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(key, children, max_size=5),
        max_leaves=25,
    )


def _settings(env: Path, layers: list) -> None:
    from freeagent.config import merge_settings

    merge_settings(*layers)


def _settings_file(env: Path, text: str) -> None:
    from freeagent.config import read_settings_file

    ws = _empty(env)
    _write(ws / ".freeagent.json", text)
    read_settings_file(ws)


# -------------------------------------------------------------------------------- a whole workspace

SOURCE_LINES = [
    "import { a } from './a'",
    "import x from 'react'",
    "import * as fs from 'node:fs'",
    "import y from '@/lib/y'",
    "import z from '../../../../etc/passwd'",
    "export default function () {}",
    "export const b = 1",
    "fetch('/items/' + id, { method: 'DELETE' })",
    "axios.get(`/items/${id}`)",
    "const r = require('lodash')",
    "// TODO: list items",
    "// freeagent-ignore FA101",
    "import requests",
    "from . import x",
    "from ....x import y",
    "class A:",
    "  def f(self): pass",
    "{{{{",
    "'unterminated",
]


@st.composite
def workspaces(draw) -> dict[str, str]:
    files: dict[str, str] = {}
    if draw(st.booleans()):
        files["package.json"] = draw(s.json_texts())
    files.update(draw(tsconfig_workspaces()) if draw(st.booleans()) else {})
    if draw(st.booleans()):
        files["pyproject.toml"] = draw(s.pyproject_texts())
    if draw(st.booleans()):
        files["requirements.txt"] = draw(s.requirements_texts())
    if draw(st.booleans()):
        files["pnpm-workspace.yaml"] = draw(s.yaml_texts())
    if draw(st.booleans()):
        files[".gitignore"] = "\n".join(draw(s.gitignore_lines()))
    if draw(st.booleans()):
        files[".freeagent.json"] = draw(s.json_texts(settings_values().filter(lambda v: isinstance(v, dict))))
    if draw(st.booleans()):
        files.update(draw(spec_workspaces()))
    source = st.lists(st.sampled_from(SOURCE_LINES) | st.text(max_size=20), max_size=6).map("\n".join)
    for name in draw(
        st.lists(
            st.sampled_from(["src/a.ts", "src/b.tsx", "src/c.js", "app/m.py", "packages/p/index.ts"]),
            max_size=3,
            unique=True,
        )
    ):
        files[name] = draw(source | s.invalid_utf8())
    return files


def _workspace(env: Path, files: dict[str, str]) -> None:
    from freeagent.engine import FolderEngine

    ws = _empty(env)
    for name, text in files.items():
        _write(ws / name, text)
    # the workspace's own specs only (the bundled registry is the same in every case)
    engine = FolderEngine(ws, layers=[{"bundledSpecs": False, "index": {"cache": False}}])
    engine.load()
    engine.validator().check_all()
    engine.problems_by_file()


TARGETS: dict[str, Target] = {
    t.name: t
    for t in [
        Target("package-json", s.json_texts(), _package_json),
        Target("pnpm-workspace", s.yaml_texts(), _pnpm_workspace),
        Target("pyproject", s.pyproject_texts(), _pyproject),
        Target("requirements", s.requirements_texts(), _requirements),
        Target("jsonc", s.json_texts(), _jsonc),
        Target("tsconfig-extends", tsconfig_workspaces(), _tsconfig),
        Target("gitignore", gitignore_cases(), _gitignore),
        Target("openapi-text", s.yaml_texts(), _spec_text),
        Target("openapi-refs", spec_workspaces(), _openapi),
        Target("settings-layers", st.lists(settings_values(), max_size=3), _settings),
        Target("settings-file", s.json_texts(settings_values().filter(lambda v: isinstance(v, dict))), _settings_file),
        Target("workspace", workspaces(), _workspace),
    ]
}
