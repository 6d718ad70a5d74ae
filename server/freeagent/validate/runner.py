"""Which rule families run on a file, suppressions, and the one entry point the CLI and the
server share.

A family that fails on a file (a bug of ours meeting code we did not foresee) never takes the
check down: its findings for that file are left out, one warning naming the family and the file
is logged, and the other families' findings stand — in the CLI, the editor and the LLM gate alike.

Suppression: codes listed in the ``ignoreCodes`` setting are never reported; a comment
``freeagent-ignore FA301`` (any comment style, several codes allowed, none meaning all) at the
end of a line silences that line; on a line of its own, the line after it.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
from collections.abc import Iterable
from pathlib import Path

from ..context.index import fork_is_safe
from ..context.workspace import WorkspaceContext
from ..edits import Fix
from ..findings import Finding
from .api import ApiRules
from .conventions import ConventionRules
from .exports import ExportRules
from .imports import ImportRules
from .python_names import PythonNameRules

# below this many files a forked process costs more than it saves
FORK_MIN_FILES = 200
FORK_CHUNK = 8  # files a process takes at a time
# ... or this many Python files: each may ask jedi questions of a second or more on a cold cache
# (parsing the installed packages with parso, pure Python), which a second core halves
FORK_MIN_PYTHON_FILES = 16

log = logging.getLogger(__name__)

_IGNORE = re.compile(r"(?://|#|/\*)\s*freeagent-ignore\b([^\n]*)")


class Validator:
    def __init__(self, ctx: WorkspaceContext, operations=None, workspace_specs: bool = False, registry=None, memo=None):
        """``operations``: the spec registry's (API calls are checked against them when given);
        ``workspace_specs``: whether they are the workspace's own (else only the bundled ones);
        ``registry`` (or a function returning it): what reads the schemas (``$ref``, ``allOf``, ``oneOf``) for
        the bodies and responses checked against them; ``memo``: a dict the caller keeps
        between validations of the same files (the server's engine does), so the results of
        what an edit did not touch are reused."""
        self.ctx = ctx
        self.imports = ImportRules(ctx)
        self.exports = ExportRules(ctx)
        self.conventions = ConventionRules(ctx)
        self.python_names = PythonNameRules(ctx)
        self.api = ApiRules(ctx, operations or [], workspace_specs, registry, memo)

    def check_file(self, path: Path) -> list[Finding]:
        """Fast families on an indexed file (its open-document text when it is open)."""
        if not self.ctx.contains(path):
            return []
        summary = self.ctx.index.files.get(self.ctx.rel(path))
        if summary is None:
            return []
        findings: list[Finding] = []
        for family in self.families():
            try:
                findings += family.check(path, summary)
            except Exception as e:  # noqa: BLE001 — one failing family must not stop the others (RecursionError too)
                self._family_failed(family, path, e)
        findings = self.unsuppressed(path, findings)
        return sorted(findings, key=lambda f: (f.range.line, f.range.character, f.code))

    def families(self) -> tuple:
        """The rule families, in the order their findings are gathered."""
        return (self.imports, self.exports, self.conventions, self.api, self.python_names)

    def _family_failed(self, family, path: Path, error: BaseException) -> None:
        log.warning(
            "%s failed on %s and was skipped for that file: %s: %s",
            type(family).__name__,
            self.ctx.rel(path),
            type(error).__name__,
            error,
            exc_info=log.isEnabledFor(logging.DEBUG),
        )

    def unsuppressed(self, path: Path, findings: list[Finding]) -> list[Finding]:
        ignored = set(self.ctx.settings.ignore_codes)
        findings = [f for f in findings if f.code not in ignored]
        if not findings:
            return findings
        text = self.ctx.read(path) or ""
        if "freeagent-ignore" not in text:
            return findings
        silenced: dict[int, set[str] | None] = {}
        for number, line in enumerate(text.split("\n")):
            m = _IGNORE.search(line)
            if m:
                codes = set(re.findall(r"FA\d{3}", m.group(1) or "")) or None
                # a trailing comment silences its own line; a comment line, the line after it
                targets = (number,) if line[: m.start()].strip() else (number, number + 1)
                for target in targets:
                    previous = silenced.get(target, set())
                    silenced[target] = None if codes is None or previous is None else previous | codes
        out = []
        for f in findings:
            if f.range.line in silenced:
                codes = silenced[f.range.line]
                if codes is None or f.code in codes:
                    continue
            out.append(f)
        return out

    def resolve_fix(self, recipe: dict) -> Fix | None:
        """The edits of a fix a finding carried as a recipe (computed when asked for)."""
        if recipe.get("kind") == "rename":
            return self.conventions.resolve_rename(recipe)
        return None

    def check_all(self, paths: list[Path] | None = None, jobs: int = 1) -> dict[str, list[Finding]]:
        """Findings per file (only files with any, in path order). ``jobs`` > 1 splits the files
        among forked processes when this process may fork (Linux, one thread: the CLI) and there
        are enough of them — the checks of one file never depend on another's."""
        targets = [self.ctx.root / rel for rel in sorted(self.ctx.index.files)] if paths is None else paths
        python_files = sum(1 for p in targets if p.suffix in (".py", ".pyi"))
        if jobs > 1 and (len(targets) >= FORK_MIN_FILES or python_files >= FORK_MIN_PYTHON_FILES):
            self.ctx.stop_python_analysis()  # jedi's helper process and its reader thread: not to be forked
            if fork_is_safe():
                return self._check_forked(targets, jobs)
        return self._check_serial(targets)

    def _check_serial(self, targets: Iterable[Path]) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for path in targets:
            findings = self.check_file(path)
            if findings:
                out[str(path)] = findings
        return out

    def _check_forked(self, targets: list[Path], jobs: int) -> dict[str, list[Finding]]:
        """This process and ``jobs - 1`` forked children take files off one shared counter, a
        few at a time (files differ a lot: the first to call fetch() loads the specs), and the
        children send their findings back pickled through a pipe. What many files share (the
        workspace's votes, the specs) each process computes on first use. A child that fails
        makes this process check everything again, so the error is raised where it is seen."""
        import multiprocessing

        forking = multiprocessing.get_context("fork")
        taken, lock = forking.RawValue("q", 0), forking.Lock()

        def share():
            while True:
                with lock:
                    start = taken.value
                    taken.value = start + FORK_CHUNK
                if start >= len(targets):
                    return
                yield from targets[start : start + FORK_CHUNK]

        children: list[tuple[int, int]] = []
        for _ in range(jobs - 1):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: check, write, leave without running the parent's exit code
                status = 1
                try:
                    os.close(read_end)
                    with os.fdopen(write_end, "wb") as pipe:
                        pipe.write(pickle.dumps(self._check_serial(share()), pickle.HIGHEST_PROTOCOL))
                    status = 0
                finally:
                    os._exit(status)
            os.close(write_end)
            children.append((pid, read_end))
        found = self._check_serial(share())
        failed = False
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as results:
                data = results.read()
            _, status = os.waitpid(pid, 0)
            if status == 0 and data:
                found.update(pickle.loads(data))
            else:
                failed = True
        if failed:
            return self._check_serial(targets)
        return {str(p): found[str(p)] for p in targets if str(p) in found}
