"""One retry policy for every provider: bounded attempts with exponential backoff and jitter on
rate limits, overload, 5xx, timeouts and dropped connections, honouring the provider's
``retry-after``. Anything else (bad key, bad request, malformed answer) fails at once.

Cancellation is not caught: cancelling the task that awaits :func:`generate_with_retries`
cancels the in-flight HTTP request (the SDKs' httpx calls are cancellable) and any backoff sleep.
"""

from __future__ import annotations

import asyncio
import random

from .base import Completion, OnText, Provider, ProviderError, Request
from .pricing import Price, cost

MAX_BACKOFF_S = 30.0


def backoff(attempt: int, base: float = 0.5) -> float:
    """0.5 s, 1 s, 2 s … capped, with ±25% jitter so many clients do not retry in step."""
    delay = min(base * (2**attempt), MAX_BACKOFF_S)
    return delay * random.uniform(0.75, 1.25)


async def generate_with_retries(
    provider: Provider,
    request: Request,
    *,
    max_retries: int = 2,
    on_text: OnText | None = None,
    on_retry=None,
    prices: dict[str, Price] | None = None,
) -> Completion:
    """``on_retry(error, attempt, delay)`` is told before each wait (progress, logs)."""
    attempt = 0
    while True:
        try:
            completion = await provider.generate(request, on_text)
        except ProviderError as error:
            if not error.retryable or attempt >= max_retries:
                raise
            delay = error.retry_after if error.retry_after is not None else backoff(attempt)
            if on_retry is not None:
                on_retry(error, attempt + 1, delay)
            await asyncio.sleep(delay)
            attempt += 1
            continue
        if not completion.text.strip():
            raise ProviderError("empty", "the model answered with no text", provider.name)
        completion.retries = attempt
        completion.cost_usd = cost(provider.name, completion.model or provider.model, completion.usage, prices)
        if completion.cost_usd is None:  # the snapshot name is unknown: try the name we asked for
            completion.cost_usd = cost(provider.name, provider.model, completion.usage, prices)
        return completion
