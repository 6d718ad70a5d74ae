"""FA203-FA205: names of installed Python modules that do not exist, judged with jedi over the
workspace's own environment (here: the virtual environment running the tests, linked in as the
workspace's .venv), and nothing judged where the answer is not certain."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from freeagent.context.workspace import WorkspaceContext
from freeagent.validate.runner import Validator

pytestmark = pytest.mark.skipif(not (Path(sys.prefix) / "pyvenv.cfg").is_file(), reason="needs the test venv")

FAULTY = """\
import os
import httpx
import requests
import yaml
from pydantic import BaseModel, ModelConfig
from httpx import AsyncClientz, Client


def load(url: str):
    client = httpx.Client(base_url=url, retries=3)
    client.gett("/items")
    requests.post_json(url, json={})
    yaml.safe_loadz("a: 1")
    os.path.joinn("a", "b")
    session = Client()
    return session.get("/x", timeout_s=3)
"""

CLEAN = """\
import os
import sys
import httpx
import requests
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from httpx import Response

try:
    import orjson
except ImportError:
    orjson = None

try:
    from dateutil import parser
except ImportError:
    parser = None

if sys.version_info >= (3, 13):
    from warnings import deprecated
if hasattr(os, "not_everywhere"):
    os.not_everywhere()


def fine(url: str, **options):
    client = httpx.Client(base_url=url, timeout=5)
    client.headers["x"] = "1"
    requests.get(url, **options)
    try:
        client.maybe_later()
    except AttributeError:
        pass
    client = object()  # bound twice: not followed
    client.anything
    requests.not_there_yet = 1  # the file patches the module itself
    return requests.not_there_yet, os.path.join("a", "b"), orjson, parser


def shadow(httpx):
    return httpx.whatever  # a parameter, not the module
"""


def _workspace(tmp_path: Path, files: dict[str, str]) -> WorkspaceContext:
    root = tmp_path / "svc"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "svc"\nversion = "0.1"\ndependencies = ["httpx", "requests", "pydantic", "PyYAML", "SQLAlchemy"]\n'
    )
    (root / ".venv").symlink_to(Path(sys.prefix))
    for name, text in files.items():
        (root / name).write_text(text)
    ctx = WorkspaceContext(root)
    ctx.cache_dir = tmp_path / "cache"
    ctx.load()
    return ctx


def test_names_installed_modules_do_not_have(tmp_path):
    ctx = _workspace(tmp_path, {"faulty.py": FAULTY})
    found = Validator(ctx).check_file(ctx.root / "faulty.py")
    got = {(f.range.line, f.range.character, f.code) for f in found}
    assert got == {
        (4, 32, "FA203"),  # ModelConfig
        (5, 18, "FA203"),  # AsyncClientz
        (9, 40, "FA205"),  # retries=
        (10, 11, "FA204"),  # client.gett
        (11, 13, "FA204"),  # requests.post_json
        (12, 9, "FA204"),  # yaml.safe_loadz
        (13, 12, "FA204"),  # os.path.joinn
        (15, 29, "FA205"),  # session.get(timeout_s=)
    }, sorted(found, key=lambda f: f.range.line)
    by_line = {f.range.line: f for f in found}
    assert "'requests' has no attribute 'post_json'" in by_line[11].message
    assert "did you mean 'post'?" in by_line[11].message
    assert "httpx.Client() takes no keyword argument 'retries'" in by_line[9].message
    assert "did you mean 'AsyncClient'?" in by_line[5].message
    fix = by_line[10].fixes[0]
    ((file, edits),) = fix.edits
    assert fix.title == "Change to 'get'" and edits[0].new_text == "get" and file == str(ctx.root / "faulty.py")
    assert (edits[0].line, edits[0].character, edits[0].end_character) == (10, 11, 15)


def test_nothing_is_judged_where_the_answer_is_not_certain(tmp_path):
    ctx = _workspace(tmp_path, {"clean.py": CLEAN})
    found = Validator(ctx).check_file(ctx.root / "clean.py")
    assert found == [], found


def test_the_answers_are_kept_on_disk_for_the_next_session(tmp_path):
    ctx = _workspace(tmp_path, {"faulty.py": FAULTY})
    first = Validator(ctx).check_file(ctx.root / "faulty.py")
    assert ctx.installed_names().jedi_seconds > 0
    again = WorkspaceContext(ctx.root)
    again.cache_dir = ctx.cache_dir
    again.load()
    second = Validator(again).check_file(ctx.root / "faulty.py")
    assert second == first
    assert again.installed_names().jedi_seconds == 0  # every answer came from the cache file


def test_a_star_import_may_rebind_any_name(tmp_path):
    star = "import requests\nfrom helpers import *\n\nrequests.post_json('u')\n"
    ctx = _workspace(tmp_path, {"star.py": star, "helpers.py": "requests = object()\n"})
    assert Validator(ctx).check_file(ctx.root / "star.py") == []
    ctx.set_overlay(ctx.root / "star.py", star.replace("from helpers import *\n", ""))
    assert [f.code for f in Validator(ctx).check_file(ctx.root / "star.py")] == ["FA204"]


REBOUND = """\
import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session


def search(session: Session, model, name: str):
    q = session.query(model)
    q = q.filter(model.name == name)
    q = q.order_by(model.id)
    stmt = select(model)
    stmt = stmt.where(model.id > 1)
    client = httpx.Client(retries=3)
    return q.all(), stmt, client
"""


def test_a_name_rebound_through_a_call_on_itself(tmp_path):
    # `q = q.filter(...)`, SQLAlchemy's most common line, sent the name check round the binding
    # for ever (RecursionError: the whole check fell over); the file's other findings must stand
    ctx = _workspace(tmp_path, {"queries.py": REBOUND})
    found = Validator(ctx).check_file(ctx.root / "queries.py")
    assert [(f.range.line, f.code) for f in found] == [(11, "FA205")], found


REAL_APP = """\
import json
import os
from datetime import timedelta

from blockkit import Section
from psycopg2.errors import UniqueViolation
from sh import createdb, pg_dump

try:
    from pydantic.v1 import BaseSettings
except ImportError:
    from pydantic import BaseSettings

for _name in ("a", "b"):
    setattr(os, _name, 1)
    globals()[_name.upper()] = 2
exec("X = 1")


def summary(fields):
    block = Section(text="stats", fields=fields)
    return block, UniqueViolation, createdb, pg_dump, BaseSettings, os.a


def later():
    return timedelta(months=1), json.parse("{}"), vars(os)
"""


def test_what_real_applications_do_is_not_a_fault(tmp_path):
    # from a real 84k-line FastAPI service: a pydantic model with its own __init__ (blockkit's
    # Section takes fields=), a module that answers any name (sh), names a C extension adds at
    # import (psycopg2.errors), a fallback import reached only on another version; and setattr,
    # globals() and exec no longer switch the file's other findings off
    ctx = _workspace(tmp_path, {"app.py": REAL_APP})
    (ctx.root / "pyproject.toml").write_text(
        '[project]\nname = "svc"\nversion = "0.1"\ndependencies = ["blockkit", "psycopg2-binary", "sh", "pydantic"]\n'
    )
    ctx.load()
    found = Validator(ctx).check_file(ctx.root / "app.py")
    assert [(f.range.line + 1, f.code, f.message.split(" (")[0]) for f in found] == [
        (26, "FA205", "datetime.timedelta() takes no keyword argument 'months'"),
        (26, "FA204", "'json' has no attribute 'parse'"),
    ], found


RETURNED = """\
import json
import pathlib

import httpx
import requests


def fetch(url: str):
    requests.get(url).json_data()
    r = httpx.get(url)
    r.jsonn()
    here = pathlib.Path(url).resolve().parentt
    fine = requests.get(url).json(), httpx.get(url).status_code, pathlib.Path(url).resolve().parent
    unknown = json.loads(url).anything  # what loads returns is not known: not judged
    return here, fine, unknown
"""


def test_methods_of_what_a_call_returns(tmp_path):
    # `requests.get(url).json_data()` was missed: only what a constructor builds was followed
    ctx = _workspace(tmp_path, {"returned.py": RETURNED})
    found = Validator(ctx).check_file(ctx.root / "returned.py")
    assert [(f.range.line + 1, f.code, f.message.split(" (")[0].split(";")[0]) for f in found] == [
        (9, "FA204", "a 'requests.models.Response' object has no attribute 'json_data'"),
        (11, "FA204", "a 'httpx._models.Response' object has no attribute 'jsonn'"),
        (12, "FA204", "a 'pathlib.Path' object has no attribute 'parentt'"),
    ], found


def test_a_failed_jedi_question_is_asked_again_and_never_kept_on_disk(tmp_path):
    """A forked `freeagent check` failed a question in each worker (EOFError: half a pickle of parso's):
    the answer became "unknown", the module's faults went unreported, and "unknown" was written to
    the disk cache for every later session. Now the question is asked again (jedi starts a new
    helper), and one that fails twice is not kept."""
    import sys as system

    from freeagent.context.pynames import InstalledNames

    names = InstalledNames(None, system.executable, tmp_path / "cache", stdlib_only=True)
    calls = []

    def dies_once():
        calls.append(1)
        if len(calls) == 1:
            raise EOFError("Ran out of input")
        return {"types": {"loads": ""}, "open": False}

    assert names._answer("python-3.11|json|module", dies_once) == {"types": {"loads": ""}, "open": False}

    def always_dies():
        raise EOFError("Ran out of input")

    assert names._answer("python-3.11|os|module", always_dies) is None
    names.save()
    again = InstalledNames(None, system.executable, tmp_path / "cache", stdlib_only=True)
    disk = again._read_disk_file()
    assert "python-3.11|json|module" in disk and "python-3.11|os|module" not in disk


def test_a_question_that_raises_leaves_no_trace_in_the_shared_inference_state(tmp_path):
    """Questions share one jedi inference state (speed), whose memo holds "nothing" for whatever
    was being inferred when jedi raised: kept, every later question inherited it (a forked check
    lost 17 FA205 of Netflix dispatch: `pydantic.Field` was no longer a function). A question that
    raises drops the state; the next one gets a fresh state and its right answer."""
    import sys as system

    from freeagent.context.pynames import InstalledNames

    names = InstalledNames(None, system.executable, tmp_path / "cache", stdlib_only=True)
    assert names.kind("json", "json.loads") == "function"
    shared = names._inference
    assert shared is not None
    assert names.kind("json", "json.dumps") == "function" and names._inference is shared  # shared, not remade

    def raises():
        names._script("import json\njson.")  # the question got as far as jedi, then failed
        raise EOFError("Ran out of input")

    assert names._answer("python-3.11|json|broken", raises) is None
    assert names._inference is None
    assert names.kind("json", "json.JSONDecoder") == "class"
    assert names._inference is not None and names._inference is not shared


def test_parso_never_leaves_half_a_pickle_where_another_process_reads_it(tmp_path, monkeypatch):
    """parso wrote a parsed module's pickle in place: a process loading it meanwhile (the other
    worker of a forked check) read half of it and jedi failed the question (EOFError: Ran out of
    input). Now a write that stops half way leaves no file behind — the next loader parses."""
    import pickle

    import parso
    import parso.cache

    from freeagent.context.pynames import _parso_cache_shared_safely

    _parso_cache_shared_safely()
    source = tmp_path / "mod.py"
    source.write_text("x = 1\n")
    grammar = parso.load_grammar()
    module = grammar.parse(path=str(source), cache=False)
    item = parso.cache._NodeCacheItem(module, ["x = 1\n", ""], source.stat().st_mtime)
    target = Path(parso.cache._get_hashed_path(grammar._hashed, source, cache_path=tmp_path / "parso"))

    def stops_half_way(obj, file, protocol=None):
        file.write(pickle.dumps(obj, protocol)[:50])
        raise OSError("no space left on device")

    monkeypatch.setattr(pickle, "dump", stops_half_way)
    with pytest.raises(OSError):
        parso.cache._save_to_file_system(grammar._hashed, source, item, cache_path=tmp_path / "parso")
    assert not target.exists() and not list(target.parent.glob("*.tmp"))
    monkeypatch.undo()
    parso.cache._save_to_file_system(grammar._hashed, source, item, cache_path=tmp_path / "parso")
    assert pickle.loads(target.read_bytes()).lines == ["x = 1\n", ""]


def test_a_module_beside_a_file_in_a_package_does_not_hide_the_installed_one(tmp_path):
    """mealie's `services/openai/openai.py` imports `from openai.resources.chat.completions import
    ChatCompletion`, a name the installed openai no longer has (pyright found it): the module
    beside it, named openai, made the import "the workspace's own", so nothing was judged. In a
    package that sibling is not importable by that name; beside a script (no __init__.py) it is."""
    root = tmp_path / "svc"
    package = root / "app" / "services" / "http"
    package.mkdir(parents=True)
    for folder in (root / "app", root / "app" / "services", package):
        (folder / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1"\ndependencies = ["httpx"]\n')
    (root / ".venv").symlink_to(Path(sys.prefix))
    code = "from httpx import AsyncClientz\n"
    (package / "httpx.py").write_text("def helper(): ...\n")  # the sibling named like the package
    (package / "client.py").write_text(code)
    scripts = root / "scripts"
    scripts.mkdir()
    (scripts / "httpx.py").write_text("AsyncClientz = None\n")
    (scripts / "run.py").write_text(code)
    ctx = WorkspaceContext(root)
    ctx.load()
    validator = Validator(ctx)
    assert [f.code for f in validator.check_file(package / "client.py")] == ["FA203"]
    assert [f.code for f in validator.check_file(scripts / "run.py")] == []


def test_names_a_module_binds_inside_a_with_or_a_loop_are_its_names(tmp_path):
    """`with warnings.catch_warnings(): from ._impl import fast` binds `fast` at the top level, as a
    loop's target does: read as missing, `from pkg import fast` would be a false FA203 whenever
    jedi's completion did not list it."""
    from freeagent.context.pynames import module_surface

    module = tmp_path / "pkg.py"
    module.write_text(
        "import warnings\n"
        "with warnings.catch_warnings():\n    from json import loads as fast\n"
        "for level in range(3):\n    pass\nelse:\n    done = True\n"
    )
    surface = module_surface(module, (3, 11))
    assert surface is not None and {"fast", "level", "done", "warnings"} <= surface.names
