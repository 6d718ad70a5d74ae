"""tsconfig.json / jsconfig.json: JSONC parsing, the ``extends`` chain, and effective options.

Follows TypeScript's own rules: ``extends`` may be a relative file, a package (resolved through
``node_modules`` up the tree, the package's ``tsconfig`` field or ``tsconfig.json``) or, since
TS 5.0, an array merged in order. Path-valued options (``baseUrl``, ``outDir``, ``rootDir``,
``paths`` targets, ``typeRoots``) stay relative to the file that declared them; ``include``,
``exclude`` and ``files`` are inherited whole unless overridden; ``references`` are not inherited.
Before ``npm install`` a monorepo's own config packages are not in node_modules yet, so a
package name falls back to a workspace package of that name.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyjson5

from ..findings import CODE_BAD_TSCONFIG, CODE_TSCONFIG_EXTENDS, Finding, Range, Severity
from .files import glob_source

# compilerOptions that matter for generation and validation (reported in the brief).
KEY_OPTIONS = (
    "strict",
    "module",
    "moduleResolution",
    "target",
    "jsx",
    "baseUrl",
    "paths",
    "types",
    "allowJs",
    "esModuleInterop",
    "verbatimModuleSyntax",
    "lib",
    "rootDir",
    "outDir",
    "noEmit",
    "allowImportingTsExtensions",
    "resolveJsonModule",
    "isolatedModules",
)
# The strict flags beyond `strict` (@tsconfig/strictest's, and verbatimModuleSyntax), each with its
# strict value: code that compiles without them may not with them (generation reads them).
STRICT_OPTIONS = {
    "noPropertyAccessFromIndexSignature": True,
    "exactOptionalPropertyTypes": True,
    "noUncheckedIndexedAccess": True,
    "noImplicitReturns": True,
    "noImplicitOverride": True,
    "verbatimModuleSyntax": True,
    "isolatedModules": True,
    "allowUnreachableCode": False,
    "noUnusedLocals": True,
    "noUnusedParameters": True,
    "noFallthroughCasesInSwitch": True,
}
PATH_OPTIONS = ("baseUrl", "outDir", "rootDir", "declarationDir", "tsBuildInfoFile")

Reader = Callable[[Path], str | None]


def _resolved(path: Path) -> Path | None:
    """``path.resolve()``, or None for a path the OS cannot look up (a NUL byte, too long)."""
    try:
        return path.resolve()
    except (OSError, ValueError):
        return None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # ENAMETOOLONG, EACCES …: not a config we can read
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


def _loads(text: str):
    """JSON5 text's value: pyjson5 (C speed) when the text is valid; json5 otherwise, for the
    ValueError that says where the problem is."""
    try:
        return pyjson5.loads(text)
    except pyjson5.Json5Exception:  # its nesting limit too: json5 says what and where
        import json5

        return json5.loads(text)


def parse_jsonc(path: Path, text: str, code: str = CODE_BAD_TSCONFIG) -> tuple[dict | None, list[Finding]]:
    """Parse a JSONC file (a tsconfig, ``.freeagent.json``: comments and trailing commas
    allowed); problems are reported under ``code``."""
    try:
        data = _loads(text) if text.strip() else {}
    except RecursionError:  # json5's parser recurses per nesting level (and per long token)
        message = f"{path.name} could not be parsed: nested too deeply"
        return None, [Finding(str(path), Range.at(0, 0), Severity.ERROR, code, message)]
    except ValueError as exc:
        m = re.search(r":(\d+) (.*) at column (\d+)", str(exc))
        line, col, what = (int(m.group(1)) - 1, int(m.group(3)) - 1, m.group(2)) if m else (0, 0, str(exc))
        return None, [
            Finding(
                str(path),
                Range.at(line, col),
                Severity.ERROR,
                code,
                f"{path.name} could not be parsed: {what} (line {line + 1}, column {col + 1})",
            )
        ]
    if not isinstance(data, dict):
        return None, [
            Finding(str(path), Range.at(0, 0), Severity.ERROR, code, f"{path.name} must contain a JSON object")
        ]
    return data, []


@lru_cache(maxsize=512)
def _spec_regex(specs: tuple[str, ...]) -> re.Pattern:
    """One expression for TypeScript's include/exclude specs: ``*`` and ``?`` within a path
    segment, ``**/`` any folders; a spec naming a folder (no wildcard in its last segment and no
    extension) names everything under it."""
    parts = []
    for spec in specs:
        spec = posixpath.normpath(spec.replace("\\", "/")).removeprefix("./")
        out = glob_source(spec)
        last = spec.rsplit("/", 1)[-1]
        folder = not any(c in last for c in "*?") and "." not in last
        parts.append(("" if spec in (".", "") else out) + ("(?:/.*)?" if folder and spec not in (".", "") else ""))
        if spec in (".", ""):
            parts[-1] = ".*"
    return re.compile("|".join(f"(?:{p})" for p in parts) if parts else "(?!)")


def _spec_match(specs: tuple[str, ...], rel: str) -> bool:
    return _spec_regex(specs).fullmatch(rel) is not None


@dataclass
class TsConfig:
    path: Path
    chain: list[Path]  # this file first, then what it extends (depth first, in merge order)
    compiler_options: dict = field(default_factory=dict)
    include: list[str] | None = None
    exclude: list[str] | None = None
    files: list[str] | None = None
    spec_base: Path | None = None  # directory include/exclude/files are relative to
    base_url: Path | None = None
    paths_dir: Path | None = None  # directory of the config that declared `paths`
    references: list[Path] = field(default_factory=list)

    @property
    def dir(self) -> Path:
        return self.path.parent

    def includes(self, file: Path) -> bool:
        """Whether the project this config defines contains ``file``, by its ``files``,
        ``include`` and ``exclude`` as TypeScript reads them (``include`` defaults to every
        file, unless ``files`` is given; ``exclude`` to node_modules, bower_components and
        jspm_packages — the output folder, TypeScript's other default, is not looked at)."""
        base = self.spec_base or self.dir
        try:
            rel = file.relative_to(base).as_posix()
        except ValueError:
            return False
        if self.files is not None and any(rel == posixpath.normpath(f) for f in self.files):
            return True
        include = self.include if self.include is not None else ([] if self.files is not None else ["**/*"])
        exclude = self.exclude if self.exclude is not None else ["node_modules", "bower_components", "jspm_packages"]
        return _spec_match(tuple(include), rel) and not _spec_match(tuple(exclude), rel)

    def option(self, name: str, default=None):
        return self.compiler_options.get(name, default)

    def allows_js(self) -> bool:
        """Whether ``.js`` files are part of the program: ``allowJs``, which a ``jsconfig.json``
        sets by being one (it is a tsconfig with ``allowJs: true``, VS Code's and Vue's)."""
        value = self.option("allowJs")
        return bool(value) if value is not None else self.path.name == "jsconfig.json"

    def strict_flags(self) -> list[str]:
        """The flags of :data:`STRICT_OPTIONS` this config sets to their strict value."""
        return [name for name, strict in STRICT_OPTIONS.items() if self.compiler_options.get(name) is strict]

    @property
    def paths_base(self) -> Path | None:
        """Where `paths` targets resolve from: baseUrl when set, else the declaring file's dir."""
        return self.base_url or self.paths_dir

    @property
    def module(self) -> str:
        value = self.option("module")
        if isinstance(value, str):
            return value.lower()
        target = str(self.option("target", "es5")).lower()
        return "commonjs" if target in ("es3", "es5") else "es2015"

    @property
    def module_resolution(self) -> str:
        """Effective moduleResolution, with TypeScript 5's defaults when it is not set."""
        value = self.option("moduleResolution")
        if isinstance(value, str):
            value = value.lower()
            return "node10" if value == "node" else value
        module = self.module
        if module in ("node16", "nodenext", "node18", "node20"):
            return "nodenext" if module == "nodenext" else "node16"
        if module == "preserve":
            return "bundler"
        return "node10" if module == "commonjs" else "classic"


class TsConfigResolver:
    """Resolves tsconfig files, caching each file's parse; findings are kept per file."""

    def __init__(
        self,
        root: Path,
        read: Reader,
        workspace_packages: Callable[[], dict[str, Path]],
        not_there_yet: Callable[[str, Path], bool] | None = None,
    ):
        self.root = root
        self.read = read
        self.workspace_packages = workspace_packages
        # whether a base config that is missing is only waiting for a build or an install (a
        # git-ignored `.nuxt/tsconfig.json`, a declared package not installed): no finding
        self.not_there_yet = not_there_yet or (lambda spec, from_dir: False)
        self._raw: dict[Path, tuple[dict | None, list[Finding], str]] = {}

    def invalidate(self, path: Path) -> None:
        self._raw.pop(path, None)

    def raw(self, path: Path) -> tuple[dict | None, list[Finding], str]:
        if path not in self._raw:
            text = self.read(path)
            if text is None:
                self._raw[path] = (None, [], "")
            else:
                data, findings = parse_jsonc(path, text)
                self._raw[path] = (data, findings, text)
        return self._raw[path]

    # -- extends resolution --------------------------------------------------------------

    def _resolve_extends(self, spec: str, from_dir: Path) -> Path | None:
        if spec.startswith((".", "/")) or re.match(r"^[A-Za-z]:[\\/]", spec):
            candidate = _resolved(from_dir / spec)
            if candidate is None:
                return None
            for option in (candidate, Path(str(candidate) + ".json")):
                if _is_file(option):
                    return option
            return None
        # a package: "@scope/pkg", "@scope/pkg/file.json", "pkg", "pkg/sub/file"
        parts = spec.split("/")
        name_len = 2 if spec.startswith("@") else 1
        name, sub = "/".join(parts[:name_len]), "/".join(parts[name_len:])
        roots: list[Path] = []
        directory = from_dir
        while True:
            roots.append(directory / "node_modules" / name)
            if directory == directory.parent:
                break
            directory = directory.parent
        if (ws := self.workspace_packages().get(name)) is not None:
            roots.append(ws)
        for package_dir in roots:
            if not _is_dir(package_dir):
                continue
            if sub:
                target = package_dir / sub
                for option in (target, Path(str(target) + ".json"), target / "tsconfig.json"):
                    if _is_file(option):
                        return option
                continue
            tsconfig_field = None
            manifest = package_dir / "package.json"
            if _is_file(manifest):
                try:
                    tsconfig_field = _loads(manifest.read_text("utf-8")).get("tsconfig")
                except (ValueError, OSError, AttributeError, RecursionError):
                    tsconfig_field = None
            for option in ([package_dir / tsconfig_field] if isinstance(tsconfig_field, str) else []) + [
                package_dir / "tsconfig.json"
            ]:
                if _is_file(option):
                    return option
        return None

    def _extends_range(self, text: str, spec: str) -> Range:
        m = re.search(r'"extends"\s*:', text)
        start = text.find(f'"{spec}"', m.end() if m else 0)
        if start < 0:
            return Range.at(0, 0)
        line, col = _position(text, start)
        return Range(line, col, line, col + len(spec) + 2)

    # -- resolution --------------------------------------------------------------------

    def resolve(self, path: Path) -> tuple[TsConfig, dict[Path, list[Finding]]]:
        """The effective config for ``path`` and findings keyed by the file they belong to."""
        findings: dict[Path, list[Finding]] = {}
        config = TsConfig(path=path, chain=[])
        self._apply(path, config, findings, stack=[])
        if config.spec_base is None:  # TypeScript's default include is relative to this file
            config.spec_base = path.parent
        data = self.raw(path)[0] or {}
        references = data.get("references")
        for ref in references if isinstance(references, list) else []:
            if isinstance(ref, dict) and isinstance(ref.get("path"), str):
                target = _resolved(path.parent / ref["path"])
                if target is not None:
                    config.references.append(target / "tsconfig.json" if _is_dir(target) else target)
        return config, findings

    def _apply(self, path: Path, config: TsConfig, findings: dict, stack: list[Path]) -> None:
        data, parse_findings, text = self.raw(path)
        config.chain.append(path)
        if parse_findings:
            findings.setdefault(path, []).extend(parse_findings)
        if data is None:
            return
        extends = data.get("extends")
        for spec in [extends] if isinstance(extends, str) else extends if isinstance(extends, list) else []:
            if not isinstance(spec, str):
                continue
            target = self._resolve_extends(spec, path.parent)
            if target is None and self.not_there_yet(spec, path.parent):
                continue
            if target is None or target in stack or target == path:
                if target is None:
                    problem = f"cannot find the config '{spec}' named in \"extends\""
                else:
                    problem = f'circular "extends": {" -> ".join(p.name for p in stack + [path, target])}'
                findings.setdefault(path, []).append(
                    Finding(str(path), self._extends_range(text, spec), Severity.ERROR, CODE_TSCONFIG_EXTENDS, problem)
                )
                continue
            # Everything the base sets first; this file overrides below.
            self._apply(target, config, findings, stack + [path])
        options = data.get("compilerOptions")
        if isinstance(options, dict):
            for key, value in options.items():
                if key in PATH_OPTIONS and isinstance(value, str):
                    if (resolved := _resolved(path.parent / value)) is None:
                        continue  # a path no OS can have: as if it were not set
                    value = str(resolved)
                    if key == "baseUrl":
                        config.base_url = Path(value)
                elif key == "typeRoots" and isinstance(value, list):
                    value = [str(r) for v in value if isinstance(v, str) and (r := _resolved(path.parent / v))]
                elif key == "paths" and isinstance(value, dict):
                    config.paths_dir = path.parent
                config.compiler_options[key] = value
        for key in ("include", "exclude", "files"):
            if isinstance(data.get(key), list):
                setattr(config, key, [v for v in data[key] if isinstance(v, str)])
                config.spec_base = path.parent
