"""The outcome store from the editor: ``freeagent.feedback`` (a vote on a generation),
``freeagent.applied`` (the command a spec-first code action carries, which the client runs once it
has applied the action's edit: the generation was applied), and the ``freeagent/stats`` request.

Thin: the arguments become one call of the folder's store (:mod:`freeagent.store`); a store that
is off or broken is a message, never an error the client must handle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

if TYPE_CHECKING:
    from .server import FreeAgentServer

FEEDBACK = "freeagent.feedback"
APPLIED = "freeagent.applied"
STATS = "freeagent/stats"  # request: the outcome store's figures (learn/stats.py) per folder


async def feedback(ls, *arguments):  # no type hints: pygls converts a command's arguments by them
    """``{id, vote: "up"|"down", note?, uri?}``: ``{"recorded": bool, "reason"?}``."""
    return await record_feedback(ls, arguments)


async def record_feedback(ls: FreeAgentServer, arguments: Any) -> dict:
    from ..store import StoreError

    data = arguments[0] if len(arguments) == 1 and isinstance(arguments[0], dict) else {}
    generation, vote, note = data.get("id"), data.get("vote"), data.get("note")
    if not isinstance(generation, str) or vote not in ("up", "down"):
        return _refuse(ls, "freeagent.feedback takes {id, vote: 'up' | 'down', note?}")
    folders = [ls.owning_folder(data["uri"])[1]] if data.get("uri") else list(ls.folders.values())
    for folder in folders:
        store = folder.engine.outcomes
        if store is None:
            continue
        try:
            found = await ls.in_worker(store.get, generation)
            if found is not None:
                await ls.in_worker(store.add_feedback, found.id, vote, note if isinstance(note, str) else None)
                return {"recorded": True, "id": found.id}
        except StoreError as exc:
            return _refuse(ls, str(exc))
    return _refuse(ls, f"no recorded generation '{generation}' (is store.enabled off?)")


async def applied(ls, *arguments):  # no type hints: pygls converts a command's arguments by them
    """``{id, uri}``: the generation's outcome becomes applied (its code's lines: what was inserted)."""
    from ..store import StoreError

    data = arguments[0] if len(arguments) == 1 and isinstance(arguments[0], dict) else {}
    if not isinstance(data.get("id"), str) or not data.get("uri"):
        return {"recorded": False, "reason": "freeagent.applied takes {id, uri}"}
    engine = ls.owning_folder(data["uri"])[1].engine
    store = engine.outcomes
    if store is None:
        return {"recorded": False, "reason": "the outcome store is off"}
    try:
        found = await ls.in_worker(store.get, data["id"])
        if found is None:
            return {"recorded": False, "reason": f"no recorded generation '{data['id']}'"}
        head = await ls.in_worker(engine.git_head)
        await ls.in_worker(store.set_outcome, found.id, "applied", found.code.splitlines(), head)
    except StoreError as exc:
        return {"recorded": False, "reason": str(exc)}
    return {"recorded": True, "id": found.id}


async def stats(ls: FreeAgentServer, params: Any) -> dict:
    """``{since?: epoch seconds}`` → ``{"folders": [{"uri", "stats": {"total", "by_strategy",
    "by_week"} | null}]}`` (null: that folder's store is off or broken)."""
    from ..learn.stats import compute
    from ..store import StoreError

    since = params.get("since", 0.0) if isinstance(params, dict) else getattr(params, "since", 0.0)
    out: list[dict[str, Any]] = []
    for uri, folder in ls.folders.items():
        store = folder.engine.outcomes
        try:
            rows = await ls.in_worker(store.summary, str(folder.engine.root), float(since or 0.0)) if store else None
        except StoreError:
            rows = None
        out.append({"uri": uri, "stats": compute(rows) if rows is not None else None})
    return {"folders": out}


def _refuse(ls: FreeAgentServer, message: str) -> dict:
    ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))
    return {"recorded": False, "reason": message}
