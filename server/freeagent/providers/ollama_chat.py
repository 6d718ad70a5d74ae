"""Local models through the official ``ollama`` SDK, on Ollama's native ``/api/chat``.

Why the native endpoint and not Ollama's OpenAI-compatible ``/v1``: only the native one takes
``options.num_ctx``. Ollama's default context window (2–4k tokens) would silently cut the
grounded prompt (brief, installed packages, examples, surrounding code); here the window is
set to what the prompt needs. It also reports ``prompt_eval_count``/``eval_count`` natively.

Host: the setting, else ``OLLAMA_HOST`` (which the SDK reads), else 127.0.0.1:11434. No key.
"""

from __future__ import annotations

from .base import (
    MALFORMED,
    Completion,
    OnText,
    ProviderError,
    ProviderOptions,
    Request,
    Stopwatch,
    Usage,
    emit,
    kind_for_status,
)


class OllamaProvider:
    name = "ollama"

    def __init__(self, options: ProviderOptions):
        self.model = options.model
        self.options = options
        import httpx
        import ollama

        self._sdk, self._httpx = ollama, httpx
        self._client = ollama.AsyncClient(host=options.base_url, timeout=options.timeout_s)

    async def generate(self, request: Request, on_text: OnText | None = None) -> Completion:
        watch = Stopwatch()
        messages = [{"role": "system", "content": request.system}] if request.system else []
        messages += [{"role": m.role, "content": m.content} for m in request.messages]
        options: dict = {"temperature": request.temperature, "num_predict": request.max_tokens}
        if self.options.context_tokens:
            options["num_ctx"] = self.options.context_tokens
        if request.stop:
            options["stop"] = list(request.stop)
        try:
            if on_text is None:
                response = await self._client.chat(model=self.model, messages=messages, options=options, stream=False)
                return Completion(
                    response.message.content or "",
                    self._usage(response),
                    self.name,
                    response.model or self.model,
                    watch.seconds,
                    response.done_reason,
                )
            pieces: list[str] = []
            last = None
            async for part in await self._client.chat(
                model=self.model, messages=messages, options=options, stream=True
            ):
                text = part.message.content or ""
                pieces.append(text)
                await emit(on_text, text)
                last = part
            if last is None or not last.done:
                raise ProviderError("bad_response", "the stream ended before Ollama said it was done", self.name)
            return Completion(
                "".join(pieces), self._usage(last), self.name, last.model or self.model, watch.seconds, last.done_reason
            )
        except self._sdk.ResponseError as exc:
            status = exc.status_code if exc.status_code and exc.status_code > 0 else None
            kind = kind_for_status(status) if status else "bad_response"
            hint = f" (is the model pulled? `ollama pull {self.model}`)" if status == 404 else ""
            raise ProviderError(kind, f"{exc.error}{hint}", self.name, status) from None
        except ConnectionError:
            raise ProviderError(
                "connection", f"cannot reach Ollama at {self._host()}: is `ollama serve` running?", self.name
            ) from None
        except self._httpx.TimeoutException:
            raise ProviderError("timeout", f"no answer within {self.options.timeout_s:g} s", self.name) from None
        except self._httpx.TransportError as exc:
            raise ProviderError("connection", f"connection to Ollama failed: {exc}", self.name) from None
        except MALFORMED as exc:  # JSON or schema the SDK could not read
            raise ProviderError("bad_response", f"malformed response: {exc}", self.name) from None

    def _host(self) -> str:
        return str((getattr(self._client, "_client", None) and self._client._client.base_url) or self.options.base_url)

    @staticmethod
    def _usage(response) -> Usage:
        return Usage(response.prompt_eval_count or 0, 0, response.eval_count or 0)
