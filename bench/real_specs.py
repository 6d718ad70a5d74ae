"""Spec-first on real public API descriptions: does every generated file compile? (issue 13)

Expects a corpus folder (default ``/work/corpus``; not in git — third-party documents) with a
``MANIFEST.json``: a list of ``{"name", "root"}`` (the root document's path relative to the
folder; multi-file documents keep their tree beside it). For each document it:

1. loads it with the registry (timed cold, and warm: again with the parse cache the first load
   filled; the operations listed; the loader's and $ref errors), then times the OpenAPI schema
   validation the server runs in the background;
2. samples ``--sample`` operations (seeded) and generates every target for each: types, schema
   and client into an Express + zod package, a handler into an Express router, a Fastify app,
   a Hono app and a Next.js ``route.ts``;
3. compiles each package once with the real TypeScript (7, native) ``--strict
   --noUnusedLocals --noUnusedParameters`` and counts the generated files without an error.

A generation the generator refuses (GenerationError: a reason given) and one that fails its own
check (FA020: never offered) are counted apart from compile failures; their reasons are listed.
Prints one row per document and the totals. Asserts nothing.

With ``--conformance`` it also runs the run-time checks of ``tests/conformance`` on the sampled
operations: every client against Prism (request violations), every Express handler under
Schemathesis (failed checks; rejections the document declares no status for counted apart).

With ``--strictest`` every package's tsconfig sets every strict flag (``exactOptionalPropertyTypes``,
``noUncheckedIndexedAccess`` … ``verbatimModuleSyntax``): the strict matrix's "all" cell on real documents.

Usage: python bench/real_specs.py [--corpus DIR] [--sample 12] [--seed 13] [--only a,b] [--strictest]
       [--keep DIR] [--errors N] [--conformance] [--examples 10]
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT))

from freeagent.context import WorkspaceContext  # noqa: E402
from freeagent.context.tsconfig import STRICT_OPTIONS  # noqa: E402
from freeagent.edits import apply_edits  # noqa: E402
from freeagent.generate.spec_first import GenerationError, SpecGenerator  # noqa: E402
from freeagent.specs.cache import SpecCache  # noqa: E402
from freeagent.specs.registry import Registry  # noqa: E402
from tests.helpers import TOOLCHAIN  # noqa: E402

STRICT = ["--strict", "--noUnusedLocals", "--noUnusedParameters", "--pretty", "false"]
TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022",
        "module": "ESNext",
        "moduleResolution": "Bundler",
        "strict": True,
        "skipLibCheck": True,
        "noEmit": True,
        "types": ["node"],
        "lib": ["ES2022", "DOM", "DOM.Iterable"],
        "jsx": "preserve",
    },
    "include": ["src/**/*.ts"],
}
# (package, dependencies, the file a handler goes into, its text) per kind of generated file
PACKAGES = {
    "express": ({"express": "^4.19.2", "zod": "^3.23.8"}, None),
    "fastify": ({"fastify": "^4.29.1", "zod": "^3.23.8"}, "// TODO: routes\n"),
    "hono": (
        {"hono": "^4.6.0", "zod": "^3.23.8"},
        "import { Hono } from 'hono';\n\nexport const app = new Hono();\n\n// TODO: route\n",
    ),
    "next": ({"next": "^14.2.5", "zod": "^3.23.8"}, ""),
}
ROUTER = "import { Router } from 'express';\n\nexport const router = Router();\n\n// TODO: route\n"
PLAIN = "// TODO: generated code\n"
STRICTEST = False  # --strictest
TSC_ERROR = re.compile(r"^(?P<file>[^(\s][^(]*)\((?P<line>\d+),(?P<col>\d+)\): error (?P<code>TS\d+): (?P<message>.*)$")


@dataclass
class Row:
    name: str
    version: str = ""
    megabytes: float = 0.0
    load_s: float = 0.0
    warm_s: float = 0.0
    validate_s: float = 0.0
    operations: int = 0
    load_errors: int = 0
    sampled: int = 0
    files: int = 0
    compiled: int = 0
    refused: int = 0
    self_check: int = 0
    failures: list[str] = field(default_factory=list)  # "file: first tsc error"
    reasons: collections.Counter = field(default_factory=collections.Counter)


def write_package(root: Path, kind: str) -> Path:
    deps, _ = PACKAGES[kind]
    pkg = root / kind
    (pkg / "src").mkdir(parents=True)
    (pkg / "package.json").write_text(json.dumps({"name": f"bench-{kind}", "type": "module", "dependencies": deps}))
    config = json.loads(json.dumps(TSCONFIG))
    if STRICTEST:  # every strict flag: the generator reads them from here, as in a user's project
        config["compilerOptions"].update(STRICT_OPTIONS)
    (pkg / "tsconfig.json").write_text(json.dumps(config))
    (pkg / "node_modules").symlink_to(TOOLCHAIN)
    return pkg


def compile_errors(pkg: Path) -> dict[str, list[str]]:
    tsc = TOOLCHAIN / ".bin" / "tsc"
    proc = subprocess.run([str(tsc), "-p", "tsconfig.json", *STRICT], cwd=pkg, capture_output=True, text=True)
    errors: dict[str, list[str]] = collections.defaultdict(list)
    for line in proc.stdout.splitlines():
        m = TSC_ERROR.match(line)
        if m:
            errors[str((pkg / m["file"]).resolve())].append(f"{m['code']} {m['line']}:{m['col']} {m['message']}")
    if proc.returncode != 0 and not errors:
        errors["(tsc)"].append((proc.stdout + proc.stderr)[-400:])
    return errors


def short(reason: str) -> str:
    return re.sub(r"'[^']*'", "'…'", reason.split("\n", 1)[0])[:110]


def run_document(corpus: Path, entry: dict, sample: int, seed: int, work: Path) -> Row:
    root_doc = (corpus / entry["root"]).resolve()
    row = Row(entry["name"], str(entry.get("openapi_version", "")), root_doc.stat().st_size / 1e6)
    cache = SpecCache(work / "spec-cache")
    registry = Registry(allowed=[(corpus / entry["name"]).resolve()])
    registry.cache = cache
    started = time.perf_counter()
    registry.load([root_doc])
    row.load_s = time.perf_counter() - started
    again = Registry(allowed=[(corpus / entry["name"]).resolve()])
    again.cache = cache  # a second run (the CLI's next command, the server's next start)
    started = time.perf_counter()
    again.load([root_doc])
    row.warm_s = time.perf_counter() - started
    started = time.perf_counter()
    registry.validate(root_doc)  # what the server runs in the background after the load
    row.validate_s = time.perf_counter() - started
    row.operations = len(registry.operations)
    problems = [f for fs in registry.problems.values() for f in fs if f.severity.value in ("error", "warning")]
    row.load_errors = sum(f.severity.value == "error" for f in problems)
    for f in problems[:3]:
        row.reasons[f"load {f.severity.value}: {short(f.message)}"] += 1
    if not registry.operations:
        return row
    ops = random.Random(seed).sample(registry.operations, min(sample, len(registry.operations)))
    row.sampled = len(ops)
    packages = {kind: write_package(work, kind) for kind in PACKAGES}
    contexts = {}
    for kind, pkg in packages.items():
        ctx = WorkspaceContext(pkg)
        ctx.load()
        contexts[kind] = SpecGenerator(ctx, registry)
    jobs = []
    for op in ops:
        for target in ("types", "schema", "client"):
            jobs.append(("express", target, packages["express"] / "src" / f"{target}-{op.id}.ts", PLAIN, op))
        jobs.append(("express", "handler", packages["express"] / "src" / f"handler-{op.id}.ts", ROUTER, op))
        for kind in ("fastify", "hono"):
            jobs.append((kind, "handler", packages[kind] / "src" / f"handler-{op.id}.ts", PACKAGES[kind][1], op))
        jobs.append(("next", "handler", packages["next"] / "src" / "app" / op.id / "route.ts", "", op))
    written: dict[str, list[Path]] = collections.defaultdict(list)
    for kind, target, file, text, op in jobs:
        file.parent.mkdir(parents=True, exist_ok=True)
        marker = next((n for n, line in enumerate(text.split("\n")) if "TODO" in line), None)
        try:
            result = contexts[kind].generate(op, target, file, text, marker)
        except GenerationError as exc:
            row.refused += 1
            row.reasons[f"refused {target}: {short(str(exc))}"] += 1
            continue
        if result.findings:
            row.self_check += 1
            row.reasons[f"self-check {target}: {short(result.findings[0].message)}"] += 1
            continue
        file.write_text(apply_edits(text, result.edits[str(file)]))
        for created in result.creates:  # the package's credential checks (src/auth.ts), once
            Path(created).write_text(apply_edits("", result.edits[created]))
        written[kind].append(file)
        row.files += 1
    for kind, files in written.items():
        errors = compile_errors(packages[kind])
        for file in files:
            key = str(file.resolve())
            if key in errors:
                row.failures.append(f"{kind}/{file.relative_to(packages[kind])}: {errors[key][0]}")
            else:
                row.compiled += 1
        for key in errors:
            if key not in {str(f.resolve()) for f in files}:
                row.failures.append(f"{kind} (not a generated file) {key}: {errors[key][0]}")
    return row


def conformance(
    corpus: Path, entry: dict, sample: int, seed: int, work: Path, examples: int, prism_timeout: float = 180
) -> str:
    """One line: Prism and Schemathesis on the sampled operations' client and Express handler."""
    from tests.conformance import harness

    root_doc = (corpus / entry["root"]).resolve()
    registry = Registry(allowed=[(corpus / entry["name"]).resolve()])
    registry.load([root_doc])
    if not registry.operations:
        return "no operations"
    ops = random.Random(seed).sample(registry.operations, min(sample, len(registry.operations)))
    try:
        package = harness.build(
            work / "conformance", root_doc, [(corpus / entry["name"]).resolve()], [o.id for o in ops]
        )
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        return f"could not build: {str(exc).splitlines()[0][:160]}"
    not_run = len(package.refused) + len(package.unsampled)
    try:
        results = harness.prism_check(package, start_timeout=prism_timeout)
        violations = sum(1 for r in results.values() if r["violations"])
        unparsed = sum(1 for r in results.values() if not r["ok"] and not r["violations"])
        prism = f"prism: {violations} with request violations, {unparsed} answers not parsed"
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        prism = f"prism: could not run ({str(exc).splitlines()[0][:100]})"
    try:
        failures, _ = harness.schemathesis_check(package, max_examples=examples)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        return f"{len(package.operations)} generated, {not_run} not run; {prism}; schemathesis: could not run ({exc})"
    ours = [f for f in failures if not f.undocumented]
    kinds = collections.Counter(f.check for f in ours)
    return (
        f"{len(package.operations)} generated, {not_run} not run; {prism}; "
        f"schemathesis: {len(ours)} failures {dict(kinds)}, {len(failures) - len(ours)} undeclared rejection statuses"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/corpus"))
    parser.add_argument("--sample", type=int, default=12, help="operations sampled per document")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--strictest", action="store_true", help="every package's tsconfig sets every strict flag (the matrix's 'all')"
    )
    parser.add_argument("--only", default="", help="comma-separated document names")
    parser.add_argument("--keep", type=Path, help="keep the generated packages under this folder")
    parser.add_argument("--errors", type=int, default=5, help="compile errors shown per document")
    parser.add_argument("--conformance", action="store_true", help="also run Prism and Schemathesis")
    parser.add_argument("--examples", type=int, default=10, help="Schemathesis examples per operation")
    args = parser.parse_args()
    global STRICTEST
    STRICTEST = args.strictest
    manifest = json.loads((args.corpus / "MANIFEST.json").read_text())
    only = {n for n in args.only.split(",") if n}
    entries = [e for e in manifest if not only or e["name"] in only]
    header = f"{'document':<18} {'version':>7} {'MB':>5} {'load s':>6} {'warm s':>6} {'valid s':>7} {'ops':>5} {'sampled':>7} {'files':>5} {'compile':>7} {'%':>5} {'refused':>7} {'self-check':>10}"
    print(header, flush=True)
    rows = []
    for entry in entries:
        work = Path(tempfile.mkdtemp(prefix=f"fa-real-{entry['name']}-", dir=args.keep))
        row = run_document(args.corpus, entry, args.sample, args.seed, work)
        rows.append(row)
        pct = f"{100 * row.compiled / row.files:.0f}" if row.files else "-"
        print(
            f"{row.name:<18} {row.version:>7} {row.megabytes:>5.1f} {row.load_s:>6.2f} {row.warm_s:>6.2f} {row.validate_s:>7.2f} {row.operations:>5} "
            f"{row.sampled:>7} {row.files:>5} {row.compiled:>7} {pct:>5} {row.refused:>7} {row.self_check:>10}",
            flush=True,
        )
        for failure in row.failures[: args.errors]:
            print(f"    tsc: {failure[:220]}")
        for reason, n in row.reasons.most_common(6):
            print(f"    {n}× {reason}")
        if args.conformance:
            print(
                f"    run time: {conformance(args.corpus, entry, args.sample, args.seed, work, args.examples)}",
                flush=True,
            )
    files = sum(r.files for r in rows)
    compiled = sum(r.compiled for r in rows)
    print(
        f"total: {compiled}/{files} generated files compile ({100 * compiled / max(files, 1):.1f} %), "
        f"{sum(r.refused for r in rows)} refused, {sum(r.self_check for r in rows)} failed the self-check"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
