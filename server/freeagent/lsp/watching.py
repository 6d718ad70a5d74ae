"""File watching: changes on disk reach the engine, through the client or the server's own watcher.

Owns choosing who watches (``freeagent.watch``: the client through dynamic registration when it
can, else a server-side watchfiles task), the globs the client is asked to watch, the watcher
task, and turning each event into an engine update (an open document's text wins over the
disk's, so events for open documents are ignored).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from ..config import SETTINGS_FILE
from ..languages import SOURCE_SUFFIXES
from . import diagnostics
from .convert import uri_to_path

if TYPE_CHECKING:
    from .server import FreeAgentServer

WATCH_GLOBS = [
    "**/package.json",
    "**/pnpm-workspace.yaml",
    "**/{tsconfig,jsconfig}*.json",
    "**/pyproject.toml",
    "**/requirements*.{txt,in}",
    "**/{package-lock.json,npm-shrinkwrap.json,yarn.lock,pnpm-lock.yaml,bun.lock,bun.lockb,poetry.lock,uv.lock}",
    "**/.gitignore",
    "**/" + SETTINGS_FILE,
    "**/*.{" + ",".join(s.lstrip(".") for s in SOURCE_SUFFIXES) + "}",
    "**/*.{yaml,yml}",
    "**/openapi*.json",
]


async def file_event(ls: FreeAgentServer, path: Path, what: str) -> None:
    folder = ls.folder_for(path)
    if folder is None:
        return
    await folder.ready.wait()
    change = await ls.in_worker(folder.engine.file_changed, path)
    diagnostics.after_change(ls, folder, change, f"{what} {path.name}")


async def did_change_watched_files(ls: FreeAgentServer, params: types.DidChangeWatchedFilesParams) -> None:
    open_paths = ls.overlays_open()
    for event in params.changes:
        path = uri_to_path(event.uri)
        if path is not None and path not in open_paths:
            await file_event(ls, path, event.type.name.lower())


def choose_mode(ls: FreeAgentServer) -> str:
    assert ls.settings is not None, "watching starts after `initialized` has read the settings"
    mode = ls.settings.watch
    ws = ls.client_capabilities.workspace
    client_can = bool(ws and ws.did_change_watched_files and ws.did_change_watched_files.dynamic_registration)
    if mode == "auto":
        return "client" if client_can else "server"
    if mode == "client" and not client_can:
        ls.log("warning", "freeagent.watch is 'client' but the client cannot watch files; using the server watcher")
        return "server"
    return mode


async def start(ls: FreeAgentServer) -> None:
    ls.watch_mode = choose_mode(ls)
    if ls.watch_mode == "client":
        try:
            await _register_watchers(ls)
            ls.log("info", "watching files through the client")
            return
        except Exception as exc:  # noqa: BLE001 - the client said no: watch ourselves
            ls.log("warning", f"the client refused file watching ({exc}); using the server watcher")
            ls.watch_mode = "server"
    if ls.watch_mode == "server":
        restart_server_watcher(ls)
        ls.log("info", "watching files with the server's own watcher")


async def restart(ls: FreeAgentServer) -> None:
    """``freeagent.watch`` changed: stop the server's watcher (if any) and start over."""
    if ls.watcher is not None:
        ls.watcher.cancel()
        ls.watcher = None
    await start(ls)


async def _register_watchers(ls: FreeAgentServer) -> None:
    await ls.client_register_capability_async(
        types.RegistrationParams(
            registrations=[
                types.Registration(
                    id="freeagent-watched-files",
                    method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(
                        watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCH_GLOBS]
                    ),
                )
            ]
        )
    )


def restart_server_watcher(ls: FreeAgentServer) -> None:
    if ls.watcher is not None:
        ls.watcher.cancel()
    roots = [str(f.path) for f in ls.folders.values()]
    if roots:
        ls.watcher = ls.spawn(_server_watch(ls, roots), "file watcher")


async def _server_watch(ls: FreeAgentServer, roots: list[str]) -> None:
    import watchfiles

    from ..context.files import SKIP_DIRS, classify

    def wanted(_change: object, path: str) -> bool:
        parts = Path(path).parts
        return classify(os.path.basename(path)) is not None and not any(p in SKIP_DIRS for p in parts)

    async for changes in watchfiles.awatch(
        *roots, watch_filter=wanted, debounce=50, step=25, stop_event=None, recursive=True
    ):
        for _, path in sorted(changes):
            p = Path(path)
            if p in ls.overlays_open():
                continue  # the editor's text wins over disk while the document is open
            await file_event(ls, p, "disk change")
