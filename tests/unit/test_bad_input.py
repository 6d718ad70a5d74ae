"""Misuse never ends in a traceback, and nothing is read as the workspace's or written outside it.

Every command is driven with bad values — paths outside the workspace (relative to another
directory, `..`, a symlink pointing out), directories where a file is expected, missing, binary
and non-UTF-8 files, unknown operations, malformed suites — and must answer with a one-line
error and exit 2 (bad usage), leaving every file outside the workspace untouched. Paths are
resolved relative to the current directory, as git, eslint and tsc resolve theirs. Also: a
1 KB "billion laughs" YAML named like an OpenAPI document is refused quickly instead of being
expanded.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from freeagent.cli import cli
from tests.helpers import EXAMPLE, copy_fixture


@pytest.fixture
def ws(tmp_path) -> Path:
    root = copy_fixture(EXAMPLE, tmp_path)
    (tmp_path / "outside.ts").write_text("// TODO: list comments for a task\n")
    (root / "src" / "out.ts").symlink_to(tmp_path / "outside.ts")
    (root / "src" / "binary.ts").write_bytes(b"\x00\x01\x02TODO")
    (root / "src" / "latin1.ts").write_bytes("// TODO: caf\xe9\n".encode("latin-1"))
    (root / "src" / "empty.ts").write_text("")
    return root


def run(args: list[str], cwd: Path) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, args)
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    output = result.output  # stdout and stderr, as a terminal shows them
    assert "Traceback" not in output
    return result.exit_code, output


GEN = ["generate", "list comments for a task", "--operation", "listComments", "--target", "types", "--write"]


@pytest.mark.parametrize(
    "args, cwd, needle",
    [
        pytest.param([*GEN, "--file", "../outside.ts"], ".", "is outside the workspace", id="dotdot"),
        pytest.param(
            [*GEN, "--workspace", "{ws}", "--file", "outside.ts"],
            "..",
            "is outside the workspace",
            id="relative-to-another-cwd",
        ),
        pytest.param([*GEN, "--file", "src/out.ts"], ".", "is outside the workspace", id="symlink-out"),
        pytest.param([*GEN, "--file", "src"], ".", "is a directory", id="directory"),
        pytest.param([*GEN, "--file", "src/binary.ts"], ".", "is a binary file", id="binary"),
        pytest.param([*GEN, "--file", "src/latin1.ts"], ".", "is not UTF-8 text", id="not-utf8"),
        pytest.param(["generate", "x", "--operation", "nope"], ".", "no operation 'nope'", id="unknown-operation"),
        pytest.param(["generate"], ".", "give a TASK or --operation", id="no-task"),
        pytest.param(["generate", "x", "--workspace", "missing"], ".", "does not exist", id="missing-workspace"),
        pytest.param(["generate", "x", "--workspace", "package.json"], ".", "is a file", id="workspace-is-a-file"),
        pytest.param(["check", "../outside.ts"], ".", "is outside the workspace", id="check-outside"),
        pytest.param(["check", "src/out.ts"], ".", "is outside the workspace", id="check-symlink-out"),
        pytest.param(["check", "nope.ts"], ".", "does not exist", id="check-missing"),
        pytest.param(["check", "--jobs", "0"], ".", "--jobs", id="check-jobs"),
        pytest.param(["check", "--format", "xml"], ".", "--format", id="check-format"),
        pytest.param(["context", "nope"], ".", "does not exist", id="context-missing"),
        pytest.param(["specs", "package.json"], ".", "is a file", id="specs-file"),
        pytest.param(["eval", "--suite", "nope"], ".", "does not exist", id="eval-missing-suite"),
        pytest.param(["eval", "--suite", "src"], ".", "no tasks in", id="eval-empty-suite"),
        pytest.param(["eval", "--repeat", "0"], ".", "--repeat", id="eval-repeat"),
    ],
)
def test_misuse_is_a_one_line_usage_error(ws, args, cwd, needle):
    args = [a.replace("{ws}", str(ws)) for a in args]
    before = (ws.parent / "outside.ts").read_text()
    code, output = run(args, ws if cwd == "." else ws.parent)
    assert code == 2, output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and needle in errors[0], output
    assert (ws.parent / "outside.ts").read_text() == before, "nothing is written outside the workspace"


def test_an_empty_target_file_is_fine(ws):
    code, output = run([*GEN, "--file", "src/empty.ts"], ws)
    assert code == 0, output
    assert "export interface" in (ws / "src" / "empty.ts").read_text()


def test_a_suite_whose_task_escapes_its_workspace_is_refused(ws, tmp_path):
    task = tmp_path / "suite" / "escape"
    task.mkdir(parents=True)
    (task / "task.yaml").write_text(
        json.dumps({"workspace": str(ws), "file": "../outside.ts", "checks": {"tsc": True}})
    )
    code, output = run(["eval", "--suite", str(tmp_path / "suite")], ws)
    assert code == 2, output
    assert "'../outside.ts' is not a path inside the task's workspace" in output


def test_the_write_is_whole_and_keeps_the_mode(ws):
    target = ws / "src" / "routes" / "tasks.ts"
    target.chmod(0o640)
    code, output = run([*GEN, "--file", "src/routes/tasks.ts"], ws)
    assert code == 0, output
    assert "TODO: list comments for a task" not in target.read_text()
    assert target.stat().st_mode & 0o777 == 0o640
    assert not list(target.parent.glob(".tasks.ts.*.tmp")), "no temporary file left behind"


BOMB = "\n".join(
    [
        "openapi: 3.0.0",
        "info: {title: bomb, version: '1'}",
        "paths: {}",
        "x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol]",
    ]
    + [f"x-{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
)


@pytest.mark.parametrize(
    "text, needle",
    [
        pytest.param(BOMB, "billion laughs", id="billion-laughs"),
        pytest.param("openapi: 3.0.0\nx: &a [1, *a]\n", "refers to its own anchor", id="recursive-anchor"),
        pytest.param("openapi: 3.0.0\nx: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply", id="deep"),
    ],
)
def test_hostile_yaml_is_refused_quickly(tmp_path, text, needle):
    (tmp_path / "openapi.yaml").write_text(text)
    assert len(BOMB) < 1024
    started = time.perf_counter()
    code, output = run(["check", "--no-cache", "--format", "json"], tmp_path)
    seconds = time.perf_counter() - started
    assert seconds < 10, f"took {seconds:.1f} s"
    findings = json.loads(output[: output.rindex("]") + 1])
    (finding,) = [f for f in findings if f["code"] == "FA010"]
    assert needle in finding["message"] or "not valid YAML" in finding["message"], finding
    assert code == 1


def _spec(ref: str) -> str:
    return "\n".join(
        [
            "openapi: 3.0.3",
            "info: {title: refs, version: '1'}",
            "paths:",
            "  /a:",
            "    get:",
            "      operationId: getA",
            "      responses:",
            "        '200':",
            "          description: ok",
            "          content:",
            f"            application/json: {{schema: {{$ref: '{ref}'}}}}",
            "",
        ]
    )


class _Opens:
    """Records which of ``watched`` (resolved paths) the process opens while active (an audit
    hook sees every open, the schema validator's own included; hooks cannot be removed, so it
    goes inert instead)."""

    def __init__(self, *watched: Path) -> None:
        self.watched = {str(p.resolve()) for p in watched}
        self.seen: list[str] = []
        self.active = True
        import sys

        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple) -> None:
        if self.active and event == "open" and isinstance(args[0], str) and os.path.realpath(args[0]) in self.watched:
            self.seen.append(args[0])


@pytest.mark.parametrize("via", ["dotdot", "symlink"])
def test_a_ref_out_of_the_workspace_is_never_read(tmp_path, via):
    outside = tmp_path / "outside.yaml"
    outside.write_text("Secret: {type: string}\n")
    root = tmp_path / "ws"
    root.mkdir()
    if via == "symlink":
        (root / "shared.yaml").symlink_to(outside)
        ref = "shared.yaml#/Secret"
    else:
        ref = "../outside.yaml#/Secret"
    (root / "openapi.yaml").write_text(_spec(ref))
    opens = _Opens(outside)
    try:
        code, output = run(["check", "--no-cache", "--format", "json"], root)
    finally:
        opens.active = False
    findings = json.loads(output[: output.rindex("]") + 1])
    assert any(f["code"] == "FA012" and "leads outside the workspace" in f["message"] for f in findings), findings
    assert opens.seen == [], "the registry or the schema validator read a file outside the workspace"
    assert code == 1


def test_a_remote_ref_is_never_fetched(tmp_path):
    import http.server
    import threading

    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # the stdlib's name
            requests.append(self.path)
            body = b"type: string\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (tmp_path / "openapi.yaml").write_text(_spec(f"http://127.0.0.1:{server.server_port}/schema.yaml"))
        code, output = run(["check", "--no-cache", "--format", "json"], tmp_path)
    finally:
        server.shutdown()
    assert code == 1
    findings = json.loads(output[: output.rindex("]") + 1])
    assert any(f["code"] == "FA012" and "remote $ref" in f["message"] for f in findings), findings
    assert requests == [], "the schema validator fetched a remote $ref"


def _as_unprivileged() -> list[str]:
    """A command prefix under which file permissions hold: none for a normal user; for root (CI),
    setpriv without the capabilities that let root read any file."""
    if os.geteuid() != 0:
        return []
    import shutil

    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("setpriv (util-linux) is needed to meet an unreadable file as root; make debian-packages")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([*GEN, "--file", "src/locked.ts"], id="generate-file"),
        pytest.param(["check", "src/locked.ts"], id="check-path"),
    ],
)
def test_an_unreadable_file_is_a_one_line_error(ws, args):
    import subprocess
    import sys

    locked = ws / "src" / "locked.ts"
    locked.write_text("// TODO: list comments for a task\n")
    locked.chmod(0)
    command = [*_as_unprivileged(), sys.executable, "-m", "freeagent", *args]
    done = subprocess.run(command, cwd=ws, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and "not readable" in errors[0], done.stderr
    assert locked.read_text() == "// TODO: list comments for a task\n"  # (root reads it) nothing was written
