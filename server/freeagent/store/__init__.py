"""The outcome store: every generation Free Agent makes, its attempts, and what became of it
(offered, applied or rejected; how much of it survived; the user's vote).

Owns where a workspace's store lives and opening it. By default one SQLite file per workspace
outside it, under ``$XDG_DATA_HOME/freeagent/stores/`` (``~/.local/share`` when unset), named by a
hash of the workspace root; the ``store.path`` setting puts it elsewhere (relative paths are
relative to the workspace), ``store.enabled: false`` turns recording off. The engine talks to
the :class:`OutcomeStore` interface; :class:`~.sqlite.SqliteStore` is the one backend so far (a
team's PostgreSQL is meant to sit behind the same interface). Prompts and answers are masked for
secrets before they get here (:meth:`freeagent.generate.result.Generation.record`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol

from .records import AttemptRecord, FactRecord, GenerationRecord
from .sqlite import SqliteStore, StoreError

__all__ = ["AttemptRecord", "FactRecord", "GenerationRecord", "OutcomeStore", "SqliteStore", "StoreError", "store_path"]


class OutcomeStore(Protocol):
    """What the engine, the server and the CLI ask of a store (every method may raise StoreError)."""

    path: Path

    def record(self, rec: GenerationRecord) -> str: ...

    def set_outcome(
        self, generation: str, outcome: str, inserted_lines: list[str] | None = None, applied_on: str | None = None
    ) -> bool: ...

    def add_survival(self, generation: str, event: str, share: float) -> bool: ...

    def add_feedback(self, generation: str, vote: str, note: str | None = None) -> bool: ...

    def get(self, generation: str) -> GenerationRecord | None: ...

    def recent(self, limit: int = 50, since: float | None = None) -> list[GenerationRecord]: ...

    def applied(self, workspace: str, file: str | None, since: float) -> list[GenerationRecord]: ...

    def forget(self, generation: str | None = None) -> int: ...

    def search_patterns(self, workspace: str, words: list[str], limit: int = 8) -> list[GenerationRecord]: ...

    def pattern_missed(self, generation: str) -> None: ...

    def patterns(self, workspace: str, limit: int = 200) -> list[GenerationRecord]: ...

    def forget_pattern(self, generation: str) -> bool: ...

    def summary(self, workspace: str, since: float = 0.0) -> list[dict]: ...

    def add_fact(self, fact: FactRecord) -> str: ...

    def facts(self, workspace: str) -> list[FactRecord]: ...

    def use_facts(self, ids: list[str]) -> None: ...

    def drop_facts(self, ids: list[str]) -> None: ...

    def count(self) -> int: ...

    def close(self) -> None: ...


def store_path(root: Path, configured: str = "") -> Path:
    """Where the workspace at ``root`` keeps its store: ``configured`` (the ``store.path``
    setting; relative to the workspace), else the user data folder, one file per workspace."""
    if configured:
        path = Path(os.path.expanduser(configured))
        return path if path.is_absolute() else root / path
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return Path(base) / "freeagent" / "stores" / f"{root.name}-{key}" / "outcomes.db"
