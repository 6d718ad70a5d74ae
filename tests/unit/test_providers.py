"""The provider adapters through the real SDKs against a fake server on 127.0.0.1 that speaks
each wire format: answers, streaming, usage and cost, retries, timeouts, malformed bodies,
cancellation and missing keys."""

from __future__ import annotations

import asyncio
import time

import pytest

from freeagent.providers import Message, ProviderError, Request, make_provider
from freeagent.providers.base import ProviderOptions
from freeagent.providers.pricing import PRICES, cost
from freeagent.providers.retry import generate_with_retries
from tests.fakes.llm_server import FakeLLMServer, Reply

PATHS = {"anthropic": "/v1/messages", "openai": "/v1/chat/completions", "ollama": "/api/chat"}
MODELS = {"anthropic": "claude-sonnet-5-5", "openai": "gpt-4o", "ollama": "qwen2.5-coder:7b"}
ALL = [pytest.param(name, id=name) for name in PATHS]
REQUEST = Request(
    system="You write TypeScript.",
    messages=(Message("user", "Write a slugify function."),),
    max_tokens=512,
    temperature=0.0,
)


@pytest.fixture
def server():
    with FakeLLMServer() as fake:
        yield fake


@pytest.fixture(autouse=True)
def keys(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")


def provider(name: str, server: FakeLLMServer, **options):
    base = server.url + ("/v1" if name == "openai" else "")
    options.setdefault("timeout_s", 5.0)
    return make_provider(ProviderOptions(name, MODELS[name], base_url=base, **options))


def expected_cost(name: str, reply: Reply) -> float:
    if name == "ollama":
        return 0.0
    price = PRICES[MODELS[name]]
    fresh = reply.input_tokens - reply.cached_tokens
    return round(
        (fresh * price.input + reply.cached_tokens * price.cached_input + reply.output_tokens * price.output)
        / 1_000_000,
        8,
    )


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
async def test_answer_usage_and_cost(server, name, stream):
    reply = Reply(
        text="export const slugify = (s: string) => s.toLowerCase();",
        input_tokens=1200,
        output_tokens=80,
        cached_tokens=0 if name == "ollama" else 1000,
    )
    server.script(PATHS[name], reply)
    pieces: list[str] = []
    completion = await generate_with_retries(provider(name, server), REQUEST, on_text=pieces.append if stream else None)
    assert completion.text == reply.text
    if stream:
        assert len(pieces) > 1 and "".join(pieces) == reply.text
    usage = completion.usage
    assert (usage.input_tokens, usage.output_tokens) == (1200, 80)
    assert usage.cached_input_tokens == (0 if name == "ollama" else 1000)
    assert completion.cost_usd == pytest.approx(expected_cost(name, reply))
    assert completion.provider == name and completion.retries == 0 and completion.seconds > 0
    (body,) = server.bodies(PATHS[name])
    # the request reached the server in that provider's own shape
    if name == "anthropic":
        assert body["system"] == REQUEST.system and body["messages"] == [
            {"role": "user", "content": "Write a slugify function."}
        ]
        assert body["max_tokens"] == 512
    elif name == "openai":
        assert body["messages"][0] == {"role": "system", "content": REQUEST.system}
        assert body["max_tokens"] == 512  # a compatible server (base_url given) gets max_tokens
    else:
        assert body["messages"][0]["role"] == "system" and body["options"]["num_predict"] == 512


async def test_ollama_sets_the_context_window(server):
    server.script("/api/chat", Reply(text="ok"))
    await generate_with_retries(provider("ollama", server, context_tokens=16384), REQUEST)
    assert server.bodies("/api/chat")[0]["options"]["num_ctx"] == 16384


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in ("anthropic", "openai")])
async def test_rate_limit_waits_as_told_then_succeeds(server, name):
    server.script(PATHS[name], Reply(status=429, headers={"retry-after-ms": "300"}), Reply(text="fine"))
    retries = []
    started = time.perf_counter()
    completion = await generate_with_retries(
        provider(name, server),
        REQUEST,
        max_retries=2,
        on_retry=lambda error, attempt, delay: retries.append((error.kind, delay)),
    )
    assert completion.text == "fine" and completion.retries == 1
    assert retries == [("rate_limited", pytest.approx(0.3))]
    assert time.perf_counter() - started >= 0.3
    assert len(server.bodies(PATHS[name])) == 2


async def test_retry_after_in_seconds(server):
    server.script("/v1/messages", Reply(status=429, headers={"retry-after": "1"}), Reply(text="later"))
    started = time.perf_counter()
    completion = await generate_with_retries(provider("anthropic", server), REQUEST)
    assert completion.text == "later" and time.perf_counter() - started >= 1.0


@pytest.mark.parametrize("name", ALL)
async def test_server_error_then_success(server, name, monkeypatch):
    monkeypatch.setattr("freeagent.providers.retry.backoff", lambda attempt, base=0.5: 0.01)
    server.script(PATHS[name], Reply(status=500), Reply(status=503), Reply(text="third time"))
    completion = await generate_with_retries(provider(name, server), REQUEST, max_retries=2)
    assert completion.text == "third time" and completion.retries == 2


@pytest.mark.parametrize("name", ALL)
async def test_retries_are_bounded(server, name, monkeypatch):
    monkeypatch.setattr("freeagent.providers.retry.backoff", lambda attempt, base=0.5: 0.01)
    server.script(PATHS[name], *[Reply(status=500, error="boom")] * 3)
    with pytest.raises(ProviderError) as caught:
        await generate_with_retries(provider(name, server), REQUEST, max_retries=1)
    assert caught.value.kind == "server" and caught.value.status == 500
    assert len(server.bodies(PATHS[name])) == 2


@pytest.mark.parametrize("name", ALL)
async def test_timeout(server, name, monkeypatch):
    monkeypatch.setattr("freeagent.providers.retry.backoff", lambda attempt, base=0.5: 0.01)
    server.script(PATHS[name], Reply(text="too late", delay=3), Reply(text="too late", delay=3))
    started = time.perf_counter()
    with pytest.raises(ProviderError) as caught:
        await generate_with_retries(provider(name, server, timeout_s=0.3), REQUEST, max_retries=1)
    assert caught.value.kind == "timeout"
    assert time.perf_counter() - started < 2.5


@pytest.mark.parametrize("name", ALL)
async def test_malformed_body_is_not_retried(server, name):
    server.script(PATHS[name], Reply(raw='{"this is": not json'), Reply(text="never asked"))
    with pytest.raises(ProviderError) as caught:
        await generate_with_retries(provider(name, server), REQUEST, max_retries=2)
    assert caught.value.kind == "bad_response"
    assert len(server.bodies(PATHS[name])) == 1


@pytest.mark.parametrize("name", ALL)
async def test_bad_key_or_missing_model_is_not_retried(server, name):
    status = 404 if name == "ollama" else 401
    server.script(PATHS[name], Reply(status=status, error="no such thing"), Reply(text="never"))
    with pytest.raises(ProviderError) as caught:
        await generate_with_retries(provider(name, server), REQUEST, max_retries=2)
    assert caught.value.kind == ("not_found" if name == "ollama" else "auth")
    assert "no such thing" in str(caught.value) and len(server.bodies(PATHS[name])) == 1
    if name == "ollama":
        assert "ollama pull qwen2.5-coder:7b" in str(caught.value)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
async def test_cancellation_stops_the_request(server, name, stream):
    server.script(PATHS[name], Reply(text="slow", delay=5))
    task = asyncio.create_task(
        generate_with_retries(provider(name, server), REQUEST, on_text=(lambda _: None) if stream else None)
    )
    await asyncio.sleep(0.3)
    started = time.perf_counter()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.perf_counter() - started < 0.5
    deadline = time.perf_counter() + 3
    while not server.seen[0].disconnected and time.perf_counter() < deadline:
        await asyncio.sleep(0.02)
    assert server.seen[0].disconnected, "the server never saw the client hang up"


async def test_empty_answer_is_an_error(server):
    server.script("/v1/messages", Reply(text=""))
    with pytest.raises(ProviderError) as caught:
        await generate_with_retries(provider("anthropic", server), REQUEST)
    assert caught.value.kind == "empty"


@pytest.mark.parametrize("name, variable", [("anthropic", "ANTHROPIC_API_KEY"), ("openai", "OPENAI_API_KEY")])
def test_missing_key_names_the_variable(monkeypatch, name, variable):
    monkeypatch.delenv(variable)
    with pytest.raises(ProviderError) as caught:
        make_provider(ProviderOptions(name, MODELS[name]))
    assert caught.value.kind == "missing_key" and variable in str(caught.value)


def test_unknown_provider_is_named():
    with pytest.raises(ProviderError) as caught:
        make_provider(ProviderOptions("gemini", "x"))
    assert "gemini" in str(caught.value) and "anthropic" in str(caught.value)


def test_prices():
    from freeagent.providers.base import Usage

    usage = Usage(input_tokens=1_000_000, cached_input_tokens=0, output_tokens=1_000_000)
    assert cost("anthropic", "claude-sonnet-4-5-20250929", usage) == pytest.approx(18.0)  # dated snapshot
    assert cost("anthropic", "claude-sonnet-5-5", usage) == pytest.approx(12.0)
    assert cost("anthropic", "claude-sonnet-5", usage) == pytest.approx(12.0)  # not claude-sonnet-5-5's prefix
    assert cost("openai", "gpt-4o-2024-08-06", usage) == pytest.approx(12.5)
    assert cost("openai", "gpt-4o-mini", usage) == pytest.approx(0.75)  # not priced as gpt-4o
    assert cost("openai", "my-finetune", usage) is None  # unknown: never $0
    assert cost("ollama", "llama3.1:8b", usage) == 0.0
    cached = Usage(input_tokens=1_000_000, cached_input_tokens=800_000, output_tokens=0)
    assert cost("anthropic", "claude-sonnet-4-5", cached) == pytest.approx(0.2 * 3.0 + 0.8 * 0.30)
    written = Usage(input_tokens=1_000_000, cached_input_tokens=0, output_tokens=0, cache_write_tokens=1_000_000)
    assert cost("anthropic", "claude-sonnet-5-5", written) == pytest.approx(2.50)
