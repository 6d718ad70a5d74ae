"""The parse cache of OpenAPI documents: a large description is parsed once, not on every run.

Owns :class:`SpecCache`: the parsed data (and the positions, when the load found them) of a document, stored by
the hash of its text — so an edited document is simply a miss — in the user's cache directory
next to the index cache (``$XDG_CACHE_HOME/freeagent/index/specs``; ``index.cache: false`` or
``--no-cache`` turn both off). Parsing a 3-4 MB YAML description takes 0.2-0.4 s on these
machines (rapidyaml, then PyYAML's scalar values); reading its entry back takes 40-80 ms.

Entries are pickles, read with an unpickler that builds nothing but plain data (the only classes
it will construct are the date and time types YAML scalars become), so a tampered cache file is
a miss, not code that runs. Writes go through a temporary file and a rename: a reader never
sees half an entry. Any failure to read or write is a miss; the cache never makes a load fail.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import pickle
from pathlib import Path

from ..paths import write_atomically

FORMAT = 1  # bump when what is stored changes
MAX_ENTRIES = 64  # the oldest entries go beyond this (a description is a few MB of pickle)


class _PlainData(pickle.Unpickler):
    ALLOWED = frozenset(
        {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta")}
    )

    def find_class(self, module: str, name: str):
        if (module, name) in self.ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


class SpecCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, text: str) -> Path:
        digest = hashlib.blake2b(f"{FORMAT}\0{text}".encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
        return self.directory / f"{digest}.pickle"

    def get(self, text: str) -> tuple[dict, dict | None] | None:
        """(data, positions or None when found lazily) for a document of exactly this text."""
        try:
            raw = self._path(text).read_bytes()
            data, positions = _PlainData(io.BytesIO(raw)).load()
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            return None
        if not isinstance(data, dict) or not (positions is None or isinstance(positions, dict)):
            return None
        return data, positions

    def put(self, text: str, data: dict, positions: dict | None) -> None:
        path = self._path(text)
        try:
            write_atomically(path, pickle.dumps((data, positions), protocol=pickle.HIGHEST_PROTOCOL))
            self._trim()
        except (OSError, pickle.PicklingError, RecursionError):
            return

    def _trim(self) -> None:
        entries = sorted(self.directory.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-MAX_ENTRIES]:
            old.unlink(missing_ok=True)
