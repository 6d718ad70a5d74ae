"""One workspace folder's engine: its context, its spec registry, matching and generation.

This is the object the CLI and the language server both drive, so a code action and
``freeagent generate`` take exactly the same path: find the task (a marker comment, a
selection or an argument), match it to an operation, generate, check. It also owns what the
folder's findings are (config files, its settings file, specs, validators, the type check) and
which settings apply to it (see :mod:`freeagent.config` for the layers).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import SETTINGS_FILE, Settings, SettingsFile, merge_settings, read_settings_file
from .context import WorkspaceContext
from .context.workspace import Change
from .findings import Finding

if TYPE_CHECKING:  # the spec modules (YAML parsers, rapidfuzz) load when specs are first needed:
    # a check of a project without specs or HTTP calls never imports them (~50 ms of start-up)
    from .specs.match import Match, Matcher
    from .specs.model import Operation
    from .specs.registry import Registry

log = logging.getLogger(__name__)

# folders whose OpenAPI documents are test material or an example's, not the API the code calls
# (tRPC's examples/openapi-codegen/openapi.json is not what its test servers serve)
_FIXTURE_DIRS = re.compile(
    r"(^|/)(tests?|__tests__|__fixtures__|fixtures|test-?fixtures|testdata|e2e|examples?|demos?|samples?)/"
)


def expand_braces(pattern: str) -> list[str]:
    m = re.search(r"\{([^{}]*)\}", pattern)
    if not m:
        return [pattern]
    return [
        x for option in m.group(1).split(",") for x in expand_braces(pattern[: m.start()] + option + pattern[m.end() :])
    ]


class FolderEngine:
    """``settings``: fixed settings (tests, the evaluation); without them the engine merges the
    defaults, the workspace's ``.freeagent.json`` and the caller's ``layers`` (the editor's
    settings, or the CLI's flags), in that order, and follows the file when it changes."""

    def __init__(self, root: Path | str, settings: Settings | None = None, *, layers: Sequence[Any] = ()):
        root = Path(root).resolve()
        self._fixed = settings is not None
        self._layers: tuple[Any, ...] = tuple(layers)
        self.settings_file = SettingsFile(root / SETTINGS_FILE) if self._fixed else read_settings_file(root)
        self.settings_problems: list[str] = []  # the layers' invalid values, as messages to show once
        if settings is None:
            settings, self.settings_problems = merge_settings(self.settings_file.layer, *self._layers)
        self.settings = settings
        self.context = WorkspaceContext(root, self.settings)
        self._registry: Registry | None = None  # made on first use (see _spec_registry)
        self._matcher: Matcher | None = None
        self._specs_pending = False  # bundled specs not loaded yet (see load(lazy_specs=True))
        self._own_operations: tuple | None = None  # (registry.operations it was computed from, result)
        self._called: tuple | None = None  # the same, for _called_operations
        self.spec_paths: list[Path] = []
        self.validation: dict[str, list[Finding]] = {}  # schema validation, filled by validate_specs()
        self.file_findings: dict[str, list[Finding]] = {}  # validators' findings per checked file
        self.type_findings: dict[str, list[Finding]] = {}  # the deep check's, until the file changes
        self.validated_text: dict[str, str | None] = {}  # file -> the open-document text its findings are of
        self._validation_memo: dict = {}  # what validators keep between checks (see Validator)
        # what the outcome store and the knowledge base know this workspace by: its root, or what
        # the caller says (the evaluation's copies of one fixture share what they learn)
        self.identity = str(root)
        self._store: tuple[tuple[bool, str], Any] | None = None  # ((enabled, path setting), store or None)
        self.store_problem: str | None = None  # why the outcome store is not there, said once

    @property
    def root(self) -> Path:
        return self.context.root

    def tune(self, jobs: int | None = None, cache_dir: Path | None = None, cache: bool | None = None) -> None:
        """Resources for the first scan: ``jobs`` parsing processes (default: one per core), and
        the summary cache (in ``cache_dir``, default the user's cache directory) unless ``cache``
        (a command line's --cache/--no-cache) or else the settings (``index.cache``) turn it off."""
        from .context.summary_cache import default_cache_dir

        self.context.jobs = jobs or os.cpu_count() or 1
        use = self.settings.index.cache if cache is None else cache
        self.context.cache_dir = (cache_dir or default_cache_dir()) if use else None

    # ------------------------------------------------------------------ settings

    def set_layers(self, layers: Sequence[Any]) -> tuple[Change, list[str]]:
        """New settings layers above the workspace's file (the editor's, lowest first): the
        change they make, and the problems of their values as messages."""
        self._layers = tuple(layers)
        settings, problems = merge_settings(self.settings_file.layer, *self._layers)
        return self.update_settings(settings), problems

    def _settings_file_changed(self) -> Change:
        """``.freeagent.json`` was created, edited or deleted: read it again (an open document's
        text wins over the disk's) and apply the settings it now gives."""
        before = self.settings_file.findings
        self.settings_file = read_settings_file(self.root, self.context.read)
        change, self.settings_problems = self.set_layers(self._layers)
        change.kinds.add("settings")
        if before or self.settings_file.findings:
            change.problem_files.add(str(self.settings_file.path))
        return change

    def update_settings(self, settings: Settings) -> Change:
        """Apply new settings: before the first load they are simply taken; after it, what they
        change is re-read (the index, the specs)."""
        old = self.settings
        self.settings = settings
        if not self.context.loaded:
            self.context.settings = settings
            return Change()
        change = self.context.update_settings(settings)
        if old.spec_globs != settings.spec_globs or old.bundled_specs != settings.bundled_specs:
            before = set(self.registry.problems)
            self.load_specs()
            change.kinds.add("specs")
            change.problem_files |= before | set(self.registry.problems)
        return change

    # ------------------------------------------------------------------ the outcome store

    @property
    def outcomes(self):
        """The workspace's outcome store (:mod:`freeagent.store`), opened on first use and again
        when the ``store`` settings change; None when turned off or it cannot be opened (then
        ``store_problem`` says why, and generation goes on without it)."""
        key = (self.settings.store.enabled, self.settings.store.path)
        if self._store is not None and self._store[0] == key:
            return self._store[1]
        if self._store is not None and self._store[1] is not None:
            self._store[1].close()
        store = None
        if key[0]:
            from .store import SqliteStore, StoreError, store_path

            try:
                store = SqliteStore(store_path(self.root, key[1]))
                self.store_problem = None
            except StoreError as exc:
                self.store_problem = str(exc)
                log.warning("%s; generations are not recorded", exc)
        self._store = (key, store)
        return store

    @property
    def knowledge(self):
        """The knowledge base over the outcome store (:mod:`.learn.knowledge`), or None without one."""
        store = self.outcomes
        if store is None:
            return None
        from .learn.knowledge import KnowledgeBase

        return KnowledgeBase(store, self.context, self.identity)

    def record(self, result, task: str, surface: str, outcome: str = "offered", inserted_lines=None) -> str | None:
        """Record a generation (``result``: a :class:`~.generate.result.Generation`) with its
        outcome; its id, also set on ``result.id``. A store that fails is one warning, never an
        error: nothing the user asked for waits on it."""
        store = self.outcomes
        if store is None or not (result.code or result.history):
            return None
        from .redact import settings_keys
        from .store import StoreError

        rec = result.record(self.root, task, surface, settings_keys(self.settings.llm))
        rec.workspace = self.identity
        rec.outcome = outcome
        rec.inserted_lines = list(inserted_lines or [])
        try:
            result.id = store.record(rec)
            if outcome != "offered":
                store.set_outcome(
                    result.id, outcome, rec.inserted_lines, self.git_head() if outcome == "applied" else None
                )
            knowledge = self.knowledge
            if knowledge is not None:
                knowledge.learn(rec)  # what its failed attempts proved: facts and the model's pitfalls
        except StoreError as exc:
            log.warning("%s; this generation is not recorded", exc)
            return None
        return result.id

    def git_head(self) -> str | None:
        """The git commit the workspace is on (an applied generation's first commit comes after)."""
        from .learn.survival import head

        return head(self.root)

    def track_survival(self, path: Path, text: str | None, event: str) -> int:
        """Measure how much of what was applied to ``path`` is still in ``text`` (its saved, closed
        or re-indexed text; :mod:`.learn.survival`); how many generations were measured."""
        store = self.outcomes
        if store is None or text is None or not self.context.contains(path):
            return 0
        from .learn.survival import measure
        from .store import StoreError

        try:
            return measure(store, self.identity, self.context.rel(path), text, event)
        except StoreError as exc:
            log.warning("%s; survival not recorded", exc)
            return 0

    def track_commits(self) -> int:
        """Measure the applied generations at the first git commit that contains them."""
        store = self.outcomes
        if store is None:
            return 0
        from .learn.survival import measure_commits
        from .store import StoreError

        try:
            return measure_commits(store, self.identity, self.root)
        except StoreError as exc:
            log.warning("%s; survival at commit not recorded", exc)
            return 0

    def load(self, progress=None, cancelled=None, lazy_specs: bool = False):
        """``lazy_specs``: with no spec files of the workspace's own, leave loading the bundled
        ones until something asks for them (a one-shot check of a project without HTTP calls)."""
        change = self.context.load(progress, cancelled)
        if lazy_specs and not self.workspace_spec_paths():
            self._specs_pending = True
        else:
            self.load_specs()
        return change

    @property
    def registry(self) -> Registry:
        if self._specs_pending:
            self.load_specs()
        return self._spec_registry()

    def _spec_registry(self) -> Registry:
        if self._registry is None:
            from .specs.registry import BUNDLED_DIR, Registry

            self._registry = Registry(self.context.read, allowed=(self.root, BUNDLED_DIR))
        return self._registry

    @property
    def matcher(self) -> Matcher:
        if self._specs_pending:
            self.load_specs()
        if self._matcher is None:
            from .specs.match import Matcher

            self._matcher = Matcher(self._spec_registry().operations)
        return self._matcher

    def workspace_spec_paths(self) -> list[Path]:
        """The workspace's YAML/JSON files (found by the context's walk, which already skips
        dependencies, build output and ignored paths) that match the spec globs."""
        return sorted(p for p in self.context.data_files if self._matches_spec_globs(p))

    def _matches_spec_globs(self, path: Path) -> bool:
        from fnmatch import fnmatch

        try:
            rel = path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return False
        for glob in self.settings.spec_globs:
            for pattern in expand_braces(glob):
                # '**/' also matches no directory at all, as in gitignore-style globs
                variants = {pattern, pattern.replace("/**/", "/")}
                variants |= {v[3:] for v in variants if v.startswith("**/")}
                if any(fnmatch(rel, v) for v in variants):
                    return True
        return False

    def load_specs(self) -> None:
        from .specs.cache import SpecCache
        from .specs.registry import bundled_spec_paths

        self._specs_pending = False
        self.spec_paths = (bundled_spec_paths() if self.settings.bundled_specs else []) + self.workspace_spec_paths()
        cache_dir = self.context.cache_dir
        registry = self._spec_registry()
        registry.cache = SpecCache(cache_dir / "specs") if cache_dir is not None else None
        registry.load(self.spec_paths)
        self._matcher = None  # made from the new operations when asked for

    def validate_file(self, path: Path) -> set[str]:
        """Run the validators on one file; returns the files whose findings changed."""
        key = str(path)
        self.validated_text[key] = self.context.overlays.get(path)  # None: the disk's text
        findings = self.validator().check_file(path)
        before = self.file_findings.get(key, [])
        if findings:
            self.file_findings[key] = findings
        else:
            self.file_findings.pop(key, None)
        return {key} if before != findings else set()

    def validator(self):
        """Validators over this folder, with API calls checked against its specs."""
        from .validate.runner import Validator

        if self._specs_pending:  # no specs of the workspace's own: the bundled ones, when needed
            return Validator(
                self.context,
                lambda: self.registry.operations,
                workspace_specs=False,
                registry=lambda: self.registry,
                memo=self._validation_memo,
            )
        operations, own = self._called_operations()
        return Validator(
            self.context, operations, workspace_specs=own, registry=self._spec_registry(), memo=self._validation_memo
        )

    def _called_operations(self) -> tuple[list[Operation], bool]:
        """The operations API calls are judged against, and whether any is the workspace's own: a
        test's fixture or an example's document is not the API the project's code calls (an
        OpenAPI tool's repository has dozens). Computed once per registry load, like
        :meth:`workspace_operations` — every validation of a document asks."""
        registry = self.registry
        if self._called is None or self._called[0] is not registry.operations:
            fixture: dict[Path, bool] = {}  # per document, not per operation

            def is_fixture(path: Path) -> bool:
                if path not in fixture:
                    try:
                        rel = path.resolve().relative_to(self.root).as_posix()
                    except ValueError:
                        rel = ""
                    fixture[path] = bool(rel) and bool(_FIXTURE_DIRS.search(rel))
                return fixture[path]

            operations = [op for op in self.offered_operations() if not is_fixture(op.doc.path)]
            own = any(not is_fixture(op.doc.path) for op in self.workspace_operations())
            self._called = (registry.operations, (operations, own))
        return self._called[1]

    def set_type_findings(self, path: Path, findings: list[Finding]) -> set[str]:
        """The deep check's (tsc) findings for a file, held until the file changes; returns the
        files whose findings changed."""
        key = str(path)
        before = self.type_findings.get(key)
        self.type_findings[key] = findings
        return {key} if before != findings else set()

    def drop_type_findings(self, path: Path) -> set[str]:
        """The file changed: its type errors were of the old text."""
        return {str(path)} if self.type_findings.pop(str(path), None) is not None else set()

    def forget_file(self, path: Path) -> set[str]:
        self.validated_text.pop(str(path), None)
        return {str(path)} if self.file_findings.pop(str(path), None) else set()

    def current(self, path: str, text: str) -> bool:
        """Whether the findings held for ``path`` are of ``text`` (the editor's document now)."""
        return path not in self.validated_text or self.validated_text[path] == text

    def workspace_operations(self) -> list[Operation]:
        """Operations from the workspace's own documents (not the bundled registry); computed
        once per registry load — every validation of a document asks."""
        registry = self.registry
        if self._own_operations is None or self._own_operations[0] is not registry.operations:
            from .specs.registry import bundled_spec_paths

            bundled = {p.resolve() for p in bundled_spec_paths()}
            self._own_operations = (
                registry.operations,
                [op for op in registry.operations if op.doc.path.resolve() not in bundled],
            )
        return self._own_operations[1]

    def offered_operations(self) -> list[Operation]:
        """What generation and API-call checks work from: the workspace's own operations when it
        has any, else the whole registry (the bundled example API included)."""
        return self.workspace_operations() or self.registry.operations

    def is_spec_file(self, path: Path) -> bool:
        path = path.resolve()
        return path in {p.resolve() for p in self.spec_paths} or path in self.registry.documents

    def validate_specs(self) -> set[str]:
        """Schema-validate every root document (slow; the server runs it in the background).
        Returns the files whose findings changed."""
        before = dict(self.validation)
        self.validation = {}
        for path in self.registry.roots:
            findings = self.registry.validate(path)
            if findings:
                self.validation[str(path)] = findings
        return {f for f in set(before) | set(self.validation) if before.get(f) != self.validation.get(f)}

    def problems_by_file(self) -> dict[str, list[Finding]]:
        """Every problem the engine knows: config files, spec parsing/$refs, spec validation."""
        out = self.context.problems_by_file()
        if self.settings_file.findings:
            out.setdefault(str(self.settings_file.path), []).extend(self.settings_file.findings)
        specs = self._registry.problems if self._registry is not None else {}
        for table in (specs, self.validation, self.file_findings, self.type_findings):
            for file, findings in table.items():
                bucket = out.setdefault(file, [])
                bucket.extend(f for f in findings if f not in bucket)
        return out

    def _spec_candidate(self, path: Path) -> bool:
        if path.suffix not in (".yaml", ".yml", ".json"):
            return False
        return self.is_spec_file(path) or self._matches_spec_globs(path)

    def _after(self, path: Path, change: Change) -> Change:
        if not self._fixed and Path(path) == self.settings_file.path:
            settings_change = self._settings_file_changed()
            change.kinds |= settings_change.kinds
            change.problem_files |= settings_change.problem_files
            return change
        if self._spec_candidate(Path(path)):
            before = set(self.registry.problems) | set(self.validation)
            self.load_specs()
            self.validation = {k: v for k, v in self.validation.items() if k in {str(r) for r in self.registry.roots}}
            change.kinds.add("specs")
            change.problem_files |= before | set(self.registry.problems)
        return change

    def file_changed(self, path: Path) -> Change:
        change = self._after(path, self.context.file_changed(path))
        if self._store is not None and self._store[1] is not None and path.is_file():
            # the file re-indexed after it changed on disk: what survived of what was applied
            self.track_survival(path, self.context.read(path), "index")
        return change

    def set_overlay(self, path: Path, text: str) -> Change:
        return self._after(path, self.context.set_overlay(path, text))

    def drop_overlay(self, path: Path) -> Change:
        return self._after(path, self.context.drop_overlay(path))

    def operation(self, ref: str) -> Operation | None:
        """An operation by id (case-insensitive) or 'METHOD /path'."""
        m = re.match(r"^\s*([A-Za-z]+)\s+(/\S*)\s*$", ref)
        if m:
            match = self.matcher.match(f"{m.group(1).upper()} {m.group(2)}")
            return match.operation if match.confidence == 1.0 else None
        lowered = ref.lower()
        return next(
            (
                op
                for op in self.registry.operations
                if op.id.lower() == lowered or (op.declared_id or "").lower() == lowered
            ),
            None,
        )

    def match(self, task: str) -> Match:
        return self.matcher.match(task)

    def generator(self, create_files: bool = True):
        """The spec-first generator; ``create_files``: whether its edits may create a file (the
        client can apply that) — else what would go into a new module goes into the file."""
        from .generate.spec_first import SpecGenerator

        return SpecGenerator(self.context, self.registry, create_files=create_files)
