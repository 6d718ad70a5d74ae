"""Asking ahead: every question the workspace's Python files ask about installed modules
(:mod:`.pynames`), answered by a process of its own after the workspace loads, so that a file's
first open finds its answers on disk instead of waiting on jedi (seconds on a cold cache).

Owns the warm-up run and how to start it. The run is this module as a program::

    python -m freeagent.context.pywarm ROOT --cache-dir DIR [--interpreter PATH] [--jobs N]

It loads the workspace as the server does (its ``.freeagent.json``; the interpreter the server
uses, passed explicitly: the editor's settings are not the process's to read), runs the Python
checks over every Python file with ``jobs`` forked workers (a process of its own may fork: the
server, with threads, may not), and leaves the answers in the cache folder, merged under a lock
with what the server writes meanwhile. It prints ``warmed N files in S s`` and exits 0; any
failure is a message on stderr and exit 1 — the server carries on without it, asking jedi itself.
Findings are not printed: the server computes and publishes its own.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

PYTHON_SUFFIXES = (".py", ".pyi")


def command(root: Path, cache_dir: Path, interpreter: str, jobs: int | None = None) -> list[str]:
    """The argv that warms ``root`` (run with the Python running this code)."""
    argv = [sys.executable, "-m", "freeagent.context.pywarm", str(root), "--cache-dir", str(cache_dir)]
    if interpreter:
        argv += ["--interpreter", interpreter]
    if jobs:
        argv += ["--jobs", str(jobs)]
    return argv


def warm(root: Path, cache_dir: Path, interpreter: str = "", jobs: int | None = None) -> int:
    """Ask every Python file's questions; the number of Python files checked."""
    from ..engine import FolderEngine

    layers = [{"python": {"interpreter": interpreter}}] if interpreter else []
    engine = FolderEngine(root, layers=layers)
    engine.tune(jobs=jobs, cache_dir=cache_dir, cache=True)
    engine.load(lazy_specs=True)
    context = engine.context
    paths = [context.root / rel for rel in sorted(context.index.files) if rel.endswith(PYTHON_SUFFIXES)]
    if not paths or context.installed_names() is None:
        return 0
    engine.validator().check_all(paths, jobs=context.jobs)
    names = context.installed_names()
    if names is not None:
        names.save()
    return len(paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="freeagent.context.pywarm", description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("--interpreter", default="")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        count = warm(args.root, args.cache_dir, args.interpreter, args.jobs)
    except Exception as exc:  # noqa: BLE001 — one message, and the server asks jedi itself
        print(f"warming the Python answers of {args.root} failed: {exc!r}", file=sys.stderr)
        return 1
    print(f"warmed {count} files in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
