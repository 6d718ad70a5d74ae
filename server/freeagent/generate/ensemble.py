"""Ensembles: several candidates for one task — several models, or several samples of one — each
through the same pipeline and gate as a single answer (:class:`.llm.LlmPipeline`: the prompt with
the knowledge base, the validators, tsc, a retry with the root cause), and the one the checks
prefer kept. Selection is by what the checks say the code does, never by a model's opinion.

Owns the members (``provider/model[:samples]``, the ``llm.ensemble`` setting or ``--ensemble``),
the order they are asked in — ``cascade`` (default): the cheapest first, a dearer member only when
no candidate so far passes the checks and the task's budget (``llm.budgetUsd``, for the whole
ensemble: a tier's candidates share what is left) is not spent; ``all``: every member at once, a
few at a time — how far each candidate got, and the choice:

* stage 0 — no code (the provider failed, or answered without a code block);
* stage 1 — the code fails the fast checks (imports, exports, API calls, conventions; it parses);
* stage 2 — it fails the compiler (tsc on the workspace, TypeScript);
* stage 3 — it passes every check.

Then, for Python, **tests that agree**: when two or more candidates pass the checks, one model (the
cheapest member that produced one) writes a few tests from the task alone, each passing candidate's
function runs them in :mod:`.sandbox`, and candidates are grouped by what they did there (which
tests passed, what every call returned); a candidate's score is its tests passed × its group's size
(CodeT's dual agreement). Among the candidates that got furthest: the highest score, then the
fewest remaining findings (the project's conventions' hints count here), the shortest code, the
cheapest. The result is one
:class:`.result.Generation`, as a single answer gives, whose ``candidates`` say every candidate's
model, stage, findings, cost and seconds, and ``selected`` which won; its history holds every
attempt of every candidate (so the outcome store learns from the losers too).

**Combine**: when no candidate passes (and budget is left), the dearest member gets the best two or
three candidates with their findings and writes one answer, which goes through the same gate and
joins the candidates (sample 0).

Not built yet (next step of the ensembles issue): the execution stage for TypeScript (the
candidate transpiled and run under ``node --test``).
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..findings import CODE_TYPE_ERROR
from ..providers.base import ProviderOptions
from ..providers.pricing import FREE_PROVIDERS, price_for
from .llm import FAILING, LlmPipeline, _prices, operation_hint, provider_options
from .result import Generation

PROVIDERS = ("anthropic", "openai", "ollama")
MAX_SAMPLES = 10
CONCURRENT = 4  # candidates asked and checked at once (model calls wait; tsc runs are processes)
STAGES = {0: "no code", 1: "fails the fast checks", 2: "fails the compiler", 3: "passes the checks"}


class EnsembleError(ValueError):
    """A member that cannot be read; the message names it and says how to write one."""


@dataclass(frozen=True)
class Member:
    provider: str
    model: str
    samples: int = 1

    @classmethod
    def parse(cls, text: str) -> Member:
        """``provider/model[:samples]``. Samples are a trailing ``:N`` of digits only, so an Ollama
        tag (``qwen2.5-coder:7b``) stays the model's; a tag of digits alone needs its samples too
        (``ollama/llama3:8:1``)."""
        provider, slash, rest = text.strip().partition("/")
        if not slash or provider not in PROVIDERS or not rest:
            raise EnsembleError(
                f"ensemble member '{text}': write provider/model[:samples], the provider one of {', '.join(PROVIDERS)}"
            )
        model, samples = rest, 1
        head, colon, tail = rest.rpartition(":")
        if colon and head and tail.isdigit():
            model, samples = head, int(tail)
        if not 1 <= samples <= MAX_SAMPLES:
            raise EnsembleError(f"ensemble member '{text}': samples must be 1 to {MAX_SAMPLES}")
        return cls(provider, model, samples)

    def __str__(self) -> str:
        return f"{self.provider}/{self.model}" + (f":{self.samples}" if self.samples > 1 else "")

    def price(self, settings) -> float:
        """$ per million output tokens (what orders a cascade): 0 for a local model, infinite when
        unknown (asked last: its cost cannot be foreseen)."""
        if self.provider in FREE_PROVIDERS:
            return 0.0
        found = price_for(self.model, _prices(settings))
        return found.output if found is not None else math.inf


@dataclass
class Candidate:
    member: Member
    sample: int  # 1-based, within its member
    generation: Generation
    stage: int
    tests_passed: int | None = None  # the execution stage's (None: not run on this candidate)
    tests_total: int | None = None
    agreeing: int = 0  # candidates (itself included) that behaved the same on the tests
    why_untested: str | None = None
    behaviour: tuple = ()  # what it did on the tests: each test's outcome, each call's value

    @property
    def score(self) -> int:
        """CodeT's dual agreement: tests passed × candidates that behaved the same."""
        return (self.tests_passed or 0) * self.agreeing

    def to_json(self, workspace: Path | None = None) -> dict:
        g = self.generation
        return {
            "member": str(self.member),
            "combined": self.sample == 0,
            "provider": g.provider or self.member.provider,
            "model": g.model or self.member.model,
            "sample": self.sample,
            "stage": self.stage,
            "stage_name": STAGES[self.stage],
            "attempts": g.attempts,
            "cost_usd": g.cost_usd,
            "seconds": round(g.seconds, 3),
            "findings": [f.to_json(str(workspace) if workspace else None) for f in g.findings],
            "tests_passed": self.tests_passed,
            "tests_total": self.tests_total,
            "agreeing": self.agreeing,
            "score": self.score,
            "untested": self.why_untested,
            "code": g.code,
        }


TEST_WRITER_SYSTEM = "You write small, exact unit tests. You answer with one code block and nothing else."
TEST_WRITER_PROMPT = (
    "Write 4 to 6 small tests for a Python function that does this:\n\n{task}\n\n"
    "Call the function as `subject(...)`: it is given to your tests, do not import or define it. "
    "Infer its parameters from the task. Write plain `def test_...():` functions with `assert`, "
    "importing nothing but the standard library, no fixtures, no classes. Answer with one ```python block."
)


def _only_function(code: str) -> str | None:
    """The name of the one top-level function a candidate defines (what the tests call)."""
    import ast

    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return names[0] if len(names) == 1 else None


def _default_factory():
    from ..providers import make_provider

    return make_provider


def _spent(candidates: list[Candidate]) -> tuple[float, bool]:
    """What the candidates so far cost, and whether that is known (a model of unknown price)."""
    costs = [c.generation.cost_usd for c in candidates]
    return sum(c for c in costs if c is not None), all(c is not None for c in costs)


def stage_of(generation: Generation) -> int:
    """How far a candidate got (see the module)."""
    if not generation.edits:
        return 0
    failing = [f for f in generation.findings if f.severity in FAILING]
    if not failing:
        return 3
    return 2 if all(f.code == CODE_TYPE_ERROR for f in failing) else 1


class Ensemble:
    """``members`` asked for ``task`` as ``llm_settings`` say (mode, temperature, retries, keys,
    URLs); ``base_urls``: a provider's URL for this run (``--base-url``), over the settings'.
    ``make_provider``, ``counter`` and ``run_sync`` are the pipeline's (see LlmPipeline)."""

    def __init__(
        self,
        engine,
        llm_settings,
        members: list[Member],
        *,
        mode: str | None = None,
        base_urls: dict[str, str] | None = None,
        make_provider=None,
        counter=None,
        run_sync=None,
        typecheck: bool | None = None,
    ):
        if not members:
            raise EnsembleError("an ensemble needs at least one member (the llm.ensemble setting or --ensemble)")
        self.engine = engine
        self.settings = llm_settings
        self.members = members
        self.mode = mode or llm_settings.ensemble_mode
        self.base_urls = base_urls or {}
        self.make_provider = make_provider
        self.counter = counter
        self.typecheck = typecheck
        self._run_sync = run_sync
        self._checking = asyncio.Lock()  # candidates' checks share the engine's overlays: one at a time
        self._slots = asyncio.Semaphore(CONCURRENT)
        self._tests: str | None = None  # the execution stage's tests, written once per run
        self._tests_cost: float | None = 0.0

    def tiers(self) -> list[list[tuple[Member, int]]]:
        """The order candidates are asked in: one tier per price in ``cascade`` (cheapest first;
        a member's samples together), everything at once in ``all``."""
        everyone = [(m, i) for m in self.members for i in range(1, m.samples + 1)]
        if self.mode == "all":
            return [everyone]
        by_price: dict[float, list[tuple[Member, int]]] = {}
        for member, sample in everyone:
            by_price.setdefault(member.price(self.settings), []).append((member, sample))
        return [by_price[p] for p in sorted(by_price)]

    async def run(self, task: str, path: Path, text: str, marker_line: int | None, *, progress=None) -> Generation:
        started = time.perf_counter()
        hint = await self._sync(operation_hint, self.engine, task)  # once: every candidate shows it
        candidates: list[Candidate] = []
        total = sum(m.samples for m in self.members)
        budget_stop = False
        for tier in self.tiers():
            spent, known = _spent(candidates)
            if candidates and known and spent >= self.settings.budget_usd:
                budget_stop = True  # the cheaper tiers spent the task's budget: no dearer one is asked
                break
            # the tier shares what is left: each candidate's retries stop at its share
            share = (self.settings.budget_usd - spent) / len(tier) if known else self.settings.budget_usd / len(tier)
            if progress:
                names = ", ".join(sorted({str(m.model) for m, _ in tier}))
                progress(f"asking {len(tier)} candidate(s): {names}", int(100 * len(candidates) / max(total, 1)))
            found = await asyncio.gather(
                *(
                    self._candidate(member, sample, task, path, text, marker_line, hint, share)
                    for member, sample in tier
                )
            )
            candidates.extend(found)
            if progress:
                for c in found:
                    progress(
                        f"{c.member.model} #{c.sample}: {STAGES[c.stage]}", int(100 * len(candidates) / max(total, 1))
                    )
            await self._execute(task, path, text, candidates, progress)
            if self.mode == "cascade" and any(c.stage == 3 for c in candidates):
                break  # a cheaper member passed: the dearer ones are not asked
        spent, known = _spent(candidates)
        if (
            not any(c.stage == 3 for c in candidates)
            and any(c.stage > 0 for c in candidates)
            and not (known and spent >= self.settings.budget_usd)
        ):
            if progress:
                progress("no candidate passed: combining the best ones", 95)
            combined = await self._combine(
                task, path, text, marker_line, hint, candidates, self.settings.budget_usd - spent
            )
            candidates.append(combined)
        result = self._result(task, candidates, time.perf_counter() - started)
        if budget_stop and stage_of(result) < 3:
            result.title += f"; budget of ${self.settings.budget_usd:g} spent before the dearer members"
        return result

    # ------------------------------------------------------------------ the execution stage

    async def _execute(self, task: str, path: Path, text: str, candidates: list[Candidate], progress) -> None:
        """Tests that agree (Python): when two or more candidates pass the checks, one model writes
        a few tests from the task alone (never from a candidate), each such candidate's function
        runs them in the sandbox, and candidates are grouped by what they did (which tests passed,
        what each call returned): a candidate's score is its tests passed × its group's size."""
        passing = [c for c in candidates if c.stage == 3 and c.tests_total is None and c.why_untested is None]
        if path.suffix != ".py" or len([c for c in candidates if c.stage == 3]) < 2 or not passing:
            return
        if self._tests is None:
            if progress:
                progress("writing tests for the task", 90)
            self._tests = await self._write_tests(task, passing[0].member) or ""
        if not self._tests:
            for c in passing:
                c.why_untested = "no tests could be written"
            return
        from ..edits import apply_edits
        from .sandbox import run_python_tests

        python = self._interpreter()
        runs = []
        for c in passing:
            name = _only_function(c.generation.code)
            if name is None:
                c.why_untested = "not one function to call"
                continue
            module = apply_edits(text, c.generation.edits.get(str(path), []))
            runs.append((c, asyncio.to_thread(run_python_tests, module, name, self._tests, python=python)))
        results = await asyncio.gather(*(job for _, job in runs))
        for (c, _), outcome in zip(runs, results, strict=True):
            c.tests_total, c.tests_passed = len(outcome.tests), outcome.passed
            c.behaviour = (tuple(sorted(outcome.tests.items())), tuple(tuple(call) for call in outcome.calls))
            if outcome.load_error or outcome.timed_out:
                c.why_untested = outcome.load_error or "stopped at the time limit"
        tested = [c for c in candidates if c.behaviour]
        for c in tested:
            c.agreeing = sum(1 for other in tested if other.behaviour == c.behaviour)
        if progress:
            for c in tested:
                progress(f"{c.member.model} #{c.sample}: {c.tests_passed}/{c.tests_total} tests", 95)

    async def _write_tests(self, task: str, member: Member) -> str | None:
        """A few plain tests for the task, from the task alone, by ``member``'s model."""
        from ..providers.base import Message, ProviderError, Request
        from ..providers.retry import generate_with_retries
        from .llm import extract_code

        options = self._options(member, temperature=0.0)
        try:
            provider = (self.make_provider or _default_factory())(options)
            completion = await generate_with_retries(
                provider,
                Request(TEST_WRITER_SYSTEM, (Message("user", TEST_WRITER_PROMPT.format(task=task)),), 2048, 0.0),
                max_retries=options.max_retries,
                prices=_prices(self.settings),
                timeout_s=options.timeout_s,
            )
        except ProviderError:
            return None
        self._tests_cost = completion.cost_usd
        return extract_code(completion.text, "python")

    def _interpreter(self) -> str | None:
        """The workspace's own Python (its packages are the candidate's), else this one."""
        env = self.engine.context.python_environment()
        return str(env.interpreter) if env is not None and env.interpreter.exists() else None

    # ------------------------------------------------------------------ one candidate

    async def _candidate(
        self,
        member: Member,
        sample: int,
        task: str,
        path: Path,
        text: str,
        marker_line: int | None,
        hint,
        budget: float,
    ) -> Candidate:
        settings = self.settings
        attempts = 1 + settings.ensemble_retries
        sampled = member.samples > 1 and sample > 0  # several samples of it (the combined one is not)
        options = self._options(member, settings.ensemble_temperature if sampled else 0.0)
        pipeline = LlmPipeline(
            self.engine,
            replace(settings, max_attempts=attempts, budget_usd=max(budget, 0.0)),
            make_provider=self.make_provider,
            counter=self.counter,
            run_sync=self._sync,
            typecheck=self.typecheck,
        )
        async with self._slots:
            generation = await pipeline.run(
                task, path, text, marker_line, plan=[options] * attempts, related_operation=hint or ""
            )
        return Candidate(member, sample, generation, stage_of(generation))

    async def _combine(
        self,
        task: str,
        path: Path,
        text: str,
        marker_line: int | None,
        hint,
        candidates: list[Candidate],
        budget: float,
    ) -> Candidate:
        """When no candidate passes: the dearest member gets the best two or three (code and
        findings) and writes one answer, through the same gate (sample 0: the combined one)."""
        with_code = sorted((c for c in candidates if c.stage > 0), key=lambda c: (-c.stage, len(c.generation.findings)))
        shown = []
        for number, c in enumerate(with_code[:3], 1):
            problems = "\n".join(f"- {f.code}: {f.message}" for f in c.generation.findings if f.severity in FAILING)
            shown.append(f"Attempt {number} ({STAGES[c.stage]}):\n```\n{c.generation.code.strip()}\n```\n{problems}")
        combined_task = (
            f"{task}\n\nEarlier attempts at this task failed the project's checks. Write one answer that "
            "keeps what is right in them and avoids every problem listed:\n\n" + "\n\n".join(shown)
        )
        dearest = max(self.members, key=lambda m: m.price(self.settings))
        candidate = await self._candidate(dearest, 0, combined_task, path, text, marker_line, hint, budget)
        return candidate

    def _options(self, member: Member, temperature: float) -> ProviderOptions:
        return provider_options(
            self.settings, member.provider, member.model, self._base_url(member.provider), temperature
        )

    def _base_url(self, provider: str) -> str | None:
        s = self.settings
        if provider in self.base_urls:
            return self.base_urls[provider]
        if provider == s.provider and s.base_url:
            return s.base_url
        if provider == s.fallback_provider and s.fallback_base_url:
            return s.fallback_base_url
        return None

    async def _sync(self, fn, *args) -> Any:
        """The pipeline's synchronous work (prompt, validators), one candidate at a time: each
        check puts the candidate's text in the engine's view of the file and takes it out."""
        async with self._checking:
            if self._run_sync is None:
                return fn(*args)
            return await self._run_sync(fn, *args)

    # ------------------------------------------------------------------ the choice

    def _result(self, task: str, candidates: list[Candidate], seconds: float) -> Generation:
        def rank(c: Candidate):
            g = c.generation
            cost = g.cost_usd if g.cost_usd is not None else math.inf
            return (-c.stage, -c.score, len(g.findings), len(g.code), cost)

        best_index = min(range(len(candidates)), key=lambda i: rank(candidates[i]))
        best = candidates[best_index]
        chosen = best.generation
        costs = [c.generation.cost_usd for c in candidates] + [self._tests_cost]
        total = None if any(c is None for c in costs) else round(sum(c for c in costs if c is not None), 8)
        # every attempt of every candidate, numbered through (the store keys attempts by number)
        history = [
            dict(h, attempt=n, candidate=i + 1)
            for n, (i, h) in enumerate(((i, h) for i, c in enumerate(candidates) for h in c.generation.history), 1)
        ]
        passed = sum(1 for c in candidates if c.stage == 3)
        if best.stage == 3:
            why = f"{passed} of {len(candidates)} passed the checks"
            if best.tests_total:
                why += f", {best.tests_passed}/{best.tests_total} of the written tests with {best.agreeing} agreeing"
            title = f"Generate with ensemble ({len(candidates)} candidates), {chosen.model} chosen — {why}: {task}"
        elif best.stage == 0:
            reasons = "; ".join(sorted({c.generation.title for c in candidates}))
            title = f"Ensemble generation failed ({len(candidates)} candidates): {reasons}"
        else:
            codes = ", ".join(sorted({f.code for f in chosen.findings if f.severity in FAILING}))
            title = (
                f"Generate with ensemble ({len(candidates)} candidates), {chosen.model} chosen "
                f"(fails checks: {codes} — none passed): {task}"
            )
        return replace(
            chosen,
            attempts=sum(c.generation.attempts for c in candidates),
            cost_usd=total,
            seconds=seconds,
            title=title,
            history=history,
            candidates=[c.to_json(self.engine.root) for c in candidates],
            selected=best_index + 1,
        )
