"""What every suite shares: where the repository, its fixture projects, the example and the
test toolchain are, and copying a project into a test's temporary directory."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "examples" / "taskboard"
TOOLCHAIN = ROOT / "tests" / "toolchain" / "node_modules"


def copy_fixture(
    name: str | Path,
    dest: Path,
    new_name: str | None = None,
    *,
    ignore: Callable[[str, list[str]], set[str]] | None = None,
) -> Path:
    """Copy a project into ``dest`` and return the copy's (resolved) path.

    ``name`` is a fixture under tests/fixtures, or the path of another project (``EXAMPLE``);
    the copy is ``dest / new_name``, by default under the project's own name. ``ignore`` is
    passed to :func:`shutil.copytree` (e.g. ``shutil.ignore_patterns("node_modules")``)."""
    source = FIXTURES / name if isinstance(name, str) else name
    target = dest / (new_name or source.name)
    shutil.copytree(source, target, ignore=ignore)
    return target.resolve()


PYTHON_CORPUS = FIXTURES / "python-api-corpus"
# `# expect FA204` ends a faulty line; `# missed FA205` marks a fault no reader of signatures can
# see (a `**kwargs` that forwards), allowed but not required
_PY_LABEL = re.compile(r"#\s*(expect|missed)\s+(FA\d{3})\s*$")


def python_corpus_labels(root: Path) -> tuple[set[tuple[str, int, str]], set[tuple[str, int, str]]]:
    """The labelled faults of a copy of the Python corpus at ``root``, as (file relative to
    ``root``, 1-based line, code): those every checker should find, and the known misses."""
    expected: set[tuple[str, int, str]] = set()
    missed: set[tuple[str, int, str]] = set()
    for path in sorted((root / "corpus").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            m = _PY_LABEL.search(line)
            if m:
                (expected if m.group(1) == "expect" else missed).add(
                    (path.relative_to(root).as_posix(), number, m.group(2))
                )
    return expected, missed
