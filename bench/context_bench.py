"""Benchmark the context engine and server start-up against the foundation issue's targets.

Prints figures; asserts nothing (a benchmark, not a timed test). Targets:
  index throughput >= 2 MB/s of TypeScript on one core
  RSS <= 200 MB after indexing a 5,000-file workspace
  re-index of one changed file <= 10 ms
  `freeagent serve` answers `initialize` within 400 ms

Usage: python bench/context_bench.py [--files 5000] [--serve-runs 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SOURCE_FIXTURES = ["express-zod-api", "nextjs-app", "pnpm-monorepo"]
TS_SUFFIXES = (".ts", ".tsx")


def make_workspace(dest: Path, count: int) -> tuple[int, int]:
    """Replicate fixture TypeScript files into ``dest`` until it holds ``count`` sources."""
    sources = [p for name in SOURCE_FIXTURES for p in sorted((FIXTURES / name).rglob("*")) if p.suffix in TS_SUFFIXES]
    shutil.copy(FIXTURES / "express-zod-api" / "package.json", dest / "package.json")
    shutil.copy(FIXTURES / "express-zod-api" / "tsconfig.json", dest / "tsconfig.json")
    shutil.copy(FIXTURES / "express-zod-api" / "tsconfig.base.json", dest / "tsconfig.base.json")
    total = 0
    for i in range(count):
        src = sources[i % len(sources)]
        target = dest / "src" / f"m{i // 100:03d}" / f"{src.stem.replace('.', '-')}-{i}{src.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = src.read_bytes()
        target.write_bytes(data)
        total += len(data)
    return count, total


def child_index(workspace: str) -> None:
    """Runs in a fresh process pinned to one core: index, then report time, bytes and RSS."""
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import resource

    sys.path.insert(0, str(ROOT / "server"))
    from freeagent.context import WorkspaceContext

    ctx = WorkspaceContext(workspace)
    started, cpu_started = time.perf_counter(), time.process_time()
    ctx.load()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    ctx.brief()  # what the server computes right after indexing
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Re-index one changed file, as the server does on a watched-file or didChange event.
    files = sorted(ctx.index.files)
    timings = []
    for n in range(200):
        rel = files[(n * 37) % len(files)]
        path = ctx.root / rel
        text = path.read_text()
        ctx.set_overlay(path, text + f"\nexport const changed{n} = {n};\n")
        t = time.perf_counter()
        ctx.file_changed(path)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    print(
        json.dumps(
            {
                "files": len(ctx.index),
                "bytes": ctx.index.total_bytes,
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "rss_mb": rss_mb,
                "reindex_ms_p50": statistics.median(timings),
                "reindex_ms_p95": timings[int(len(timings) * 0.95) - 1],
                "reindex_ms_max": timings[-1],
            }
        )
    )


def spawn_ms(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, check=True)
        out.append((time.perf_counter() - started) * 1000)
    return sorted(out)


def serve_initialize_ms(runs: int) -> tuple[list[float], list[float]]:
    """Spawn `freeagent serve`, send `initialize`, time until the response arrives.

    Also returns the CPU time the server process used up to that point (less sensitive to a
    busy or throttled machine than wall time)."""
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}},
        }
    ).encode()
    message = b"Content-Length: %d\r\n\r\n" % len(body) + body
    exe = shutil.which("freeagent", path=str(Path(sys.executable).parent)) or "freeagent"
    out, cpu = [], []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.Popen(
            [exe, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        proc.stdin.write(message)
        proc.stdin.flush()
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            header += proc.stdout.read(1)
        length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
        proc.stdout.read(length)
        out.append((time.perf_counter() - started) * 1000)
        usage = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        cpu.append((int(usage[11]) + int(usage[12])) * 1000 / ticks)  # utime + stime
        proc.kill()
        proc.wait()
    return out, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--serve-runs", type=int, default=10)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_index(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="freeagent-bench-") as tmp:
        make_workspace(Path(tmp), args.files)
        result = subprocess.run([sys.executable, __file__, "--child", tmp], capture_output=True, text=True, check=True)
        r = json.loads(result.stdout)
    mb = r["bytes"] / 1e6
    print(f"workspace: {r['files']} TypeScript files, {mb:.2f} MB (replicated fixtures)")
    print(
        f"index (scan + parse + summarise, 1 core): {r['seconds']:.2f} s wall = {mb / r['seconds']:.2f} MB/s; "
        f"{r['cpu_seconds']:.2f} s CPU = {mb / r['cpu_seconds']:.2f} MB/s   target >= 2 MB/s"
    )
    print(f"peak RSS after indexing + brief: {r['rss_mb']:.0f} MB   target <= 200 MB")
    print(
        f"re-index one changed file: p50 {r['reindex_ms_p50']:.2f} ms, p95 {r['reindex_ms_p95']:.2f} ms, "
        f"max {r['reindex_ms_max']:.2f} ms   target <= 10 ms"
    )
    init, cpu = serve_initialize_ms(args.serve_runs)
    init.sort()
    print(
        f"`freeagent serve` spawn -> initialize answered ({len(init)} runs): p50 {statistics.median(init):.0f} ms, "
        f"min {init[0]:.0f} ms, max {init[-1]:.0f} ms wall; CPU used by then p50 {statistics.median(cpu):.0f} ms"
        f"   target <= 400 ms"
    )
    # The floor on this machine right now: a bare interpreter importing pygls (no Free Agent code).
    floor = spawn_ms([sys.executable, "-c", "import pygls.lsp.server"], args.serve_runs)
    print(
        f"  for scale, `python -c 'import pygls.lsp.server'` alone: p50 {statistics.median(floor):.0f} ms, "
        f"min {floor[0]:.0f} ms"
    )


if __name__ == "__main__":
    main()
