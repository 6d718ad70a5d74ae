"""Benchmark the fast validators on a 3,000-line TypeScript file after an edit, in-process
(what the server does per debounced change: re-index the document, then run the rule
families on it), against a whole-file check of the same file with nothing kept. Target
(validation-depth issue): p95 <= 10 ms in-engine for a one-line edit (bench/lsp_latency.py
measures the same through the protocol). Prints figures; asserts nothing.

Usage: python bench/validate_bench.py [--lines 3000] [--runs 100]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))


def big_file(lines: int) -> str:
    """A TypeScript file of about ``lines`` lines for tests/fixtures/express-zod-api: imports of
    every kind the rules look at (and some faults), handlers, and every fifth function an API call."""
    # a big file with many imports of every kind the rules look at, and some faults
    head = [
        "import express from 'express';",
        "import { z } from 'zod';",
        "import { readFile } from 'node:fs/promises';",
        "import { config } from './config.js';",
        "import { HttpError, notFound } from './lib/http-error.js';",
        "import { userSchema } from '@/schemas/user.js';",
        "import type { User } from './schemas/user.js';",
        "import _ from 'lodash';",
        "import { nope } from './lib/http-error.js';",
        "import { x } from './missing.js';",
    ]
    block = [
        "export function handler{n}(input: string): number {{",
        "  const parsed = userSchema.safeParse({{ name: input }});",
        "  if (!parsed.success) {{",
        "    throw new HttpError(400, 'bad');",
        "  }}",
        "  return input.length + {n};",
        "}}",
        "",
    ]
    # every fifth function also calls the API (family 3 parses the file and judges each call)
    api_block = [
        "export async function load{n}(id: string): Promise<unknown> {{",
        "  const res = await fetch(`/tasks/${{id}}/comments?cursor=a{n}`);",
        "  return res.json();",
        "}}",
        "",
    ]
    body, n = [], 0
    while len(head) + len(body) < lines:
        body += [line.format(n=n) for line in (api_block if n % 5 == 4 else block)]
        n += 1
    return "\n".join(head + body) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    from freeagent.engine import FolderEngine

    with tempfile.TemporaryDirectory(prefix="freeagent-bench-") as tmp:
        root = Path(tmp) / "api"
        shutil.copytree(ROOT / "tests" / "fixtures" / "express-zod-api", root)
        text = big_file(args.lines)
        path = root / "src" / "big.ts"
        path.write_text(text)
        engine = FolderEngine(root)
        engine.load()
        rel = engine.context.rel(path)
        middle = next(n for n in range(text.count("\n\n") // 2, 10**6) if n % 5 != 4)  # a handler mid-file

        def edit(run: int, where: int) -> str:
            # one line: the return of handler `where` (0 is at the top, in the style sample's bytes)
            edited = text.replace(f"return input.length + {where};", f"return input.length + {where} + {run};")
            assert edited != text
            return edited

        def timed(whole: bool, where: int, runs: int) -> list[float]:
            out = []
            for run in range(runs):
                if whole:  # nothing kept from the last check: every statement read and judged again
                    engine.context.index.memos.pop(rel, None)
                    engine._validation_memo.clear()
                started = time.perf_counter()
                engine.set_overlay(path, edit(run, where))
                engine.validate_file(path)
                out.append((time.perf_counter() - started) * 1000)
            return sorted(out)

        def line(label: str, timings: list[float]) -> str:
            p50, p95 = statistics.median(timings), timings[int(len(timings) * 0.95) - 1]
            return f"{label} ({len(timings)} runs): p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"

        engine.set_overlay(path, text)
        engine.validate_file(path)
        findings = engine.file_findings.get(str(path), [])
        one_line = timed(False, middle, args.runs)
        at_top = timed(False, 0, args.runs)
        whole = timed(True, middle, max(args.runs // 4, 10))
        print(
            f"file: {len(text.splitlines())} lines, {len(text) / 1024:.0f} KB; findings: {len(findings)} "
            f"({', '.join(sorted({f.code for f in findings}))}); re-index + the four fast families "
            "(imports, exports, API calls, conventions), in-process"
        )
        print(line("one-line edit, middle of the file", one_line) + "   target p95 <= 10 ms")
        print(line("one-line edit, top of the file (style sample changes)", at_top))
        print(line("whole-file check (nothing kept)", whole))
        print(f"one-line edit / whole-file check: {statistics.median(one_line) / statistics.median(whole):.2f} (p50)")


if __name__ == "__main__":
    main()
