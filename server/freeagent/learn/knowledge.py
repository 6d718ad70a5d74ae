"""The knowledge base: what the outcome store's records teach the next generation, always checked
against the project as it is now, and handed to the prompt as budgeted sections.

Owns three kinds of knowledge and their retrieval:

* **patterns that worked** — applied generations that passed their checks and survived (≥ 80 % of
  their lines a day later, or at their commit), found by full-text ranking (SQLite FTS5, BM25)
  of their task and code against the new task, the same kind of file first (route, client,
  service, hook, test …). A pattern whose imports no longer resolve, or whose names are no longer
  exported where it imports them from, is stale: skipped, and after 3 misses never offered again;
* **project facts from failures** — each failing finding of an attempt becomes a fact with the file
  that shows it ("`lodash` is not installed here", "`src/lib/errors.ts` does not export `AppErr`;
  it exports AppError, NotFoundError"), extracted deterministically from the finding and the
  index, counted each time it recurs, verified against the project every time it is used (a fact
  no longer true is dropped), expired after 30 days unused;
* **per-model pitfalls** — the same facts, kept for the model that made the mistake, so the prompt
  warns that model specifically.

The prompt gets "What worked in this project before" and "Known pitfalls here"
(:meth:`KnowledgeBase.sections`); each section says which patterns and facts it used, which the
generation's record keeps (``generations.knowledge``) so their usefulness can be measured.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..context.workspace import WorkspaceContext
from ..findings import (
    CODE_BODY_FIELDS,
    CODE_DEV_DEPENDENCY_AT_RUNTIME,
    CODE_NAME_NOT_EXPORTED,
    CODE_UNDECLARED_PACKAGE,
    CODE_UNDECLARED_PYTHON_IMPORT,
    CODE_UNKNOWN_ATTRIBUTE,
    CODE_UNKNOWN_IMPORTED_NAME,
    CODE_UNKNOWN_KEYWORD,
    CODE_UNKNOWN_METHOD,
    CODE_UNKNOWN_PATH,
    CODE_UNKNOWN_QUERY_PARAM,
    CODE_UNRESOLVED_IMPORT,
)
from ..store import FactRecord, GenerationRecord, OutcomeStore

PATTERNS = 2  # patterns offered to one prompt (the token budget may cut them further)
FACTS = 12
EXPIRE_DAYS = 30
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]{2,}")
_STOP = frozenset(
    "the and for with that this from into when then than are was were will has have had not but all any "
    "each its it's use using add new get set make code file function return returns".split()
)
_ROLES = (
    ("test", re.compile(r"(^|/)(tests?|__tests__)/|\.(test|spec)\.|(^|/)test_")),
    ("client", re.compile(r"(^|/)(clients?|sdk)/|client\.[jt]sx?$|_client\.py$")),
    ("route", re.compile(r"(^|/)(routes?|handlers?|controllers?|api)/|route\.[jt]sx?$")),
    ("hook", re.compile(r"(^|/)hooks?/|(^|/)use[A-Z]\w*\.")),
    ("component", re.compile(r"(^|/)components?/|\.tsx$")),
    ("model", re.compile(r"(^|/)(models?|schemas?|types?)/")),
    ("service", re.compile(r"(^|/)(services?|lib|utils?)/")),
)
_QUOTED = re.compile(r"'([^']+)'")


def role_of(rel: str | None) -> str:
    """What kind of file this is, by its path: route, client, service, hook, test …"""
    for role, pattern in _ROLES:
        if rel and pattern.search(rel):
            return role
    return "other"


def task_words(text: str) -> list[str]:
    """The words of a task worth searching for (camelCase split, stop words out)."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)
    return [w.lower() for w in _WORD.findall(spaced) if w.lower() not in _STOP]


@dataclass
class Section:
    name: str  # worked | pitfalls
    body: str
    used: list[str] = field(default_factory=list)  # "pattern:<id>", "fact:<id>"


class KnowledgeBase:
    def __init__(self, store: OutcomeStore, ctx: WorkspaceContext, identity: str | None = None):
        """``identity``: what the store knows the workspace by (its root by default)."""
        self.store = store
        self.ctx = ctx
        self.identity = identity or str(ctx.root)

    # ------------------------------------------------------------------ learning

    def learn(self, rec: GenerationRecord) -> list[str]:
        """The facts a recorded generation's failed attempts prove; their ids."""
        ids = []
        for attempt in rec.attempts:
            for finding in attempt.findings:
                fact = self._fact(finding, rec)
                if fact is None:
                    continue
                ids.append(self.store.add_fact(fact))
                if attempt.model:  # the same mistake, kept for the model that made it
                    ids.append(self.store.add_fact(FactRecord(**{**fact.__dict__, "id": "", "model": attempt.model})))
        return ids

    def _fact(self, finding: dict, rec: GenerationRecord) -> FactRecord | None:
        code, message = finding.get("code"), finding.get("message") or ""
        quoted = _QUOTED.findall(message)
        workspace = rec.workspace
        if code in (CODE_UNDECLARED_PACKAGE, CODE_UNDECLARED_PYTHON_IMPORT) and quoted:
            name = quoted[0]
            manifest = "pyproject.toml" if code == CODE_UNDECLARED_PYTHON_IMPORT else "package.json"
            return FactRecord(
                workspace,
                "not_installed",
                name,
                f"`{name}` is not a dependency of this project (not in {manifest}, not installed): do not import it",
                citation=manifest,
            )
        if code == CODE_DEV_DEPENDENCY_AT_RUNTIME and quoted:
            return FactRecord(
                workspace,
                "not_installed",
                quoted[0],
                f"`{quoted[0]}` is only a devDependency here: production code must not import it",
                citation="package.json",
            )
        if code == CODE_NAME_NOT_EXPORTED and len(quoted) >= 2 and rec.file:
            name, spec = quoted[0], quoted[1]
            target = self._resolve(rec.file, spec)
            exports = self._exports(target) if target else []
            where = target or spec
            text = f"`{where}` does not export `{name}`" + (
                f"; it exports {', '.join(exports[:12])}" if exports else ""
            )
            return FactRecord(workspace, "not_exported", f"{where}#{name}", text, citation=target)
        if code == CODE_UNRESOLVED_IMPORT and quoted and quoted[0].startswith("."):
            return FactRecord(
                workspace,
                "unresolved",
                quoted[0] if not rec.file else f"{Path(rec.file).parent.as_posix()}:{quoted[0]}",
                f"`{quoted[0]}` does not exist (imported from {rec.file}): {message}",
                citation=rec.file,
            )
        if code in (CODE_UNKNOWN_IMPORTED_NAME, CODE_UNKNOWN_ATTRIBUTE, CODE_UNKNOWN_KEYWORD) and quoted:
            return FactRecord(workspace, "unknown_api", "|".join(quoted[:2]), message, citation=rec.file)
        if code in (CODE_UNKNOWN_PATH, CODE_UNKNOWN_METHOD, CODE_UNKNOWN_QUERY_PARAM, CODE_BODY_FIELDS):
            subject = quoted[0] if quoted else message[:80]
            return FactRecord(workspace, "unknown_endpoint", subject, message, citation=rec.file)
        return None

    # ------------------------------------------------------------------ retrieval

    def sections(self, task: str, path: Path, models: list[str] | None = None) -> list[Section]:
        """The prompt's "What worked in this project before" and "Known pitfalls here", each
        with what it used; patterns and facts checked against the project as it is now."""
        rel = self.ctx.rel(path) if self.ctx.contains(path) else path.name
        out = []
        worked = self._patterns(task, rel)
        if worked.body:
            out.append(worked)
        pitfalls = self._pitfalls(set(models or []))
        if pitfalls.body:
            out.append(pitfalls)
        return out

    def _patterns(self, task: str, rel: str) -> Section:
        workspace = self.identity
        found = self.store.search_patterns(workspace, task_words(task), limit=PATTERNS * 4)
        role = role_of(rel)
        found.sort(key=lambda r: role_of(r.file) != role)  # stable: BM25 order within each role
        chosen: list[GenerationRecord] = []
        for rec in found:
            if len(chosen) == PATTERNS:
                break
            if self._stale(rec):
                self.store.pattern_missed(rec.id)
                continue
            chosen.append(rec)
        if not chosen:
            return Section("worked", "")
        fence = "python" if rel.endswith(".py") else "ts"
        parts = [
            "## What worked in this project before",
            "Code accepted here for similar tasks: it passed the project's checks and stayed in the code. "
            "Follow its imports, helpers and error handling where they fit.",
        ]
        for rec in chosen:
            parts.append(f"### {rec.task} — {rec.file}\n```{fence}\n{rec.code.rstrip()}\n```")
        return Section("worked", "\n".join(parts) + "\n", [f"pattern:{r.id}" for r in chosen])

    def _pitfalls(self, models: set[str]) -> Section:
        workspace = self.identity
        now = time.time()
        stale: list[str] = []
        lines: list[str] = []
        used: list[str] = []
        for fact in self.store.facts(workspace):
            if max(fact.last_used or 0.0, fact.last_seen) < now - EXPIRE_DAYS * 86400 or not self._still_true(fact):
                stale.append(fact.id)
                continue
            if fact.model and fact.model not in models and "" not in models:  # "": the provider's default model
                continue
            if len(lines) == FACTS:
                continue
            seen = f" (seen {fact.seen}×)" if fact.seen > 1 else ""
            who = f"{fact.model} has made this mistake here: " if fact.model else ""
            lines.append(f"- {who}{fact.text}{seen}")
            used.append(fact.id)
        self.store.drop_facts(stale)
        self.store.use_facts(used)
        if not lines:
            return Section("pitfalls", "")
        body = "## Known pitfalls here\nMistakes the project's checks caught before:\n" + "\n".join(lines) + "\n"
        return Section("pitfalls", body, [f"fact:{i}" for i in used])

    def contents(self, full: bool = False) -> dict:
        """``{"patterns", "facts"}`` as ``freeagent kb`` shows them (``full``: with the code)."""
        patterns = [
            {
                "kind": "pattern",
                "id": r.id,
                "task": r.task,
                "file": r.file,
                "model": r.model,
                "created": r.created,
                **({"code": r.code} if full else {}),
            }
            for r in self.store.patterns(self.identity)
        ]
        facts = [
            {
                "kind": f.kind,
                "id": f.id,
                "subject": f.subject,
                "model": f.model or None,
                "text": f.text,
                "citation": f.citation,
                "seen": f.seen,
                "last_seen": f.last_seen,
                "last_used": f.last_used,
            }
            for f in self.store.facts(self.identity)
        ]
        return {"patterns": patterns, "facts": facts}

    # ------------------------------------------------------------------ the project as it is now

    def _still_true(self, fact: FactRecord) -> bool:
        """Whether the fact holds for the project today (a package added since, an export
        written since, a file created since make it false)."""
        if fact.kind == "not_installed":
            packages = [self.ctx.root_package, *self.ctx.packages.values()]
            if any(m is not None and m.declared(fact.subject) for m in packages):
                return False
            python = {dep.name.lower() for m in self.ctx.python.values() for dep in m.dependencies}
            return fact.subject.lower() not in python
        if fact.kind == "not_exported" and "#" in fact.subject:
            module, name = fact.subject.rsplit("#", 1)
            return name not in self._exports(module) if (self.ctx.root / module).is_file() else True
        if fact.kind == "unresolved" and ":" in fact.subject:
            folder, spec = fact.subject.split(":", 1)
            return self._resolve(f"{folder}/x.ts", spec) is None
        return True

    def _stale(self, rec: GenerationRecord) -> bool:
        """Whether a pattern's imports no longer resolve, or import names no longer exported."""
        if not rec.file:
            return False
        language = "python" if rec.file.endswith(".py") else ("tsx" if rec.file.endswith(".tsx") else "typescript")
        try:
            summary = self.ctx.index.parsers.summarize(rec.file, language, rec.code.encode())
        except Exception:  # noqa: BLE001 — a pattern that no longer parses is not one to follow
            return True
        path = self.ctx.root / rec.file
        package = self.ctx.nearest_package(path)
        for record in summary.imports:
            spec = record.specifier
            if language == "python" or not spec:
                continue
            if spec.startswith("."):
                target = self._resolve(rec.file, spec)
                if target is None:
                    return True
                exported = set(self._exports(target))
                wanted = {n for n in record.names if n not in ("*", "default")}
                if exported and not wanted <= exported:
                    return True
            elif not spec.startswith("node:"):
                name = spec.split("/")[0] if not spec.startswith("@") else "/".join(spec.split("/")[:2])
                manifests = [package, self.ctx.root_package]
                from ..context.manifests import is_node_builtin

                if not is_node_builtin(spec) and not any(m is not None and m.declared(name) for m in manifests):
                    return True
        return False

    def _resolve(self, importer: str, spec: str) -> str | None:
        """The workspace file (relative) a relative specifier of ``importer`` names, or None."""
        from ..validate.resolve import resolve_relative

        path = self.ctx.root / importer
        config = self.ctx.nearest_tsconfig(path)
        resolution = config.module_resolution if config is not None else "bundler"
        found = resolve_relative(path, spec, resolution, False, True, self.ctx.file_exists)
        if found.path is None or not self.ctx.contains(found.path):
            return None
        return self.ctx.rel(found.path)

    def _exports(self, rel: str) -> list[str]:
        summary = self.ctx.index.files.get(rel)
        if summary is None:
            return []
        return sorted({e.name for e in summary.exports if e.name not in ("*",)})
