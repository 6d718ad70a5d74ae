"""Code actions: every action the server offers, how it is listed and how it is resolved.

Owns ``textDocument/codeAction`` and ``codeAction/resolve``:

- **quick fixes** — the fixes our diagnostics carry in their ``data`` (never touching a file
  outside the workspace folder);
- **spec-first generation** at a task (a marker comment — the folder's ``freeagent.markers`` —
  or a selection) that an operation covers: one action per target, computed lazily on resolve;
- **"Generate with <model>"** where no spec covers the task (and "… instead" beside the spec's),
  which runs the ``freeagent.generate`` command (:mod:`.generate`);
- **source actions** — "Generate <target>s for N operations missing from this file", only when
  asked for explicitly.

Resolve finds the task's marker again when the document moved on since the list, with the same
markers the list used.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..languages import GENERATE_SUFFIXES
from . import outcomes
from .convert import path_to_uri, to_text_edit, versioned_edit

if TYPE_CHECKING:
    from ..config import LlmSettings
    from ..markers import Task
    from .server import Folder, FreeAgentServer

OPTIONS = types.CodeActionOptions(
    code_action_kinds=[
        types.CodeActionKind.QuickFix,
        types.CodeActionKind.RefactorRewrite,
        types.CodeActionKind.Source,
    ],
    resolve_provider=True,
)
GENERATE_ALL = f"{types.CodeActionKind.Source.value}.freeagent.generateAll"


def _wants(only: Sequence[Any] | None, kind: str) -> bool:
    return not only or any(str(k).startswith(kind) for k in only)


async def code_action(ls: FreeAgentServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    from ..generate.spec_first import targets_for
    from ..markers import Task, find_task

    path, folder = ls.folder_of(params.text_document.uri)
    if folder is None or path is None or path.suffix not in GENERATE_SUFFIXES:
        return []
    await folder.ready.wait()
    doc = ls.workspace.get_text_document(params.text_document.uri)
    text = doc.source
    only = params.context.only if params.context else None
    fixes = quick_fixes(folder, params)
    r = params.range
    task = find_task(text, r.start.line, r.end.line, folder.settings.markers)
    if task is None and (r.start.line, r.start.character) != (r.end.line, r.end.character):
        lines = text.split("\n")
        selected = "\n".join(lines[r.start.line : r.end.line + 1])
        task = Task(selected.strip(), None) if selected.strip() and len(selected) < 500 else None
    sources = await ls.in_worker(source_actions, folder, path, text, doc.version, only)
    if task is None:
        return fixes + sources
    match = await ls.in_worker(folder.engine.match, task.text)
    llm = llm_actions(folder.settings.llm, params.text_document.uri, doc.version, task, match.covered)
    llm = llm if _wants(only, "refactor") else []
    op = match.operation
    if not match.covered or op is None:
        return fixes + sources + llm
    rel = folder.context.rel(path) if folder.context.contains(path) else path.name
    spec = [
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
    return fixes + sources + spec + llm  # the spec's actions first: correct by construction; the model's "instead" last


def quick_fixes(folder: Folder, params: types.CodeActionParams) -> list[types.CodeAction]:
    """The fixes carried by our diagnostics in the request's context, as quickfix actions."""
    if not _wants(params.context.only if params.context else None, "quickfix"):
        return []
    actions = []
    for diagnostic in params.context.diagnostics if params.context else []:
        data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
        if diagnostic.source != "freeagent" or not data.get("fixes"):
            continue
        for fix in data["fixes"]:
            if fix.get("recipe") and not fix.get("edits"):  # computed on codeAction/resolve
                actions.append(
                    types.CodeAction(
                        title=fix["title"],
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=bool(fix.get("preferred")),
                        data={"uri": params.text_document.uri, "fix": fix["recipe"]},
                    )
                )
                continue
            changes = {}
            for file, edits in (fix.get("edits") or {}).items():
                target = Path(file)
                if not folder.contains(target.resolve()):
                    break  # a fix never touches files outside the workspace
                changes[path_to_uri(target)] = [to_text_edit(e) for e in edits]
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


def source_actions(
    folder: Folder, path: Path, text: str, version: int | None, only: Sequence[Any] | None
) -> list[types.CodeAction]:
    """'Generate <target>s for N operations missing from this file' (runs on the worker)."""
    if not only or not any(str(kind).startswith("source") for kind in only):
        return []  # asked for explicitly ("Source Action…"), never cluttering the lightbulb
    from ..generate.spec_first import targets_for

    engine = folder.engine
    generator = engine.generator()
    operations = engine.offered_operations()
    rel = folder.context.rel(path) if folder.context.contains(path) else path.name
    targets = targets_for(rel, text)
    actions = []
    for target in ("handler", "client"):
        if target not in targets[:1]:
            continue
        if target == "handler" and generator.framework(path) not in ("express", "hono", "fastify"):
            continue
        missing = generator.missing(target, path, text, operations)
        if missing:
            actions.append(
                types.CodeAction(
                    title=f"Generate {target}s for {len(missing)} operations missing from this file",
                    kind=GENERATE_ALL,
                    data={"uri": path_to_uri(path), "version": version, "all": target},
                )
            )
    return actions


def model_label(llm: LlmSettings) -> str:
    """The model a "Generate with …" action names (in cost-sensitive mode: the local one first)."""
    from ..providers.factory import DEFAULT_MODELS

    premium = llm.model or DEFAULT_MODELS[llm.provider]
    if llm.mode == "cost-sensitive":
        return f"{llm.fallback_model or DEFAULT_MODELS[llm.fallback_provider]} → {premium}"
    return premium


def llm_actions(llm: LlmSettings, uri: str, version: int | None, task: Task, covered: bool) -> list[types.CodeAction]:
    from .generate import COMMAND

    title = f"Generate with {model_label(llm)}{' instead' if covered else ''}: {task.text}"
    argument = {"uri": uri, "version": version, "line": task.line, "task": task.text}
    actions = [
        types.CodeAction(
            title=title,
            kind=types.CodeActionKind.RefactorRewrite,
            command=types.Command(title=title, command=COMMAND, arguments=[argument]),
        )
    ]
    candidates = ensemble_size(llm)
    if candidates:  # the llm.ensemble setting: several models, the one the checks prefer kept
        title = f"Generate with ensemble ({candidates} candidates){' instead' if covered else ''}: {task.text}"
        actions.append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.RefactorRewrite,
                command=types.Command(title=title, command=COMMAND, arguments=[dict(argument, ensemble=True)]),
            )
        )
    return actions


def ensemble_size(llm: LlmSettings) -> int:
    """How many candidates the llm.ensemble setting asks for (0: none, or a member it cannot read)."""
    from ..generate.ensemble import EnsembleError, Member

    try:
        return sum(Member.parse(m).samples for m in llm.ensemble)
    except EnsembleError:
        return 0


async def resolve(ls: FreeAgentServer, action: types.CodeAction) -> types.CodeAction:
    from ..markers import find_task_near

    data = action.data if isinstance(action.data, dict) else {}
    if not data.get("uri"):
        return action  # not one of ours to resolve
    path, folder = ls.owning_folder(data["uri"])
    await folder.ready.wait()
    if isinstance(data.get("fix"), dict):  # a quick fix too dear to compute with the diagnostics
        return await _resolve_fix(ls, folder, action, data["fix"])
    uri = data["uri"]
    doc = ls.workspace.get_text_document(uri)
    text = doc.source
    line = data.get("line")
    if doc.version != data.get("version") and line is not None:
        # the document moved on since the list was computed: find the marker again
        line = find_task_near(text, data.get("task") or "", line, folder.settings.markers)
    engine = folder.engine
    generator = engine.generator(create_files=ls.can_create_files())
    if data.get("all"):
        result = await ls.in_worker(generator.generate_all, data["all"], path, text, engine.offered_operations())
    else:
        op = engine.registry.by_id.get(data.get("operation", ""))
        if op is None:
            return action
        result = await ls.in_worker(generator.generate, op, data.get("target", "client"), path, text, line)
    creates = {f: result.edits[f] for f in result.creates}
    action.edit = versioned_edit(uri, doc.version, result.edits.get(str(path), []), creates)
    if result.findings:
        action.title += " (check failed: " + "; ".join(f.message for f in result.findings[:2]) + ")"
    # recorded as offered; the client runs the command after applying the edit (LSP: the edit
    # first, then the command), which records it applied
    task = data.get("task") or (data.get("operation") or f"all missing {data.get('all')}")
    generation = await ls.in_worker(engine.record, result, task, "editor", "offered")
    if generation is not None:
        action.command = types.Command(
            title="Free Agent: record that the code was applied",
            command=outcomes.APPLIED,
            arguments=[{"id": generation, "uri": uri}],
        )
    return action


async def _resolve_fix(ls: FreeAgentServer, folder: Folder, action: types.CodeAction, recipe: dict) -> types.CodeAction:
    """A quick fix's edits, computed now (an FA401 rename reads every importer). A fix that can
    no longer be made — the name moved on, or renaming it is not safe — comes back without an
    edit and says so in its title; one that would touch a file outside the workspace too."""
    fix = await ls.in_worker(folder.engine.validator().resolve_fix, recipe)
    changes = {}
    for file, edits in fix.edits if fix is not None else ():
        if not folder.contains(Path(file).resolve()):
            fix = None
            break
        changes[path_to_uri(Path(file))] = [to_text_edit(e) for e in edits]
    if fix is None or not changes:
        action.title += " (not possible here: a use of the name cannot be renamed safely)"
        return action
    action.edit = types.WorkspaceEdit(changes=changes)
    return action
