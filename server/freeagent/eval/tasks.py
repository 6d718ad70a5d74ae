"""Evaluation tasks: reading ``bench/tasks/<id>/task.yaml`` (the format is documented in
bench/tasks/README.md) into :class:`EvalTask`, with a clear error naming the file and the key
for anything malformed.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import yaml


class TaskError(Exception):
    pass


@dataclass
class EvalTask:
    id: str
    dir: Path
    workspace: Path
    file: str
    instruction: str | None
    marker: str | None
    setup: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    timeout: float = 180.0
    needs_deps: list[str] = field(default_factory=list)
    tsc: bool = True
    test: str | None = None
    reference: Path | None = None

    @property
    def grade_dir(self) -> Path:
        return self.dir / "grade"

    @property
    def spec_covered(self) -> bool:
        return "spec-covered" in self.tags


_KEYS = {"workspace", "file", "setup", "marker", "instruction", "tags", "timeout", "needs_deps", "checks", "reference"}


def load_task(task_file: Path, suite: Path) -> EvalTask:
    where = str(task_file)
    try:
        data = yaml.safe_load(task_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TaskError(f"{where}: cannot be read as YAML: {exc}") from None
    if not isinstance(data, dict):
        raise TaskError(f"{where}: expected a mapping of keys")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise TaskError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
    for key in ("workspace", "file"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise TaskError(f"{where}: '{key}' is required (a path)")
    from ..paths import is_relative_inside

    for rel in [data["file"], *(data.get("setup") or {})]:
        if not isinstance(rel, str) or not is_relative_inside(rel):
            raise TaskError(f"{where}: {rel!r} is not a path inside the task's workspace")
    workspace = (suite / data["workspace"]).resolve()
    if not workspace.is_dir():
        raise TaskError(f"{where}: workspace {data['workspace']} is not a folder (resolved to {workspace})")
    checks = data.get("checks") or {}
    if not isinstance(checks, dict) or set(checks) - {"tsc", "test"}:
        raise TaskError(f"{where}: 'checks' takes 'tsc' (true/false) and 'test' (a command)")
    if not checks.get("tsc") and not checks.get("test"):
        raise TaskError(f"{where}: a task needs at least one check (checks.tsc or checks.test)")
    setup = data.get("setup") or {}
    if not isinstance(setup, dict) or not all(isinstance(v, str) for v in setup.values()):
        raise TaskError(f"{where}: 'setup' maps workspace paths to file contents")
    reference = None
    if data.get("reference"):
        reference = task_file.parent / str(data["reference"])
        if not reference.is_file():
            raise TaskError(f"{where}: reference {data['reference']} does not exist")
    try:
        timeout = float(data.get("timeout", 180))
    except (TypeError, ValueError):
        raise TaskError(f"{where}: 'timeout' is a number of seconds") from None
    return EvalTask(
        id=task_file.parent.name,
        dir=task_file.parent,
        workspace=workspace,
        file=data["file"],
        instruction=data.get("instruction"),
        marker=data.get("marker"),
        setup=setup,
        tags=[str(t) for t in data.get("tags") or []],
        timeout=timeout,
        needs_deps=[str(d) for d in data.get("needs_deps") or []],
        tsc=bool(checks.get("tsc")),
        test=checks.get("test"),
        reference=reference,
    )


def load_suite(suite: Path, patterns: tuple[str, ...] = ()) -> list[EvalTask]:
    """Every task under ``suite`` whose id matches one of ``patterns`` (all when none)."""
    tasks = []
    for task_file in sorted(suite.glob("*/task.yaml")):
        task_id = task_file.parent.name
        if patterns and not any(fnmatch.fnmatch(task_id, p) for p in patterns):
            continue
        tasks.append(load_task(task_file, suite))
    return tasks
