"""The deep check (rule family 5, FA5xx): the workspace's own TypeScript compiler on a file.

Owns finding the compiler (the workspace's ``node_modules/.bin/tsc``, walking up from the
file, else one on PATH — never a downloaded one), preparing an overlay (the open document's
text written beside the real file as a hidden temporary file, with a temporary tsconfig that
extends the file's own tsconfig: the same program the build compiles — its ``files`` and
``include`` — with the overlay in place of the real file), and mapping
``file(line,col): error TSnnnn: message`` back onto the real file as FA501 findings.

The file is checked in its project's program, not alone: a file using the ``Buffer`` global
compiles when another file of the program brings ``@types/node`` in (TypeScript 7 no longer
includes every ``@types`` package), and fails alone with TS2591. When the compiler stops on its
configuration (TS5102, an option the installed TypeScript removed) it checks nothing: that is
one FA502 finding naming the configuration's error, never a pass.

The CLI (``check --typecheck``), the server (on save, when enabled) and the LLM pipeline's gate
run it under a time limit and clean the temporaries up whatever happens. It is never run on
every keystroke.
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
from ..findings import CODE_TYPE_ERROR, CODE_TYPECHECK_NOT_RUN, Finding, Range, Severity

_LINE = re.compile(
    r"^(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\): (?P<sev>error|warning) (?P<code>TS\d+): (?P<msg>.*)$"
)
_GLOBAL = re.compile(r"^(?:error|warning) TS\d+: ")  # a diagnostic of no file (options, missing inputs)
_DEFAULT_EXCLUDE = ("node_modules", "bower_components", "jspm_packages")


def _shown(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return str(path)


@dataclass
class Prepared:
    command: list[str]
    cwd: Path
    overlay: Path
    config: Path
    real: Path
    project: Path | None = None  # the project's own tsconfig, which ``config`` extends

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
        here = temp_config.parent

        def local(pattern: str) -> str:  # a spec of the project's config, relative to the temporary one
            return os.path.relpath(os.path.join(config.spec_base or config.dir, pattern), here).replace(os.sep, "/")

        real = os.path.relpath(path, here).replace(os.sep, "/")
        files = [f for f in (local(f) for f in config.files or []) if os.path.normpath(f) != os.path.normpath(real)]
        exclude = config.exclude if config.exclude is not None else list(_DEFAULT_EXCLUDE)
        out_dir = config.option("outDir")
        if config.exclude is None and isinstance(out_dir, str):
            exclude.append(out_dir)  # TypeScript's default exclude has the output folder too
        program: dict = {
            "extends": "./" + config.path.name,
            # no output, no build info: the check must leave nothing behind in the workspace
            "compilerOptions": {"noEmit": True, "incremental": False, "composite": False},
            # the project's own program (its include is inherited), the overlay in the real file's place
            "files": [*files, os.path.relpath(overlay, here).replace(os.sep, "/")],
            "exclude": [local(e) for e in exclude] + [real],
        }
        if config.include is None and config.files is not None:
            program["include"] = []  # `files` alone: no include by default, as in the project
        overlay.write_text(text, encoding="utf-8")
        temp_config.write_text(json.dumps(program), encoding="utf-8")
        return Prepared(
            [*tsc, "-p", str(temp_config), "--pretty", "false"],
            config.path.parent,
            overlay,
            temp_config,
            path,
            config.path,
        )

    def parse(self, prepared: Prepared, output: str, status: int | None = None) -> list[Finding]:
        """The overlay's diagnostics as FA501 findings on the real file. ``status`` is tsc's exit
        status: a failed run that reports nothing in any source file stopped before checking
        (its configuration's errors, a crash) — that is one FA502 finding saying why."""
        findings = []
        stopped: list[str] = []  # diagnostics that are not about a source file
        in_sources = False
        for raw in output.splitlines():
            m = _LINE.match(raw.strip())
            if not m:
                if _GLOBAL.match(raw.strip()):
                    stopped.append(raw.strip())
                continue
            reported = (prepared.cwd / m.group("file")).resolve()
            if reported.suffix == ".json":
                if reported == prepared.config.resolve() and prepared.project is not None:
                    # tsc places an inherited option's error in the temporary config: name the
                    # project's own (the position in a file that is gone would mean nothing)
                    where = _shown(prepared.project, prepared.cwd)
                else:
                    where = f"{_shown(reported, prepared.cwd)}({m.group('line')},{m.group('col')})"
                stopped.append(f"{where}: {m.group('code')}: {m.group('msg')}")
                continue
            in_sources = True
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
        if status and not in_sources:
            why = "; ".join(stopped[:3]) or (output.strip().splitlines() or [f"tsc exited with status {status}"])[0]
            return [
                Finding(
                    str(prepared.real),
                    Range.at(0, 0),
                    Severity.WARNING,
                    CODE_TYPECHECK_NOT_RUN,
                    f"the type check could not run: {why[:500]}",
                )
            ]
        return findings

    def run(self, path: Path, text: str, timeout: float = 60.0) -> list[Finding] | None:
        """Synchronous run (the CLI); None when no compiler or tsconfig applies."""
        import subprocess

        prepared = self.prepare(path, text)
        if prepared is None:
            return None
        try:
            proc = subprocess.run(prepared.command, cwd=prepared.cwd, capture_output=True, text=True, timeout=timeout)
            return self.parse(prepared, proc.stdout + proc.stderr, proc.returncode)
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
