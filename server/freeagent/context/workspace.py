"""One workspace folder's context, loaded once and then kept current file by file.

``WorkspaceContext`` owns: reading files (open-document text overrides disk), the first full
scan, routing each changed path to the parser that owns its kind, the problems (Findings) found
in configuration files, and the questions other parts ask ("nearest package.json of this file",
"effective tsconfig of this file", "which packages are workspace members"). It is not
thread-safe: the language server runs every call on one worker thread.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..config import Settings
from ..findings import CODE_UNREADABLE_FILE, Finding, Range, Severity
from . import conventions as conventions_mod
from .files import LOCKFILES, IgnoreRules, classify, glob_source, scan
from .index import CodeIndex
from .manifests import (
    PackageManifest,
    PythonManifest,
    parse_package_json,
    parse_pnpm_workspace,
    parse_pyproject,
    parse_requirements,
)
from .tsconfig import TsConfig, TsConfigResolver

if TYPE_CHECKING:
    from .brief import Brief
    from .pyenv import PythonEnvironment
    from .pynames import InstalledNames


def _glob_regex(pattern: str) -> re.Pattern:
    return re.compile(f"^{glob_source(pattern.strip().rstrip('/').removeprefix('./'))}$")


@dataclass
class Change:
    """What one update did: which kinds of facts changed, and files whose problems changed."""

    kinds: set[str] = field(default_factory=set)
    problem_files: set[str] = field(default_factory=set)
    seconds: float = 0.0


class WorkspaceContext:
    def __init__(self, root: Path | str, settings: Settings | None = None):
        self.root = Path(root).resolve()
        self._root_prefix = os.path.join(str(self.root), "")  # '/ws/' — what paths inside start with
        self.settings = settings or Settings()
        self.overlays: dict[Path, str] = {}
        self.rules = self._make_rules()
        self.index = CodeIndex()
        self.packages: dict[Path, PackageManifest] = {}
        self.python: dict[Path, PythonManifest] = {}
        self.pnpm_workspaces: list[str] = []
        self.lockfiles: dict[Path, str] = {}
        self.tsconfig_paths: list[Path] = []
        self.data_files: set[Path] = set()  # YAML/JSON files the walk found (spec candidates)
        self.known_files: set[str] = set()  # every file of a known kind the walk saw (resolution without stat calls)
        self.listed_dirs: set[str] = set()  # the directories it listed
        # directory -> (config path, config) for nearest-manifest/tsconfig lookups; an entry is
        # trusted only while the table still maps that path to that very object
        self._nearest_cache: dict = {}
        self._conventions_cache: dict[str, dict[str, conventions_mod.Vote | None]] | None = None
        self._members: tuple[tuple, dict[str, Path]] | None = None  # workspace_packages, with its key
        self._project_of: dict[tuple[Path, str], TsConfig] = {}  # (solution config, file) -> its project
        self.tsconfigs: dict[Path, TsConfig] = {}
        self.problems: dict[str, list[Finding]] = {}  # origin key -> findings
        self.resolver = TsConfigResolver(self.root, self.read, self.workspace_packages, self._not_there_yet)
        self.loaded = False
        self._brief_cache: Brief | None = None
        # (what it was found from: the python.interpreter setting and the Python projects' folders,
        #  site-packages mtime, env): found again when either changes (an install, a new setting)
        self._python_env: tuple[tuple, float, PythonEnvironment | None] | None = None
        self._installed_names: tuple[PythonEnvironment | None, InstalledNames] | None = None  # for that env
        self.jobs = 1  # processes for the first scan's parsing (the CLI and server use every core)
        self.cache_dir: Path | None = None  # where the summary cache lives; None: no cache

    # ------------------------------------------------------------------ reading

    def _make_rules(self) -> IgnoreRules:
        return IgnoreRules(self.root, self.settings.index.exclude, self.settings.index.respect_gitignore)

    def read(self, path: Path) -> str | None:
        """The text of ``path``: the open document's when there is one, else disk (None if unreadable)."""
        if path in self.overlays:
            return self.overlays[path]
        try:
            # only regular files: a $ref or an `extends` naming /dev/zero or a FIFO would
            # otherwise read (or block) forever
            if not stat.S_ISREG(os.stat(path).st_mode):
                return None
            return path.read_text(encoding="utf-8", errors="replace")
        except (OSError, ValueError):  # ValueError: a NUL byte in the name
            return None

    def file_exists(self, path: str) -> bool:
        """Whether a file exists: the walk's record first (no syscall), else the disk — files
        the walk skips (ignored, generated, too large) can still be imported."""
        if path in self.known_files:
            return True
        if os.path.dirname(path) in self.listed_dirs and classify(os.path.basename(path)) is not None:
            return False  # the walk listed that directory and the watchers report such files
        return os.path.isfile(path)

    def generated(self, path: Path) -> bool:
        """Whether a file that is missing at ``path`` is build output that is not there yet: it
        lies in a folder the walk never enters (``dist``, ``.nuxt``, ``.next`` …) or in one the
        workspace's .gitignore files ignore (``.contentlayer/``, a ``*.output.ts``)."""
        return self.contains(path) and self.rules.ignored(self.rel(path), False)

    def _not_there_yet(self, spec: str, from_dir: Path) -> bool:
        """A tsconfig ``extends`` that resolves to nothing because a build has not made it yet,
        or because the package that has it is declared but not installed (as for imports)."""
        if spec.startswith((".", "/")):
            return self.generated(Path(os.path.normpath(from_dir / spec)))
        parts = spec.split("/")
        name = "/".join(parts[:2]) if spec.startswith("@") else parts[0]
        package = self.nearest_package(from_dir / "tsconfig.json")
        return package is not None and package.declared(name) is not None

    def rel(self, path: Path) -> str:
        text, root = str(path), self._root_prefix
        if text.startswith(root):  # the common case, without building Path objects (hot in check)
            return text[len(root) :].replace(os.sep, "/")
        return path.relative_to(self.root).as_posix()  # the root itself, or ValueError outside it

    def contains(self, path: Path) -> bool:
        text = str(path)
        return text.startswith(self._root_prefix) or text == str(self.root)

    def _set_problems(self, key: str, findings: list[Finding], change: Change) -> None:
        before = self.problems.get(key, [])
        if before == findings:
            return
        for f in before + findings:
            change.problem_files.add(f.file)
        if findings:
            self.problems[key] = findings
        else:
            self.problems.pop(key, None)

    def problems_by_file(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for findings in self.problems.values():
            for f in findings:
                out.setdefault(f.file, []).append(f)
        return out

    def _unreadable(self, path: Path, change: Change) -> None:
        self._set_problems(
            f"read:{path}",
            [
                Finding(
                    str(path), Range.at(0, 0), Severity.ERROR, CODE_UNREADABLE_FILE, f"{path.name} could not be read"
                )
            ],
            change,
        )

    # ------------------------------------------------------------------ loading

    def load(self, progress=None, cancelled=None) -> Change:
        """Scan the whole folder. ``progress(done, total)`` is called while indexing sources;
        ``cancelled()`` returning True stops early (the context stays usable, just partial)."""
        started = time.perf_counter()
        self.rules = self._make_rules()
        self._conventions_cache = None
        self._python_env = None
        change = Change(kinds={"packages", "python", "tsconfig", "sources", "lockfiles"})
        found = scan(self.root, self.rules)
        for path in found.of("package"):
            self._load_package(path, change)
        for path in found.of("pnpm-workspace"):
            if path.parent == self.root:
                self._load_pnpm(path, change)
        for path in found.of("pyproject") + found.of("requirements"):
            self._load_python(path, change)
        self.lockfiles = {p: LOCKFILES[p.name] for p in found.of("lockfile")}
        self.tsconfig_paths = list(found.of("tsconfig"))
        self.data_files = set(found.of("data"))
        self.known_files = {str(p) for paths in found.by_kind.values() for p in paths}
        self.known_files.update(found.ignored_files)
        self.listed_dirs = found.listed_dirs
        self._resolve_tsconfigs(change)
        sources = found.of("source")
        limit = self.settings.index.max_file_size_kb * 1024
        cache = None
        if self.cache_dir is not None:
            from .summary_cache import SummaryCache

            cache = SummaryCache(self.root, self.cache_dir).load()
        on_disk = [(self.rel(p), p) for p in sources if p not in self.overlays]
        status = self.index.index_many(on_disk, limit, self.jobs, cache, progress, cancelled)
        for path in sources:
            if path in self.overlays:  # open documents: their text, not the disk's
                self._index_source(path, change, limit)
        self._conventions_cache = None
        if cache is not None and len(status) == len(on_disk):  # a cancelled load saves nothing
            cache.keep_only(set(status))
            cache.save()
        self.loaded = True
        self._brief_cache = None
        change.seconds = time.perf_counter() - started
        return change

    def _load_manifest(self, table: dict, path: Path, parse, prefix: str, kind: str, change: Change) -> None:
        """Parse one manifest into ``table``; a file that fails to read or parse leaves it out."""
        self._nearest_cache.clear()
        self._conventions_cache = None
        text = self.read(path)
        if text is None:
            table.pop(path, None)
            self._unreadable(path, change)
            return
        self._set_problems(f"read:{path}", [], change)
        manifest, findings = parse(path, text)
        self._set_problems(f"{prefix}:{path}", findings, change)
        if manifest is None:
            table.pop(path, None)
        else:
            table[path] = manifest
        change.kinds.add(kind)

    def _forget_manifest(self, table: dict, path: Path, prefix: str, kind: str, change: Change) -> None:
        self._nearest_cache.clear()
        self._conventions_cache = None
        table.pop(path, None)
        self._set_problems(f"{prefix}:{path}", [], change)
        self._set_problems(f"read:{path}", [], change)
        change.kinds.add(kind)

    def _load_package(self, path: Path, change: Change) -> None:
        self._load_manifest(self.packages, path, parse_package_json, "package", "packages", change)

    def _load_pnpm(self, path: Path, change: Change) -> None:
        text = self.read(path) or ""
        self.pnpm_workspaces, findings = parse_pnpm_workspace(path, text)
        self._set_problems(f"pnpm:{path}", findings, change)
        change.kinds.add("packages")

    def _load_python(self, path: Path, change: Change) -> None:
        parse = parse_pyproject if path.name == "pyproject.toml" else parse_requirements
        self._load_manifest(self.python, path, parse, "python", "python", change)

    def _resolve_tsconfigs(self, change: Change) -> None:
        self._nearest_cache.clear()
        self._project_of.clear()
        self._conventions_cache = None
        self.tsconfigs = {}
        new_problems: dict[str, list[Finding]] = {}
        for path in self.tsconfig_paths:
            config, findings = self.resolver.resolve(path)
            self.tsconfigs[path] = config
            for file, items in findings.items():
                bucket = new_problems.setdefault(f"tsconfig:{file}", [])
                for item in items:
                    if item not in bucket:
                        bucket.append(item)
        for key in [k for k in self.problems if k.startswith("tsconfig:")]:
            if key not in new_problems:
                self._set_problems(key, [], change)
        for key, key_findings in new_problems.items():
            self._set_problems(key, key_findings, change)
        change.kinds.add("tsconfig")

    def _index_source(self, path: Path, change: Change, limit: int) -> None:
        rel = self.rel(path)
        if path in self.overlays:
            data = self.overlays[path].encode("utf-8")
        else:
            try:
                if path.stat().st_size > limit:
                    if self.index.remove(rel):
                        self._conventions_cache = None
                    return
                data = path.read_bytes()
            except OSError:
                if self.index.remove(rel):
                    self._conventions_cache = None
                    change.kinds.add("sources")
                return
        if rel not in self.index.files:
            self._conventions_cache = None
        self.index.update(rel, data, keep_tree=path in self.overlays)
        change.kinds.add("sources")

    # ------------------------------------------------------------------ keeping current

    def set_overlay(self, path: Path, text: str) -> Change:
        self.overlays[path] = text
        return self.file_changed(path)

    def drop_overlay(self, path: Path) -> Change:
        if self.overlays.pop(path, None) is None:
            return Change()
        return self.file_changed(path)

    def update_settings(self, settings: Settings) -> Change:
        """New settings: reload everything if what the index depends on changed; a new Python
        interpreter is a change of the environment the Python checks read (found again on use)."""
        old = self.settings
        self.settings = settings
        if old.index != settings.index:
            return self.reload()
        if old.python != settings.python:
            self.stop_python_analysis()  # jedi's helper for the old interpreter
            return Change(kinds={"python"})
        return Change()

    def file_changed(self, path: Path) -> Change:
        """Re-read one path (created, changed or deleted) and update only what depends on it."""
        started = time.perf_counter()
        change = Change()
        path = Path(path)
        if not self.contains(path):
            return change
        kind = classify(path.name)
        exists = path in self.overlays or path.is_file()
        rel = self.rel(path)
        if exists:
            self.known_files.add(str(path))
        else:
            self.known_files.discard(str(path))
        if kind == "gitignore":
            self.rules.forget(posixpath_dir(rel))
            return self.reload()
        if kind is None or (kind != "lockfile" and self.rules.ignored(rel, False)):
            return change
        if kind == "package":
            if exists:
                self._load_package(path, change)
            else:
                self._forget_manifest(self.packages, path, "package", "packages", change)
            self._resolve_tsconfigs(change)  # package extends / workspace packages may move
        elif kind == "pnpm-workspace":
            if path.parent == self.root:
                if exists:
                    self._load_pnpm(path, change)
                else:
                    self.pnpm_workspaces = []
                    self._set_problems(f"pnpm:{path}", [], change)
                self._resolve_tsconfigs(change)  # `extends` may name a workspace package
        elif kind in ("pyproject", "requirements"):
            if exists:
                self._load_python(path, change)
            else:
                self._forget_manifest(self.python, path, "python", "python", change)
        elif kind == "lockfile":
            if exists:
                self.lockfiles[path] = LOCKFILES[path.name]
            else:
                self.lockfiles.pop(path, None)
            change.kinds.add("lockfiles")
        elif kind == "tsconfig":
            self.resolver.invalidate(path)
            if exists and path not in self.tsconfig_paths:
                self.tsconfig_paths = sorted(self.tsconfig_paths + [path])
            elif not exists and path in self.tsconfig_paths:
                self.tsconfig_paths.remove(path)
            self._resolve_tsconfigs(change)
        elif kind == "data":
            if exists:
                self.data_files.add(path)
            else:
                self.data_files.discard(path)
        elif kind == "source":
            if exists:
                self._index_source(path, change, self.settings.index.max_file_size_kb * 1024)
            elif self.index.remove(rel):
                self._conventions_cache = None
                change.kinds.add("sources")
        if change.kinds or change.problem_files:
            self._brief_cache = None
        change.seconds = time.perf_counter() - started
        return change

    def reload(self) -> Change:
        old_problem_files = set(self.problems_by_file())
        self.rules = self._make_rules()
        self.index = CodeIndex(self.index.parsers)
        self.packages.clear()
        self.python.clear()
        self.problems.clear()
        self.resolver = TsConfigResolver(self.root, self.read, self.workspace_packages, self._not_there_yet)
        change = self.load()
        change.problem_files |= old_problem_files | set(self.problems_by_file())
        return change

    # ------------------------------------------------------------------ questions

    @property
    def root_package(self) -> PackageManifest | None:
        return self.packages.get(self.root / "package.json")

    def workspace_globs(self) -> tuple[str | None, list[str]]:
        """(tool, patterns) of the monorepo's workspace declaration, if any."""
        if self.pnpm_workspaces:
            return "pnpm", self.pnpm_workspaces
        root = self.root_package
        if root is not None and root.workspaces:
            tool = "yarn" if any(k == "yarn" for k in self.lockfiles.values()) else "npm"
            return tool, root.workspaces
        return None, []

    def workspace_packages(self) -> dict[str, Path]:
        """Workspace member packages by name → their directory (recomputed only when a manifest
        or the workspace declaration changed: every import check asks)."""
        _, patterns = self.workspace_globs()
        key = (tuple(patterns), tuple(self.packages.items()))  # manifests compare by value
        if self._members is not None and self._members[0] == key:
            return self._members[1]  # the same dict while nothing changed: callers only read it
        members = self._workspace_members(patterns)
        self._members = (key, members)
        return members

    def _workspace_members(self, patterns: list[str]) -> dict[str, Path]:
        include = [_glob_regex(p) for p in patterns if not p.startswith("!")]
        exclude = [_glob_regex(p[1:]) for p in patterns if p.startswith("!")]
        members: dict[str, Path] = {}
        for path, manifest in sorted(self.packages.items()):
            if manifest.name is None or path.parent == self.root:
                continue
            rel_dir = self.rel(path.parent)
            if any(r.match(rel_dir) for r in include) and not any(r.match(rel_dir) for r in exclude):
                members[manifest.name] = path.parent
        return members

    def _nearest(self, path: Path, table: Mapping[Path, _T], names: tuple[str, ...]) -> _T | None:
        # sources are files; only a path without a suffix may be a directory worth a stat call.
        # Strings all the way: hashing and joining new Path objects was most of a check's time
        # here. Every folder the walk passes gets the answer too (none of them has the file).
        text = str(path)
        is_dir = not os.path.splitext(text)[1] and os.path.isdir(text)
        tag = (names, id(table), len(table))
        start = text if is_dir else os.path.dirname(text)
        cached = self._nearest_cache.get((start, tag), _MISSING)
        if cached is not _MISSING and table.get(cached[0]) is cached[1]:
            return cached[1]
        by_name = self._nearest_cache.get(tag)
        if by_name is None:
            by_name = self._nearest_cache[tag] = {str(key): key for key in table}
        if len(self._nearest_cache) > 50_000:
            self._nearest_cache.clear()
            self._nearest_cache[tag] = by_name
        found: tuple[Path | None, _T | None] = (None, None)
        root = str(self.root)
        probe, walked = start, []
        while probe == root or probe.startswith(self._root_prefix):
            walked.append(probe)
            hit = next((by_name[f] for name in names if (f := os.path.join(probe, name)) in by_name), None)
            if hit is not None and hit in table:
                found = (hit, table[hit])
                break
            if probe == root:
                break
            probe = os.path.dirname(probe)
        for folder in walked:
            self._nearest_cache[(folder, tag)] = found
        return found[1]

    def nearest_package(self, path: Path) -> PackageManifest | None:
        return self._nearest(path if isinstance(path, Path) else Path(path), self.packages, ("package.json",))

    def nearest_tsconfig(self, path: Path) -> TsConfig | None:
        """The config of the project ``path`` belongs to: the nearest tsconfig.json/jsconfig.json,
        or — when that one is a "solution" that includes no such file but references projects
        (Vite's ``{"files": [], "references": [tsconfig.app.json, tsconfig.node.json]}``) — the
        referenced config that includes it, as TypeScript's language server picks it."""
        path = path if isinstance(path, Path) else Path(path)
        config = self._nearest(path, self.tsconfigs, ("tsconfig.json", "jsconfig.json"))
        if config is None or not config.references:
            return config
        key = (config.path, str(path))
        if key not in self._project_of:
            found = config
            if not config.includes(path):
                found = next(
                    (ref for p in config.references if (ref := self.tsconfigs.get(p)) and ref.includes(path)),
                    config,
                )
            if len(self._project_of) > 50_000:
                self._project_of.clear()
            self._project_of[key] = found
        return self._project_of[key]

    def nearest_python_manifest(self, path: Path) -> PythonManifest | None:
        found = self._nearest(Path(path), self.python, ("pyproject.toml",))
        return found or self._nearest(Path(path), self.python, ("requirements.txt",))

    @property
    def python_environment_read(self) -> PythonEnvironment | None:
        """The environment, if a check has read it (what a replayed result depends on)."""
        return self._python_env[2] if self._python_env is not None else None

    def python_environment(self) -> PythonEnvironment | None:
        """The Python environment of the workspace's code (see :mod:`.pyenv`), read on first use
        and again when its site-packages folder changes (an install)."""
        from .pyenv import find_environment

        dirs = sorted({m.dir for m in self.python.values()})
        key = (self.settings.python.interpreter, tuple(dirs))
        if self._python_env is not None and self._python_env[0] == key:
            _, stamp, env = self._python_env
            if env is None:
                return None
            try:
                if env.site_packages.stat().st_mtime == stamp:
                    return env
            except OSError:
                pass
        env = find_environment(self.root, dirs, self.cache_dir, self.settings.python.interpreter)
        stamp = 0.0
        if env is not None:
            with contextlib.suppress(OSError):
                stamp = env.site_packages.stat().st_mtime
        self._python_env = (key, stamp, env)
        return env

    def installed_names(self) -> InstalledNames | None:
        """What the environment's installed modules define (see :mod:`.pynames`), for the
        environment as it is now; with no environment, the standard library's only, read with the
        interpreter running this code."""
        from .pynames import InstalledNames

        env = self.python_environment()
        if self._installed_names is None or self._installed_names[0] is not env:
            if env is not None:
                names = InstalledNames(env, str(env.interpreter), self.cache_dir)
            else:
                names = InstalledNames(None, sys.executable, self.cache_dir, stdlib_only=True)
            self._installed_names = (env, names)
        return self._installed_names[1]

    def python_warm_command(self) -> list[str] | None:
        """How to answer ahead, in a process of its own, the questions this workspace's Python files
        ask (see :mod:`.pywarm`); None when nothing would be asked (no Python file, no cache to
        leave the answers in) or the ``python.warm`` setting is off."""
        from .pywarm import PYTHON_SUFFIXES, command

        if not self.settings.python.warm or self.cache_dir is None:
            return None
        if not any(rel.endswith(PYTHON_SUFFIXES) for rel in self.index.files):
            return None
        return command(self.root, self.cache_dir, self.settings.python.interpreter, self.jobs)

    def reread_python_answers(self) -> None:
        """Take up what the warm-up left on disk (see :meth:`.pynames.InstalledNames.reread`)."""
        if self._installed_names is not None:
            self._installed_names[1].reread()

    def stop_python_analysis(self) -> None:
        """Stop jedi's helper process, if one runs (see :meth:`.pynames.InstalledNames.close`)."""
        if self._installed_names is not None:
            self._installed_names[1].close()

    def python_module_is_local(self, path: Path, top: str) -> bool:
        """Whether a top-level import name in the Python file ``path`` is one of the workspace's
        own modules (at the root, in a project's folder or its ``src``, or where the file's own
        package is imported from), or has a stub-only package of its own there (PEP 561's
        ``<name>-stubs/``, pyright's ``typings/<name>``).

        "Where the file's package is imported from" is the nearest folder above it that is not a
        package (no ``__init__.py``): the file's own folder for a script, whose siblings it imports
        by name. A module beside a file *in a package* is not importable by that name (Python 3 has
        no implicit relative import): mealie's ``services/openai/openai.py`` beside its
        ``from openai.resources… import ChatCompletion`` does not make the installed openai local."""
        return any(
            (r / top).is_dir()
            or (r / f"{top}.py").is_file()
            or (r / f"{top}.pyi").is_file()
            or (r / f"{top}-stubs").is_dir()
            or (r / "typings" / top).is_dir()
            for r in self._python_import_roots(path)
        )

    def python_local_module(self, path: Path, module: str) -> Path | None:
        """The workspace file an absolute import ``module`` in ``path`` names (``app.models`` →
        ``app/models.py`` or ``app/models/__init__.py`` under one of the roots of
        :meth:`python_module_is_local`); None when it is not one of the workspace's modules."""
        parts = module.split(".")
        if not all(p.isidentifier() for p in parts):
            return None
        for root in sorted(self._python_import_roots(path)):
            target = root.joinpath(*parts)
            if target.with_suffix(".py").is_file():
                return target.with_suffix(".py")
            if (target / "__init__.py").is_file():
                return target / "__init__.py"
        return None

    def _python_import_roots(self, path: Path) -> set[Path]:
        folder = path.parent
        while (folder / "__init__.py").is_file() and folder != self.root and folder.parent != folder:
            folder = folder.parent
        roots = {self.root, self.root / "src", folder}
        for m in self.python.values():
            roots.add(m.dir)
            roots.add(m.dir / "src")
        return roots

    def declared_packages(self) -> set[str]:
        names: set[str] = set()
        for manifest in self.packages.values():
            for deps in manifest.groups().values():
                names.update(deps)
        for python_manifest in self.python.values():
            names.update(d.name for d in python_manifest.dependencies)
        return names

    def alias_prefixes(self) -> list[str]:
        """Import prefixes that are tsconfig `paths` aliases ('@/', '~/', '@app/' …)."""
        prefixes: set[str] = set()
        for config in self.tsconfigs.values():
            paths = config.option("paths")
            if isinstance(paths, dict):
                for key in paths:
                    prefixes.add(key.split("*", 1)[0] if "*" in key else key)
        return sorted(p for p in prefixes if p)

    def conventions(self) -> dict[str, dict[str, conventions_mod.Vote | None]]:
        """The majority votes. Cached: they are statistics over the whole workspace, so an edit
        inside one existing file does not recompute them; files appearing or going, and
        manifest or tsconfig changes, do."""
        if self._conventions_cache is None:
            self._conventions_cache = conventions_mod.infer(
                list(self.index.files.values()), self.declared_packages(), self.alias_prefixes()
            )
        return self._conventions_cache

    def brief(self) -> Brief:
        from .brief import build_brief

        if self._brief_cache is None:
            self._brief_cache = build_brief(self)
        return self._brief_cache


_MISSING = object()
_T = TypeVar("_T")


def posixpath_dir(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else ""


__all__ = ["Change", "WorkspaceContext"]
