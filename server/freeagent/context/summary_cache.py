"""The on-disk cache of file summaries, so a second ``freeagent check`` or server start skips
parsing the files that did not change.

Owns the cache file: where it lives (the user's cache directory, one file per workspace root —
never inside the workspace, so a repository cannot ship a cache of its own), when an entry is
still valid (same size and modification time, like ESLint's default ``--cache-strategy
metadata``), and what invalidates the whole file (another Free Agent version, another grammar,
another summariser). JSON, not pickle: loading it can never run code.

A cache that cannot be read or written is ignored: it only ever makes things faster.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..paths import write_atomically
from .parsing import ExportRecord, FileSummary, ImportRecord, Span, StyleSample, SymbolRecord

FORMAT = 2  # bump when FileSummary's shape changes (2: an import's `guarded`)


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "freeagent" / "index"


def _signature() -> str:
    """What the cached summaries were produced by: any change invalidates every entry."""
    from importlib import metadata

    from .. import __version__
    from . import parsing

    parts = [str(FORMAT), __version__]
    for dist in ("tree-sitter", "tree-sitter-typescript", "tree-sitter-python"):
        try:
            parts.append(metadata.version(dist))
        except metadata.PackageNotFoundError:
            parts.append("?")
    st = os.stat(parsing.__file__)  # an edited summariser (a development checkout) invalidates too
    parts.append(f"{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _to_json(s: FileSummary) -> list:
    st = s.style
    return [
        s.language,
        s.size,
        [
            [
                r.specifier,
                r.kind,
                list(r.names),
                r.type_only,
                [r.span.line, r.span.column, r.span.end_line, r.span.end_column],
                r.guarded,
            ]
            for r in s.imports
        ],
        [[e.name, e.kind, e.source, e.type_only] for e in s.exports],
        [[y.name, y.kind, y.exported, y.line] for y in s.symbols],
        s.ambient_modules,
        [
            st.single_quotes,
            st.double_quotes,
            st.with_semicolon,
            st.without_semicolon,
            st.indent,
            st.trailing_comma,
            st.no_trailing_comma,
            st.esm,
            st.cjs,
            st.fetch_calls,
        ],
        s.has_errors,
    ]


def _from_json(rel: str, data: list) -> FileSummary:
    language, size, imports, exports, symbols, ambient, style, has_errors = data
    st = style
    return FileSummary(
        rel,
        language,
        size,
        imports=[
            ImportRecord(spec, kind, tuple(names), type_only, Span(*span), guarded)
            for spec, kind, names, type_only, span, guarded in imports
        ],
        exports=[ExportRecord(*e) for e in exports],
        symbols=[SymbolRecord(*y) for y in symbols],
        ambient_modules=list(ambient),
        style=StyleSample(st[0], st[1], st[2], st[3], dict(st[4]), st[5], st[6], st[7], st[8], st[9]),
        has_errors=has_errors,
    )


class SummaryCache:
    """Summaries of one workspace's files keyed by relative path, valid while size and mtime hold."""

    def __init__(self, root: Path, directory: Path | None = None):
        digest = hashlib.sha256(str(root).encode("utf-8")).hexdigest()[:20]
        self.path = (directory or default_cache_dir()) / f"{digest}.json"
        self.signature = _signature()
        self.entries: dict[str, list] = {}  # rel -> [size, mtime_ns, summary json]
        self.hits = 0
        self.dirty = False

    def load(self) -> SummaryCache:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("signature") == self.signature and isinstance(data.get("files"), dict):
                self.entries = data["files"]
        except (OSError, ValueError, AttributeError):
            self.entries = {}
        return self

    def get(self, rel: str, size: int, mtime_ns: int) -> FileSummary | None:
        entry = self.entries.get(rel)
        if entry is None or entry[0] != size or entry[1] != mtime_ns:
            return None
        try:
            summary = _from_json(rel, entry[2])
        except (TypeError, ValueError, IndexError):
            return None
        self.hits += 1
        return summary

    def put(self, rel: str, size: int, mtime_ns: int, summary: FileSummary) -> None:
        self.entries[rel] = [size, mtime_ns, _to_json(summary)]
        self.dirty = True

    def keep_only(self, rels: set[str]) -> None:
        """Forget files that are gone, so the cache does not grow without bound."""
        stale = [rel for rel in self.entries if rel not in rels]
        for rel in stale:
            del self.entries[rel]
        self.dirty = self.dirty or bool(stale)

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            # dumps, not dump: json.dump streams through the pure-Python encoder (0.19 s for
            # zod's 489 entries), dumps encodes in C; readers see the old file or the new one
            write_atomically(
                self.path, json.dumps({"signature": self.signature, "files": self.entries}, separators=(",", ":"))
            )
            self.dirty = False
        except OSError:
            pass
