"""Whole-repository `freeagent check` against knip on the same checkout, same run: speed and precision.

    python bench/repo_check_bench.py REPO [--runs 5] [--tools DIR] [--judged FILE] [--knip-arg ARG ...]
                                     [--depcheck]

REPO is a real TypeScript project with its dependencies installed. knip (and depcheck with
--depcheck) are installed from npm into --tools (default: a temporary directory) unless they are
there already. Each tool runs --runs times; the median wall time is printed with its findings:

* freeagent cold: `--no-cache` (every file parsed, nothing reused);
* freeagent warm: the second run of the same command with the cache on, nothing changed (the
  last result is replayed after checking what it read);
* freeagent warm, one file touched: the same after `touch` of one source file (its summary and
  the stored result are stale: a full check with every other summary from the cache);
* knip cold (no cache) and knip --cache warm (its own cache primed by a first run).

--judged FILE is a judgement of every finding (bench/judgements/*.json: code, file, line,
message, verdict true|false, why). The precision line gives the findings, how many were judged
false, per 10,000 lines of TS/JS (git ls-files, outside node_modules/dist/build/.next), and any
finding the file does not judge (listed: a judgement file that no longer matches is not a pass).
The issue's targets: <= 1 judged-false finding per 10,000 lines, and >= 3x faster than knip cold
vs cold and warm vs warm.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CODE_GLOBS = ["*.ts", "*.tsx", "*.js", "*.jsx", "*.mts", "*.cts", "*.mjs", "*.cjs"]
OUTSIDE = re.compile(r"(^|/)(node_modules|dist|build|\.next)/")


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return time.perf_counter() - started, proc.stdout


def ensure_tools(directory: Path, depcheck: bool) -> Path:
    bin_dir = directory / "node_modules" / ".bin"
    wanted = ["knip"] + (["depcheck"] if depcheck else [])
    missing = [name for name in wanted if not (bin_dir / name).exists()]
    if missing:
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(directory), *missing],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return bin_dir


def code_lines(repo: Path) -> int:
    listed = subprocess.run(["git", "ls-files", *CODE_GLOBS], cwd=repo, capture_output=True, text=True, check=True)
    total = 0
    for rel in listed.stdout.splitlines():
        if OUTSIDE.search(rel):
            continue
        try:
            with open(repo / rel, "rb") as handle:
                total += handle.read().count(b"\n")
        except OSError:
            continue
    return total


def count_freeagent(out: str) -> int:
    return len(json.loads(out or "[]"))


def _json_in(out: str) -> dict | None:
    """knip's JSON report; configuration files that print to stdout put lines around it."""
    for text in [out, *out.splitlines()]:
        try:
            data = json.loads(text)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return None


def count_knip(out: str) -> int:
    data = _json_in(out)
    if data is None:
        return -1
    total = len(data.get("files", []))
    for issue in data.get("issues", []):
        for key, value in issue.items():
            if isinstance(value, list) or (isinstance(value, dict) and key not in ("file", "owners")):
                total += len(value)
    return total


def count_depcheck(out: str) -> int:
    data = _json_in(out)
    if data is None:
        return -1
    return len(data.get("dependencies", [])) + len(data.get("devDependencies", [])) + len(data.get("missing", {}))


def a_source_file(repo: Path) -> Path:
    listed = subprocess.run(["git", "ls-files", "*.ts", "*.tsx"], cwd=repo, capture_output=True, text=True, check=True)
    files = [rel for rel in listed.stdout.splitlines() if not OUTSIDE.search(rel) and not rel.endswith(".d.ts")]
    return repo / sorted(files)[len(files) // 2]


def precision(repo: Path, findings: list[dict], judged_path: Path, lines: int) -> None:
    judged = json.loads(judged_path.read_text())
    verdicts = {(j["code"], j["file"], j["line"], j["message"]): j for j in judged["judgements"]}
    false, unjudged = [], []
    for f in findings:
        j = verdicts.get((f["code"], f["file"], f["line"], f["message"]))
        if j is None:
            unjudged.append(f)
        elif j["verdict"] == "false":
            false.append((f, j["why"]))
    per_10k = len(false) / lines * 10_000 if lines else 0.0
    print(
        f"  precision: {len(findings)} findings, {len(findings) - len(unjudged)} judged, {len(false)} judged false "
        f"= {per_10k:.2f} per 10,000 lines ({lines:,} lines; target <= 1)"
    )
    for f, why in false:
        print(f"    false: {f['code']} {f['file']}:{f['line']} — {why}")
    for f in unjudged:
        print(f"    NOT JUDGED: {f['code']} {f['file']}:{f['line']} {f['message']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tools", type=Path, help="where knip (and depcheck) are (or get) installed")
    parser.add_argument("--judged", type=Path, help="the judgement of the findings (bench/judgements/*.json)")
    parser.add_argument("--knip-arg", action="append", default=[], help="an extra argument for knip (repeatable)")
    parser.add_argument("--depcheck", action="store_true", help="also time depcheck")
    args = parser.parse_args()
    repo = args.repo.resolve()
    # as installed: pip compiles a package's bytecode, and `make install` compiles this checkout's.
    # A checkout edited since, run where PYTHONDONTWRITEBYTECODE is set (these machines set it),
    # would compile the edited modules again on every timed run (0.1 s of a 1 s check)
    package = Path(__file__).resolve().parents[1] / "server" / "freeagent"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    tools = ensure_tools(args.tools or Path(tempfile.mkdtemp(prefix="fa-bench-tools-")), args.depcheck)
    cache = Path(tempfile.mkdtemp(prefix="fa-bench-cache-"))
    freeagent = [sys.executable, "-m", "freeagent", "check", "--format", "json"]
    knip = [str(tools / "knip"), "--reporter", "json", "--no-progress", *args.knip_arg]
    touched = a_source_file(repo)

    def touch() -> None:
        os.utime(touched)

    cases = [
        ("freeagent cold (--no-cache)", freeagent + ["--no-cache"], count_freeagent, None),
        ("freeagent warm (nothing changed)", freeagent + ["--cache-location", str(cache)], count_freeagent, "prime"),
        (
            "freeagent warm (one file touched)",
            freeagent + ["--cache-location", str(cache)],
            count_freeagent,
            "touch",
        ),
        ("knip cold", knip, count_knip, None),
        ("knip --cache (warm)", knip + ["--cache"], count_knip, "prime"),
    ]
    if args.depcheck:
        cases.append(("depcheck", [str(tools / "depcheck"), "--json"], count_depcheck, None))
    print(f"repo: {repo}  ({args.runs} runs each, median wall time)")
    medians: dict[str, float] = {}
    outputs: dict[str, str] = {}
    for name, command, count, mode in cases:
        if mode == "prime":
            timed(command, repo)
            time.sleep(2.1)  # let what the priming run wrote age past the result cache's 2 s racy window
            timed(command, repo)
        times, found = [], None
        for _ in range(args.runs):
            if mode == "touch":
                touch()
            seconds, out = timed(command, repo)
            times.append(seconds)
            found = count(out)
            outputs[name] = out
        medians[name] = statistics.median(times)
        print(f"  {name:36s} {medians[name]:6.2f} s  (min {min(times):.2f}, max {max(times):.2f})  findings: {found}")
    pairs = [
        ("knip cold", "freeagent cold (--no-cache)"),
        ("knip --cache (warm)", "freeagent warm (nothing changed)"),
        ("knip --cache (warm)", "freeagent warm (one file touched)"),
    ]
    for theirs, ours in pairs:
        print(f"  {theirs} / {ours}: {medians[theirs] / medians[ours]:.1f}x (target >= 3)")
    if args.judged is not None:
        findings = json.loads(outputs["freeagent cold (--no-cache)"] or "[]")
        precision(repo, findings, args.judged, code_lines(repo))
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
