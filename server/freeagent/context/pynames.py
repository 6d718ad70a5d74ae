"""What the installed modules of the workspace's Python environment define, read with jedi.

Owns asking jedi — over the workspace's own interpreter and site-packages (:mod:`.pyenv`), never
importing the workspace's code — three questions, and remembering the answers:

* **a module's names** (``import M; M.``): everything jedi completes on it (stubs and star-imports
  followed), the module file's own top-level names, its ``__all__`` and, for a package, its
  submodules' names. A module with a module-level ``__getattr__`` (PEP 562) is *open* — any name
  may exist — unless it also declares a literal ``__all__``, the lazy-import convention (pydantic's),
  whose names are then the surface;
* **a class's instance attributes** (``M.C().``), open when the class defines ``__getattr__`` or its
  own ``__getattribute__``;
* **a callable's keyword parameters** (jedi's signatures, every overload; ``**kwargs`` anywhere
  means any keyword).

A question jedi cannot answer confidently (the module does not resolve, nothing completes, no
signature) has no answer, and no check is made on it. Answers are kept in memory and in the user
cache folder, one file per environment and jedi version, keyed by the distribution and version
that owns the module (``httpx==0.28.1``, or the environment's Python for the standard library):
an upgrade asks again, a second session does not ask at all. jedi is not thread-safe: one lock.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from .pyenv import PythonEnvironment

CACHE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Names:
    """The names a module or an instance has: name → what it is when that is known without
    inferring it ('module' for a submodule), else ''; :meth:`InstalledNames.kind` infers one name
    when a check needs it (inferring every name of a big package costs seconds). ``open``: other
    names may exist too."""

    types: dict[str, str]
    open: bool = False

    def has(self, name: str) -> bool:
        return self.open or name in self.types


@dataclass(frozen=True, slots=True)
class Parameters:
    """The keyword names a callable accepts (every overload's), or any when ``any_keyword``."""

    keywords: frozenset[str]
    any_keyword: bool


class InstalledNames:
    """Answers for one environment (see the module). ``python`` is the interpreter jedi runs for
    it; ``stdlib_only`` (no project environment: the server's own Python) answers only for the
    standard library's modules."""

    def __init__(self, env: PythonEnvironment | None, python: str, cache_dir: Path | None, stdlib_only: bool = False):
        self.env = env
        self.python = python
        self.stdlib_only = stdlib_only
        self._lock = threading.Lock()
        self._jedi_env = None
        self._project = None
        self._memory: dict[str, object] = {}
        self._disk: dict[str, object] | None = None
        self._dirty = False
        self._cache_file: Path | None = None
        if cache_dir is not None:
            import jedi  # type: ignore[import-untyped]  # jedi ships no type information

            key = hashlib.sha256(f"{python}|{env.site_packages if env else ''}".encode()).hexdigest()[:20]
            self._cache_file = cache_dir / "pynames" / f"{key}-jedi{jedi.__version__}-v{CACHE_VERSION}.json"
        self.jedi_seconds = 0.0  # time spent in jedi (what the cache saves), for benches and logs

    # ------------------------------------------------------------------ the three questions

    def module(self, module: str) -> Names | None:
        """The names of an importable module, or None when it is not known confidently."""
        key = self._key(module, "module")
        if key is None:
            return None
        found = self._answer(key, lambda: self._module_names(module))
        return _names(found)

    def instance(self, module: str, qualname: str) -> Names | None:
        """The attributes of an instance of class ``module.qualname``."""
        key = self._key(module, f"instance:{qualname}")
        if key is None:
            return None
        return _names(self._answer(key, lambda: self._instance_names(module, qualname)))

    def kind(self, module: str, expression: str) -> str | None:
        """What ``expression`` (``M.name``, ``M.C().attr``, with ``M`` the module) is — 'module',
        'class', 'function', 'instance', 'property' … — when every inference of it agrees."""
        key = self._key(module, f"kind:{expression}")
        if key is None:
            return None
        found = self._answer(key, lambda: self._kind(module, expression))
        return found if isinstance(found, str) else None

    def parameters(self, module: str, expression: str) -> Parameters | None:
        """The keywords accepted by the callable ``expression`` (``M.f``, ``M.C``, ``M.C().m``
        with ``M`` the module), or None when jedi has no signature for it."""
        key = self._key(module, f"call:{expression}")
        if key is None:
            return None
        found = self._answer(key, lambda: self._parameters(module, expression))
        if not isinstance(found, dict):
            return None
        return Parameters(frozenset(found["keywords"]), bool(found["any"]))

    def close(self) -> None:
        """Stop jedi's helper process (and the thread reading it): before this process forks, whose
        children would otherwise share one pipe to it. Asked again, jedi starts a new one."""
        with self._lock:
            helper = getattr(self._jedi_env, "_subprocess", None)
            if helper is not None:
                with contextlib.suppress(Exception):
                    helper._kill()
            self._jedi_env = self._project = None

    def save(self) -> None:
        """Write what was asked this time to the cache file (merged with what another process
        wrote meanwhile; atomically)."""
        if not self._dirty or self._cache_file is None:
            return
        from ..paths import write_atomically

        with self._lock:
            merged = dict(self._read_disk_file())
            merged.update(self._memory)
            with contextlib.suppress(OSError, TypeError, ValueError):
                self._cache_file.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(self._cache_file, json.dumps(merged, separators=(",", ":")))
                self._dirty = False

    # ------------------------------------------------------------------ keys and the cache

    def _key(self, module: str, what: str) -> str | None:
        """The cache key: the owner's name and version, then the question; None when the module
        is not the environment's to answer for (not installed, or not stdlib without one)."""
        top = module.split(".", 1)[0]
        if top in sys.stdlib_module_names:
            version = (
                self.env.python
                if self.env is not None and self.env.python
                else f"{sys.version_info[0]}.{sys.version_info[1]}"
            )
            return f"python-{version}|{module}|{what}"
        if self.stdlib_only or self.env is None:
            return None
        owners = self.env.provides(top) or self.env.provides(top + "-stubs")
        if not owners:
            return None
        dist = self.env.distributions.get(owners[0])
        return f"{owners[0]}=={dist.version if dist else ''}|{module}|{what}"

    def _answer(self, key: str, compute):
        if key in self._memory:
            return self._memory[key]
        with self._lock:
            if self._disk is None:
                self._disk = self._read_disk_file()
            if key in self._disk:
                found = self._disk[key]
            else:
                import time

                started = time.perf_counter()
                try:
                    found = compute()
                except Exception:  # noqa: BLE001 — jedi failing on a module is "no answer", never a crash
                    found = None
                self.jedi_seconds += time.perf_counter() - started
                self._dirty = True
            self._memory[key] = found
            return found

    def _read_disk_file(self) -> dict:
        if self._cache_file is None:
            return {}
        try:
            data = json.loads(self._cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # none yet, or broken: asked again
        return data if isinstance(data, dict) else {}

    # ------------------------------------------------------------------ jedi

    def _script(self, code: str):
        import jedi

        if self._jedi_env is None:
            self._jedi_env = jedi.create_environment(self.python, safe=False)
            # smart_sys_path off: the environment's own path only, not the workspace's folders
            # (the workspace's modules are not this module's to answer for)
            self._project = jedi.Project(
                os.path.dirname(self.python), environment_path=self.python, smart_sys_path=False
            )
        return jedi.Script(code, environment=self._jedi_env, project=self._project)

    def _module_names(self, module: str) -> dict | None:
        prefix = f"import {module}\n"
        script = self._script(prefix + module + ".")
        found = script.goto(1, len(prefix) - 1)
        if not found or found[0].type != "module" or found[0].module_path is None:
            return None
        types = {c.name: "" for c in script.complete(2, len(module) + 1)}
        path = Path(found[0].module_path)
        surface = _module_surface(path)
        if surface is None:
            return None  # the module's file does not parse: not confident
        top_level, has_getattr, declared_all = surface
        for name in top_level:
            types.setdefault(name, "")
        for name in declared_all or ():
            types.setdefault(name, "")
        if path.stem == "__init__":
            for sub in _submodules(path.parent):
                types[sub] = "module"
        if not types:
            return None
        is_open = has_getattr and declared_all is None
        return {"types": types, "open": is_open}

    def _instance_names(self, module: str, qualname: str) -> dict | None:
        code = f"import {module}\n{module}.{qualname}()."
        completions = self._script(code).complete(2, len(code.split("\n")[1]))
        if not completions:
            return None
        types = {c.name: "" for c in completions}
        own = next((c for c in completions if c.name == "__getattribute__"), None)
        is_open = "__getattr__" in types or (
            own is not None and not (own.full_name or "").startswith("builtins.object.")
        )
        return {"types": types, "open": is_open}

    def _kind(self, module: str, expression: str) -> str | None:
        code = f"import {module}\n{expression}"
        kinds = {n.type for n in self._script(code).infer(2, len(expression))}
        return kinds.pop() if len(kinds) == 1 else None

    def _parameters(self, module: str, expression: str) -> dict | None:
        code = f"import {module}\n{expression}("
        signatures = self._script(code).get_signatures(2, len(expression) + 1)
        if not signatures:
            return None
        keywords: set[str] = set()
        any_keyword = False
        for signature in signatures:
            for param in signature.params:
                kind = param.kind.name
                if kind == "VAR_KEYWORD":
                    any_keyword = True
                elif kind in ("POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY"):
                    keywords.add(param.name)
        return {"keywords": sorted(keywords), "any": any_keyword}


def _names(found) -> Names | None:
    if not isinstance(found, dict) or not isinstance(found.get("types"), dict):
        return None
    return Names(found["types"], bool(found.get("open")))


def _module_surface(path: Path) -> tuple[set[str], bool, list[str] | None] | None:
    """A module file's top-level names, whether it defines a module ``__getattr__``, and its
    ``__all__`` when that is a literal list/tuple of strings (None otherwise)."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return None
    names: set[str] = set()
    has_getattr = False
    declared_all: list[str] | None = None

    def visit(body) -> None:
        nonlocal has_getattr, declared_all
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
                has_getattr |= node.name == "__getattr__"
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for leaf in ast.walk(target):
                        if isinstance(leaf, ast.Name):
                            names.add(leaf.id)
                            has_getattr |= leaf.id == "__getattr__"
                            if leaf.id == "__all__":
                                declared_all = _literal_strings(node.value) if isinstance(node, ast.Assign) else None
            elif isinstance(node, ast.Import | ast.ImportFrom):
                for alias in node.names:
                    if alias.name != "*":
                        names.add((alias.asname or alias.name).split(".")[0])
                        has_getattr |= (alias.asname or alias.name) == "__getattr__"
            elif isinstance(node, ast.If | ast.Try):  # TYPE_CHECKING, version and optional imports
                visit(node.body)
                visit(node.orelse)
                for handler in getattr(node, "handlers", ()):
                    visit(handler.body)
                visit(getattr(node, "finalbody", ()))

    visit(tree.body)
    return names, has_getattr, declared_all


def _literal_strings(value) -> list[str] | None:
    if isinstance(value, ast.List | ast.Tuple) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
    ):
        return [str(e.value) for e in value.elts if isinstance(e, ast.Constant)]
    return None


def _submodules(folder: Path) -> list[str]:
    out: list[str] = []
    try:
        entries = os.listdir(folder)
    except OSError:
        return out
    for entry in entries:
        stem, dot, ext = entry.partition(".")
        if not stem.isidentifier():
            continue
        if (not dot and (folder / entry).is_dir()) or ext in ("py", "pyi") or ext.endswith(("so", "pyd")):
            out.append(stem)
    return out
