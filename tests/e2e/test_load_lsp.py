"""Consistency under load: 1,000 rapid didChange notifications (mixed inserts and deletes,
incremental) on a 3,000-line document end with exactly the diagnostics of the final text, and
the server holds no more tasks than before."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from freeagent.engine import FolderEngine
from tests.helpers import EXAMPLE, copy_fixture

from .conftest import folder, wait_until


def line_of(rng: random.Random, n: int) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return f"import {{ thing{n} }} from 'not-installed-{n % 7}';"
    if kind == 1:
        return f"export async function call{n}() {{ return fetch(`/tasks/${{'{n}'}}/comments`); }}"
    if kind == 2:
        return f"export async function bad{n}() {{ return fetch('/no-such-endpoint-{n % 5}'); }}"
    return f"export const value{n} = {n} * 2;"


async def status(client: LanguageClient) -> dict:
    """The server's freeagent/status (the client reads an untyped result as an object)."""
    result = await client.protocol.send_request_async("freeagent/status", {})
    return {key: getattr(result, key) for key in ("tasks", "pendingDocuments", "openDocuments")}


async def test_a_storm_of_edits_ends_with_the_diagnostics_of_the_final_text(client: LanguageClient, tmp_path: Path):
    rng = random.Random(12)
    root = copy_fixture(EXAMPLE, tmp_path)
    path = root / "src" / "big.ts"
    lines = [line_of(rng, n) for n in range(3000)]
    path.write_text("\n".join(lines) + "\n")
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[folder(root)],
            initialization_options={"changeDebounceMs": 20},
        )
    )
    uri = path.as_uri()
    lines.append("")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="typescript", version=1, text="\n".join(lines))
        )
    )
    await wait_until(lambda: uri in client.diagnostics, timeout=30)
    await wait_until_idle(client)
    before = await status(client)

    for version in range(2, 1002):
        row = rng.randrange(len(lines) - 1)
        if rng.random() < 0.5:  # insert a whole line before `row`
            new = line_of(rng, 5000 + version)
            change = types.TextDocumentContentChangePartial(
                range=types.Range(
                    start=types.Position(line=row, character=0), end=types.Position(line=row, character=0)
                ),
                text=new + "\n",
            )
            lines.insert(row, new)
        else:  # delete line `row`
            change = types.TextDocumentContentChangePartial(
                range=types.Range(
                    start=types.Position(line=row, character=0), end=types.Position(line=row + 1, character=0)
                ),
                text="",
            )
            del lines[row]
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change],
            )
        )
        if version % 50 == 0:
            await asyncio.sleep(0)  # let the transport breathe, as an editor's would
    final = "\n".join(lines)
    await wait_until_idle(client)
    after = await status(client)
    assert after["tasks"] <= before["tasks"] and after["pendingDocuments"] == 0, (before, after)

    engine = FolderEngine(root)
    engine.load()
    engine.set_overlay(path, final)
    engine.validate_file(path)
    expected = sorted(
        (f.code, f.range.line, f.range.character, f.message) for f in engine.problems_by_file()[str(path)]
    )
    published = sorted(
        (d.code, d.range.start.line, d.range.start.character, d.message) for d in client.diagnostics[uri]
    )
    assert len(expected) > 100 and published == expected


async def wait_until_idle(client: LanguageClient, timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        s = await status(client)
        if s["pendingDocuments"] == 0 and s["tasks"] <= 1:
            return
        if loop.time() > deadline:
            raise AssertionError(f"the server did not settle: {s}")
        await asyncio.sleep(0.05)
