"""Module resolution the way TypeScript does it, for relative, aliased and package imports.

Owns "which file does this specifier name?" under the file's tsconfig: relative imports with
the extension rules of ``moduleResolution`` (node10/bundler try extensions and ``index``
files; node16/nodenext ESM needs the extension, and ``./x.js`` names ``x.ts``), ``paths``
aliases (with and without ``baseUrl``), package.json ``imports`` (``#x``), and packages'
``exports`` maps for subpath imports.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TS_EXTENSIONS = (".ts", ".tsx", ".d.ts", ".mts", ".cts", ".d.mts", ".d.cts")
JS_EXTENSIONS = (".js", ".jsx", ".mjs", ".cjs")
# what an emitted extension may stand for in the sources
EXTENSION_MAP = {
    ".js": (".ts", ".tsx", ".d.ts", ".js", ".jsx"),
    ".mjs": (".mts", ".d.mts", ".mjs"),
    ".cjs": (".cts", ".d.cts", ".cjs"),
    ".jsx": (".tsx", ".jsx"),
}


@dataclass(frozen=True)
class Resolution:
    path: Path | None
    problem: str | None = None  # why it failed, when it did
    suggestion: str | None = None  # a specifier that would work


CODE_EXTENSIONS = frozenset((*TS_EXTENSIONS, *JS_EXTENSIONS, ".json"))


def _candidates(base: str, allow_js: bool, extensionless_ok: bool) -> list[str]:
    """Files a specifier may name, most likely first (strings: this runs for every import)."""
    ext = posixpath.splitext(base)[1]
    out: list[str] = []
    if ext and ext not in CODE_EXTENSIONS:
        out.append(base)  # a stylesheet, font, image, document: the file itself, if it is there
    if ext in EXTENSION_MAP:
        stem = base[: -len(ext)]
        out += [stem + e for e in EXTENSION_MAP[ext]]
    if ext in TS_EXTENSIONS or ext == ".json":
        out.append(base)
    if extensionless_ok and ext not in EXTENSION_MAP:
        exts = TS_EXTENSIONS + (JS_EXTENSIONS if allow_js else ()) + (".json",)
        out += [base + e for e in exts]
        out += [base + os.sep + "index" + e for e in exts]
    if allow_js and ext in JS_EXTENSIONS:
        out.append(base)
    return out


def _is_file(path: str) -> bool:
    return os.path.isfile(path)


def resolve_relative(
    importer: Path, specifier: str, module_resolution: str, esm: bool, allow_js: bool, exists=_is_file
) -> Resolution:
    """``exists(path: str)``: callers with a known file set pass a set lookup (no stat calls)."""
    base = os.path.normpath(os.path.join(os.path.dirname(importer), specifier))  # '../x' names the indexed file
    strict_esm = module_resolution in ("node16", "nodenext") and esm
    for candidate in _candidates(base, allow_js, extensionless_ok=not strict_esm):
        if exists(candidate):
            return Resolution(Path(candidate))
    if strict_esm:
        # extensionless in ESM under NodeNext: TypeScript wants the emitted extension
        for candidate in _candidates(base, allow_js, extensionless_ok=True):
            if exists(candidate):
                rel = os.path.basename(candidate)
                for ts_ext, js_ext in ((".tsx", ".js"), (".ts", ".js"), (".mts", ".mjs"), (".cts", ".cjs")):
                    if rel.endswith(ts_ext) and not rel.endswith(".d" + ts_ext):
                        suggested = specifier.rstrip("/")
                        if rel.startswith("index.") and os.path.dirname(candidate) == base:
                            suggested += "/index"
                        return Resolution(
                            None, "needs an explicit file extension under NodeNext/Node16 ESM", suggested + js_ext
                        )
                return Resolution(None, "needs an explicit file extension under NodeNext/Node16 ESM")
    return Resolution(None, "no such file")


def resolve_python_relative(importer: Path, specifier: str) -> Path | None:
    """'.models' from app/routers/x.py → app/routers/models.py (or its package's __init__.py,
    or the package directory for a bare '.'); None when nothing is there."""
    dots = len(specifier) - len(specifier.lstrip("."))
    base = importer.parent
    for _ in range(dots - 1):
        base = base.parent
    rest = specifier[dots:]
    target = base / rest.replace(".", "/") if rest else base
    if target.with_suffix(".py").is_file():
        return target.with_suffix(".py")
    if (target / "__init__.py").is_file():
        return target / "__init__.py"
    return target if not rest and target.is_dir() else None


def match_paths(specifier: str, paths: dict, base: Path) -> list[Path] | None:
    """Targets of a tsconfig `paths` entry matching the specifier (None when no key matches)."""
    best = None
    for key, targets in paths.items():
        if not isinstance(targets, list):
            continue
        if "*" in key:
            prefix, _, suffix = key.partition("*")
            if (
                specifier.startswith(prefix)
                and specifier.endswith(suffix)
                and len(specifier) >= len(prefix) + len(suffix)
            ):
                star = specifier[len(prefix) : len(specifier) - len(suffix) if suffix else None]
                if best is None or len(prefix) > best[0]:
                    best = (len(prefix), [base / t.replace("*", star) for t in targets if isinstance(t, str)])
        elif key == specifier:
            return [base / t for t in targets if isinstance(t, str)]
    return best[1] if best else None


@lru_cache(maxsize=4096)
def _read_manifest(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def installed_manifest(package_dir: Path) -> dict | None:
    return _read_manifest(package_dir / "package.json")


def _key_matches(key: str, specifier: str) -> bool:
    """A package.json exports/imports key: exact, `*` pattern, or a legacy trailing-slash folder."""
    if key == specifier:
        return True
    if "*" in key:
        prefix, _, suffix = key.partition("*")
        return specifier.startswith(prefix) and specifier.endswith(suffix)
    return key.endswith("/") and specifier.startswith(key)


def exports_allow(exports: object, subpath: str) -> bool | None:
    """Whether a package's `exports` map exposes ``./subpath`` (None: no exports map at all)."""
    if isinstance(exports, (str, list)):
        return subpath == "."  # sugar: only the main entry
    if not isinstance(exports, dict):
        return None  # none, or not a valid exports value (a number, a boolean): nothing to hold the import to
    if not any(k.startswith(".") for k in exports):
        return subpath == "."  # conditions only (sugar): only the main entry
    return any(value is not None and _key_matches(key, subpath) for key, value in exports.items())


def imports_allow(imports: object, specifier: str) -> bool:
    """Whether a package.json `imports` map has a key for a `#specifier`."""
    return isinstance(imports, dict) and any(_key_matches(key, specifier) for key in imports)


_SEGMENT = re.compile(r"^(@[^/]+/[^/]+|[^/]+)(/.*)?$")


def split_package(specifier: str) -> tuple[str, str]:
    """'@scope/pkg/sub/x' → ('@scope/pkg', './sub/x'); 'pkg' → ('pkg', '.')."""
    m = _SEGMENT.match(specifier)
    if not m:
        return specifier, "."
    return m.group(1), "." + (m.group(2) or "")
