"""The plain records the outcome store keeps: what a generation was, each of its attempts, and what
became of it. No generator, provider or LSP type appears here — whoever records converts into
these (:meth:`freeagent.generate.result.Generation.record`), so the store sits low and knows
nothing of how code is made."""

from __future__ import annotations

from dataclasses import dataclass, field

OUTCOMES = ("offered", "applied", "rejected")
SURFACES = ("cli", "editor", "eval")
SURVIVAL_EVENTS = ("save", "close", "index", "commit", "graded")  # graded: the evaluation's hidden tests passed


@dataclass
class AttemptRecord:
    number: int
    provider: str | None = None
    model: str | None = None
    prompt_hash: str | None = None
    answer: str | None = None
    findings: list[dict] = field(default_factory=list)
    cause: str | None = None
    error: str | None = None
    typecheck: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    seconds: float | None = None
    candidate: int | None = None  # an ensemble's candidate it belongs to (1-based)


@dataclass
class GenerationRecord:
    workspace: str
    task: str
    strategy: str
    code: str
    surface: str = "cli"
    file: str | None = None
    operation: str | None = None
    target: str | None = None
    provider: str | None = None
    model: str | None = None
    passed: bool = True
    findings: list[dict] = field(default_factory=list)
    prompt_tokens: int | None = None
    prompt_sections: dict[str, int] = field(default_factory=dict)
    cost_usd: float | None = 0.0
    seconds: float = 0.0
    attempts: list[AttemptRecord] = field(default_factory=list)
    selected: int | None = None  # an ensemble's: the candidate kept
    # filled by the store
    id: str = ""
    created: float = 0.0
    outcome: str = "offered"
    outcome_at: float | None = None
    inserted_lines: list[str] = field(default_factory=list)
    applied_on: str | None = None  # the git HEAD when it was applied
    knowledge: list[str] = field(default_factory=list)  # "pattern:<id>", "fact:<id>" its prompt used
    survival: list[tuple[float, str, float]] = field(default_factory=list)  # (at, event, share)
    feedback: list[tuple[float, str, str | None]] = field(default_factory=list)  # (at, vote, note)


FACT_KINDS = ("not_installed", "not_exported", "unresolved", "unknown_api", "unknown_endpoint")


@dataclass
class FactRecord:
    """Something validation proved about the project (or about a model here), with the file that
    shows it: "`lodash` is not installed", "`../lib/errors.js` does not export `AppErr`"."""

    workspace: str
    kind: str
    subject: str
    text: str
    model: str = ""  # '' for the project; a model's name for its own pitfall
    citation: str | None = None
    id: str = ""
    seen: int = 1
    first_seen: float = 0.0
    last_seen: float = 0.0
    last_used: float | None = None
