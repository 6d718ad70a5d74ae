"""The LLM fallback in the editor: the ``freeagent.generate`` command that the "Generate with
<model>" code action (listed by :mod:`.code_actions`) runs.

Owns the LSP side only: running the engine's pipeline under a cancellable ``workDoneProgress`` (one
report per attempt), cancelling the pipeline — and so the provider's HTTP request — when the
user cancels the progress, and applying the result with ``workspace/applyEdit`` only if the
document is still at the version it was generated for. Code that fails the checks is applied
only after the user says so in a message that names the failures. Every result is recorded in
the folder's outcome store with what became of it (applied, rejected, or only offered); the
response carries its ``id`` for ``freeagent.feedback`` (:mod:`.outcomes`).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..generate.result import format_cost
from .code_actions import model_label
from .convert import versioned_edit

if TYPE_CHECKING:
    from .server import FreeAgentServer

COMMAND = "freeagent.generate"
SESSION_COST = "freeagent/sessionCost"  # notification: what generating has cost this session


def _cost_notice(ls: FreeAgentServer, state: str, model: str | None, last: float | None) -> None:
    """``{"model", "lastCostUsd", "sessionCostUsd", "generations", "state"}``; a null cost is
    unknown (a model with no known price was used), never $0."""
    with contextlib.suppress(Exception):  # a client that went away
        ls.protocol.notify(
            SESSION_COST,
            {
                "model": model,
                "lastCostUsd": last,
                "sessionCostUsd": ls.session_cost,
                "generations": ls.generations,
                "state": state,
            },
        )


def _arguments(arguments: Any) -> dict:
    """Accept {uri, task, line|range, version} or (task, uri, range) as the README documents."""
    args = list(arguments or [])
    if len(args) == 1 and isinstance(args[0], dict):
        data = dict(args[0])
    elif len(args) >= 2:
        data = {"task": args[0], "uri": args[1], "range": args[2] if len(args) > 2 else None}
    else:
        raise ValueError("freeagent.generate takes {uri, task, line} or (task, uri, range)")
    if data.get("line") is None and isinstance(data.get("range"), dict):
        data["line"] = data["range"].get("start", {}).get("line")
    if not data.get("task") or not data.get("uri"):
        raise ValueError("freeagent.generate needs a task and a document uri")
    return data


async def command(ls, *arguments):  # no type hints: pygls converts a command's arguments by them
    """The ``freeagent.generate`` handler (arguments as the client sent them)."""
    return await run(ls, arguments)


async def run(ls: FreeAgentServer, arguments: Any) -> dict:
    """Generate for a task with the folder's LLM settings; apply the result if the document has
    not moved on (and, if it fails the checks, only if the user says so)."""
    from ..generate.ensemble import Ensemble, EnsembleError, Member
    from ..generate.llm import LlmPipeline
    from ..markers import find_task_near

    try:
        data = _arguments(arguments)
    except ValueError as exc:
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=str(exc)))
        return {"applied": False, "reason": str(exc)}
    uri, task = data["uri"], data["task"]
    path, folder = ls.owning_folder(uri)  # an LSP error for a document outside the workspace
    doc = ls.workspace.text_documents.get(uri)
    if doc is None:
        return _refuse(ls, "open the document first")
    await folder.ready.wait()
    text, version = doc.source, doc.version
    line = data.get("line")
    if line is not None:  # the marker may have moved since the action was listed: find it again
        line = find_task_near(text, task, line, folder.settings.markers)
        if line is None:
            return _refuse(ls, f"the task '{task}' is no longer in {Path(path).name}")

    token = str(uuid.uuid4())
    progress = await _begin(ls, token, task)
    loop = asyncio.get_running_loop()

    def report(message: str, percentage: int) -> None:
        if progress:
            loop.call_soon_threadsafe(
                ls.work_done_progress.report,
                token,
                types.WorkDoneProgressReport(message=message, percentage=percentage),
            )

    llm = folder.settings.llm
    pipeline: LlmPipeline | Ensemble
    if data.get("ensemble"):  # "Generate with ensemble": the llm.ensemble setting's members
        try:
            members = [Member.parse(m) for m in llm.ensemble]
            pipeline = Ensemble(folder.engine, llm, members, counter=ls.token_counter, run_sync=ls.in_worker)
        except EnsembleError as exc:
            _end(ls, token, progress, str(exc))
            return _refuse(ls, f"llm.ensemble: {exc}")
        label = f"ensemble of {len(members)}"
    else:
        pipeline = LlmPipeline(folder.engine, llm, counter=ls.token_counter, run_sync=ls.in_worker)
        label = model_label(llm)
    _cost_notice(ls, "started", label, None)
    job = asyncio.ensure_future(_counted(ls, pipeline.run(task, path, text, line, progress=report)))
    cancel = ls.work_done_progress.tokens.get(token) if progress else None
    if cancel is not None:
        cancel.add_done_callback(lambda _f: loop.call_soon_threadsafe(job.cancel))
    try:
        result = await job
    except asyncio.CancelledError:
        _end(ls, token, progress, "cancelled: nothing was changed")
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise  # the command request itself was cancelled
        return {"applied": False, "reason": "cancelled"}
    summary = _summary(result)

    async def recorded(outcome: str) -> dict:
        """The outcome store's id of this generation, recorded with what became of it."""
        lines = result.code.splitlines() if outcome == "applied" else None
        gid = await ls.in_worker(folder.engine.record, result, task, "editor", outcome, lines)
        return {"id": gid, "uri": uri}

    if not result.edits:
        _end(ls, token, progress, result.title)
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=result.title))
        return {"applied": False, "reason": result.title, **summary, **await recorded("offered")}
    failing = [f for f in result.findings if f.severity.value in ("error", "warning")]
    if failing:
        _end(ls, token, progress, f"{result.title} — waiting for your choice")
        question = f"{result.title}. {'; '.join(f'{f.code} {f.message}' for f in failing[:3])}. Insert it anyway?"
        choice = await _ask(ls, question, ["Insert anyway", "Discard"])
        if choice != "Insert anyway":
            return {"applied": False, "reason": "fails checks; discarded", **summary, **await recorded("rejected")}
    else:
        _end(ls, token, progress, f"{result.title} — {summary['attempts']} attempt(s), {format_cost(result.cost_usd)}")
    current = ls.workspace.text_documents.get(uri)
    if current is None or current.version != version:
        message = f"{Path(path).name} changed while generating; the code was not inserted (run the action again)"
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))
        return {"applied": False, "reason": "document changed", **summary, **await recorded("offered")}
    edit = versioned_edit(uri, version, result.edits.get(str(path), []))
    response = await ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=edit, label=result.title))
    applied = bool(response and response.applied)
    return {
        "applied": applied,
        "reason": None if applied else (response.failure_reason or "the client refused"),
        **summary,
        **await recorded("applied" if applied else "rejected"),
    }


async def _counted(ls, run):
    """The pipeline's result, its cost added to the session's (unknown once any price is)."""
    try:
        result = await run
    except BaseException:
        _cost_notice(ls, "finished", None, 0.0)
        raise
    ls.generations += 1
    if result.cost_usd is None or ls.session_cost is None:
        ls.session_cost = None
    else:
        ls.session_cost = round(ls.session_cost + result.cost_usd, 8)
    _cost_notice(ls, "finished", result.model, result.cost_usd)
    return result


def _summary(result) -> dict:
    summary = {
        "title": result.title,
        "model": result.model,
        "attempts": result.attempts,
        "cost_usd": result.cost_usd,
        "seconds": round(result.seconds, 3),
        "findings": [f.code for f in result.findings],
    }
    if result.candidates:  # an ensemble: each candidate's model, how far it got, what it cost
        summary["candidates"] = [
            {k: c[k] for k in ("member", "model", "sample", "stage", "stage_name", "cost_usd", "seconds")}
            for c in result.candidates
        ]
        summary["selected"] = result.selected
    return summary


def _refuse(ls, message: str) -> dict:
    ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))
    return {"applied": False, "reason": message}


async def _begin(ls, token: str, task: str) -> bool:
    shown = await ls.begin_progress("Free Agent: generating", task, token=token, cancellable=True, percentage=0)
    return shown is not None


def _end(ls, token: str, progress: bool, message: str) -> None:
    ls.end_progress(token if progress else None, message)


async def _ask(ls, message: str, choices: list[str]) -> str | None:
    window = ls.client_capabilities.window
    if not (window and window.show_message and window.show_message.message_action_item):
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))
        return None
    answer = await ls.window_show_message_request_async(
        types.ShowMessageRequestParams(
            type=types.MessageType.Warning, message=message, actions=[types.MessageActionItem(title=c) for c in choices]
        )
    )
    return answer.title if answer is not None else None
