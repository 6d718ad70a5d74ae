"""Which files in a workspace matter, and what kind each one is.

Owns the directory walk: skips dependency folders, build output and whatever the workspace's
``.gitignore`` files ignore (nested ones included, with git's semantics via pathspec) — except
files git tracks all the same (git ignores no tracked file: zod's ``packages/zod/.gitignore``
says ``**/package.json`` and its package.json is committed) — and classifies each remaining
file as source, manifest, tsconfig, lockfile or other.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from ..languages import SOURCE_SUFFIXES

# Never descended into, whatever .gitignore says: dependencies, VCS data, caches, build output.
SKIP_DIRS = frozenset(
    {
        "node_modules",
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "dist",
        "build",
        "out",
        ".next",
        ".nuxt",
        ".svelte-kit",
        ".turbo",
        ".cache",
        "coverage",
        ".parcel-cache",
        ".yarn",
        ".pnpm-store",
        "site-packages",
        ".eggs",
    }
)

LOCKFILES = {
    "package-lock.json": "npm",
    "npm-shrinkwrap.json": "npm",
    "yarn.lock": "yarn",
    "pnpm-lock.yaml": "pnpm",
    "bun.lockb": "bun",
    "bun.lock": "bun",
    "poetry.lock": "poetry",
    "uv.lock": "uv",
    "Pipfile.lock": "pipenv",
    "pdm.lock": "pdm",
}


def classify(name: str) -> str | None:
    """The kind of a file by its name: source, package, tsconfig, pyproject, requirements,
    pnpm-workspace, lockfile, gitignore, data (YAML/JSON) — or None when nothing cares about it."""
    if name == "package.json":
        return "package"
    if name == "pyproject.toml":
        return "pyproject"
    if name == "pnpm-workspace.yaml":
        return "pnpm-workspace"
    if name == ".gitignore":
        return "gitignore"
    if name in LOCKFILES:
        return "lockfile"
    if name.endswith(".json") and (name.startswith("tsconfig") or name.startswith("jsconfig")):
        return "tsconfig"
    if name.startswith("requirements") and name.endswith((".txt", ".in")):
        return "requirements"
    suffix = os.path.splitext(name)[1]
    if suffix in SOURCE_SUFFIXES:
        return "source"
    if suffix in (".yaml", ".yml", ".json"):
        return "data"  # candidates for OpenAPI documents; the engine matches them to spec globs
    return None


def glob_source(pattern: str) -> str:
    """A glob as a regular expression's source: ``*`` and ``?`` within one path segment, ``**/``
    any folders (none too), ``**`` anything. Shared by workspace globs and tsconfig specs."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return out


@dataclass
class ScanResult:
    by_kind: dict[str, list[Path]] = field(default_factory=dict)
    # every directory the walk listed, and the files of a known kind in them that the ignore
    # rules left out: together with by_kind they say which such files exist there, no stat needed
    listed_dirs: set[str] = field(default_factory=set)
    ignored_files: list[str] = field(default_factory=list)

    def of(self, kind: str) -> list[Path]:
        return self.by_kind.get(kind, [])


def _gitignore_spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    """The rules of these lines; a line that is not a valid pattern (``!`` alone, a trailing
    backslash …) is skipped, as git skips it, instead of dropping the whole file."""
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):  # pathspec's GitIgnorePatternError; a range like [z-a]
        pass
    valid = []
    for line in lines:
        try:
            pathspec.GitIgnoreSpec.from_lines([line])
        except (ValueError, re.error):
            continue
        valid.append(line)
    return pathspec.GitIgnoreSpec.from_lines(valid)


def tracked_but_ignored(root: Path) -> frozenset[str]:
    """The files git tracks although a .gitignore pattern matches them (``git ls-files -ci``):
    git never ignores a tracked file, so neither does the walk. Empty outside a git work tree,
    without git, or when git fails (a few milliseconds on a 5,000-file repository)."""
    if not any((folder / ".git").exists() for folder in (root, *root.parents)):
        return frozenset()
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--ignored", "--exclude-standard"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    if proc.returncode != 0:
        return frozenset()
    return frozenset(name for name in proc.stdout.decode("utf-8", "replace").split("\0") if name)


class IgnoreRules:
    """The workspace's ignore rules: built-in skip dirs, settings globs and .gitignore files,
    less the files git tracks anyway (``tracked``; by default asked of git)."""

    def __init__(
        self,
        root: Path,
        extra: list[str] | None = None,
        use_gitignore: bool = True,
        tracked: frozenset[str] | None = None,
    ):
        self.root = root
        self.use_gitignore = use_gitignore
        self.extra = _gitignore_spec(extra or [])
        self._specs: dict[str, pathspec.GitIgnoreSpec | None] = {}
        self._tracked = tracked if tracked is not None else (None if use_gitignore else frozenset())
        self._tracked_dirs: set[str] | None = None

    @property
    def tracked(self) -> frozenset[str]:
        """Files git tracks that a pattern ignores (asked of git once, when first needed)."""
        if self._tracked is None:
            self._tracked = tracked_but_ignored(self.root)
        return self._tracked

    @property
    def tracked_dirs(self) -> set[str]:
        """The folders on the way to them: the walk goes in even when a pattern names the folder."""
        if self._tracked_dirs is None:
            self._tracked_dirs = {n.rsplit("/", i)[0] for n in self.tracked for i in range(1, n.count("/") + 1)}
        return self._tracked_dirs

    def _spec_for(self, rel_dir: str) -> pathspec.GitIgnoreSpec | None:
        if rel_dir not in self._specs:
            spec = None
            path = self.root / rel_dir / ".gitignore"
            if self.use_gitignore and path.is_file():
                try:
                    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = _gitignore_spec(lines)
                except OSError:
                    spec = None
            self._specs[rel_dir] = spec
        return self._specs[rel_dir]

    def forget(self, rel_dir: str) -> None:
        """Drop the cached .gitignore of ``rel_dir`` (it changed on disk)."""
        self._specs.pop(rel_dir, None)

    def ignored(self, rel_path: str, is_dir: bool) -> bool:
        """Whether ``rel_path`` (posix, relative to the root) is left out of the context."""
        parts = rel_path.split("/")
        if any(p in SKIP_DIRS for p in (parts if is_dir else parts[:-1])):
            return True
        probe = rel_path + "/" if is_dir else rel_path
        if self.extra.match_file(probe):
            return True
        if not self.use_gitignore:
            return False
        # Each .gitignore from the root down to the file's directory applies, relative to itself.
        for depth in range(len(parts)):
            base = "/".join(parts[:depth])
            spec = self._spec_for(base)
            if spec is not None:
                sub = "/".join(parts[depth:]) + ("/" if is_dir else "")
                if spec.match_file(sub):
                    # git ignores no file it tracks (asked only now: most paths match no pattern)
                    return rel_path not in (self.tracked_dirs if is_dir else self.tracked)
        return False


def scan(root: Path, rules: IgnoreRules) -> ScanResult:
    """Walk ``root`` once and group the files the context cares about by kind (sorted)."""
    result = ScanResult()
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        directory = os.path.join(root, rel_dir) if rel_dir else str(root)
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        result.listed_dirs.add(directory)
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if entry.name in SKIP_DIRS or rules.ignored(rel, True):
                    continue
                stack.append(rel)
                continue
            kind = classify(entry.name)
            if kind is None:
                continue
            if kind != "gitignore" and rules.ignored(rel, False):
                result.ignored_files.append(entry.path)
                continue
            result.by_kind.setdefault(kind, []).append(Path(entry.path))
    for paths in result.by_kind.values():
        paths.sort()
    return result
