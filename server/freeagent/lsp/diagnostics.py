"""Diagnostics: the engine's findings shown in the editor, pushed or pulled.

Owns publishing (``textDocument/publishDiagnostics`` — never of an older document version, and
never when the client pulls), the pull requests (``textDocument/diagnostic``,
``workspace/diagnostic``), clearing a removed folder's diagnostics, and what a change in a
folder means for the diagnostics of its other documents (:func:`after_change`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from ..languages import CODE_SUFFIXES
from .convert import path_to_uri, to_diagnostic

if TYPE_CHECKING:
    from ..context.workspace import Change
    from .server import Folder, FreeAgentServer

OPTIONS = types.DiagnosticOptions(identifier="freeagent", inter_file_dependencies=True, workspace_diagnostics=True)

# what a change of these kinds of facts can change in the findings of other open documents
_AFFECTS_OTHERS = {"packages", "tsconfig", "python", "sources", "settings"}


def pull_mode(ls: FreeAgentServer) -> bool:
    """The client pulls diagnostics (LSP 3.17 textDocument/diagnostic): never push then."""
    td = ls.client_capabilities.text_document
    return bool(td and td.diagnostic)


def publish(ls: FreeAgentServer, folder: Folder, files: set[str]) -> None:
    if pull_mode(ls):
        if files:
            ws = ls.client_capabilities.workspace
            if ws and ws.diagnostics and ws.diagnostics.refresh_support:
                ls.spawn(ls.workspace_diagnostic_refresh_async(None), "diagnostic refresh")
        return
    by_file = folder.engine.problems_by_file()
    for file in sorted(files):
        findings = by_file.get(file, [])
        if not findings and not ls.published.get(file):
            continue
        uri = path_to_uri(file)
        doc = ls.workspace.text_documents.get(uri)
        if doc is not None and not folder.engine.current(file, doc.source):
            continue  # of an older version: the pending update of this document publishes
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri,
                diagnostics=[to_diagnostic(f) for f in findings],
                version=doc.version if doc is not None else None,
            )
        )
        ls.published[file] = len(findings)


def clear(ls: FreeAgentServer, folder: Folder) -> None:
    """A folder left the workspace: its diagnostics go with it."""
    for file in folder.engine.problems_by_file():
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=path_to_uri(file), diagnostics=[]))
        ls.published.pop(file, None)


def after_change(ls: FreeAgentServer, folder: Folder, change: Change, what: str, validated: Path | None = None) -> None:
    """``validated``: a document the caller has just validated (not checked a second time)."""
    if change.kinds:
        ls.log("debug", f"{what}: updated {', '.join(sorted(change.kinds))} in {change.seconds * 1000:.1f} ms")
    if change.kinds & _AFFECTS_OTHERS:
        # what other open documents import may have appeared or gone: check them again
        ls.spawn(revalidate_open(ls, folder, skip=validated), f"revalidate open documents in {folder.path}")
    if change.problem_files:
        publish(ls, folder, change.problem_files)
    if "specs" in change.kinds:
        ls.spawn(validate_specs(ls, folder), f"validate specs in {folder.path}")


async def revalidate_open(ls: FreeAgentServer, folder: Folder, skip: Path | None = None) -> None:
    changed: set[str] = set()
    for path in list(folder.context.overlays):
        if path == skip:
            continue
        changed |= await ls.in_worker(folder.engine.validate_file, path)
    if changed:
        publish(ls, folder, changed)


async def validate_specs(ls: FreeAgentServer, folder: Folder) -> None:
    """OpenAPI schema validation is slow (jsonschema): run it after indexing, off the loop."""
    changed = await ls.in_worker(folder.engine.validate_specs)
    if changed:
        publish(ls, folder, changed)


async def document_diagnostic(
    ls: FreeAgentServer, params: types.DocumentDiagnosticParams
) -> types.RelatedFullDocumentDiagnosticReport:
    path, folder = ls.folder_of(params.text_document.uri)
    if folder is None or path is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    await folder.ready.wait()
    pending = ls.pending.get(params.text_document.uri)
    if pending is not None:
        await asyncio.wait([pending])  # the debounced update of this document first
    if path.suffix in CODE_SUFFIXES:
        await ls.in_worker(folder.engine.validate_file, path)
    findings = folder.engine.problems_by_file().get(str(path), [])
    return types.RelatedFullDocumentDiagnosticReport(items=[to_diagnostic(f) for f in findings])


async def workspace_diagnostic(
    ls: FreeAgentServer, params: types.WorkspaceDiagnosticParams
) -> types.WorkspaceDiagnosticReport:
    items: list[types.WorkspaceDocumentDiagnosticReport] = []
    for folder in list(ls.folders.values()):
        await folder.ready.wait()
        for file, findings in sorted(folder.engine.problems_by_file().items()):
            doc = ls.workspace.text_documents.get(path_to_uri(file))
            items.append(
                types.WorkspaceFullDocumentDiagnosticReport(
                    uri=path_to_uri(file),
                    items=[to_diagnostic(f) for f in findings],
                    version=doc.version if doc is not None else None,
                )
            )
    return types.WorkspaceDiagnosticReport(items=items)
