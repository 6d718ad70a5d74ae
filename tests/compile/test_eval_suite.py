"""The bundled evaluation suite (bench/tasks) in CI, offline:

* every spec-covered task passes the spec-first strategy (it is deterministic: a regression
  there fails the build);
* every task's reference answer passes its own grading (the suite itself is sound);
* the suite has the size and variety the evaluation issue asks for."""

from __future__ import annotations

import pytest

from freeagent.eval.runner import Evaluation, Strategy
from freeagent.eval.tasks import load_suite
from tests.helpers import ROOT, TOOLCHAIN

SUITE = ROOT / "bench" / "tasks"


@pytest.fixture(scope="module")
def tasks():
    if not TOOLCHAIN.is_dir():
        pytest.fail("tests/toolchain is not installed: run `make test` (it runs npm ci there)")
    return load_suite(SUITE)


def test_the_suite_is_big_and_varied(tasks):
    assert len(tasks) >= 30
    tags = {tag for t in tasks for tag in t.tags}
    assert {"spec-covered", "not-covered", "tempting", "handler", "client"} <= tags
    assert sum(t.spec_covered for t in tasks) >= 10 and sum("tempting" in t.tags for t in tasks) >= 5
    python = [t for t in tasks if t.file.endswith(".py")]
    assert len(python) >= 12, "a dozen Python tasks"
    assert {"handler", "model", "client", "transform", "cli"} <= {tag for t in python for tag in t.tags}
    assert any(t.file.endswith(".tsx") or "hook" in t.tags for t in tasks), "a React hook task"
    for t in tasks:
        assert t.spec_covered or t.reference is not None, f"{t.id}: a not-covered task needs a reference answer"


async def test_spec_first_passes_every_spec_covered_task(tasks):
    covered = [t for t in tasks if t.spec_covered]
    results = await Evaluation(covered, [Strategy("spec")], jobs=2, node_modules=TOOLCHAIN).run()
    failed = [f"{r.task}: {r.category}: {r.reason[:400]}" for r in results if not r.success]
    assert not failed, "\n".join(failed)


async def test_every_reference_answer_passes_its_grading(tasks):
    with_reference = [t for t in tasks if t.reference is not None]
    results = await Evaluation(with_reference, [Strategy("reference")], jobs=2, node_modules=TOOLCHAIN).run()
    failed = [f"{r.task}: {r.category}: {r.reason[:400]}" for r in results if not r.success]
    assert not failed, "\n".join(failed)
