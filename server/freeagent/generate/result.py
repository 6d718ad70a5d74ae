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
from ..store.records import AttemptRecord, GenerationRecord


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
    prompt_sections: dict[str, int] = field(default_factory=dict)  # LLM: tokens per prompt section
    provider: str | None = None  # LLM: the provider of the chosen answer
    knowledge: list[str] = field(default_factory=list)  # LLM: the knowledge base's patterns and facts its prompt used
    id: str | None = None  # the outcome store's id, once recorded
    candidates: list[dict] = field(default_factory=list)  # an ensemble's: every candidate's fate (generate/ensemble)
    selected: int | None = None  # which of the candidates this is (1-based)

    def record(self, workspace: Path, task: str, surface: str, keys: list[str] | None = None) -> GenerationRecord:
        """This generation as the outcome store keeps it: paths relative to the workspace, the code,
        the answers and the findings' messages masked for secrets (detect-secrets, and the API
        keys this process knows) — a prompt can carry what a source file held."""
        from ..redact import mask_keys, mask_source

        name = Path(self.file).name if self.file else "generated.txt"

        def clean(text: str | None) -> str | None:
            return None if text is None else mask_keys(mask_source(text, name, keys or ()), keys or ())

        attempts = []
        for number, h in enumerate(self.history, 1):
            tokens = h.get("tokens") or {}
            findings = [dict(f, message=clean(f.get("message"))) for f in h.get("findings", [])]
            attempts.append(
                AttemptRecord(
                    number=h.get("attempt", number),
                    provider=h.get("provider"),
                    model=h.get("model"),
                    prompt_hash=h.get("prompt_hash") or None,
                    answer=clean(h.get("answer")),
                    findings=findings,
                    cause=h.get("cause"),
                    error=clean(h.get("error")),
                    typecheck=h.get("typecheck"),
                    input_tokens=tokens.get("input"),
                    output_tokens=tokens.get("output"),
                    cost_usd=h.get("cost_usd"),
                    seconds=h.get("seconds"),
                    candidate=h.get("candidate"),
                )
            )
        file = os.path.relpath(self.file, workspace) if self.file else None
        return GenerationRecord(
            workspace=str(workspace),
            task=clean(task) or "",
            strategy="ensemble" if self.candidates else self.source,
            code=clean(self.code) or "",
            surface=surface,
            file=file,
            operation=self.operation,
            target=self.target,
            provider=self.provider,
            model=self.model,
            passed=not any(f.severity.value == "error" for f in self.findings) and bool(self.edits),
            findings=[dict(f.to_json(str(workspace)), message=clean(f.message)) for f in self.findings],
            prompt_tokens=self.prompt_tokens,
            prompt_sections=dict(self.prompt_sections),
            cost_usd=self.cost_usd,
            seconds=self.seconds,
            attempts=attempts,
            knowledge=list(self.knowledge),
            selected=self.selected,
        )

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
            "id": self.id,
            "knowledge": self.knowledge,
            **({"candidates": self.candidates, "selected": self.selected} if self.candidates else {}),
        }


def format_cost(cost_usd: float | None) -> str:
    """A generation's cost for people: '$0.0123', or 'unknown cost' when a model had no known price."""
    return "unknown cost" if cost_usd is None else f"${cost_usd:.4f}"
