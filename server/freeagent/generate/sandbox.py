"""Running a candidate's code against tests written for it, away from the editor's process and the
workspace: the ensembles' execution stage (generate/ensemble.py) judges candidates by what their
code does, and that code is a model's — it may loop for ever, eat memory, or read the environment.

Owns the run: a temporary folder holding only what is passed (the candidate's module, the tests,
a small harness), a child process of its own session, and the result per test.

What isolation this gives (POSIX; elsewhere only the time limit and the folder):

* **time**: a wall-clock limit, after which the whole process group is killed (children too), and
  a CPU-time limit (``RLIMIT_CPU``) as a second stop;
* **memory**: an address-space limit (``RLIMIT_AS``): an allocation past it fails in the child
  (``MemoryError``), never in the editor;
* **secrets**: the child's environment is ``PATH``, ``LANG`` and a ``HOME`` inside the temporary
  folder — no API keys, no ``*_TOKEN``; stdin is closed; output is capped;
* **files**: it runs in the temporary folder, deleted afterwards, with no core files
  (``RLIMIT_CORE`` 0) and a file-size limit (``RLIMIT_FSIZE``).

What it does not give: **network** isolation (that needs network namespaces — root, or
unprivileged user namespaces the machine may not allow) and **read** isolation (the child can read
what the user can). So the candidate's tests run code a model wrote with the user's read access
and network: as the code would run once inserted, but before anyone has read it.

The Python harness needs nothing installed: the tests are plain ``test_*`` functions with
``assert``s, calling the candidate's function as ``subject``; each test's outcome is ``passed``,
``failed`` (an assertion) or ``error`` (anything else), with the value of each ``subject(...)`` call
recorded in order (for clustering candidates by behaviour).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

OUTPUT_LIMIT = 200_000  # bytes of stdout/stderr kept
FILE_LIMIT = 16 * 1024 * 1024  # bytes any file the child writes may reach

_HARNESS = r"""
import importlib.util, json, sys

name, out = sys.argv[1], sys.argv[2]
results, calls = {}, []
try:
    spec = importlib.util.spec_from_file_location("candidate", "candidate.py")
    candidate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(candidate)
    target = getattr(candidate, name)
except BaseException as exc:  # the candidate does not even import
    with open(out, "w") as f:
        json.dump({"load_error": f"{type(exc).__name__}: {exc}"[:500]}, f)
    raise SystemExit(0)


def subject(*args, **kwargs):
    try:
        value = target(*args, **kwargs)
    except BaseException as exc:
        calls.append(["raised", type(exc).__name__])
        raise
    calls.append(["returned", repr(value)[:200]])
    return value


space = {"subject": subject, "__name__": "candidate_tests"}
with open("tests.py") as f:
    source = f.read()
exec(compile(source, "tests.py", "exec"), space)
for test, fn in list(space.items()):
    if not (test.startswith("test_") and callable(fn)):
        continue
    try:
        fn()
        results[test] = "passed"
    except AssertionError:
        results[test] = "failed"
    except MemoryError:
        results[test] = "error: MemoryError"
    except BaseException as exc:
        results[test] = f"error: {type(exc).__name__}"
with open(out, "w") as f:
    json.dump({"tests": results, "calls": calls}, f)
"""


@dataclass
class SandboxResult:
    tests: dict[str, str] = field(default_factory=dict)  # test name → passed | failed | error: <type>
    calls: list[list[str]] = field(default_factory=list)  # each subject(...) call: returned/raised, value
    load_error: str | None = None  # the candidate's module did not import
    timed_out: bool = False
    returncode: int | None = None
    seconds: float = 0.0
    stderr: str = ""

    @property
    def passed(self) -> int:
        return sum(1 for v in self.tests.values() if v == "passed")

    @property
    def out_of_memory(self) -> bool:
        return "MemoryError" in self.stderr or any(v == "error: MemoryError" for v in self.tests.values())


def run_python_tests(
    module: str,
    function: str,
    tests: str,
    *,
    python: str | None = None,
    timeout_s: float = 10.0,
    memory_mb: int = 1024,
) -> SandboxResult:
    """Run ``tests`` (plain ``test_*`` functions calling ``subject``) against ``function`` of the
    module source ``module``, in a child Python (``python``, default this one) under the limits."""
    with tempfile.TemporaryDirectory(prefix="freeagent-sandbox-") as tmp:
        folder = Path(tmp)
        (folder / "candidate.py").write_text(module, encoding="utf-8")
        (folder / "tests.py").write_text(tests, encoding="utf-8")
        (folder / "harness.py").write_text(_HARNESS, encoding="utf-8")
        (folder / "home").mkdir()
        out = folder / "result.json"
        started = time.perf_counter()
        result = SandboxResult()
        argv = [python or sys.executable, "-I", "harness.py", function, str(out)]
        try:
            process = subprocess.Popen(
                argv,
                cwd=folder,
                env=_environment(folder / "home"),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group: killed as one at the time limit
                preexec_fn=_limits(timeout_s, memory_mb) if os.name == "posix" else None,
            )
        except OSError as exc:
            result.stderr = f"the sandbox could not start: {exc}"
            return result
        try:
            _, err = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            result.timed_out = True
            _kill_group(process)
            _, err = process.communicate()
        result.seconds = time.perf_counter() - started
        result.returncode = process.returncode
        result.stderr = err[-OUTPUT_LIMIT:].decode("utf-8", "replace")
        if process.returncode is not None and process.returncode < 0 and -process.returncode == signal.SIGXCPU:
            result.timed_out = True
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(out.read_text(encoding="utf-8"))
            result.tests = {str(k): str(v) for k, v in data.get("tests", {}).items()}
            result.calls = [list(map(str, c)) for c in data.get("calls", [])]
            result.load_error = data.get("load_error")
        return result


def _environment(home: Path) -> dict[str, str]:
    """PATH, LANG and a HOME of its own: no API key, token or proxy setting reaches the child."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "HOME": str(home)}


def _limits(timeout_s: float, memory_mb: int):
    def apply() -> None:  # in the child, before it runs anything
        import resource

        cpu = max(1, int(timeout_s) + 1)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        memory = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))

    return apply


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
