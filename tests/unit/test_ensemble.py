"""Ensembles (generate/ensemble.py) end to end in-process: several members through the real SDKs to a
fake LLM server on 127.0.0.1 that answers by the model asked, each candidate through the pipeline's
gate, the choice by how far each got, and the cascade that never asks a dearer model once a
cheaper one passed (asserted on what the fake server received)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from freeagent.generate.ensemble import Ensemble, EnsembleError, Member, stage_of
from tests.fakes.llm_server import FakeLLMServer, Reply
from tests.unit.test_llm_pipeline import GOOD, HALLUCINATED, byte_counter, settings, workspace  # noqa: F401

PROSE = "I would use a library for that; here is how you could think about it."
TASK = "slugify a task title for URLs"


@pytest.fixture
def server():
    with FakeLLMServer() as fake:
        yield fake


def answering(by_model: dict[str, str]):
    def responder(path: str, body: dict) -> Reply:
        return Reply(text=by_model[body["model"]])

    return responder


def asked(server: FakeLLMServer) -> list[str]:
    return [s.body.get("model") for s in server.seen]


async def run(engine, target, llm, members, **options):
    ensemble = Ensemble(engine, llm, [Member.parse(m) for m in members], counter=byte_counter(), **options)
    return await ensemble.run(TASK, target, target.read_text(), 2)


def test_members_are_read_as_provider_model_and_samples():
    assert Member.parse("ollama/qwen2.5-coder:7b") == Member("ollama", "qwen2.5-coder:7b", 1)
    assert Member.parse("openai/gpt-4o-mini:3") == Member("openai", "gpt-4o-mini", 3)
    assert Member.parse("ollama/llama3:8:1") == Member("ollama", "llama3:8", 1)
    for bad in ("gpt-4o", "mistral/large", "openai/", "openai/gpt-4o:0", "openai/gpt-4o:11"):
        with pytest.raises(EnsembleError, match="ensemble member"):
            Member.parse(bad)


async def test_cascade_stops_at_the_cheapest_member_that_passes(server, workspace):  # noqa: F811
    """The local model hallucinates a package (twice: its retry too), the cheap hosted one is right:
    chosen, and the dear one receives no request at all."""
    engine, target = workspace
    server.respond_with(answering({"qwen-local": HALLUCINATED, "gpt-4o-mini": GOOD, "claude-sonnet-5-5": GOOD}))
    llm = settings(server, base_url=server.url, ensemble_mode="cascade")
    members = ["anthropic/claude-sonnet-5-5", "ollama/qwen-local", "openai/gpt-4o-mini"]
    result = await run(engine, target, llm, members, base_urls={"openai": server.url + "/v1", "ollama": server.url})
    assert asked(server) == ["qwen-local", "qwen-local", "gpt-4o-mini"]  # never claude
    assert [c["stage"] for c in result.candidates] == [1, 3]
    assert result.selected == 2 and result.model == "gpt-4o-mini" and "slugify" in result.code
    assert "FA101" in {f["code"] for f in result.candidates[0]["findings"]}
    assert result.attempts == 3 and len(result.history) == 3
    assert [(h["attempt"], h["candidate"]) for h in result.history] == [(1, 1), (2, 1), (3, 2)]
    # the outcome store keeps it whole: every candidate's attempts, numbered through
    gid = engine.record(result, TASK, "cli")
    stored = engine.outcomes.get(gid)
    assert stored.strategy == "ensemble" and stored.selected == 2
    assert [(a.model, a.candidate) for a in stored.attempts] == [
        ("qwen-local", 1),
        ("qwen-local", 1),
        ("gpt-4o-mini", 2),
    ]
    # and the statistics say which model's candidate is kept how often
    from freeagent.learn.stats import compute, table

    stats = compute(engine.outcomes.summary(engine.identity))
    assert stats["ensembles"] == [
        {"model": "gpt-4o-mini", "entered": 1, "won": 1},
        {"model": "qwen-local", "entered": 1, "won": 0},
    ]
    assert "gpt-4o-mini                      won    1 of    1" in table(stats)
    assert "ensemble (2 candidates), gpt-4o-mini chosen — 1 of 2 passed the checks" in result.title


async def test_all_mode_asks_everyone_and_keeps_the_one_that_passes(server, workspace):  # noqa: F811
    """Prose (no code), a hallucinated package and a right answer, all asked at once: the right one
    is chosen by the checks; the JSON says each candidate's stage."""
    engine, target = workspace
    server.respond_with(answering({"qwen-local": PROSE, "gpt-4o-mini": HALLUCINATED, "claude-sonnet-5-5": GOOD}))
    llm = replace(settings(server), ensemble_mode="all", ensemble_retries=0)
    members = ["ollama/qwen-local", "openai/gpt-4o-mini", "anthropic/claude-sonnet-5-5"]
    result = await run(engine, target, llm, members, base_urls={"openai": server.url + "/v1", "ollama": server.url})
    assert sorted(asked(server)) == ["claude-sonnet-5-5", "gpt-4o-mini", "qwen-local"]
    stages = {c["model"]: c["stage"] for c in result.candidates}
    assert stages == {"qwen-local": 0, "gpt-4o-mini": 1, "claude-sonnet-5-5": 3}
    assert result.model == "claude-sonnet-5-5" and result.candidates[result.selected - 1]["stage"] == 3
    data = result.to_json(engine.root)
    assert data["selected"] == result.selected and len(data["candidates"]) == 3


async def test_samples_of_one_model_are_sampled_and_none_passing_says_so(server, workspace):  # noqa: F811
    """Three samples of one model ask with the ensemble's temperature (one sample asks at 0); when
    none passes, the best failing one is offered under a title that says none passed."""
    engine, target = workspace
    server.respond_with(answering({"gpt-4o-mini": HALLUCINATED}))
    llm = replace(settings(server), ensemble_retries=0, ensemble_temperature=0.9)
    result = await run(engine, target, llm, ["openai/gpt-4o-mini:3"], base_urls={"openai": server.url + "/v1"})
    temperatures = [s.body.get("temperature") for s in server.seen]
    assert temperatures == [0.9, 0.9, 0.9, 0.0]  # the fourth: the combine step, not a sample
    assert [c["stage"] for c in result.candidates] == [1, 1, 1, 1]
    assert [c["combined"] for c in result.candidates] == [False, False, False, True]
    assert "none passed" in result.title and "FA101" in result.title
    assert stage_of(result) == 1


def test_an_ensemble_needs_a_member(workspace):  # noqa: F811
    engine, _ = workspace
    from freeagent.config import LlmSettings

    with pytest.raises(EnsembleError, match="at least one member"):
        Ensemble(engine, LlmSettings(), [])


def test_the_cli_generates_with_an_ensemble_and_says_every_candidates_fate(server, tmp_path, monkeypatch):
    """`freeagent generate --ensemble …` (repeatable; --base-url goes to the openai members): the JSON
    has `candidates` (model, stage, findings, cost) and `selected`; a member it cannot read is a
    usage error naming it, and --ensemble alone needs the setting."""
    import json

    from click.testing import CliRunner

    from freeagent.cli import cli as main
    from tests.helpers import EXAMPLE, copy_fixture

    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    root = copy_fixture(EXAMPLE, tmp_path)
    (root / ".freeagent.json").write_text(json.dumps({"llm": {"fallbackBaseUrl": server.url, "typecheck": False}}))
    target = root / "src" / "lib" / "slug.ts"
    target.write_text("// Helpers for URLs.\n\n// TODO: slugify a task title for URLs\n")
    server.respond_with(answering({"qwen-local": HALLUCINATED, "gpt-4o-mini": GOOD}))
    monkeypatch.chdir(root)
    args = ["generate", TASK, "--workspace", str(root), "--file", "src/lib/slug.ts", "--json"]
    done = CliRunner().invoke(
        main,
        [
            *args,
            "--ensemble",
            "ollama/qwen-local",
            "--ensemble",
            "openai/gpt-4o-mini",
            "--base-url",
            server.url + "/v1",
        ],
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert [(c["model"], c["stage"]) for c in data["candidates"]] == [("qwen-local", 1), ("gpt-4o-mini", 3)]
    assert data["selected"] == 2 and "slugify" in data["code"]
    bad = CliRunner().invoke(main, [*args, "--ensemble", "gpt-4o"])
    assert bad.exit_code == 2 and "ensemble member 'gpt-4o'" in bad.output
    alone = CliRunner().invoke(main, [*args, "--ensemble"])
    assert alone.exit_code == 2 and "llm.ensemble setting" in alone.output


async def test_the_budget_is_the_whole_ensembles(server, workspace):  # noqa: F811
    """llm.budgetUsd holds for the ensemble, not per candidate: the cheap tier (gpt-4o-mini, wrong
    twice at a price that spends the budget) leaves nothing, so claude is not asked and the title
    says why."""
    engine, target = workspace

    def responder(path, body):
        return Reply(text=HALLUCINATED, input_tokens=1_000_000, output_tokens=0)  # $0.15 a call for gpt-4o-mini

    server.respond_with(responder)
    llm = replace(settings(server), budget_usd=0.25, ensemble_retries=1)
    members = ["openai/gpt-4o-mini", "anthropic/claude-sonnet-5-5"]
    result = await run(engine, target, llm, members, base_urls={"openai": server.url + "/v1"})
    assert asked(server) == ["gpt-4o-mini", "gpt-4o-mini"]  # its retry, within its share; never claude
    assert result.cost_usd == pytest.approx(0.30)
    assert "budget of $0.25 spent before the dearer members" in result.title


async def test_tests_that_agree_choose_among_python_candidates_that_all_pass_the_checks(server, tmp_path, monkeypatch):
    """Three samples pass every check; one is subtly wrong (counts 'y' as a vowel) and the shortest,
    so without running anything it would be chosen. The test writer (asked with the task alone)
    writes tests; each candidate runs them in the sandbox; the two right ones pass all and agree
    with each other (score 4 × 2), the wrong one passes 3 alone (3 × 1): a right one is chosen."""
    import itertools
    import threading

    from freeagent.engine import FolderEngine

    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    root = tmp_path / "svc"
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1"\n')
    target = root / "app" / "text.py"
    target.write_text('"""Text helpers."""\n\n# TODO: count the vowels in a string\n')
    engine = FolderEngine(root)
    engine.load()
    right_1 = "def count_vowels(text: str) -> int:\n    return sum(1 for ch in text.lower() if ch in 'aeiou')\n"
    right_2 = "def count_vowels(text: str) -> int:\n    total = 0\n    for ch in text.lower():\n        if ch in 'aeiou':\n            total += 1\n    return total\n"
    wrong = "def count_vowels(s: str) -> int:\n    return sum(c in 'aeiouy' for c in s.lower())\n"
    tests = (
        "def test_word():\n    assert subject('hello') == 2\n\n"
        "def test_no_vowels():\n    assert subject('rhythm') == 0\n\n"
        "def test_empty():\n    assert subject('') == 0\n\n"
        "def test_upper():\n    assert subject('AEIOU') == 5\n"
    )
    answers = itertools.cycle([right_1, wrong, right_2])
    lock = threading.Lock()
    prompts: list[str] = []

    def responder(path, body):
        system = body["messages"][0]["content"]
        if "unit tests" in system:
            prompts.append(body["messages"][-1]["content"])
            return Reply(text=f"```python\n{tests}```")
        with lock:
            return Reply(text=f"```python\n{next(answers)}```")

    server.respond_with(responder)
    llm = replace(settings(server), ensemble_retries=0)
    ensemble = Ensemble(
        engine,
        llm,
        [Member.parse("openai/gpt-4o-mini:3")],
        base_urls={"openai": server.url + "/v1"},
        counter=byte_counter(),
    )
    result = await ensemble.run("count the vowels in a string", target, target.read_text(), 2)
    assert [c["stage"] for c in result.candidates] == [3, 3, 3]
    scores = sorted((c["tests_passed"], c["agreeing"]) for c in result.candidates)
    assert scores == [(3, 1), (4, 2), (4, 2)]
    chosen = result.candidates[result.selected - 1]
    assert chosen["tests_passed"] == 4 and "'aeiou'" in result.code and "aeiouy" not in result.code
    assert "4/4 of the written tests with 2 agreeing" in result.title
    # the tests were written from the task alone: no candidate's code in the test writer's prompt
    (prompt,) = prompts
    assert "count the vowels in a string" in prompt and "def count_vowels" not in prompt


async def test_when_every_candidate_fails_differently_the_dearest_member_combines_them(server, workspace):  # noqa: F811
    """Prose from the local model, a hallucinated package from gpt-4o-mini: none passes, so the
    dearest member (gpt-4o-mini) gets the attempts that have code, with their findings, and writes
    one answer through the same gate — it passes and is the one kept."""
    engine, target = workspace

    def responder(path, body):
        if "Earlier attempts at this task failed" in str(body["messages"]):
            return Reply(text=GOOD)
        return Reply(text={"qwen-local": PROSE, "gpt-4o-mini": HALLUCINATED}[body["model"]])

    server.respond_with(responder)
    llm = replace(settings(server), ensemble_mode="all", ensemble_retries=0)
    members = ["ollama/qwen-local", "openai/gpt-4o-mini"]
    result = await run(engine, target, llm, members, base_urls={"openai": server.url + "/v1", "ollama": server.url})
    assert [(c["model"], c["stage"], c["combined"]) for c in result.candidates] == [
        ("qwen-local", 0, False),
        ("gpt-4o-mini", 1, False),
        ("gpt-4o-mini", 3, True),
    ]
    assert result.selected == 3 and "slugify" in result.code
    combine_prompt = str(server.seen[-1].body["messages"])
    assert "lodash/kebabCase" in combine_prompt and "FA101" in combine_prompt  # the attempt and its finding
    assert "I would use a library" not in combine_prompt  # the one without code is not shown
