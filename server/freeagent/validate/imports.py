"""Imports against the project: the hallucinated-package check, and every other import error.

Owns rule family 1 (codes FA1xx) for TypeScript/JavaScript and Python files:

* FA101 — a bare specifier no manifest declares (nearest package.json, the workspace root's,
  or a workspace package), that is no Node builtin, ``paths`` alias or ambient module. When it
  is not installed either it is an error: the typical hallucinated package.
* FA102 — a package declared only in devDependencies, imported at runtime from production
  source (type-only imports, tests and config files are fine).
* FA103 — a subpath the package's ``exports`` map does not export.
* FA104 — a relative, ``#imports`` or ``paths`` import that resolves to no file under the
  file's ``moduleResolution`` (with the extension to add under NodeNext ESM).
* FA105 — a Python import that is neither stdlib, a workspace module, nor declared in
  pyproject/requirements.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ..context.frameworks import provides_module
from ..context.index import last_segment
from ..context.manifests import BUNDLERS, is_node_builtin, locked_version
from ..context.parsing import FileSummary
from ..context.pyenv import normalise
from ..context.workspace import WorkspaceContext
from ..findings import (
    CODE_DEV_DEPENDENCY_AT_RUNTIME,
    CODE_SUBPATH_NOT_EXPORTED,
    CODE_UNDECLARED_PACKAGE,
    CODE_UNDECLARED_PYTHON_IMPORT,
    CODE_UNRESOLVED_IMPORT,
    Finding,
    Range,
    Severity,
)
from .fixes import add_dependency, nearest_names, replace_specifier
from .resolve import (
    CODE_EXTENSIONS,
    exports_allow,
    imports_allow,
    installed_manifest,
    match_paths,
    resolve_python_relative,
    resolve_relative,
    split_package,
)

# `@/lib/x`, `~/x`: the usual path aliases; no npm package can be named so (a scope has a name)
_ALIAS_LIKE = re.compile(r"^(?:@|~)(?:/|$)")
_RUNTIME_PREFIXES = ("npm:", "jsr:", "bun:", "deno:", "https:", "http:", "data:", "virtual:", "cloudflare:")
# a source file an npm script runs: `node scripts/build.mjs`, `tsx ./tools/gen.ts --watch`
_SCRIPT_FILE = re.compile(r"(?:^|[\s=])((?:\.{1,2}/)?[\w@.-]+(?:/[\w@.-]+)*\.[cm]?[jt]sx?)(?=\s|$|&|;|\))")
_PRODUCT_SCRIPT = re.compile(r"(pre|post)?(start|dev|serve|preview|prod)", re.IGNORECASE)
# vitest/jest options naming setup files: the string or list that follows
_SETUP_FILES = re.compile(
    r"[\"']?(?:setupFiles(?:AfterEnv)?|globalSetup|globalTeardown|preset)[\"']?\s*:\s*(\[[^\]]*\]|['\"][^'\"]+['\"])"
)
_TEST_CONFIG = re.compile(r"(?:^|/)(?:vitest|vite|jest)\.config\.[cm]?[jt]s$|(?:^|/)vitest\.workspace\.[cm]?[jt]s$")
_NON_PRODUCTION = re.compile(
    r"(^|/)(tests?|__tests__|__mocks__|e2e|scripts?|bench|benchmarks?|stories|fixtures)/|(^|/)[^/]*\btests?\b[^/]*/|"
    r"\.(test|spec|stories|bench)\.[cm]?[jt]sx?$|(^|/)[^/]*\.config\.[cm]?[jt]s$|(^|/)vite\.config|(^|/)jest\.setup|"
    # a tool's own folder (.storybook/, .config/, .husky/ …), and test setup and preset files by name
    r"(^|/)\.[^/]+/|(^|/)(test-setup|setup-tests|setupTests|test\.setup|vitest\.setup|jest\.preset)\.[cm]?[jt]sx?$"
)

# import name → distribution names, where they differ (the usual hallucination traps)
PY_IMPORT_TO_DIST = {
    "yaml": ["pyyaml"],
    "PIL": ["pillow"],
    "sklearn": ["scikit-learn"],
    "cv2": ["opencv-python", "opencv-python-headless"],
    "bs4": ["beautifulsoup4"],
    "dateutil": ["python-dateutil"],
    "jwt": ["pyjwt"],
    "dotenv": ["python-dotenv"],
    "multipart": ["python-multipart"],
    "google": ["protobuf", "google-cloud-core", "google-api-python-client"],
    "attr": ["attrs"],
    "magic": ["python-magic"],
    "Crypto": ["pycryptodome"],
    "serial": ["pyserial"],
    "docx": ["python-docx"],
    "jose": ["python-jose"],
    "slugify": ["python-slugify"],
    "pkg_resources": ["setuptools"],
    "sqlalchemy": ["sqlalchemy"],
    "psycopg2": ["psycopg2", "psycopg2-binary"],
    "MySQLdb": ["mysqlclient"],
    "websockets": ["websockets"],
    "typing_extensions": ["typing-extensions"],
    "zmq": ["pyzmq"],
    "uvicorn": ["uvicorn"],
    "starlette": ["starlette", "fastapi"],
    "pydantic_core": ["pydantic"],
}
# packages a declared package brings with it, which its users import without declaring them (the
# package's own documentation does: pydantic pins pydantic-core exactly) — import → who brings it
PY_TRANSITIVE = {
    "starlette": ("fastapi",),
    "pydantic": ("fastapi",),
    "pydantic_core": ("pydantic", "fastapi", "pydantic-settings"),
    "anyio": ("httpx",),
    "httpcore": ("httpx",),
}


def _finding(path: Path, span, severity: Severity, code: str, message: str, fixes: tuple = ()) -> Finding:
    return Finding(
        str(path), Range(span.line, span.column, span.end_line, span.end_column), severity, code, message, fixes=fixes
    )


def _types_package(name: str) -> str:
    """The DefinitelyTyped package of ``name``: '@types/aws-lambda', '@types/babel__core'."""
    return "@types/" + (name[1:].replace("/", "__") if name.startswith("@") else name)


def _ships_without_dev_dependencies(package) -> bool:
    """Whether the package's code may run where devDependencies are not installed: a package
    others install (not private, and it names what it gives them: main, exports, bin, files …;
    its users install only its dependencies), or an app that makes the distinction itself
    (declares dependencies) and is not built by a bundler — a server deployed with a production
    install. An app with no dependencies at all (zod's bench inputs, tRPC's examples) keeps
    everything in devDependencies on purpose; a bundled one (Next.js, Vite, Angular, Nx …) has
    them at build time."""
    if package is None or package.published:
        return True
    if not package.dependencies:
        return False
    return not any(package.declared(b) is not None for b in BUNDLERS)


def _also_for_runtime(package, root_package, name: str) -> bool:
    """Whether a devDependency is also a peer or optional dependency (installed for the package's
    own tests, provided at run time by whoever uses it)."""
    for manifest in (package, root_package):
        if manifest is not None and (name in manifest.peer_dependencies or name in manifest.optional_dependencies):
            return True
    return False


class ImportRules:
    def __init__(self, ctx: WorkspaceContext):
        self.ctx = ctx
        self._ambient_modules: Callable[[str], bool] | None = None  # one Validator serves one check
        # memos for the walks up the directory tree, which every bare import would repeat
        self._installed: dict[tuple[str, str], Path | None] = {}
        self._deno: dict[tuple[Path, Path], bool] = {}
        self._deno_dirs: dict[Path, bool] = {}
        self._member_dirs: tuple[dict, set[Path]] | None = None  # workspace_packages() -> their folders
        self._base_url_hits: dict[tuple[Path, str, bool], bool] = {}
        self._alias_hits: dict[tuple[Path, str, bool], bool] = {}
        self._tooling_files: dict[Path, frozenset[Path]] = {}
        self._importers: dict[str, list[tuple[str, str]]] | None = None  # last segment -> (file, specifier)
        self._tooling_only: dict[str, bool] = {}
        self._test_configs: list[str] | None = None  # vitest/vite/jest configs of the workspace

    def check(self, path: Path, summary: FileSummary) -> list[Finding]:
        if summary.language == "python":
            return self._python(path, summary)
        return self._typescript(path, summary)

    # ------------------------------------------------------------------ TypeScript / JS

    def _ambient(self) -> Callable[[str], bool]:
        """Whether a specifier is a `declare module '…'` name of the workspace, wildcards too
        (built once per check: every bare import asks)."""
        if self._ambient_modules is None:
            names = {m for s in self.ctx.index.files.values() for m in s.ambient_modules}
            exact = {n for n in names if "*" not in n}
            wild = [re.escape(n).replace("\\*", ".*") for n in sorted(names - exact)]
            pattern = re.compile("|".join(f"(?:{w})" for w in wild)) if wild else None
            self._ambient_modules = lambda spec: (
                spec in exact or (pattern is not None and pattern.fullmatch(spec) is not None)
            )
        return self._ambient_modules

    def _typescript(self, path: Path, summary: FileSummary) -> list[Finding]:
        ctx = self.ctx
        findings: list[Finding] = []
        config = ctx.nearest_tsconfig(path)
        nearest = ctx.nearest_package(path)
        root_package = ctx.root_package
        members = ctx.workspace_packages()
        package = self._dependency_scope(nearest, members)
        resolution = config.module_resolution if config is not None else "bundler"
        esm = (
            nearest is not None and nearest.type == "module" and path.suffix not in (".cts", ".cjs")
        ) or path.suffix in (".mts", ".mjs")
        allow_js = config.allows_js() if config is not None else True
        paths = config.option("paths") if config is not None else None
        paths_base = config.paths_base if config is not None else None
        ambient = self._ambient()
        rel = ctx.rel(path) if ctx.contains(path) else path.name
        production = not self._tooling_by_name_or_config(path, rel, nearest)
        for record in summary.imports:
            spec = record.specifier
            if not spec or "${" in spec:
                continue
            if spec.startswith((".", "/")):
                strict = esm and record.kind != "require"

                def resolves(candidate: str, strict: bool = strict) -> bool:
                    found = resolve_relative(path, candidate, resolution, strict, allow_js, ctx.file_exists)
                    return found.path is not None

                res = resolve_relative(path, spec, resolution, strict, allow_js, ctx.file_exists)
                if (
                    res.path is None
                    and not self._generated(Path(os.path.normpath(path.parent / spec)))
                    and not self._virtual(package, root_package, spec)  # React Router's ./+types/…
                ):
                    findings.append(self._unresolved(path, record, spec, res, resolves))
                continue
            if spec.startswith("#") and not self._virtual(package, root_package, spec):
                manifest = nearest.imports if nearest is not None else None
                if not imports_allow(manifest, spec):
                    findings.append(
                        _finding(
                            path,
                            record.span,
                            Severity.ERROR,
                            CODE_UNRESOLVED_IMPORT,
                            f"'{spec}' is not in the \"imports\" map of {self._rel(nearest.path) if nearest else 'package.json'}",
                        )
                    )
                continue
            if is_node_builtin(spec) or spec.startswith(_RUNTIME_PREFIXES):
                continue  # Node builtins; Deno/Bun specifiers (npm:, jsr:, bun:) are their runtime's business
            if spec.startswith("node:"):
                findings.append(
                    _finding(
                        path,
                        record.span,
                        Severity.ERROR,
                        CODE_UNRESOLVED_IMPORT,
                        f"'{spec}' is not a Node.js builtin module",
                    )
                )
                continue
            if isinstance(paths, dict) and paths_base is not None:
                targets = match_paths(spec, paths, paths_base)
                if targets is not None:
                    if not self._alias_resolves(config, spec, targets, allow_js):
                        findings.append(
                            _finding(
                                path,
                                record.span,
                                Severity.ERROR,
                                CODE_UNRESOLVED_IMPORT,
                                f"'{spec}' matches a tsconfig \"paths\" alias but no file exists there",
                            )
                        )
                    continue
            if ambient(spec):
                continue
            if (
                config is not None
                and config.base_url is not None
                and self._under_base_url(config.base_url, spec, allow_js)
            ):
                continue  # `import { X } from 'types'` with baseUrl: src names src/types
            if self._deno_scope(path, package):
                continue  # a Deno project inside the workspace: its deno.json import map decides
            if _ALIAS_LIKE.match(spec) and not self._virtual(package, root_package, spec):
                findings.append(
                    _finding(
                        path,
                        record.span,
                        Severity.ERROR,
                        CODE_UNRESOLVED_IMPORT,
                        f"'{spec}' is no package name, and no tsconfig \"paths\" alias matches it",
                    )
                )
                continue
            name, subpath = split_package(spec)
            declared_group = package.declared(name) if package is not None else None
            if declared_group is None and root_package is not None and root_package is not package:
                declared_group = root_package.declared(name)
            if declared_group is None and record.type_only and package is not None:
                types_name = _types_package(name)
                if package.declared(types_name) or (root_package and root_package.declared(types_name)):
                    continue
            if declared_group is None and name in members:
                continue  # a workspace package (linked by the package manager)
            installed = self._installed_from(str(path.parent), name)
            if declared_group is None and self._virtual(package, root_package, spec):
                continue  # not a package of the project's: the framework resolves it itself
            if declared_group is None and installed is None and record.type_only:
                types_key = (str(path.parent), _types_package(name))
                if self._installed_from(*types_key) is not None:
                    # `import type … from 'aws-lambda'`: TypeScript finds @types/aws-lambda, which
                    # pnpm hoists to the root: there, but declared nowhere here (knip: unlisted)
                    where = self._rel(package.path) if package is not None else "any package.json"
                    findings.append(
                        _finding(
                            path,
                            record.span,
                            Severity.WARNING,
                            CODE_UNDECLARED_PACKAGE,
                            f"'{types_key[1]}' (the types of '{name}') is installed but not declared in {where}",
                            self._add_dependency_fix(package, types_key[1], False),
                        )
                    )
                    continue
            if declared_group is None:
                where = self._rel(package.path) if package is not None else "any package.json"
                if installed is None:
                    findings.append(
                        _finding(
                            path,
                            record.span,
                            Severity.ERROR,
                            CODE_UNDECLARED_PACKAGE,
                            f"'{name}' is not declared in {where} and is not installed: "
                            "a package that does not exist here",
                        )
                    )
                else:
                    findings.append(
                        _finding(
                            path,
                            record.span,
                            Severity.WARNING,
                            CODE_UNDECLARED_PACKAGE,
                            f"'{name}' is installed but not declared in {where}",
                            self._add_dependency_fix(package, name, production),
                        )
                    )
                continue
            if (
                declared_group == "devDependencies"
                and production
                and not record.type_only
                and not record.guarded  # an optional dependency: the code copes with its absence
                and not name.startswith("@types/")
                and not _also_for_runtime(package, root_package, name)  # dev + peer: a library's pattern
                and _ships_without_dev_dependencies(package)
                and not self._used_only_by_tooling(path)
            ):
                findings.append(
                    _finding(
                        path,
                        record.span,
                        Severity.WARNING,
                        CODE_DEV_DEPENDENCY_AT_RUNTIME,
                        f"'{name}' is only a devDependency but {rel} imports it at runtime",
                    )
                )
            # moduleResolution node10 (`node`) reads no exports map, and a type-only import
            # never runs: TypeScript resolving it is all there is to it
            exports_ignored = record.type_only and resolution in ("node", "node10", "classic")
            if subpath != "." and installed is not None and not exports_ignored:
                manifest = installed_manifest(installed)
                allowed = exports_allow(manifest.get("exports") if manifest else None, subpath)
                if allowed is False:
                    findings.append(
                        _finding(
                            path,
                            record.span,
                            Severity.ERROR,
                            CODE_SUBPATH_NOT_EXPORTED,
                            f"'{spec}': {name} does not export '{subpath}'",
                        )
                    )
        return findings

    def _installed_from(self, directory: str, name: str) -> Path | None:
        """node_modules/<name> (with a package.json) walking up from ``directory`` as Node
        does, up to the workspace root's parent; every folder on the way remembers the answer,
        so the files of one deep folder tree walk it once."""
        key = (directory, name)
        if key in self._installed:
            return self._installed[key]
        candidate = os.path.join(directory, "node_modules", name)
        if os.path.isfile(os.path.join(candidate, "package.json")):
            found: Path | None = Path(candidate)
        else:
            parent = os.path.dirname(directory)
            root = str(self.ctx.root)
            found = (
                None
                if parent == directory or directory == os.path.dirname(root)
                else self._installed_from(parent, name)
            )
        self._installed[key] = found
        return found

    def _deno_scope(self, path: Path, package) -> bool:
        """A deno.json(c) between the file and its package.json: Deno resolves these imports."""
        stop = package.dir if package is not None else self.ctx.root
        key = (path.parent, stop)
        if key not in self._deno:
            self._deno[key] = self._deno_walk(path.parent, stop)
        return self._deno[key]

    def _deno_walk(self, directory: Path, stop: Path) -> bool:
        while True:
            if self._deno_config_in(directory):
                return True
            if directory == stop or directory == self.ctx.root or directory.parent == directory:
                return False
            directory = directory.parent

    def _deno_config_in(self, directory: Path) -> bool:
        """deno.json, deno.jsonc, a config passed with --config (deno.react.json …) or an
        import_map.json in this very folder (each folder listed once per check)."""
        if directory not in self._deno_dirs:
            try:
                names = os.listdir(directory)
            except OSError:
                names = []
            self._deno_dirs[directory] = any(
                n == "import_map.json" or (n.startswith("deno") and ".json" in n) for n in names
            )
        return self._deno_dirs[directory]

    def _add_dependency_fix(self, package, name: str, production: bool) -> tuple:
        """Only for a package that really is installed or locked: its version, never a guess."""
        if package is None:
            return ()
        version = locked_version(package.dir, name)
        text = self.ctx.read(package.path)
        if version is None or text is None:
            return ()
        fix = add_dependency(package.path, text, "dependencies" if production else "devDependencies", name, version)
        return (fix,) if fix is not None else ()

    def _unresolved(self, path: Path, record, spec: str, res, resolves: Callable[[str], bool]) -> Finding:
        """FA104, with a fix only when the specifier it proposes really resolves (and differs)."""
        suggestion = res.suggestion or self._nearest_file(path, spec)
        if suggestion is not None and (suggestion == spec or not resolves(suggestion)):
            suggestion = None
        if suggestion is None:
            problem = res.problem if res.suggestion else None
            message = f"'{spec}' {problem}" if problem else f"cannot find '{spec}'"
            return _finding(path, record.span, Severity.ERROR, CODE_UNRESOLVED_IMPORT, message)
        message = f"'{spec}' {res.problem}" if res.suggestion else f"cannot find '{spec}'"
        return _finding(
            path,
            record.span,
            Severity.ERROR,
            CODE_UNRESOLVED_IMPORT,
            f"{message}: did you mean '{suggestion}'?",
            (replace_specifier(path, record.span, suggestion),),
        )

    @staticmethod
    def _nearest_file(path: Path, spec: str) -> str | None:
        """The specifier of the closest name in the folder ``spec`` points into, written the way
        ``spec`` is: a code file by its stem with the extension ``spec`` uses (``./confg.js`` →
        ``./config.js`` for config.ts), a folder by its name, any other file by its whole name
        (``./stlyes.module.css`` → ``./styles.module.css``)."""
        wanted = posixpath.basename(spec)
        if not wanted or wanted in (".", ".."):
            return None
        try:
            entries = list((path.parent / spec).parent.iterdir())
        except OSError:
            return None
        stem, ext = os.path.splitext(wanted)
        code_like = not ext or ext in CODE_EXTENSIONS
        names: dict[str, str] = {}  # what is compared -> what the specifier then ends in
        for entry in entries:
            entry_stem, entry_ext = os.path.splitext(entry.name)
            if entry.is_dir():
                names.setdefault(entry.name, entry.name)
            elif entry_ext in CODE_EXTENSIONS:
                bare = entry_stem[: -len(".d")] if entry_stem.endswith(".d") else entry_stem
                names.setdefault(bare, bare + ext if code_like else bare)
            elif not code_like:
                names.setdefault(entry.name, entry.name)
        target = stem if code_like else wanted
        close = nearest_names(target, sorted(n for n in names if n != target), cutoff=70)
        return spec[: len(spec) - len(wanted)] + names[close[0]] if close else None

    def _tooling(self, package) -> frozenset[Path]:
        """Files a package runs as tooling, not as its product: scripts its package.json
        ``scripts`` run (``node scripts/build.mjs``, ``tsx tools/gen.ts``) and the files its
        vitest/jest configurations name (``setupFiles``, ``setupFilesAfterEnv``, ``globalSetup``,
        ``globalTeardown``, a file ``preset``), its own or a project folder's below it."""
        if package is None:
            return frozenset()
        if package.dir not in self._tooling_files:
            self._tooling_files[package.dir] = frozenset(self._tooling_walk(package.dir))
        return self._tooling_files[package.dir]

    def _tooling_walk(self, directory: Path) -> set[Path]:
        texts: list[tuple[Path, str]] = []
        try:
            manifest = json.loads(self.ctx.read(directory / "package.json") or "{}")
        except ValueError:
            manifest = {}
        scripts = manifest.get("scripts") if isinstance(manifest, dict) else None
        found: set[Path] = set()
        if isinstance(scripts, dict):
            for name, command in scripts.items():
                # `start`/`dev`/`serve` run the product itself: its imports are production ones
                if isinstance(command, str) and not _PRODUCT_SCRIPT.match(str(name)):
                    found |= {Path(os.path.normpath(directory / m)) for m in _SCRIPT_FILE.findall(command)}
        if isinstance(manifest, dict) and isinstance(manifest.get("jest"), dict):
            texts.append((directory, json.dumps(manifest["jest"])))
        # the package's test configs, in its own folder or a project folder below it (an Nx
        # app's apps/client/jest.config.ts), each naming files relative to where it is
        if self._test_configs is None:
            self._test_configs = [rel for rel in self.ctx.index.files if _TEST_CONFIG.search(rel)]
        for rel in self._test_configs:
            config = self.ctx.root / rel
            if config.is_relative_to(directory):
                owner = self.ctx.nearest_package(config)
                if owner is not None and owner.dir == directory:
                    texts.append((config.parent, self.ctx.read(config) or ""))
        for base, text in texts:
            for listed in _SETUP_FILES.findall(text):
                for name in re.findall(r"['\"]([^'\"]+)['\"]", listed):
                    name = name.replace("<rootDir>/", "")
                    found.add(Path(os.path.normpath(base / name)))
        return found

    def _alias_resolves(self, config, spec: str, targets: list[Path], allow_js: bool) -> bool:
        """Whether a ``paths`` alias names a file (or build output not built yet), once per
        tsconfig and specifier: the files of a project share their aliases."""
        key = (config.path, spec, allow_js)
        if key not in self._alias_hits:
            self._alias_hits[key] = any(
                resolve_relative(t.parent / "x", "./" + t.name, "bundler", False, allow_js, self.ctx.file_exists).path
                or self._generated(t)
                for t in targets
            )
        return self._alias_hits[key]

    def _generated(self, target: Path) -> bool:
        """An import of build output that is not built yet (``contentlayer/generated`` →
        ``.contentlayer/generated``, a git-ignored ``*.output.ts``): nothing to judge until the
        build has run, as the path's extensionless form and each extension it may take say."""
        generated = self.ctx.generated
        return generated(target) or any(generated(Path(str(target) + ext)) for ext in CODE_EXTENSIONS)

    def _dependency_scope(self, package, members: dict[str, Path]):
        """The manifest whose dependencies a file may use. A package.json that declares no
        dependencies and has no version, and is no workspace member (tRPC's ``src/trpc`` with
        only ``name`` and ``exports``, a ``{"type": "module"}`` marker) is no boundary: Node
        finds the enclosing package's node_modules, and that package declares them."""
        if self._member_dirs is None or self._member_dirs[0] is not members:
            self._member_dirs = (members, set(members.values()))
        member_dirs = self._member_dirs[1]
        while (
            package is not None
            and package.version is None
            and not any(package.groups().values())
            and package.dir != self.ctx.root
            and package.dir not in member_dirs
        ):
            outer = self.ctx.nearest_package(package.dir.parent / "package.json")
            if outer is None:
                break
            package = outer
        return package

    def _used_only_by_tooling(self, path: Path) -> bool:
        """Whether every file importing ``path`` (relative imports, transitively) is tooling —
        tests, configs, scripts: ``vitest.root.mjs`` imported by vitest configs, excalidraw's
        ``env.cjs`` required by its build script. A file nothing imports is an entry point."""
        key = os.path.normpath(path)
        if key in self._tooling_only:
            return self._tooling_only[key]
        self._tooling_only[key] = False  # a cycle: production until shown otherwise
        importers = self._importers_of(key)
        result = bool(importers) and all(self._is_tooling(Path(importer)) for importer in importers)
        self._tooling_only[key] = result
        return result

    def _tooling_by_name_or_config(self, path: Path, rel: str, package) -> bool:
        """Tooling by its own path (tests, configs, scripts, tool folders) or because its
        package's scripts or test configs name it."""
        return bool(_NON_PRODUCTION.search(rel)) or Path(os.path.normpath(path)) in self._tooling(package)

    def _is_tooling(self, path: Path) -> bool:
        rel = self.ctx.rel(path) if self.ctx.contains(path) else path.name
        return self._tooling_by_name_or_config(path, rel, self.ctx.nearest_package(path)) or self._used_only_by_tooling(
            path
        )

    def _importers_of(self, target: str) -> set[str]:
        """The files whose relative imports resolve to ``target``. Only specifiers whose last
        segment could name it are resolved (``./env``, ``../env.cjs`` for env.cjs; '.' and '..'
        for any): an index of the workspace's relative imports by that segment
        (``last_segment``, as the rename fix's search) is built once, without I/O."""
        if self._importers is None:
            self._importers = {}
            for rel, summary in self.ctx.index.files.items():
                if summary.language == "python":
                    continue
                for record in summary.imports:
                    spec = record.specifier
                    if spec and spec.startswith("."):
                        self._importers.setdefault(last_segment(spec), []).append((rel, spec))
        found: set[str] = set()
        for name in (last_segment(target), ".", "..", ""):
            for rel, spec in self._importers.get(name, ()):
                importer = os.path.join(str(self.ctx.root), rel)
                resolved = resolve_relative(Path(importer), spec, "bundler", False, True, self.ctx.file_exists).path
                if resolved is not None and os.path.normpath(resolved) == target:
                    found.add(importer)
        return found

    def _under_base_url(self, base_url: Path, spec: str, allow_js: bool) -> bool:
        """Whether a bare specifier names a file below ``baseUrl`` (TypeScript tries there first)."""
        key = (base_url, spec, allow_js)
        if key not in self._base_url_hits:  # a few hundred distinct bare specifiers in a repository
            found = resolve_relative(base_url / "x", "./" + spec, "bundler", False, allow_js, self.ctx.file_exists)
            self._base_url_hits[key] = found.path is not None
        return self._base_url_hits[key]

    @staticmethod
    def _virtual(package, root_package, spec: str) -> bool:
        """A module the project's framework provides itself (the framework table,
        :mod:`..context.frameworks`: Next.js's server-only, SvelteKit's $app/…, Astro's astro:…,
        Nuxt's #imports …), when the package or the workspace root depends on that framework."""
        return provides_module(spec, package, root_package) is not None

    def _rel(self, path: Path) -> str:
        return self.ctx.rel(path) if self.ctx.contains(path) else str(path)

    # ------------------------------------------------------------------ Python

    def _python(self, path: Path, summary: FileSummary) -> list[Finding]:
        ctx = self.ctx
        findings: list[Finding] = []
        manifest = ctx.nearest_python_manifest(path)
        declared = {normalise(d.name) for m in ctx.python.values() for d in m.dependencies}
        stdlib = sys.stdlib_module_names  # Python 3.10+; the package needs 3.11
        env = ctx.python_environment() if summary.imports else None
        for record in summary.imports:
            spec = record.specifier
            if spec.startswith("."):
                if resolve_python_relative(path, spec) is None:
                    findings.append(
                        _finding(
                            path,
                            record.span,
                            Severity.ERROR,
                            CODE_UNRESOLVED_IMPORT,
                            f"relative import '{spec}' resolves to no module",
                        )
                    )
                continue
            top = spec.split(".")[0]
            if top in stdlib or top == "__future__" or ctx.python_module_is_local(path, top):
                continue
            if top == "_typeshed" and record.type_only:
                continue  # typeshed's own module: there for the type checker alone, never at run time
            if record.guarded:
                continue  # `try: import orjson except ImportError:` — an optional dependency the code copes without
            installed = env.provides(top) if env is not None else []
            # what provides the name: the environment's metadata, else the usual traps by hand
            candidates = installed or PY_IMPORT_TO_DIST.get(top, [top.lower().replace("_", "-")])
            if any(normalise(c) in declared for c in candidates) or declared.intersection(PY_TRANSITIVE.get(top, ())):
                continue
            where = self._rel(manifest.path) if manifest is not None else "pyproject.toml/requirements"
            dist = candidates[0]
            extra = f" (the distribution is '{dist}')" if normalise(dist) != normalise(top) else ""
            if installed and record.type_only:
                continue  # under `if TYPE_CHECKING:` it is never imported where the project runs
            if installed and env is not None:
                version = env.distributions[dist].version
                message = (
                    f"'{top}' is installed in {self._rel(env.path)} ({dist} {version}) but not declared in "
                    f"{where}: a phantom dependency, missing wherever the project is installed from its manifest"
                )
                findings.append(_finding(path, record.span, Severity.WARNING, CODE_UNDECLARED_PYTHON_IMPORT, message))
                continue
            nowhere = f", nor installed in {self._rel(env.path)}" if env is not None else ""
            findings.append(
                _finding(
                    path,
                    record.span,
                    Severity.ERROR,
                    CODE_UNDECLARED_PYTHON_IMPORT,
                    f"'{top}' is not declared in {where}{nowhere}{extra}",
                )
            )
        return findings
