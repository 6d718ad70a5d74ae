"""Free Agent's Python name checks against pyright on the labelled corpus (issue 34), in one run.

The corpus (tests/fixtures/python-api-corpus) holds injected hallucinations, one per line marked
``# expect FAxxx`` (FA105 a package that is not there, FA203 a name a module does not have, FA204
an attribute, FA205 a keyword), and clean files of valid code that naive checkers get wrong. Both
tools run over a copy of it whose environment is the venv running this bench (requests, httpx,
pydantic, FastAPI, SQLAlchemy, click, PyYAML installed):

* Free Agent: ``freeagent check corpus --format json``, cold (empty caches) and warm;
* pyright (tests/toolchain, ``--outputjson``, basic mode), its diagnostics of the kinds that say the
  same thing: a missing import, an unknown import symbol or attribute, no parameter of that name.

A labelled line is found when the tool reports one of those kinds on it; anything of those kinds
on another line is a false positive (lines marked ``# missed`` — a fault behind a forwarding
``**kwargs`` — count neither way). Prints recall per code, false positives and seconds for both,
and the time ratio; asserts nothing.

Usage: python bench/pyright_compare.py
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers import PYTHON_CORPUS, TOOLCHAIN, python_corpus_labels  # noqa: E402

PYRIGHT_RULES = {
    "reportMissingImports",
    "reportMissingModuleSource",
    "reportAttributeAccessIssue",
    "reportCallIssue",
    "reportPrivateImportUsage",
}


def freeagent(root: Path, env: dict) -> tuple[set[tuple[str, int, str]], float]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "freeagent"),
            "check",
            "corpus",
            "--workspace",
            str(root),
            "--format",
            "json",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.perf_counter() - started
    found = {
        (f["file"], f["line"], f["code"])
        for f in json.loads(done.stdout or "[]")
        if f["code"] in ("FA105", "FA203", "FA204", "FA205")
    }
    return found, seconds


def pyright(root: Path) -> tuple[set[tuple[str, int, str]], float]:
    (root / "pyrightconfig.json").write_text(
        json.dumps({"include": ["corpus"], "pythonVersion": "3.11", "typeCheckingMode": "basic"})
    )
    started = time.perf_counter()
    done = subprocess.run(
        [str(TOOLCHAIN / ".bin" / "pyright"), "--outputjson", "--pythonpath", sys.executable],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.perf_counter() - started
    found = set()
    for d in json.loads(done.stdout).get("generalDiagnostics", []):
        if d.get("severity") == "error" and d.get("rule") in PYRIGHT_RULES:
            rel = Path(d["file"]).resolve().relative_to(root.resolve()).as_posix()
            found.add((rel, d["range"]["start"]["line"] + 1, d["rule"]))
    return found, seconds


def score(found_lines: set[tuple[str, int]], expected, missed) -> tuple[dict, int]:
    per_code: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for file, line, code in expected:
        per_code[code][1] += 1
        per_code[code][0] += (file, line) in found_lines
    labelled = {(f, n) for f, n, _ in expected | missed}
    false = len({x for x in found_lines if x not in labelled})
    return dict(per_code), false


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="pyright-compare-"))
    try:
        root = work / "python-api-corpus"
        shutil.copytree(PYTHON_CORPUS, root)
        (root / ".venv").symlink_to(Path(sys.prefix))
        expected, missed = python_corpus_labels(root)
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"))
        fa_found, fa_cold = freeagent(root, env)
        _, fa_warm = freeagent(root, env)
        pr_found, pr_seconds = pyright(root)
        fa_codes, fa_false = score({(f, n) for f, n, _ in fa_found}, expected, missed)
        pr_codes, pr_false = score({(f, n) for f, n, _ in pr_found}, expected, missed)
        print(
            f"corpus: {len(expected)} faults, {len(missed)} labelled misses, {len(list((root / 'corpus' / 'clean').rglob('*.py')))} clean files"
        )
        print(f"{'code':<6} {'Free Agent':>12} {'pyright':>12}")
        for code in sorted(fa_codes):
            fa, pr = fa_codes[code], pr_codes.get(code, [0, fa_codes[code][1]])
            print(f"{code:<6} {fa[0]:>5}/{fa[1]:<6} {pr[0]:>5}/{pr[1]:<6}")
        fa_hits = sum(v[0] for v in fa_codes.values())
        pr_hits = sum(v[0] for v in pr_codes.values())
        print(f"recall  Free Agent {fa_hits / len(expected):.1%}   pyright {pr_hits / len(expected):.1%}")
        print(f"false positives (on unlabelled lines)  Free Agent {fa_false}   pyright {pr_false}")
        print(
            f"seconds  Free Agent cold {fa_cold:.1f}, warm {fa_warm:.2f}   pyright {pr_seconds:.1f}   "
            f"(Free Agent cold / pyright = {fa_cold / pr_seconds:.2f})"
        )
        only_fa = sorted(
            {(f, n) for f, n, _ in expected if (f, n) in {(a, b) for a, b, _ in fa_found}}
            - {(f, n) for f, n, _ in pr_found}
        )
        only_pr = sorted(
            {(f, n) for f, n, _ in expected if (f, n) in {(a, b) for a, b, _ in pr_found}}
            - {(f, n) for f, n, _ in fa_found}
        )
        print(f"found by Free Agent only: {only_fa}")
        print(f"found by pyright only: {only_pr}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
