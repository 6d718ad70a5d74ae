"""The first scan's bulk indexing: parallel parsing, the on-disk summary cache, and the
stat-free existence answers the walk makes possible; and a whole-workspace check split among
forked processes. Each must give exactly what a plain one-process, uncached run gives."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from freeagent.context import WorkspaceContext
from freeagent.context import index as index_mod
from freeagent.context.summary_cache import SummaryCache
from tests.helpers import copy_fixture


def copy(name: str, tmp_path: Path) -> Path:
    return copy_fixture(name, tmp_path, ignore=shutil.ignore_patterns("node_modules"))


def load(root: Path, jobs: int = 1, cache_dir: Path | None = None) -> WorkspaceContext:
    ctx = WorkspaceContext(root)
    ctx.jobs = jobs
    ctx.cache_dir = cache_dir
    ctx.load()
    return ctx


@pytest.mark.parametrize("fixture", ["validation-corpus", "pnpm-monorepo", "nextjs-app", "fastapi-service"])
def test_parallel_index_equals_serial(fixture, tmp_path, monkeypatch):
    root = copy(fixture, tmp_path)
    serial = load(root)
    monkeypatch.setitem(index_mod.PARALLEL_MIN_BYTES, "fork", 0)  # the fixtures are small
    monkeypatch.setitem(index_mod.PARALLEL_MIN_BYTES, "spawn", 0)
    calls = []
    real = index_mod.CodeIndex._parallel
    monkeypatch.setattr(index_mod.CodeIndex, "_parallel", lambda self, *a: calls.append(1) or real(self, *a))
    parallel = load(root, jobs=2)
    assert calls, "the parallel path was not taken"
    assert parallel.index.files == serial.index.files
    assert len(serial.index.files) > 3


def test_parallel_index_reports_progress_and_stops_when_cancelled(tmp_path, monkeypatch):
    root = copy("validation-corpus", tmp_path)
    monkeypatch.setitem(index_mod.PARALLEL_MIN_BYTES, "fork", 0)
    monkeypatch.setitem(index_mod.PARALLEL_MIN_BYTES, "spawn", 0)
    files = [(p.relative_to(root).as_posix(), p) for p in sorted(root.rglob("*.ts"))]
    index = index_mod.CodeIndex()
    seen = []
    status = index.index_many(files, 1 << 20, jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (len(files), len(files)) and all(t == len(files) for _, t in seen)
    assert set(status) == {rel for rel, _ in files}
    cancelled = index_mod.CodeIndex().index_many(files, 1 << 20, jobs=2, cancelled=lambda: True)
    assert len(cancelled) < len(files)


def test_cache_serves_unchanged_files_and_reparses_changed_ones(tmp_path):
    root = copy("express-zod-api", tmp_path)
    cache_dir = tmp_path / "cache"
    first = load(root, cache_dir=cache_dir)
    assert list(cache_dir.glob("*.json")), "the cache was not written"
    second = load(root, cache_dir=cache_dir)
    assert second.index.files == first.index.files

    cache = SummaryCache(root, cache_dir).load()
    for rel in first.index.files:
        st = os.stat(root / rel)
        assert cache.get(rel, st.st_size, st.st_mtime_ns) == first.index.files[rel]

    target = root / "src/app.ts"
    target.write_text(target.read_text() + "\nexport const addedLater = 1;\n")
    third = load(root, cache_dir=cache_dir)
    assert "addedLater" in {e.name for e in third.index.files["src/app.ts"].exports}
    fresh = load(root)  # no cache at all
    assert third.index.files == fresh.index.files

    (root / "src/app.ts").unlink()
    load(root, cache_dir=cache_dir)
    assert "src/app.ts" not in SummaryCache(root, cache_dir).load().entries  # forgotten, not kept forever


def test_a_broken_or_foreign_cache_is_ignored(tmp_path):
    root = copy("express-zod-api", tmp_path)
    cache_dir = tmp_path / "cache"
    expected = load(root).index.files
    cache = SummaryCache(root, cache_dir)
    cache_dir.mkdir()
    cache.path.write_text("{not json")
    assert load(root, cache_dir=cache_dir).index.files == expected
    data = json.loads(cache.path.read_text())
    data["signature"] = "another version"
    rel = next(iter(data["files"]))
    data["files"][rel][2] = ["garbage"]
    cache.path.write_text(json.dumps(data))
    assert load(root, cache_dir=cache_dir).index.files == expected
    data = json.loads(cache.path.read_text())
    data["files"][rel][2] = ["garbage"]  # right signature, unreadable entry: parsed again
    cache.path.write_text(json.dumps(data))
    assert load(root, cache_dir=cache_dir).index.files == expected


def test_existence_from_the_walk_and_kept_current(tmp_path):
    root = copy("express-zod-api", tmp_path)
    (root / ".gitignore").write_text("src/generated.ts\n")
    (root / "src/generated.ts").write_text("export const g = 1;\n")
    ctx = load(root)
    assert "src/generated.ts" not in ctx.index.files  # ignored: not indexed …
    assert ctx.file_exists(str(root / "src/generated.ts"))  # … but it exists, and imports of it resolve
    assert not ctx.file_exists(str(root / "src/nothing.ts"))
    later = root / "src/later.ts"
    later.write_text("export const x = 1;\n")
    ctx.file_changed(later)  # what the watcher reports
    assert ctx.file_exists(str(later))
    later.unlink()
    ctx.file_changed(later)
    assert not ctx.file_exists(str(later))
    # a file of a kind nobody watches in a listed directory: the disk is asked
    (root / "src/styles.css").write_text("a {}\n")
    assert ctx.file_exists(str(root / "src/styles.css"))


# run in a process of its own: the check forks only from a single-threaded process, which a
# test session (with language servers started by other tests) need not be
_FORKED_CHECK = """
import json, os, sys
from pathlib import Path
from freeagent.context import WorkspaceContext
from freeagent.validate import runner

ctx = WorkspaceContext(Path(sys.argv[1]))
ctx.load()
def found(by_file):
    return {f: [(x.range.line, x.code, x.message) for x in xs] for f, xs in by_file.items()}
serial = found(runner.Validator(ctx).check_all(jobs=1))
forks = []
real_fork = os.fork
os.fork = lambda: forks.append(1) or real_fork()
runner.FORK_MIN_FILES = 0
parallel = found(runner.Validator(ctx).check_all(jobs=3))
parent, real_check = os.getpid(), runner.Validator.check_file
def failing_in_children(self, path):
    if os.getpid() != parent:
        raise RuntimeError("a child that fails")
    return real_check(self, path)
runner.Validator.check_file = failing_in_children
recovered = found(runner.Validator(ctx).check_all(jobs=2))
print(json.dumps({"serial": serial, "parallel": parallel, "recovered": recovered, "forks": len(forks),
                  "order": list(parallel) == sorted(parallel)}))
"""


def test_a_check_split_among_forked_processes_finds_what_one_process_finds(tmp_path):
    root = copy("validation-corpus", tmp_path)
    proc = subprocess.run([sys.executable, "-c", _FORKED_CHECK, str(root)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["forks"] == 3  # two children for jobs=3, then one for jobs=2
    assert out["serial"] and sum(map(len, out["serial"].values())) > 20
    assert out["parallel"] == out["serial"] and out["order"]
    assert out["recovered"] == out["serial"]  # the failed child's share was checked by the parent
