"""What an ensemble costs outside model time (issue 18): a 4-candidate ensemble in "all" mode against
the fake LLM server on 127.0.0.1 (the real SDKs), every model answering after the same delay, on
the bundled example (TypeScript, the fast checks; tsc off) and on a small Python workspace (the fast
checks, then tests that agree: one more model call writes tests, each candidate runs them in the
sandbox). Targets: the checks ≤ 50 ms per candidate; the whole ensemble ≤ the slowest candidate +
3 s (its tsc would come on top). Prints figures; asserts nothing.

Usage: python bench/ensemble_bench.py [--delay 1.0] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "server"))

from freeagent.config import LlmSettings  # noqa: E402
from freeagent.engine import FolderEngine  # noqa: E402
from freeagent.generate.ensemble import Ensemble, Member  # noqa: E402
from tests.fakes.llm_server import FakeLLMServer, Reply  # noqa: E402
from tests.helpers import EXAMPLE, copy_fixture  # noqa: E402

TS_ANSWER = (
    "```ts\nexport function slugify(title: string): string {\n"
    "  return title.toLowerCase().trim().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');\n}\n```"
)
PY_ANSWERS = [
    "```python\ndef count_vowels(text: str) -> int:\n    return sum(1 for ch in text.lower() if ch in 'aeiou')\n```",
    "```python\ndef count_vowels(s: str) -> int:\n    return sum(c in 'aeiouy' for c in s.lower())\n```",
]
PY_TESTS = (
    "```python\ndef test_word():\n    assert subject('hello') == 2\n\n"
    "def test_no_vowels():\n    assert subject('rhythm') == 0\n\n"
    "def test_upper():\n    assert subject('AEIOU') == 5\n```"
)
MEMBERS = ["ollama/qwen-local", "openai/gpt-4o-mini:2", "anthropic/claude-sonnet-5-5"]


def checks_timer() -> list[float]:
    """Time every candidate's fast checks: the pipeline's ``_findings`` (the candidate's text put in
    the engine's view of the file, re-indexed, every rule family run, the view put back)."""
    from freeagent.generate.llm import LlmPipeline

    seconds: list[float] = []
    findings = LlmPipeline._findings

    def timed(self, path, new_text, candidate):
        started = time.perf_counter()
        try:
            return findings(self, path, new_text, candidate)
        finally:
            if candidate:
                seconds.append(time.perf_counter() - started)

    LlmPipeline._findings = timed  # type: ignore[method-assign]
    return seconds


async def one(engine, target, task, marker, server) -> tuple[float, int]:
    llm = replace(
        LlmSettings(base_url=server.url, fallback_base_url=server.url, typecheck=False, max_retries=0),
        ensemble_mode="all",
        ensemble_retries=0,
    )
    ensemble = Ensemble(
        engine, llm, [Member.parse(m) for m in MEMBERS], base_urls={"openai": server.url + "/v1", "ollama": server.url}
    )
    started = time.perf_counter()
    result = await ensemble.run(task, target, target.read_text(), marker)
    return time.perf_counter() - started, len(result.candidates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--delay", type=float, default=1.0, help="seconds every model takes to answer")
    parser.add_argument("--runs", type=int, default=3)
    asyncio.run(measure(parser.parse_args()))


async def measure(args) -> None:
    os.environ.setdefault("ANTHROPIC_API_KEY", "bench")
    os.environ.setdefault("OPENAI_API_KEY", "bench")
    seconds = checks_timer()
    with tempfile.TemporaryDirectory(prefix="ensemble-bench-") as tmp, FakeLLMServer() as server:
        answers = itertools.cycle(PY_ANSWERS)
        lock = threading.Lock()

        def responder(path, body):
            if "unit tests" in str(body["messages"][0].get("content", "")):
                return Reply(text=PY_TESTS, delay=args.delay)
            if "count the vowels" in str(body["messages"]):
                with lock:
                    return Reply(text=next(answers), delay=args.delay)
            return Reply(text=TS_ANSWER, delay=args.delay)

        server.respond_with(responder)
        ts_root = copy_fixture(EXAMPLE, Path(tmp), "ts")
        ts_file = ts_root / "src" / "lib" / "slug.ts"
        ts_file.write_text("// Helpers for URLs.\n\n// TODO: slugify a task title for URLs\n")
        py_root = Path(tmp) / "py"
        (py_root / "app").mkdir(parents=True)
        (py_root / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1"\n')
        py_file = py_root / "app" / "text.py"
        py_file.write_text('"""Text helpers."""\n\n# TODO: count the vowels in a string\n')
        cases = [
            ("TypeScript (fast checks)", ts_root, ts_file, "slugify a task title for URLs", args.delay),
            (
                "Python (fast checks + tests that agree)",
                py_root,
                py_file,
                "count the vowels in a string",
                2 * args.delay,
            ),
        ]
        print(f"4 candidates ({', '.join(MEMBERS)}), 'all' mode, every model call {args.delay:.1f} s")
        for name, root, target, task, model_time in cases:
            engine = FolderEngine(root)
            engine.load()
            walls = []
            seconds.clear()
            for _ in range(args.runs):
                wall, _count = await one(engine, target, task, 2, server)
                walls.append(wall)
            over = statistics.median(walls) - model_time
            print(
                f"{name}: wall median {statistics.median(walls):.2f} s over {args.runs} runs "
                f"(model time on the critical path {model_time:.1f} s: overhead {over:.2f} s, target <= 3 s); "
                f"fast checks per candidate median {statistics.median(seconds) * 1000:.1f} ms, "
                f"max {max(seconds) * 1000:.1f} ms (target <= 50 ms)"
            )


if __name__ == "__main__":
    main()
