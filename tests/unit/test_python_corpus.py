"""The labelled Python corpus (tests/fixtures/python-api-corpus): a small service written the way an
LLM writes one, over real installed packages (requests, httpx, pydantic, FastAPI, SQLAlchemy,
click, PyYAML) and the standard library, checked in an environment that has them (the venv
running the tests, linked in as the workspace's .venv).

``corpus/faulty`` holds injected hallucinations, one per line marked ``# expect FAxxx`` (FA105,
FA203, FA204, FA205); ``corpus/clean`` holds valid code that naive checkers get wrong (lazy
``__getattr__`` exports, optional and version-guarded imports, names made at run time, stub-only
packages, rebinding, ``**kwargs``). Every marked fault must be found at its line with its code
(recall 100 %), and nothing else may be reported anywhere (0 false positives). Lines marked
``# missed FAxxx`` are faults behind a forwarding ``**kwargs`` that no reader of signatures sees:
allowed, not required. ``bench/pyright_compare.py`` runs pyright on the same labels."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from freeagent.context.workspace import WorkspaceContext
from freeagent.validate.runner import Validator
from tests.helpers import PYTHON_CORPUS, python_corpus_labels

pytestmark = pytest.mark.skipif(not (Path(sys.prefix) / "pyvenv.cfg").is_file(), reason="needs the test venv")


def test_python_corpus_recall_and_false_positives(tmp_path):
    root = tmp_path / "python-api-corpus"
    shutil.copytree(PYTHON_CORPUS, root)
    (root / ".venv").symlink_to(Path(sys.prefix))
    expected, missed = python_corpus_labels(root)
    ctx = WorkspaceContext(root)
    ctx.cache_dir = tmp_path / "cache"  # nothing cached: every answer asked of jedi
    ctx.load()
    found: set[tuple[str, int, str]] = set()
    for file, findings in Validator(ctx).check_all().items():
        for f in findings:
            found.add((Path(file).relative_to(root).as_posix(), f.range.line + 1, f.code))
    codes = {c for _, _, c in expected}
    clean_files = list((root / "corpus" / "clean").rglob("*.py"))
    print(
        f"python corpus: {len(expected)} faults over {sorted(codes)}, {len(clean_files)} clean files, "
        f"found {len(expected & found)}, false {len(found - expected - missed)}, known misses {len(missed)}"
    )
    assert len(expected) >= 40 and codes == {"FA105", "FA203", "FA204", "FA205"} and len(clean_files) >= 15
    assert sorted(expected - found) == []  # recall 100 %
    assert sorted(found - expected - missed) == []  # no false positive


def test_python_corpus_checked_by_forked_workers_finds_the_same(tmp_path):
    """`freeagent check -j 2` splits the files between two processes, each asking jedi its own
    questions against one parse cache on disk: the same findings as one process (it lost 17 of
    Netflix dispatch's while a worker could read half a pickle the other was writing, and while
    a failed question left its trace in the shared inference state)."""
    root = tmp_path / "python-api-corpus"
    shutil.copytree(PYTHON_CORPUS, root)
    (root / ".venv").symlink_to(Path(sys.prefix))
    expected, missed = python_corpus_labels(root)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "freeagent"), "check", "corpus", "-j", "2", "--format", "json"],
        cwd=root,
        env=dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache")),  # nothing cached, jedi's parses neither
        capture_output=True,
        text=True,
        timeout=600,
    )
    found = {(f["file"], f["line"], f["code"]) for f in json.loads(done.stdout)}
    assert sorted(expected - found) == []
    assert sorted(found - expected - missed) == []
