"""The deep check on save: the workspace's own tsc over a saved TypeScript document (FA501).

Owns running it (``typecheckOnSave``): after the document's pending update, in a subprocess,
within ``typecheckTimeoutMs``, killed when cancelled; results are dropped when the document
moved on while tsc ran, else held by the engine until the file changes.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from . import diagnostics

if TYPE_CHECKING:
    from .server import FreeAgentServer


async def on_save(ls: FreeAgentServer, path: Path, uri: str) -> None:
    from ..validate.typecheck import TypeCheck

    folder = ls.folder_for(path)
    if folder is None:
        return
    await folder.ready.wait()  # settings are known once the folder is indexed
    settings = folder.settings
    if not settings.typecheck_on_save:
        return
    pending = ls.pending.get(uri)
    if pending is not None:
        await asyncio.wait([pending])
    doc = ls.workspace.text_documents.get(uri)
    version = doc.version if doc is not None else None
    text = doc.source if doc is not None else (folder.context.read(path) or "")
    checker = TypeCheck(folder.context)
    prepared = await ls.in_worker(checker.prepare, path, text)
    if prepared is None:
        ls.log("info", f"no TypeScript compiler or tsconfig for {path.name}: type check skipped")
        return
    try:
        proc = await asyncio.create_subprocess_exec(
            *prepared.command, cwd=prepared.cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        try:
            output, _ = await asyncio.wait_for(proc.communicate(), settings.typecheck_timeout_ms / 1000)
        except (TimeoutError, asyncio.CancelledError):
            proc.kill()
            await proc.wait()
            ls.log("warning", f"type check of {path.name} stopped (time limit or cancelled)")
            return
    finally:
        prepared.cleanup()
    doc = ls.workspace.text_documents.get(uri)
    if doc is not None and doc.version != version:
        return  # the document moved on: these results are stale
    findings = checker.parse(prepared, output.decode("utf-8", "replace"), proc.returncode)
    folder.engine.set_type_findings(path, findings)
    diagnostics.publish(ls, folder, {str(path)})
