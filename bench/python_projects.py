"""Free Agent's Python checks and pyright on real Python applications, in one run (issue 34).

For each project (a folder with its own installed environment, found as the server finds it —
``.venv`` and the like — and the folders to check under it):

* Free Agent cold: ``freeagent check FOLDERS --format json`` with a new cache folder
  (``XDG_CACHE_HOME``: no answers of Free Agent's, no parses of jedi's), default ``--jobs``;
* Free Agent warm: the same again (answers cached);
* pyright (tests/toolchain) over the same folders, ``--outputjson``, the project's own interpreter,
  the project's own configuration if it has one.

Prints, per project: Python lines, Free Agent's findings by code (FA105, FA203-FA205 are the
Python API checks), the false ones per 10k lines when ``bench/judgements/<project>-python.json``
judges them (the format of bench/judgements: ``code``, ``file``, ``line``, ``message``,
``verdict`` true|false, ``why``; a finding it does not list is counted as not judged), pyright's
errors of the kinds that say the same thing (missing import, unknown import symbol or attribute,
unknown parameter), and the times with their ratio. Writes each project's Free Agent findings to
``--out`` for judging. Asserts nothing.

Usage: python bench/python_projects.py PROJECT[:FOLDER[,FOLDER]] ... [--out DIR]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pyright_compare import PYRIGHT_RULES  # noqa: E402  (the kinds that say what FA105, FA203-FA205 say)

from tests.helpers import TOOLCHAIN  # noqa: E402

API_CODES = ("FA105", "FA203", "FA204", "FA205")
ENV_NAMES = (".venv", "venv", "env")


def python_lines(project: Path, folders: list[str]) -> int:
    total = 0
    for folder in folders:
        for path in (project / folder).rglob("*.py"):
            if not any(part in ENV_NAMES or part == "node_modules" for part in path.relative_to(project).parts):
                total += sum(1 for _ in path.open(encoding="utf-8", errors="replace"))
    return total


def freeagent(project: Path, folders: list[str], cache: Path) -> tuple[list[dict], float]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).parent / "freeagent"), "check", *folders, "--format", "json"],
        cwd=project,
        env=dict(os.environ, XDG_CACHE_HOME=str(cache)),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    seconds = time.perf_counter() - started
    return json.loads(done.stdout or "[]"), seconds


def pyright(project: Path, folders: list[str]) -> tuple[collections.Counter, float]:
    interpreter = next(
        (project / n / "bin" / "python" for n in ENV_NAMES if (project / n / "bin" / "python").exists()), None
    )
    argv = [str(TOOLCHAIN / ".bin" / "pyright"), "--outputjson", *folders]
    if interpreter is not None:
        argv[2:2] = ["--pythonpath", str(interpreter)]
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=project, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - started
    counts: collections.Counter = collections.Counter()
    for d in json.loads(done.stdout or "{}").get("generalDiagnostics", []):
        if d.get("severity") == "error":
            counts[d.get("rule") if d.get("rule") in PYRIGHT_RULES else "other"] += 1
    return counts, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("projects", nargs="+", help="PROJECT[:FOLDER[,FOLDER]] (default folder: the project)")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "python-projects")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for spec in args.projects:
        where, _, folders_text = spec.partition(":")
        project = Path(where).resolve()
        folders = folders_text.split(",") if folders_text else ["."]
        lines = python_lines(project, folders)
        judgement = Path(__file__).resolve().parent / "judgements" / f"{project.name}-python.json"
        judged = json.loads(judgement.read_text())["judgements"] if judgement.is_file() else []
        verdicts = {(j["code"], j["file"], j["line"], j["message"]): j["verdict"] for j in judged}
        with tempfile.TemporaryDirectory(prefix="python-projects-cache-") as cache:
            found, cold = freeagent(project, folders, Path(cache))
            _, warm = freeagent(project, folders, Path(cache))
        counts, pyright_seconds = pyright(project, folders)
        (args.out / f"{project.name}.json").write_text(json.dumps(found, indent=1))
        by_code = collections.Counter(f["code"] for f in found)
        api = [f for f in found if f["code"] in API_CODES]
        seen = [verdicts.get((f["code"], f["file"], f["line"], f["message"])) for f in found]
        false = sum(1 for v in seen if v == "false")
        unjudged = sum(1 for v in seen if v is None)
        print(f"## {project.name} ({', '.join(folders)}): {lines:,} Python lines")
        print(f"Free Agent findings: {dict(sorted(by_code.items()))}; Python API ({'/'.join(API_CODES)}): {len(api)}")
        if judged:
            print(
                f"  judged ({judgement.name}): {len(found) - unjudged} of {len(found)}, false {false} "
                f"({false * 10000 / max(lines, 1):.2f} per 10k lines)"
                + (f", not judged {unjudged}" if unjudged else "")
            )
        print(
            f"pyright errors of those kinds: {dict(sorted((k, v) for k, v in counts.items() if k != 'other'))}; other errors {counts['other']}"
        )
        print(
            f"seconds: Free Agent cold {cold:.1f}, warm {warm:.2f}; pyright {pyright_seconds:.1f}; "
            f"cold / pyright = {cold / pyright_seconds:.2f} (target <= 0.33)"
        )
        print(f"findings written to {args.out / (project.name + '.json')}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
