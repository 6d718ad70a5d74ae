"""The outcome store (issue 17, step 1): numbered migrations, every generation recorded with its
attempts from the CLI and the LLM pipeline, outcomes and votes, nothing secret on disk, and a
store that cannot be opened never stops a generation."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import replace

import pytest
from click.testing import CliRunner

from freeagent.cli import cli
from freeagent.config import LlmSettings
from freeagent.engine import FolderEngine
from freeagent.generate.llm import LlmPipeline
from freeagent.store import GenerationRecord, SqliteStore, StoreError, store_path
from freeagent.store.migrations import MIGRATIONS, migrate
from freeagent.store.records import AttemptRecord
from tests.fakes.llm_server import FakeLLMServer, Reply
from tests.helpers import EXAMPLE, copy_fixture


def test_migrations_are_numbered_one_by_one_and_applied_once(tmp_path):
    assert [number for number, _, _ in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    conn = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    assert migrate(conn) == [n for n, _, _ in MIGRATIONS]
    assert migrate(conn) == []  # a second open applies nothing
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"generations", "attempts", "survival", "feedback", "_migrations"} <= tables


def test_a_store_of_a_newer_version_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "s.db"
    SqliteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _migrations VALUES (999, 'from the future', 0)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=r"s\.db.*newer Free Agent \(migration 999"):
        SqliteStore(path)


def test_a_generation_its_attempts_outcome_survival_and_votes(tmp_path):
    store = SqliteStore(tmp_path / "s.db")
    rec = GenerationRecord(
        workspace="/w",
        task="slugify a title",
        strategy="llm",
        code="export const x = 1;\n",
        file="src/slug.ts",
        provider="anthropic",
        model="claude-sonnet-5-5",
        prompt_tokens=900,
        prompt_sections={"task": 20, "file": 300},
        cost_usd=0.0021,
        seconds=1.5,
        attempts=[
            AttemptRecord(
                1,
                "anthropic",
                "claude-sonnet-5-5",
                "h1",
                "import x from 'lodash'",
                [{"code": "FA101"}],
                "hallucinated_package",
            ),
            AttemptRecord(2, "anthropic", "claude-sonnet-5-5", "h2", "export const x = 1;"),
        ],
    )
    gid = store.record(rec)
    assert store.set_outcome(gid, "applied", ["export const x = 1;"])
    assert store.add_survival(gid, "save", 1.0) and store.add_feedback(gid, "up", "exactly right")
    assert not store.add_feedback("nope", "up") and not store.set_outcome("nope", "rejected")
    again = store.get(gid[:8])  # a unique prefix will do
    assert again is not None and again.id == gid
    assert (again.outcome, again.inserted_lines, again.prompt_sections) == (
        "applied",
        ["export const x = 1;"],
        rec.prompt_sections,
    )
    assert [(a.number, a.cause) for a in again.attempts] == [(1, "hallucinated_package"), (2, None)]
    assert [(e, s) for _, e, s in again.survival] == [("save", 1.0)] and again.feedback[0][1:] == (
        "up",
        "exactly right",
    )
    with pytest.raises(ValueError):
        store.set_outcome(gid, "maybe")
    assert store.forget(gid) == 1 and store.get(gid) is None
    rows = sqlite3.connect(tmp_path / "s.db").execute("SELECT count(*) FROM attempts").fetchone()
    assert rows == (0,)  # the attempts went with it


def test_the_store_lives_outside_the_workspace_unless_told(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    root = tmp_path / "proj"
    root.mkdir()
    default = store_path(root)
    assert default.is_relative_to(tmp_path / "data" / "freeagent" / "stores") and not default.is_relative_to(root)
    assert store_path(root, "var/outcomes.db") == root / "var" / "outcomes.db"
    assert store_path(tmp_path / "other" / "proj") != default  # one store per workspace


def test_the_cli_records_what_it_generates_and_what_was_written(tmp_path):
    root = copy_fixture(EXAMPLE, tmp_path)
    (root / ".freeagent.json").write_text(json.dumps({"store": {"path": ".fa/outcomes.db"}}))
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "generate",
            "list comments for a task",
            "--workspace",
            str(root),
            "--file",
            str(root / "src/routes/tasks.ts"),
            "--write",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    generated = json.loads(result.stdout)
    store = SqliteStore(root / ".fa" / "outcomes.db")
    rec = store.get(generated["id"])
    assert rec is not None and (rec.strategy, rec.operation, rec.outcome, rec.surface) == (
        "spec",
        "listComments",
        "applied",
        "cli",
    )
    assert rec.file == "src/routes/tasks.ts" and rec.code == generated["code"] and rec.passed
    assert rec.inserted_lines and all(line in (root / "src/routes/tasks.ts").read_text() for line in rec.inserted_lines)
    voted = runner.invoke(
        cli, ["feedback", generated["id"][:10], "down", "--note", "wrong status", "--workspace", str(root)]
    )
    assert voted.exit_code == 0, voted.output
    assert store.get(generated["id"]).feedback[0][1:] == ("down", "wrong status")
    listed = json.loads(runner.invoke(cli, ["store", "list", "--json", "--workspace", str(root)]).stdout)
    assert [r["id"] for r in listed] == [generated["id"]]
    gone = runner.invoke(cli, ["store", "forget", "--all", "--workspace", str(root)])
    assert gone.exit_code == 0 and "1 generations deleted" in gone.output and store.count() == 0
    (root / ".freeagent.json").write_text(json.dumps({"store": {"enabled": False, "path": ".fa/outcomes.db"}}))
    runner.invoke(cli, ["generate", "list comments for a task", "--workspace", str(root), "--json"])
    assert store.count() == 0  # turned off: nothing recorded
    off = runner.invoke(cli, ["store", "list", "--workspace", str(root)])
    assert off.exit_code == 1 and "store.enabled: false" in off.output


def test_a_store_that_cannot_be_opened_never_stops_a_generation(tmp_path, caplog):
    root = copy_fixture(EXAMPLE, tmp_path)
    (root / "blocked").write_text("a file where the store's folder should be")
    (root / ".freeagent.json").write_text(json.dumps({"store": {"path": "blocked/outcomes.db"}}))
    with caplog.at_level(logging.WARNING):
        result = CliRunner().invoke(cli, ["generate", "list comments for a task", "--workspace", str(root), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["id"] is None and json.loads(result.stdout)["code"]
    assert any("blocked/outcomes.db cannot be opened" in r.getMessage() for r in caplog.records)


AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
TOKEN = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"


async def test_nothing_secret_reaches_the_store_file(tmp_path, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key-0123456789abcdef")
    root = copy_fixture(EXAMPLE, tmp_path)
    (root / ".freeagent.json").write_text(json.dumps({"store": {"path": "outcomes.db"}}))
    target = root / "src" / "lib" / "slug.ts"
    # the file the prompt quotes holds a secret; the model's answer echoes another
    target.write_text(f"const AWS_KEY = '{AWS_KEY}';\n\n// TODO: slugify a task title for URLs\n")
    answer = (
        "```ts\nconst GITHUB_TOKEN = '" + TOKEN + "';\n"
        "export function slugify(title: string): string {\n  return title.toLowerCase();\n}\n```"
    )
    engine = FolderEngine(root)
    engine.load()
    with FakeLLMServer() as server:
        server.script("/v1/messages", Reply(text=answer, input_tokens=100, output_tokens=50))
        llm = replace(LlmSettings(), provider="anthropic", base_url=server.url, typecheck=False, max_attempts=1)
        text = target.read_text()
        result = await LlmPipeline(engine, llm).run("slugify a task title for URLs", target, text, 2)
        assert TOKEN in result.history[0]["answer"]  # what the model said, before the store
    gid = engine.record(result, "slugify a task title for URLs", "editor")
    engine.outcomes.close()
    assert gid is not None
    data = b"".join(p.read_bytes() for p in root.glob("outcomes.db*"))
    assert TOKEN.encode() not in data and AWS_KEY.encode() not in data
    assert b"sk-ant-test-key-0123456789abcdef" not in data
    store = SqliteStore(root / "outcomes.db")
    rec = store.get(gid)
    assert rec.attempts[0].answer and "«secret»" in rec.attempts[0].answer and rec.attempts[0].prompt_hash
    assert "slugify" in rec.code and rec.model and rec.prompt_sections


def test_the_store_is_reopened_when_its_settings_change(tmp_path):
    root = copy_fixture(EXAMPLE, tmp_path)
    engine = FolderEngine(root)
    first = engine.outcomes
    assert first is not None and first.path == store_path(root)
    engine.settings.store.path = "elsewhere.db"
    assert engine.outcomes.path == root / "elsewhere.db"
    engine.settings.store.enabled = False
    assert engine.outcomes is None


def test_a_store_of_an_earlier_version_is_migrated_and_keeps_its_rows(tmp_path):
    from freeagent.store.migrations import _statements

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE _migrations (number INTEGER PRIMARY KEY, name TEXT, applied REAL)")
    number, name, sql = MIGRATIONS[0]
    for statement in _statements(sql):  # the store as the first version wrote it
        conn.execute(statement)
    conn.execute("INSERT INTO _migrations VALUES (?, ?, 0)", (number, name))
    conn.execute(
        "INSERT INTO generations (id, created, workspace, task, strategy, surface, code, passed, findings, seconds)"
        " VALUES ('old1', 1, '/w', 'an old task', 'spec', 'cli', 'x', 1, '[]', 0)"
    )
    conn.close()
    store = SqliteStore(path)
    rec = store.get("old1")
    assert rec is not None and rec.task == "an old task" and rec.applied_on is None
    assert store.set_outcome("old1", "applied", ["x"], applied_on="abc123") and store.get("old1").applied_on == "abc123"
