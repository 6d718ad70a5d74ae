"""The deep check (rule family 5, FA5xx): the workspace's own TypeScript compiler on a file.

Owns finding the compiler (the workspace's ``node_modules/.bin/tsc``, walking up from the
file, else one on PATH — never a downloaded one), preparing an overlay (the open document's
text written beside the real file as a hidden temporary file, with a temporary tsconfig that
extends the file's own tsconfig and lists only that file), and mapping
``file(line,col): error TSnnnn: message`` back onto the real file as FA501 findings. Both the
CLI (``check --typecheck``) and the server (on save, when enabled) run it under a time limit
and clean the temporaries up whatever happens. It is never run on every keystroke.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..context.workspace import WorkspaceContext
from ..findings import CODE_TYPE_ERROR, Finding, Range, Severity

_LINE = re.compile(
    r"^(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\): (?P<sev>error|warning) (?P<code>TS\d+): (?P<msg>.*)$"
)


@dataclass
class Prepared:
    command: list[str]
    cwd: Path
    overlay: Path
    config: Path
    real: Path

    def cleanup(self) -> None:
        for temp in (self.overlay, self.config):
            with contextlib.suppress(OSError):
                temp.unlink()


def find_tsc(start: Path, root: Path) -> list[str] | None:
    directory = start
    while True:
        candidate = directory / "node_modules" / ".bin" / "tsc"
        if candidate.exists():
            return [str(candidate)]
        if directory == root or directory.parent == directory:
            break
        directory = directory.parent
    on_path = shutil.which("tsc")
    return [on_path] if on_path else None


class TypeCheck:
    def __init__(self, ctx: WorkspaceContext):
        self.ctx = ctx

    def prepare(self, path: Path, text: str) -> Prepared | None:
        """Write the overlay and its tsconfig; None when there is no compiler or tsconfig."""
        config = self.ctx.nearest_tsconfig(path)
        if config is None:
            return None
        tsc = find_tsc(path.parent, self.ctx.root)
        if tsc is None:
            return None
        token = uuid.uuid4().hex[:8]
        overlay = path.with_name(f".{path.stem}.freeagent-{token}{''.join(path.suffixes) or '.ts'}")
        temp_config = config.path.with_name(f"tsconfig.freeagent-{token}.json")
        overlay.write_text(text, encoding="utf-8")
        temp_config.write_text(
            json.dumps(
                {
                    "extends": "./" + config.path.name,
                    "compilerOptions": {"noEmit": True, "incremental": False, "composite": False},
                    "files": [os.path.relpath(overlay, temp_config.parent)],
                    "include": [],
                }
            ),
            encoding="utf-8",
        )
        return Prepared(
            [*tsc, "-p", str(temp_config), "--pretty", "false"], config.path.parent, overlay, temp_config, path
        )

    def parse(self, prepared: Prepared, output: str) -> list[Finding]:
        findings = []
        for raw in output.splitlines():
            m = _LINE.match(raw.strip())
            if not m:
                continue
            reported = (prepared.cwd / m.group("file")).resolve()
            if reported != prepared.overlay.resolve():
                continue  # errors in other files are theirs, not this document's
            line, col = int(m.group("line")) - 1, int(m.group("col")) - 1
            severity = Severity.ERROR if m.group("sev") == "error" else Severity.WARNING
            findings.append(
                Finding(
                    str(prepared.real),
                    Range(line, col, line, col + 1),
                    severity,
                    CODE_TYPE_ERROR,
                    f"{m.group('code')}: {m.group('msg')}",
                )
            )
        return findings

    def run(self, path: Path, text: str, timeout: float = 60.0) -> list[Finding] | None:
        """Synchronous run (the CLI); None when no compiler or tsconfig applies."""
        import subprocess

        prepared = self.prepare(path, text)
        if prepared is None:
            return None
        try:
            proc = subprocess.run(prepared.command, cwd=prepared.cwd, capture_output=True, text=True, timeout=timeout)
            return self.parse(prepared, proc.stdout + proc.stderr)
        except subprocess.TimeoutExpired:
            return [
                Finding(
                    str(path),
                    Range.at(0, 0),
                    Severity.INFORMATION,
                    CODE_TYPE_ERROR,
                    f"type check stopped after {timeout:.0f} s",
                )
            ]
        finally:
            prepared.cleanup()
