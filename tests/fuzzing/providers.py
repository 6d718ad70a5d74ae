"""The provider-responses fuzz target: what a model server (or a proxy in front of it) sends back,
read by the real SDKs through the adapters.

Owns :data:`PROVIDER_TARGET`. Each case picks a provider (Anthropic Messages, OpenAI Chat
Completions, Ollama), streaming or not, a status code and a content type, and a body: the
provider's real response shape (JSON, SSE events or NDJSON lines) with fields dropped or replaced
by arbitrary JSON, that body truncated or spliced, arbitrary JSON, or plain text. The fake server
on 127.0.0.1 sends it as is. The rule: :func:`~freeagent.providers.retry.generate_with_retries`
either returns a :class:`~freeagent.providers.base.Completion` whose text is a string and whose
token counts are integers, or raises :class:`~freeagent.providers.base.ProviderError`; anything
else escaping is a crash (the pipeline and the server only handle ``ProviderError``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from hypothesis import strategies as st

from freeagent.providers import make_provider
from freeagent.providers.base import Completion, Message, ProviderError, ProviderOptions, Request
from freeagent.providers.retry import generate_with_retries
from tests.fakes.llm_server import FakeLLMServer, Reply

from . import strategies as s
from .targets import Target

DEADLINE_S = 3.0  # the call's own deadline; the case's bound is above it
REQUEST = Request("system", (Message("user", "write x"),), 256)
PATHS = {"anthropic": "/v1/messages", "openai": "/v1/chat/completions", "ollama": "/api/chat"}

ANTHROPIC_MESSAGE = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5",
    "content": [{"type": "text", "text": "export const x = 1;"}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 10, "output_tokens": 5, "cache_read_input_tokens": 0},
}
ANTHROPIC_EVENTS = [
    {"type": "message_start", "message": {**ANTHROPIC_MESSAGE, "content": []}},
    {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "export const x = 1;"}},
    {"type": "content_block_stop", "index": 0},
    {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 5}},
    {"type": "message_stop"},
]
OPENAI_COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "gpt-4o",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "export const x = 1;"}, "finish_reason": "stop"}
    ],
    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
}
OPENAI_CHUNKS = [
    {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gpt-4o",
        "choices": [{"index": 0, "delta": {"content": "export const x = 1;"}, "finish_reason": None}],
    },
    {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gpt-4o",
        "choices": [],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    },
]
OLLAMA_RESPONSE = {
    "model": "qwen2.5-coder",
    "created_at": "2026-01-01T00:00:00Z",
    "message": {"role": "assistant", "content": "export const x = 1;"},
    "done": True,
    "done_reason": "stop",
    "prompt_eval_count": 10,
    "eval_count": 5,
}
OLLAMA_PARTS = [
    {**OLLAMA_RESPONSE, "done": False, "done_reason": None},
    {**OLLAMA_RESPONSE, "message": {"role": "assistant", "content": ""}},
]


def shaped(template: object) -> st.SearchStrategy:
    """Values of ``template``'s shape, each part now and then dropped or replaced by any JSON."""
    if isinstance(template, dict):
        keys = sorted(template)
        inner = st.tuples(
            st.fixed_dictionaries({k: shaped(v) for k, v in template.items()}),
            st.one_of(st.just(frozenset()), st.just(frozenset()), st.sets(st.sampled_from(keys), max_size=2))
            if keys
            else st.just(frozenset()),
        ).map(lambda pair: {k: v for k, v in pair[0].items() if k not in pair[1]})
    elif isinstance(template, list) and template:
        inner = st.lists(shaped(template[0]), min_size=1, max_size=3) | st.just([])
    else:
        inner = st.just(template)
    return st.one_of(*[inner] * 12, s.json_values(8))  # most parts keep their shape


def _sse_anthropic(events: list) -> str:
    return "".join(f"event: {e.get('type') if isinstance(e, dict) else 'x'}\ndata: {json.dumps(e)}\n\n" for e in events)


def _sse_openai(chunks: list) -> str:
    return "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"


def _ndjson(parts: list) -> str:
    return "".join(json.dumps(p) + "\n" for p in parts)


def _stream_of(templates: list) -> st.SearchStrategy[list]:
    """The stream's events in order, some left out or repeated, each shaped."""
    return st.lists(st.sampled_from(range(len(templates))), max_size=len(templates) + 2).map(sorted).flatmap(
        lambda order: st.tuples(*[shaped(templates[i]) for i in order]).map(list)
    ) | st.tuples(*[shaped(t) for t in templates]).map(list)


BODIES = {
    ("anthropic", False): shaped(ANTHROPIC_MESSAGE).map(json.dumps),
    ("anthropic", True): _stream_of(ANTHROPIC_EVENTS).map(_sse_anthropic),
    ("openai", False): shaped(OPENAI_COMPLETION).map(json.dumps),
    ("openai", True): _stream_of(OPENAI_CHUNKS).map(_sse_openai),
    ("ollama", False): shaped(OLLAMA_RESPONSE).map(json.dumps),
    ("ollama", True): _stream_of(OLLAMA_PARTS).map(_ndjson),
}
CONTENT_TYPES = {False: "application/json", True: "text/event-stream"}


@dataclass
class Case:
    provider: str
    stream: bool
    status: int
    content_type: str
    body: str


@st.composite
def cases(draw) -> Case:
    provider = draw(st.sampled_from(sorted(PATHS)))
    stream = draw(st.booleans())
    shaped_body = BODIES[(provider, stream)]
    body = draw(
        st.one_of(shaped_body, shaped_body, shaped_body.flatmap(s.mutated), s.json_texts(), st.text(max_size=60))
    )
    status = draw(st.sampled_from([200, 200, 200, 200, 201, 204, 301, 400, 401, 404, 413, 429, 500, 503, 529]))
    if status == 204:
        body = ""  # a 204 has no body (the server would refuse to send one)
    natural = "application/x-ndjson" if provider == "ollama" and stream else CONTENT_TYPES[stream]
    content_type = draw(st.sampled_from([natural, natural, "application/json", "text/html", "text/plain"]))
    return Case(provider, stream, status, content_type, body)


@dataclass
class Session:
    server: FakeLLMServer
    loop: asyncio.AbstractEventLoop
    providers: dict = field(default_factory=dict)
    reply: Reply | None = None


@contextlib.contextmanager
def provider_session() -> Iterator[Session]:
    with FakeLLMServer() as server:
        loop = asyncio.new_event_loop()
        session = Session(server, loop)
        server.respond_with(lambda path, body: session.reply)
        for name in PATHS:
            base = server.url if name != "openai" else f"{server.url}/v1"
            options = ProviderOptions(name, "model", base_url=base, api_key="test-key", timeout_s=DEADLINE_S)
            session.providers[name] = make_provider(options)
        try:
            yield session
        finally:
            loop.close()


def _check(completion: Completion) -> None:
    if not isinstance(completion.text, str):
        raise TypeError(f"Completion.text is {type(completion.text).__name__}, not str")
    usage = completion.usage
    counts = (usage.input_tokens, usage.cached_input_tokens, usage.output_tokens, usage.cache_write_tokens)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in counts):
        raise TypeError(f"token counts are not integers: {usage}")


def _provider_response(session: Session, case: Case) -> None:
    session.reply = Reply(raw=case.body, status=case.status, headers={"content-type": case.content_type})
    provider = session.providers[case.provider]
    pieces: list[str] = []
    on_text = pieces.append if case.stream else None

    async def call() -> None:
        try:
            completion = await generate_with_retries(
                provider, REQUEST, max_retries=0, on_text=on_text, timeout_s=DEADLINE_S
            )
        except ProviderError:
            return
        _check(completion)

    session.loop.run_until_complete(call())


PROVIDER_TARGET = Target("provider-responses", cases(), _provider_response, provider_session, bound=DEADLINE_S + 2)
