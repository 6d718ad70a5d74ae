"""What a generation produces, whichever generator made it: the :class:`Generation` record.

Owns the record the spec-first generator, the LLM pipeline and the evaluation's reference
strategy all return (the code, the edits that insert it, its provenance, cost and findings), its
``freeagent generate --json`` shape, and :func:`format_cost`, the one way a cost is shown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..edits import TextEdit
from ..findings import Finding


@dataclass
class Generation:
    code: str
    edits: dict[str, list[TextEdit]]
    source: str  # "spec", "llm" or "reference"
    operation: str | None
    target: str
    file: str | None
    model: str | None = None
    attempts: int = 1
    cost_usd: float | None = 0.0  # None: a model of unknown price was used (never reported as $0)
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    title: str = ""
    history: list[dict] = field(default_factory=list)  # LLM: every attempt's model, tokens, cost, findings
    prompt_tokens: int | None = None
    creates: list[str] = field(default_factory=list)  # files the edits create (not there yet)

    def to_json(self, workspace: Path | None = None) -> dict:
        def rel(p: str) -> str:
            return os.path.relpath(p, workspace) if workspace else p

        return {
            "code": self.code,
            "edits": {rel(f): [e.to_json() for e in es] for f, es in self.edits.items()},
            "source": self.source,
            "operation": self.operation,
            "target": self.target,
            "file": rel(self.file) if self.file else None,
            "model": self.model,
            "attempts": self.attempts,
            "cost_usd": self.cost_usd,
            "seconds": round(self.seconds, 4),
            "findings": [f.to_json(str(workspace) if workspace else None) for f in self.findings],
            "title": self.title,
            "history": self.history,
            "prompt_tokens": self.prompt_tokens,
            "creates": [rel(f) for f in self.creates],
        }


def format_cost(cost_usd: float | None) -> str:
    """A generation's cost for people: '$0.0123', or 'unknown cost' when a model had no known price."""
    return "unknown cost" if cost_usd is None else f"${cost_usd:.4f}"
