"""Spec-first code actions end to end: list at a TODO, resolve lazily, apply, check the text."""

from __future__ import annotations

from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from freeagent.edits import TextEdit, apply_edits
from tests.helpers import EXAMPLE, copy_fixture

from .conftest import SERVER, folder, open_document, read_code_actions_as_lsp_says, wait_until


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    read_code_actions_as_lsp_says(lsp_client)

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(params: types.RegistrationParams):
        return None  # accept the file watchers, as VS Code does

    yield lsp_client
    await lsp_client.shutdown_session()


async def open_example(client: LanguageClient, tmp_path: Path, rel: str):
    root = copy_fixture(EXAMPLE, tmp_path)
    await client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"), workspace_folders=[folder(root)])
    )
    path = root / rel
    text = path.read_text()
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="typescript", version=1, text=text)
        )
    )
    return uri, text


def at_line(uri: str, line: int) -> types.CodeActionParams:
    return types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=line, character=3), end=types.Position(line=line, character=3)),
        context=types.CodeActionContext(diagnostics=[]),
    )


def apply(text: str, edit: types.WorkspaceEdit) -> str:
    (change,) = edit.document_changes
    return apply_edits(
        text,
        [
            TextEdit(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character, e.new_text)
            for e in change.edits
        ],
    )


async def test_list_resolve_apply_handler(client, tmp_path):
    uri, text = await open_example(client, tmp_path, "src/routes/tasks.ts")
    line = next(i for i, ln in enumerate(text.split("\n")) if "TODO: list comments for a task" in ln)
    actions = await client.text_document_code_action_async(at_line(uri, line))
    titles = [a.title for a in actions]
    assert titles[0] == "Generate handler for listComments (GET /tasks/{taskId}/comments)"
    assert titles[-1] == "Generate with claude-sonnet-5-5 instead: list comments for a task"
    assert all(a.edit is None for a in actions), "edits are computed lazily in codeAction/resolve"
    resolved = await client.code_action_resolve_async(actions[0])
    (change,) = resolved.edit.document_changes
    assert change.text_document.version == 1 and change.text_document.uri == uri
    new = apply(text, resolved.edit)
    assert "TODO: list comments for a task" not in new
    assert "tasksRouter.get('/:taskId/comments', async (req, res, next) => {" in new
    assert "listCommentsImpl" in new


async def test_no_actions_away_from_a_marker_or_without_a_spec_match(client, tmp_path):
    uri, text = await open_example(client, tmp_path, "src/routes/tasks.ts")
    assert await client.text_document_code_action_async(at_line(uri, 0)) in (None, [], ())
    lines = text.split("\n")
    lines.insert(1, "// TODO: compute fibonacci numbers")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="\n".join(lines))],
        )
    )
    # no spec covers it: the only action is the model's
    (action,) = await client.text_document_code_action_async(at_line(uri, 1))
    assert action.title == "Generate with claude-sonnet-5-5: compute fibonacci numbers"
    assert action.command.command == "freeagent.generate" and action.edit is None


async def test_resolve_after_an_edit_uses_the_current_document(client, tmp_path):
    uri, text = await open_example(client, tmp_path, "src/api/client.ts")
    line = next(i for i, ln in enumerate(text.split("\n")) if "TODO: create a comment on a task" in ln)
    actions = await client.text_document_code_action_async(at_line(uri, line))
    action = next(a for a in actions if a.title.startswith("Generate client for createComment"))
    edited = "// a new first line\n" + text  # the marker moved down one line
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
        )
    )
    resolved = await client.code_action_resolve_async(action)
    (change,) = resolved.edit.document_changes
    assert change.text_document.version == 2
    new = apply(edited, resolved.edit)
    assert new.startswith("// a new first line\n") and "TODO: create a comment" not in new
    assert "export async function createComment(" in new


async def test_workspace_spec_is_loaded_reported_and_reloaded(client, tmp_path):
    """A workspace's own openapi.yaml: its operations become actions; breaking it is a
    diagnostic on the file while the bundled operations keep working; fixing it clears it."""
    from .conftest import wait_until

    root = copy_fixture(EXAMPLE, tmp_path)
    spec = root / "openapi.yaml"
    good = (
        "openapi: 3.1.0\ninfo: {title: Inventory, version: '1'}\npaths:\n  /widgets/{widgetId}:\n"
        "    get:\n      operationId: getWidget\n      summary: Get a widget\n      parameters:\n"
        "        - {name: widgetId, in: path, required: true, schema: {type: string}}\n"
        "      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object}}}}\n"
    )
    spec.write_text(good)
    await client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"), workspace_folders=[folder(root)])
    )
    source = root / "src" / "widgets.ts"
    text = "// TODO: get a widget\n"
    uri = open_document(client, source, text)
    actions = await client.text_document_code_action_async(at_line(uri, 0))
    assert any("getWidget (GET /widgets/{widgetId})" in a.title for a in actions)

    spec.write_text(good.replace("summary: Get a widget", "summary: [Get a widget"))
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=spec.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_until(lambda: client.diagnostics.get(spec.as_uri()))
    (diagnostic,) = client.diagnostics[spec.as_uri()]
    assert diagnostic.code == "FA010" and diagnostic.range.start.line >= 6
    assert diagnostic.code_description.href.endswith("/docs/diagnostics.md#fa010")  # the code links to its docs
    actions = await client.text_document_code_action_async(at_line(uri, 0))
    assert not any("getWidget" in a.title for a in actions or [])

    spec.write_text(good)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=spec.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_until(lambda: spec.as_uri() in client.diagnostics and len(client.diagnostics[spec.as_uri()]) == 0)


async def test_source_action_generates_every_missing_client(client, tmp_path):
    uri, text = await open_example(client, tmp_path, "src/api/client.ts")
    params = at_line(uri, 0)
    params.context = types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.Source])
    actions = await client.text_document_code_action_async(params)
    (action,) = [a for a in actions if a.kind.startswith("source")]
    assert action.title.startswith("Generate clients for ") and "operations missing from this file" in action.title
    count = int(action.title.split()[3])
    assert count >= 30
    resolved = await client.code_action_resolve_async(action)
    new = apply(text, resolved.edit)
    assert new.count("\nexport async function ") == count
    assert new.startswith(text.split("\n")[0])  # the file's own code is kept
    again = await client.text_document_code_action_async(params)
    assert any(a.title == action.title for a in again)  # the document is unchanged until the client applies


async def test_quick_fix_for_an_unknown_api_path_clears_the_diagnostic(client, tmp_path):
    """FA301's fixes ride on the diagnostic's data; the preferred one rewrites only the path."""
    from .conftest import wait_until

    root = copy_fixture(EXAMPLE, tmp_path)
    await client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"), workspace_folders=[folder(root)])
    )
    text = "declare const base: string, id: string;\nexport const r = fetch(`${base}/tasks/${id}/coments?limit=5`);\n"
    uri = open_document(client, root / "src" / "probe.ts", text)
    await wait_until(lambda: any(d.code == "FA301" for d in client.diagnostics.get(uri, [])))
    (diagnostic,) = [d for d in client.diagnostics[uri] if d.code == "FA301"]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]),
        )
    )
    (action,) = [a for a in actions if a.is_preferred]
    assert action.kind == types.CodeActionKind.QuickFix and action.title == "Change path to '/tasks/{taskId}/comments'"
    fixed = apply_edits(
        text,
        [
            TextEdit(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character, e.new_text)
            for e in action.edit.changes[uri]
        ],
    )
    assert fixed.endswith("fetch(`${base}/tasks/${id}/comments?limit=5`);\n")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    await wait_until(
        lambda: uri in client.diagnostics and not [d for d in client.diagnostics[uri] if d.source == "freeagent"]
    )


async def _resolve_handler_without_auth_module(client, tmp_path, capabilities):
    root = copy_fixture(EXAMPLE, tmp_path)
    (root / "src" / "auth.ts").unlink()  # a project without credential checks yet
    await client.initialize_session(types.InitializeParams(capabilities=capabilities, workspace_folders=[folder(root)]))
    path = root / "src/routes/tasks.ts"
    text = path.read_text()
    uri = open_document(client, path, text)
    line = next(i for i, ln in enumerate(text.split("\n")) if "TODO: list comments for a task" in ln)
    actions = await client.text_document_code_action_async(at_line(uri, line))
    resolved = await client.code_action_resolve_async(actions[0])
    return root, uri, text, resolved.edit


async def test_a_secured_handler_creates_the_credential_checks_once(client, tmp_path):
    root, uri, text, edit = await _resolve_handler_without_auth_module(
        client, tmp_path, client_capabilities("visual-studio-code")
    )
    create, fill, change = edit.document_changes
    auth_uri = (root / "src" / "auth.ts").as_uri()
    assert isinstance(create, types.CreateFile) and create.uri == auth_uri
    assert create.options is not None and not create.options.overwrite and not create.options.ignore_if_exists
    assert fill.text_document.uri == auth_uri and "export async function verifyBearer" in fill.edits[0].new_text
    assert "return false;" in fill.edits[0].new_text  # fails closed until the project implements it
    assert change.text_document.uri == uri and change.text_document.version == 1
    new = apply(text, types.WorkspaceEdit(document_changes=[change]))
    assert "import { checkBearer } from '../auth.js';" in new
    assert "if (!(await checkBearer(req.headers['authorization']))) {" in new
    assert "res.setHeader('WWW-Authenticate', 'Bearer');" in new


async def test_without_file_creation_the_checks_go_into_the_file(client, tmp_path):
    capabilities = client_capabilities("visual-studio-code")
    capabilities.workspace.workspace_edit.resource_operations = []
    _root, _uri, text, edit = await _resolve_handler_without_auth_module(client, tmp_path, capabilities)
    new = apply(text, edit)  # one document change only
    assert "export async function verifyBearer(_token: string): Promise<boolean> {" in new
    assert "from '../auth.js'" not in new and "await checkBearer(" in new


async def test_a_resolved_action_is_recorded_offered_and_its_command_records_it_applied(client, tmp_path):
    from freeagent.store import SqliteStore, store_path

    uri, text = await open_example(client, tmp_path, "src/routes/tasks.ts")
    line = next(i for i, ln in enumerate(text.split("\n")) if "TODO: list comments for a task" in ln)
    (first, *_) = await client.text_document_code_action_async(at_line(uri, line))
    resolved = await client.code_action_resolve_async(first)
    assert resolved.edit is not None and resolved.command.command == "freeagent.applied"
    (arguments,) = resolved.command.arguments
    store = SqliteStore(store_path(tmp_path / "taskboard"))
    rec = store.get(arguments["id"])
    assert (rec.outcome, rec.strategy, rec.operation, rec.surface) == ("offered", "spec", "listComments", "editor")
    # what a client does after applying the edit (LSP: the edit first, then the command)
    done = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=resolved.command.command, arguments=resolved.command.arguments)
    )
    assert done == {"recorded": True, "id": arguments["id"]}
    rec = store.get(arguments["id"])
    assert rec.outcome == "applied" and rec.inserted_lines == rec.code.splitlines() and rec.outcome_at
    # saved with the handler in it: its survival is measured on the saved file
    new = apply(text, resolved.edit)
    path = tmp_path / "taskboard" / "src" / "routes" / "tasks.ts"
    path.write_text(new)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    survival = await wait_until(lambda: store.get(arguments["id"]).survival)
    assert [(event, share) for _, event, share in survival] == [("save", 1.0)]
