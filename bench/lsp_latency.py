"""Diagnostics latency through the protocol: the real server process, real JSON-RPC over stdio.

A pygls client opens the 3,000-line TypeScript file of ``bench/validate_bench.py`` in a copy of
tests/fixtures/express-zod-api, with ``changeDebounceMs: 0``, then sends incremental
``didChange`` notifications — each a one-line edit that breaks or mends the path of an API call
in the middle of the file (so the findings, and a publication, follow every version) — and
times each until the server's ``publishDiagnostics`` for that document version arrives. For comparison it also times a change
that touches every statement of the file (a whole-file check: nothing the server kept applies).
Target (validation-depth issue): p95 <= 30 ms for a one-line edit, on these 2-core machines.
Prints figures; asserts nothing.

Usage: python bench/lsp_latency.py [--lines 3000] [--runs 100]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from validate_bench import big_file  # noqa: E402  (the same file as the in-process bench)


async def start(root: Path) -> tuple[LanguageClient, dict[int, asyncio.Future]]:
    client = LanguageClient("lsp-latency-bench", "1")
    waiting: dict[int, asyncio.Future] = {}

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(params):
        return None

    @client.feature(types.WORKSPACE_CONFIGURATION)
    def on_configuration(params):
        return [{"changeDebounceMs": 0} for _ in params.items]

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def on_progress(params):
        return None

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams):
        future = waiting.pop(params.version, None) if params.version is not None else None
        if future is not None and not future.done():
            future.set_result(time.perf_counter())

    await client.start_io(sys.executable, "-m", "freeagent", "serve")
    caps = types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(configuration=True))
    await client.initialize_async(
        types.InitializeParams(
            capabilities=caps, workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")]
        )
    )
    client.initialized(types.InitializedParams())
    return client, waiting


def one_line(row: int, old: str, new: str) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(
            start=types.Position(line=row, character=0), end=types.Position(line=row, character=len(old))
        ),
        text=new,
    )


async def measure(lines: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="freeagent-lsp-bench-") as tmp:
        root = Path(tmp) / "api"
        shutil.copytree(ROOT / "tests" / "fixtures" / "express-zod-api", root)
        text = big_file(lines)
        path = root / "src" / "big.ts"
        path.write_text(text)
        client, waiting = await start(root)
        loop = asyncio.get_running_loop()
        uri, version = path.as_uri(), 1

        async def published(send) -> float:
            nonlocal version
            version += 1
            waiting[version] = loop.create_future()
            started = time.perf_counter()
            send(version)
            done = await asyncio.wait_for(waiting[version], 60)
            return (done - started) * 1000

        try:
            waiting[1] = loop.create_future()
            client.text_document_did_open(
                types.DidOpenTextDocumentParams(
                    text_document=types.TextDocumentItem(uri=uri, language_id="typescript", version=1, text=text)
                )
            )
            await asyncio.wait_for(waiting[1], 120)  # the first check (the folder is indexed first)
            rows = text.split("\n")
            # an API call in the middle of the file, its path broken and mended in turn: the
            # findings change with every edit, so every version is published (the server sends
            # nothing when a version's findings are those already shown)
            calls = [i for i, line in enumerate(rows) if "/comments?cursor=" in line]
            middle = calls[len(calls) // 2]
            good, bad = rows[middle], rows[middle].replace("/comments?", "/coments?")
            edits, whole = [], []
            for run in range(runs + 5):
                old = rows[middle]
                rows[middle] = bad if old == good else good
                change = one_line(middle, old, rows[middle])
                ms = await published(
                    lambda v, change=change: client.text_document_did_change(
                        types.DidChangeTextDocumentParams(
                            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=v),
                            content_changes=[change],
                        )
                    )
                )
                if run >= 5:  # the first few warm the server's caches for this document
                    edits.append(ms)
            for run in range(max(runs // 4, 10)):
                # every line of every statement changes (a trailing space added or taken away)
                rows = [line + " " if run % 2 == 0 else line[:-1] for line in rows]
                rows[middle] = (bad if good in rows[middle] else good) + (" " if run % 2 == 0 else "")
                full = "\n".join(rows)
                whole.append(
                    await published(
                        lambda v, full=full: client.text_document_did_change(
                            types.DidChangeTextDocumentParams(
                                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=v),
                                content_changes=[types.TextDocumentContentChangeWholeDocument(text=full)],
                            )
                        )
                    )
                )
        finally:
            await client.shutdown_async(None)
            client.exit(None)
            await client.stop()
    edits.sort()
    whole.sort()

    def line(label: str, timings: list[float]) -> str:
        return (
            f"{label} ({len(timings)} runs): p50 {statistics.median(timings):.1f} ms, "
            f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms"
        )

    print(
        f"file: {len(text.splitlines())} lines, {len(text) / 1024:.0f} KB; didChange -> publishDiagnostics, real server"
    )
    print(line("one-line edit (incremental didChange)", edits) + "   target p95 <= 30 ms")
    print(line("whole-file check (every line changed, full text)", whole))
    print(f"one-line edit / whole-file check: {statistics.median(edits) / statistics.median(whole):.2f} (p50)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(measure(args.lines, args.runs))


if __name__ == "__main__":
    main()
