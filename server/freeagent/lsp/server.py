"""The Free Agent language server: state on the server object, thin handlers over the engine.

Owns the LSP lifecycle (initialize, initialized, shutdown), one ``WorkspaceContext`` per
workspace folder, settings from ``initializationOptions`` + ``workspace/configuration``
(precedence in :mod:`freeagent.config`), file watching (client-side through dynamic
registration when the client supports it, else a server-side watchfiles task), publishing the
context's problems as diagnostics, and the ``freeagent/projectBrief`` request.

Context work is CPU-bound and not thread-safe, so every context call runs on one dedicated
worker thread (``self.worker``); the event loop only awaits it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from .convert import LOG_ORDER, log_type, path_to_uri, to_diagnostic, uri_to_path
from . import llm_actions

if TYPE_CHECKING:
    from ..config import Settings
    from ..context import WorkspaceContext
    from ..context.workspace import Change
    from ..engine import FolderEngine

# The engine (pydantic, tree-sitter, yaml …) is imported on `initialized`, not at start-up:
# lsprotocol alone costs ~0.3 s to import, and `initialize` must be answered fast.
SECTION = "freeagent"
SOURCE_EXTENSIONS = ("ts", "mts", "cts", "tsx", "js", "mjs", "cjs", "jsx", "py", "pyi")

log = logging.getLogger("freeagent")

PROJECT_BRIEF = "freeagent/projectBrief"
WATCH_GLOBS = [
    "**/package.json",
    "**/pnpm-workspace.yaml",
    "**/{tsconfig,jsconfig}*.json",
    "**/pyproject.toml",
    "**/requirements*.{txt,in}",
    "**/{package-lock.json,npm-shrinkwrap.json,yarn.lock,pnpm-lock.yaml,bun.lock,bun.lockb,poetry.lock,uv.lock}",
    "**/.gitignore",
    "**/*.{" + ",".join(SOURCE_EXTENSIONS) + "}",
    "**/*.{yaml,yml}",
    "**/openapi*.json",
]


class Folder:
    """One workspace folder: its context, its settings layer and its readiness."""

    def __init__(self, uri: str, path: Path):
        self.uri = uri
        self.path = path
        self._engine: "FolderEngine | None" = None
        self.ready = asyncio.Event()
        self.raw_settings: Any = None
        self.load_task: asyncio.Task | None = None

    @property
    def engine(self) -> "FolderEngine":
        if self._engine is None:
            from ..engine import FolderEngine

            self._engine = FolderEngine(self.path)
        return self._engine

    @property
    def context(self) -> "WorkspaceContext":
        return self.engine.context

    def contains(self, path: Path) -> bool:
        return path == self.path or self.path in path.parents


class FreeAgentServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("freeagent", __version__)
        self.worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="context")
        self.folders: dict[str, Folder] = {}
        self.init_options: Any = None
        self.global_settings_raw: Any = None
        self.settings: "Settings | None" = None  # set on `initialized`
        self.pending: dict[str, asyncio.Task] = {}  # debounced per-URI updates
        self.tasks: set[asyncio.Task] = set()  # background work we keep references to
        self.watcher: asyncio.Task | None = None
        self.watch_mode = "off"
        self.published: dict[str, int] = {}  # path -> number of diagnostics last published
        self.shutting_down = False
        self.progress_count = 0
        self._token_counter = None  # the LLM prompt's tokenizer, loaded on first generation
        self.session_cost: float | None = 0.0  # what generating has cost since the server started (None: unknown)
        self.generations = 0

    @property
    def token_counter(self):
        if self._token_counter is None:
            from ..generate.tokens import TokenCounter

            self._token_counter = TokenCounter()
        return self._token_counter

    # ------------------------------------------------------------------ helpers

    def log(self, level: str, message: str) -> None:
        getattr(log, level)(message)  # error | warning | info | debug
        threshold = self.settings.log_level if self.settings is not None else "info"
        if LOG_ORDER.index(level) <= LOG_ORDER.index(threshold):
            try:
                self.window_log_message(types.LogMessageParams(type=log_type(level), message=message))
            except Exception:  # noqa: BLE001 - the transport may already be gone at exit
                pass

    def spawn(self, coro, name: str) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self.tasks.add(task)

        def done(t: asyncio.Task) -> None:
            self.tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                self.log("error", f"{name} failed: {t.exception()!r}")

        task.add_done_callback(done)
        return task

    async def in_worker(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self.worker, fn, *args)

    def folder_for(self, path: Path) -> Folder | None:
        best = None
        for folder in self.folders.values():
            if folder.contains(path) and (best is None or len(str(folder.path)) > len(str(best.path))):
                best = folder
        return best

    def add_folder(self, uri: str) -> Folder | None:
        path = uri_to_path(uri)
        if path is None or uri in self.folders:
            return self.folders.get(uri)
        folder = Folder(uri, path)
        self.folders[uri] = folder
        return folder

    # ------------------------------------------------------------------ diagnostics

    def pull_mode(self) -> bool:
        """The client pulls diagnostics (LSP 3.17 textDocument/diagnostic): never push then."""
        td = self.client_capabilities.text_document
        return bool(td and td.diagnostic)

    def publish(self, folder: Folder, files: set[str]) -> None:
        if self.pull_mode():
            if files:
                ws = self.client_capabilities.workspace
                if ws and ws.diagnostics and ws.diagnostics.refresh_support:
                    self.spawn(self.workspace_diagnostic_refresh_async(None), "diagnostic refresh")
            return
        by_file = folder.engine.problems_by_file()
        for file in sorted(files):
            findings = by_file.get(file, [])
            if not findings and not self.published.get(file):
                continue
            uri = path_to_uri(file)
            doc = self.workspace.text_documents.get(uri)
            if doc is not None and not folder.engine.current(file, doc.source):
                continue  # of an older version: the pending update of this document publishes
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri,
                    diagnostics=[to_diagnostic(f) for f in findings],
                    version=doc.version if doc is not None else None,
                )
            )
            self.published[file] = len(findings)

    def after_change(self, folder: Folder, change: Change, what: str, validated: Path | None = None) -> None:
        """``validated``: a document the caller has just validated (not checked a second time)."""
        if change.kinds:
            self.log("debug", f"{what}: updated {', '.join(sorted(change.kinds))} in {change.seconds * 1000:.1f} ms")
        if change.kinds & {"packages", "tsconfig", "python", "sources"}:
            # what other open documents import may have appeared or gone: check them again
            self.spawn(self.revalidate_open(folder, skip=validated), f"revalidate open documents in {folder.path}")
        if change.problem_files:
            self.publish(folder, change.problem_files)
        if "specs" in change.kinds:
            self.spawn(self.validate_specs(folder), f"validate specs in {folder.path}")

    # ------------------------------------------------------------------ settings

    def supports_configuration(self) -> bool:
        ws = self.client_capabilities.workspace
        return bool(ws and ws.configuration)

    async def refresh_settings(self) -> None:
        """Re-read settings from every layer and apply them to each folder."""
        from ..config import merge_settings

        problems: list[str] = []
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
            for folder, raw in zip(self.folders.values(), answers[1:]):
                folder.raw_settings = raw
        self.settings, problems = merge_settings(self.init_options, self.global_settings_raw)
        for folder in self.folders.values():
            settings, folder_problems = merge_settings(self.init_options, self.global_settings_raw, folder.raw_settings)
            problems += [p for p in folder_problems if p not in problems]
            if folder.load_task is None:  # not indexed yet: index with these settings
                folder.engine.settings = settings
                folder.context.settings = settings
            else:
                await folder.ready.wait()
                change = await self.in_worker(folder.engine.update_settings, settings)
                self.after_change(folder, change, "settings")
                await self.revalidate_open(folder)  # ignored codes and the like may have changed
        for problem in problems:
            self.log("warning", problem)
        if problems:
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message="Free Agent: " + "; ".join(problems))
            )

    # ------------------------------------------------------------------ loading and watching

    def start_loading(self, folder: Folder) -> None:
        """Index a folder once; a folder can be announced by `initialized` and by a folder change."""
        if folder.load_task is None:
            folder.load_task = self.spawn(self.load_folder(folder), f"index {folder.path}")

    async def load_folder(self, folder: Folder) -> None:
        self.progress_count += 1
        token = f"freeagent-index-{self.progress_count}"
        window = self.client_capabilities.window
        progress = bool(window and window.work_done_progress)
        if progress:
            try:
                await self.work_done_progress.create_async(token)
                self.work_done_progress.begin(
                    token,
                    types.WorkDoneProgressBegin(
                        title="Free Agent: indexing", message=folder.path.name, percentage=0, cancellable=False
                    ),
                )
            except Exception:  # noqa: BLE001 - a client may refuse progress; indexing goes on
                progress = False
        loop = asyncio.get_running_loop()

        def report(done: int, total: int) -> None:
            if progress:
                pct = int(done * 100 / total) if total else 100
                loop.call_soon_threadsafe(
                    self.work_done_progress.report,
                    token,
                    types.WorkDoneProgressReport(message=f"{done}/{total} files", percentage=pct),
                )

        context = folder.context
        context.jobs = os.cpu_count() or 1
        if self.settings is not None and self.settings.index.cache:
            from ..context.summary_cache import default_cache_dir

            context.cache_dir = default_cache_dir()
        else:
            context.cache_dir = None
        change = await self.in_worker(lambda: folder.engine.load(report, lambda: self.shutting_down))
        folder.ready.set()
        if progress:
            self.work_done_progress.end(
                token, types.WorkDoneProgressEnd(message=f"{len(folder.context.index)} files indexed")
            )
        self.log(
            "info",
            f"indexed {folder.path} — {len(folder.context.index)} files, "
            f"{folder.context.index.total_bytes / 1e6:.2f} MB in {change.seconds:.2f} s",
        )
        self.publish(folder, set(folder.engine.problems_by_file()))
        self.spawn(self.validate_specs(folder), f"validate specs in {folder.path}")

    async def typecheck(self, path: Path, uri: str) -> None:
        """The deep check on save: the workspace's tsc in a subprocess, time-bounded, cancellable."""
        from ..validate.typecheck import TypeCheck

        folder = self.folder_for(path)
        if folder is None:
            return
        await folder.ready.wait()  # settings are known once the folder is indexed
        if self.settings is None or not self.settings.typecheck_on_save:
            return
        pending = self.pending.get(uri)
        if pending is not None:
            await asyncio.wait([pending])
        doc = self.workspace.text_documents.get(uri)
        version = doc.version if doc is not None else None
        text = doc.source if doc is not None else (folder.context.read(path) or "")
        checker = TypeCheck(folder.context)
        prepared = await self.in_worker(checker.prepare, path, text)
        if prepared is None:
            self.log("info", f"no TypeScript compiler or tsconfig for {path.name}: type check skipped")
            return
        try:
            proc = await asyncio.create_subprocess_exec(
                *prepared.command, cwd=prepared.cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
            )
            try:
                timeout = (self.settings.typecheck_timeout_ms if self.settings else 60000) / 1000
                output, _ = await asyncio.wait_for(proc.communicate(), timeout)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                proc.kill()
                await proc.wait()
                self.log("warning", f"type check of {path.name} stopped (time limit or cancelled)")
                return
        finally:
            prepared.cleanup()
        doc = self.workspace.text_documents.get(uri)
        if doc is not None and doc.version != version:
            return  # the document moved on: these results are stale
        findings = checker.parse(prepared, output.decode("utf-8", "replace"))
        folder.engine.type_findings[str(path)] = findings
        self.publish(folder, {str(path)})

    async def revalidate_open(self, folder: Folder, skip: Path | None = None) -> None:
        changed: set[str] = set()
        for path in list(folder.context.overlays):
            if path == skip:
                continue
            changed |= await self.in_worker(folder.engine.validate_file, path)
        if changed:
            self.publish(folder, changed)

    async def validate_specs(self, folder: Folder) -> None:
        """OpenAPI schema validation is slow (jsonschema): run it after indexing, off the loop."""
        changed = await self.in_worker(folder.engine.validate_specs)
        if changed:
            self.publish(folder, changed)

    async def file_event(self, path: Path, what: str) -> None:
        folder = self.folder_for(path)
        if folder is None:
            return
        await folder.ready.wait()
        change = await self.in_worker(folder.engine.file_changed, path)
        self.after_change(folder, change, f"{what} {path.name}")

    def choose_watch_mode(self) -> str:
        mode = self.settings.watch
        ws = self.client_capabilities.workspace
        client_can = bool(ws and ws.did_change_watched_files and ws.did_change_watched_files.dynamic_registration)
        if mode == "auto":
            return "client" if client_can else "server"
        if mode == "client" and not client_can:
            self.log(
                "warning", "freeagent.watch is 'client' but the client cannot watch files; using the server watcher"
            )
            return "server"
        return mode

    async def start_watching(self) -> None:
        self.watch_mode = self.choose_watch_mode()
        if self.watch_mode == "client":
            try:
                await self._register_watchers()
                self.log("info", "watching files through the client")
                return
            except Exception as exc:  # noqa: BLE001 - the client said no: watch ourselves
                self.log("warning", f"the client refused file watching ({exc}); using the server watcher")
                self.watch_mode = "server"
        if self.watch_mode == "server":
            self.restart_server_watcher()
            self.log("info", "watching files with the server's own watcher")

    async def _register_watchers(self) -> None:
        await self.client_register_capability_async(
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

    def restart_server_watcher(self) -> None:
        if self.watcher is not None:
            self.watcher.cancel()
        roots = [str(f.path) for f in self.folders.values()]
        if roots:
            self.watcher = self.spawn(self.server_watch(roots), "file watcher")

    async def server_watch(self, roots: list[str]) -> None:
        import watchfiles

        from ..context.files import SKIP_DIRS, classify

        def wanted(_change, path: str) -> bool:
            parts = Path(path).parts
            return classify(os.path.basename(path)) is not None and not any(p in SKIP_DIRS for p in parts)

        async for changes in watchfiles.awatch(
            *roots, watch_filter=wanted, debounce=50, step=25, stop_event=None, recursive=True
        ):
            for _, path in sorted(changes):
                p = Path(path)
                if p in self.overlays_open():
                    continue  # the editor's text wins over disk while the document is open
                await self.file_event(p, "disk change")

    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        from ..engine import Task, find_task
        from ..generate.spec_first import targets_for

        path = uri_to_path(params.text_document.uri)
        folder = self.folder_for(path) if path is not None else None
        if folder is None or path.suffix not in (".ts", ".tsx", ".mts", ".cts", ".py"):
            return []
        await folder.ready.wait()
        doc = self.workspace.get_text_document(params.text_document.uri)
        text = doc.source
        quick_fixes = self.quick_fixes(folder, params)
        r = params.range
        task = find_task(text, r.start.line, r.end.line, self.settings.markers if self.settings else ("TODO",))
        if task is None and (r.start.line, r.start.character) != (r.end.line, r.end.character):
            lines = text.split("\n")
            selected = "\n".join(lines[r.start.line : r.end.line + 1])
            task = Task(selected.strip(), None) if selected.strip() and len(selected) < 500 else None
        only = params.context.only if params.context else None
        source_actions = await self.in_worker(self.source_actions, folder, path, text, doc.version, only)
        if task is None:
            return quick_fixes + source_actions
        match = await self.in_worker(folder.engine.match, task.text)
        wants_refactor = not only or any(str(k).startswith("refactor") for k in only)
        llm = (
            llm_actions.actions(self, params.text_document.uri, doc.version, task, match.covered)
            if wants_refactor
            else []
        )
        if not match.covered:
            return quick_fixes + source_actions + llm
        op = match.operation
        rel = folder.context.rel(path) if folder.context.contains(path) else path.name
        return (
            quick_fixes
            + source_actions
            + [
                types.CodeAction(
                    title=f"Generate {target} for {op.id} ({op.method} {op.path})",
                    kind=types.CodeActionKind.RefactorRewrite,
                    data={
                        "uri": params.text_document.uri,
                        "version": doc.version,
                        "operation": op.id,
                        "target": target,
                        "line": task.line,
                        "task": task.text,
                    },
                )
                for target in targets_for(rel, text)
            ]
            + llm
        )  # the spec's actions first: correct by construction; the model's "instead" last

    def quick_fixes(self, folder: Folder, params: types.CodeActionParams) -> list[types.CodeAction]:
        """The fixes carried by our diagnostics in the request's context, as quickfix actions."""
        only = params.context.only if params.context else None
        if only and not any(str(k).startswith("quickfix") for k in only):
            return []
        actions = []
        for diagnostic in params.context.diagnostics if params.context else []:
            data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
            if diagnostic.source != "freeagent" or not data.get("fixes"):
                continue
            for fix in data["fixes"]:
                changes = {}
                for file, edits in (fix.get("edits") or {}).items():
                    target = Path(file)
                    if not folder.contains(target.resolve()):
                        break  # a fix never touches files outside the workspace
                    changes[path_to_uri(target)] = [
                        types.TextEdit(
                            range=types.Range(
                                start=types.Position(**e["range"]["start"]), end=types.Position(**e["range"]["end"])
                            ),
                            new_text=e["newText"],
                        )
                        for e in edits
                    ]
                else:
                    actions.append(
                        types.CodeAction(
                            title=fix["title"],
                            kind=types.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic],
                            is_preferred=bool(fix.get("preferred")),
                            edit=types.WorkspaceEdit(changes=changes),
                        )
                    )
        return actions

    def source_actions(self, folder: Folder, path: Path, text: str, version, only) -> list[types.CodeAction]:
        """'Generate <target>s for N operations missing from this file' (runs on the worker)."""
        if not only or not any(str(kind).startswith("source") for kind in only):
            return []  # asked for explicitly ("Source Action…"), never cluttering the lightbulb
        from ..generate.spec_first import targets_for

        engine = folder.engine
        generator = engine.generator()
        operations = engine.workspace_operations() or engine.registry.operations
        rel = folder.context.rel(path) if folder.context.contains(path) else path.name
        targets = targets_for(rel, text)
        actions = []
        for target in ("handler", "client"):
            if target not in targets[:1] or (
                target == "handler" and generator.framework(path) not in ("express", "hono", "fastify")
            ):
                continue
            missing = generator.missing(target, path, text, operations)
            if missing:
                actions.append(
                    types.CodeAction(
                        title=f"Generate {target}s for {len(missing)} operations missing from this file",
                        kind=f"{types.CodeActionKind.Source.value}.freeagent.generateAll",
                        data={"uri": path_to_uri(path), "version": version, "all": target},
                    )
                )
        return actions

    async def resolve_code_action(self, action: types.CodeAction) -> types.CodeAction:
        from ..engine import find_task_near

        data = action.data if isinstance(action.data, dict) else {}
        uri = data.get("uri")
        path = uri_to_path(uri) if uri else None
        folder = self.folder_for(path) if path is not None else None
        if folder is None:
            return action
        await folder.ready.wait()
        doc = self.workspace.get_text_document(uri)
        text = doc.source
        line = data.get("line")
        if doc.version != data.get("version") and line is not None:
            # the document moved on since the list was computed: find the marker again
            line = find_task_near(text, data.get("task"), line)
        generator = folder.engine.generator()
        if data.get("all"):
            operations = folder.engine.workspace_operations() or folder.engine.registry.operations
            result = await self.in_worker(generator.generate_all, data["all"], path, text, operations)
        else:
            op = folder.engine.registry.by_id.get(data.get("operation", ""))
            if op is None:
                return action
            result = await self.in_worker(generator.generate, op, data.get("target", "client"), path, text, line)
        edits = [
            types.TextEdit(
                range=types.Range(
                    start=types.Position(line=e.line, character=e.character),
                    end=types.Position(line=e.end_line, character=e.end_character),
                ),
                new_text=e.new_text,
            )
            for e in result.edits.get(str(path), [])
        ]
        action.edit = types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=doc.version),
                    edits=edits,
                )
            ]
        )
        if result.findings:
            action.title += " (check failed: " + "; ".join(f.message for f in result.findings[:2]) + ")"
        return action

    def overlays_open(self) -> set[Path]:
        out = set()
        for folder in self.folders.values():
            out.update(folder.context.overlays)
        return out

    # ------------------------------------------------------------------ documents

    def schedule_document(self, uri: str, delay: float) -> None:
        path = uri_to_path(uri)
        if path is None:
            return
        if (old := self.pending.pop(uri, None)) is not None:
            old.cancel()

        async def run() -> None:
            if delay:
                await asyncio.sleep(delay)
            folder = self.folder_for(path)
            if folder is None:
                return
            await folder.ready.wait()
            doc = self.workspace.text_documents.get(uri)
            if doc is None:
                change = await self.in_worker(folder.engine.drop_overlay, path)
                change.problem_files |= await self.in_worker(folder.engine.forget_file, path)
            else:
                change = await self.in_worker(folder.engine.set_overlay, path, doc.source)
                change.problem_files |= await self.in_worker(folder.engine.validate_file, path)
                if folder.engine.type_findings.pop(str(path), None) is not None:
                    change.problem_files.add(str(path))  # type errors of the old text are stale
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]
            self.after_change(folder, change, f"edit {path.name}", validated=path if doc is not None else None)

        self.pending[uri] = self.spawn(run(), f"update {uri}")


def create_server() -> FreeAgentServer:
    server = FreeAgentServer()

    @server.feature(types.INITIALIZE)
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

    @server.feature(types.INITIALIZED)
    async def initialized(ls: FreeAgentServer, params: types.InitializedParams) -> None:
        await ls.refresh_settings()
        for folder in list(ls.folders.values()):
            ls.start_loading(folder)
        ls.spawn(ls.start_watching(), "start watching")

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: FreeAgentServer, params: None) -> None:
        ls.shutting_down = True
        for task in list(ls.tasks):
            task.cancel()
        ls.worker.shutdown(wait=False, cancel_futures=True)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: FreeAgentServer, params: types.DidChangeConfigurationParams) -> None:
        if not ls.supports_configuration():
            ls.global_settings_raw = params.settings
        if ls.settings is None:
            return  # before `initialized` has read the settings (VS Code sends one right away): it will
        old_watch = ls.settings.watch
        await ls.refresh_settings()
        if ls.settings.watch != old_watch:
            if ls.watcher is not None:
                ls.watcher.cancel()
                ls.watcher = None
            await ls.start_watching()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def did_change_folders(ls: FreeAgentServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        for removed in params.event.removed:
            folder = ls.folders.pop(removed.uri, None)
            if folder is not None:
                for file in folder.engine.problems_by_file():
                    ls.text_document_publish_diagnostics(
                        types.PublishDiagnosticsParams(uri=path_to_uri(file), diagnostics=[])
                    )
        added = [ls.add_folder(f.uri) for f in params.event.added]
        await ls.refresh_settings()
        for folder in added:
            if folder is not None:
                ls.start_loading(folder)
        if ls.watch_mode == "server":
            ls.restart_server_watcher()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(ls: FreeAgentServer, params: types.DidChangeWatchedFilesParams) -> None:
        open_paths = ls.overlays_open()
        for event in params.changes:
            path = uri_to_path(event.uri)
            if path is not None and path not in open_paths:
                await ls.file_event(path, event.type.name.lower())

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: FreeAgentServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule_document(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: FreeAgentServer, params: types.DidChangeTextDocumentParams) -> None:
        delay = ls.settings.change_debounce_ms / 1000 if ls.settings is not None else 0.15
        ls.schedule_document(params.text_document.uri, delay)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: FreeAgentServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule_document(params.text_document.uri, 0)
        path = uri_to_path(params.text_document.uri)
        if path is not None and path.suffix in (".ts", ".tsx", ".mts", ".cts"):
            ls.spawn(ls.typecheck(path, params.text_document.uri), f"type check {path.name}")

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FreeAgentServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.schedule_document(params.text_document.uri, 0)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                types.CodeActionKind.RefactorRewrite,
                types.CodeActionKind.Source,
            ],
            resolve_provider=True,
        ),
    )
    async def code_action(ls: FreeAgentServer, params: types.CodeActionParams):
        return await ls.code_actions(params)

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: FreeAgentServer, action: types.CodeAction) -> types.CodeAction:
        return await ls.resolve_code_action(action)

    @server.command(llm_actions.COMMAND)
    async def generate_command(ls: FreeAgentServer, *args):
        return await llm_actions.run(ls, args)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="freeagent", inter_file_dependencies=True, workspace_diagnostics=True),
    )
    async def document_diagnostic(ls: FreeAgentServer, params: types.DocumentDiagnosticParams):
        path = uri_to_path(params.text_document.uri)
        folder = ls.folder_for(path) if path is not None else None
        if folder is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        await folder.ready.wait()
        pending = ls.pending.get(params.text_document.uri)
        if pending is not None:
            await asyncio.wait([pending])  # the debounced update of this document first
        if path.suffix in (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".py"):
            await ls.in_worker(folder.engine.validate_file, path)
        findings = folder.engine.problems_by_file().get(str(path), [])
        return types.RelatedFullDocumentDiagnosticReport(items=[to_diagnostic(f) for f in findings])

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def workspace_diagnostic(ls: FreeAgentServer, params: types.WorkspaceDiagnosticParams):
        items = []
        for folder in list(ls.folders.values()):
            await folder.ready.wait()
            for file, findings in sorted(folder.engine.problems_by_file().items()):
                doc = ls.workspace.text_documents.get(path_to_uri(file))
                items.append(
                    types.WorkspaceFullDocumentDiagnosticReport(
                        uri=path_to_uri(file),
                        items=[to_diagnostic(f) for f in findings],
                        version=doc.version if doc is not None else None,
                    )
                )
        return types.WorkspaceDiagnosticReport(items=items)

    @server.feature(PROJECT_BRIEF)
    async def project_brief(ls: FreeAgentServer, params: Any) -> dict:
        uri = getattr(params, "uri", None) if params is not None else None
        if isinstance(params, dict):
            uri = params.get("uri")
        folder = None
        if uri:
            path = uri_to_path(uri)
            folder = ls.folder_for(path) if path is not None else None
        elif ls.folders:
            folder = next(iter(ls.folders.values()))
        if folder is None:
            raise ValueError(f"no workspace folder contains {uri!r}")
        await folder.ready.wait()
        brief = await ls.in_worker(folder.context.brief)
        return {"uri": folder.uri, "markdown": brief.markdown, "data": brief.data}

    return server


def run(transport: str = "stdio", host: str = "127.0.0.1", port: int = 2087) -> None:
    logging.basicConfig(level=os.environ.get("FREEAGENT_LOG", "WARNING").upper())
    server = create_server()
    if transport == "tcp":
        server.start_tcp(host, port)
    else:
        server.start_io()
