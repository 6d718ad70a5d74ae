"""Benchmark the learning loop's overhead (issue 17): with 10,000 generations in the outcome store,

* retrieval + fact verification: the knowledge base's prompt sections for a new task (FTS5/BM25
  over task and code, the stale check of each candidate pattern, every fact verified against
  the project) — target ≤ 20 ms per generation;
* what the store adds to a code action: recording a resolved spec-first action (the record, its
  full-text row, learning from its attempts) — target ≤ 5 ms.

The store is filled with applied, surviving generations of varied tasks and code, and 200 facts
(half of them per model), in a copy of the bundled example. Prints p50/p95; asserts nothing.

Usage: python bench/knowledge_bench.py [--generations 10000] [--runs 60]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT))

from freeagent.engine import FolderEngine  # noqa: E402
from freeagent.store import FactRecord, GenerationRecord  # noqa: E402

VERBS = ["list", "create", "update", "delete", "archive", "export", "import", "search", "count", "assign"]
NOUNS = ["tasks", "projects", "comments", "labels", "users", "invoices", "teams", "sessions", "files", "reports"]
WHAT = ["by status", "for a user", "with paging", "as csv", "in bulk", "since a date", "by label", "for a team"]


def fill(engine: FolderEngine, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    store = engine.outcomes
    workspace = str(engine.root)
    started = time.perf_counter()
    for i in range(count):
        verb, noun, what = rng.choice(VERBS), rng.choice(NOUNS), rng.choice(WHAT)
        task = f"{verb} {noun} {what}"
        fn = f"{verb}{noun.title()}{i}"
        code = (
            "import { db } from '../lib/store.js';\n\n"
            f"export function {fn}(id: string) {{\n  return [...db.{noun if noun in ('tasks', 'projects', 'comments') else 'tasks'}.values()]"
            f".filter((x) => x.id !== id);\n}}\n"
        )
        rec = GenerationRecord(
            workspace=workspace,
            task=task,
            strategy="llm",
            code=code,
            surface="editor",
            file=f"src/{rng.choice(['routes', 'lib', 'api'])}/{noun}.ts",
            model="claude-sonnet-5-5",
        )
        gid = store.record(rec)
        store.set_outcome(gid, "applied", code.splitlines())
        store.add_survival(gid, "commit", 1.0 if i % 5 else 0.5)
    for i in range(200):
        store.add_fact(
            FactRecord(
                workspace,
                "not_installed" if i % 2 else "unknown_api",
                f"pkg{i}",
                f"`pkg{i}` is not a dependency of this project",
                model="claude-sonnet-5-5" if i % 4 == 0 else "",
                citation="package.json",
            )
        )
    print(f"filled {count} generations and 200 facts in {time.perf_counter() - started:.1f} s")


def percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[max(int(len(samples) * 0.95) - 1, 0)]
    return f"p50 {statistics.median(samples) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--generations", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="knowledge-bench-"))
    try:
        root = work / "taskboard"
        shutil.copytree(ROOT / "examples" / "taskboard", root)
        (root / ".freeagent.json").write_text('{"store": {"path": "outcomes.db"}}')
        engine = FolderEngine(root)
        engine.load()
        fill(engine, args.generations)
        kb = engine.knowledge
        target = root / "src" / "routes" / "tasks.ts"
        rng = random.Random(11)
        retrieval = []
        for _ in range(args.runs):
            task = f"{rng.choice(VERBS)} {rng.choice(NOUNS)} {rng.choice(WHAT)}"
            started = time.perf_counter()
            sections = kb.sections(task, target, ["claude-sonnet-5-5"])
            retrieval.append(time.perf_counter() - started)
        print(
            f"retrieval + fact verification ({args.generations} generations, 200 facts): {percentiles(retrieval)}"
            f" — target ≤ 20 ms; sections {[s.name for s in sections]}"
        )
        op = engine.operation("listComments")
        text = target.read_text()
        result = engine.generator().generate(op, "handler", target, text, None)
        recording = []
        for _ in range(args.runs):
            result.id = None
            started = time.perf_counter()
            engine.record(result, "list comments for a task", "editor", "offered")
            recording.append(time.perf_counter() - started)
        print(f"recording a resolved code action: {percentiles(recording)} — target ≤ 5 ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
