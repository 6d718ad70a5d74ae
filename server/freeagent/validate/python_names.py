"""Rule family for Python files: names of installed modules that do not exist (codes FA203–FA205).

Owns reading a Python file's uses of what it imports from the standard library and from the
packages installed in the workspace's environment, and judging them against what those modules
really define (:mod:`..context.pynames`, jedi over the workspace's own interpreter):

* FA203 — ``from pkg import name`` where the installed module has no such name
  (``from pydantic import ModelConfig``);
* FA204 — ``module.attr`` on an imported module, and ``obj.attr`` on a variable bound exactly once,
  from a constructor call of an installed package's class (``c = httpx.Client(); c.gett(url)``)
  or from a call whose return type jedi infers as one class (``requests.get(url).json_data()``;
  a method annotated ``-> Self`` returns its caller's class), where the attribute does not exist;
* FA205 — a keyword argument the callable does not accept (``httpx.Client(retries=3)``); callables
  taking ``**kwargs`` accept any.

Only where the answer is certain: a name bound more than once, or in any other way, is not
followed; a module or class with a ``__getattr__`` is open; uses under ``try`` that catch the
error, under ``if`` on ``sys.version_info``/``sys.platform``/``hasattr``, private names (``_x``),
attributes the file itself assigns, and relative or workspace-local modules are not judged. The
file is read with Python's own parser (``ast``); a file that does not parse is not judged.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from ..context.parsing import FileSummary
from ..context.workspace import WorkspaceContext
from ..findings import (
    CODE_UNKNOWN_ATTRIBUTE,
    CODE_UNKNOWN_IMPORTED_NAME,
    CODE_UNKNOWN_KEYWORD,
    Finding,
    Range,
    Severity,
)
from .fixes import lsp_position, nearest_names, replace_bytes

# what a `try` must catch for a failing import, attribute or call inside it to be handled
_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
_ATTRIBUTE_ERRORS = {"AttributeError", "Exception", "BaseException"}
_CALL_ERRORS = {"TypeError", "Exception", "BaseException"}
_OPERATOR_METHODS = {
    ast.Add: "__add__",
    ast.Sub: "__sub__",
    ast.Mult: "__mul__",
    ast.Div: "__truediv__",
    ast.FloorDiv: "__floordiv__",
    ast.Mod: "__mod__",
    ast.BitOr: "__or__",
    ast.BitAnd: "__and__",
}


@dataclass(frozen=True, slots=True)
class _Ref:
    """What an expression stands for: a module, a class, an instance of a class, or a callable
    (``expression`` is how jedi is asked about it, with ``module`` imported)."""

    kind: str  # module | class | instance | callable
    module: str
    qualname: str = ""  # of the class, for class and instance; for a method, its class
    expression: str = ""  # for callable and class


class PythonNameRules:
    def __init__(self, ctx: WorkspaceContext):
        self.ctx = ctx

    def check(self, path: Path, summary: FileSummary) -> list[Finding]:
        if summary.language != "python" or not summary.imports:
            return []
        names = self.ctx.installed_names()
        if names is None:
            return []
        text = self.ctx.read(path)
        if text is None:
            return []
        source = text.encode("utf-8")
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            return []  # while it does not parse nothing is certain; the other families still run
        findings = _FileCheck(self.ctx, path, source, tree, names).run()
        names.save()
        return findings


class _FileCheck:
    def __init__(self, ctx: WorkspaceContext, path: Path, source: bytes, tree: ast.Module, names):
        self.ctx, self.path, self.source, self.tree, self.names = ctx, path, source, tree, names
        self.lines = source.split(b"\n")
        self.parents: dict[int, ast.AST] = {}
        self.scope_of: dict[int, ast.AST] = {}  # node id → the function/module/class scope it is in
        self.bindings: dict[tuple[int, str], list[ast.AST]] = {}  # (scope id, name) → binding nodes
        self.declared: set[tuple[int, str]] = set()  # global/nonlocal names of a scope
        self.assigned_attrs: set[str] = set()  # `x.attr = …` anywhere: source text of `x.attr`
        self.dynamic_attrs: set[str] = set()  # `setattr(x, …)` anywhere: source text of `x`
        self.findings: list[Finding] = []
        self.local_tops: dict[str, bool] = {}
        self.following: set[int] = set()  # bindings being followed (`s = s.with_options()` is a cycle)

    # ------------------------------------------------------------------ the walk

    def run(self) -> list[Finding]:
        self._index(self.tree, self.tree)
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom):
                self._import_from(node)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                self._attribute(node)
            elif isinstance(node, ast.Call) and node.keywords:
                self._call(node)
        return self.findings

    def _index(self, node: ast.AST, scope: ast.AST) -> None:
        """Parents, scopes, and every binding of every name per scope."""
        for child in ast.iter_child_nodes(node):
            self.parents[id(child)] = node
            inner = scope
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self._bind(scope, child.name, child)
                inner = child
            elif isinstance(child, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
                inner = child
            self.scope_of[id(child)] = scope
            if isinstance(child, ast.arg):
                self._bind(scope, child.arg, child)
            elif isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
                self._bind(scope, child.id, self._statement(child))
            elif isinstance(child, ast.Import | ast.ImportFrom):
                for alias in child.names:
                    if alias.name == "*":  # any name may be rebound by it: judge none
                        self._bind(self.tree, "*dynamic*", child)
                    else:
                        bound = alias.asname or alias.name.split(".")[0]
                        self._bind(scope, bound, alias)
            elif (isinstance(child, ast.ExceptHandler) and child.name) or (
                isinstance(child, ast.MatchAs | ast.MatchStar) and child.name
            ):
                self._bind(scope, child.name, child)
            elif isinstance(child, ast.MatchMapping) and child.rest:
                self._bind(scope, child.rest, child)
            elif isinstance(child, ast.Global | ast.Nonlocal):
                for name in child.names:
                    self.declared.add((id(scope), name))
            elif isinstance(child, ast.Attribute) and not isinstance(child.ctx, ast.Load):
                self.assigned_attrs.add(ast.unparse(child))
            elif isinstance(child, ast.Call) and isinstance(child.func, ast.Name):
                self._dynamic_binding(child, scope)
            self._index(child, inner)

    def _dynamic_binding(self, call: ast.Call, scope: ast.AST) -> None:
        """What a call binds that no parser sees, judged name by name (as type checkers do):
        ``setattr(obj, …)`` may give ``obj`` any attribute; ``globals()["NAME"] = …`` binds NAME
        in the module (a computed key, ``globals().update()``, ``exec`` make names the file never
        names, so they rebind none of those it binds itself); ``locals()``/``vars()`` writes do
        nothing a later read sees."""
        called = call.func.id if isinstance(call.func, ast.Name) else ""
        if called == "setattr" and call.args:
            self.dynamic_attrs.add(ast.unparse(call.args[0]))
            return
        if called != "globals" or call.args:
            return
        parent = self.parents.get(id(call))
        if (
            isinstance(parent, ast.Subscript)
            and parent.value is call
            and isinstance(parent.ctx, ast.Store)
            and isinstance(parent.slice, ast.Constant)
            and isinstance(parent.slice.value, str)
        ):
            self._bind(self.tree, parent.slice.value, self._statement(parent))

    def _bind(self, scope: ast.AST, name: str, node: ast.AST) -> None:
        self.bindings.setdefault((id(scope), name), []).append(node)

    def _statement(self, node: ast.AST) -> ast.AST:
        while not isinstance(node, ast.stmt | ast.comprehension) and id(node) in self.parents:
            node = self.parents[id(node)]
        return node

    # ------------------------------------------------------------------ what a name is

    def _binding_of(self, name: ast.Name) -> list[ast.AST] | None:
        """The bindings the name refers to (LEGB, class scopes skipped from inside functions);
        None when they cannot be known (global/nonlocal, a dynamic namespace)."""
        if (id(self.tree), "*dynamic*") in self.bindings:
            return None
        scope = self.scope_of.get(id(name), self.tree)
        first = True
        while True:
            key = (id(scope), name.id)
            if key in self.declared:
                return None
            if key in self.bindings and (first or not isinstance(scope, ast.ClassDef)):
                return self.bindings[key]
            if scope is self.tree:
                return []  # a builtin, or not defined: nothing installed
            first = False
            scope = self.scope_of.get(id(scope), self.tree)

    def _resolve(self, node: ast.AST) -> _Ref | None:
        if isinstance(node, ast.Name):
            return self._resolve_name(node)
        if isinstance(node, ast.Attribute):
            base = self._resolve(node.value)
            if base is None:
                return None
            return self._member(base, node.attr)
        if isinstance(node, ast.Call):
            func = self._resolve(node.func)
            if func is not None and func.kind == "class":
                return _Ref("instance", func.module, func.qualname)
            if func is not None and func.kind == "callable":  # `requests.get(url)`: what it returns
                returned = self.names.returns(func.module, func.expression)
                if returned == ("", "self"):  # `-> Self`: an instance of the caller's own class
                    return _Ref("instance", func.module, func.qualname) if func.qualname else None
                if returned is not None and self._judged_module(returned[0]):
                    return _Ref("instance", returned[0], returned[1])
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATOR_METHODS:
            # `Path(…) / "x"`: the left operand's method decides (unless the right one is an instance
            # of a subclass, whose reflected method would go first: not followed then)
            left, right = self._resolve(node.left), self._resolve(node.right)
            if (
                left is not None
                and left.kind == "instance"
                and (right is None or right == left)
                and self.names.returns_self(left.module, left.qualname, _OPERATOR_METHODS[type(node.op)])
            ):
                return left
        return None

    def _resolve_name(self, name: ast.Name) -> _Ref | None:
        bound = self._binding_of(name)
        if not bound:
            return None
        refs = {self._ref_of_binding(b) for b in bound}
        if len(refs) != 1:
            return None  # bound to different things (e.g. `orjson = None` after a failed import)
        return refs.pop()

    def _ref_of_binding(self, binding: ast.AST) -> _Ref | None:
        if isinstance(binding, ast.alias):
            statement = self.parents.get(id(binding))
            if isinstance(statement, ast.Import):
                module = binding.name if binding.asname else binding.name.split(".")[0]
                return _Ref("module", module) if self._judged_module(module) else None
            if isinstance(statement, ast.ImportFrom) and not statement.level and statement.module:
                if not self._judged_module(statement.module):
                    return None
                return self._member(_Ref("module", statement.module), binding.name)
            return None
        if isinstance(binding, ast.Assign | ast.AnnAssign) and isinstance(binding.value, ast.Call | ast.BinOp):
            targets = binding.targets if isinstance(binding, ast.Assign) else [binding.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name) and id(binding) not in self.following:
                self.following.add(id(binding))
                try:
                    made = self._resolve(binding.value)
                finally:
                    self.following.discard(id(binding))
                return made if made is not None and made.kind == "instance" else None
        return None

    def _member(self, base: _Ref, attr: str) -> _Ref | None:
        """What ``base.attr`` stands for, when the table says."""
        table = self._table(base)
        if table is None or attr not in table.types:
            return None
        if base.kind == "module":
            expression = f"{base.module}.{attr}"
        else:
            expression = f"{base.module}.{base.qualname}" + ("()" if base.kind == "instance" else "") + f".{attr}"
        kind = table.types[attr] or self.names.kind(base.module, expression)
        if base.kind == "module":
            if kind == "module":
                return _Ref("module", f"{base.module}.{attr}")
            if kind == "class":
                return _Ref("class", base.module, attr, f"{base.module}.{attr}")
            if kind == "function":
                return _Ref("callable", base.module, expression=f"{base.module}.{attr}")
            if kind in ("statement", "instance") and self.names.module(f"{base.module}.{attr}") is not None:
                return _Ref("module", f"{base.module}.{attr}")  # `os.path`: a module bound by a name
            if kind == "instance":  # `shutil.rmtree`: an object with `__call__`; its keywords if jedi has them
                return _Ref("callable", base.module, expression=expression)
            return None
        if kind == "function" and base.kind in ("class", "instance"):  # a method: its class kept for `-> Self`
            return _Ref("callable", base.module, base.qualname, expression=expression)
        return None

    def _table(self, ref: _Ref):
        if ref.kind == "module":
            return self.names.module(ref.module)
        if ref.kind in ("class", "instance"):
            return self.names.instance(ref.module, ref.qualname)
        return None

    def _judged_module(self, module: str) -> bool:
        """Installed or stdlib, and not shadowed by one of the workspace's own modules."""
        top = module.split(".")[0]
        if top not in self.local_tops:
            self.local_tops[top] = self.ctx.python_module_is_local(self.path, top)
        return not self.local_tops[top]

    # ------------------------------------------------------------------ guards

    def _guarded(self, node: ast.AST, caught: set[str]) -> bool:
        """Inside a ``try`` whose handlers catch one of ``caught`` (or everything), or an ``if`` on
        the interpreter's version or platform, or on ``hasattr``/``getattr``."""
        child, parent = node, self.parents.get(id(node))
        while parent is not None:
            if isinstance(parent, ast.Try | ast.TryStar) and child in parent.body:
                for handler in parent.handlers:
                    if handler.type is None or caught & _names_in(handler.type):
                        return True
            if isinstance(parent, ast.If | ast.IfExp | ast.While) and _conditional_on_environment(parent.test):
                return True
            child, parent = parent, self.parents.get(id(parent))
        return False

    def _added_at_import(self, module: str, name: str) -> bool:
        """Whether a compiled extension puts ``name`` into ``module`` as it loads."""
        names = self.names.runtime_names(module)
        return names is not None and name in names

    def _unreached_fallback(self, node: ast.AST) -> bool:
        """An import in an ``except ImportError:`` whose ``try`` imports all exist here: the
        fallback for another version of a package (``try: from pydantic.v1 import X`` /
        ``except ImportError: from pydantic import X``), never run in this environment."""
        parent = self.parents.get(id(node))
        while parent is not None and not isinstance(parent, ast.Module):
            if isinstance(parent, ast.ExceptHandler) and (
                parent.type is None or _IMPORT_ERRORS & _names_in(parent.type)
            ):
                attempt = self.parents.get(id(parent))
                if isinstance(attempt, ast.Try | ast.TryStar):
                    tried = [n for s in attempt.body for n in ast.walk(s) if isinstance(n, ast.Import | ast.ImportFrom)]
                    return bool(tried) and all(self._imports_here(n) for n in tried)
            parent = self.parents.get(id(parent))
        return False

    def _imports_here(self, node: ast.Import | ast.ImportFrom) -> bool:
        """Whether an import statement succeeds in this environment, as far as is known."""
        if isinstance(node, ast.Import):
            return all(self.names.module(alias.name) is not None for alias in node.names)
        if node.level or not node.module:
            return True  # the workspace's own: not ours to doubt
        table = self.names.module(node.module)
        if table is None:
            return False
        return table.open or all(
            a.name == "*" or table.has(a.name) or self.names.module(f"{node.module}.{a.name}") is not None
            for a in node.names
        )

    # ------------------------------------------------------------------ the three rules

    def _import_from(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module or not self._judged_module(node.module):
            return
        table = self.names.module(node.module)
        if table is None or table.open or self._guarded(node, _IMPORT_ERRORS) or self._unreached_fallback(node):
            return
        for alias in node.names:
            name = alias.name
            if name == "*" or name.startswith("_") or table.has(name) or self._added_at_import(node.module, name):
                continue
            start = self._offset(alias.lineno, alias.col_offset)
            self._report(
                CODE_UNKNOWN_IMPORTED_NAME,
                start,
                start + len(name.encode()),
                name,
                table.types,
                f"'{node.module}' has no '{name}'{self._where(node.module)}",
            )

    def _attribute(self, node: ast.Attribute) -> None:
        if node.attr.startswith("_"):
            return
        base = self._resolve(node.value)
        if base is None or base.kind == "callable":
            return
        table = self._table(base)
        if table is None or table.has(node.attr) or ast.unparse(node) in self.assigned_attrs:
            return
        if ast.unparse(node.value) in self.dynamic_attrs:
            return
        if base.kind == "module" and self._added_at_import(base.module, node.attr):
            return
        if self._guarded(node, _ATTRIBUTE_ERRORS):
            return
        end = self._offset(node.end_lineno or node.lineno, node.end_col_offset or 0)
        start = end - len(node.attr.encode())
        if self.source[start:end] != node.attr.encode():
            return  # the name is not where it should be (a line continuation inside): do not guess
        what = {"module": f"'{base.module}'", "class": f"'{base.module}.{base.qualname}'"}.get(
            base.kind, f"a '{base.module}.{base.qualname}' object"
        )
        self._report(
            CODE_UNKNOWN_ATTRIBUTE,
            start,
            end,
            node.attr,
            table.types,
            f"{what} has no attribute '{node.attr}'{self._where(base.module)}",
        )

    def _call(self, node: ast.Call) -> None:
        if any(k.arg is None for k in node.keywords):
            return  # `**options`: which keywords arrive is not known
        target = self._resolve(node.func)
        if target is None or target.kind not in ("class", "callable"):
            return
        params = self.names.parameters(target.module, target.expression)
        if params is None or params.any_keyword:
            return
        unknown = [k for k in node.keywords if k.arg not in params.keywords]
        if not unknown or self._guarded(node, _CALL_ERRORS):
            return
        for keyword in unknown:
            assert keyword.arg is not None
            start = self._offset(keyword.lineno, keyword.col_offset)
            self._report(
                CODE_UNKNOWN_KEYWORD,
                start,
                start + len(keyword.arg.encode()),
                keyword.arg,
                sorted(params.keywords),
                f"{target.expression.replace('()', '(…)')}() takes no keyword argument '{keyword.arg}'"
                f"{self._where(target.module)}",
            )

    # ------------------------------------------------------------------ findings

    def _where(self, module: str) -> str:
        top = module.split(".")[0]
        env = self.names.env
        owners = env.provides(top) if env is not None else []
        if owners and env is not None:
            dist = env.distributions.get(owners[0])
            return (
                f" ({dist.name} {dist.version} in {self.ctx.rel(env.path) if self.ctx.contains(env.path) else env.path})"
                if dist
                else ""
            )
        return ""

    def _offset(self, lineno: int, col: int) -> int:
        return sum(len(line) + 1 for line in self.lines[: lineno - 1]) + col

    def _report(self, code: str, start: int, end: int, name: str, choices, message: str) -> None:
        """``choices``: the names that do exist."""
        public = [c for c in choices if not c.startswith("_")]
        # a class-like name is most likely a misspelt class: among names of its own case first
        public = [c for c in public if c[:1].isupper() == name[:1].isupper()] or public
        suggestion = nearest_names(name, public, cutoff=70)
        fixes: tuple = ()
        if suggestion:
            message += f"; did you mean '{suggestion[0]}'?"
            fixes = (
                replace_bytes(self.path, self.source, start, end, suggestion[0], f"Change to '{suggestion[0]}'", True),
            )
        line, character = lsp_position(self.source, start)
        end_line, end_character = lsp_position(self.source, end)
        self.findings.append(
            Finding(
                str(self.path),
                Range(line, character, end_line, end_character),
                Severity.ERROR,
                code,
                message,
                fixes=fixes,
            )
        )


def _names_in(node: ast.AST) -> set[str]:
    return {
        n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(node) if isinstance(n, ast.Name | ast.Attribute)
    }


def _conditional_on_environment(test: ast.AST) -> bool:
    for n in ast.walk(test):
        if isinstance(n, ast.Attribute) and n.attr in ("version_info", "platform", "implementation", "hexversion"):
            return True
        if isinstance(n, ast.Name) and n.id in ("hasattr", "getattr", "PY2", "PY3", "PY310", "PY311", "PY312"):
            return True
    return False
