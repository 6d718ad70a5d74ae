"""What a call cost: a dated price table per model, in US dollars per million tokens.

Owns the table and :func:`cost`. A model is found by its exact id or the longest listed prefix
(providers answer with dated snapshots: ``claude-sonnet-4-5-20250929`` is priced as
``claude-sonnet-4-5``). Ollama runs locally: $0. A model that is not listed has **unknown**
cost (None) — never $0 — and settings can add or correct prices (``llm.prices``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import Usage

# The providers' published list prices (standard tier, no batch discount) as last checked;
# they change — correct or extend them with the `llm.prices` setting rather than trusting an old table.
PRICES_AS_OF = "2026-11-24"


@dataclass(frozen=True)
class Price:
    input: float  # $ per million input tokens (not cached)
    output: float  # $ per million output tokens
    cached_input: float | None = None  # $ per million cache-read tokens (None: billed as input)
    cache_write: float | None = None  # $ per million cache-write tokens (Anthropic)


PRICES: dict[str, Price] = {
    # Anthropic (cache reads 0.1x input, 5-minute cache writes 1.25x input)
    "claude-fable-5-1": Price(10.0, 50.0, 1.0, 12.5),
    "claude-opus-5-5": Price(4.0, 20.0, 0.40, 5.0),
    "claude-opus-5": Price(5.0, 25.0, 0.50, 6.25),
    "claude-sonnet-5-5": Price(2.0, 10.0, 0.20, 2.50),
    "claude-sonnet-5": Price(2.0, 10.0, 0.20, 2.50),
    "claude-sonnet-4-6": Price(3.0, 15.0, 0.30, 3.75),
    "claude-opus-4-5": Price(5.0, 25.0, 0.50, 6.25),
    "claude-opus-4-1": Price(15.0, 75.0, 1.50, 18.75),
    "claude-opus-4": Price(15.0, 75.0, 1.50, 18.75),
    "claude-sonnet-4-5": Price(3.0, 15.0, 0.30, 3.75),
    "claude-sonnet-4": Price(3.0, 15.0, 0.30, 3.75),
    "claude-3-7-sonnet": Price(3.0, 15.0, 0.30, 3.75),
    "claude-haiku-4-5": Price(1.0, 5.0, 0.10, 1.25),
    "claude-3-5-haiku": Price(0.80, 4.0, 0.08, 1.0),
    # OpenAI (cached input as listed per model)
    "gpt-6-sol": Price(2.0, 10.0, 0.20),
    "gpt-6-luna": Price(0.10, 0.50, 0.01),
    "gpt-4o-mini": Price(0.15, 0.60, 0.075),
    "gpt-4o": Price(2.50, 10.0, 1.25),
    "gpt-4.1-nano": Price(0.10, 0.40, 0.025),
    "gpt-4.1-mini": Price(0.40, 1.60, 0.10),
    "gpt-4.1": Price(2.0, 8.0, 0.50),
    "gpt-5-nano": Price(0.05, 0.40, 0.005),
    "gpt-5-mini": Price(0.25, 2.0, 0.025),
    "gpt-5": Price(1.25, 10.0, 0.125),
    "o4-mini": Price(1.10, 4.40, 0.275),
    "o3": Price(2.0, 8.0, 0.50),
}

FREE_PROVIDERS = {"ollama"}  # local models: no per-token price


def price_for(model: str, overrides: dict[str, Price] | None = None) -> Price | None:
    table = {**PRICES, **(overrides or {})}
    if model in table:
        return table[model]
    best = None
    for name in table:
        if model.startswith((name + "-", name + ":", name + "@")) and (best is None or len(name) > len(best)):
            best = name
    return table[best] if best else None


def cost(provider: str, model: str, usage: Usage, overrides: dict[str, Price] | None = None) -> float | None:
    """Dollars for one call, or None when the model's price is unknown."""
    if provider in FREE_PROVIDERS:
        return 0.0
    price = price_for(model, overrides)
    if price is None:
        return None
    cached = usage.cached_input_tokens
    fresh = max(usage.input_tokens - cached - usage.cache_write_tokens, 0)
    cached_rate = price.cached_input if price.cached_input is not None else price.input
    write_rate = price.cache_write if price.cache_write is not None else price.input
    total = (
        fresh * price.input
        + cached * cached_rate
        + usage.output_tokens * price.output
        + usage.cache_write_tokens * write_rate
    ) / 1_000_000
    return round(total, 8)
