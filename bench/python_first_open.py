"""The first open of a Python file in the editor, with nothing cached: the real server process over
stdio (pygls client), a new cache folder each time (no answers of Free Agent's, no parses of jedi's).
Target (Python issue): <= 1 s from didOpen to the file's diagnostics.

Two ways, each in a new server:

* **warmed** — the server warms the jedi answers in a background process after the workspace loads
  (``python.warm``, the default); the client waits for that progress to end, then opens the file;
* **not warmed** — ``python.warm`` off: the file is opened as soon as indexing ends, and its
  questions go to jedi then (what the first open cost before).

The workspace is either a generated one (default: the 1,000-line service of
``python_names_bench.py`` and 20 smaller modules that use the same packages, the environment the
venv running this bench) or a real project given with ``--workspace`` and ``--file`` (its own
``.venv`` found as the server finds it). The opened file carries one injected fault so that
diagnostics are published. Prints figures; asserts nothing.

Usage: python bench/python_first_open.py [--workspace DIR --file REL] [--runs 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from python_names_bench import big_file  # noqa: E402

FAULT = '\n\ndef injected_fault() -> None:\n    httpx.Client().gett("/x")  # FA204: what the timing waits for\n'

SMALL = """\
import httpx
import requests
import yaml
from pydantic import BaseModel, Field
from sqlalchemy import select


class Row{n}(BaseModel):
    name: str = Field(min_length=1)


def fetch_{n}(url: str) -> list[Row{n}]:
    data = httpx.get(url, timeout=3).json()
    requests.Session().close()
    yaml.safe_dump(data)
    select(1)
    return [Row{n}.model_validate(d) for d in data]
"""


def generated_workspace(where: Path) -> tuple[Path, Path]:
    root = where / "service"
    (root / "app").mkdir(parents=True)
    (root / ".venv").symlink_to(Path(sys.prefix))
    (root / "pyproject.toml").write_text(
        '[project]\nname = "service"\nversion = "0"\n'
        'dependencies = ["httpx", "requests", "pyyaml", "pydantic", "sqlalchemy"]\n'
    )
    for n in range(20):
        (root / "app" / f"module_{n}.py").write_text(SMALL.format(n=n))
    (root / "app" / "service.py").write_text(big_file(1000))
    return root, root / "app" / "service.py"


async def first_open(root: Path, path: Path, cache: Path, warm: bool) -> dict:
    client = LanguageClient("python-first-open-bench", "1")
    loop = asyncio.get_running_loop()
    published: asyncio.Future = loop.create_future()
    titles: dict[str, str] = {}
    ended: dict[str, asyncio.Event] = {"indexing": asyncio.Event(), "python": asyncio.Event()}
    began: dict[str, float] = {}

    @client.feature(types.WORKSPACE_CONFIGURATION)
    def on_configuration(params):
        return [{"changeDebounceMs": 0, "python": {"warm": warm}} for _ in params.items]

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def on_create(params):
        return None

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def on_log(params):
        return None

    @client.feature(types.PROGRESS)
    def on_progress(params: types.ProgressParams):
        value = params.value if isinstance(params.value, dict) else {}
        token = str(params.token)
        if value.get("kind") == "begin":
            titles[token] = value.get("title", "")
            began[token] = time.perf_counter()
        elif value.get("kind") == "end":
            title = titles.get(token, "")
            if "indexing" in title:
                ended["indexing"].set()
            elif "Python" in title:
                began["python-seconds"] = time.perf_counter() - began.get(token, time.perf_counter())
                ended["python"].set()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams):
        if params.uri == path.as_uri() and params.diagnostics and not published.done():
            published.set_result((time.perf_counter(), [d.code for d in params.diagnostics]))

    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    await client.start_io(sys.executable, "-m", "freeagent", "serve", env=env)
    caps = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(configuration=True),
        window=types.WindowClientCapabilities(work_done_progress=True),
    )
    await client.initialize_async(
        types.InitializeParams(
            capabilities=caps, workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")]
        )
    )
    client.initialized(types.InitializedParams())
    try:
        await asyncio.wait_for(ended["indexing"].wait(), 600)
        if warm:
            await asyncio.wait_for(ended["python"].wait(), 900)
        text = path.read_text()
        started = time.perf_counter()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=path.as_uri(), language_id="python", version=1, text=text)
            )
        )
        done, codes = await asyncio.wait_for(published, 600)
        return {"seconds": done - started, "warm_seconds": began.get("python-seconds"), "codes": codes}
    finally:
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()


async def measure(args) -> None:
    with tempfile.TemporaryDirectory(prefix="freeagent-first-open-") as tmp:
        if args.workspace:
            root = Path(args.workspace).resolve()
            path = root / args.file
            original = path.read_text()
            path.write_text(original + FAULT.replace("httpx.Client()", "__import__('httpx').Client()"))
        else:
            root, path = generated_workspace(Path(tmp))
            original = None
            path.write_text(path.read_text() + FAULT)
        python_files = sum(1 for _ in root.rglob("*.py") if ".venv" not in _.parts and "node_modules" not in _.parts)
        print(
            f"workspace: {root} ({python_files} Python files); opened: {path.relative_to(root)} "
            f"({len(path.read_text().splitlines())} lines)"
        )
        try:
            for warm in (True, False):
                runs = []
                for n in range(args.runs):
                    cache = Path(tmp) / f"cache-{warm}-{n}"
                    runs.append(await first_open(root, path, cache, warm))
                seconds = [r["seconds"] for r in runs]
                extra = ""
                if warm:
                    took = ", ".join(f"{r['warm_seconds']:.1f}" for r in runs if r["warm_seconds"] is not None)
                    extra = f"; the background warm-up took {took} s"
                print(
                    f"{'warmed' if warm else 'not warmed'}: first open to diagnostics median {statistics.median(seconds):.2f} s "
                    f"(runs: {', '.join(f'{s:.2f}' for s in seconds)}; findings {sorted(set(runs[0]['codes']))}){extra}"
                    f"   target <= 1 s"
                )
        finally:
            if original is not None:
                path.write_text(original)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspace", help="a real project (its environment found as the server finds it)")
    parser.add_argument("--file", help="the file to open, relative to --workspace")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    if bool(args.workspace) != bool(args.file):
        parser.error("--workspace and --file go together")
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
