"""Shared pieces of the end-to-end suites: the real server process, fixture copies, waiting."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Union

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.helpers import FIXTURES as FIXTURES
from tests.helpers import copy_fixture as copy_fixture

SERVER = [sys.executable, "-m", "freeagent", "serve"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    """The real server with a client that accepts the file-watcher registration, as VS Code
    does (a test module with needs of its own defines its own ``client``)."""

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(params: types.RegistrationParams):
        return None

    yield lsp_client
    await lsp_client.shutdown_session()


async def wait_until(predicate, timeout: float = 10.0, interval: float = 0.02):
    """Poll ``predicate`` until it returns a truthy value (explicit wait, no fixed sleeps)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


def folder(path: Path) -> types.WorkspaceFolder:
    return types.WorkspaceFolder(uri=path.as_uri(), name=path.name)


@pytest.fixture
def anyio_backend():
    return "asyncio"


def open_document(client, path: Path, text: str, language: str = "typescript") -> str:
    """Write ``text`` to ``path`` and open it in the client (version 1); returns its URI."""
    path.write_text(text)
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )
    return uri


def read_code_actions_as_lsp_says(client) -> None:
    """lsprotocol's client-side hook reads any item with a "command" key as a Command, so a
    CodeAction carrying a command (as LSP allows, and VS Code and Neovim read) would lose its
    title and kind in the test client: tell them apart the way the spec does (a Command's
    ``command`` is a string)."""
    converter = client.protocol._converter

    def command_or_action(item, _type):
        kind = types.Command if isinstance(item.get("command"), str) else types.CodeAction
        return converter.structure(item, kind)

    converter.register_structure_hook(Union[types.Command, types.CodeAction], command_or_action)
