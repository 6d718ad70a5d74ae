"""`freeagent eval --base-url`: an OpenAI-compatible server (vLLM, llama.cpp, LM Studio) is
reached the way `generate` reaches it — here a fake one on 127.0.0.1 through the real SDK, with
no OPENAI_API_KEY — and a bare URL is refused when it could belong to several providers."""

from __future__ import annotations

import json

from click.testing import CliRunner

from freeagent.cli import cli
from freeagent.eval.runner import Strategy, parse_strategies
from tests.fakes.llm_server import FakeLLMServer, Reply

from .test_eval_runner import TASKS, make_suite, toolchain  # noqa: F401 - the fixture


def responder(path, body):
    """The good task's answer, whatever message of the chat holds the task (OpenAI's first is the system's)."""
    todo, _test, answer = TASKS["good"]
    if any(todo in str(m.get("content")) for m in body["messages"]):
        return Reply(text=f"```ts\n{answer}\n```")
    return Reply(status=400, error="unexpected prompt")


def test_base_url_reaches_an_openai_compatible_server(tmp_path, toolchain, monkeypatch):  # noqa: F811
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    suite = make_suite(tmp_path)
    out = tmp_path / "r.json"
    args = ["eval", "--suite", str(suite), "--tasks", "good", "--strategy", "llm", "--model", "openai/local-coder"]
    with FakeLLMServer() as server:
        server.respond_with(responder)
        without = CliRunner().invoke(cli, [*args, "--json", str(tmp_path / "skipped.json")])
        assert without.exit_code == 0, without.output
        (skipped,) = json.loads((tmp_path / "skipped.json").read_text())["runs"]
        assert (skipped["category"], skipped["reason"]) == ("skipped", "OPENAI_API_KEY is not set")

        result = CliRunner().invoke(cli, [*args, "--base-url", server.url + "/v1", "--json", str(out)])
        assert result.exit_code == 0, result.output
        assert [s.path for s in server.seen] == ["/v1/chat/completions"]
        assert server.seen[0].body["model"] == "local-coder"
    (run,) = json.loads(out.read_text())["runs"]
    assert (run["strategy"], run["success"], run["model"]) == ("llm:openai/local-coder", True, "local-coder")


def test_urls_per_provider():
    plan = parse_strategies(
        ("llm",),
        ("openai/gpt-4o", "ollama/qwen2.5-coder:7b", "anthropic/claude-sonnet-5-5"),
        base_urls={"openai": "http://127.0.0.1:8000/v1", "ollama": "http://127.0.0.1:11434"},
    )
    assert [(s.provider, s.base_url) for s in plan] == [
        ("openai", "http://127.0.0.1:8000/v1"),
        ("ollama", "http://127.0.0.1:11434"),
        ("anthropic", None),
    ]
    assert plan[0].label == Strategy("llm", "openai", "gpt-4o").label, "the URL is not part of the label"


def test_a_bare_url_with_several_providers_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            "--strategy",
            "llm",
            "--model",
            "openai/gpt-4o",
            "--model",
            "ollama/qwen2.5-coder:7b",
            "--base-url",
            "http://127.0.0.1:8000/v1",
        ],
    )
    assert result.exit_code == 2
    assert "say which provider it is for (PROVIDER=URL)" in result.output and "ollama, openai" in result.output
