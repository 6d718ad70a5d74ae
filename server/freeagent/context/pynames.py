"""What the installed modules of the workspace's Python environment define, read with jedi.

Owns asking jedi — over the workspace's own interpreter and site-packages (:mod:`.pyenv`), never
importing the workspace's code — three questions, and remembering the answers:

* **a module's names** (``import M; M.``): everything jedi completes on it (stubs and star-imports
  followed), the module file's own top-level names, its ``__all__`` and, for a package, its
  submodules' names. A module with a module-level ``__getattr__`` (PEP 562) is *open* — any name
  may exist — unless its ``__getattr__`` looks its argument up (``name in TABLE``,
  ``TABLE.get(name)``, ``TABLE[name]``, ``name == "Old"``) or raises, and never forwards it: the
  lazy-import and deprecation conventions (pydantic's, starlette's, click's). Every identifier-like string literal of
  such a module counts as one of its names too (the tables' keys: ``HTTP_422_UNPROCESSABLE_ENTITY``
  is served by starlette's ``__getattr__`` with a warning, not in its ``__all__``);
* **a class's instance attributes** (``M.C().``), open when the class defines ``__getattr__`` or its
  own ``__getattribute__``;
* **a callable's keyword parameters** (jedi's signatures, every overload; ``**kwargs`` anywhere
  means any keyword; a class's own ``__init__`` and its fields' aliases count).

One more, asked only before a module's name is reported missing: **what the module holds once
imported**, for a package that ships compiled extensions and no stubs — a C extension may add names
to a Python module as it loads (``psycopg2.errors.UniqueViolation``), which no reading of source
sees. The environment's own interpreter imports the module (isolated mode, a time limit) and lists
``dir()`` — the installed package's import code runs, as jedi runs it for compiled modules; the
workspace's code never does.

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
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .pyenv import PythonEnvironment

CACHE_VERSION = 5

# Scripts that share one jedi inference state before a new one is made (see InstalledNames._script)
_SHARED_QUESTIONS = 2000


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
        self._inference = None  # jedi's InferenceState, shared by every question (see _script)
        self._inference_uses = 0
        self._memory: dict[str, object] = {}
        self._unsaved: set[str] = set()  # questions jedi failed on this run: not kept on disk
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

    def returns(self, module: str, expression: str) -> tuple[str, str] | None:
        """The class (module, qualname) of what calling ``expression`` returns, when jedi infers
        exactly one instance of one class (``requests.get(…)``: ``requests.models.Response``);
        ``("", "self")`` for a method annotated ``-> Self`` (the caller's class); None when it
        infers nothing, several things (a union, ``X | None``), a TypeVar or not an instance."""
        key = self._key(module, f"returns:{expression}")
        if key is None:
            return None
        found = self._answer(key, lambda: self._returns(module, expression))
        # ("", "self"): the method returns an instance of its caller's own class (`-> Self`)
        return (found[0], found[1]) if isinstance(found, list) and len(found) == 2 else None

    def runtime_names(self, module: str) -> frozenset[str] | None:
        """The names ``module`` holds once imported, when its package ships compiled extensions
        (see the module); None when that does not apply or the import failed."""
        key = self._key(module, "runtime")
        if key is None or module.split(".", 1)[0] in sys.stdlib_module_names:
            return None
        found = self._answer(key, lambda: self._runtime_names(module))
        return frozenset(found) if isinstance(found, list) else None

    def returns_self(self, module: str, qualname: str, method: str) -> bool:
        """Whether every signature of ``M.qualname().method`` returns the instance's own class
        (``-> Self`` or its own name): ``Path(…) / "x"`` is a ``Path`` again."""
        key = self._key(module, f"self:{qualname}.{method}")
        return key is not None and self._answer(key, lambda: self._returns_self(module, qualname, method)) is True

    def reread(self) -> None:
        """Read the cache file again at the next question: another process (the warm-up, see
        :mod:`.pywarm`) has written answers this one has not asked yet. Answers in memory stay."""
        with self._lock:
            self._disk = None

    def close(self) -> None:
        """Stop jedi's helper process (and the thread reading it): before this process forks, whose
        children would otherwise share one pipe to it. Asked again, jedi starts a new one."""
        with self._lock:
            helper = getattr(self._jedi_env, "_subprocess", None)
            if helper is not None:
                with contextlib.suppress(Exception):
                    helper._kill()
            self._jedi_env = self._project = self._inference = None

    def save(self) -> None:
        """Write what was asked this time to the cache file, merged with what another process
        wrote meanwhile (the forked workers of a check, a second server on the environment):
        read, merge and replace under an exclusive lock on a file beside it, so no process's
        answers are written over by another's; atomically, so a reader never sees half."""
        if not self._dirty or self._cache_file is None:
            return
        from ..paths import write_atomically

        with self._lock, contextlib.suppress(OSError, TypeError, ValueError):
            self._cache_file.parent.mkdir(parents=True, exist_ok=True)
            with open(self._cache_file.with_suffix(".lock"), "a") as lock:
                _lock_file(lock)
                merged = dict(self._read_disk_file())
                merged.update((k, v) for k, v in self._memory.items() if k not in self._unsaved)
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
                found, failed = None, False
                # a question can fail for a reason that passes (a pickle of parso's another process
                # was writing, jedi's helper process dying): it is asked once more. A question that
                # fails twice has no answer this run, and that is never written to disk — kept
                # there, a transient failure stopped every later session from judging that module
                for _ in range(2):
                    try:
                        found, failed = compute(), False
                        break
                    except Exception:  # noqa: BLE001 — jedi failing is "no answer", never a crash
                        failed = True
                        # what jedi was inferring when it raised stays memoised as "nothing" in the
                        # shared state (its memo holds a placeholder while it computes): a state
                        # that saw an error is dropped, or every later question would inherit it
                        self._inference = None
                self.jedi_seconds += time.perf_counter() - started
                if failed:
                    self._unsaved.add(key)
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
        """A jedi Script over *code* that shares one inference state with every question before it.

        A Script makes its own state: every question would infer ``import M`` again — parse its
        files (the module cache is the state's), follow its star-imports, evaluate its stubs. Shared,
        the second question on a package starts where the first left (a quarter off a cold check of
        the corpus). Per question as before: the recursion limits (Script's calls reset them) and
        the count of inferences per node, whose limit (300) would otherwise be reached by a node
        many questions pass through and make jedi answer nothing. Dropped when a question raises
        (see :meth:`_answer`); renewed every
        ``_SHARED_QUESTIONS`` Scripts, so a long-running server neither grows it for ever nor keeps
        a module an install has since replaced."""
        import jedi

        if self._jedi_env is None:
            _parso_cache_shared_safely()
            self._jedi_env = jedi.create_environment(self.python, safe=False)
            # smart_sys_path off: the environment's own path only, not the workspace's folders
            # (the workspace's modules are not this module's to answer for)
            self._project = jedi.Project(
                os.path.dirname(self.python), environment_path=self.python, smart_sys_path=False
            )
        script = jedi.Script(code, environment=self._jedi_env, project=self._project)
        shared = self._inference
        if shared is None or self._inference_uses >= _SHARED_QUESTIONS:
            shared, self._inference_uses = script._inference_state, 0
            self._inference = shared
        else:
            script._inference_state = shared  # before anything is inferred: _get_module is lazy
        self._inference_uses += 1
        shared.inferred_element_counts = {}
        return script

    def _module_names(self, module: str) -> dict | None:
        prefix = f"import {module}\n"
        script = self._script(prefix + module + ".")
        found = script.goto(1, len(prefix) - 1)
        if not found or found[0].type != "module" or found[0].module_path is None:
            return None
        types = {c.name: "" for c in script.complete(2, len(module) + 1)}
        path = Path(found[0].module_path)
        stdlib = module.split(".", 1)[0] in sys.stdlib_module_names
        surface = module_surface(path, self._python_version(), stub_exports=stdlib)
        if surface is None:
            return None  # the module's file does not parse: not confident
        top_level, is_open, declared_all, hidden = surface.names, surface.open, surface.declared_all, surface.hidden
        if stdlib:  # jedi completes the typeshed stub too: what it imports privately is not the module's
            stubs = script.goto(1, len(prefix) - 1, prefer_stubs=True)
            stub = Path(stubs[0].module_path) if stubs and stubs[0].module_path else path
            stub_surface = module_surface(stub, self._python_version(), stub_exports=True) if stub != path else None
            if stub_surface is not None:
                hidden = hidden | (stub_surface.hidden - top_level - set(declared_all or ()))
        for name in top_level:
            types.setdefault(name, "")
        for name in declared_all or ():
            types.setdefault(name, "")
        for name in hidden:  # jedi completes both sides of a version branch, and a stub's own imports
            types.pop(name, None)
        if path.stem == "__init__":
            for sub in _submodules(path.parent):
                types[sub] = "module"
        if not types:
            return None
        return {"types": types, "open": is_open}

    def _returns(self, module: str, expression: str) -> list[str] | None:
        signatures = self._script(f"import {module}\n{expression}(").get_signatures(2, len(expression) + 1)
        annotations = {s.to_string().rpartition("->")[2].strip().strip("'\"") for s in signatures}
        if any(re.search(r"\bSelf\b", a) for a in annotations):
            # jedi gives `-> Self` the class that defines the method (date for datetime's
            # fromisoformat, Executable for a Select's where): the caller's class is the answer
            return ["", "self"] if len(annotations) == 1 else None
        if any(re.fullmatch(r"_?[A-Z][A-Za-z]{0,3}\d?|_\w+", a) for a in annotations):
            return None  # a TypeVar (`_T`, `T`, `_Self`): what it is depends on the call
        code = f"import {module}\n{expression}()"
        found = self._script(code).infer(2, len(expression) + 2)
        if len(found) != 1 or found[0].type != "instance":
            return None
        owner, full = found[0].module_name or "", found[0].full_name or ""
        if not owner or not full.startswith(owner + "."):
            return None
        return [owner, full[len(owner) + 1 :]]

    def _runtime_names(self, module: str) -> list[str] | None:
        import subprocess

        found = self._script(f"import {module}").goto(1, len(f"import {module}"))
        if not found or found[0].module_path is None:
            return None
        path = Path(found[0].module_path)
        if path.suffix != ".py" or path.with_suffix(".pyi").is_file():
            return None  # compiled itself (jedi asked the interpreter), or typed by its own stub
        top = module.split(".", 1)[0]
        package = next((p for p in path.parents if p.name == top), None)
        if package is None or not (any(package.rglob("*.so")) or any(package.rglob("*.pyd"))):
            return None
        script = (
            "import importlib, json, sys; print(json.dumps([n for n in dir(importlib.import_module(sys.argv[1]))]))"
        )
        try:
            done = subprocess.run(
                [self.python, "-I", "-c", script, module], capture_output=True, text=True, timeout=20, check=True
            )
            names = json.loads(done.stdout.strip().splitlines()[-1])
        except (OSError, subprocess.SubprocessError, ValueError, IndexError):
            return None
        return [n for n in names if isinstance(n, str)] if isinstance(names, list) else None

    def _python_version(self) -> tuple[int, int]:
        """The environment's ``X.Y``, which the stubs' ``sys.version_info`` branches are read for."""
        with contextlib.suppress(ValueError):
            major, minor = ((self.env.python if self.env is not None else None) or "").split(".")[:2]
            return int(major), int(minor)
        return sys.version_info[0], sys.version_info[1]

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
        keywords, any_keyword = self._keywords(signatures)
        own = self._own_init(module, expression)
        if own is not None:
            keywords |= own[0]
            any_keyword |= own[1]
        return {"keywords": sorted(keywords), "any": any_keyword}

    def _keywords(self, signatures, skip_first: bool = False) -> tuple[set[str], bool]:
        """The keywords a set of signatures accept, and whether any is (a ``**kwargs`` that is not
        a typed ``Unpack``). A field's ``alias=``/``validation_alias=`` (pydantic: jedi shows the
        synthesised signature's field names, the model is called with the aliases) counts too."""
        keywords: set[str] = set()
        any_keyword = False
        for signature in signatures:
            for index, param in enumerate(signature.params):
                kind = param.kind.name
                if kind == "VAR_KEYWORD":
                    typed = self._typed_keywords(signature, param)
                    if typed is None:
                        any_keyword = True
                    else:
                        keywords.update(typed)
                elif kind in ("POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY") and not (skip_first and index == 0):
                    keywords.add(param.name)
                    keywords.update(m.group(2) for m in _ALIAS.finditer(param.to_string()))
        return keywords, any_keyword

    def _own_init(self, module: str, expression: str) -> tuple[set[str], bool] | None:
        """The keywords of a class's ``__init__`` when its own package wrote one. jedi gives a
        dataclass-like class (pydantic, attrs, ``dataclass_transform``) the signature its fields
        make, but a class that defines ``__init__`` is called through that (PEP 681): blockkit's
        ``Section(text=…, fields=…)`` where the fields are ``text``/``fields_``. None when the
        ``__init__`` is the framework's (pydantic's ``**data``: the fields' signature is right)."""
        code = f"import {module}\n{expression}.__init__"
        found = self._script(code).infer(2, len(expression) + len(".__init__"))
        top = module.split(".", 1)[0]
        if not found or any(d.type != "function" or (d.module_name or "").split(".", 1)[0] != top for d in found):
            return None
        signatures = self._script(code + "(").get_signatures(2, len(expression) + len(".__init__("))
        return self._keywords(signatures, skip_first=True) if signatures else None

    def _typed_keywords(self, signature, param) -> list[str] | None:
        """The keys of ``**kwargs: Unpack[SomeTypedDict]`` (PEP 692), when that TypedDict is defined
        plainly (``class X(TypedDict):`` with annotated keys only); ``None`` (any keyword) otherwise."""
        match = re.search(r"\*\*\w+:\s*Unpack\[\s*([A-Za-z_][\w.]*)\s*\]\s*$", param.to_string())
        module = signature.module_name
        if match is None or not module:
            return None
        expression = f"{module}.{match.group(1)}"
        found = self._script(f"import {module}\n{expression}").infer(2, len(expression))
        if len(found) != 1 or found[0].type != "class" or found[0].module_path is None:
            return None
        try:
            tree = ast.parse(Path(found[0].module_path).read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
            return None
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.lineno == found[0].line and node.name == found[0].name:
                bases = [b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", None) for b in node.bases]
                if bases != ["TypedDict"] or any(k.arg != "total" for k in node.keywords):
                    return None
                keys: list[str] = []
                for statement in node.body:
                    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                        keys.append(statement.target.id)
                    elif not isinstance(statement, ast.Expr | ast.Pass):  # a docstring, `...`
                        return None
                return keys
        return None

    def _returns_self(self, module: str, qualname: str, method: str) -> bool:
        code = f"import {module}\n{module}.{qualname}().{method}("
        signatures = self._script(code).get_signatures(2, len(code.split("\n")[1]))
        own = {"Self", qualname.rsplit(".", 1)[-1]}
        returns = [s.to_string().rpartition("->")[2].strip().strip("'\"") for s in signatures]
        return bool(returns) and all(r in own for r in returns)


def _parso_cache_shared_safely() -> None:
    """Make parso's parse cache on disk safe for several processes at once (the forked workers
    of a check, a server and a CLI): parso writes a module's pickle in place, so a process loading
    it meanwhile reads half of it (``EOFError: Ran out of input`` — jedi fails that question), and
    two processes making its folder race (``FileExistsError``). Its writes become a temporary file
    renamed over the pickle, and the race on the folder is tried again. Once per process; a parso
    without these functions is left as it is (the failed question is asked again, see _answer)."""
    import pickle
    import tempfile

    try:
        import parso.cache as cache
    except ImportError:
        return
    save, folder = getattr(cache, "_save_to_file_system", None), getattr(cache, "_get_cache_directory_path", None)
    hashed_path = getattr(cache, "_get_hashed_path", None)
    if save is None or folder is None or hashed_path is None or getattr(save, "freeagent_atomic", False):
        return

    def make_folder(cache_path=None):
        try:
            return folder(cache_path=cache_path)
        except FileExistsError:  # another process made it between parso's check and its makedirs
            return folder(cache_path=cache_path)

    def save_atomically(hashed_grammar, path, item, cache_path=None):
        target = hashed_path(hashed_grammar, path, cache_path=cache_path)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                pickle.dump(item, out, pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    save_atomically.freeagent_atomic = True  # type: ignore[attr-defined]
    cache._get_cache_directory_path = make_folder
    cache._save_to_file_system = save_atomically


def _lock_file(handle) -> None:
    """Hold an exclusive lock on an open file until it is closed (POSIX; elsewhere none: one
    process's answers may then be written over, and are asked again)."""
    try:
        import fcntl
    except ImportError:
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


def _names(found) -> Names | None:
    if not isinstance(found, dict) or not isinstance(found.get("types"), dict):
        return None
    return Names(found["types"], bool(found.get("open")))


class Surface(NamedTuple):
    """What :func:`module_surface` reads of a module file."""

    names: set[str]
    open: bool
    declared_all: list[str] | None
    hidden: set[str]


def module_surface(path: Path, version: tuple[int, int], *, stub_exports: bool = False) -> Surface | None:
    """A module file's names (top level, and string literals when a ``__getattr__`` serves names),
    whether any other name may exist (an open module ``__getattr__``), its ``__all__`` when that is a
    literal list/tuple of strings (None otherwise), and the names it binds only where they do not
    exist for the environment's Python *version*: in a ``sys.version_info``/``sys.platform`` branch
    not taken, or — with *stub_exports*, for a ``.pyi`` stub of the standard library — imported
    without re-export (PEP 484: ``from m import X`` is private to a stub unless ``as X``)."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return None
    names: set[str] = set()
    hidden: set[str] = set()
    getattr_defs: list[ast.AST] = []  # every binding of the module's `__getattr__`
    declared_all: list[str] | None = None
    private_imports = stub_exports and path.suffix == ".pyi"

    def visit(body, into: set[str]) -> None:
        nonlocal declared_all
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                into.add(node.name)
                if node.name == "__getattr__" and into is names:
                    getattr_defs.append(node)
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for leaf in ast.walk(target):
                        if isinstance(leaf, ast.Name):
                            into.add(leaf.id)
                            if leaf.id == "__getattr__" and into is names:
                                getattr_defs.append(node)
                            if leaf.id == "__all__" and into is names:
                                declared_all = _literal_strings(node.value) if isinstance(node, ast.Assign) else None
            elif isinstance(node, ast.Import | ast.ImportFrom):
                for alias in node.names:
                    if alias.name != "*":
                        bound = (alias.asname or alias.name).split(".")[0]
                        exported = not private_imports or alias.asname == alias.name.rsplit(".", 1)[-1]
                        (into if exported else hidden).add(bound)
                        if bound == "__getattr__" and into is names:
                            getattr_defs.append(node)
            elif isinstance(node, ast.If):  # TYPE_CHECKING, version and platform branches
                taken = _static_test(node.test, version)
                visit(node.body, into if taken is not False else hidden)
                visit(node.orelse, into if taken is not True else hidden)
            elif isinstance(node, ast.Try | ast.TryStar):  # optional imports
                visit(node.body, into)
                visit(node.orelse, into)
                for handler in node.handlers:
                    visit(handler.body, into)
                visit(node.finalbody, into)
            elif isinstance(node, ast.For | ast.AsyncFor | ast.While | ast.With | ast.AsyncWith):
                # `with warnings.catch_warnings(): from x import y`, a loop's target: bound here too
                targets = [node.target] if isinstance(node, ast.For | ast.AsyncFor) else []
                if isinstance(node, ast.With | ast.AsyncWith):
                    targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
                into.update(leaf.id for t in targets for leaf in ast.walk(t) if isinstance(leaf, ast.Name))
                visit(node.body, into)
                visit(getattr(node, "orelse", []), into)

    visit(tree.body, names)
    hidden -= names
    hidden.difference_update(declared_all or ())
    if _binds_dynamically(tree):
        return Surface(names, True, declared_all, hidden)
    if not getattr_defs:
        return Surface(names, False, declared_all, hidden)
    names.update(
        leaf.value
        for leaf in ast.walk(tree)
        if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str) and leaf.value.isidentifier()
    )
    closed = all(_looks_names_up(d, strict=declared_all is None) for d in getattr_defs)
    return Surface(names, not closed, declared_all, hidden)


def _binds_dynamically(tree: ast.Module) -> bool:
    """Whether the module's own top level binds names no parser sees: ``globals()[k] = …``,
    ``locals()[k] = …`` (requests.packages binds urllib3 that way), ``globals().update(…)``, or
    replaces itself in ``sys.modules`` (``sh``: any name is a command)."""

    def namespace(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("globals", "locals", "vars")
        )

    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue  # a function's body runs later, if ever (pydantic's __getattr__ caches into globals())
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and namespace(node.value):
            return True
        if (  # `sys.modules[__name__] = Wrapper(...)`: the module is replaced by an object (sh)
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Store)
            and ast.unparse(node.value) == "sys.modules"
            and ast.unparse(node.slice) == "__name__"
        ):
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("update", "setdefault")
            and namespace(node.func.value)
        ):
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def _static_test(test: ast.AST, version: tuple[int, int]) -> bool | None:
    """The value of a module-level ``if`` test the way type checkers read it: ``sys.version_info``
    compared with a tuple (for the environment's *version*) and ``sys.platform`` with a string;
    None for anything else (both branches may run)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _static_test(test.operand, version)
        return None if inner is None else not inner
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if isinstance(left, ast.Subscript):  # sys.version_info[0] >= 3
        left = left.value if isinstance(left.slice, ast.Slice) else left
    what = ast.unparse(left)
    try:
        value = ast.literal_eval(right)
    except ValueError:
        return None
    if what == "sys.version_info" and isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        have: object = tuple(version[: len(value)])
    elif what == "sys.platform" and isinstance(value, str):
        have = sys.platform
    else:
        return None
    compare = {
        ast.GtE: lambda a, b: a >= b,
        ast.Gt: lambda a, b: a > b,
        ast.Lt: lambda a, b: a < b,
        ast.LtE: lambda a, b: a <= b,
        ast.Eq: lambda a, b: a == b,
        ast.NotEq: lambda a, b: a != b,
    }.get(type(op))
    if compare is None:
        return None
    try:
        return bool(compare(have, value))
    except TypeError:
        return None


def _looks_names_up(definition: ast.AST, *, strict: bool) -> bool:
    """Whether a module ``__getattr__`` serves only names of its own: it looks its argument up in
    a table (``name in T``, ``T.get(name)``, ``T[name]``), or compares it (``name == "Old"``) or
    raises and never forwards it (``getattr(_impl, name)``, ``import_module(name)``; when *strict*
    — the module declares no ``__all__`` to say what it serves — any call given the name but a
    warning or an error). One that forwards, or is not a plain function, may serve any name."""
    if not isinstance(definition, ast.FunctionDef | ast.AsyncFunctionDef) or not definition.args.args:
        return False
    param = definition.args.args[0].arg

    def is_param(node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id == param

    compares = forwards = False
    for node in ast.walk(definition):
        if isinstance(node, ast.Compare) and is_param(node.left):
            if any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
                return True  # a table of the names it serves
            compares |= any(isinstance(op, ast.Eq) for op in node.ops)
        elif isinstance(node, ast.Subscript) and is_param(node.slice):
            return True
        elif isinstance(node, ast.Raise):
            compares = True
        elif isinstance(node, ast.Call) and node.args:
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if callee == "get" and is_param(node.args[0]):
                return True
            if any(is_param(leaf) for arg in node.args for leaf in ast.walk(arg)) and (
                callee in ("getattr", "import_module", "__import__")
                or (
                    strict and callee not in _NAME_SAFE_CALLS and not callee.endswith(("Error", "Exception", "Warning"))
                )
            ):
                forwards = True
    return compares and not forwards


# `Field(None, alias="fields")` in a signature's default: the keyword the model is called with
_ALIAS = re.compile(r"\b(?:validation_)?alias\s*=\s*(['\"])([A-Za-z_]\w*)\1")

# What a `__getattr__` may hand its argument to without serving it: warnings, messages, a lookup.
_NAME_SAFE_CALLS = frozenset({"get", "warn", "warning", "format", "str", "repr", "len", "startswith", "endswith"})


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
