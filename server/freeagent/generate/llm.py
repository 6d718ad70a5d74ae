"""The LLM fallback: prompt a model with the project's context, take one code block out of its
answer, check it in place with the same validators as hand-written code, and retry with the
failure's root cause until it passes, the attempts run out or the budget does.

Owns the attempt loop (which model each attempt uses — in cost-sensitive mode the local model
first, escalating to the premium one only when validation fails or the local one is down),
extracting code from an answer (prose-only answers are rejected), placing it (the code replaces
the task's marker line; its imports join the file's import block), judging it (new findings
against the file as it was, a parse check, and the workspace's tsc when asked), classifying why
it failed and writing the targeted correction, the budget, and the result with its provenance:
every attempt's model, tokens, cost, seconds and findings.

Engine work (prompt, overlays, validators) goes through ``run_sync`` so the language server can
keep it on its worker thread; provider calls are awaited directly, so cancelling the task
cancels the request.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..edits import TextEdit, apply_edits
from ..findings import (
    CODE_ANSWER_SYNTAX,
    CODE_TYPECHECK_NOT_RUN,
    Finding,
    Range,
    Severity,
)
from ..providers.base import Message, ProviderError, ProviderOptions, Request, Usage
from ..redact import mask_keys, settings_keys
from .correction import correction, root_cause
from .prompt import Prompt, PromptBuilder, language_of
from .result import Generation
from .tokens import TokenCounter

_FENCE = re.compile(r"^(```+|~~~+)[ \t]*([\w+#.-]*)[^\n]*\n(.*?)^\1[ \t]*$", re.S | re.M)
_LANG_TAGS = {
    "typescript": {"ts", "typescript", "tsx", "mts", "cts", "js", "javascript", "jsx", ""},
    "javascript": {"js", "javascript", "jsx", "mjs", "cjs", "ts", "typescript", ""},
    "python": {"py", "python", "python3", ""},
}
FAILING = (Severity.ERROR, Severity.WARNING)


def extract_code(answer: str, language: str) -> str | None:
    """The code in a model's answer: the longest fenced block in the file's language (or an
    untagged one); an unfenced answer only if it is entirely code (it parses). None: prose."""
    blocks = [(tag.lower(), body) for _, tag, body in _FENCE.findall(answer)]
    wanted = [body for tag, body in blocks if tag in _LANG_TAGS[language]]
    if wanted:
        return max(wanted, key=len).strip("\n") + "\n"
    if blocks:
        return None  # only blocks in another language (a shell command, JSON …)
    text = answer.strip()
    if not text:
        return None
    from ..context.parsing import Parsers

    parsers = Parsers()
    lang = parsers._py if language == "python" else parsers._ts
    tree = lang[1].parse(text.encode("utf-8"))
    if tree.root_node.has_error or not tree.root_node.named_children:
        return None
    if all(c.type in ("expression_statement", "comment") for c in tree.root_node.named_children):
        return None  # "Here is the code." parses as an expression: still prose
    return text + "\n"


@dataclass
class Placed:
    body: str
    imports: list[str]
    edits: list[TextEdit]
    new_text: str
    inserted: tuple[int, int]  # first and last line of the inserted body in new_text


def place(text: str, code: str, marker_line: int | None, language: str) -> Placed:
    """The candidate's imports merged into the file's import block (those already there left
    out), its body in place of the marker line (or at the end)."""
    from ..context.parsing import Parsers

    parsers = Parsers()
    lang = parsers._py if language == "python" else parsers._ts
    import_types = (
        ("import_statement", "import_from_statement", "future_import_statement")
        if language == "python"
        else ("import_statement",)
    )
    tree = lang[1].parse(code.encode("utf-8"))
    code_lines = code.split("\n")
    import_rows: set[int] = set()
    imports: list[str] = []
    for node in tree.root_node.named_children:
        if node.type in import_types:
            imports.append(node.text.decode("utf-8"))
            import_rows.update(range(node.start_point[0], node.end_point[0] + 1))
    body = "\n".join(line for row, line in enumerate(code_lines) if row not in import_rows).strip("\n")

    lines = text.split("\n") if text else [""]
    existing = {" ".join(line.split()) for line in lines}
    new_imports = [imp for imp in imports if " ".join(imp.split()) not in existing]
    file_tree = lang[1].parse(text.encode("utf-8"))
    last_import = max(
        (n.end_point[0] for n in file_tree.root_node.named_children if n.type in import_types), default=-1
    )
    edits: list[TextEdit] = []
    # the marker's line, when there is one inside the file
    marker = marker_line if marker_line is not None and 0 <= marker_line < len(lines) else None
    lead = ""  # imports for a file that has none, when the code goes on its first line: one edit, not two
    if new_imports:
        block = "\n".join(new_imports)
        if last_import >= 0:
            end = len(lines[last_import])
            edits.append(TextEdit(last_import, end, last_import, end, "\n" + block))
        elif marker == 0 or not text.strip():
            lead = block + "\n\n"
        else:
            edits.append(TextEdit(0, 0, 0, 0, block + "\n\n"))
    if marker is not None:
        marker_text = lines[marker]
        indent = marker_text[: len(marker_text) - len(marker_text.lstrip(" \t"))]
        indented = "\n".join((indent + line) if line.strip() else line for line in body.split("\n"))
        edits.append(TextEdit(marker, 0, marker, len(marker_text), lead + indented))
    elif not text.strip():
        last = len(lines) - 1
        edits.append(TextEdit(0, 0, last, len(lines[last]), lead + body + "\n"))
    else:
        last = len(lines) - 1
        sep = "\n" if lines[last].strip() else ""
        edits.append(TextEdit(last, len(lines[last]), last, len(lines[last]), sep + "\n" + body + "\n"))
    new_text = apply_edits(text, edits)
    added = len(new_imports) + sum(imp.count("\n") for imp in new_imports)
    if new_imports and last_import < 0:
        added += 1  # and the blank line after them
    if marker is not None:
        first = marker + added
    elif not text.strip():
        first = added
    else:
        first = len(lines) + added + 1
    return Placed(body, new_imports, edits, new_text, (first, first + body.count("\n")))


# ---------------------------------------------------------------------- a partly relevant operation

HINT_MIN_CONFIDENCE = 0.2  # below the spec-first threshold, but related enough to constrain the model


def operation_hint(engine, task: str) -> str | None:
    """The exact signature of the operation the task is closest to, when it is related but not
    covered — so a model that needs that endpoint calls it as it really is."""
    match = engine.match(task)
    op = match.operation
    if op is None or match.covered or match.confidence < HINT_MIN_CONFIDENCE:
        return None
    lines = [f"{op.method} {op.path} (operationId {op.id})" + (f" — {op.summary}" if op.summary else "")]
    for param in op.parameters:
        schema = param.schema.value if param.schema is not None and isinstance(param.schema.value, dict) else {}
        kind = schema.get("type", "value")
        lines.append(f"- {param.location} parameter `{param.name}`: {kind}{'' if param.required else ' (optional)'}")
    if op.body is not None:
        media = next((m for m in op.body.content if "json" in m), None)
        body_schema = op.body.content[media].value if media else None
        if isinstance(body_schema, dict) and isinstance(body_schema.get("properties"), dict):
            required = set(body_schema.get("required") or [])
            fields = ", ".join(f"`{name}`{'' if name in required else '?'}" for name in body_schema["properties"])
            lines.append(f"- JSON body fields: {fields} (? = optional); no others")
    ok = [r.status for r in op.responses if r.status.startswith("2")]
    if ok:
        lines.append(f"- success status: {', '.join(ok)}")
    return "\n".join(lines)


# ---------------------------------------------------------------------- attempts and results


def _conversation_hash(system: str, messages: list[Message]) -> str:
    """What identifies a prompt without keeping it twice: the conversation an attempt sent."""
    import hashlib

    digest = hashlib.sha256(system.encode())
    for message in messages:
        digest.update(b"\0" + message.role.encode() + b"\0" + message.content.encode())
    return digest.hexdigest()


@dataclass
class Attempt:
    number: int
    provider: str
    model: str
    seconds: float = 0.0
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = 0.0
    findings: list[Finding] = field(default_factory=list)
    cause: str | None = None
    error: str | None = None
    # the compile gate: None (not asked, or stopped earlier), "passed", "failed", or
    # "not run: <why>" — a check that could not run is never reported as passed
    typecheck: str | None = None
    answer: str = ""  # the model's whole answer (the outcome store keeps it, secrets masked)
    prompt_hash: str = ""  # sha256 of the conversation this attempt sent

    @property
    def passed(self) -> bool:
        return self.error is None and not any(f.severity in FAILING for f in self.findings)

    def to_json(self, workspace: str | None = None) -> dict:
        return {
            "attempt": self.number,
            "provider": self.provider,
            "model": self.model,
            "seconds": round(self.seconds, 3),
            "tokens": self.usage.to_json(),
            "cost_usd": self.cost_usd,
            "passed": self.passed,
            "cause": self.cause,
            "error": self.error,
            "typecheck": self.typecheck,
            "findings": [f.to_json(workspace) for f in self.findings],
            "prompt_hash": self.prompt_hash,
            "answer": self.answer,
        }


@dataclass
class _RunState:
    """One run's state: what its attempts share, and what they have found and spent so far."""

    task: str
    path: Path
    text: str
    marker_line: int | None
    language: str
    prompt: Prompt
    installed: list[str]  # 'name@version', for the correction of a hallucinated package
    baseline: list[Finding]  # the file's findings before any candidate
    messages: list[Message]  # the conversation: the prompt, then each answer and its correction
    attempts: list[Attempt] = field(default_factory=list)
    best: tuple[Attempt, Placed] | None = None
    spent: float = 0.0
    cost_known: bool = True  # False once a model of unknown price answered: no budget, no total
    down: set[str] = field(default_factory=set)  # providers found unusable (missing key, unreachable …)
    budget_stop: bool = False  # the budget ended the run before the plan did
    strict_flags: list[str] = field(default_factory=list)  # the file's tsconfig's, for the root cause


class LlmPipeline:
    def __init__(
        self,
        engine,
        llm_settings,
        *,
        make_provider=None,
        counter: TokenCounter | None = None,
        run_sync: Callable[..., Awaitable[Any]] | None = None,
        typecheck: bool | None = None,
    ):
        from ..providers import make_provider as default_factory

        self.engine = engine
        self.settings = llm_settings
        self.make_provider = make_provider or default_factory
        self.counter = counter or TokenCounter()
        self.run_sync = run_sync or _inline
        self.typecheck = llm_settings.typecheck if typecheck is None else typecheck
        self._providers: dict[tuple, Any] = {}
        self._tsc_baseline: dict[tuple, list[Finding]] = {}

    # ------------------------------------------------------------------ plan

    def plan(
        self, provider: str | None = None, model: str | None = None, base_url: str | None = None
    ) -> list[ProviderOptions]:
        s = self.settings
        premium = provider_options(s, provider or s.provider, model or s.model, base_url or s.base_url)
        if provider or model or s.mode != "cost-sensitive":
            return [premium] * s.max_attempts
        local = provider_options(s, s.fallback_provider, s.fallback_model, s.fallback_base_url)
        return [local] + [premium] * max(s.max_attempts - 1, 1)

    def _provider(self, options: ProviderOptions):
        key = (options.provider, options.model, options.base_url)
        if key not in self._providers:
            self._providers[key] = self.make_provider(options)
        return self._providers[key]

    # ------------------------------------------------------------------ run

    async def run(
        self,
        task: str,
        path: Path,
        text: str,
        marker_line: int | None,
        *,
        plan: list[ProviderOptions] | None = None,
        related_operation: str | None = None,
        progress: Callable[[str, int], None] | None = None,
    ) -> Generation:
        """Generate code for ``task`` at ``marker_line`` of ``path`` (whose text is ``text``):
        attempts along the plan until one passes the checks, or the plan or the budget ends.
        ``related_operation``: the signature to show the model (default: :func:`operation_hint`).

        The steps: :meth:`_prepare` the prompt and the baseline, take :meth:`_steps` of the plan
        (escalation and budget), one :meth:`_attempt` each (:meth:`_ask`, extract, place,
        :meth:`_judge`), and :meth:`_result`."""
        started = time.perf_counter()
        steps = plan or self.plan()
        state = await self._prepare(task, path, text, marker_line, related_operation, [o.model for o in steps])
        for options in self._steps(state, steps):
            if await self._attempt(state, options, len(steps), progress):
                break
        return self._result(state, time.perf_counter() - started)

    async def _prepare(
        self,
        task: str,
        path: Path,
        text: str,
        marker_line: int | None,
        related_operation: str | None,
        models: list[str],
    ) -> _RunState:
        """The prompt (with what the knowledge base knows, when the engine has one), the installed
        packages a correction names, and the file's own findings (a candidate is judged only on
        what it adds)."""
        builder = PromptBuilder(self.engine.context, self.counter, getattr(self.engine, "knowledge", None))
        if related_operation is None:
            related_operation = await self.run_sync(operation_hint, self.engine, task)
        prompt = await self.run_sync(
            builder.build, task, path, text, marker_line, self.settings.prompt_tokens, related_operation, models
        )
        installed = await self.run_sync(builder.installed_packages, path)
        baseline = await self.run_sync(self._findings, path, text, False)
        messages = [Message("user", prompt.user)]
        state = _RunState(task, path, text, marker_line, language_of(path), prompt, installed, baseline, messages)
        config = self.engine.context.nearest_tsconfig(path) if state.language != "python" else None
        state.strict_flags = config.strict_flags() if config is not None else []
        return state

    def _steps(self, state: _RunState, plan: list[ProviderOptions]) -> Iterator[ProviderOptions]:
        """The plan's steps this run takes: a provider found down is skipped (its later steps too:
        the next provider in the plan takes over), and a spent budget ends the run."""
        for options in plan:
            if options.provider in state.down:
                continue
            if state.cost_known and state.spent >= self.settings.budget_usd:
                state.budget_stop = True
                return
            yield options

    async def _attempt(
        self, state: _RunState, options: ProviderOptions, planned: int, progress: Callable[[str, int], None] | None
    ) -> bool:
        """One attempt: ask the model, take the code out of its answer, place it, judge it; True
        when it passed. A failed one leaves the correction for the next in the conversation."""
        number = len(state.attempts) + 1
        attempt = Attempt(number, options.provider, options.model or "")
        state.attempts.append(attempt)
        if progress:
            progress(
                f"attempt {number}: asking {options.provider} {options.model or ''}".strip(),
                int(100 * (number - 1) / max(planned, 1)),
            )
        answer = await self._ask(state, attempt, options)
        if answer is None:
            return False
        code = extract_code(answer, state.language)
        if code is None:
            attempt.cause = "no_code"
            attempt.findings = [
                Finding(
                    str(state.path),
                    Range.at(0, 0),
                    Severity.ERROR,
                    CODE_ANSWER_SYNTAX,
                    "the answer holds no code block in the file's language",
                )
            ]
            state.messages.append(
                Message("user", correction(attempt.findings, state.installed, state.language, state.strict_flags))
            )
            return False
        placed = place(state.text, code, state.marker_line, state.language)
        if progress:
            progress(f"attempt {number}: checking the code", int(100 * (number - 0.5) / max(planned, 1)))
        await self._judge(state, attempt, placed)
        if state.best is None or _score(attempt) < _score(state.best[0]):
            state.best = (attempt, placed)
        if attempt.passed:
            return True
        failing = _failing(attempt.findings)
        state.messages.append(
            Message(
                "user", correction(failing or attempt.findings, state.installed, state.language, state.strict_flags)
            )
        )
        return False

    async def _ask(self, state: _RunState, attempt: Attempt, options: ProviderOptions) -> str | None:
        """The model's answer to the conversation so far, added to it; the attempt gets its model,
        tokens, cost and seconds, the run its spend. None when the provider failed (one that is down
        is marked, and skipped from then on)."""
        from ..providers.retry import generate_with_retries

        attempt.prompt_hash = _conversation_hash(state.prompt.system, state.messages)
        try:
            provider = self._provider(options)
            attempt.model = provider.model
            completion = await generate_with_retries(
                provider,
                Request(
                    state.prompt.system, tuple(state.messages), self.settings.max_output_tokens, options.temperature
                ),
                max_retries=options.max_retries,
                prices=_prices(self.settings),
                timeout_s=options.timeout_s,
            )
        except ProviderError as error:
            attempt.error = mask_keys(str(error), settings_keys(self.settings))
            attempt.cause = f"provider_{error.kind}"
            if error.kind in ("missing_key", "connection", "not_found", "auth"):
                state.down.add(options.provider)  # that provider is not usable: go on with the next
            return None
        attempt.seconds, attempt.usage, attempt.cost_usd = completion.seconds, completion.usage, completion.cost_usd
        attempt.model = completion.model or attempt.model
        if completion.cost_usd is None:
            state.cost_known = False
        else:
            state.spent += completion.cost_usd
        state.messages.append(Message("assistant", completion.text))
        attempt.answer = completion.text
        return completion.text

    async def _judge(self, state: _RunState, attempt: Attempt, placed: Placed) -> None:
        """The findings the candidate adds to the file as it was (fast validators and a parse
        check; tsc too when asked and nothing else fails), and their root cause."""
        findings = await self.run_sync(self._findings, state.path, placed.new_text, True)
        if self.typecheck and not _failing(findings) and state.language != "python":
            found, attempt.typecheck = await self._tsc(state.path, state.text, placed.new_text)
            findings += found
        attempt.findings = _new(findings, state.baseline)
        attempt.cause = root_cause(_failing(attempt.findings), state.strict_flags)

    def _result(self, state: _RunState, seconds: float) -> Generation:
        """The best candidate with every attempt's provenance, or an empty one saying why none came."""
        total_cost = round(sum(a.cost_usd or 0.0 for a in state.attempts), 8) if state.cost_known else None
        history = [a.to_json(str(self.engine.root)) for a in state.attempts]
        if state.best is None:
            reasons = "; ".join(a.error or a.cause or "?" for a in state.attempts) or "no attempt was made"
            if state.budget_stop:
                reasons += f"; budget of ${self.settings.budget_usd:g} spent"
            return Generation(
                code="",
                edits={},
                source="llm",
                operation=None,
                target="llm",
                file=str(state.path),
                model=state.attempts[-1].model if state.attempts else None,
                attempts=len(state.attempts),
                cost_usd=total_cost,
                seconds=seconds,
                findings=[],
                title=f"LLM generation failed: {reasons}",
                history=history,
                prompt_tokens=state.prompt.tokens,
                prompt_sections=dict(state.prompt.sections),
                provider=state.attempts[-1].provider if state.attempts else None,
                knowledge=list(state.prompt.knowledge),
            )
        attempt, placed = state.best
        failing = _failing(attempt.findings)
        title = f"Generate with {attempt.model}: {state.task}"
        if failing:
            codes = ", ".join(sorted({f.code for f in failing}))
            spent_note = ", budget spent" if state.budget_stop else ""
            title = f"Generate with {attempt.model} (fails checks: {codes}{spent_note}): {state.task}"
        elif attempt.typecheck and attempt.typecheck.startswith("not run"):
            title = f"Generate with {attempt.model} (not type-checked: {attempt.typecheck[9:]}): {state.task}"
        return Generation(
            code=("\n".join(placed.imports) + "\n\n" if placed.imports else "") + placed.body + "\n",
            edits={str(state.path): placed.edits},
            source="llm",
            operation=None,
            target="llm",
            file=str(state.path),
            model=attempt.model,
            attempts=len(state.attempts),
            cost_usd=total_cost,
            seconds=seconds,
            findings=attempt.findings,
            title=title,
            history=history,
            prompt_tokens=state.prompt.tokens,
            prompt_sections=dict(state.prompt.sections),
            provider=attempt.provider,
            knowledge=list(state.prompt.knowledge),
        )

    # ------------------------------------------------------------------ checking

    def _findings(self, path: Path, new_text: str, candidate: bool) -> list[Finding]:
        """The fast validators and a parse check on ``new_text`` as the file's text; the
        context's own view of the file is put back afterwards."""
        ctx = self.engine.context
        previous = ctx.overlays.get(path)
        try:
            ctx.set_overlay(path, new_text)
            findings = self.engine.validator().check_file(path)
            findings += self._syntax(path, new_text)
        finally:
            if previous is not None:
                ctx.set_overlay(path, previous)
            else:
                ctx.drop_overlay(path)
        return findings

    def _syntax(self, path: Path, text: str) -> list[Finding]:
        summary = (
            self.engine.context.index.files.get(self.engine.context.rel(path))
            if self.engine.context.contains(path)
            else None
        )
        if summary is None or not summary.has_errors:
            return []
        tree_entry = self.engine.context.index.trees.get(summary.path)
        line = 0
        if tree_entry is not None:
            node = _first_error(tree_entry[1].root_node)
            line = node.start_point[0] if node is not None else 0
        return [
            Finding(str(path), Range.at(line, 0), Severity.ERROR, CODE_ANSWER_SYNTAX, "the code does not parse here")
        ]

    async def _tsc(self, path: Path, before: str, after: str) -> tuple[list[Finding], str]:
        """tsc's errors the candidate adds to the file's program (the file as it was is checked
        once per run), and the gate's verdict: "passed", "failed" or "not run: <why>"."""
        from ..validate.typecheck import TypeCheck

        checker = TypeCheck(self.engine.context)
        results = []
        cached = self._tsc_baseline.get((path, before))
        if cached is not None:
            results.append(cached)
        for text in (after,) if cached is not None else (before, after):
            prepared = await self.run_sync(checker.prepare, path, text)
            if prepared is None:
                return [], "not run: no TypeScript compiler or tsconfig for this file"
            try:
                proc = await asyncio.create_subprocess_exec(
                    *prepared.command,
                    cwd=prepared.cwd,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.STDOUT,
                )
                try:
                    output, _ = await asyncio.wait_for(proc.communicate(), self.settings.typecheck_timeout_s)
                except (TimeoutError, asyncio.CancelledError):
                    proc.kill()
                    await proc.wait()
                    raise
                results.append(checker.parse(prepared, output.decode("utf-8", "replace"), proc.returncode))
            except TimeoutError:
                return [], f"not run: stopped after {self.settings.typecheck_timeout_s:g} s"
            finally:
                prepared.cleanup()
        self._tsc_baseline[(path, before)] = results[0]
        stopped = [f for f in results[1] if f.code == CODE_TYPECHECK_NOT_RUN]
        if stopped:
            return [], "not run: " + stopped[0].message.removeprefix("the type check could not run: ")
        added = _new(results[1], results[0])
        return added, "failed" if _failing(added) else "passed"


def _first_error(node):
    if node.type == "ERROR" or node.is_missing:
        return node
    for child in node.children:
        if child.has_error:
            found = _first_error(child)
            if found is not None:
                return found
    return None


def _new(after: list[Finding], before: list[Finding]) -> list[Finding]:
    """Findings the candidate brought (matched by code and message, not position: lines move)."""
    seen: dict[tuple[str, str], int] = {}
    for f in before:
        seen[(f.code, f.message)] = seen.get((f.code, f.message), 0) + 1
    out = []
    for f in after:
        key = (f.code, f.message)
        if seen.get(key):
            seen[key] -= 1
            continue
        out.append(f)
    return out


def _failing(findings: list[Finding]) -> list[Finding]:
    """The findings that fail a candidate (errors and warnings)."""
    return [f for f in findings if f.severity in FAILING]


def _score(attempt: Attempt) -> tuple[int, int]:
    failing = _failing(attempt.findings)
    return (len([f for f in failing if f.severity == Severity.ERROR]), len(failing))


def provider_options(
    settings, provider: str, model: str, base_url: str | None, temperature: float = 0.0
) -> ProviderOptions:
    """How to reach one model with the LLM settings' key, time limit, retries and context size
    (the pipeline's plan, an ensemble's members)."""
    return ProviderOptions(
        provider,
        model,
        base_url=base_url or None,
        api_key=_key(settings, provider),
        timeout_s=settings.timeout_s,
        max_retries=settings.max_retries,
        context_tokens=settings.context_tokens,
        temperature=temperature,
    )


def _key(settings, provider: str) -> str | None:
    return {"anthropic": settings.anthropic_api_key, "openai": settings.openai_api_key}.get(provider) or None


def _prices(settings):
    from ..providers.pricing import Price

    table = {}
    for model, row in (settings.prices or {}).items():
        try:
            table[model] = Price(
                float(row["input"]),
                float(row["output"]),
                float(row["cached_input"]) if row.get("cached_input") is not None else None,
            )
        except (KeyError, TypeError, ValueError):
            continue
    return table


async def _inline(fn, *args):
    return fn(*args)
