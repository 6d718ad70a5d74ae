"""The start-up cache for attrs-compiled code: it fills, it is used, and bad caches are ignored."""

import os
import subprocess
import sys

PROBE = (
    "from freeagent.lsp.startup import import_lsprotocol\n"
    "import_lsprotocol()\n"
    "from lsprotocol import types\n"
    "p = types.Position(line=1, character=2)\n"
    "assert p == types.Position(line=1, character=2) and p != types.Position(line=1, character=3) and p.line == 1\n"
    "print('ok')\n"
)


def run_probe(cache_home):
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)


def test_cache_is_written_then_reused(tmp_path):
    assert run_probe(tmp_path).stdout.strip() == "ok"
    (cache,) = (tmp_path / "freeagent").glob("attrs-code-*.marshal")
    first = cache.stat().st_mtime_ns
    assert cache.stat().st_size > 100_000  # hundreds of compiled snippets
    assert run_probe(tmp_path).stdout.strip() == "ok"
    assert cache.stat().st_mtime_ns == first, "a complete cache is read, not rewritten"


def test_corrupt_cache_falls_back_and_is_repaired(tmp_path):
    run_probe(tmp_path)
    (cache,) = (tmp_path / "freeagent").glob("attrs-code-*.marshal")
    cache.write_bytes(b"not marshal data")
    assert run_probe(tmp_path).stdout.strip() == "ok"
    assert cache.stat().st_size > 100_000
