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
