"""Names and module style against the project's own conventions (rule family 4, FA4xx).

Only where the evidence is strong — a clear majority (at least 80% of at least 8 names of that
kind, or 5 files) — and never as more than information/hint, because conventions are advice:

* FA401 — a function, type or file name whose case differs from the project's majority;
* FA402 — ``require`` in an ES-module package file, or ``import``/``export`` statements in a
  CommonJS ``.js``/``.cjs`` file that Node will run as is (TypeScript files compile either way).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from ..context.conventions import name_case
from ..context.parsing import FileSummary
from ..context.workspace import WorkspaceContext
from ..findings import Finding, Range, Severity

CODE_NAMING = "FA401"
CODE_MODULE_STYLE = "FA402"
MIN_SHARE = 0.8
MIN_NAMES = 8
MIN_FILES = 5

_KIND_VOTE = {"function": "naming.functions", "class": "naming.types", "interface": "naming.types",
              "type": "naming.types", "enum": "naming.types", "component": "naming.components"}


def convert(name: str, case: str) -> str:
    """'get_user' → 'getUser' (camelCase) and so on: the name the convention asks for."""
    parts = [p for p in re.split(r"[_\-]+|(?<=[a-z0-9])(?=[A-Z])", name.strip("_")) if p]
    lower = [p.lower() for p in parts]
    if case == "camelCase":
        return lower[0] + "".join(p.capitalize() for p in lower[1:])
    if case == "PascalCase":
        return "".join(p.capitalize() for p in lower)
    if case == "snake_case":
        return "_".join(lower)
    if case == "kebab-case":
        return "-".join(lower)
    if case == "SCREAMING_SNAKE_CASE":
        return "_".join(p.upper() for p in lower)
    return name


class ConventionRules:
    def __init__(self, ctx: WorkspaceContext):
        self.ctx = ctx

    def _conventions(self):
        return self.ctx.conventions()  # cached by the context

    def check(self, path: Path, summary: FileSummary) -> list[Finding]:
        family = "python" if summary.language == "python" else "typescript"
        votes = self._conventions().get(family, {})
        findings: list[Finding] = []
        for symbol in summary.symbols:
            vote = votes.get(_KIND_VOTE.get(symbol.kind, ""))
            if vote is None or vote.share < MIN_SHARE or vote.total < MIN_NAMES:
                continue
            case = name_case(symbol.name)
            if case is not None and case != vote.value:
                findings.append(Finding(
                    str(path), Range(symbol.line, 0, symbol.line, 0), Severity.INFORMATION, CODE_NAMING,
                    f"'{symbol.name}' is {case}; this project names {_KIND_VOTE[symbol.kind].split('.')[1]} in "
                    f"{vote.value} ({round(vote.share * 100)}% of {vote.total}): '{convert(symbol.name, vote.value)}'",
                ))
        files_vote = votes.get("naming.files")
        base = posixpath.basename(self.ctx.rel(path)).split(".", 1)[0]
        is_component = summary.language == "tsx" and any(s.kind == "component" for s in summary.symbols)
        if files_vote is not None and not is_component and files_vote.share >= MIN_SHARE and files_vote.total >= MIN_FILES:
            case = name_case(base)
            if case is not None and case != files_vote.value:
                findings.append(Finding(
                    str(path), Range(0, 0, 0, 0), Severity.HINT, CODE_NAMING,
                    f"file name '{base}' is {case}; this project's files are {files_vote.value}: "
                    f"'{convert(base, files_vote.value)}'",
                ))
        if summary.language != "python":
            findings += self._module_style(path, summary)
        return findings

    def _module_style(self, path: Path, summary: FileSummary) -> list[Finding]:
        package = self.ctx.nearest_package(path)
        if package is None:
            return []
        out = []
        esm_file = path.suffix in (".mjs", ".mts") or (package.type == "module" and path.suffix not in (".cjs", ".cts"))
        if esm_file and summary.style.esm:
            for record in summary.imports:
                if record.kind == "require":
                    s = record.span
                    out.append(Finding(str(path), Range(s.line, s.column, s.end_line, s.end_column), Severity.INFORMATION,
                                       CODE_MODULE_STYLE,
                                       f"require() in an ES-module package ({self.ctx.rel(package.path)} has \"type\": "
                                       f"\"module\"): use import"))
        runs_as_cjs = path.suffix == ".cjs" or (path.suffix == ".js" and package.type == "commonjs")
        if runs_as_cjs and summary.style.esm and not self._bundled():
            first = next((r for r in summary.imports if r.kind in ("static", "reexport")), None)
            if first is not None:
                s = first.span
                out.append(Finding(str(path), Range(s.line, s.column, s.end_line, s.end_column), Severity.INFORMATION,
                                   CODE_MODULE_STYLE,
                                   f"import/export in a CommonJS file ({self.ctx.rel(package.path)} has no "
                                   "\"type\": \"module\"): Node will not run it as is; use require or .mjs"))
        return out

    def _bundled(self) -> bool:
        """Bundler-based apps (Next.js, Vite …) transpile .js modules: no CommonJS complaint there."""
        declared = self.ctx.declared_packages()
        return bool(declared & {"next", "vite", "webpack", "react-scripts", "@remix-run/dev", "nuxt", "astro", "parcel"})
