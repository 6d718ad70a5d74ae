"""The JSON-RPC framing target: bad frames sent to the real server (``freeagent serve``), which
must keep answering.

Owns the server session (one process per batch, ``initialize``/``initialized`` over a small
temporary workspace with an open TypeScript file) and the frame strategy. After each bad frame
the target sends a good ``freeagent/projectBrief`` request and waits :data:`ANSWER_SECONDS`
for its answer: a server that exited is a *crash*, one that does not answer is a *hang*.

The rule for frames (LSP base protocol as pygls reads it: header lines up to a blank line, the
``Content-Length`` header says how many body bytes follow): every bad frame ends on a line
break, and a numeric ``Content-Length`` never exceeds the bytes actually sent. A frame whose
length promises more bytes than will ever come legitimately swallows what follows (the server
waits for the rest, or exits at EOF), so it says nothing about robustness and is not generated.
Within that rule anything goes: missing, non-numeric, negative, lower-case or duplicated
``Content-Length`` headers, a length shorter than the body (the rest reads as junk header
lines), bodies that are not JSON or not UTF-8, JSON that is not an object, real methods
(``textDocument/codeAction``, ``textDocument/didOpen`` …) with params of the wrong types,
unknown methods, responses to requests never made, and multi-MB messages. ``exit`` and
``shutdown`` are left out: after them a server is meant to stop answering.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from hypothesis import strategies as st

from . import strategies as s
from .targets import Hang, Target

ANSWER_SECONDS = 10.0
SOURCE = "import { x } from './b'\nexport const a = x + 1\n"

METHODS = [
    "textDocument/codeAction",
    "textDocument/didOpen",
    "textDocument/didChange",
    "textDocument/didClose",
    "textDocument/didSave",
    "workspace/didChangeConfiguration",
    "workspace/didChangeWatchedFiles",
    "workspace/didChangeWorkspaceFolders",
    "workspace/executeCommand",
    "freeagent/projectBrief",
    "initialize",
    "initialized",
    "$/cancelRequest",
    "$/setTrace",
    "textDocument/unknown",
    "nope",
    "",
]


class Server:
    """The server process, and the messages it sends, read on a thread into a queue."""

    def __init__(self, root: Path):
        self.root = root
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "freeagent", "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=root,
            env=env,
        )
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 1000
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)  # EOF: the server is gone
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
                elif line in (b"\r\n", b"\n"):
                    break
            if length is not None:
                self.messages.put(json.loads(out.read(length)))

    def send(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send_message(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.send(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method: str, params: object, timeout: float = ANSWER_SECONDS) -> dict:
        self.next_id += 1
        rid = self.next_id
        self.send_message({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(rid, timeout)

    def wait(self, rid: int, timeout: float) -> dict:
        import time

        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Hang(f"no answer to request {rid} within {timeout:.0f} s")
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if message is None:
                raise ConnectionError(f"the server exited (code {self.proc.wait(5)})")
            if message.get("id") == rid and "method" not in message:
                return message
            if "method" in message and "id" in message:  # a request of the server's: answer it
                self.send_message({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.request("shutdown", None, timeout=5)
            self.send_message({"jsonrpc": "2.0", "method": "exit"})
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@contextlib.contextmanager
def server_session() -> Iterator[Server]:
    with tempfile.TemporaryDirectory(prefix="fa-fuzz-rpc-") as tmp:
        root = Path(tmp).resolve()
        (root / "package.json").write_text('{"name": "ws", "dependencies": {}}')
        (root / "src").mkdir()
        (root / "src" / "a.ts").write_text(SOURCE)
        (root / "src" / "b.ts").write_text("export const x = 1\n")
        server = Server(root)
        try:
            server.request(
                "initialize",
                {
                    "processId": os.getpid(),
                    "rootUri": root.as_uri(),
                    "capabilities": {},
                    "workspaceFolders": [{"uri": root.as_uri(), "name": "ws"}],
                },
                timeout=60,
            )
            server.send_message({"jsonrpc": "2.0", "method": "initialized", "params": {}})
            uri = (root / "src" / "a.ts").as_uri()
            doc = {"uri": uri, "languageId": "typescript", "version": 1, "text": SOURCE}
            server.send_message({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": doc}})
            server.request("freeagent/projectBrief", {"uri": root.as_uri()}, timeout=60)
            yield server
        finally:
            server.close()


def _frame(body: bytes, header: bytes | None = None) -> bytes:
    head = b"Content-Length: %d\r\n" % len(body) if header is None else header
    return head + b"\r\n" + body + b"\r\n"


@st.composite
def frames(draw) -> bytes:
    kind = draw(st.sampled_from(["header", "short", "body", "message", "message", "message", "huge"]))
    if kind == "header":  # a header block no valid length can be read from; then a body-ish line
        header = draw(
            st.lists(
                st.sampled_from(
                    [
                        b"Content-Length: abc\r\n",
                        b"Content-Length: -5\r\n",
                        b"Content-Length:\r\n",
                        b"Content-Length: 0\r\n",
                        b"Content-Length: 1e3\r\n",
                        b"Content-Length:  12\r\n",
                        b"content-length: 4\r\n",
                        b"Content-Type: application/vscode-jsonrpc; charset=latin1\r\n",
                        b"X: y\r\n",
                        b"\xff\xfe\r\n",
                        b"Content-Length 5\r\n",
                    ]
                ),
                min_size=1,
                max_size=3,
            )
        )
        return b"".join(header) + b"\r\n" + draw(st.binary(max_size=20)).replace(b"\n", b"") + b"\r\n"
    if kind == "short":  # a length shorter than the body: the rest reads as junk lines
        body = draw(st.binary(min_size=1, max_size=60))
        cut = draw(st.integers(0, len(body)))
        return b"Content-Length: %d\r\n\r\n" % cut + body + b"\r\n"
    if kind == "body":
        body = draw(
            st.one_of(
                st.binary(max_size=100),
                s.json_values(10).map(lambda v: json.dumps(v, allow_nan=True).encode()),
                st.sampled_from([b"{", b"null", b"[]", b'{"jsonrpc": "2.0"}', b'{"jsonrpc": "1.0", "id": 1}']),
            )
        )
        return _frame(body)
    if kind == "huge":  # a multi-MB message: a didOpen (or didChange) of a large file
        size = draw(st.integers(1, 4)) * 1_000_000
        method = draw(st.sampled_from(["textDocument/didOpen", "textDocument/didChange", "nope"]))
        text = "export const a = 1\n" * (size // 19)
        params = {
            "textDocument": {"uri": "file:///big.ts", "languageId": "typescript", "version": 2, "text": text},
            "contentChanges": [{"text": text}],
        }
        return _frame(json.dumps({"jsonrpc": "2.0", "method": method, "params": params}).encode())
    message: dict = {"jsonrpc": draw(st.sampled_from(["2.0", "2.0", "1.0", 2]))}
    if draw(st.booleans()):
        message["id"] = draw(s.SCALARS | st.integers(1, 5))
    if draw(st.integers(0, 5)):
        message["method"] = draw(st.sampled_from(METHODS) | st.text(max_size=10))
    else:
        message["result"] = draw(s.json_values(5))  # a response to a request never made
    message["params"] = draw(
        st.one_of(
            s.json_values(15),
            st.fixed_dictionaries(
                {
                    "textDocument": s.json_values(6)
                    | st.fixed_dictionaries(
                        {"uri": s.SCALARS | st.sampled_from(["file:///x.ts", "file:///", "untitled:1", "::"])}
                    )
                },
                optional={
                    "range": s.json_values(6),
                    "context": s.json_values(6),
                    "contentChanges": s.json_values(6),
                    "settings": s.json_values(6),
                    "changes": s.json_values(6),
                    "event": s.json_values(6),
                    "uri": s.SCALARS,
                },
            ),
        )
    )
    return _frame(json.dumps(message, allow_nan=True).encode())


def _rpc(server: Server, frame: bytes) -> None:
    server.send(frame)
    answer = server.request("freeagent/projectBrief", {"uri": server.root.as_uri()})
    if "error" in answer:
        raise AssertionError(f"the good request failed after the bad frame: {answer['error']}")


RPC_TARGET = Target("jsonrpc", frames(), _rpc, session=server_session, bound=ANSWER_SECONDS + 2)
