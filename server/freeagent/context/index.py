"""The code index: one :class:`FileSummary` per source file, updated one file at a time.

Owns the table of summaries, filling it in bulk (in parallel worker processes, and from the
on-disk summary cache when one is given), and the cheap module-key lookup used to answer "which
workspace file does this relative import name?" for ranking. Parsing lives in :mod:`.parsing`.
"""

from __future__ import annotations

import os
import posixpath
import sys
import threading
from pathlib import Path

from ..languages import SOURCE_SUFFIXES
from .parsing import FileSummary, Parsers

_STRIP_SUFFIXES = tuple(sorted(SOURCE_SUFFIXES, key=len, reverse=True))


def module_key(rel_path: str) -> str:
    """'src/lib/http.ts' → 'src/lib/http'; 'src/lib/index.ts' → 'src/lib'; '.d.ts' handled."""
    key = rel_path
    if key.endswith(".d.ts"):
        key = key[:-5]
    else:
        for suffix in _STRIP_SUFFIXES:
            if key.endswith(suffix):
                key = key[: -len(suffix)]
                break
    if key.endswith("/index") or key == "index":
        key = key[:-6].rstrip("/")
    return key


def last_segment(specifier_or_path: str) -> str:
    """The name a relative specifier or a file is known by, for a cheap "could this import name
    that file" test: './lib/http.js' and 'src/lib/http.ts' → 'http', './utils/' and
    'utils/index.ts' → 'utils'; '.' and '..' stay as they are (they can name any index file)."""
    return posixpath.basename(module_key(specifier_or_path.rstrip("/")))


# below this much source a worker process costs more than it saves
PARALLEL_MIN_BYTES = {"fork": 512 * 1024, "spawn": 4 * 1024 * 1024}

_worker_parsers: Parsers | None = None  # the parsers of a bulk-indexing worker process


def _summarize_files(
    files: list[tuple[str, str]], limit: int, parsers: Parsers | None = None
) -> list[tuple[str, FileSummary | None, int, int]]:
    """(rel, summary | None, size, mtime_ns) per file; None for a file too large or unreadable.
    The file is stat'ed before it is read, so a cache entry never claims a newer text than it has."""
    global _worker_parsers
    if parsers is None:
        if _worker_parsers is None:
            _worker_parsers = Parsers()
        parsers = _worker_parsers
    out: list[tuple[str, FileSummary | None, int, int]] = []
    for rel, path in files:
        try:
            st = os.stat(path)
            if st.st_size > limit:
                out.append((rel, None, st.st_size, st.st_mtime_ns))
                continue
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            out.append((rel, None, -1, 0))
            continue
        language = SOURCE_SUFFIXES[posixpath.splitext(rel)[1]]
        out.append((rel, parsers.summarize(rel, language, data), st.st_size, st.st_mtime_ns))
    return out


def fork_is_safe() -> bool:
    """Whether this process may fork workers: only on Linux, and only while it is
    single-threaded (the CLI) — a fork copies locks other threads may hold."""
    return sys.platform == "linux" and threading.active_count() == 1


def _start_method() -> str:
    return "fork" if fork_is_safe() else "spawn"  # fork is cheap; spawn is safe anywhere


class CodeIndex:
    def __init__(self, parsers: Parsers | None = None):
        self.parsers = parsers or Parsers()
        self.files: dict[str, FileSummary] = {}
        self.trees: dict[str, tuple[bytes, object]] = {}  # open documents only: (source, tree)
        self.memos: dict[str, dict] = {}  # open documents only: what each top-level statement gave
        self._keys: dict[str, str] | None = None

    def __len__(self) -> int:
        return len(self.files)

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files.values())

    def update(self, rel_path: str, source: bytes, keep_tree: bool = False) -> FileSummary:
        """Re-index one file. ``keep_tree`` (open documents) keeps its syntax tree so the next
        edit re-parses incrementally; other files keep no tree (memory stays small)."""
        language = SOURCE_SUFFIXES[posixpath.splitext(rel_path)[1]]
        previous = self.trees.pop(rel_path, None)
        kept = self.memos.pop(rel_path, {})
        memo = kept if keep_tree else None
        summary, tree = self.parsers.summarize_tree(rel_path, language, source, previous, memo)
        if keep_tree:
            self.trees[rel_path] = (source, tree)
            self.memos[rel_path] = memo if memo is not None else {}
        if rel_path not in self.files:
            self._keys = None
        self.files[rel_path] = summary
        return summary

    def index_many(
        self, files: list[tuple[str, Path]], limit: int, jobs: int = 1, cache=None, progress=None, cancelled=None
    ) -> dict[str, str]:
        """Index many files from disk at once (the first scan): from ``cache`` where size and
        mtime still match, the rest parsed — by ``jobs`` processes when there is enough to parse.
        Returns rel -> "ok" | "skipped" (too large or unreadable). ``progress(done, total)`` is
        called as batches finish; ``cancelled()`` returning True stops early."""
        todo: list[tuple[int, str, str]] = []
        status: dict[str, str] = {}
        for rel, path in files:
            try:
                st = os.stat(path)
            except OSError:
                status[rel] = "skipped"
                continue
            hit = cache.get(rel, st.st_size, st.st_mtime_ns) if cache is not None and st.st_size <= limit else None
            if hit is not None:
                self._store(rel, hit)
                status[rel] = "ok"
            else:
                todo.append((st.st_size, rel, str(path)))
        todo.sort(reverse=True)  # largest first: the batches finish together
        batches: list[list[tuple[str, str]]] = []
        batch_bytes = 0
        for size, rel, file_path in todo:
            if not batches or len(batches[-1]) >= 64 or batch_bytes >= 256 * 1024:
                batches.append([])
                batch_bytes = 0
            batches[-1].append((rel, file_path))
            batch_bytes += size
        total, done = len(files), len(status)
        method = _start_method()
        parallel = jobs > 1 and sum(size for size, _, _ in todo) >= PARALLEL_MIN_BYTES[method]
        for results in (
            self._parallel(batches, limit, jobs, method, cancelled)
            if parallel
            else self._serial(batches, limit, cancelled)
        ):
            for rel, summary, size, mtime_ns in results:
                if summary is None:
                    status[rel] = "skipped"
                    continue
                self._store(rel, summary)
                status[rel] = "ok"
                if cache is not None:
                    cache.put(rel, size, mtime_ns, summary)
            done += len(results)
            if progress is not None:
                progress(done, total)
        return status

    def _serial(self, batches, limit: int, cancelled):
        for batch in batches:
            if cancelled is not None and cancelled():
                return
            yield _summarize_files(batch, limit, self.parsers)

    def _parallel(self, batches, limit: int, jobs: int, method: str, cancelled):
        """``jobs - 1`` worker processes and this one take batches off the same queue; results
        are yielded as batches finish (for progress). Cancelling stops handing out batches."""
        import multiprocessing
        from collections import deque
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        queue = deque(batches)
        with ProcessPoolExecutor(max_workers=jobs - 1, mp_context=multiprocessing.get_context(method)) as pool:
            running: set = set()
            while queue or running:
                stop = cancelled is not None and cancelled()
                while queue and not stop and len(running) < 2 * (jobs - 1):
                    running.add(pool.submit(_summarize_files, queue.popleft(), limit))
                if queue and not stop:
                    yield _summarize_files(queue.popleft(), limit, self.parsers)
                elif running:
                    wait(running, return_when=FIRST_COMPLETED)
                else:
                    break
                for future in [f for f in running if f.done()]:
                    running.discard(future)
                    yield future.result()

    def _store(self, rel_path: str, summary: FileSummary) -> None:
        if rel_path not in self.files:
            self._keys = None
        self.files[rel_path] = summary

    def remove(self, rel_path: str) -> bool:
        self._keys = None
        self.trees.pop(rel_path, None)
        self.memos.pop(rel_path, None)
        return self.files.pop(rel_path, None) is not None

    def lookup_module(self, key: str) -> str | None:
        """The indexed file a module key names ('src/lib/http' → 'src/lib/http.ts')."""
        if self._keys is None:
            self._keys = {}
            for path in sorted(self.files):
                self._keys.setdefault(module_key(path), path)
        return self._keys.get(key)

    def resolve_relative(self, importer: str, specifier: str) -> str | None:
        """A workspace file a relative specifier points at (extension-agnostic, for ranking)."""
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
        return self.lookup_module(module_key(joined)) or self.lookup_module(joined)

    @staticmethod
    def rel(root: Path, path: Path) -> str:
        return path.relative_to(root).as_posix()
