"""What every suite shares: where the repository, its fixture projects, the example and the
test toolchain are, and copying a project into a test's temporary directory."""

from __future__ import annotations

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
