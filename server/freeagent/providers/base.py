"""The provider protocol and its values: what a generation request is, what comes back, and
the one error type every adapter raises.

Owns :class:`Request` (system prompt, messages, max tokens, temperature, stop sequences),
:class:`Completion` (text, :class:`Usage` — input, cached-input and output tokens — latency,
cost), :class:`ProviderError` with a ``kind`` the retry policy and the pipeline act on, and
:class:`ProviderOptions`, the validated options an adapter is built from.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

Role = Literal["user", "assistant"]
ErrorKind = Literal[
    "missing_key",
    "auth",
    "bad_request",
    "not_found",
    "rate_limited",
    "overloaded",
    "server",
    "timeout",
    "connection",
    "bad_response",
    "empty",
]
RETRYABLE: frozenset[str] = frozenset({"rate_limited", "overloaded", "server", "timeout", "connection"})


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True)
class Request:
    system: str
    messages: tuple[Message, ...]
    max_tokens: int = 2048
    temperature: float = 0.0
    stop: tuple[str, ...] = ()


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0  # all prompt tokens, cache reads and writes included
    cached_input_tokens: int = 0  # of those, read from the provider's prompt cache
    output_tokens: int = 0
    cache_write_tokens: int = 0  # Anthropic bills writing the cache separately

    def __post_init__(self) -> None:
        # the SDKs build responses without validating them: a count may arrive as anything
        for name in ("input_tokens", "cached_input_tokens", "output_tokens", "cache_write_tokens"):
            object.__setattr__(self, name, _count(getattr(self, name)))

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.cached_input_tokens + other.cached_input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )

    def to_json(self) -> dict:
        return {
            "input": self.input_tokens,
            "cached_input": self.cached_input_tokens,
            "output": self.output_tokens,
            "cache_write": self.cache_write_tokens,
        }


@dataclass
class Completion:
    text: str
    usage: Usage
    provider: str
    model: str  # as the provider reports it (a dated snapshot, often)
    seconds: float
    stop_reason: str | None = None
    cost_usd: float | None = None  # None: no known price for this model — never reported as $0
    retries: int = 0

    def __post_init__(self) -> None:
        """The SDKs build responses without validating them, so what a broken server or proxy
        sent arrives here as is: text that is not text is a malformed answer; a model name or a
        stop reason that is not a string is unknown."""
        if not isinstance(self.text, str):
            kind = type(self.text).__name__
            raise ProviderError("bad_response", f"malformed response: the answer is a {kind}, not text", self.provider)
        if not isinstance(self.model, str):
            self.model = ""
        if self.stop_reason is not None and not isinstance(self.stop_reason, str):
            self.stop_reason = None


def _count(value: object) -> int:
    """A token count as reported, or 0 when it is not a count."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
        return 0
    return int(value) if value < 2**53 else 0


class ProviderError(Exception):
    """A provider call that failed, with what kind of failure it was.

    ``retry_after``: seconds the provider asked us to wait (``retry-after``/``retry-after-ms``)."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        provider: str = "",
        status: int | None = None,
        retry_after: float | None = None,
    ):
        from ..redact import mask_keys

        super().__init__(mask_keys(message))  # an SDK error may echo the key it was sent
        self.kind = kind
        self.provider = provider
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE

    def __str__(self) -> str:
        where = f"{self.provider}: " if self.provider else ""
        status = f" (HTTP {self.status})" if self.status else ""
        return f"{where}{super().__str__()}{status}"


OnText = Callable[[str], None] | Callable[[str], Awaitable[None]]


class Provider(Protocol):
    name: str
    model: str

    async def generate(self, request: Request, on_text: OnText | None = None) -> Completion:
        """Generate once (the retry policy wraps this). ``on_text`` streams: called with each
        piece of text as it arrives; without it the provider answers in one response."""
        ...


@dataclass
class ProviderOptions:
    """What an adapter is built from (settings or CLI flags, validated by the factory)."""

    provider: str
    model: str
    base_url: str | None = None
    api_key: str | None = None
    timeout_s: float = 120.0
    max_retries: int = 2
    context_tokens: int | None = None  # Ollama num_ctx: its default (2–4k) would cut our prompts
    extra: dict = field(default_factory=dict)
    temperature: float = 0.0  # sampling: above 0 for an ensemble's several samples of one model


def retry_after_seconds(headers) -> float | None:
    """``retry-after-ms`` (OpenAI, Anthropic) or ``retry-after`` in seconds; None if absent or
    an HTTP date (we then back off on our own)."""
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) * scale
        except ValueError:
            continue
        if 0 <= seconds <= 600:
            return seconds
    return None


def kind_for_status(status: int) -> ErrorKind:
    if status in (401, 403):
        return "auth"
    if status == 404:
        return "not_found"
    if status == 429:
        return "rate_limited"
    if status in (408, 504):
        return "timeout"
    if status == 529 or status == 503:
        return "overloaded"
    if status >= 500:
        return "server"
    return "bad_request"


class Stopwatch:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


async def emit(on_text: OnText | None, text: str) -> None:
    if on_text is None or not text:
        return
    result = on_text(text)
    if inspect.isawaitable(result):
        await result


def api_key(options: ProviderOptions, variable: str, setting: str, provider: str, required: bool = True) -> str | None:
    """The key from the options (a setting) or the SDK's own variable; a clear error without one."""
    import os

    key = options.api_key or os.environ.get(variable)
    if not key and required:
        raise ProviderError(
            "missing_key", f"no API key: set {variable} (or the setting freeagent.llm.{setting})", provider
        )
    return key


# what reading a body that is not the response it should be raises (JSON nested past Python's
# recursion limit included: a fuzzed provider response found that one)
MALFORMED: tuple[type[BaseException], ...] = (ValueError, KeyError, TypeError, AttributeError, RecursionError)


def sdk_error(sdk, exc: BaseException, provider: str, timeout_s: float) -> ProviderError | None:
    """An Anthropic/OpenAI SDK exception as a ProviderError (the two SDKs share one exception
    hierarchy); None for anything else, which the caller re-raises."""
    if isinstance(exc, sdk.APIStatusError):
        return ProviderError(
            kind_for_status(exc.status_code),
            _sdk_message(exc),
            provider,
            exc.status_code,
            retry_after_seconds(exc.response.headers),
        )
    if isinstance(exc, sdk.APITimeoutError):
        return ProviderError("timeout", f"no answer within {timeout_s:g} s", provider)
    if isinstance(exc, sdk.APIConnectionError):
        return ProviderError("connection", f"cannot reach the API: {exc}", provider)
    if isinstance(exc, (sdk.APIResponseValidationError, *MALFORMED)):
        return ProviderError("bad_response", f"malformed response: {exc}", provider)  # a body the SDK could not read
    return None


def _sdk_message(exc) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
    return str(getattr(exc, "message", exc))
