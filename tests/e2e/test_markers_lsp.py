"""Custom task markers (``freeagent.markers``) end to end: listed, the document edited, resolved.

The document changes between listing and resolving, so resolve has to find the marker again —
with the markers the user configured, not the defaults.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from tests.helpers import EXAMPLE, copy_fixture

from .conftest import folder, wait_until
from .test_codeactions_lsp import apply, at_line


async def open_gen_task(client: LanguageClient, root: Path) -> tuple[str, str, int]:
    """Start the session on the example with its TODO rewritten as `// GEN: …` and open that
    document: its URI, its text and the marker's line."""
    path = root / "src" / "routes" / "tasks.ts"
    text = path.read_text().replace("// TODO: list comments for a task", "// GEN: list comments for a task")
    assert "// GEN: list comments for a task" in text
    await client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"), workspace_folders=[folder(root)])
    )
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="typescript", version=1, text=text)
        )
    )
    return uri, text, next(i for i, ln in enumerate(text.split("\n")) if "GEN: list comments for a task" in ln)


async def test_custom_marker_survives_an_edit_between_list_and_resolve(client: LanguageClient, tmp_path: Path):
    client.set_configuration({"markers": ["GEN"]}, section="freeagent")
    uri, text, line = await open_gen_task(client, copy_fixture(EXAMPLE, tmp_path))
    actions = await client.text_document_code_action_async(at_line(uri, line))
    spec = [a for a in actions if a.title.startswith("Generate handler for listComments")]
    assert spec, [a.title for a in actions]

    # the user types above the marker and below it before choosing the action
    edited = "// a note\n// another\n" + text.rstrip("\n") + "\n\nexport const LAST_LINE = 1;\n"
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
        )
    )
    resolved = await client.code_action_resolve_async(spec[0])
    (change,) = resolved.edit.document_changes
    assert change.text_document.version == 2
    new = apply(edited, resolved.edit)
    assert "GEN: list comments for a task" not in new, "the marker is replaced, not left behind"
    lines = new.split("\n")
    inserted = next(i for i, ln in enumerate(lines) if "'/:taskId/comments'" in ln)
    last = next(i for i, ln in enumerate(lines) if "LAST_LINE" in ln)
    assert line + 2 <= inserted < last, "the code goes where the marker was, not at the end of the file"


async def test_the_workspace_settings_file_is_read_and_followed(client: LanguageClient, tmp_path: Path):
    root = copy_fixture(EXAMPLE, tmp_path)
    settings = root / ".freeagent.json"
    settings.write_text('{\n  // the team\'s marker\n  "markers": ["GEN"],\n}\n')
    uri, _, line = await open_gen_task(client, root)
    titles = [a.title for a in await client.text_document_code_action_async(at_line(uri, line))]
    assert "Generate handler for listComments (GET /tasks/{taskId}/comments)" in titles

    # a bad value: reported on the file's key, the marker from the file stays
    settings.write_text('{\n  "markers": ["GEN"],\n  "changeDebounceMs": -1\n}\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=settings.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_until(lambda: client.diagnostics.get(settings.as_uri()))
    (diagnostic,) = client.diagnostics[settings.as_uri()]
    assert diagnostic.code == "FA007" and diagnostic.range.start.line == 2
    assert "freeagent.changeDebounceMs" in diagnostic.message

    # the file changes its markers: the TODO is a task again, the GEN line no longer is
    settings.write_text('{"markers": ["TODO"]}')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=settings.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_until(lambda: len(client.diagnostics.get(settings.as_uri(), [None])) == 0)
    titles = [a.title for a in await client.text_document_code_action_async(at_line(uri, line))]
    assert not any("listComments" in t for t in titles), titles
