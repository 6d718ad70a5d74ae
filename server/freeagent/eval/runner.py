"""Running the evaluation matrix: every task × strategy/model × repeat, each in a fresh copy
of its workspace, through the same generation code the editor's code actions run, then graded.

Owns one run (copy → generate → apply → grade, within the task's time limit, every outcome a
row with its failure category), the matrix (parallel jobs, a seeded order, results appended to a
JSONL file as they finish so an interrupted evaluation resumes where it stopped), deciding up
front which LLM strategies can run here (a key or a reachable Ollama) and recording the others
as skipped with the reason, and the live progress bar.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..edits import apply_edits
from ..findings import CODE_UNDECLARED_PACKAGE
from .grade import grade, prepare
from .tasks import EvalTask

NOT_COVERED = "not covered"
VALIDATOR_REJECTED = "validator rejected"
PROVIDER_ERROR = "provider error"
TIMEOUT = "timeout"
SKIPPED = "skipped"
CATEGORIES = ("did not compile", "tests failed", VALIDATOR_REJECTED, PROVIDER_ERROR, TIMEOUT, NOT_COVERED)


ENSEMBLES = ("cascade", "ensemble")  # an ensemble of every --model: cheapest first, or all at once


@dataclass(frozen=True)
class Strategy:
    kind: str  # spec | llm | auto | reference | cascade | ensemble
    provider: str | None = None
    model: str | None = None
    base_url: str | None = None  # the provider's server (an OpenAI-compatible one, a remote Ollama); not in the label
    members: tuple[str, ...] = ()  # cascade/ensemble: provider/model[:samples] each
    base_urls: tuple[tuple[str, str], ...] = ()  # cascade/ensemble: (provider, url) where not the default

    @property
    def label(self) -> str:
        if self.kind in ("spec", "reference"):
            return self.kind
        if self.kind in ENSEMBLES:
            return f"{self.kind}:{'+'.join(self.members)}"
        return f"{self.kind}:{self.provider}/{self.model}" if self.model else f"{self.kind}:{self.provider}"


@dataclass
class RunResult:
    task: str
    strategy: str  # the label
    repeat: int
    success: bool
    category: str | None = None
    reason: str = ""
    attempts: int = 0
    first_attempt: bool = False  # succeeded with its first attempt (pass@1)
    tokens: dict = field(default_factory=lambda: {"input": 0, "cached_input": 0, "output": 0})
    cost_usd: float | None = 0.0
    seconds: float = 0.0
    hallucinated_attempts: int = 0
    tags: list[str] = field(default_factory=list)
    source: str | None = None
    model: str | None = None

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> RunResult:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def parse_strategies(
    kinds: tuple[str, ...],
    models: tuple[str, ...],
    default_provider: str = "anthropic",
    base_urls: dict[str, str] | None = None,
) -> list[Strategy]:
    """``--strategy llm --model anthropic/claude-sonnet-5-5 --model openai/gpt-4o`` → one
    Strategy per (kind, model); spec and reference ignore models. A bare model name is for the
    default provider. ``base_urls``: the server each provider is reached at, when not its default."""
    out: list[Strategy] = []
    for kind in kinds or ("spec",):
        if kind in ("spec", "reference"):
            out.append(Strategy(kind))
            continue
        if kind in ENSEMBLES:  # every --model is a member (a bare name: the default provider's)
            members = tuple(m if "/" in m else f"{default_provider}/{m}" for m in models or (default_provider + "/",))
            out.append(Strategy(kind, members=members, base_urls=tuple(sorted((base_urls or {}).items()))))
            continue
        for model in models or ("",):
            provider, _, name = model.partition("/") if "/" in model else (default_provider, "", model)
            out.append(Strategy(kind, provider, name or None, (base_urls or {}).get(provider) or None))
    return list(dict.fromkeys(out))


def base_url_of(strategy: Strategy, llm_settings) -> str:
    """The URL a strategy's provider is reached at: its own (``--base-url``), else the configured
    one of that provider — ``llm.baseUrl`` for the premium provider, ``llm.fallbackBaseUrl`` for
    the fallback one (a URL belongs to its provider) — else "" (the SDK's default)."""
    provider = strategy.provider or llm_settings.provider
    if strategy.base_url:
        return strategy.base_url
    if provider == llm_settings.provider and llm_settings.base_url:
        return llm_settings.base_url
    if provider == llm_settings.fallback_provider and llm_settings.fallback_base_url:
        return llm_settings.fallback_base_url  # as the availability check and an ensemble's member take it
    return ""


def availability(strategy: Strategy, llm_settings) -> str | None:
    """Why an LLM strategy cannot run here (None: it can). An ensemble runs when one member can
    (the others are candidates that got nothing, stage 0)."""
    if strategy.kind in ("spec", "reference"):
        return None
    if strategy.kind in ENSEMBLES:
        from ..generate.ensemble import EnsembleError, Member

        urls = dict(strategy.base_urls)
        reasons = []
        for text in strategy.members:
            try:
                member = Member.parse(text)
            except EnsembleError as exc:
                return str(exc)
            single = Strategy("llm", member.provider, member.model, urls.get(member.provider))
            why = availability(single, llm_settings)
            if why is None:
                return None
            reasons.append(why)
        return "; ".join(dict.fromkeys(reasons)) or "no members"
    provider = strategy.provider or llm_settings.provider
    if provider == "anthropic" and not (os.environ.get("ANTHROPIC_API_KEY") or llm_settings.anthropic_api_key):
        return "ANTHROPIC_API_KEY is not set"
    own_url = base_url_of(strategy, llm_settings)  # a compatible server needs no key
    if provider == "openai" and not (os.environ.get("OPENAI_API_KEY") or llm_settings.openai_api_key or own_url):
        return "OPENAI_API_KEY is not set"
    if provider == "ollama":
        import httpx

        host = (
            strategy.base_url
            or llm_settings.fallback_base_url
            or os.environ.get("OLLAMA_HOST")
            or "http://127.0.0.1:11434"
        )
        if not host.startswith("http"):
            host = "http://" + host
        try:
            httpx.get(host.rstrip("/") + "/api/tags", timeout=1.5)
        except httpx.HTTPError:
            return f"no Ollama answering at {host}"
    return None


class Evaluation:
    def __init__(
        self,
        tasks: list[EvalTask],
        strategies: list[Strategy],
        *,
        repeat: int = 1,
        seed: int = 0,
        jobs: int = 1,
        results: Path | None = None,
        node_modules: Path | None = None,
        llm_settings=None,
        make_provider=None,
        on_result=None,
        learn_store: Path | None = None,
        passes: int = 1,
    ):
        """``learn_store``: learn as the editor does — every run is recorded in this outcome store
        (graded: applied, its passing the hidden tests counted as its survival), under its
        fixture's identity so the copies of one project share what they learn, and the suite runs
        ``passes`` times in a fixed order, one run at a time, each pass able to use what the
        earlier ones taught (the results' strategy labels end in ``#pass1``, ``#pass2`` …)."""
        from ..config import LlmSettings

        self.tasks = tasks
        self.strategies = strategies
        self.repeat = repeat
        self.seed = seed
        self.jobs = max(jobs, 1)
        self.results_path = results
        self.node_modules = node_modules
        self.llm = llm_settings or LlmSettings()
        self.make_provider = make_provider  # tests: scripted providers
        self.on_result = on_result
        self.results: list[RunResult] = []
        self.learn_store = learn_store
        self.passes = max(passes, 1) if learn_store is not None else 1

    # ------------------------------------------------------------------ the matrix

    def _done(self) -> dict[tuple, RunResult]:
        if self.results_path is None or not self.results_path.exists():
            return {}
        done = {}
        for line in self.results_path.read_text(encoding="utf-8").splitlines():
            try:
                row = RunResult.from_json(json.loads(line))
            except (ValueError, TypeError):
                continue  # a line cut short by an interruption
            done[(row.task, row.strategy, row.repeat)] = row
        return done

    def _record(self, result: RunResult) -> None:
        self.results.append(result)
        if self.results_path is not None:
            self.results_path.parent.mkdir(parents=True, exist_ok=True)
            with self.results_path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(result.to_json()) + "\n")
        if self.on_result is not None:
            self.on_result(result)

    async def run(self) -> list[RunResult]:
        done = self._done()
        self.results = [
            r
            for r in done.values()
            if any(r.task == t.id for t in self.tasks) and any(r.strategy == s.label for s in self.strategies)
        ]
        for result in self.results:
            if self.on_result is not None:
                self.on_result(result)
        unavailable = {s: availability(s, self.llm) if self.make_provider is None else None for s in self.strategies}
        if self.learn_store is not None:
            return await self._learning(done, unavailable)
        matrix = [
            (task, strategy, n)
            for task in self.tasks
            for strategy in self.strategies
            for n in range(self.repeat)
            if (task.id, strategy.label, n) not in done
        ]
        random.Random(self.seed).shuffle(matrix)
        gate = asyncio.Semaphore(self.jobs)

        async def one(task: EvalTask, strategy: Strategy, n: int) -> None:
            why = unavailable[strategy]
            if why:
                self._record(RunResult(task.id, strategy.label, n, False, SKIPPED, why, tags=task.tags))
                return
            async with gate:
                self._record(await self.run_one(task, strategy, n))

        await asyncio.gather(*(one(*item) for item in matrix))
        return self.results

    async def _learning(self, done: dict, unavailable: dict) -> list[RunResult]:
        """The passes of ``--learn``: the tasks in the suite's order, one run at a time."""
        for k in range(1, self.passes + 1):
            for strategy in self.strategies:
                for task in self.tasks:
                    for n in range(self.repeat):
                        label = f"{strategy.label}#pass{k}"
                        if (task.id, label, n) in done:
                            continue
                        why = unavailable[strategy]
                        if why:
                            self._record(RunResult(task.id, label, n, False, SKIPPED, why, tags=task.tags))
                            continue
                        result = await self.run_one(task, strategy, n)
                        result.strategy = label
                        self._record(result)
        return self.results

    # ------------------------------------------------------------------ one run

    async def run_one(self, task: EvalTask, strategy: Strategy, n: int) -> RunResult:
        started = time.perf_counter()
        result = RunResult(task.id, strategy.label, n, False, tags=task.tags)
        with tempfile.TemporaryDirectory(prefix=f"freeagent-eval-{task.id}-") as tmp:
            try:
                await asyncio.wait_for(self._generate_and_grade(task, strategy, Path(tmp), result), task.timeout)
            except TimeoutError:
                result.success, result.category = False, TIMEOUT
                result.reason = f"over the task's {task.timeout:g} s"
        result.seconds = round(time.perf_counter() - started, 3)
        return result

    async def _generate_and_grade(self, task: EvalTask, strategy: Strategy, tmp: Path, result: RunResult) -> None:
        from ..engine import FolderEngine
        from ..markers import locate_task
        from ..paths import PathError, inside, read_text

        try:
            root = await asyncio.to_thread(prepare, task, tmp, self.node_modules)
            path = inside(root / task.file, root, "the task's file")  # a symlink in the copy may point out
            text = read_text(path, missing_ok=True)
        except PathError as exc:
            result.category, result.reason = VALIDATOR_REJECTED, str(exc)
            return
        if self.learn_store is not None:  # one store, and one identity for the copies of one project
            engine = FolderEngine(root, layers=[{"store": {"path": str(self.learn_store)}}])
            engine.identity = str(task.workspace.resolve())
        else:
            engine = FolderEngine(root)
        await asyncio.to_thread(engine.load)
        found = locate_task(text, task.marker, engine.settings.markers)
        marker_line = found.line if found is not None else None
        instruction = task.instruction or (found.text if found is not None else None)
        if instruction is None:
            result.category, result.reason = VALIDATOR_REJECTED, "no instruction and no marker in the target file"
            return
        made: list = []  # the generation, even one that is not used (what it teaches is recorded)
        generation = await self._generate(engine, task, strategy, path, text, marker_line, instruction, result, made)
        if generation is None:
            if made and self.learn_store is not None:
                await asyncio.to_thread(engine.record, made[0], instruction, "eval", "rejected")
            return
        new_text = apply_edits(text, generation.edits.get(str(path), []))
        others = {}
        try:  # every file an edit touches is inside the copy, or nothing is written
            for file, edits in generation.edits.items():
                if file != str(path):
                    other = inside(file, root, "an edited file")
                    others[other] = apply_edits(read_text(other, missing_ok=True), edits)
        except PathError as exc:
            result.category, result.reason = VALIDATOR_REJECTED, str(exc)
            return
        for other, other_text in others.items():
            other.parent.mkdir(parents=True, exist_ok=True)
            other.write_text(other_text, encoding="utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new_text, encoding="utf-8")
        verdict = await grade(task, root, task.timeout)
        result.success, result.category, result.reason = verdict.passed, verdict.category, verdict.detail
        result.first_attempt = verdict.passed and result.attempts == 1
        if self.learn_store is not None:
            await asyncio.to_thread(self._learn, engine, generation, instruction, verdict.passed)

    @staticmethod
    def _learn(engine, generation, instruction: str, passed: bool) -> None:
        """Record a graded run as the editor would record an insertion: applied, and — its
        hidden tests passed — kept whole (a survival measure of event ``graded``)."""
        gid = engine.record(
            generation, instruction, "eval", "applied" if passed else "rejected", generation.code.splitlines()
        )
        if gid is not None and passed and engine.outcomes is not None:
            engine.outcomes.add_survival(gid, "graded", 1.0)

    async def _generate(self, engine, task, strategy, path, text, marker_line, instruction, result, made=None):
        """The Generation, or None after recording why there is none (``made`` gets any
        generation made, used or not)."""
        made = [] if made is None else made
        from ..generate.llm import LlmPipeline, extract_code, place
        from ..generate.result import Generation
        from ..generate.spec_first import GenerationError, targets_for

        kind = strategy.kind
        if kind == "reference":
            if task.reference is None:
                result.category, result.reason = NOT_COVERED, "the task has no reference answer"
                return None
            code = extract_code(
                task.reference.read_text(encoding="utf-8"), "python" if path.suffix == ".py" else "typescript"
            )
            placed = place(text, code or "", marker_line, "python" if path.suffix == ".py" else "typescript")
            result.attempts, result.source = 1, "reference"
            return Generation(
                code=placed.body,
                edits={str(path): placed.edits},
                source="reference",
                operation=None,
                target="reference",
                file=str(path),
            )
        if kind in ("spec", "auto"):
            match = await asyncio.to_thread(engine.match, instruction)
            if match.covered:
                rel = engine.context.rel(path)
                try:
                    generation = await asyncio.to_thread(
                        engine.generator().generate, match.operation, targets_for(rel, text)[0], path, text, marker_line
                    )
                except GenerationError as exc:
                    result.category, result.reason = VALIDATOR_REJECTED, str(exc)
                    return None
                result.attempts, result.source, result.cost_usd = 1, "spec", 0.0
                if generation.findings:
                    result.category = VALIDATOR_REJECTED
                    result.reason = "; ".join(f"{f.code} {f.message}" for f in generation.findings[:3])
                    return None
                return generation
            if kind == "spec":
                result.category = NOT_COVERED
                result.reason = (
                    f"no spec operation covers it (best {match.operation.id if match.operation else '-'} "
                    f"at {match.confidence:.2f})"
                )
                return None
        if kind in ENSEMBLES:
            from ..generate.ensemble import Ensemble, Member

            members = [Member.parse(m) for m in strategy.members]
            runner = Ensemble(
                engine,
                self.llm,
                members,
                mode="cascade" if kind == "cascade" else "all",
                base_urls=dict(strategy.base_urls),
                make_provider=self.make_provider,
                run_sync=asyncio.to_thread,
            )
            generation = await runner.run(instruction, path, text, marker_line)
        else:
            provider = strategy.provider or self.llm.provider
            # the configured URL belongs to the configured provider; another one uses its default
            llm = dataclasses.replace(
                self.llm,
                provider=provider,
                model=strategy.model or "",
                mode="premium",
                base_url=base_url_of(strategy, self.llm),
            )
            pipeline = LlmPipeline(engine, llm, make_provider=self.make_provider, run_sync=asyncio.to_thread)
            generation = await pipeline.run(instruction, path, text, marker_line)
        made.append(generation)
        history = generation.history
        result.source, result.model, result.attempts = "llm", generation.model, len(history)
        result.cost_usd = generation.cost_usd
        for attempt in history:
            for key in ("input", "cached_input", "output"):
                result.tokens[key] += attempt["tokens"].get(key, 0)
            if any(f["code"] == CODE_UNDECLARED_PACKAGE for f in attempt["findings"]):
                result.hallucinated_attempts += 1
        if not generation.edits:
            errored = history and all(a.get("error") for a in history)
            result.category = PROVIDER_ERROR if errored else VALIDATOR_REJECTED
            result.reason = generation.title
            return None
        if any(f.severity.value in ("error", "warning") for f in generation.findings):
            result.category = VALIDATOR_REJECTED
            result.reason = "; ".join(f"{f.code} {f.message}" for f in generation.findings[:3])
            return None
        return generation
