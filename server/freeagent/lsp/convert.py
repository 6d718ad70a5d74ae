"""Engine values ↔ LSP types: Findings to Diagnostics, engine text edits to LSP edits, paths to URIs."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from ..edits import TextEdit
from ..findings import CODE_TITLES, Finding, Severity, docs_url

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFORMATION: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}

_LOG_TYPES = {
    "error": types.MessageType.Error,
    "warning": types.MessageType.Warning,
    "info": types.MessageType.Info,
    "debug": types.MessageType.Log,
}
LOG_ORDER = ["error", "warning", "info", "debug"]


def log_type(level: str) -> types.MessageType:
    return _LOG_TYPES[level]


def to_diagnostic(finding: Finding) -> types.Diagnostic:
    r = finding.range
    return types.Diagnostic(
        range=types.Range(
            start=types.Position(line=r.line, character=r.character),
            end=types.Position(line=r.end_line, character=r.end_character),
        ),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=docs_url(finding.code)) if finding.code in CODE_TITLES else None,
        source=finding.source,
        # quick fixes travel with the diagnostic, so codeAction needs no second computation
        data={"fixes": [f.to_json() for f in finding.fixes]} if finding.fixes else None,
    )


def to_text_edit(edit: TextEdit | dict) -> types.TextEdit:
    """An engine edit, or its JSON form (as a quick fix carries it in a diagnostic's data)."""
    if isinstance(edit, dict):
        start, end = edit["range"]["start"], edit["range"]["end"]
        return types.TextEdit(
            range=types.Range(start=types.Position(**start), end=types.Position(**end)), new_text=edit["newText"]
        )
    return types.TextEdit(
        range=types.Range(
            start=types.Position(line=edit.line, character=edit.character),
            end=types.Position(line=edit.end_line, character=edit.end_character),
        ),
        new_text=edit.new_text,
    )


def versioned_edit(
    uri: str, version: int | None, edits: list[TextEdit], creates: dict[str, list[TextEdit]] | None = None
) -> types.WorkspaceEdit:
    """Edits of one document, valid only at ``version`` (a client refuses them if it moved on),
    after creating the files in ``creates`` (path -> the edits that fill it). A file to create
    that exists by then makes the client refuse the whole edit — nothing is half applied."""
    changes: list = []
    for path, fill in (creates or {}).items():
        new = path_to_uri(path)
        changes.append(
            types.CreateFile(uri=new, options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False))
        )
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=new, version=None),
                edits=[to_text_edit(e) for e in fill],
            )
        )
    changes.append(
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
            edits=[to_text_edit(e) for e in edits],
        )
    )
    return types.WorkspaceEdit(document_changes=changes)


def uri_to_path(uri: str) -> Path | None:
    path = to_fs_path(uri)
    return Path(path).resolve() if path else None


def path_to_uri(path: Path | str) -> str:
    return from_fs_path(str(path)) or ""
