import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from freeagent import __version__
from freeagent.cli import cli as main
from tests.helpers import EXAMPLE, FIXTURES, copy_fixture


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", [[], ["serve"], ["context"]])
def test_help_on_every_command(command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and "usage:" in result.output.lower()


def test_console_script_serve_help_skips_click():
    code = "import sys; from freeagent.__main__ import main\ntry:\n    main(['serve', '--help'])\nexcept SystemExit: pass\nprint('click' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "--tcp" in out and out.strip().endswith("False")


def test_a_check_loads_only_what_the_workspace_needs(tmp_path):
    """Spec parsers (PyYAML, rapidyaml), rapidfuzz and the Python grammar cost start-up time:
    a clean check of a TypeScript project with no specs and no HTTP calls imports none of them;
    one with a fetch() call loads the specs, one with a typo gets its suggestion."""
    (tmp_path / "package.json").write_text('{"name": "app", "private": true}')
    (tmp_path / "src").mkdir()
    (tmp_path / "src/b.ts").write_text("export const b = 1;\n")
    (tmp_path / "src/a.ts").write_text("import { b } from './b';\nexport const a = b;\n")
    probe = (
        "import sys\nfrom freeagent.__main__ import main\ntry:\n    main(['check', '--no-cache', '-j', '1'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('yaml', 'ryml', 'rapidfuzz', 'tree_sitter_python', 'freeagent.specs.registry') "
        "if m in sys.modules))"
    )

    def loaded() -> str:
        proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        return proc.stdout.strip().splitlines()[-1]

    assert loaded() == "[]"
    (tmp_path / "src/a.ts").write_text("import { bb } from './b';\nexport const a = bb;\n")
    assert loaded() == "['rapidfuzz']"  # "did you mean 'b'?"
    (tmp_path / "src/a.ts").write_text("import { b } from './b';\nexport const a = () => fetch('/pets');\n")
    assert loaded() == "['freeagent.specs.registry', 'ryml', 'yaml']"


@pytest.mark.parametrize(
    "fixture, facts",
    [
        pytest.param("express-zod-api", ["express@^4.19.2", "validation: **zod**"], id="express"),
        pytest.param("nextjs-app", ["next@14.2.5", "semicolons: **never**"], id="next"),
        pytest.param("pnpm-monorepo", ["Monorepo (pnpm workspaces", "@acme/shared"], id="monorepo"),
        pytest.param("fastapi-service", ["## Python dependencies", "http_framework: **fastapi**"], id="fastapi"),
    ],
)
def test_context_markdown(fixture, facts):
    result = run("context", str(FIXTURES / fixture))
    assert result.exit_code == 0
    for fact in facts:
        assert fact in result.output


def test_context_json_and_problems_on_stderr():
    result = CliRunner().invoke(main, ["context", str(FIXTURES / "broken-config"), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {p["code"] for p in data["problems"]} == {"FA001", "FA002"}
    assert "tsconfig.json:6:5: error FA002" in result.stderr


def test_context_on_missing_folder_is_usage_error():
    result = run("context", "/nonexistent/folder")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_bundled_example_brief():
    result = run("context", str(EXAMPLE))
    assert result.exit_code == 0 and "# Project brief: taskboard" in result.output


def test_serve_answers_initialize_over_tcp(tmp_path):
    """`freeagent serve --tcp` listens and speaks LSP (the socket transport other clients use)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "freeagent", "serve", "--tcp", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        import time

        deadline = time.monotonic() + 15
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": None, "capabilities": {}},
            }
        ).encode()
        conn.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        data = b""
        while b'"serverInfo"' not in data:
            chunk = conn.recv(65536)
            assert chunk, "server closed the connection"
            data += chunk
        assert b'"name": "freeagent"' in data or b'"name":"freeagent"' in data
        conn.close()
    finally:
        proc.kill()
        proc.wait()


def test_specs_lists_the_bundled_operations_as_json():
    result = CliRunner().invoke(main, ["specs", str(EXAMPLE), "--json", "--no-validate"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) >= 30
    assert {"id", "method", "path", "summary", "source"} <= set(rows[0])
    assert any(r["id"] == "listComments" and r["path"] == "/tasks/{taskId}/comments" for r in rows)


def test_generate_json_contract_and_write(tmp_path):
    ws = copy_fixture(EXAMPLE, tmp_path)
    (ws / "src/auth.ts").unlink()  # the example has its credential checks; a new project does not
    target = ws / "src/routes/tasks.ts"
    before = target.read_text()
    result = CliRunner().invoke(
        main, ["generate", "list comments for a task", "--workspace", str(ws), "--file", str(target), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("code", "edits", "source", "operation", "model", "attempts", "cost_usd", "seconds", "findings"):
        assert key in data
    assert data["source"] == "spec" and data["operation"] == "listComments" and data["model"] is None
    assert data["attempts"] == 1 and data["cost_usd"] == 0.0 and data["findings"] == []
    # listComments is secured: its handler checks credentials through src/auth.ts, created once
    assert list(data["edits"]) == ["src/routes/tasks.ts", "src/auth.ts"] and data["creates"] == ["src/auth.ts"]
    assert target.read_text() == before and not (ws / "src/auth.ts").exists()  # --json alone writes nothing
    result = CliRunner().invoke(
        main, ["generate", "list comments for a task", "--workspace", str(ws), "--file", str(target), "--write"]
    )
    assert result.exit_code == 0
    assert "TODO: list comments" not in target.read_text() and "listCommentsImpl" in target.read_text()
    assert "export async function verifyBearer" in (ws / "src/auth.ts").read_text()
    assert "created src/auth.ts" in result.stderr
    # a second handler reuses the module; a module that appeared meanwhile is never overwritten
    again = ws / "src/routes/more.ts"
    again.write_text(
        "import { Router } from 'express';\n\nexport const router = Router();\n// TODO: create a comment\n"
    )
    args = ["generate", "create a comment", "--workspace", str(ws), "--file", str(again), "--json"]
    data = json.loads(CliRunner().invoke(main, args).stdout)
    assert data["creates"] == [] and "from '../auth.js'" in data["code"] + json.dumps(data["edits"])


def test_generate_by_operation_and_uncovered_task(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    result = CliRunner().invoke(
        main, ["generate", "--workspace", str(EXAMPLE), "--operation", "GET /tasks/{taskId}", "--target", "types"]
    )
    assert result.exit_code == 0 and "GetTaskParams" in result.stdout
    result = CliRunner().invoke(
        main, ["generate", "compute fibonacci numbers", "--workspace", str(EXAMPLE), "--strategy", "spec"]
    )
    assert result.exit_code == 1 and "no spec operation covers" in result.stderr
    # auto: no spec covers it, so a model would; without a key the message says which variable to set
    result = CliRunner().invoke(main, ["generate", "compute fibonacci numbers", "--workspace", str(EXAMPLE)])
    assert result.exit_code == 1 and "ANTHROPIC_API_KEY" in result.stderr
    result = CliRunner().invoke(main, ["generate", "--workspace", str(EXAMPLE), "--operation", "nope"])
    assert result.exit_code == 2 and "no operation 'nope'" in result.output


def test_check_exit_codes_and_json_contract(tmp_path):
    ws = copy_fixture("express-zod-api", tmp_path, "api")
    clean = CliRunner().invoke(main, ["check", "--workspace", str(ws)])
    assert clean.exit_code == 0 and "0 findings" in clean.stderr
    (ws / "src/bad.ts").write_text("import _ from 'lodash';\nimport { x } from './nope.js';\n")
    result = CliRunner().invoke(main, ["check", str(ws / "src"), "--workspace", str(ws), "--format", "json"])
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [(f["file"], f["line"], f["column"], f["code"]) for f in findings] == [
        ("src/bad.ts", 1, 15, "FA101"),
        ("src/bad.ts", 2, 19, "FA104"),
    ]
    for key in ("end_line", "end_column", "severity", "message", "source", "fixes"):
        assert key in findings[0]
    assert findings[0]["source"] == "freeagent" and findings[0]["severity"] == "error"
    outside = CliRunner().invoke(main, ["check", str(tmp_path), "--workspace", str(ws)])
    assert outside.exit_code == 2


def test_a_check_process_prints_all_its_output_and_keeps_its_exit_status(tmp_path):
    """The console script ends with os._exit (no heap teardown): what it printed — more than a
    pipe holds — must all arrive, and the status must be the command's."""
    ws = copy_fixture("express-zod-api", tmp_path, "api")
    for n in range(150):
        (ws / f"src/bad{n}.ts").write_text("import _ from 'lodash';\nimport { x } from './nope.js';\n")
    command = [sys.executable, "-m", "freeagent", "check", "--no-cache", "--format", "json"]
    proc = subprocess.run(command, cwd=ws, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert len(proc.stdout) > 65536  # more than one pipe buffer
    assert len(json.loads(proc.stdout)) == 300
    usage = subprocess.run([sys.executable, "-m", "freeagent", "nosuch"], capture_output=True, text=True)
    assert usage.returncode == 2 and "No such command" in usage.stderr
    clean = subprocess.run(command[:-2], cwd=copy_fixture("express-zod-api", tmp_path, "clean"), capture_output=True)
    assert clean.returncode == 0


def test_check_sarif(tmp_path):
    ws = copy_fixture("express-zod-api", tmp_path, "api")
    (ws / "src/bad.ts").write_text("import _ from 'lodash';\n")
    result = CliRunner().invoke(main, ["check", "--workspace", str(ws), "--format", "sarif"])
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    (res,) = run["results"]
    rules = run["tool"]["driver"]["rules"]
    assert res["ruleId"] == "FA101" and rules[res["ruleIndex"]]["id"] == "FA101" and res["level"] == "error"
    assert rules[res["ruleIndex"]]["helpUri"].endswith("docs/diagnostics.md#fa101")
    location = res["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/bad.ts", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 1 and location["region"]["startColumn"] == 15


def test_generate_with_a_model_through_the_real_sdk(tmp_path, monkeypatch):
    from tests.fakes.llm_server import FakeLLMServer, Reply

    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    ws = copy_fixture(EXAMPLE, tmp_path)
    target = ws / "src" / "lib" / "slug.ts"
    target.write_text("// TODO: slugify a task title\n")
    code = "export function slugify(title: string): string {\n  return title.toLowerCase().replace(/\\s+/g, '-');\n}"
    with FakeLLMServer() as server:
        server.script(
            "/v1/chat/completions",
            Reply(text=f"```ts\nimport _ from 'lodash';\n{code}\n```"),
            Reply(text=f"```ts\n{code}\n```", input_tokens=2000, output_tokens=50),
        )
        result = CliRunner().invoke(
            main,
            [
                "generate",
                "slugify a task title",
                "--workspace",
                str(ws),
                "--file",
                str(target),
                "--strategy",
                "llm",
                "--provider",
                "openai",
                "--model",
                "gpt-4o",
                "--base-url",
                server.url + "/v1",
                "--json",
                "--write",
            ],
        )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"] == "llm" and data["model"] == "gpt-4o" and data["attempts"] == 2 and data["findings"] == []
    assert [h["cause"] for h in data["history"]] == ["hallucinated_package", None]
    assert data["cost_usd"] == pytest.approx((100 * 2.5 + 20 * 10 + 2000 * 2.5 + 50 * 10) / 1e6)
    assert data["seconds"] > 0 and data["prompt_tokens"] > 0
    assert target.read_text().startswith("export function slugify(title: string): string {")


def _age(root, seconds: float = 3600) -> None:
    """Every file and folder under ``root`` as if written an hour ago (not "racily" new)."""
    import os
    import time

    past = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)


def test_a_python_install_means_a_real_check(tmp_path, monkeypatch):
    """FA105 reads the workspace's .venv: an install into it must not be answered by a replay."""
    import freeagent.cli as cli_module

    ws = tmp_path / "svc"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(ws / ".venv")], check=True)
    (ws / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1"\ndependencies = []\n')
    (ws / "app.py").write_text("import foobar\n")
    cache = tmp_path / "cache"
    args = ["check", "--workspace", str(ws), "--format", "json", "--cache-location", str(cache)]
    calls = []
    real_check = cli_module._check
    monkeypatch.setattr(cli_module, "_check", lambda *a, **k: calls.append(1) or real_check(*a, **k))
    _age(ws)
    first = CliRunner().invoke(main, args)
    assert CliRunner().invoke(main, args).stdout == first.stdout and len(calls) == 1  # replayed
    assert "nor installed in .venv" in first.stdout
    (site,) = (ws / ".venv" / "lib").glob("python3*/site-packages")
    info = site / "foobar-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: foobar\nVersion: 1.0\n")
    (info / "RECORD").write_text("foobar/__init__.py,,\n")
    installed = CliRunner().invoke(main, args)
    assert len(calls) == 2 and "installed in .venv (foobar 1.0) but not declared" in installed.stdout


def test_check_replays_the_last_result_while_nothing_it_read_changed(tmp_path, monkeypatch):
    """A second `check` of an unchanged workspace prints the stored output without checking
    (0.12 s instead of 2.3 s on excalidraw); a new file, an edit, an install, a freshly written
    file or --no-cache each mean a real check."""
    import freeagent.cli as cli_module

    ws = copy_fixture("express-zod-api", tmp_path, "api")
    (ws / "node_modules" / "zod").mkdir(parents=True)
    cache = tmp_path / "cache"
    args = ["check", "--workspace", str(ws), "--format", "json", "--cache-location", str(cache)]
    real_check = cli_module._check
    calls = []

    def counting(*a, **k):
        calls.append(1)
        return real_check(*a, **k)

    monkeypatch.setattr(cli_module, "_check", counting)
    fresh = CliRunner().invoke(main, args)  # files written just now: racy, so stored untrusted
    again = CliRunner().invoke(main, args)
    assert len(calls) == 2 and again.stdout == fresh.stdout
    _age(ws)
    first = CliRunner().invoke(main, args)
    replay = CliRunner().invoke(main, args)
    assert len(calls) == 3 and replay.stdout == first.stdout and replay.exit_code == first.exit_code == 0
    (ws / "src" / "bad.ts").write_text("import _ from 'lodash';\n")  # a new file: its folder changed
    added = CliRunner().invoke(main, args)
    assert len(calls) == 4 and added.exit_code == 1 and '"FA101"' in added.stdout
    _age(ws)
    CliRunner().invoke(main, args)
    (ws / "node_modules" / "lodash").mkdir()  # an install: node_modules changed
    (ws / "node_modules" / "lodash" / "package.json").write_text('{"name": "lodash", "version": "4.17.21"}')
    installed = CliRunner().invoke(main, args)
    assert len(calls) == 6 and "installed but not declared" in installed.stdout
    record = ws / "node_modules" / ".package-lock.json"
    record.write_text("{}")
    _age(ws)
    CliRunner().invoke(main, args)
    calls_before = len(calls)
    CliRunner().invoke(main, args)
    assert len(calls) == calls_before  # replayed
    record.write_text('{"packages": {}}')  # npm rewrote its record: an install in place (folder unchanged)
    CliRunner().invoke(main, args)
    assert len(calls) == calls_before + 1
    CliRunner().invoke(main, [*args[:-2], "--no-cache"])
    CliRunner().invoke(main, [*args[:-2], "--no-cache"])
    assert len(calls) == calls_before + 3
