"""The code index: one :class:`FileSummary` per source file, updated one file at a time.

Owns the table of summaries and the cheap module-key lookup used to answer "which workspace
file does this relative import name?" for ranking. Parsing lives in :mod:`.parsing`.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from .files import SOURCE_SUFFIXES
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


class CodeIndex:
    def __init__(self, parsers: Parsers | None = None):
        self.parsers = parsers or Parsers()
        self.files: dict[str, FileSummary] = {}
        self.trees: dict[str, tuple[bytes, object]] = {}  # open documents only: (source, tree)
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
        summary, tree = self.parsers.summarize_tree(rel_path, language, source, previous)
        if keep_tree:
            self.trees[rel_path] = (source, tree)
        if rel_path not in self.files:
            self._keys = None
        self.files[rel_path] = summary
        return summary

    def remove(self, rel_path: str) -> bool:
        self._keys = None
        self.trees.pop(rel_path, None)
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
