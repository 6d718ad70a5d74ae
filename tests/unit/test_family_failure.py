"""One rule family failing on one file never takes the check down: that family is skipped for that
file with one warning naming it, and every other family's findings stand — for each family, on a
TypeScript file and a Python file, through the one entry point the CLI, the editor and the LLM
gate share (``Validator.check_file``), and through the CLI itself."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from freeagent.cli import cli
from freeagent.context.workspace import WorkspaceContext
from freeagent.validate.runner import Validator
from tests.helpers import EXAMPLE, copy_fixture

TS_PROBE = """\
import _ from 'lodash';
import { notThere } from '../lib/errors.js';

export async function Load_Thing(id: string) {
  return _.get(await fetch(`/api/v1/projects/${id}`), 'x') ?? notThere;
}

export function createThing() {
  return fetch('/api/v1/projects', { method: 'POST', body: JSON.stringify({ nam: 'x' }) });
}
"""

PY_PROBE = """\
import httpx
import notinstalledanywhere


def load(url: str):
    return httpx.Client(base_url=url, retries=3), notinstalledanywhere
"""

FAMILIES = ["imports", "exports", "conventions", "api", "python_names"]


def _ts_workspace(tmp_path: Path) -> tuple[WorkspaceContext, Path]:
    root = copy_fixture(EXAMPLE, tmp_path)
    probe = root / "src" / "api" / "probe.ts"
    probe.write_text(TS_PROBE)
    ctx = WorkspaceContext(root)
    ctx.load()
    return ctx, probe


def _py_workspace(tmp_path: Path) -> tuple[WorkspaceContext, Path]:
    root = tmp_path / "svc"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1"\ndependencies = ["httpx"]\n')
    (root / ".venv").symlink_to(Path(sys.prefix))
    probe = root / "probe.py"
    probe.write_text(PY_PROBE)
    ctx = WorkspaceContext(root)
    ctx.cache_dir = tmp_path / "cache"
    ctx.load()
    return ctx, probe


def _codes(findings) -> list[tuple[int, str]]:
    return sorted((f.range.line, f.code) for f in findings)


@pytest.mark.parametrize("language", ["typescript", "python"])
@pytest.mark.parametrize("family", FAMILIES)
def test_a_failing_family_is_skipped_for_that_file_alone(tmp_path, monkeypatch, caplog, language, family):
    ctx, probe = (_ts_workspace if language == "typescript" else _py_workspace)(tmp_path)
    validator = Validator(ctx)
    summary = ctx.index.files[ctx.rel(probe)]
    own = {name: _codes(getattr(validator, name).check(probe, summary)) for name in FAMILIES}
    everything = _codes(validator.check_file(probe))
    # the probe gives the failing family, or the others, something to lose
    assert sum(bool(v) for v in own.values()) >= 2, own

    def broken(path, summary):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(getattr(validator, family), "check", broken)
    with caplog.at_level(logging.WARNING, logger="freeagent.validate.runner"):
        survived = _codes(validator.check_file(probe))
    expected = sorted(c for c in everything if c not in own[family])
    assert survived == expected
    (record,) = [r for r in caplog.records if r.name == "freeagent.validate.runner"]
    message = record.getMessage()
    assert (
        ctx.rel(probe) in message
        and "RecursionError" in message
        and type(getattr(validator, family)).__name__ in message
    )


def test_the_cli_reports_the_other_families_and_names_the_file(tmp_path, monkeypatch, caplog):
    ctx, probe = _py_workspace(tmp_path)
    from freeagent.validate import python_names

    def broken(self, path, summary):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(python_names.PythonNameRules, "check", broken)
    with caplog.at_level(logging.WARNING, logger="freeagent.validate.runner"):
        result = CliRunner().invoke(cli, ["check", str(probe), "--workspace", str(ctx.root), "--format", "json"])
    assert result.exit_code == 1, result.output  # FA105 is an error, and it is still reported
    found = json.loads(result.stdout)
    assert {f["code"] for f in found} == {"FA105"}
    assert [r.getMessage().split(" and was")[0] for r in caplog.records if r.name == "freeagent.validate.runner"] == [
        "PythonNameRules failed on probe.py"
    ]
