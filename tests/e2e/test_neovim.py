"""Real Neovim (Debian's 0.7.2, headless) with the README's setup (editors/neovim/init.lua)
and the real server: diagnostics arrive, the code actions at a TODO include the spec-first one,
which is resolved, applied with vim.lsp.util.apply_workspace_edit and written to disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE, ROOT, copy_fixture


def test_neovim_diagnostics_and_spec_first_action(tmp_path):
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.fail("Debian's neovim is not installed: `make test` installs it (apt-get install neovim)")
    root = copy_fixture(EXAMPLE, tmp_path)
    (root / ".freeagent.json").write_text(json.dumps({"store": {"path": "outcomes.db"}}))
    target = root / "src" / "routes" / "tasks.ts"
    target.write_text("import _ from 'lodash';\n" + target.read_text())  # a hallucinated package
    result = tmp_path / "result.json"
    env = dict(
        os.environ,
        FREEAGENT_NVIM_RESULT=str(result),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )
    proc = subprocess.run(
        [
            nvim,
            "--headless",
            "-u",
            str(ROOT / "editors" / "neovim" / "init.lua"),
            str(target),
            "-c",
            f"luafile {ROOT / 'tests' / 'e2e' / 'nvim' / 'drive.lua'}",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.exists(), f"neovim wrote no result: {proc.stdout[-2000:]} {proc.stderr[-2000:]}"
    outcome = json.loads(result.read_text())
    assert outcome["errors"] == [], outcome
    assert {"code": "FA101", "line": 0} in [{k: d[k] for k in ("code", "line")} for d in outcome["diagnostics"]]
    assert "Generate handler for listComments (GET /tasks/{taskId}/comments)" in outcome["actions"]
    assert outcome["applied"] is True
    text = target.read_text()
    assert "TODO: list comments for a task" not in text
    assert "tasksRouter.get('/:taskId/comments', async (req, res, next) => {" in text
    # the action's command recorded it applied, and :FreeAgentFeedback voted on it
    from freeagent.store import SqliteStore

    assert outcome["feedback"] == {"recorded": True, "id": outcome["generation"]}
    rec = SqliteStore(root / "outcomes.db").get(outcome["generation"])
    assert (rec.operation, rec.outcome) == ("listComments", "applied")
    assert rec.feedback[0][1:] == ("up", "reads well")
