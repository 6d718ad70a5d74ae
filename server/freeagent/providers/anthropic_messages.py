"""Claude through the official ``anthropic`` SDK's Messages API (imported here, on first use).

Owns turning a :class:`Request` into ``messages.create`` (streamed when asked: text deltas as
they come, usage from ``message_start``/``message_delta``), the usage mapping (Anthropic's
``input_tokens`` leaves out cache reads and writes; ours counts every prompt token), and
mapping the SDK's exceptions onto :class:`ProviderError`. The SDK's own retries are off: one
policy (:mod:`.retry`) retries every provider alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import (
    Completion,
    Message,
    OnText,
    ProviderError,
    ProviderOptions,
    Request,
    Stopwatch,
    Usage,
    api_key,
    emit,
    sdk_error,
)

if TYPE_CHECKING:
    from typing import NotRequired, TypedDict

    from anthropic.types import MessageParam

    class _CreateParams(TypedDict):
        """The keyword arguments of ``messages.create`` that we pass (typed, so the SDK's
        overloads check them)."""

        model: str
        max_tokens: int
        system: str
        messages: list[MessageParam]
        stop_sequences: NotRequired[list[str]]


ENV_KEY = "ANTHROPIC_API_KEY"


def _message(message: Message) -> MessageParam:
    if message.role == "user":
        return {"role": "user", "content": message.content}
    return {"role": "assistant", "content": message.content}


class AnthropicProvider:
    name = "anthropic"

    def __init__(self, options: ProviderOptions):
        self.model = options.model
        self.options = options
        key = api_key(options, ENV_KEY, "anthropicApiKey", self.name)
        import anthropic

        self._sdk = anthropic
        # base_url None: the SDK's default, or ANTHROPIC_BASE_URL, which it reads itself
        self._client = anthropic.AsyncAnthropic(
            api_key=key, base_url=options.base_url, timeout=options.timeout_s, max_retries=0
        )

    async def generate(self, request: Request, on_text: OnText | None = None) -> Completion:
        watch = Stopwatch()
        # no temperature: the current Messages API (SDK 2.x) has no sampling parameters
        params: _CreateParams = {
            "model": self.model,
            "max_tokens": request.max_tokens,
            "system": request.system,
            "messages": [_message(m) for m in request.messages],
        }
        if request.stop:
            params["stop_sequences"] = list(request.stop)
        try:
            if on_text is None:
                message = await self._client.messages.create(**params)
                text = "".join(getattr(block, "text", "") for block in message.content if block.type == "text")
                return Completion(
                    text, self._usage(message.usage), self.name, message.model, watch.seconds, message.stop_reason
                )
            return await self._stream(params, on_text, watch)
        except Exception as exc:
            error = sdk_error(self._sdk, exc, self.name, self.options.timeout_s)
            if error is None:
                raise
            raise error from None

    async def _stream(self, params: _CreateParams, on_text: OnText, watch: Stopwatch) -> Completion:
        stream = await self._client.messages.create(stream=True, **params)
        pieces: list[str] = []
        usage = Usage()
        model, stop_reason = self.model, None
        async with stream:
            async for event in stream:
                if event.type == "message_start":
                    model = event.message.model
                    usage = self._usage(event.message.usage)
                elif event.type == "content_block_delta" and event.delta.type == "text_delta":
                    pieces.append(event.delta.text)
                    await emit(on_text, event.delta.text)
                elif event.type == "message_delta":
                    stop_reason = event.delta.stop_reason
                    usage = Usage(
                        usage.input_tokens,
                        usage.cached_input_tokens,
                        event.usage.output_tokens,
                        usage.cache_write_tokens,
                    )
                elif event.type == "error":
                    raise ProviderError("server", f"stream error: {getattr(event, 'error', event)}", self.name)
        return Completion("".join(pieces), usage, self.name, model, watch.seconds, stop_reason)

    @staticmethod
    def _usage(usage) -> Usage:
        read = getattr(usage, "cache_read_input_tokens", None) or 0
        write = getattr(usage, "cache_creation_input_tokens", None) or 0
        return Usage(usage.input_tokens + read + write, read, usage.output_tokens or 0, write)
