"""Open documents: the editor's text as the engine's overlay, validated as the user types.

Owns didOpen/didChange/didSave/didClose: each schedules one update per document (typing is
debounced by ``changeDebounceMs``, a newer update cancels the pending one), which sets or drops
the overlay, validates the document and hands the change to :mod:`.diagnostics`. Saving a
TypeScript file also starts the type check (:mod:`.typecheck`); saving or closing any file
measures the survival of what Free Agent inserted into it (the outcome store).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from lsprotocol import types

from ..languages import TS_SUFFIXES
from . import diagnostics, typecheck
from .convert import uri_to_path

if TYPE_CHECKING:
    from .server import FreeAgentServer


def schedule(ls: FreeAgentServer, uri: str, delay: float) -> None:
    path = uri_to_path(uri)
    if path is None:
        return
    if (old := ls.pending.pop(uri, None)) is not None:
        old.cancel()

    async def run() -> None:
        if delay:
            await asyncio.sleep(delay)
        folder = ls.folder_for(path)
        if folder is None:
            return
        await folder.ready.wait()
        engine = folder.engine
        doc = ls.workspace.text_documents.get(uri)
        if doc is None:
            change = await ls.in_worker(engine.drop_overlay, path)
            change.problem_files |= await ls.in_worker(engine.forget_file, path)
        else:
            change = await ls.in_worker(engine.set_overlay, path, doc.source)
            change.problem_files |= await ls.in_worker(engine.validate_file, path)
            change.problem_files |= engine.drop_type_findings(path)  # type errors of the old text are stale
        if ls.pending.get(uri) is asyncio.current_task():
            del ls.pending[uri]
        diagnostics.after_change(ls, folder, change, f"edit {path.name}", validated=path if doc is not None else None)

    ls.pending[uri] = ls.spawn(run(), f"update {uri}")


def did_open(ls: FreeAgentServer, params: types.DidOpenTextDocumentParams) -> None:
    schedule(ls, params.text_document.uri, 0)


def did_change(ls: FreeAgentServer, params: types.DidChangeTextDocumentParams) -> None:
    folder = ls.folder_of(params.text_document.uri)[1]
    debounce_ms = folder.settings.change_debounce_ms if folder is not None and ls.settings is not None else 150
    schedule(ls, params.text_document.uri, debounce_ms / 1000)


def did_save(ls: FreeAgentServer, params: types.DidSaveTextDocumentParams) -> None:
    schedule(ls, params.text_document.uri, 0)
    path = uri_to_path(params.text_document.uri)
    if path is not None and path.suffix in TS_SUFFIXES:
        ls.spawn(typecheck.on_save(ls, path, params.text_document.uri), f"type check {path.name}")
    _survival(ls, params.text_document.uri, "save")


def did_close(ls: FreeAgentServer, params: types.DidCloseTextDocumentParams) -> None:
    schedule(ls, params.text_document.uri, 0)
    _survival(ls, params.text_document.uri, "close")


def _survival(ls: FreeAgentServer, uri: str, event: str) -> None:
    """How much of what Free Agent inserted into the document is still there (the saved file:
    the outcome store, via the engine), off the event loop."""
    path, folder = ls.folder_of(uri)
    if path is None or folder is None:
        return

    async def run() -> None:
        await folder.ready.wait()
        text = await ls.in_worker(_read, path)
        await ls.in_worker(folder.engine.track_survival, path, text, event)

    ls.spawn(run(), f"survival of {path.name}")


def _read(path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
