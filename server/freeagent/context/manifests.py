"""Package manifests: what is installed and declared, per package, for JS/TS and Python.

Owns parsing ``package.json`` (dependency groups, ``type``, ``exports``/``imports`` maps,
``workspaces``), ``pnpm-workspace.yaml``, lockfile detection, the version node_modules or
package-lock.json holds for a package (:func:`locked_version`), Node's builtin modules, and the
Python side (``pyproject.toml`` in PEP 621 or Poetry form, ``requirements*.txt``). Parse
failures come back as Findings with the parser's own line and column; they never raise.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

# yaml and packaging are imported where they are needed: a TypeScript-only `freeagent check`
# pays for neither (~30 ms)
from ..findings import (
    CODE_BAD_PACKAGE_JSON,
    CODE_BAD_PYPROJECT,
    CODE_BAD_WORKSPACE_FILE,
    Finding,
    Range,
    Severity,
)

# require('module').builtinModules on Node 20, plus the modules that only exist with `node:`.
NODE_BUILTINS = frozenset(
    """_http_agent _http_client _http_common _http_incoming _http_outgoing _http_server
    _stream_duplex _stream_passthrough _stream_readable _stream_transform _stream_wrap
    _stream_writable _tls_common _tls_wrap assert assert/strict async_hooks buffer
    child_process cluster console constants crypto dgram diagnostics_channel dns dns/promises
    domain events fs fs/promises http http2 https inspector inspector/promises module net os
    path path/posix path/win32 perf_hooks process punycode querystring readline
    readline/promises repl stream stream/consumers stream/promises stream/web string_decoder
    sys timers timers/promises tls trace_events tty url util util/types v8 vm wasi
    worker_threads zlib""".split()
)
NODE_PREFIX_ONLY = frozenset({"test", "test/reporters", "sea", "sqlite", "quic"})


# packages that build an app by bundling or transpiling its modules (its devDependencies are
# there at build time; its .js files are not run by Node as written)
BUNDLERS = frozenset(
    {
        "next",
        "vite",
        "webpack",
        "rollup",
        "esbuild",
        "parcel",
        "@rspack/core",
        "react-scripts",
        "@remix-run/dev",
        "nuxt",
        "astro",
        "@sveltejs/kit",
        "gatsby",
        "expo",
        "tsup",
        "@docusaurus/core",
        "@angular-devkit/build-angular",
        "@angular/build",
        "@nx/webpack",
        "@nx/vite",
        "@nx/esbuild",
        "@nx/rollup",
        "@nx/next",
        "@nx/angular",
        "@nrwl/webpack",
        "@nrwl/angular",
        "@vue/cli-service",
        "@storybook/builder-vite",
        "@storybook/builder-webpack5",
    }
)


def is_node_builtin(specifier: str) -> bool:
    """``fs``, ``fs/promises``, ``node:fs``, ``node:test`` … (``test`` without ``node:`` is not)."""
    if specifier.startswith("node:"):
        name = specifier[5:]
        return name in NODE_BUILTINS or name in NODE_PREFIX_ONLY
    return specifier in NODE_BUILTINS


DEP_GROUPS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")


@dataclass
class PackageManifest:
    path: Path
    name: str | None = None
    version: str | None = None
    private: bool = False
    type: str = "commonjs"  # Node's default when "type" is absent
    type_declared: bool = False
    dependencies: dict[str, str] = field(default_factory=dict)
    dev_dependencies: dict[str, str] = field(default_factory=dict)
    peer_dependencies: dict[str, str] = field(default_factory=dict)
    optional_dependencies: dict[str, str] = field(default_factory=dict)
    exports: object = None
    imports: object = None
    workspaces: list[str] = field(default_factory=list)
    # main, module, exports, bin, types or files: what a package others install says it gives them
    entry_points: bool = False

    @property
    def dir(self) -> Path:
        return self.path.parent

    @property
    def published(self) -> bool:
        """Whether others install this package: named, versioned, not private, and it says
        what it gives them (an Nx or Angular app's package.json names none of main, exports …)."""
        return bool(self.name and self.version) and not self.private and self.entry_points

    def groups(self) -> dict[str, dict[str, str]]:
        return {
            "dependencies": self.dependencies,
            "devDependencies": self.dev_dependencies,
            "peerDependencies": self.peer_dependencies,
            "optionalDependencies": self.optional_dependencies,
        }

    def declared(self, package: str) -> str | None:
        """The group that declares ``package`` (production groups first), or None."""
        for group, deps in self.groups().items():
            if package in deps:
                return group
        return None


def _json_error(path: Path, exc: json.JSONDecodeError, code: str, what: str) -> Finding:
    line, col = max(exc.lineno - 1, 0), max(exc.colno - 1, 0)
    return Finding(
        file=str(path),
        range=Range.at(line, col),
        severity=Severity.ERROR,
        code=code,
        message=f"{what} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
    )


def _too_deep(path: Path, code: str, what: str) -> Finding:
    return Finding(str(path), Range.at(0, 0), Severity.ERROR, code, f"{what} is nested too deeply to read")


def _dict(value: object) -> dict:
    """``value`` when the file has a table/object there, else {} (a wrong type declares nothing)."""
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _str_map(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def parse_package_json(path: Path, text: str) -> tuple[PackageManifest | None, list[Finding]]:
    try:
        data = json.loads(text) if text.strip() else None
    except json.JSONDecodeError as exc:
        return None, [_json_error(path, exc, CODE_BAD_PACKAGE_JSON, "package.json")]
    except RecursionError:
        return None, [_too_deep(path, CODE_BAD_PACKAGE_JSON, "package.json")]
    if not isinstance(data, dict):
        return None, [
            Finding(
                str(path),
                Range.at(0, 0),
                Severity.ERROR,
                CODE_BAD_PACKAGE_JSON,
                "package.json must contain a JSON object",
            )
        ]
    workspaces = data.get("workspaces")
    if isinstance(workspaces, dict):  # yarn classic: {"packages": [...], "nohoist": [...]}
        workspaces = workspaces.get("packages")
    manifest = PackageManifest(
        path=path,
        name=data.get("name") if isinstance(data.get("name"), str) else None,
        version=data.get("version") if isinstance(data.get("version"), str) else None,
        private=bool(data.get("private", False)),
        type="module" if data.get("type") == "module" else "commonjs",
        type_declared="type" in data,
        dependencies=_str_map(data.get("dependencies")),
        dev_dependencies=_str_map(data.get("devDependencies")),
        peer_dependencies=_str_map(data.get("peerDependencies")),
        optional_dependencies=_str_map(data.get("optionalDependencies")),
        exports=data.get("exports"),
        imports=data.get("imports"),
        workspaces=[w for w in _list(workspaces) if isinstance(w, str)],
        entry_points=any(key in data for key in ("main", "module", "exports", "bin", "types", "typings", "files")),
    )
    return manifest, []


def parse_pnpm_workspace(path: Path, text: str) -> tuple[list[str], list[Finding]]:
    import yaml

    try:
        # libyaml's parser when present: the pure-Python one takes seconds on deep flow nesting
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except RecursionError:
        return [], [_too_deep(path, CODE_BAD_WORKSPACE_FILE, "pnpm-workspace.yaml")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line, mark.column) if mark else (0, 0)
        return [], [
            Finding(
                str(path),
                Range.at(line, col),
                Severity.ERROR,
                CODE_BAD_WORKSPACE_FILE,
                f"pnpm-workspace.yaml is not valid YAML: {getattr(exc, 'problem', exc)}",
            )
        ]
    packages = data.get("packages") if isinstance(data, dict) else None
    return [p for p in _list(packages) if isinstance(p, str)], []


def locked_version(manifest_dir: Path, package: str) -> str | None:
    """The version node_modules or package-lock.json has for ``package`` (walking up from the
    manifest's directory): the exact version a quick fix writes and a prompt names, never a guess."""
    directory = manifest_dir
    while True:
        installed = directory / "node_modules" / package / "package.json"
        try:
            version = json.loads(installed.read_text(encoding="utf-8")).get("version")
            if isinstance(version, str):
                return version
        except (OSError, ValueError):
            pass
        lock = directory / "package-lock.json"
        try:
            packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {})
            version = (packages.get(f"node_modules/{package}") or {}).get("version")
            if isinstance(version, str):
                return version
        except (OSError, ValueError):
            pass
        if directory.parent == directory:
            return None
        directory = directory.parent


# ---------------------------------------------------------------- Python manifests


@dataclass(frozen=True)
class PythonDependency:
    name: str  # canonical distribution name (PEP 503)
    specifier: str
    group: str  # "main", an extra / dependency-group / poetry group name, or the requirements file
    marker: str = ""


@dataclass
class PythonManifest:
    path: Path
    kind: str  # "pep621" | "poetry" | "requirements"
    name: str | None = None
    requires_python: str | None = None
    dependencies: list[PythonDependency] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)  # requirements files pulled in with -r

    @property
    def dir(self) -> Path:
        return self.path.parent


def _requirement(text: str, group: str) -> PythonDependency | None:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        req = Requirement(text)
    except InvalidRequirement:
        return None
    return PythonDependency(canonicalize_name(req.name), str(req.specifier), group, str(req.marker or ""))


def _poetry_dependency(name: str, spec: object, group: str) -> PythonDependency | None:
    if name.lower() == "python":
        return None
    from packaging.utils import canonicalize_name

    if isinstance(spec, dict):
        spec = spec.get("version", "")
    return PythonDependency(canonicalize_name(name), str(spec or ""), group)


def parse_pyproject(path: Path, text: str) -> tuple[PythonManifest | None, list[Finding]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m.group(1)) - 1, int(m.group(2)) - 1) if m else (0, 0)
        return None, [
            Finding(
                str(path),
                Range.at(line, col),
                Severity.ERROR,
                CODE_BAD_PYPROJECT,
                f"pyproject.toml is not valid TOML: {exc}",
            )
        ]
    project = data.get("project") if isinstance(data.get("project"), dict) else None
    poetry = data.get("tool", {}).get("poetry") if isinstance(data.get("tool"), dict) else None
    deps: list[PythonDependency] = []

    def poetry_groups(poetry: dict) -> None:
        for group, body in _dict(poetry.get("group")).items():
            for name, spec in _dict(_dict(body).get("dependencies")).items():
                if (dep := _poetry_dependency(name, spec, group)) is not None:
                    deps.append(dep)

    # a value of the wrong type (a string where a list belongs …) declares nothing; tomllib
    # already said the file is TOML, and `pip`/`poetry` report the schema error themselves
    if project is not None:
        name, requires = project.get("name"), project.get("requires-python")
        manifest = PythonManifest(
            path, "pep621", name if isinstance(name, str) else None, requires if isinstance(requires, str) else None
        )
        for item in _list(project.get("dependencies")):
            if (dep := _requirement(str(item), "main")) is not None:
                deps.append(dep)
        for extra, items in _dict(project.get("optional-dependencies")).items():
            for item in _list(items):
                if (dep := _requirement(str(item), extra)) is not None:
                    deps.append(dep)
        for group, items in _dict(data.get("dependency-groups")).items():  # PEP 735
            for item in _list(items):
                if isinstance(item, str) and (dep := _requirement(item, group)) is not None:
                    deps.append(dep)
    elif isinstance(poetry, dict):
        name = poetry.get("name")
        manifest = PythonManifest(path, "poetry", name if isinstance(name, str) else None)
        for name, spec in _dict(poetry.get("dependencies")).items():
            if name.lower() == "python":
                manifest.requires_python = str(spec)
            elif (dep := _poetry_dependency(name, spec, "main")) is not None:
                deps.append(dep)
        for name, spec in _dict(poetry.get("dev-dependencies")).items():
            if (dep := _poetry_dependency(name, spec, "dev")) is not None:
                deps.append(dep)
        poetry_groups(poetry)
    else:
        return None, []  # a tool-config-only pyproject declares nothing
    if project is not None and isinstance(poetry, dict):
        # Poetry 2 reads [project] and keeps groups under tool.poetry.group
        poetry_groups(poetry)
    manifest.dependencies = deps
    return manifest, []


def parse_requirements(path: Path, text: str) -> tuple[PythonManifest, list[Finding]]:
    manifest = PythonManifest(path, "requirements")
    findings: list[Finding] = []
    for number, raw in enumerate(text.splitlines()):
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.startswith(("-r ", "--requirement ", "-c ", "--constraint ")):
            if line.startswith(("-r", "--requirement")):
                manifest.includes.append(line.split(None, 1)[1].strip())
            continue
        if line.startswith("-") or "://" in line or line.startswith((".", "/")):
            continue  # options, editable installs, URLs and local paths are not names
        dep = _requirement(line, path.name)
        if dep is None:
            findings.append(
                Finding(
                    str(path),
                    Range(number, 0, number, len(raw)),
                    Severity.WARNING,
                    CODE_BAD_PYPROJECT,
                    f"not a valid requirement: {line!r}",
                )
            )
            continue
        manifest.dependencies.append(dep)
    return manifest, findings
