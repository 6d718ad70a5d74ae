"""The LLM fallback in the editor, through the real server process: the code action at a task
no spec covers, the command it runs under cancellable progress, the edit applied — and a
cancelled run that stops the model's request and changes nothing. The model is a fake server on
127.0.0.1 speaking Anthropic's wire format, reached through the real SDK."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from freeagent.edits import TextEdit, apply_edits
from tests.fakes.llm_server import FakeLLMServer, Reply
from tests.helpers import EXAMPLE, copy_fixture

from .conftest import SERVER, folder, open_document, read_code_actions_as_lsp_says, wait_until

GOOD = (
    "```ts\nexport function slugify(title: string): string {\n"
    "  return title.toLowerCase().trim().replace(/[^a-z0-9]+/g, '-');\n}\n```"
)
TASK = "slugify a task title for URLs"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    lsp_client.applied_edits = []
    read_code_actions_as_lsp_says(lsp_client)

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(params: types.RegistrationParams):
        return None

    lsp_client.session_costs = []

    @lsp_client.feature("freeagent/sessionCost")
    def on_cost(params):
        lsp_client.session_costs.append(
            params
            if isinstance(params, dict)
            else {k: getattr(params, k) for k in ("model", "lastCostUsd", "sessionCostUsd", "generations", "state")}
        )

    @lsp_client.feature(types.WORKSPACE_APPLY_EDIT)
    def on_apply(params: types.ApplyWorkspaceEditParams):
        lsp_client.applied_edits.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    yield lsp_client
    await lsp_client.shutdown_session()


@pytest.fixture
def model():
    with FakeLLMServer() as fake:
        yield fake


async def start(client: LanguageClient, tmp_path: Path, model: FakeLLMServer):
    root = copy_fixture(EXAMPLE, tmp_path)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[folder(root)],
            initialization_options={
                "llm": {
                    "baseUrl": model.url,
                    "anthropicApiKey": "test-key",
                    "model": "claude-sonnet-5-5",
                    "typecheck": False,
                    "maxRetries": 0,
                }
            },
        )
    )
    path = root / "src" / "lib" / "slug.ts"
    text = f"// Helpers for URLs.\n\n// TODO: {TASK}\n"
    uri = open_document(client, path, text)
    return uri, text


async def the_action(client: LanguageClient, uri: str) -> types.CodeAction:
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=2, character=3), end=types.Position(line=2, character=3)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    (action,) = [a for a in actions if a.title.startswith("Generate with")]
    return action


async def test_generate_with_a_model_applies_the_checked_code(client, tmp_path, model):
    uri, text = await start(client, tmp_path, model)
    model.script(
        "/v1/messages",
        Reply(text="```ts\nimport slug from 'slugify';\nexport const s = slug;\n```"),
        Reply(text=GOOD, input_tokens=4000, output_tokens=60),
    )
    action = await the_action(client, uri)
    assert action.title == f"Generate with claude-sonnet-5-5: {TASK}"
    assert action.kind == types.CodeActionKind.RefactorRewrite and action.command.command == "freeagent.generate"
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=action.command.command, arguments=action.command.arguments)
    )
    assert result["applied"] is True and result["attempts"] == 2 and result["findings"] == []
    # the session's running cost, for the editor's status bar
    notices = [n for n in client.session_costs if n["state"] == "finished"]
    assert notices[-1]["sessionCostUsd"] == pytest.approx(result["cost_usd"]) and notices[-1]["generations"] == 1
    assert result["cost_usd"] == pytest.approx((100 * 2 + 20 * 10 + 4000 * 2 + 60 * 10) / 1e6)
    (applied,) = client.applied_edits
    (change,) = applied.edit.document_changes
    assert change.text_document.version == 1
    new_text = apply_edits(
        text,
        [
            TextEdit(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character, e.new_text)
            for e in change.edits
        ],
    )
    assert "export function slugify(title: string): string {" in new_text and "TODO" not in new_text
    # progress: begin (cancellable), a report per attempt step, end
    (reports,) = [
        r for r in client.progress_reports.values() if r and getattr(r[0], "title", "") == "Free Agent: generating"
    ]
    assert isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].cancellable is True
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    messages = [r.message for r in reports if isinstance(r, types.WorkDoneProgressReport)]
    assert any("attempt 1" in m for m in messages) and any("attempt 2" in m for m in messages)


async def test_cancelling_the_progress_stops_the_request_and_changes_nothing(client, tmp_path, model):
    uri, _ = await start(client, tmp_path, model)
    model.script("/v1/messages", Reply(text=GOOD, delay=10))
    action = await the_action(client, uri)
    running = asyncio.ensure_future(
        client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=action.command.command, arguments=action.command.arguments)
        )
    )

    def generating_token():
        for token, reports in client.progress_reports.items():
            if reports and getattr(reports[0], "title", "") == "Free Agent: generating":
                return token
        return None

    token = await wait_until(generating_token)
    await wait_until(lambda: model.seen)  # the request is in flight
    client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    result = await asyncio.wait_for(running, 5)
    assert result == {"applied": False, "reason": "cancelled"}
    assert client.applied_edits == []
    await wait_until(lambda: model.seen[0].disconnected, timeout=5)
    assert isinstance(client.progress_reports[token][-1], types.WorkDoneProgressEnd)


async def test_spec_covered_task_also_offers_the_model_instead(client, tmp_path, model):
    root = copy_fixture(EXAMPLE, tmp_path)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[folder(root)],
            initialization_options={"llm": {"mode": "cost-sensitive"}},
        )
    )
    path = root / "src" / "routes" / "comments.ts"
    uri = open_document(client, path, "// TODO: list comments for a task\n")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=3), end=types.Position(line=0, character=3)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = [a.title for a in actions]
    assert any(t.startswith("Generate handler for listComments") for t in titles)
    assert "Generate with qwen2.5-coder:7b → claude-sonnet-5-5 instead: list comments for a task" in titles


async def test_the_generation_is_recorded_with_its_outcome_and_takes_a_vote(client, tmp_path, model):
    from freeagent.store import SqliteStore, store_path

    uri, _ = await start(client, tmp_path, model)
    model.script("/v1/messages", Reply(text=GOOD, input_tokens=400, output_tokens=60))
    action = await the_action(client, uri)
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=action.command.command, arguments=action.command.arguments)
    )
    assert result["applied"] is True and result["id"]
    store = SqliteStore(store_path(tmp_path / "taskboard"))  # the default: outside the workspace
    rec = store.get(result["id"])
    assert rec is not None and (rec.outcome, rec.surface, rec.strategy, rec.file) == (
        "applied",
        "editor",
        "llm",
        "src/lib/slug.ts",
    )
    assert rec.inserted_lines and "slugify" in rec.code and rec.attempts[0].answer.startswith("```ts")
    voted = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="freeagent.feedback", arguments=[{"id": result["id"], "vote": "up", "note": "just right"}]
        )
    )
    assert voted == {"recorded": True, "id": result["id"]}
    assert store.get(result["id"]).feedback[0][1:] == ("up", "just right")
    wrong = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="freeagent.feedback", arguments=[{"id": result["id"], "vote": "meh"}])
    )
    assert wrong["recorded"] is False and "vote" in wrong["reason"]


async def test_the_stats_request_counts_what_was_generated(client, tmp_path, model):
    uri, _ = await start(client, tmp_path, model)
    model.script("/v1/messages", Reply(text=GOOD, input_tokens=400, output_tokens=60))
    action = await the_action(client, uri)
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=action.command.command, arguments=action.command.arguments)
    )
    stats = await client.protocol.send_request_async("freeagent/stats", {})
    (folder_stats,) = stats.folders
    assert folder_stats.uri == (tmp_path / "taskboard").as_uri()
    total = folder_stats.stats.total
    assert (total.generations, total.applied, total.successes, total.hallucination_rate) == (1, 1, 1, 0.0)
    (row,) = folder_stats.stats.by_strategy
    assert (row.strategy, row.model) == ("llm", "claude-sonnet-5-5")


async def test_generate_with_ensemble_is_offered_where_one_is_configured_and_keeps_the_checked_candidate(
    client, tmp_path, model
):
    """With llm.ensemble set, a task no spec covers also offers "Generate with ensemble (N
    candidates)"; its command asks the members cheapest first (the local model, whose code imports a
    package that is not installed, then gpt-4o-mini, whose code passes — claude is never asked),
    applies the candidate that passed, and answers with every candidate's fate."""
    root = copy_fixture(EXAMPLE, tmp_path)
    model.respond_with(
        lambda path, body: Reply(
            text={"qwen-local": "```ts\nimport slug from 'slugify';\nexport const s = slug;\n```"}.get(
                body["model"], GOOD
            )
        )
    )
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[folder(root)],
            initialization_options={
                "llm": {
                    "provider": "openai",  # its URL, llm.baseUrl, is the fake server's; claude's is not
                    "baseUrl": model.url + "/v1",
                    "fallbackBaseUrl": model.url,
                    "anthropicApiKey": "test-key",
                    "openaiApiKey": "test-key",
                    "typecheck": False,
                    "maxRetries": 0,
                    "ensembleRetries": 0,
                    "ensemble": ["anthropic/claude-sonnet-5-5", "ollama/qwen-local", "openai/gpt-4o-mini"],
                }
            },
        )
    )
    path = root / "src" / "lib" / "slug.ts"
    uri = open_document(client, path, f"// Helpers for URLs.\n\n// TODO: {TASK}\n")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=2, character=3), end=types.Position(line=2, character=3)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    (action,) = [a for a in actions if a.title.startswith("Generate with ensemble")]
    assert action.title == f"Generate with ensemble (3 candidates): {TASK}"
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=action.command.command, arguments=action.command.arguments)
    )
    assert result["applied"] is True and result["model"] == "gpt-4o-mini"
    assert [(c["model"], c["stage"]) for c in result["candidates"]] == [("qwen-local", 1), ("gpt-4o-mini", 3)]
    assert result["selected"] == 2
    assert "claude-sonnet-5-5" not in {s.body.get("model") for s in model.seen}
