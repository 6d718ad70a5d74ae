"""A provider that trickles its answer (one byte at a time) hits the call's wall-clock deadline,
one that sends a 10 MB answer is refused at a bound, and neither blocks other work. Real SDKs,
a fake server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import time

from freeagent.providers import make_provider
from freeagent.providers.base import Message, ProviderError, ProviderOptions, Request
from freeagent.providers.retry import generate_with_retries
from tests.fakes.llm_server import FakeLLMServer, Reply

MESSAGE = json.dumps(
    {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-5-5",
        "content": [{"type": "text", "text": "```ts\nexport const x = 1;\n```"}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 5},
    }
)
REQUEST = Request("system", (Message("user", "write x"),), 1024)


def anthropic(url: str, timeout_s: float = 2.0):
    return make_provider(ProviderOptions("anthropic", "", base_url=url, api_key="test-key", timeout_s=timeout_s))


async def test_a_trickling_answer_hits_the_deadline_and_blocks_nothing():
    with FakeLLMServer() as server:
        server.script("/v1/messages", Reply(raw=MESSAGE, trickle_s=0.05))  # ~20 s for the whole body

        async def other_work() -> float:
            started = time.perf_counter()
            await asyncio.sleep(0.2)
            return time.perf_counter() - started

        started = time.perf_counter()
        slow = asyncio.ensure_future(generate_with_retries(anthropic(server.url), REQUEST, max_retries=0, timeout_s=2))
        assert await other_work() < 1.0, "the event loop is free while the provider trickles"
        try:
            await slow
            raise AssertionError("a trickling answer must not be accepted")
        except ProviderError as error:
            assert error.kind == "timeout" and "within 2 s" in str(error)
        assert time.perf_counter() - started < 5


async def test_a_huge_answer_is_refused_at_a_bound():
    with FakeLLMServer() as server:
        server.script("/v1/messages", Reply(text="x" * 10_000_000))
        try:
            await generate_with_retries(anthropic(server.url, 60), REQUEST, max_retries=0, timeout_s=60)
            raise AssertionError("a 10 MB answer must not be accepted")
        except ProviderError as error:
            assert error.kind == "bad_response"
            assert "10,000,000 characters, over the 64,000" in str(error)
