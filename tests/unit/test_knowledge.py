"""The knowledge base end to end (issue 17): a scripted model on a fake Anthropic server answers
right only when the prompt carries what the project learned — an earlier accepted pattern, or a
pitfall the checks caught — through the real pipeline, prompt builder and store; a pattern whose
import is gone, and a fact that is no longer true, are not offered."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from freeagent.config import LlmSettings
from freeagent.engine import FolderEngine
from freeagent.generate.llm import LlmPipeline
from freeagent.learn.knowledge import role_of, task_words
from tests.fakes.llm_server import FakeLLMServer, Reply
from tests.helpers import EXAMPLE, copy_fixture

HTTP = """\
export class ApiFailure extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

export async function apiFetch<T>(path: string): Promise<T> {
  const response = await fetch(`/api${path}`);
  if (!response.ok) throw new ApiFailure(response.status);
  return (await response.json()) as T;
}
"""

PROJECTS = """\
import { apiFetch } from '../lib/http.js';

export async function listProjectNames(): Promise<string[]> {
  const projects = await apiFetch<Array<{ name: string }>>('/projects');
  return projects.map((p) => p.name);
}
"""
TASKS = """\
import { apiFetch } from '../lib/http.js';

export async function listTaskTitles(): Promise<string[]> {
  const tasks = await apiFetch<Array<{ title: string }>>('/tasks');
  return tasks.map((t) => t.title);
}
"""
WRONG = """\
import axios from 'axios';

export async function listTaskTitles(): Promise<string[]> {
  const { data } = await axios.get<Array<{ title: string }>>('/api/tasks');
  return data.map((t) => t.title);
}
"""


def fence(code: str) -> str:
    return f"```ts\n{code}```"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    root = copy_fixture(EXAMPLE, tmp_path)
    (root / ".freeagent.json").write_text(json.dumps({"store": {"path": "outcomes.db"}}))
    (root / "src" / "lib" / "http.ts").write_text(HTTP)
    (root / "src" / "api" / "projects.ts").write_text("// TODO: list the names of all projects\n")
    (root / "src" / "api" / "tasks.ts").write_text("// TODO: list the titles of all tasks\n")
    engine = FolderEngine(root)
    engine.load()
    with FakeLLMServer() as server:
        yield engine, server


async def generate(engine, server, rel: str, task: str):
    llm = replace(LlmSettings(), provider="anthropic", model="claude-sonnet-5-5", base_url=server.url, typecheck=False)
    path = engine.root / rel
    result = await LlmPipeline(engine, llm).run(task, path, path.read_text(), 0)
    return result, server.bodies("/v1/messages")[-1]["messages"][0]["content"]


def accept(engine, result, task: str) -> str:
    """What the editor and git do to a generation the user keeps: applied, then committed whole."""
    gid = engine.record(result, task, "editor", "applied", result.code.splitlines())
    engine.outcomes.add_survival(gid, "commit", 1.0)
    return gid


async def test_an_accepted_pattern_guides_the_next_similar_task_and_a_stale_one_does_not(project):
    engine, server = project

    def model(path, body):  # right only when the earlier accepted pattern is in the prompt
        prompt = body["messages"][0]["content"]
        if "list the names of all projects" in body["messages"][0]["content"].split("## Task", 1)[1][:80]:
            return Reply(text=fence(PROJECTS))  # the first task: the model happens to get it right
        return Reply(text=fence(TASKS if "### list the names of all projects" in prompt else WRONG))

    server.respond_with(model)
    first, prompt = await generate(engine, server, "src/api/projects.ts", "list the names of all projects")
    assert first.findings == [] and "What worked in this project before" not in prompt  # nothing learned yet
    gid = accept(engine, first, "list the names of all projects")

    second, prompt = await generate(engine, server, "src/api/tasks.ts", "list the titles of all tasks")
    assert "## What worked in this project before" in prompt and "apiFetch<Array<{ name: string }>>" in prompt
    assert second.attempts == 1 and second.findings == [] and "apiFetch" in second.code
    assert second.knowledge == [f"pattern:{gid}"]  # provenance: which pattern the prompt carried
    sid = engine.record(second, "list the titles of all tasks", "editor")
    assert engine.outcomes.get(sid).knowledge == [f"pattern:{gid}"]

    # the helper the pattern imports is renamed: the pattern is stale, not offered, and counted
    (engine.root / "src" / "lib" / "http.ts").write_text(HTTP.replace("apiFetch", "requestJson"))
    engine.file_changed(engine.root / "src" / "lib" / "http.ts")
    (engine.root / "src" / "api" / "tasks.ts").write_text("// TODO: list the titles of all tasks\n")
    third, prompt = await generate(engine, server, "src/api/tasks.ts", "list the titles of all tasks")
    assert "What worked in this project before" not in prompt
    assert third.findings and third.knowledge == []  # without the pattern the model invents axios again
    assert engine.outcomes.get(gid).code and _misses(engine, gid) == 1


def _misses(engine, gid: str) -> int:
    import sqlite3

    conn = sqlite3.connect(engine.outcomes.path)
    return conn.execute("SELECT pattern_misses FROM generations WHERE id = ?", (gid,)).fetchone()[0]


async def test_a_caught_pitfall_is_named_to_the_model_until_it_is_no_longer_true(project):
    engine, server = project

    def model(path, body):  # right only when the prompt warns that axios is not installed here
        prompt = body["messages"][0]["content"]
        warned = "## Known pitfalls here" in prompt and "`axios` is not a dependency of this project" in prompt
        correction = len(body["messages"]) > 1
        return Reply(text=fence(TASKS if warned or correction else WRONG))

    server.respond_with(model)
    first, prompt = await generate(engine, server, "src/api/tasks.ts", "list the titles of all tasks")
    assert first.attempts == 2 and "Known pitfalls here" not in prompt  # caught by FA101, fixed on retry
    engine.record(first, "list the titles of all tasks", "editor")
    facts = engine.outcomes.facts(str(engine.root))
    assert {(f.kind, f.subject, f.model) for f in facts} == {
        ("not_installed", "axios", ""),
        ("not_installed", "axios", "claude-sonnet-5-5"),  # the model's own pitfall
    }
    second, prompt = await generate(engine, server, "src/api/tasks.ts", "list the titles of all tasks")
    assert second.attempts == 1 and second.findings == []
    assert "claude-sonnet-5-5 has made this mistake here: `axios` is not a dependency" in prompt
    assert sorted(second.knowledge) == sorted(f"fact:{f.id}" for f in facts)
    # the project adds axios: the fact is no longer true, so it is dropped, not repeated
    manifest = json.loads((engine.root / "package.json").read_text())
    manifest["dependencies"]["axios"] = "^1.7.0"
    (engine.root / "package.json").write_text(json.dumps(manifest))
    engine.file_changed(engine.root / "package.json")
    _, prompt = await generate(engine, server, "src/api/tasks.ts", "list the titles of all tasks")
    assert "Known pitfalls here" not in prompt and engine.outcomes.facts(str(engine.root)) == []


@pytest.mark.parametrize(
    "rel, role",
    [
        ("src/routes/tasks.ts", "route"),
        ("src/api/client.ts", "client"),
        ("src/api/projects.ts", "route"),
        ("src/lib/http.ts", "service"),
        ("src/hooks/useTasks.ts", "hook"),
        ("tests/test_tasks.py", "test"),
        ("src/app/page.tsx", "component"),
    ],
)
def test_file_roles(rel, role):
    assert role_of(rel) == role


def test_task_words_split_names_and_drop_filler():
    assert task_words("Add a listTaskTitles function for the API") == ["list", "task", "titles", "api"]


async def test_kb_and_stats_commands(project, tmp_path):
    from click.testing import CliRunner

    from freeagent.cli import cli

    engine, server = project
    server.respond_with(
        lambda path, body: Reply(text=fence(TASKS if len(body["messages"]) > 1 else WRONG), input_tokens=1000)
    )
    result, _ = await generate(engine, server, "src/api/tasks.ts", "list the titles of all tasks")
    gid = accept(engine, result, "list the titles of all tasks")  # one hallucination, fixed, applied, kept
    engine.outcomes.close()
    runner = CliRunner()
    ws = ["--workspace", str(engine.root)]
    listed = json.loads(runner.invoke(cli, ["kb", "list", "--json", *ws]).stdout)
    assert [p["id"] for p in listed["patterns"]] == [gid]
    assert {(f["kind"], f["subject"], f["model"]) for f in listed["facts"]} == {
        ("not_installed", "axios", None),
        ("not_installed", "axios", "claude-sonnet-5-5"),
    }
    shown = json.loads(runner.invoke(cli, ["kb", "show", gid[:8], *ws]).stdout)
    assert "apiFetch" in shown["code"]
    figures = json.loads(runner.invoke(cli, ["stats", "--json", *ws]).stdout)
    total = figures["total"]
    assert (total["generations"], total["applied"], total["successes"], total["hallucination_rate"]) == (1, 1, 1, 1.0)
    assert figures["by_strategy"][0]["model"] == "claude-sonnet-5-5" and len(figures["by_week"]) == 1
    report = tmp_path / "stats.html"
    text = runner.invoke(cli, ["stats", "--report", str(report), *ws])
    assert text.exit_code == 0 and "llm claude-sonnet-5-5" in text.output
    assert "Week by week" in report.read_text() and "<script" in report.read_text()
    assert runner.invoke(cli, ["stats", "--since", "not-a-date", *ws]).exit_code == 2
    forgot = runner.invoke(cli, ["kb", "forget", "--all", *ws])
    assert forgot.exit_code == 0 and "forgot 1 patterns and 2 facts" in forgot.output
    assert json.loads(runner.invoke(cli, ["kb", "export", *ws]).stdout) == {"patterns": [], "facts": []}
    assert json.loads(runner.invoke(cli, ["store", "list", "--json", *ws]).stdout)[0]["id"] == gid  # the record stays
