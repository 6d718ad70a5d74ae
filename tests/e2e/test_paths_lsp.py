"""The server refuses requests about documents outside its workspace folders with an LSP error
(a symlink pointing out counts as outside), proposes no edit there, and keeps serving."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient, client_capabilities

from tests.helpers import EXAMPLE, copy_fixture

from .conftest import folder
from .test_codeactions_lsp import at_line


def open_doc(client: LanguageClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="typescript", version=1, text=text)
        )
    )
    return uri


async def test_outside_documents_are_refused_and_the_server_keeps_serving(client: LanguageClient, tmp_path: Path):
    root = copy_fixture(EXAMPLE, tmp_path)
    outside = tmp_path / "outside.ts"
    outside.write_text("// TODO: list comments for a task\n")
    (root / "src" / "link.ts").symlink_to(outside)
    await client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"), workspace_folders=[folder(root)])
    )
    for target in (outside, root / "src" / "link.ts"):
        uri = open_doc(client, target, outside.read_text())
        assert not await client.text_document_code_action_async(at_line(uri, 0))
        forged = types.CodeAction(
            title="Generate types for listComments",
            data={
                "uri": uri,
                "version": 1,
                "operation": "listComments",
                "target": "types",
                "line": 0,
                "task": "list comments for a task",
            },
        )
        with pytest.raises(JsonRpcException, match="is not inside a workspace folder"):
            await client.code_action_resolve_async(forged)
        with pytest.raises(JsonRpcException, match="is not inside a workspace folder"):
            await client.workspace_execute_command_async(
                types.ExecuteCommandParams(
                    command="freeagent.generate", arguments=[{"uri": uri, "task": "list comments", "line": 0}]
                )
            )
    assert outside.read_text() == "// TODO: list comments for a task\n"

    # still serving: a document inside answers
    inside = root / "src" / "routes" / "tasks.ts"
    text = inside.read_text()
    uri = open_doc(client, inside, text)
    line = next(i for i, ln in enumerate(text.split("\n")) if "TODO: list comments for a task" in ln)
    titles = [a.title for a in await client.text_document_code_action_async(at_line(uri, line))]
    assert "Generate handler for listComments (GET /tasks/{taskId}/comments)" in titles
