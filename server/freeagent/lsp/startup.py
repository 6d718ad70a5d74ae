"""Start-up speed: cache the code attrs compiles while lsprotocol builds its ~550 classes.

Importing ``lsprotocol.types`` is most of the server's start-up, and half of that is attrs
calling ``compile()`` on the ``__init__``/``__eq__``… it generates for every class — the same
source text on every start. :func:`import_lsprotocol` imports it with ``compile`` in
``attr._make`` shadowed by a lookup in a marshal cache (like ``__pycache__`` for those
snippets), keyed by the source text itself, so a stale entry can never be used. The cache
file lives in the user's cache directory and is tied to the Python, attrs and lsprotocol
builds; anything unexpected (another attrs layout, an unwritable cache) falls back to the
plain import.
"""

from __future__ import annotations

import builtins
import hashlib
import marshal
import os
import sys
from pathlib import Path


def _cache_file(attr_module, types_file: Path) -> Path:
    stat = types_file.stat()
    build = f"{sys.version}|{getattr(attr_module, '__version__', '')}|{types_file}|{stat.st_size}|{stat.st_mtime_ns}"
    tag = hashlib.blake2b(build.encode(), digest_size=8).hexdigest()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "freeagent" / f"attrs-code-{tag}.marshal"


def import_lsprotocol() -> None:
    if "lsprotocol.types" in sys.modules:
        return
    try:
        import attr
        import attr._make as make
        import lsprotocol

        types_file = Path(lsprotocol.__file__).with_name("types.py")
        cache_path = _cache_file(attr, types_file)
    except Exception:  # noqa: BLE001 - any surprise: the plain import below still works
        return
    try:
        cache = marshal.loads(cache_path.read_bytes())
        if not isinstance(cache, dict):
            cache = {}
    except (OSError, ValueError, EOFError, TypeError):
        cache = {}
    used: dict[bytes, object] = {}
    compile_ = builtins.compile

    def cached_compile(source, filename, mode, *args, **kwargs):
        if args or kwargs or not isinstance(source, str):
            return compile_(source, filename, mode, *args, **kwargs)
        key = hashlib.blake2b(f"{filename}\0{mode}\0{source}".encode(), digest_size=16).digest()
        code = cache.get(key)
        if code is None:
            code = compile_(source, filename, mode)
        used[key] = code
        return code

    vars(make)["compile"] = cached_compile  # a module global that shadows the builtin inside attrs' _make
    try:
        import lsprotocol.types
    finally:
        del vars(make)["compile"]
    if used.keys() != cache.keys():
        try:
            from ..paths import write_atomically

            write_atomically(cache_path, marshal.dumps(used))
        except OSError:
            pass
