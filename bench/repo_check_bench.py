"""Whole-repository `freeagent check` against knip and depcheck on the same checkout, same run.

    python bench/repo_check_bench.py REPO [--runs 5] [--tools DIR]

REPO is a real TypeScript project with its dependencies installed (`npm install` there).
knip and depcheck are installed from npm into --tools (default: a temporary directory) unless
they are already there. Each tool runs --runs times; the median wall time is printed with its
findings count. freeagent runs cold (no summary cache: `--no-cache`) and warm (the cache of the
previous run); knip likewise without and with its own `--cache`. The issue's target is a
whole-repo check at least 3x faster than knip and than depcheck.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return time.perf_counter() - started, proc.stdout


def ensure_tools(directory: Path) -> Path:
    bin_dir = directory / "node_modules" / ".bin"
    if not (bin_dir / "knip").exists() or not (bin_dir / "depcheck").exists():
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(directory), "knip", "depcheck"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return bin_dir


def count_freeagent(out: str) -> int:
    return len(json.loads(out or "[]"))


def count_knip(out: str) -> int:
    try:
        data = json.loads(out)
    except ValueError:
        return -1
    total = len(data.get("files", []))
    for issue in data.get("issues", []):
        for key, value in issue.items():
            if isinstance(value, list) or (isinstance(value, dict) and key not in ("file", "owners")):
                total += len(value)
    return total


def count_depcheck(out: str) -> int:
    try:
        data = json.loads(out)
    except ValueError:
        return -1
    return len(data.get("dependencies", [])) + len(data.get("devDependencies", [])) + len(data.get("missing", {}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tools", type=Path, help="where knip and depcheck are (or get) installed")
    args = parser.parse_args()
    repo = args.repo.resolve()
    tools = ensure_tools(args.tools or Path(tempfile.mkdtemp(prefix="fa-bench-tools-")))
    cache = Path(tempfile.mkdtemp(prefix="fa-bench-cache-"))
    freeagent = [sys.executable, "-m", "freeagent", "check", "--format", "json"]
    cases = [
        ("freeagent check (cold, --no-cache)", freeagent + ["--no-cache"], count_freeagent, None),
        ("freeagent check (warm cache)", freeagent + ["--cache-location", str(cache)], count_freeagent, "prime"),
        ("knip", [str(tools / "knip"), "--reporter", "json", "--no-progress"], count_knip, None),
        (
            "knip --cache (warm)",
            [str(tools / "knip"), "--reporter", "json", "--no-progress", "--cache"],
            count_knip,
            "prime",
        ),
        ("depcheck", [str(tools / "depcheck"), "--json"], count_depcheck, None),
    ]
    print(f"repo: {repo}  ({args.runs} runs each, median wall time)")
    medians = {}
    for name, command, count, prime in cases:
        if prime:
            timed(command, repo)
        times, found = [], None
        for _ in range(args.runs):
            seconds, out = timed(command, repo)
            times.append(seconds)
            found = count(out)
        medians[name] = statistics.median(times)
        print(f"  {name:38s} {medians[name]:6.2f} s  (min {min(times):.2f}, max {max(times):.2f})  findings: {found}")
    for ours in ("freeagent check (cold, --no-cache)", "freeagent check (warm cache)"):
        for theirs in ("knip", "knip --cache (warm)", "depcheck"):
            print(f"  {theirs} / {ours}: {medians[theirs] / medians[ours]:.1f}x")
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
