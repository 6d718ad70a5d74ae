"""A fake LLM server on 127.0.0.1 speaking the real wire formats — Anthropic Messages
(``POST /v1/messages``, JSON or SSE events), OpenAI Chat Completions (``POST
/v1/chat/completions``, JSON or SSE chunks with ``include_usage``) and Ollama (``POST
/api/chat``, JSON or NDJSON) — so the real SDKs can be driven without a network.

Each route answers from a script of :class:`Reply` values, in order, and records every request
body and whether the client hung up (cancellation) — tests assert on both.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass
class Reply:
    text: str = ""
    status: int = 200
    input_tokens: int = 100
    output_tokens: int = 20
    cached_tokens: int = 0
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow model, or a test of timeouts/cancel)
    raw: str | None = None  # a body sent as is (malformed answers)
    trickle_s: float = 0.0  # with raw: send it one byte per this many seconds (a stuck proxy)
    error: str = "scripted error"


@dataclass
class Seen:
    path: str
    body: dict
    headers: dict
    disconnected: bool = False


class FakeLLMServer:
    def __init__(self) -> None:
        self.scripts: dict[str, list[Reply]] = {}
        self.responder = None
        self.seen: list[Seen] = []
        app = Starlette(
            routes=[
                Route("/v1/messages", self._anthropic, methods=["POST"]),
                Route("/v1/chat/completions", self._openai, methods=["POST"]),
                Route("/api/chat", self._ollama, methods=["POST"]),
            ]
        )
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self._socket = sock
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> FakeLLMServer:
        self._thread.start()
        deadline = time.time() + 10
        while not self._server.started:
            if time.time() > deadline:
                raise RuntimeError("fake LLM server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, path: str, *replies: Reply) -> None:
        self.scripts.setdefault(path, []).extend(replies)

    def respond_with(self, responder) -> None:
        """``responder(path, body) -> Reply`` answers every request (instead of the scripts): for
        concurrent callers, a reply chosen by what was asked rather than by arrival order."""
        self.responder = responder

    def bodies(self, path: str) -> list[dict]:
        return [s.body for s in self.seen if s.path == path]

    # ------------------------------------------------------------------ plumbing

    async def _next(self, request: Request) -> tuple[Reply, dict, Seen]:
        body = json.loads(await request.body() or b"{}")
        seen = Seen(request.url.path, body, dict(request.headers))
        self.seen.append(seen)
        if self.responder is not None:
            reply = self.responder(request.url.path, body)
        else:
            queue = self.scripts.get(request.url.path) or []
            reply = queue.pop(0) if queue else Reply(status=500, error="no scripted reply left")
        waited = 0.0
        while waited < reply.delay:  # wait like a slow model, noticing a client that hangs up
            if await request.is_disconnected():
                seen.disconnected = True
                break
            await asyncio.sleep(0.02)
            waited += 0.02
        return reply, body, seen

    @staticmethod
    def _raw(reply: Reply) -> Response | None:
        if reply.raw is not None and reply.trickle_s:
            raw = reply.raw.encode()

            async def trickle():
                for i in range(len(raw)):
                    yield raw[i : i + 1]
                    await asyncio.sleep(reply.trickle_s)

            return StreamingResponse(trickle(), status_code=reply.status, media_type="application/json")
        if reply.raw is not None:
            return Response(reply.raw, status_code=reply.status, headers=reply.headers, media_type="application/json")
        return None

    @staticmethod
    def _pieces(text: str) -> list[str]:
        third = max(len(text) // 3, 1)
        return [text[i : i + third] for i in range(0, len(text), third)] or [""]

    # ------------------------------------------------------------------ Anthropic Messages

    async def _anthropic(self, request: Request) -> Response:
        reply, body, seen = await self._next(request)
        if seen.disconnected:
            return Response(status_code=499)
        if (raw := self._raw(reply)) is not None:
            return raw
        if reply.status != 200:
            kind = {429: "rate_limit_error", 401: "authentication_error", 529: "overloaded_error"}.get(
                reply.status, "api_error"
            )
            return JSONResponse(
                {"type": "error", "error": {"type": kind, "message": reply.error}},
                status_code=reply.status,
                headers=reply.headers,
            )
        model = body.get("model", "claude")
        usage = {
            "input_tokens": reply.input_tokens - reply.cached_tokens,
            "output_tokens": reply.output_tokens,
            "cache_read_input_tokens": reply.cached_tokens,
            "cache_creation_input_tokens": 0,
        }
        message = {
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": reply.text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": usage,
        }
        if not body.get("stream"):
            return JSONResponse(message, headers=reply.headers)

        def sse(event: dict) -> str:
            return f"event: {event['type']}\ndata: {json.dumps(event)}\n\n"

        async def events():
            start = dict(message, content=[], stop_reason=None, usage=dict(usage, output_tokens=1))
            yield sse({"type": "message_start", "message": start})
            yield sse({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
            for piece in self._pieces(reply.text):
                yield sse({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}})
            yield sse({"type": "content_block_stop", "index": 0})
            yield sse(
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": reply.output_tokens},
                }
            )
            yield sse({"type": "message_stop"})

        return StreamingResponse(events(), media_type="text/event-stream", headers=reply.headers)

    # ------------------------------------------------------------------ OpenAI Chat Completions

    async def _openai(self, request: Request) -> Response:
        reply, body, seen = await self._next(request)
        if seen.disconnected:
            return Response(status_code=499)
        if (raw := self._raw(reply)) is not None:
            return raw
        if reply.status != 200:
            return JSONResponse(
                {"error": {"message": reply.error, "type": "error", "code": None}},
                status_code=reply.status,
                headers=reply.headers,
            )
        model = body.get("model", "gpt")
        usage = {
            "prompt_tokens": reply.input_tokens,
            "completion_tokens": reply.output_tokens,
            "total_tokens": reply.input_tokens + reply.output_tokens,
            "prompt_tokens_details": {"cached_tokens": reply.cached_tokens},
        }
        if not body.get("stream"):
            return JSONResponse(
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": 0,
                    "model": model,
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": reply.text}, "finish_reason": "stop"}
                    ],
                    "usage": usage,
                },
                headers=reply.headers,
            )

        def chunk(choices: list, with_usage: bool = False) -> str:
            data = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": model,
                "choices": choices,
                "usage": usage if with_usage else None,
            }
            return f"data: {json.dumps(data)}\n\n"

        async def chunks():
            for piece in self._pieces(reply.text):
                yield chunk([{"index": 0, "delta": {"role": "assistant", "content": piece}, "finish_reason": None}])
            yield chunk([{"index": 0, "delta": {}, "finish_reason": "stop"}])
            if (body.get("stream_options") or {}).get("include_usage"):
                yield chunk([], with_usage=True)
            yield "data: [DONE]\n\n"

        return StreamingResponse(chunks(), media_type="text/event-stream", headers=reply.headers)

    # ------------------------------------------------------------------ Ollama /api/chat

    async def _ollama(self, request: Request) -> Response:
        reply, body, seen = await self._next(request)
        if seen.disconnected:
            return Response(status_code=499)
        if (raw := self._raw(reply)) is not None:
            return raw
        if reply.status != 200:
            return JSONResponse({"error": reply.error}, status_code=reply.status, headers=reply.headers)
        model = body.get("model", "llama")
        final = {
            "model": model,
            "created_at": "2025-01-01T00:00:00Z",
            "done": True,
            "done_reason": "stop",
            "prompt_eval_count": reply.input_tokens,
            "eval_count": reply.output_tokens,
            "total_duration": 1,
            "load_duration": 1,
            "prompt_eval_duration": 1,
            "eval_duration": 1,
        }
        if body.get("stream") is False:
            return JSONResponse(
                dict(final, message={"role": "assistant", "content": reply.text}), headers=reply.headers
            )

        async def lines():
            for piece in self._pieces(reply.text):
                yield (
                    json.dumps(
                        {
                            "model": model,
                            "created_at": "2025-01-01T00:00:00Z",
                            "message": {"role": "assistant", "content": piece},
                            "done": False,
                        }
                    )
                    + "\n"
                )
            yield json.dumps(dict(final, message={"role": "assistant", "content": ""})) + "\n"

        return StreamingResponse(lines(), media_type="application/x-ndjson", headers=reply.headers)
