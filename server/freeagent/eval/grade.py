"""Grading one run: the project's own compiler and the task's hidden tests, on the workspace
copy after the edit. The first failing check names the failure category.

Owns preparing the copy (the workspace without its node_modules/.git, the task's setup files,
``node_modules`` linked to the toolchain when the workspace has none) and running the checks
as subprocesses with a time limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..paths import inside
from .tasks import EvalTask

DID_NOT_COMPILE = "did not compile"
TESTS_FAILED = "tests failed"


@dataclass
class Grade:
    passed: bool
    category: str | None  # None when passed
    detail: str = ""


def prepare(task: EvalTask, destination: Path, node_modules: Path | None) -> Path:
    """A fresh copy of the task's workspace with its setup applied; returns the root."""
    root = destination / task.workspace.name
    shutil.copytree(
        task.workspace,
        root,
        symlinks=True,
        ignore=shutil.ignore_patterns("node_modules", ".git", "__pycache__", ".venv", "dist"),
    )
    for rel, content in task.setup.items():
        target = inside(root / rel, root, "setup file")  # a symlink in the copy may point out
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    if node_modules is not None and node_modules.is_dir() and not (root / "node_modules").exists():
        (root / "node_modules").symlink_to(node_modules, target_is_directory=True)
    return root


async def _run(command: list[str] | str, cwd: Path, timeout: float) -> tuple[int, str]:
    env = dict(os.environ, CI="1", NO_COLOR="1", FORCE_COLOR="0")
    options: dict[str, Any] = {
        "cwd": cwd,
        "env": env,
        "stdout": asyncio.subprocess.PIPE,
        "stderr": asyncio.subprocess.STDOUT,
        "start_new_session": True,  # its own process group: a timeout kills what it started too
    }
    if isinstance(command, str):
        proc = await asyncio.create_subprocess_shell(command, **options)
    else:
        proc = await asyncio.create_subprocess_exec(*command, **options)
    try:
        output, _ = await asyncio.wait_for(proc.communicate(), timeout)
    except (TimeoutError, asyncio.CancelledError):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)  # the shell and whatever it started (node, tsc …)
        await proc.wait()
        raise
    # communicate() waited for the exit: wait() returns the exit code at once, typed as an int
    return await proc.wait(), output.decode("utf-8", "replace")


def _compiler(root: Path) -> list[str] | None:
    """The TypeScript the workspace declares: a toolchain can carry other majors as
    ``typescript<N>`` aliases (tests/toolchain has typescript5 beside TypeScript 7, which
    rejects options 5.x still takes, such as ``baseUrl``)."""
    import json
    import re

    modules = root / "node_modules"
    try:
        manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    declared = {**(manifest.get("dependencies") or {}), **(manifest.get("devDependencies") or {})}.get("typescript", "")
    major = re.search(r"\d+", declared) if isinstance(declared, str) else None
    if major:
        alias = modules / f"typescript{major.group(0)}" / "bin" / "tsc"
        if alias.exists():
            return ["node", str(alias)]
    own = modules / ".bin" / "tsc"
    if own.exists():
        return [str(own)]
    found = shutil.which("tsc")
    return [found] if found else None


def _nearest_tsconfig(file: Path, root: Path) -> Path | None:
    """The project the target file belongs to: the nearest tsconfig.json above it (a monorepo
    package's own), within the workspace."""
    directory = file.parent
    while True:
        candidate = directory / "tsconfig.json"
        if candidate.is_file():
            return candidate
        if directory == root or root not in directory.parents:
            return None
        directory = directory.parent


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


async def grade(task: EvalTask, root: Path, timeout: float) -> Grade:
    """tsc (when asked), then the hidden tests, copied in only now."""
    if task.tsc:
        tsc = _compiler(root)
        if tsc is None:
            return Grade(False, DID_NOT_COMPILE, "no TypeScript compiler for the workspace (install tests/toolchain)")
        config = _nearest_tsconfig(root / task.file, root)
        tsc_command = tsc + ["--noEmit", "--pretty", "false"] + (["-p", str(config)] if config else [task.file])
        code, output = await _run(tsc_command, root, timeout)
        if code != 0:
            return Grade(False, DID_NOT_COMPILE, _tail(output))
    if task.test:
        if task.grade_dir.is_dir():
            shutil.copytree(task.grade_dir, root / "grade", dirs_exist_ok=True)
        test_command = task.test.replace("{python}", sys.executable)
        code, output = await _run(test_command, root, timeout)
        if code != 0:
            return Grade(False, TESTS_FAILED, _tail(output))
    return Grade(True, None)
