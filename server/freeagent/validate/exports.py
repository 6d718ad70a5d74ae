"""Named imports against what the workspace file really exports (rule family 2, FA2xx).

``import { foo } from './x'`` where ``./x`` — resolved exactly as the imports rules resolve it,
through ``export *`` and ``export { a } from`` chains — has no export ``foo`` is an invented
symbol (FA201), reported with the closest real names. ``import x from './y'`` where ``./y``
has no default export is FA202. Python ``from .models import Item`` is checked against the
module's top-level names (and the package's submodules). Modules whose exports cannot be known
statically (CommonJS ``module.exports``, ``export =``) are not judged.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..context.parsing import FileSummary
from ..context.workspace import WorkspaceContext
from ..findings import CODE_NAME_NOT_EXPORTED, CODE_NO_DEFAULT_EXPORT, Finding, Range, Severity
from .fixes import nearest_names
from .resolve import match_paths, resolve_python_relative, resolve_relative


class ExportRules:
    def __init__(self, ctx: WorkspaceContext):
        self.ctx = ctx
        # one Validator serves one check: resolutions and export sets hold for its duration
        self._resolved: dict[tuple[str, str], Path | None] = {}  # (importer's folder, specifier)
        self._aliases: dict[tuple[Path | None, str], Path | None] = {}
        self._exported: dict[Path, set[str] | None] = {}
        self._python_bound: dict[Path, set[str] | None] = {}  # a Python module's top-level names (as saved)

    def _summary(self, path: Path | None) -> FileSummary | None:
        if path is None or not self.ctx.contains(path):
            return None
        return self.ctx.index.files.get(self.ctx.rel(path))

    def _resolve(self, importer: Path, spec: str) -> Path | None:
        key = (os.path.dirname(str(importer)), spec)  # a string: hashing a new Path per import costs
        if key not in self._resolved:
            if spec.startswith("."):
                self._resolved[key] = self._resolve_uncached(importer, spec)
            else:  # an alias means one thing per tsconfig: an Nx repository's files share `@ghostfolio/…`
                config = self.ctx.nearest_tsconfig(importer)
                alias = (config.path if config is not None else None, spec)
                if alias not in self._aliases:
                    self._aliases[alias] = self._resolve_uncached(importer, spec)
                self._resolved[key] = self._aliases[alias]
        return self._resolved[key]

    def _resolve_uncached(self, importer: Path, spec: str) -> Path | None:
        config = self.ctx.nearest_tsconfig(importer)
        resolution = config.module_resolution if config is not None else "bundler"
        if spec.startswith("."):
            # extension rules are the imports family's business: resolve leniently here
            return resolve_relative(
                importer,
                spec,
                "bundler" if resolution not in ("node16", "nodenext") else resolution,
                False,
                True,
                self.ctx.file_exists,
            ).path
        paths = config.option("paths") if config is not None else None
        paths_base = config.paths_base if config is not None else None
        if isinstance(paths, dict) and paths_base is not None:
            for target in match_paths(spec, paths, paths_base) or []:
                found = resolve_relative(
                    target.parent / "x", "./" + target.name, "bundler", False, True, self.ctx.file_exists
                ).path
                if found is not None:
                    return found
        return None

    def exported(self, path: Path, seen: set[Path] | None = None) -> set[str] | None:
        """Names a module exports (None when they cannot be known statically)."""
        if seen is None:
            if path not in self._exported:
                self._exported[path] = self._exported_uncached(path, set())
            return self._exported[path]
        return self._exported_uncached(path, seen)

    def _exported_uncached(self, path: Path, seen: set[Path]) -> set[str] | None:
        if path in seen:
            return set()
        seen.add(path)
        summary = self._summary(path)
        if summary is None:
            return None
        if any(e.kind == "commonjs" for e in summary.exports) or summary.has_errors:
            return None  # not statically known, or a parse that cannot be trusted to be complete
        names = {e.name for e in summary.exports if e.kind in ("local", "default", "reexport")}
        for e in summary.exports:
            if e.kind == "reexport-all" and e.source:
                target = self._resolve(path, e.source)
                inner = self.exported(target, seen) if target is not None else None
                if inner is None:
                    return None  # re-exports a package or an unknowable module: anything goes
                names |= {n for n in inner if n != "default"}
        return names

    def check(self, path: Path, summary: FileSummary) -> list[Finding]:
        if summary.language == "python":
            return self._python(path, summary)
        findings = []
        for record in summary.imports:
            if record.kind not in ("static", "reexport") or not record.names or "*" in record.names:
                continue
            target = self._resolve(path, record.specifier)
            if target is None or target.suffix == ".json":
                continue
            names = self.exported(target)
            if names is None:
                continue
            span = record.span
            where = Range(span.line, span.column, span.end_line, span.end_column)
            for name in record.names:
                if name in names:
                    continue
                if name == "default":
                    findings.append(
                        Finding(
                            str(path),
                            where,
                            Severity.ERROR,
                            CODE_NO_DEFAULT_EXPORT,
                            f"'{record.specifier}' has no default export",
                        )
                    )
                    continue
                close = nearest_names(name, sorted(names - {"default"}), limit=3)
                hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                findings.append(
                    Finding(
                        str(path),
                        where,
                        Severity.ERROR,
                        CODE_NAME_NOT_EXPORTED,
                        f"'{name}' is not exported by '{record.specifier}'{hint}",
                    )
                )
        return findings

    def _python_names(self, module: Path) -> set[str] | None:
        """The names a workspace module binds at its top level (``import a as b`` binds ``b``;
        every branch of an ``if``/``try``), read as :func:`..context.pynames.module_surface` reads
        an installed one; None when any name may exist (a module ``__getattr__`` that forwards,
        ``globals()`` writes) or the file does not parse."""
        from ..context.pynames import module_surface

        if module not in self._python_bound:
            surface = module_surface(module, (sys.version_info[0], sys.version_info[1]))
            self._python_bound[module] = (
                None if surface is None or surface.open else surface.names | set(surface.declared_all or ())
            )
        return self._python_bound[module]

    def _python(self, path: Path, summary: FileSummary) -> list[Finding]:
        findings = []
        for record in summary.imports:
            spec = record.specifier
            if not record.names or "*" in record.names:
                continue
            if spec.startswith("."):
                module = resolve_python_relative(path, spec)
            else:  # `from app.models import Item`: the workspace's own package, by its absolute name
                module = self.ctx.python_local_module(path, spec)
            if module is None:
                continue
            if module.is_dir():
                module = module / "__init__.py"
            summary_target = self._summary(module)
            if summary_target is None:
                continue
            if any(n == "*" for r in summary_target.imports for n in r.names):
                continue  # a star import makes the module's names unknowable
            available = self._python_names(module)
            if available is None:
                continue
            package_dir = module.parent if module.name == "__init__.py" else None
            span = record.span
            for name in record.names:
                if name in available:
                    continue
                if package_dir is not None and (
                    (package_dir / f"{name}.py").is_file() or (package_dir / name / "__init__.py").is_file()
                ):
                    continue
                close = nearest_names(name, sorted(available), limit=3)
                hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                findings.append(
                    Finding(
                        str(path),
                        Range(span.line, span.column, span.end_line, span.end_column),
                        Severity.ERROR,
                        CODE_NAME_NOT_EXPORTED,
                        f"'{name}' is not defined in '{spec}'{hint}",
                    )
                )
        return findings
