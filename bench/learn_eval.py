"""``eval --learn`` on the whole bundled suite with the scripted model (issue 17's closing table).

The tasks no spec covers (spec-first is deterministic: learning does not touch it, and under
``auto`` an operation can take a task whose words name its endpoint), strategy ``llm``, two passes
in the suite's order against one new outcome store, the model being tests/fakes/learning_model.py
behind the fake Anthropic server on 127.0.0.1 (the real SDK as client): every task answered with
its reference, except the learn-wrapper family, answered with the project's own wrapper only when
the prompt carries it. Prints the per-pass table and the lift; asserts nothing.

Usage: python bench/learn_eval.py [--tasks GLOB ...]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT))

from freeagent.config import LlmSettings  # noqa: E402
from freeagent.eval.report import table  # noqa: E402
from freeagent.eval.runner import Evaluation, Strategy  # noqa: E402
from freeagent.eval.stats import aggregate, lift  # noqa: E402
from freeagent.eval.tasks import load_suite  # noqa: E402
from tests.fakes.learning_model import LearningModel, suite_dir  # noqa: E402
from tests.fakes.llm_server import FakeLLMServer  # noqa: E402
from tests.helpers import TOOLCHAIN  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tasks", nargs="*", default=[])
    args = parser.parse_args()
    os.environ.setdefault("ANTHROPIC_API_KEY", "scripted")
    tasks = [t for t in load_suite(suite_dir(), tuple(args.tasks)) if not t.spec_covered]
    model = LearningModel(tasks)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, FakeLLMServer() as server:
        server.respond_with(model)
        llm = LlmSettings(base_url=server.url, typecheck=False, max_retries=0, max_attempts=1)
        results = asyncio.run(
            Evaluation(
                tasks,
                [Strategy("llm", "anthropic", "claude-sonnet-5-5")],
                node_modules=TOOLCHAIN,
                llm_settings=llm,
                learn_store=Path(tmp) / "learn.db",
                passes=2,
            ).run()
        )
    from rich.console import Console

    Console(width=170).print(table(aggregate(results)))
    for row in lift(aggregate(results)):
        shares = " → ".join(f"pass {k} {v * 100:.1f}%" for k, v in row["passes"].items())
        print(
            f"{row['strategy']}: {shares}; lift {row['lift'] * 100:+.1f} points "
            f"(95% CI {row['ci_low'] * 100:+.1f} to {row['ci_high'] * 100:+.1f})"
        )
    family = sorted((r.task, r.strategy.rsplit("#", 1)[1], r.success) for r in results if r.task.startswith("learn-"))
    print("learn-wrapper family:", family)
    print(f"{len(tasks)} tasks x 2 passes in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
