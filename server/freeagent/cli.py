"""The command line: a thin adapter over the engine (no logic of its own).

Every command maps its flags onto the same engine calls the language server makes, so what
``freeagent context`` prints is exactly what ``freeagent/projectBrief`` returns.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="freeagent")
def cli() -> None:
    """Free Agent: reliable code generation — spec-first, grounded LLM fallback, validation."""
    # warnings (a rule family skipped on a file, a cache read past) go to stderr, out of the way of
    # --format json on stdout; FREEAGENT_LOG=debug says more, as it does for the server
    logging.basicConfig(
        format="freeagent: %(levelname)s: %(message)s",
        level=os.environ.get("FREEAGENT_LOG", "WARNING").upper(),
        stream=sys.stderr,
    )


@cli.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.pass_context
def serve(ctx: click.Context) -> None:
    """Start the language server (stdio by default, or --tcp). See `serve --help`."""
    # Options are parsed in one place, freeagent.lsp.entry, which editors reach without click.
    from .lsp.entry import serve_main

    serve_main(ctx.args)


# the optional WORKSPACE argument of `context` and `specs`
WORKSPACE_ARGUMENT = click.argument(
    "workspace", required=False, default=".", type=click.Path(exists=True, file_okay=False, path_type=Path)
)


def _engine(
    workspace: Path, flags: dict | None = None, *, lazy_specs: bool = False, report_settings: bool = False, **tuning
):
    """The workspace's engine, loaded: settings from its ``.freeagent.json`` with the command's
    ``flags`` (a settings layer) above it; every core and the summary cache for the first scan
    (``tuning``: ``jobs``, ``cache_dir``)."""
    from .engine import FolderEngine

    engine = FolderEngine(workspace, layers=[flags] if flags else [])
    for problem in engine.settings_problems:
        click.echo(f"warning: {problem}", err=True)
    if report_settings:  # commands that print no problems of their own still say what is wrong in the file
        _echo_findings(engine.settings_file.findings, engine.root)
    engine.tune(**tuning)
    engine.load(lazy_specs=lazy_specs)
    return engine


def _echo_findings(findings, root: Path, err: bool = True) -> None:
    """``file:line:col: severity CODE: message`` (stderr unless they are the command's output),
    paths relative to the workspace."""
    for f in findings:
        click.echo(_finding_line(f, root), err=err)


def _finding_line(finding, root: Path) -> str:
    data = finding.to_json(str(root))
    return f"{data['file']}:{data['line']}:{data['column']}: {data['severity']} {data['code']}: {data['message']}"


@cli.command()
@WORKSPACE_ARGUMENT
@click.option("--json", "as_json", is_flag=True, help="Print the brief as JSON instead of markdown.")
def context(workspace: Path, as_json: bool) -> None:
    """Print the project brief for WORKSPACE (default: the current directory)."""
    engine = _engine(workspace, lazy_specs=True)
    brief = engine.context.brief()
    if as_json:
        click.echo(json.dumps(brief.data, indent=2, sort_keys=False))
    else:
        click.echo(brief.markdown, nl=False)
    # config-file problems (the brief lists them too) and the settings file's
    problems = engine.problems_by_file()
    _echo_findings([f for file in sorted(problems) for f in problems[file]], engine.root)


@cli.command()
@WORKSPACE_ARGUMENT
@click.option("--json", "as_json", is_flag=True, help="Print operations as a JSON array.")
@click.option(
    "--validate/--no-validate",
    default=True,
    show_default=True,
    help="Validate each document against the OpenAPI schema (slower).",
)
def specs(workspace: Path, as_json: bool, validate: bool) -> None:
    """List the operations of the spec registry (bundled specs/ plus the workspace's own)."""
    from .findings import SPEC_CODES

    engine = _engine(workspace, report_settings=True)
    if validate:
        engine.validate_specs()
    rows = [
        {
            "id": op.id,
            "method": op.method,
            "path": op.path,
            "summary": op.summary,
            "source": _relative(op.source, engine.root),
        }
        for op in engine.registry.operations
    ]
    problems = [
        f
        for findings in engine.problems_by_file().values()
        for f in findings
        if engine.is_spec_file(Path(f.file)) or f.code in SPEC_CODES
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        width = max((len(r["id"]) for r in rows), default=2)
        for r in rows:
            click.echo(f"{r['id']:<{width}}  {r['method']:<6} {r['path']:<40} {r['summary']}  [{r['source']}]")
        click.echo(f"{len(rows)} operations from {len(engine.registry.roots)} documents", err=True)
    _echo_findings(problems, engine.root)


def _relative(path: str, root: Path) -> str:

    try:
        return os.path.relpath(path, root) if Path(path).resolve().is_relative_to(root) else path
    except ValueError:
        return path


@cli.command()
@click.argument("task", required=False, default="")
@click.option(
    "--workspace",
    "-w",
    default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The workspace folder.",
    show_default=True,
)
@click.option(
    "--file",
    "-f",
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Target file: edits replace the TASK's marker comment there (else they append).",
)
@click.option("--operation", "-o", help='An operationId or "METHOD /path" (skips matching).')
@click.option(
    "--target",
    "-t",
    type=click.Choice(["types", "schema", "client", "handler"]),
    help="What to generate from a spec (default: what fits the file).",
)
@click.option(
    "--strategy",
    type=click.Choice(["auto", "spec", "llm"]),
    default="auto",
    show_default=True,
    help="auto: from the specs when one covers the task, else with a model.",
)
@click.option(
    "--provider",
    type=click.Choice(["anthropic", "openai", "ollama"]),
    help="The model provider (default: anthropic; keys from ANTHROPIC_API_KEY / OPENAI_API_KEY).",
)
@click.option("--model", help="The model (default: the provider's, e.g. claude-sonnet-5-5, gpt-4o, qwen2.5-coder:7b).")
@click.option("--base-url", help="The provider's URL (an OpenAI-compatible server, a proxy, a remote Ollama).")
@click.option(
    "--cost-sensitive",
    is_flag=True,
    help="Start with the local model; escalate to the premium one only when its code fails the checks.",
)
@click.option("--budget", type=click.FloatRange(min=0), help="Most the task may spend, USD (default 0.50).")
@click.option("--max-attempts", type=click.IntRange(1, 10), help="Attempts, the first included (default 3).")
@click.option(
    "--ensemble",
    "ensemble",
    multiple=True,
    is_flag=False,
    flag_value="",
    metavar="PROVIDER/MODEL[:SAMPLES]",
    help="Generate with several models (repeat it) and keep the candidate the checks prefer; "
    "given alone, the llm.ensemble setting's members. --base-url applies to the openai members.",
)
@click.option("--write", is_flag=True, help="Apply the edits to --file on disk.")
@click.option("--json", "as_json", is_flag=True, help="Print the result object (code, edits, source, …).")
def generate(
    task: str,
    workspace: Path,
    file: Path | None,
    operation: str | None,
    target: str | None,
    strategy: str,
    provider: str | None,
    model: str | None,
    base_url: str | None,
    cost_sensitive: bool,
    budget: float | None,
    max_attempts: int | None,
    ensemble: tuple[str, ...],
    write: bool,
    as_json: bool,
) -> None:
    """Generate code for TASK: from the spec registry, or with a model where no spec covers it."""
    from .edits import apply_edits
    from .generate.spec_first import GenerationError, targets_for
    from .markers import find_task_near
    from .paths import PathError, inside, read_text, write_atomically

    if not task and not operation:
        raise click.UsageError("give a TASK or --operation")
    if operation and strategy == "llm":
        raise click.UsageError("--operation generates from the spec; it does not go with --strategy llm")
    if ensemble and (provider or model):
        raise click.UsageError("--ensemble names its models itself; it does not go with --provider/--model")
    llm_flags: dict = {}
    if cost_sensitive:
        llm_flags["mode"] = "cost-sensitive"
    if budget is not None:
        llm_flags["budgetUsd"] = budget
    if max_attempts is not None:
        llm_flags["maxAttempts"] = max_attempts
    engine = _engine(workspace, {"llm": llm_flags} if llm_flags else None, report_settings=True)
    op, confidence = None, 0.0
    if operation:
        op = engine.operation(operation)
        if op is None:
            raise click.UsageError(f"no operation '{operation}' in the registry (see `freeagent specs`)")
        confidence = 1.0
    elif strategy != "llm":
        match = engine.match(task)
        if match.covered:
            op, confidence = match.operation, match.confidence
        elif strategy == "spec":
            best = f" (closest: {match.operation.id}, confidence {match.confidence:.2f})" if match.operation else ""
            click.echo(f"no spec operation covers '{task}'{best}", err=True)
            sys.exit(1)
    if file is None:
        path, text = engine.root / "src" / "generated.ts", ""
    else:
        try:  # relative to the current directory, as git and tsc take paths; never outside the workspace
            path = inside(file, engine.root, "--file")
            text = read_text(path, missing_ok=True)
        except PathError as exc:
            raise click.UsageError(str(exc)) from None
    marker_line = find_task_near(text, task, 0, engine.settings.markers) if task and text else None
    rel = engine.context.rel(path)
    if op is not None:
        chosen = target or targets_for(rel, text)[0]
        try:
            result = engine.generator().generate(op, chosen, path, text, marker_line)
        except GenerationError as exc:
            raise click.UsageError(str(exc)) from None
    elif ensemble:
        result = _generate_with_ensemble(engine, task, path, text, marker_line, ensemble, base_url)
    else:
        result = _generate_with_model(engine, task, path, text, marker_line, provider, model, base_url)
    applied = False
    if write and file is not None and result.edits.get(str(path)):
        created = _create_files(engine.root, result)  # first: a file that appeared meanwhile stops it all
        write_atomically(path, apply_edits(text, result.edits[str(path)]))
        applied = True
        for new in created:
            click.echo(f"// created {engine.context.rel(new)}", err=True)
    # every generation is remembered (store.enabled): --write is its being applied
    engine.record(result, task or operation or "", "cli", "applied" if applied else "offered", result.code.splitlines())
    if as_json:
        data = result.to_json(engine.root)
        data["confidence"] = confidence
        click.echo(json.dumps(data, indent=2))
    else:
        where = f", written to {rel}" if write and file and result.edits else ""
        how = f"confidence {confidence:.2f}" if result.source == "spec" else _llm_summary(result)
        click.echo(f"// {result.title} — {how}{where}", err=True)
        click.echo(result.code, nl=False)
    for f in result.findings:
        click.echo(f"check: {f.code} {f.message}", err=True)
    if result.findings or not result.edits:
        sys.exit(1)


def _create_files(root: Path, result) -> list[Path]:
    """Create the files a generation's edits create (a handler's credential-check module): inside
    the workspace, never over an existing file (then nothing is written, and it says so)."""
    from .edits import apply_edits
    from .paths import PathError, inside

    made: list[Path] = []
    try:
        for name in result.creates:
            target = inside(name, root, "a file to create")
            with open(target, "x", encoding="utf-8") as out:  # "x": refuses an existing file
                out.write(apply_edits("", result.edits[name]))
            made.append(target)
    except (FileExistsError, PathError) as exc:
        for path in made:
            path.unlink(missing_ok=True)
        raise click.UsageError(f"nothing was written: {exc}") from None
    return made


def _generate_with_model(engine, task, path, text, marker_line, provider, model, base_url):
    import asyncio

    from .generate.llm import LlmPipeline
    from .providers.base import ProviderError

    pipeline = LlmPipeline(engine, engine.settings.llm)
    try:
        plan = pipeline.plan(provider, model, base_url)
        return asyncio.run(
            pipeline.run(
                task,
                path,
                text,
                marker_line,
                plan=plan,
                progress=lambda message, _pct: click.echo(f"… {message}", err=True),
            )
        )
    except ProviderError as exc:
        raise click.ClickException(str(exc)) from None


def _generate_with_ensemble(engine, task, path, text, marker_line, given: tuple[str, ...], base_url):
    import asyncio

    from .generate.ensemble import Ensemble, EnsembleError, Member

    named = [m for m in given if m]
    if not named and not engine.settings.llm.ensemble:
        raise click.UsageError("--ensemble without members needs the llm.ensemble setting (or give PROVIDER/MODEL)")
    try:
        members = [Member.parse(m) for m in (named or engine.settings.llm.ensemble)]
        runner = Ensemble(engine, engine.settings.llm, members, base_urls={"openai": base_url} if base_url else None)
    except EnsembleError as exc:
        raise click.UsageError(str(exc)) from None
    return asyncio.run(
        runner.run(task, path, text, marker_line, progress=lambda message, _pct: click.echo(f"… {message}", err=True))
    )


def _llm_summary(result) -> str:
    from .generate.result import format_cost

    summary = f"{result.attempts} attempt(s), {format_cost(result.cost_usd)}, {result.seconds:.1f} s"
    for number, c in enumerate(result.candidates, 1):
        mark = "*" if number == result.selected else " "
        summary += f"\n//  {mark} {c['member']} #{c['sample']}: {c['stage_name']}, {format_cost(c['cost_usd'])}"
    return summary


@cli.command()
@click.argument("generation")
@click.argument("vote", type=click.Choice(["up", "down"]))
@click.option("--note", default=None, help="What was good or wrong about it.")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True)
def feedback(generation: str, vote: str, note: str | None, workspace: Path) -> None:
    """Vote on a recorded generation (its id, or a unique prefix of 6+ characters, as `generate
    --json` and `store list` print it)."""
    store = _engine_with_store(workspace).outcomes
    found = store.get(generation)
    if found is None:
        raise click.UsageError(f"no generation '{generation}' in {store.path}")
    store.add_feedback(found.id, vote, note)
    click.echo(f"{vote} recorded for {found.id[:12]}")


@cli.group()
def store() -> None:
    """The outcome store: what was generated here, and what became of it."""


@store.command("list")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def store_list(workspace: Path, limit: int, as_json: bool) -> None:
    """The newest generations: id, when, strategy, model, outcome, task."""
    import datetime

    engine = _engine_with_store(workspace)
    engine.track_commits()  # what was committed since: survival at the commit
    found = engine.outcomes
    rows = found.recent(limit)
    if as_json:
        click.echo(json.dumps([_record_json(r) for r in rows], indent=2))
        return
    click.echo(f"{found.count()} generations in {found.path}")
    for r in rows:
        when = datetime.datetime.fromtimestamp(r.created).strftime("%Y-%m-%d %H:%M")
        click.echo(
            f"{r.id[:12]}  {when}  {r.strategy:<9} {r.model or r.operation or '-':<24} {r.outcome:<8} {r.task[:60]}"
        )


@store.command("show")
@click.argument("generation")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True)
def store_show(generation: str, workspace: Path) -> None:
    """One generation, with its attempts, survival and votes, as JSON."""
    found = _engine_with_store(workspace).outcomes.get(generation)
    if found is None:
        raise click.UsageError(f"no generation '{generation}'")
    click.echo(json.dumps(_record_json(found, full=True), indent=2))


@store.command("forget")
@click.argument("generation", required=False)
@click.option("--all", "everything", is_flag=True, help="Delete every recorded generation of this workspace.")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True)
def store_forget(generation: str | None, everything: bool, workspace: Path) -> None:
    """Delete one generation (and its attempts, survival, votes), or --all of them."""
    if bool(generation) == everything:
        raise click.UsageError("give a GENERATION id or --all")
    found = _engine_with_store(workspace).outcomes
    if everything:
        click.echo(f"{found.forget()} generations deleted from {found.path}")
        return
    record = found.get(generation or "")
    if record is None:
        raise click.UsageError(f"no generation '{generation}'")
    found.forget(record.id)
    click.echo(f"deleted {record.id[:12]}")


@cli.command()
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True)
@click.option("--since", default=None, help="Only generations from this date on (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True)
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Also write an HTML report here.")
def stats(workspace: Path, since: str | None, as_json: bool, report: Path | None) -> None:
    """Generations, applied, survival, success, hallucination rate and cost, per strategy and
    model and week by week, from the outcome store."""
    import datetime

    from .learn.stats import compute, table, write_html

    try:
        start = datetime.datetime.fromisoformat(since).timestamp() if since else 0.0
    except ValueError:
        raise click.UsageError(f"--since: not a date: {since!r} (YYYY-MM-DD)") from None
    engine = _engine_with_store(workspace)
    figures = compute(engine.outcomes.summary(engine.identity, start))
    if report is not None:
        write_html(figures, report, engine.root.name)
    click.echo(json.dumps(figures, indent=2) if as_json else table(figures))


@cli.group()
def kb() -> None:
    """The knowledge base: patterns that worked here, facts and per-model pitfalls."""


@kb.command("list")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True)
@click.option("--json", "as_json", is_flag=True)
def kb_list(workspace: Path, as_json: bool) -> None:
    """Every pattern and fact the next prompt may use."""
    data = _engine_with_store(workspace).knowledge.contents()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"{len(data['patterns'])} patterns, {len(data['facts'])} facts")
    for p in data["patterns"]:
        click.echo(f"pattern {p['id'][:12]}  {p['file'] or '-':<28} {p['task'][:70]}")
    for f in data["facts"]:
        who = f" [{f['model']}]" if f["model"] else ""
        click.echo(f"fact    {f['id'][:12]}  seen {f['seen']:>3}×{who} {f['text'][:90]}")


@kb.command("show")
@click.argument("item")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True)
def kb_show(item: str, workspace: Path) -> None:
    """A pattern (with its code) or a fact, as JSON."""
    data = _engine_with_store(workspace).knowledge.contents(full=True)
    found = [x for x in data["patterns"] + data["facts"] if x["id"].startswith(item)] if len(item) >= 6 else []
    if len(found) != 1:
        raise click.UsageError(f"no single pattern or fact '{item}' (give 6+ characters of its id)")
    click.echo(json.dumps(found[0], indent=2))


@kb.command("forget")
@click.argument("item", required=False)
@click.option("--all", "everything", is_flag=True, help="Forget every pattern and fact (the records stay).")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True)
def kb_forget(item: str | None, everything: bool, workspace: Path) -> None:
    """Never offer a pattern again, or delete a fact — or --all of them."""
    if bool(item) == everything:
        raise click.UsageError("give a pattern or fact id, or --all")
    engine = _engine_with_store(workspace)
    store = engine.outcomes
    data = engine.knowledge.contents()
    chosen = data["patterns"] + data["facts"]
    if not everything:
        chosen = [x for x in chosen if len(item or "") >= 6 and x["id"].startswith(item or "")]
        if len(chosen) != 1:
            raise click.UsageError(f"no single pattern or fact '{item}'")
    patterns = [x["id"] for x in chosen if x["kind"] == "pattern"]
    for gid in patterns:
        store.forget_pattern(gid)
    store.drop_facts([x["id"] for x in chosen if x["kind"] != "pattern"])
    click.echo(f"forgot {len(patterns)} patterns and {len(chosen) - len(patterns)} facts")


@kb.command("export")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON (the default and only format so far).")
def kb_export(workspace: Path, as_json: bool) -> None:
    """Everything the knowledge base holds, patterns with their code, as JSON."""
    click.echo(json.dumps(_engine_with_store(workspace).knowledge.contents(full=True), indent=2))


def _engine_with_store(workspace: Path):
    """The workspace's engine, whose outcome store is open (or a message saying why it is not)."""
    from .engine import FolderEngine

    engine = FolderEngine(workspace)
    if engine.outcomes is None:
        why = engine.store_problem or "the outcome store is turned off (store.enabled: false)"
        raise click.ClickException(why)
    return engine


def _record_json(r, full: bool = False) -> dict:
    import dataclasses

    data = dataclasses.asdict(r)
    if not full:
        for key in ("attempts", "code", "findings", "inserted_lines", "survival", "feedback", "prompt_sections"):
            data.pop(key, None)
    return data


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--workspace",
    "-w",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The workspace folder (default: the current directory).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="sarif: SARIF 2.1.0 for GitHub code scanning.",
)
@click.option("--typecheck", is_flag=True, help="Also run the workspace's own tsc on each TypeScript file (slow).")
@click.option(
    "--cache/--no-cache",
    default=None,
    help="Reuse the summaries of unchanged files from the last run (kept in the user cache directory); "
    "default: on, or the index.cache setting.",
)
@click.option(
    "--cache-location",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the summary cache (default: $XDG_CACHE_HOME/freeagent/index).",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), help="Processes that parse and check files (default: one per core)."
)
def check(
    paths: tuple[Path, ...],
    workspace: Path | None,
    fmt: str,
    typecheck: bool,
    cache: bool | None,
    cache_location: Path | None,
    jobs: int | None,
) -> None:
    """Validate files or folders (default: the whole workspace). Exit 1 on errors."""
    from .context.summary_cache import default_cache_dir
    from .validate.result_cache import ResultCache, workspace_inputs

    root = (workspace or Path.cwd()).resolve()
    results = None
    if cache is not False and not typecheck:  # the last run's answer, while nothing it read changed
        command = {"paths": [str(p.resolve()) for p in paths], "fmt": fmt, "cache": cache}
        results = ResultCache(cache_location or default_cache_dir(), root, command)
        stored = results.load()
        if stored is not None:
            click.echo(stored.get("stdout", ""), nl=False)
            click.echo(stored.get("stderr", ""), nl=False, err=True)
            sys.exit(int(stored.get("exit", 0)))
    stdout, stderr, status = _check(root, paths, fmt, typecheck, cache, cache_location, jobs)
    click.echo(stdout, nl=False)
    click.echo(stderr, nl=False, err=True)
    if results is not None and status[1] and (cache or status[0].settings.index.cache):
        results.store(workspace_inputs(status[0].context), {"stdout": stdout, "stderr": stderr, "exit": status[2]})
    sys.exit(status[2])


def _check(root: Path, paths, fmt: str, typecheck: bool, cache, cache_location, jobs):
    """The check itself: (stdout, stderr, (engine, cacheable, exit status))."""
    from .languages import TS_SUFFIXES
    from .paths import PathError, inside

    # --cache/--no-cache, given, wins over the index.cache setting
    engine = _engine(root, lazy_specs=True, jobs=jobs, cache_dir=cache_location, cache=cache)
    ctx = engine.context
    targets: list[Path] | None = None
    if paths:
        targets = []
        for given in paths:
            try:  # the one rule of paths.py: relative to the cwd, symlinks resolved, inside the workspace
                p = inside(given, ctx.root, "path")
            except PathError as exc:
                raise click.UsageError(str(exc)) from None
            if p.is_dir():
                targets += [ctx.root / rel for rel in sorted(ctx.index.files) if (ctx.root / rel).is_relative_to(p)]
            else:
                targets.append(p)
    by_file = engine.validator().check_all(targets, jobs=ctx.jobs)
    if typecheck:
        from .validate.typecheck import TypeCheck

        checker = TypeCheck(ctx)
        for rel in sorted(ctx.index.files):
            file = ctx.root / rel
            if file.suffix in TS_SUFFIXES and not rel.endswith(".d.ts") and (targets is None or file in targets):
                found = checker.run(file, ctx.read(file) or "")
                if found:
                    by_file.setdefault(str(file), []).extend(found)
    for file, problems in engine.problems_by_file().items():  # broken config and spec files count too
        if targets is None or any(Path(file) == t or Path(file).is_relative_to(t) for t in targets):
            by_file.setdefault(file, []).extend(problems)
    findings = [f for file in sorted(by_file) for f in by_file[file]]
    stderr = ""
    if fmt == "json":
        stdout = json.dumps([f.to_json(str(root)) for f in findings], indent=2) + "\n"
    elif fmt == "sarif":
        from .sarif import to_sarif

        stdout = json.dumps(to_sarif(findings, root), indent=2) + "\n"
    else:
        stdout = "".join(_finding_line(f, root) + "\n" for f in findings)
        errors = sum(1 for f in findings if f.severity.value == "error")
        stderr = f"{len(findings)} findings ({errors} errors) in {len(by_file)} files\n"
    status = 1 if any(f.severity.value == "error" for f in findings) else 0
    # settings problems are printed while loading: such a run is not replayed from the cache
    return stdout, stderr, (engine, not engine.settings_problems, status)


@cli.group("eval", invoke_without_command=True)
@click.option(
    "--suite",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The task suite (default: bench/tasks of this checkout).",
)
@click.option("--tasks", "patterns", multiple=True, help="Only tasks whose id matches this glob (repeatable).")
@click.option(
    "--strategy",
    "strategies",
    multiple=True,
    type=click.Choice(["spec", "llm", "auto", "reference", "cascade", "ensemble"]),
    help="Repeatable (default: spec). reference: the tasks' own reference answers, to check the suite; "
    "cascade/ensemble: one ensemble of every --model (PROVIDER/MODEL[:SAMPLES]), cheapest first or all at once.",
)
@click.option(
    "--model",
    "models",
    multiple=True,
    help="For llm/auto, repeatable: PROVIDER/MODEL (anthropic/claude-sonnet-5-5, openai/gpt-4o, "
    "ollama/qwen2.5-coder:7b) or a model of the default provider.",
)
@click.option(
    "--base-url",
    "base_urls",
    multiple=True,
    metavar="[PROVIDER=]URL",
    help="Where a provider is reached (an OpenAI-compatible server — vLLM, llama.cpp, LM Studio — a proxy, a remote "
    "Ollama), as for `generate`; repeatable as PROVIDER=URL when several providers are compared.",
)
@click.option("--repeat", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Order of the runs (recorded in the report).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Runs at once.")
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON report here (runs are also appended to OUT.jsonl as they finish; running again resumes).",
)
@click.option(
    "--report",
    "html_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the self-contained HTML report here.",
)
@click.option("--fresh", is_flag=True, help="Ignore the results of an earlier, interrupted run.")
@click.option(
    "--learn",
    is_flag=True,
    help="Learn as the editor does: every run recorded in one outcome store, the suite run in a fixed order "
    "--passes times, each pass able to use what the earlier ones taught; the lift is reported.",
)
@click.option(
    "--from",
    "learn_from",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --learn: the outcome store to learn in (default: a new one beside --json, or a temporary one).",
)
@click.option("--passes", type=click.IntRange(min=1, max=10), default=2, show_default=True, help="With --learn.")
@click.pass_context
def eval_(
    ctx,
    suite,
    patterns,
    strategies,
    models,
    base_urls,
    repeat,
    seed,
    jobs,
    json_out,
    html_out,
    fresh,
    learn,
    learn_from,
    passes,
) -> None:
    """Measure success rate, cost and time per task, per strategy and model (decided by tsc and
    hidden tests). Exit 1 when a spec-covered task fails the spec strategy."""
    if ctx.invoked_subcommand is not None:
        return
    import asyncio

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .eval.report import report_json, table, write_html
    from .eval.runner import SKIPPED, Evaluation, parse_strategies
    from .eval.tasks import TaskError, load_suite

    suite = (suite or Path(__file__).resolve().parents[2] / "bench" / "tasks").resolve()
    try:
        tasks = load_suite(suite, patterns)
    except TaskError as exc:  # a malformed suite is bad usage, like a missing one
        raise click.UsageError(str(exc)) from None
    if not tasks:
        raise click.UsageError(f"no tasks in {suite}" + (f" matching {', '.join(patterns)}" if patterns else ""))
    if learn_from is not None and not learn:
        raise click.UsageError("--from goes with --learn")
    learn_store = None
    if learn:
        import tempfile

        learn_store = (
            learn_from.resolve()
            if learn_from is not None
            else (json_out.with_suffix(".store.db").resolve() if json_out else Path(tempfile.mkdtemp()) / "learn.db")
        )
    plan = parse_strategies(strategies, models, base_urls=_base_urls(base_urls, strategies, models))
    toolchain = Path(__file__).resolve().parents[2] / "tests" / "toolchain" / "node_modules"
    results_path = json_out.with_suffix(".jsonl") if json_out else None
    if fresh and results_path is not None and results_path.exists():
        results_path.unlink()
    console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    with Progress(
        TextColumn("[bold]eval"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        bar = progress.add_task("", total=len(tasks) * len(plan) * repeat * (passes if learn else 1))

        def on_result(result) -> None:
            key = "skipped" if result.category == SKIPPED else "passed" if result.success else "failed"
            counts[key] += 1
            progress.update(
                bar,
                advance=1,
                description=f"passed {counts['passed']} · failed {counts['failed']} · skipped {counts['skipped']}",
            )

        evaluation = Evaluation(
            tasks,
            plan,
            repeat=repeat,
            seed=seed,
            jobs=jobs,
            results=results_path,
            node_modules=toolchain if toolchain.is_dir() else None,
            on_result=on_result,
            learn_store=learn_store,
            passes=passes,
        )
        interrupted = False
        try:
            asyncio.run(evaluation.run())
        except KeyboardInterrupt:
            interrupted = True  # the finished runs are in the JSONL; report what there is
    data = report_json(evaluation.results, str(suite), seed, repeat)
    from .eval.stats import Aggregate, lift

    console.print(table([Aggregate(**a) for a in data["aggregates"]]))
    if learn:
        data["learn"] = {"store": str(learn_store), "lift": lift([Aggregate(**a) for a in data["aggregates"]])}
        for row in data["learn"]["lift"]:
            shares = " → ".join(f"pass {k} {v * 100:.0f}%" for k, v in row["passes"].items())
            console.print(
                f"learning: {row['strategy']}: {shares}; lift {row['lift'] * 100:+.0f} points "
                f"(95% CI {row['ci_low'] * 100:+.0f} to {row['ci_high'] * 100:+.0f}); store {learn_store}"
            )
    if interrupted:
        console.print("[yellow]interrupted: the report covers the runs that finished; run again to resume[/]")
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(data, indent=2), encoding="utf-8")
    if html_out:
        write_html(data, html_out)
        console.print(f"HTML report: {html_out}")
    failed_spec = [r for r in evaluation.results if r.strategy == "spec" and "spec-covered" in r.tags and not r.success]
    if failed_spec:
        for r in failed_spec:
            console.print(
                f"[red]spec-covered task failed the spec strategy: {r.task} — {r.category}: {r.reason[:300]}[/]"
            )
        sys.exit(1)
    if interrupted:
        sys.exit(130)


PROVIDERS = ("anthropic", "openai", "ollama")


def _base_urls(values: tuple[str, ...], strategies: tuple[str, ...], models: tuple[str, ...]) -> dict[str, str]:
    """``--base-url`` values → {provider: url}. A bare URL belongs to the one provider the
    compared models use; with several, each URL must name its provider."""
    from .eval.runner import parse_strategies

    out: dict[str, str] = {}
    bare: list[str] = []
    for value in values:
        provider, sep, url = value.partition("=")
        if sep and provider in PROVIDERS:
            out[provider] = url
        else:
            bare.append(value)
    if bare:
        plan = parse_strategies(strategies, models)
        used = {s.provider for s in plan if s.provider} | {m.split("/")[0] for s in plan for m in s.members}
        if len(bare) > 1 or len(used) != 1:
            named = ", ".join(sorted(used)) or "none (no llm/auto strategy)"
            raise click.UsageError(
                f"--base-url {bare[0]}: say which provider it is for (PROVIDER=URL); the providers compared: {named}"
            )
        out.setdefault(used.pop(), bare[0])
    return out


@eval_.command("compare")
@click.argument("before", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("after", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def eval_compare(before: Path, after: Path) -> None:
    """Differences between two JSON reports, per task and in aggregate (changes within the
    95% intervals are flagged as noise)."""
    from .eval.compare import compare, render

    click.echo(
        render(compare(json.loads(before.read_text(encoding="utf-8")), json.loads(after.read_text(encoding="utf-8"))))
    )


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli(argv)
