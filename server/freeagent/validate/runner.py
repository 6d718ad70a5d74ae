"""Which rule families run on a file, and the one entry point the CLI and the server share."""

from __future__ import annotations

from pathlib import Path

from ..context.workspace import WorkspaceContext
from ..findings import Finding
from .api import ApiRules
from .conventions import ConventionRules
from .exports import ExportRules
from .imports import ImportRules


class Validator:
    def __init__(self, ctx: WorkspaceContext, operations=None, workspace_specs: bool = False):
        """``operations``: the spec registry's (API calls are checked against them when given);
        ``workspace_specs``: whether they are the workspace's own (else only the bundled ones)."""
        self.ctx = ctx
        self.imports = ImportRules(ctx)
        self.exports = ExportRules(ctx)
        self.conventions = ConventionRules(ctx)
        self.api = ApiRules(ctx, operations or [], workspace_specs)

    def check_file(self, path: Path) -> list[Finding]:
        """Fast families on an indexed file (its open-document text when it is open)."""
        if not self.ctx.contains(path):
            return []
        summary = self.ctx.index.files.get(self.ctx.rel(path))
        if summary is None:
            return []
        findings = self.imports.check(path, summary) + self.exports.check(path, summary) \
            + self.conventions.check(path, summary) + self.api.check(path, summary)
        return sorted(findings, key=lambda f: (f.range.line, f.range.character, f.code))

    def check_all(self, paths: list[Path] | None = None) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        targets = [self.ctx.root / rel for rel in sorted(self.ctx.index.files)] if paths is None else paths
        for path in targets:
            findings = self.check_file(path)
            if findings:
                out[str(path)] = findings
        return out
