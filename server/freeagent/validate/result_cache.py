"""The last ``freeagent check`` of a workspace, reused while nothing it read has changed.

Owns the results file (beside the summary cache, one per workspace root and command line) and
when it is still valid. A check's answer depends on the workspace's files and on which files
exist — for imports of stylesheets, generated output and packages too — so the file records
what the run saw, with each one's size and modification time (``make`` and ``tsc --build``
decide the same way):

* every directory the walk listed (a file added, removed or renamed there changes its
  modification time), every file of a kind the context reads (sources, manifests, tsconfigs,
  lockfiles, ``.gitignore`` files, YAML/JSON), the settings file, git's index (which files git
  tracks decides what is ignored);
* each package folder's ``node_modules``, its ``@scope`` folders (an install adds, replaces or
  removes entries there) and the record each package manager rewrites on every install
  (``.package-lock.json``, ``.modules.yaml``, ``.yarn-integrity``), present or absent. A hand
  edit inside an installed package is not seen (as ``make`` would not);
* Free Agent itself: its version, its own source and bundled specs, the installed Python
  packages' folder.

Any difference, a missing file or an unreadable cache means a full check, whose result is then
stored; an input modified in the two seconds before the store is never trusted (a second edit
within the file system's clock tick could keep its time and size). Only the standard library is imported, so a hit costs the stat calls and no parsing.
A cache that cannot be read or written is ignored: it only ever makes things faster.
"""

from __future__ import annotations

import hashlib
import json
import os
import sysconfig
import time
from collections.abc import Iterable
from pathlib import Path

from .. import __version__
from ..paths import write_atomically

FORMAT = 1
_RACY_NS = 2_000_000_000  # modified less than this before the store: not trusted
_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # freeagent/
# npm's hidden lockfile, pnpm's and yarn's install state: rewritten by every install
_INSTALL_RECORDS = (".package-lock.json", ".modules.yaml", ".yarn-integrity", ".yarn-state.yml")
_BUNDLED_SPECS = _PACKAGE_DIR.parents[1] / "specs"


def _stat(path: str) -> list:
    try:
        st = os.stat(path)
    except OSError:
        return [path, -1, -1]  # absent: it must still be absent
    return [path, st.st_mtime_ns, st.st_size]


def _tool_inputs() -> list[str]:
    """Free Agent's own files: an edited checkout, new bundled specs or upgraded packages."""
    paths = [sysconfig.get_paths()["purelib"]]
    for folder in (_PACKAGE_DIR, _BUNDLED_SPECS):
        for directory, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            paths.append(directory)
            paths += [os.path.join(directory, f) for f in files if not f.endswith(".pyc")]
    return paths


class ResultCache:
    """One command line's result for one workspace: ``load`` it if still valid, ``store`` it."""

    def __init__(self, cache_dir: Path, root: Path, command: dict):
        self.root = root
        self.key = {"format": FORMAT, "version": __version__, "root": str(root), **command}
        digest = hashlib.sha1(json.dumps(self.key, sort_keys=True).encode()).hexdigest()[:24]
        self.path = cache_dir / f"check-{digest}.json"

    def load(self) -> dict | None:
        """The stored output (``stdout``, ``stderr``, ``exit``) when every input is unchanged."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != self.key or not isinstance(data.get("inputs"), list):
            return None
        for entry in data["inputs"]:
            if not isinstance(entry, list) or len(entry) != 3 or _stat(str(entry[0])) != entry:
                return None
        output = data.get("output")
        return output if isinstance(output, dict) else None

    def store(self, inputs: Iterable[str], output: dict) -> None:
        """Record ``output`` with the current state of ``inputs`` (and of Free Agent itself)."""
        paths = sorted(set(inputs) | set(_tool_inputs()))
        racy = time.time_ns() - _RACY_NS
        # a file changed moments ago may change again within its clock tick and keep the same
        # time and size (git's "racily clean" entries): such an entry never matches
        entries = [[p, -2, -2] if mtime > racy else [p, mtime, size] for p, mtime, size in map(_stat, paths)]
        data = {"key": self.key, "inputs": entries, "output": output}
        try:
            write_atomically(self.path, json.dumps(data))  # dumps: in C (json.dump streams in Python)
        except OSError:
            return


def workspace_inputs(ctx) -> list[str]:
    """What a check of ``ctx`` (a loaded WorkspaceContext) read or looked for: see the module."""
    paths = set(ctx.listed_dirs) | set(ctx.known_files)
    root = str(ctx.root)
    paths |= {os.path.join(root, ".freeagent.json"), os.path.join(root, ".git", "index")}
    env = ctx.python_environment_read
    if env is not None:  # a pip/uv install into it changes what FA105 says
        paths.add(str(env.site_packages))
    for manifest in ctx.packages:
        modules = os.path.join(str(manifest.parent), "node_modules")
        paths.add(modules)
        # what each package manager rewrites on every install, even one that changes files in place
        paths |= {os.path.join(modules, name) for name in _INSTALL_RECORDS}
        try:
            entries = os.scandir(modules)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("@") or entry.name == ".pnpm":
                    paths.add(entry.path)
    return sorted(paths)
