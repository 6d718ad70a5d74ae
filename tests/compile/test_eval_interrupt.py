"""Ctrl-C during `freeagent eval` leaves a valid partial report (the runs that finished) and
exits 130; the same command then resumes and runs only what is missing."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE, TOOLCHAIN, copy_fixture


def suite(tmp_path: Path) -> Path:
    copy_fixture(EXAMPLE, tmp_path, "ws")
    base = tmp_path / "suite"
    for name, command in (("fast", "node -e 0"), ("slow", 'node -e "setTimeout(() => {}, 60000)"')):
        folder = base / name
        folder.mkdir(parents=True)
        (folder / "task.yaml").write_text(
            json.dumps(
                {
                    "workspace": "../ws",
                    "file": f"src/lib/{name}.ts",
                    "setup": {f"src/lib/{name}.ts": "// TODO: x\n"},
                    "checks": {"tsc": False, "test": command},
                    "reference": "reference.ts",
                    "timeout": 120,
                }
            )
        )
        (folder / "reference.ts").write_text(f"export const {name} = 1;\n")
    return base


def test_ctrl_c_leaves_a_valid_partial_report_and_resumes(tmp_path):
    if not TOOLCHAIN.is_dir():
        pytest.fail("tests/toolchain is not installed: run `make test`")
    out = tmp_path / "run.json"
    command = [
        sys.executable,
        "-m",
        "freeagent",
        "eval",
        "--suite",
        str(suite(tmp_path)),
        "--strategy",
        "reference",
        "--jobs",
        "2",
        "--json",
        str(out),
    ]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    rows = out.with_suffix(".jsonl")
    deadline = time.time() + 60
    while time.time() < deadline and not (rows.exists() and rows.read_text().strip()):
        time.sleep(0.1)
    assert rows.exists(), "the fast run never finished"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr.decode()[-2000:]
    report = json.loads(out.read_text())
    assert [r["task"] for r in report["runs"]] == ["fast"] and report["runs"][0]["success"] is True
    assert "interrupted" in stderr.decode()
    # resume: only the slow one is left; make it quick and run again
    slow = tmp_path / "suite" / "slow" / "task.yaml"
    slow.write_text(slow.read_text().replace("setTimeout(() => {}, 60000)", "0"))
    done = subprocess.run(command, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    report = json.loads(out.read_text())
    assert sorted(r["task"] for r in report["runs"]) == ["fast", "slow"]
    assert len(rows.read_text().strip().splitlines()) == 2  # the fast run was not repeated
