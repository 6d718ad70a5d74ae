"""The LLM fallback end to end in-process: prompt → real SDK → fake server on 127.0.0.1 →
extract → place → validate → retry with the root cause → result with provenance."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import tiktoken

from freeagent.config import LlmSettings
from freeagent.edits import apply_edits
from freeagent.engine import FolderEngine
from freeagent.generate.correction import correction, root_cause
from freeagent.generate.llm import LlmPipeline, extract_code, place
from freeagent.generate.prompt import PromptBuilder
from freeagent.generate.tokens import TokenCounter
from tests.fakes.llm_server import FakeLLMServer, Reply
from tests.helpers import EXAMPLE, copy_fixture

TS = "```ts\n{}\n```"
GOOD = TS.format(
    "export function slugify(title: string): string {\n"
    "  return title.toLowerCase().trim().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');\n}"
)
HALLUCINATED = TS.format(
    "import kebabCase from 'lodash/kebabCase';\n\n"
    "export function slugify(title: string): string {\n  return kebabCase(title);\n}"
)


def byte_counter() -> TokenCounter:
    """A real tiktoken Encoding over single bytes (1 byte = 1 token): offline and exact."""
    encoding = tiktoken.Encoding(
        "bytes", pat_str=r"\S+|\s+", mergeable_ranks={bytes([i]): i for i in range(256)}, special_tokens={}
    )
    return TokenCounter(encoding)


@pytest.fixture
def server():
    with FakeLLMServer() as fake:
        yield fake


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    root = copy_fixture(EXAMPLE, tmp_path)
    target = root / "src" / "lib" / "slug.ts"
    target.write_text("// Helpers for URLs.\n\n// TODO: slugify a task title for URLs\n")
    engine = FolderEngine(root)
    engine.load()
    return engine, target


def settings(server: FakeLLMServer, **changes) -> LlmSettings:
    base = LlmSettings(
        provider="anthropic",
        model="claude-sonnet-5-5",
        base_url=server.url,
        fallback_provider="ollama",
        fallback_model="qwen2.5-coder:7b",
        fallback_base_url=server.url,
        typecheck=False,
        max_attempts=3,
    )
    return replace(base, **changes)


async def run(engine, target, llm: LlmSettings):
    text = target.read_text()
    pipeline = LlmPipeline(engine, llm, counter=byte_counter())
    return await pipeline.run("slugify a task title for URLs", target, text, 2), text


async def test_hallucinated_package_is_corrected_on_retry(server, workspace):
    engine, target = workspace
    server.script(
        "/v1/messages",
        Reply(text=HALLUCINATED, input_tokens=3000, output_tokens=60),
        Reply(text=GOOD, input_tokens=3200, output_tokens=70),
    )
    result, text = await run(engine, target, settings(server))
    assert result.source == "llm" and result.attempts == 2 and result.findings == []
    assert result.title == "Generate with claude-sonnet-5-5: slugify a task title for URLs"
    first, second = result.history
    assert first["cause"] == "hallucinated_package" and not first["passed"]
    assert [f["code"] for f in first["findings"]] == ["FA101"]
    assert second["passed"] and second["cause"] is None
    # the targeted correction reached the server, naming the package and what is installed
    correction = server.bodies("/v1/messages")[1]["messages"][-1]["content"]
    assert "`lodash`" in correction and "express@" in correction and "zod@" in correction
    # the project's context was in the first prompt
    prompt = server.bodies("/v1/messages")[0]["messages"][0]["content"]
    assert "src/lib/slug.ts" in prompt and "express@" in prompt and "<<< your code goes here" in prompt
    # cost from the returned usage: 6,200 input and 130 output tokens at $2/$10 per million
    assert result.cost_usd == pytest.approx((6200 * 2 + 130 * 10) / 1e6)
    fixed = apply_edits(text, result.edits[str(target)])
    assert "export function slugify(title: string): string {" in fixed and "TODO" not in fixed
    assert "lodash" not in fixed


async def test_prose_only_answer_is_rejected_and_retried(server, workspace):
    engine, target = workspace
    server.script(
        "/v1/messages",
        Reply(text="Sure! You could lowercase the title and replace spaces with dashes."),
        Reply(text=GOOD),
    )
    result, _ = await run(engine, target, settings(server))
    assert [h["cause"] for h in result.history] == ["no_code", None]
    assert "code block" in server.bodies("/v1/messages")[1]["messages"][-1]["content"]


async def test_cost_sensitive_starts_local_and_escalates_when_checks_fail(server, workspace):
    engine, target = workspace
    server.script("/api/chat", Reply(text=HALLUCINATED))
    server.script("/v1/messages", Reply(text=GOOD))
    result, _ = await run(engine, target, settings(server, mode="cost-sensitive"))
    assert [(h["provider"], h["passed"]) for h in result.history] == [("ollama", False), ("anthropic", True)]
    assert result.model == "claude-sonnet-5-5"
    # the premium model saw the failed local answer and the correction
    messages = server.bodies("/v1/messages")[0]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"] and "lodash" in messages[1]["content"]


async def test_cost_sensitive_stays_local_when_the_local_answer_passes(server, workspace):
    engine, target = workspace
    server.script("/api/chat", Reply(text=GOOD))
    result, _ = await run(engine, target, settings(server, mode="cost-sensitive"))
    assert [h["provider"] for h in result.history] == ["ollama"] and result.cost_usd == 0.0
    assert server.bodies("/v1/messages") == []


async def test_local_model_down_escalates(server, workspace):
    engine, target = workspace
    server.script("/v1/messages", Reply(text=GOOD))
    result, _ = await run(
        engine, target, settings(server, mode="cost-sensitive", fallback_base_url="http://127.0.0.1:9")
    )
    assert result.history[0]["cause"] == "provider_connection" and result.history[-1]["passed"]


async def test_budget_exhausted_stops_with_a_title_that_says_so(server, workspace):
    engine, target = workspace
    server.script("/v1/messages", Reply(text=HALLUCINATED, input_tokens=100_000, output_tokens=1000), Reply(text=GOOD))
    result, _ = await run(engine, target, settings(server, budget_usd=0.05))
    assert result.attempts == 1 and len(server.bodies("/v1/messages")) == 1
    assert result.title.startswith("Generate with claude-sonnet-5-5 (fails checks: FA101, budget spent)")


async def test_every_attempt_failing_is_offered_only_under_a_failing_title(server, workspace):
    engine, target = workspace
    server.script("/v1/messages", *[Reply(text=HALLUCINATED)] * 3)
    result, _ = await run(engine, target, settings(server))
    assert result.attempts == 3 and "fails checks: FA101" in result.title
    assert [f.code for f in result.findings] == ["FA101"]


async def test_unknown_price_is_unknown_not_zero(server, workspace):
    engine, target = workspace
    server.script("/v1/chat/completions", Reply(text=GOOD))
    result, _ = await run(
        engine, target, settings(server, provider="openai", model="my-finetune", base_url=server.url + "/v1")
    )
    assert result.findings == [] and result.cost_usd is None and result.history[0]["cost_usd"] is None


async def test_provider_failure_everywhere_gives_a_clear_result(server, workspace, monkeypatch):
    monkeypatch.setattr("freeagent.providers.retry.backoff", lambda attempt, base=0.5: 0.01)
    engine, target = workspace
    server.script("/v1/messages", *[Reply(status=500, error="down")] * 9)
    result, _ = await run(engine, target, settings(server, max_retries=0))
    assert result.edits == {} and result.title.startswith("LLM generation failed")
    assert "down" in result.title


def test_validation_leaves_the_context_as_it_was(workspace):
    engine, target = workspace
    before = dict(engine.context.index.files)
    pipeline = LlmPipeline(engine, LlmSettings(typecheck=False), counter=byte_counter())
    text = target.read_text()
    placed = place(text, extract_code(HALLUCINATED, "typescript"), 2, "typescript")
    assert [f.code for f in pipeline._findings(target, placed.new_text, True)] == ["FA101"]
    assert target not in engine.context.overlays and engine.context.index.files == before


@pytest.mark.parametrize(
    "answer, expected",
    [
        pytest.param("```ts\nconst a = 1;\n```", "const a = 1;\n", id="fenced"),
        pytest.param(
            "Here:\n```typescript\nconst a = 1;\n```\nand a test:\n```ts\nconst a = 1;\nconst b = 2;\n```",
            "const a = 1;\nconst b = 2;\n",
            id="longest-block",
        ),
        pytest.param("```bash\nnpm i slugify\n```", None, id="only-another-language"),
        pytest.param(
            "export const a = (x: number) => x + 1;", "export const a = (x: number) => x + 1;\n", id="bare-code"
        ),
        pytest.param("Just lowercase it and replace the spaces.", None, id="prose"),
        pytest.param("", None, id="empty"),
    ],
)
def test_extract_code(answer, expected):
    assert extract_code(answer, "typescript") == expected


def test_place_merges_imports_and_keeps_indentation():
    text = "import { z } from 'zod';\n\nexport function f() {\n  // TODO: do it\n}\n"
    code = "import { z } from 'zod';\nimport { readFile } from 'node:fs/promises';\n\nreturn z.string().parse('x');\n"
    placed = place(text, code, 3, "typescript")
    assert placed.new_text == (
        "import { z } from 'zod';\nimport { readFile } from 'node:fs/promises';\n\n"
        "export function f() {\n  return z.string().parse('x');\n}\n"
    )
    assert placed.imports == ["import { readFile } from 'node:fs/promises';"]


def test_prompt_fits_its_token_budget(workspace):
    engine, target = workspace
    builder = PromptBuilder(engine.context, byte_counter())
    text = target.read_text()
    big = builder.build("list comments for a task", target, text, 2, 20000)
    assert any(name.startswith("example:") and tokens > 0 for name, tokens in big.sections.items())
    small = builder.build("list comments for a task", target, text, 2, 2500)
    assert small.tokens <= 2500
    assert small.sections["task"] and small.sections["file"] and small.sections["packages"]
    assert sum(small.sections.values()) + byte_counter().count(small.system) == small.tokens
    assert len(small.user) < len(big.user)


def test_root_cause_order():
    from freeagent.findings import Finding, Range, Severity

    def f(code):
        return Finding("x", Range.at(0, 0), Severity.ERROR, code, "m")

    assert root_cause([f("FA401"), f("FA101")]) == "hallucinated_package"
    assert root_cause([f("FA301")]) == "unknown_endpoint"
    assert root_cause([f("FA204"), f("FA201")]) == "hallucinated_api"
    assert root_cause([f("FA205"), f("FA105")]) == "hallucinated_package"  # a missing package first
    assert root_cause([]) is None


def test_a_strict_tsconfig_failure_is_its_own_root_cause_and_the_retry_says_how_to_write_for_it():
    from freeagent.context.tsconfig import STRICT_OPTIONS
    from freeagent.findings import Finding, Range, Severity
    from freeagent.generate.correction import STRICT_FLAGS

    assert set(STRICT_FLAGS) == set(STRICT_OPTIONS)  # advice for every flag generation reads

    def ts(message):
        return Finding("x", Range.at(3, 0), Severity.ERROR, "FA501", message)

    index = ts(
        "TS4111: Property 'authorization' comes from an index signature, so it must be accessed with ['authorization']."
    )
    overload = ts("TS2769: No overload matches this call.")
    assert root_cause([index]) == "strict_tsconfig"  # TS4111 has one cause, whatever the tsconfig
    assert root_cause([overload]) == "type_error"
    assert root_cause([overload], ["exactOptionalPropertyTypes"]) == "strict_tsconfig"
    assert root_cause([overload], ["noImplicitReturns"]) == "type_error"
    text = correction([index, overload], [], "typescript", ["exactOptionalPropertyTypes", "noUnusedLocals"])
    assert "- noPropertyAccessFromIndexSignature: " in text and "headers['authorization']" in text
    assert "- exactOptionalPropertyTypes: " in text and "never given `undefined`" in text
    assert "noUnusedLocals" not in text  # a flag that did not bite is not lectured about
    assert correction([overload], [], "typescript").endswith("holding the whole corrected code.")
    assert "Fix the type errors the compiler reports." in correction([overload], [], "typescript")


def test_the_prompt_names_the_strict_flags_of_the_files_tsconfig(tmp_path):
    from freeagent.generate.prompt import PromptBuilder

    ws = copy_fixture(EXAMPLE, tmp_path)
    config = json.loads((ws / "tsconfig.json").read_text())
    config["compilerOptions"].update({"noPropertyAccessFromIndexSignature": True, "allowUnreachableCode": False})
    (ws / "tsconfig.json").write_text(json.dumps(config))
    engine = FolderEngine(ws)
    engine.load()
    facts = PromptBuilder(engine.context, byte_counter()).tsconfig_facts(ws / "src" / "routes" / "tasks.ts")
    assert any(f.startswith("noPropertyAccessFromIndexSignature: true — ") and "brackets" in f for f in facts)
    assert any(f.startswith("allowUnreachableCode: false — ") for f in facts)
    assert not any(f.startswith("exactOptionalPropertyTypes") for f in facts)


@pytest.mark.parametrize(
    "text, marker",
    [
        pytest.param("// TODO: x\n", 0, id="marker-on-the-first-line"),
        pytest.param("// header\n\n// TODO: x\n", 2, id="no-imports-yet"),
        pytest.param("", None, id="empty-file"),
    ],
)
def test_place_into_a_file_without_imports(text, marker):
    placed = place(text, "import { z } from 'zod';\n\nexport const s = z.string();\n", marker, "typescript")
    assert placed.new_text.count("import { z } from 'zod';") == 1
    assert "export const s = z.string();" in placed.new_text and "TODO" not in placed.new_text
    first, last = placed.inserted
    assert placed.new_text.split("\n")[first] == "export const s = z.string();" and first == last


def test_a_related_operation_constrains_the_prompt(server, workspace):
    from freeagent.generate.llm import operation_hint

    engine, _ = workspace
    hint = operation_hint(engine, "count the comments of a task")  # related, but no spec covers it
    assert hint.startswith("POST /tasks/{taskId}/comments (operationId createComment)")
    assert "`author`" in hint and "no others" in hint
    assert operation_hint(engine, "list comments for a task") is None  # covered: spec-first does it
    assert operation_hint(engine, "slugify a title") is None  # unrelated


async def test_the_hint_reaches_the_model(server, workspace):
    engine, target = workspace
    server.script("/v1/messages", Reply(text=GOOD))
    text = target.read_text()
    await LlmPipeline(engine, settings(server), counter=byte_counter()).run(
        "count the comments of a task", target, text, 2
    )
    prompt = server.bodies("/v1/messages")[0]["messages"][0]["content"]
    assert "## A related API operation" in prompt and "operationId createComment" in prompt


async def test_a_hallucinated_python_api_is_corrected_with_the_real_name(server, tmp_path, monkeypatch):
    """A Python answer calling an API the installed package does not have (FA204, judged with jedi
    over the workspace's environment — here the venv running the tests) is retried with the root
    cause and the real name; the corrected answer passes."""
    import sys
    from pathlib import Path

    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    root = tmp_path / "svc"
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1"\ndependencies = ["requests"]\n')
    (root / ".venv").symlink_to(Path(sys.prefix))
    target = root / "app" / "notify.py"
    target.write_text('"""Webhooks."""\n\nimport requests\n\n# TODO: post an event to a webhook\n')
    engine = FolderEngine(root)
    engine.load()
    wrong = "```python\ndef notify(url: str, event: dict) -> int:\n    return requests.post_json(url, event).status_code\n```"
    right = "```python\ndef notify(url: str, event: dict) -> int:\n    return requests.post(url, json=event, timeout=5).status_code\n```"
    server.script("/v1/messages", Reply(text=wrong), Reply(text=right))
    pipeline = LlmPipeline(engine, settings(server), counter=byte_counter())
    result = await pipeline.run("post an event to a webhook", target, target.read_text(), 4)
    first, second = result.history
    assert first["cause"] == "hallucinated_api" and [f["code"] for f in first["findings"]] == ["FA204"]
    assert second["passed"] and result.findings == []
    correction = server.bodies("/v1/messages")[1]["messages"][-1]["content"]
    assert "'requests' has no attribute 'post_json'" in correction and "did you mean 'post'?" in correction
    assert "do not exist in the versions installed" in correction
