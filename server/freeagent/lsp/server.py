"""The Free Agent language server: the server object, its lifecycle, and which handler serves what.

Owns the state (on the server object: one :class:`Folder` per workspace folder, the settings
layers, background tasks), the LSP lifecycle (initialize, initialized, shutdown, folder and
configuration changes), indexing a folder under ``workDoneProgress``, the
``freeagent/projectBrief`` request, and :func:`create_server`, which only registers handlers.
Each feature lives in its own module beside this one:

- :mod:`.documents` — open/change/save/close: overlays and debounced validation;
- :mod:`.diagnostics` — publishing findings (push), ``textDocument/diagnostic`` (pull), what a
  change means for the other open documents;
- :mod:`.code_actions` — listing, quick fixes, source actions, resolve;
- :mod:`.generate` — the ``freeagent.generate`` command (the LLM under progress);
- :mod:`.watching` — file watching (the client's, or the server's own);
- :mod:`.typecheck` — the workspace's tsc on save.

Context work is CPU-bound and not thread-safe, so every context call runs on one dedicated
worker thread (``self.worker``); the event loop only awaits it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..config import SECTION
from . import code_actions, diagnostics, documents, generate, outcomes, watching
from .convert import LOG_ORDER, log_type, path_to_uri, uri_to_path

if TYPE_CHECKING:
    from ..config import Settings
    from ..context import WorkspaceContext
    from ..engine import FolderEngine
    from ..generate.tokens import TokenCounter

# The engine (pydantic, tree-sitter, yaml …) is imported on `initialized`, not at start-up:
# lsprotocol alone costs ~0.3 s to import, and `initialize` must be answered fast.

log = logging.getLogger("freeagent")

PROJECT_BRIEF = "freeagent/projectBrief"
STATUS = "freeagent/status"  # what the server holds: for tests, benchmarks and a status bar
T = TypeVar("T")


class Folder:
    """One workspace folder: its engine, its settings layer and its readiness."""

    def __init__(self, uri: str, path: Path):
        self.uri = uri
        self.path = path
        self._engine: FolderEngine | None = None
        self.ready = asyncio.Event()
        self.raw_settings: Any = None
        self.load_task: asyncio.Task | None = None

    @property
    def engine(self) -> FolderEngine:
        if self._engine is None:
            from ..engine import FolderEngine

            self._engine = FolderEngine(self.path)
        return self._engine

    @property
    def context(self) -> WorkspaceContext:
        return self.engine.context

    @property
    def settings(self) -> Settings:
        """The settings in force in this folder (its ``.freeagent.json`` and the editor's)."""
        return self.engine.settings

    def contains(self, path: Path) -> bool:
        return path == self.path or self.path in path.parents


class FreeAgentServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("freeagent", __version__)
        self.worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="context")
        self.folders: dict[str, Folder] = {}
        self.init_options: Any = None
        self.global_settings_raw: Any = None
        self.settings: Settings | None = None  # the editor's layers, set on `initialized` (watch, logLevel)
        self.pending: dict[str, asyncio.Task] = {}  # debounced per-URI updates
        self.tasks: set[asyncio.Task] = set()  # background work we keep references to
        self.watcher: asyncio.Task | None = None
        self.watch_mode = "off"
        self.published: dict[str, int] = {}  # path -> number of diagnostics last published
        self.shutting_down = False
        self.progress_count = 0
        self._token_counter: TokenCounter | None = None  # the LLM prompt's tokenizer, loaded on first generation
        self.session_cost: float | None = 0.0  # what generating has cost since the server started (None: unknown)
        self.generations = 0

    @property
    def token_counter(self) -> TokenCounter:
        if self._token_counter is None:
            from ..generate.tokens import TokenCounter

            self._token_counter = TokenCounter()
        return self._token_counter

    # ------------------------------------------------------------------ helpers

    def log(self, level: str, message: str) -> None:
        from ..redact import mask_keys, settings_keys

        keys = [k for f in self.folders.values() if f._engine is not None for k in settings_keys(f.settings.llm)]
        message = mask_keys(message, keys)  # an API key never reaches a log, at any level
        getattr(log, level)(message)  # error | warning | info | debug
        threshold = self.settings.log_level if self.settings is not None else "info"
        if LOG_ORDER.index(level) <= LOG_ORDER.index(threshold):
            with contextlib.suppress(Exception):  # the transport may already be gone at exit
                self.window_log_message(types.LogMessageParams(type=log_type(level), message=message))

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self.tasks.add(task)

        def done(t: asyncio.Task) -> None:
            self.tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                self.log("error", f"{name} failed: {t.exception()!r}")

        task.add_done_callback(done)
        return task

    async def in_worker(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.worker, fn, *args)

    def folder_for(self, path: Path) -> Folder | None:
        best = None
        for folder in self.folders.values():
            if folder.contains(path) and (best is None or len(str(folder.path)) > len(str(best.path))):
                best = folder
        return best

    def folder_of(self, uri: str | None) -> tuple[Path | None, Folder | None]:
        """The path of a document URI and the workspace folder that owns it (None for either)."""
        path = uri_to_path(uri) if uri else None
        return path, self.folder_for(path) if path is not None else None

    def can_create_files(self) -> bool:
        """Whether the client applies workspace edits that create files (a generated handler's
        credential-check module); without it that module's code goes into the file itself."""
        ws = self.client_capabilities.workspace
        edit = ws.workspace_edit if ws is not None else None
        operations = (edit.resource_operations or []) if edit is not None else []
        return bool(edit is not None and edit.document_changes and types.ResourceOperationKind.Create in operations)

    def owning_folder(self, uri: str | None) -> tuple[Path, Folder]:
        """The path of a request's document and its folder, or an LSP error (invalid params) when
        no workspace folder holds it: nothing is read or edited outside the workspace (symlinks
        are resolved first, so a link that points out of a folder is outside)."""
        path, folder = self.folder_of(uri)
        if path is None or folder is None:
            raise JsonRpcInvalidParams(f"{uri!r} is not inside a workspace folder of this server")
        return path, folder

    def add_folder(self, uri: str) -> Folder | None:
        path = uri_to_path(uri)
        if path is None or uri in self.folders:
            return self.folders.get(uri)
        folder = Folder(uri, path)
        self.folders[uri] = folder
        return folder

    def overlays_open(self) -> set[Path]:
        out: set[Path] = set()
        for folder in self.folders.values():
            out.update(folder.context.overlays)
        return out

    # ------------------------------------------------------------------ settings

    def supports_configuration(self) -> bool:
        ws = self.client_capabilities.workspace
        return bool(ws and ws.configuration)

    async def refresh_settings(self) -> None:
        """Re-read the editor's settings layers and apply them to each folder (above the
        folder's own ``.freeagent.json``, which the folder's engine reads itself)."""
        from ..config import merge_settings

        if self.supports_configuration():
            items = [types.ConfigurationItem(section=SECTION)] + [
                types.ConfigurationItem(scope_uri=f.uri, section=SECTION) for f in self.folders.values()
            ]
            try:
                answers = await self.workspace_configuration_async(types.ConfigurationParams(items=items))
            except Exception as exc:  # noqa: BLE001
                self.log("warning", f"workspace/configuration failed: {exc}")
                answers = [None] * len(items)
            self.global_settings_raw = answers[0] if answers else None
            for folder, raw in zip(
                self.folders.values(), answers[1:], strict=False
            ):  # a short answer: None for the rest
                folder.raw_settings = raw
        self.settings, problems = merge_settings(self.init_options, self.global_settings_raw)
        for folder in self.folders.values():
            layers = (self.init_options, self.global_settings_raw, folder.raw_settings)
            if folder.load_task is None:  # not indexed yet: it will be, with these settings
                _, folder_problems = folder.engine.set_layers(layers)
            else:
                await folder.ready.wait()
                change, folder_problems = await self.in_worker(folder.engine.set_layers, layers)
                diagnostics.after_change(self, folder, change, "settings")
                await diagnostics.revalidate_open(self, folder)  # ignored codes and the like may have changed
            problems += [p for p in folder_problems if p not in problems]
        for problem in problems:
            self.log("warning", problem)
        if problems:
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message="Free Agent: " + "; ".join(problems))
            )

    # ------------------------------------------------------------------ loading

    def start_loading(self, folder: Folder) -> None:
        """Index a folder once; a folder can be announced by `initialized` and by a folder change."""
        if folder.load_task is None:
            folder.load_task = self.spawn(self.load_folder(folder), f"index {folder.path}")

    async def load_folder(self, folder: Folder) -> None:
        token = await self.begin_progress("Free Agent: indexing", folder.path.name, percentage=0)
        loop = asyncio.get_running_loop()

        def report(done: int, total: int) -> None:
            if token is not None:
                pct = int(done * 100 / total) if total else 100
                loop.call_soon_threadsafe(
                    self.work_done_progress.report,
                    token,
                    types.WorkDoneProgressReport(message=f"{done}/{total} files", percentage=pct),
                )

        folder.engine.tune()
        change = await self.in_worker(lambda: folder.engine.load(report, lambda: self.shutting_down))
        folder.ready.set()
        self.end_progress(token, f"{len(folder.context.index)} files indexed")
        self.log(
            "info",
            f"indexed {folder.path} — {len(folder.context.index)} files, "
            f"{folder.context.index.total_bytes / 1e6:.2f} MB in {change.seconds:.2f} s",
        )
        diagnostics.publish(self, folder, set(folder.engine.problems_by_file()))
        self.spawn(diagnostics.validate_specs(self, folder), f"validate specs in {folder.path}")
        # what was applied here and committed since: its survival at the commit (reads git)
        self.spawn(self.in_worker(folder.engine.track_commits), f"survival at commits in {folder.path}")
        self.spawn(self.warm_python(folder), f"warm the Python answers of {folder.path}")

    async def warm_python(self, folder: Folder) -> None:
        """Answer ahead what the folder's Python files ask about installed packages, in a process
        of its own (see :mod:`..context.pywarm`) under a progress, then take up its answers. The
        server keeps serving meanwhile (an open file asks jedi itself); the process is killed when
        the server shuts down; a failure is one log line."""
        argv = await self.in_worker(folder.context.python_warm_command)
        if argv is None:
            return
        token = await self.begin_progress("Free Agent: reading installed Python packages", folder.path.name)
        started = time.perf_counter()
        try:
            process = await asyncio.create_subprocess_exec(
                *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=str(folder.path)
            )
        except OSError as exc:
            self.log("warning", f"warming Python answers could not start: {exc}")
            self.end_progress(token, "failed")
            return
        try:
            out, err = await process.communicate()
        except asyncio.CancelledError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            self.end_progress(token, "stopped")
            raise
        if process.returncode == 0:
            await self.in_worker(folder.context.reread_python_answers)
            message = out.decode(errors="replace").strip() or "done"
            self.log("info", f"{folder.path}: Python answers {message}")
        else:
            message = "failed"
            self.log(
                "warning",
                err.decode(errors="replace").strip() or f"warming Python answers failed ({process.returncode})",
            )
        self.end_progress(token, f"{message} ({time.perf_counter() - started:.1f} s)")

    async def begin_progress(
        self,
        title: str,
        message: str,
        *,
        token: str | None = None,
        cancellable: bool = False,
        percentage: int | None = None,
    ) -> str | None:
        """A work-done progress the client shows (indexing, the Python warm-up, a generation): its
        token, or None when the client takes none (the work goes on without it)."""
        window = self.client_capabilities.window
        if not (window and window.work_done_progress):
            return None
        if token is None:
            self.progress_count += 1
            token = f"freeagent-progress-{self.progress_count}"
        try:
            await self.work_done_progress.create_async(token)
            self.work_done_progress.begin(
                token,
                types.WorkDoneProgressBegin(
                    title=title, message=message, percentage=percentage, cancellable=cancellable
                ),
            )
        except Exception:  # noqa: BLE001 - a client may refuse progress; the work goes on
            return None
        return token

    def end_progress(self, token: str | None, message: str) -> None:
        if token is not None:
            with contextlib.suppress(Exception):  # the transport may be gone at shutdown
                self.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
            self.work_done_progress.tokens.pop(token, None)


# ---------------------------------------------------------------------- lifecycle handlers


def initialize(ls: FreeAgentServer, params: types.InitializeParams) -> None:
    ls.init_options = params.initialization_options
    folders = params.workspace_folders or []
    if folders:
        for f in folders:
            ls.add_folder(f.uri)
    elif params.root_uri:
        ls.add_folder(params.root_uri)
    elif params.root_path:
        ls.add_folder(path_to_uri(params.root_path))


async def initialized(ls: FreeAgentServer, params: types.InitializedParams) -> None:
    await ls.refresh_settings()
    for folder in list(ls.folders.values()):
        ls.start_loading(folder)
    ls.spawn(watching.start(ls), "start watching")


def shutdown(ls: FreeAgentServer, params: None) -> None:
    ls.shutting_down = True
    for task in list(ls.tasks):
        task.cancel()
    ls.worker.shutdown(wait=False, cancel_futures=True)


async def did_change_configuration(ls: FreeAgentServer, params: types.DidChangeConfigurationParams) -> None:
    if not ls.supports_configuration():
        ls.global_settings_raw = params.settings
    if ls.settings is None:
        return  # before `initialized` has read the settings (VS Code sends one right away): it will
    old_watch = ls.settings.watch
    await ls.refresh_settings()
    if ls.settings.watch != old_watch:
        await watching.restart(ls)


async def did_change_folders(ls: FreeAgentServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    for removed in params.event.removed:
        folder = ls.folders.pop(removed.uri, None)
        if folder is not None:
            diagnostics.clear(ls, folder)
    added = [ls.add_folder(f.uri) for f in params.event.added]
    await ls.refresh_settings()
    for folder in added:
        if folder is not None:
            ls.start_loading(folder)
    if ls.watch_mode == "server":
        watching.restart_server_watcher(ls)


async def project_brief(ls: FreeAgentServer, params: Any) -> dict:
    uri = params.get("uri") if isinstance(params, dict) else getattr(params, "uri", None)
    folder = ls.folder_of(uri)[1] if uri else next(iter(ls.folders.values()), None)
    if folder is None:
        raise ValueError(f"no workspace folder contains {uri!r}")
    await folder.ready.wait()
    brief = await ls.in_worker(folder.context.brief)
    return {"uri": folder.uri, "markdown": brief.markdown, "data": brief.data}


def status(ls: FreeAgentServer, params: Any) -> dict:
    """``{"tasks", "pendingDocuments", "openDocuments", "folders"}``: background tasks held, debounced
    document updates not yet run, overlays, and each folder's indexed file count (None: loading)."""
    return {
        "tasks": len(ls.tasks),
        "pendingDocuments": len(ls.pending),
        "openDocuments": len(ls.overlays_open()),
        "folders": {f.uri: (len(f.context.index) if f.ready.is_set() else None) for f in ls.folders.values()},
    }


def create_server() -> FreeAgentServer:
    """The server with every handler registered (each feature's module holds its handlers)."""
    server = FreeAgentServer()
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(initialized)
    server.feature(types.SHUTDOWN)(shutdown)
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)
    server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)(did_change_folders)
    server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(watching.did_change_watched_files)
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(documents.did_open)
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(documents.did_change)
    server.feature(types.TEXT_DOCUMENT_DID_SAVE)(documents.did_save)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(documents.did_close)
    server.feature(types.TEXT_DOCUMENT_CODE_ACTION, code_actions.OPTIONS)(code_actions.code_action)
    server.feature(types.CODE_ACTION_RESOLVE)(code_actions.resolve)
    server.command(generate.COMMAND)(generate.command)
    server.command(outcomes.FEEDBACK)(outcomes.feedback)
    server.command(outcomes.APPLIED)(outcomes.applied)
    server.feature(outcomes.STATS)(outcomes.stats)
    server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, diagnostics.OPTIONS)(diagnostics.document_diagnostic)
    server.feature(types.WORKSPACE_DIAGNOSTIC)(diagnostics.workspace_diagnostic)
    server.feature(PROJECT_BRIEF)(project_brief)
    server.feature(STATUS)(status)
    return server


def run(transport: str = "stdio", host: str = "127.0.0.1", port: int = 2087) -> None:
    logging.basicConfig(level=os.environ.get("FREEAGENT_LOG", "WARNING").upper())
    server = create_server()
    if transport == "tcp":
        server.start_tcp(host, port)
    else:
        server.start_io()
