"""Load on the real language server: memory over many edits, and a storm of edits on one file.

Targets (reliability issue): with 50 open documents and 10,000 edits, peak RSS stays within
1.5x of the RSS after the first 100 edits; 1,000 rapid incremental didChange notifications on a
3,000-line document settle (no pending update, no leaked task). Prints figures; asserts nothing.

Usage: python bench/load_bench.py [--documents 50] [--edits 10000] [--storm 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psutil
from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[1]


def line_of(rng: random.Random, n: int) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return f"import {{ thing{n} }} from 'not-installed-{n % 7}';"
    if kind == 1:
        return f"export async function bad{n}() {{ return fetch('/no-such-endpoint-{n % 5}'); }}"
    return f"export const value{n} = {n} * 2;"


async def start(root: Path) -> tuple[LanguageClient, psutil.Process]:
    client = LanguageClient("bench", "1")

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(params):
        return None

    @client.feature(types.WORKSPACE_CONFIGURATION)
    def on_configuration(params):
        return [{"changeDebounceMs": 20} for _ in params.items]

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def on_progress(params):
        return None

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params):
        return None

    await client.start_io(sys.executable, "-m", "freeagent", "serve")
    caps = types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(configuration=True))
    await client.initialize_async(
        types.InitializeParams(
            capabilities=caps, workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")]
        )
    )
    client.initialized(types.InitializedParams())
    server = client._server  # the subprocess pygls started
    assert server is not None
    return client, psutil.Process(server.pid)


async def settle(client: LanguageClient, timeout: float = 120.0) -> dict:
    deadline = time.perf_counter() + timeout
    while True:
        r = await client.protocol.send_request_async("freeagent/status", {})
        s = {k: getattr(r, k) for k in ("tasks", "pendingDocuments", "openDocuments")}
        if s["pendingDocuments"] == 0 and s["tasks"] <= 1:
            return s
        if time.perf_counter() > deadline:
            return s
        await asyncio.sleep(0.05)


def change(uri: str, version: int, lines: list[str], rng: random.Random, n: int):
    row = rng.randrange(max(len(lines) - 1, 1))
    if rng.random() < 0.5 or len(lines) < 10:
        new = line_of(rng, n)
        lines.insert(row, new)
        rng_change = types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=row, character=0), end=types.Position(line=row, character=0)),
            text=new + "\n",
        )
    else:
        del lines[row]
        rng_change = types.TextDocumentContentChangePartial(
            range=types.Range(
                start=types.Position(line=row, character=0), end=types.Position(line=row + 1, character=0)
            ),
            text="",
        )
    return types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[rng_change]
    )


async def main(documents: int, edits: int, storm: int) -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="freeagent-load-") as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(ROOT / "examples" / "taskboard", root)
        docs = []
        for i in range(documents):
            lines = [line_of(rng, n) for n in range(200)] + [""]
            path = root / "src" / f"doc{i}.ts"
            path.write_text("\n".join(lines))
            docs.append([path.as_uri(), 1, lines])
        big = root / "src" / "big.ts"
        big_lines = [line_of(rng, n) for n in range(3000)] + [""]
        big.write_text("\n".join(big_lines))
        client, proc = await start(root)
        for uri, _version, lines in docs:
            client.text_document_did_open(
                types.DidOpenTextDocumentParams(
                    text_document=types.TextDocumentItem(
                        uri=uri, language_id="typescript", version=1, text="\n".join(lines)
                    )
                )
            )
        await settle(client)
        peak = 0
        rss_100 = None
        started = time.perf_counter()
        for n in range(edits):
            doc = docs[n % len(docs)]
            doc[1] += 1
            client.text_document_did_change(change(doc[0], doc[1], doc[2], rng, 10_000 + n))
            if n % 50 == 0:
                await asyncio.sleep(0)
            if n == 99:
                await settle(client)
                rss_100 = proc.memory_info().rss
            if n % 500 == 0:
                peak = max(peak, proc.memory_info().rss)
        after = await settle(client)
        peak = max(peak, proc.memory_info().rss)
        seconds = time.perf_counter() - started
        assert rss_100 is not None
        print(f"{documents} open documents, {edits} edits in {seconds:.1f} s; settled: {after}")
        print(
            f"server RSS after the first 100 edits: {rss_100 / 1e6:.0f} MB, peak: {peak / 1e6:.0f} MB "
            f"= {peak / rss_100:.2f}x   target <= 1.5x"
        )

        uri = big.as_uri()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="typescript", version=1, text="\n".join(big_lines)
                )
            )
        )
        before = await settle(client)
        started = time.perf_counter()
        for version in range(2, storm + 2):
            client.text_document_did_change(change(uri, version, big_lines, rng, 50_000 + version))
            if version % 50 == 0:
                await asyncio.sleep(0)
        sent = time.perf_counter() - started
        after = await settle(client)
        print(
            f"storm: {storm} incremental didChange on a {len(big_lines)}-line document sent in {sent:.2f} s, "
            f"settled {time.perf_counter() - started:.2f} s after the first; tasks before {before['tasks']}, "
            f"after {after['tasks']}; pending after {after['pendingDocuments']}"
        )
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--storm", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(main(args.documents, args.edits, args.storm))
