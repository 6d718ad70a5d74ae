"""The LLM pipeline's tsc gate with the real TypeScript compiler: a candidate that passes the
fast checks but does not type-check is caught (FA501), the compiler's message goes back to the
model, and the corrected answer is the one offered."""

from __future__ import annotations

from dataclasses import replace

import pytest

from freeagent.config import LlmSettings
from freeagent.engine import FolderEngine
from freeagent.generate.llm import LlmPipeline
from tests.fakes.llm_server import FakeLLMServer, Reply
from tests.helpers import EXAMPLE, TOOLCHAIN, copy_fixture


async def test_type_error_is_caught_and_corrected(tmp_path, monkeypatch):
    if not TOOLCHAIN.is_dir():
        pytest.fail("tests/toolchain is not installed: run `make test` (it runs npm ci there)")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    root = copy_fixture(EXAMPLE, tmp_path)
    (root / "node_modules").symlink_to(TOOLCHAIN)  # the workspace's own tsc, as a real project has it
    target = root / "src" / "lib" / "slug.ts"
    text = "// TODO: count the words of a title\n"
    target.write_text(text)
    engine = FolderEngine(root)
    engine.load()
    wrong = "```ts\nexport function wordCount(title: string): number {\n  return title.split(/\\s+/).length.toString();\n}\n```"
    right = "```ts\nexport function wordCount(title: string): number {\n  return title.split(/\\s+/).length;\n}\n```"
    with FakeLLMServer() as server:
        server.script("/v1/messages", Reply(text=wrong), Reply(text=right))
        llm = replace(LlmSettings(), base_url=server.url, model="claude-sonnet-5-5", typecheck=True)
        result = await LlmPipeline(engine, llm).run("count the words of a title", target, text, 0)
        correction = server.bodies("/v1/messages")[1]["messages"][-1]["content"]
    first, second = result.history
    assert first["cause"] == "type_error" and [f["code"] for f in first["findings"]] == ["FA501"]
    assert "TS2322" in correction and "not assignable to type 'number'" in correction
    assert second["passed"] and result.findings == [] and result.attempts == 2


def _taskboard(tmp_path, monkeypatch):
    if not TOOLCHAIN.is_dir():
        pytest.fail("tests/toolchain is not installed: run `make test` (it runs npm ci there)")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    root = copy_fixture(EXAMPLE, tmp_path)
    (root / "node_modules").symlink_to(TOOLCHAIN)
    return root


async def _generate(root, target, text, *replies):
    engine = FolderEngine(root)
    engine.load()
    with FakeLLMServer() as server:
        server.script("/v1/messages", *[Reply(text=r) for r in replies])
        llm = replace(LlmSettings(), base_url=server.url, model="claude-sonnet-5-5", typecheck=True, max_attempts=1)
        return await LlmPipeline(engine, llm).run(text.strip("/ \n"), target, text, 0)


async def test_the_gate_compiles_the_file_in_its_projects_program(tmp_path, monkeypatch):
    """`Buffer` is a global of @types/node, which TypeScript 7 only has in a program when a file
    brings it in (here express's types do). The project compiles the answer; the file alone
    fails with TS2591 — the gate must judge it as the build does, and keep it."""
    root = _taskboard(tmp_path, monkeypatch)
    target = root / "src" / "lib" / "b64.ts"
    text = "// TODO: base64 of a string\n"
    target.write_text(text)
    answer = '```ts\nexport const b64 = (s: string): string => Buffer.from(s).toString("base64");\n```'
    result = await _generate(root, target, text, answer)
    (only,) = result.history
    assert only["findings"] == [] and only.get("typecheck") == "passed", only
    assert result.findings == [] and "Buffer.from" in result.code


async def test_a_type_check_that_cannot_run_is_no_pass(tmp_path, monkeypatch):
    """With an option the installed TypeScript removed (TS5102: baseUrl, in 7), tsc stops on the
    tsconfig and checks no file: the wrong answer's TS2322 is never seen. That is said — in the
    attempt's provenance, the title, and as FA502 from `check --typecheck` — never a pass."""
    root = _taskboard(tmp_path, monkeypatch)
    config = root / "tsconfig.json"
    config.write_text(config.read_text().replace('"strict": true,', '"strict": true,\n    "baseUrl": ".",'))
    target = root / "src" / "lib" / "slug.ts"
    text = "// TODO: count the words of a title\n"
    target.write_text(text)
    wrong = "```ts\nexport function wordCount(title: string): number {\n  return title.split(/\\s+/).length.toString();\n}\n```"
    result = await _generate(root, target, text, wrong)
    (only,) = result.history
    assert only["findings"] == [] and "TS5102" in (only.get("typecheck") or ""), only  # no FA501: nothing checked
    assert only["typecheck"].startswith("not run: ")
    assert "not type-checked" in result.title and "TS5102" in result.title

    from freeagent.validate.typecheck import TypeCheck

    engine = FolderEngine(root)
    engine.load()
    (finding,) = TypeCheck(engine.context).run(target, result.code)
    assert finding.code == "FA502" and "tsconfig.json" in finding.message and "baseUrl" in finding.message
    config.write_text(config.read_text().replace('    "baseUrl": ".",\n', ""))
    engine.file_changed(config)
    (finding,) = TypeCheck(engine.context).run(target, result.code)
    assert finding.code == "FA501" and "TS2322" in finding.message  # with the tsconfig mended, the error shows
