"""One retry policy for every provider: bounded attempts with exponential backoff and jitter on
rate limits, overload, 5xx, timeouts and dropped connections, honouring the provider's
``retry-after``. Anything else (bad key, bad request, malformed answer) fails at once.

Every call has a wall-clock deadline (``timeout_s``): the SDKs' own timeouts are per read, so a
server that trickles one byte a second would otherwise never time out. An answer far longer than
the request allows (``max_tokens`` × :data:`CHARS_PER_TOKEN_BOUND`) is refused as malformed
rather than handed on.

Cancellation is not caught: cancelling the task that awaits :func:`generate_with_retries`
cancels the in-flight HTTP request (the SDKs' httpx calls are cancellable) and any backoff sleep.
"""

from __future__ import annotations

import asyncio
import random

from .base import Completion, OnText, Provider, ProviderError, Request
from .pricing import Price, cost

MAX_BACKOFF_S = 30.0
CHARS_PER_TOKEN_BOUND = 16  # no tokenizer yields more characters per token than this, in practice
MIN_ANSWER_BOUND = 64_000


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
    timeout_s: float | None = None,
) -> Completion:
    """``on_retry(error, attempt, delay)`` is told before each wait (progress, logs);
    ``timeout_s``: the most one call may take from request to last byte."""
    attempt = 0
    bound = max(request.max_tokens * CHARS_PER_TOKEN_BOUND, MIN_ANSWER_BOUND)
    while True:
        try:
            try:
                completion = await asyncio.wait_for(provider.generate(request, on_text), timeout_s)
            except TimeoutError:
                raise ProviderError("timeout", f"no complete answer within {timeout_s:g} s", provider.name) from None
            if len(completion.text) > bound:
                raise ProviderError(
                    "bad_response",
                    f"the answer is {len(completion.text):,} characters, over the {bound:,} a "
                    f"{request.max_tokens}-token answer can have; not used",
                    provider.name,
                )
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
