"""Live smoke tests: one real call per provider, each skipped unless its key or host is set
(ANTHROPIC_API_KEY, OPENAI_API_KEY, OLLAMA_HOST with FREEAGENT_LIVE_OLLAMA_MODEL). They cost a
fraction of a cent; CI has no keys, so there they are reported as skipped."""

from __future__ import annotations

import os

import pytest

from freeagent.providers import Message, Request, make_provider
from freeagent.providers.base import ProviderOptions
from freeagent.providers.retry import generate_with_retries

REQUEST = Request(
    system="Answer with one TypeScript code block.",
    messages=(Message("user", "Write `export const add = (a: number, b: number) => …`."),),
    max_tokens=200,
)


@pytest.mark.parametrize(
    "provider, needs, model",
    [
        pytest.param(
            "anthropic", "ANTHROPIC_API_KEY", os.environ.get("FREEAGENT_LIVE_ANTHROPIC_MODEL", ""), id="anthropic"
        ),
        pytest.param("openai", "OPENAI_API_KEY", os.environ.get("FREEAGENT_LIVE_OPENAI_MODEL", "gpt-4o"), id="openai"),
        pytest.param(
            "ollama", "FREEAGENT_LIVE_OLLAMA_MODEL", os.environ.get("FREEAGENT_LIVE_OLLAMA_MODEL", ""), id="ollama"
        ),
    ],
)
async def test_one_real_call(provider, needs, model):
    if not os.environ.get(needs):
        pytest.skip(f"{needs} is not set")
    completion = await generate_with_retries(make_provider(ProviderOptions(provider, model, timeout_s=60)), REQUEST)
    assert "add" in completion.text and completion.usage.input_tokens > 0 and completion.usage.output_tokens > 0
    assert completion.cost_usd is None or completion.cost_usd >= 0
