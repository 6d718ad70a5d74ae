"""GPT models through the official ``openai`` SDK's Chat Completions API — and any server that
speaks it (vLLM, LM Studio, llama.cpp, OpenRouter …) via ``base_url``.

Owns the request mapping (``max_completion_tokens`` for OpenAI itself, ``max_tokens`` for
compatible servers, which mostly know only that), streaming with ``include_usage`` so a streamed
answer still reports its tokens, the usage mapping (``prompt_tokens`` includes cached ones) and
the SDK's exceptions as :class:`ProviderError`. SDK retries off; see :mod:`.retry`.
"""

from __future__ import annotations

from .base import (
    Completion,
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

ENV_KEY = "OPENAI_API_KEY"


class OpenAIProvider:
    name = "openai"

    def __init__(self, options: ProviderOptions):
        self.model = options.model
        self.options = options
        # a local OpenAI-compatible server (base_url given) usually needs no key
        key = api_key(options, ENV_KEY, "openaiApiKey", self.name, required=options.base_url is None)
        import openai

        self._sdk = openai
        self._compatible = options.base_url is not None
        self._client = openai.AsyncOpenAI(
            api_key=key or "not-needed", base_url=options.base_url, timeout=options.timeout_s, max_retries=0
        )

    async def generate(self, request: Request, on_text: OnText | None = None) -> Completion:
        watch = Stopwatch()
        messages = [{"role": "system", "content": request.system}] if request.system else []
        messages += [{"role": m.role, "content": m.content} for m in request.messages]
        params: dict = dict(model=self.model, messages=messages, temperature=request.temperature)
        params["max_tokens" if self._compatible else "max_completion_tokens"] = request.max_tokens
        if request.stop:
            params["stop"] = list(request.stop)
        try:
            if on_text is None:
                response = await self._client.chat.completions.create(**params)
                if not response.choices:
                    raise ProviderError("bad_response", "the response has no choices", self.name)
                choice = response.choices[0]
                return Completion(
                    choice.message.content or "",
                    self._usage(response.usage),
                    self.name,
                    response.model or self.model,
                    watch.seconds,
                    choice.finish_reason,
                )
            return await self._stream(params, on_text, watch)
        except Exception as exc:
            error = sdk_error(self._sdk, exc, self.name, self.options.timeout_s)
            if error is None:
                raise
            raise error from None

    async def _stream(self, params: dict, on_text: OnText, watch: Stopwatch) -> Completion:
        stream = await self._client.chat.completions.create(
            stream=True, stream_options={"include_usage": True}, **params
        )
        pieces: list[str] = []
        usage, model, finish = Usage(), self.model, None
        async with stream:
            async for chunk in stream:
                model = chunk.model or model
                if chunk.usage is not None:
                    usage = self._usage(chunk.usage)
                for choice in chunk.choices:
                    if choice.delta is not None and choice.delta.content:
                        pieces.append(choice.delta.content)
                        await emit(on_text, choice.delta.content)
                    finish = choice.finish_reason or finish
        return Completion("".join(pieces), usage, self.name, model, watch.seconds, finish)

    @staticmethod
    def _usage(usage) -> Usage:
        if usage is None:
            return Usage()
        details = getattr(usage, "prompt_tokens_details", None)
        cached = (getattr(details, "cached_tokens", None) or 0) if details is not None else 0
        return Usage(usage.prompt_tokens or 0, cached, usage.completion_tokens or 0)
