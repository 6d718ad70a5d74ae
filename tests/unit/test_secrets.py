"""Secrets never leave the machine or reach a log: secret files stay out of prompts, secret-looking
strings are masked before a prompt, and API keys given by environment or settings appear in no
output, report or file — even when a provider's error echoes them back."""

from __future__ import annotations

import json
import logging

import pytest
from click.testing import CliRunner

from freeagent.cli import cli
from freeagent.engine import FolderEngine
from freeagent.generate.prompt import PromptBuilder
from freeagent.redact import MASK, is_secret_file, mask_keys, mask_source
from tests.fakes.llm_server import FakeLLMServer, Reply
from tests.helpers import EXAMPLE, copy_fixture

AWS = "AKIAIOSFODNN7EXAMPLE"
GITHUB = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"
ENV_KEY = "sk-ant-api03-SEEDEDenvKEY0123456789abcdefghijklmnop"
SETTINGS_KEY = "sk-proj-SEEDEDsettingsKEY0123456789abcdefghij"


@pytest.mark.parametrize(
    "name, secret",
    [
        (".env", True),
        (".env.local", True),
        ("config/prod.env", True),
        ("certs/server.pem", True),
        ("tls.key", True),
        ("home/.ssh/id_rsa", True),
        ("id_ed25519.pub", True),
        (".npmrc", True),
        ("src/secrets.ts", True),
        ("src/env.ts", False),
        ("src/keyboard.ts", False),
        ("src/api/client.ts", False),
    ],
)
def test_secret_files(name, secret):
    assert is_secret_file(name) is secret


def test_secret_strings_are_masked_and_ordinary_code_is_not():
    code = (
        f'const aws = "{AWS}";\n'
        f"const token = '{GITHUB}';\n"
        'const password = "hunter2hunter2XYZ";\n'
        'import { listTasks } from "./api/tasks";\n'
        'const url = "https://api.example.com/v1/tasks";\n'
        'const x = foo(bar, "baz");\n'
    )
    masked = mask_source(code, "src/config.ts")
    for secret in (AWS, GITHUB, "hunter2hunter2XYZ", "ghp_"):
        assert secret not in masked, masked
    assert masked.count(MASK) == 3
    assert masked.split("\n")[3:] == code.split("\n")[3:], "ordinary lines are left as they are"


def test_a_known_key_and_its_cut_prefix_are_masked(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", ENV_KEY)
    assert mask_keys(f"invalid x-api-key {ENV_KEY}") == f"invalid x-api-key {MASK}"
    assert ENV_KEY[:14] not in mask_keys(f"Incorrect API key provided: {ENV_KEY[:14]}***mnop")
    assert mask_keys(f"bad key {SETTINGS_KEY}", [SETTINGS_KEY]) == f"bad key {MASK}"


def test_the_prompt_holds_no_secret_and_no_secret_file(tmp_path):
    ws = copy_fixture(EXAMPLE, tmp_path)
    (ws / ".env").write_text(f"AWS_ACCESS_KEY_ID={AWS}\n")
    (ws / "src" / "secrets.ts").write_text(f'export const comments = "{GITHUB}"; // comments for tasks\n')
    target = ws / "src" / "lib" / "comments.ts"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f'const aws = "{AWS}";\n// TODO: list comments for a task\n')
    engine = FolderEngine(ws)
    engine.load()
    text = target.read_text()
    prompt = PromptBuilder(engine.context).build("list comments for a task", target, text, 1, 12000)
    everything = prompt.system + prompt.user
    assert AWS not in everything and GITHUB not in everything
    assert "secrets.ts" not in everything and ".env" not in everything
    assert f'const aws = "{MASK}";' in prompt.user, "the line stays, its secret is masked"


def test_seeded_keys_appear_in_no_output_and_no_file(tmp_path, monkeypatch):
    xdg = tmp_path / "xdg"
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(xdg / var.lower()))
    monkeypatch.setenv("ANTHROPIC_API_KEY", ENV_KEY)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    ws = copy_fixture(EXAMPLE, tmp_path)
    (ws / ".freeagent.json").write_text(json.dumps({"llm": {"openaiApiKey": SETTINGS_KEY, "typecheck": False}}))
    outputs = []
    with FakeLLMServer() as server:
        # a provider (or proxy) that echoes the key it was sent in its error
        server.respond_with(
            lambda path, body: Reply(status=401, error=f"invalid key {ENV_KEY if 'messages' in path else SETTINGS_KEY}")
        )
        for provider, url in (("anthropic", server.url), ("openai", server.url + "/v1")):
            result = CliRunner().invoke(
                cli,
                [
                    "generate",
                    "a debounce helper",
                    "--workspace",
                    str(ws),
                    "--file",
                    str(ws / "src" / "d.ts"),
                    "--strategy",
                    "llm",
                    "--provider",
                    provider,
                    "--base-url",
                    url,
                    "--max-attempts",
                    "1",
                    "--json",
                ],
            )
            outputs.append(result.output)
            assert "invalid key " + json.dumps(MASK)[1:-1] in result.output, result.output  # JSON-escaped
        assert len(server.seen) == 2
    for fmt in ("text", "json", "sarif"):
        outputs.append(CliRunner().invoke(cli, ["check", "--workspace", str(ws), "--format", fmt]).output)
    outputs.append(CliRunner().invoke(cli, ["context", str(ws), "--json"]).output)
    for output in outputs:
        assert ENV_KEY not in output and SETTINGS_KEY not in output and ENV_KEY[:12] not in output
    for file in [*ws.rglob("*"), *xdg.rglob("*")]:
        if file.is_file() and file.name != ".freeagent.json":
            data = file.read_bytes()
            assert ENV_KEY.encode() not in data and SETTINGS_KEY.encode() not in data, file


def test_the_server_log_masks_keys(monkeypatch, caplog, tmp_path):
    from freeagent.lsp.server import FreeAgentServer

    monkeypatch.setenv("ANTHROPIC_API_KEY", ENV_KEY)
    (tmp_path / ".freeagent.json").write_text(json.dumps({"llm": {"openaiApiKey": SETTINGS_KEY}}))
    ls = FreeAgentServer()
    folder = ls.add_folder(tmp_path.as_uri())
    assert folder is not None and folder.settings.llm.openai_api_key == SETTINGS_KEY
    with caplog.at_level(logging.DEBUG, logger="freeagent"):
        for level in ("error", "warning", "info", "debug"):
            ls.log(level, f"provider said: bad keys {ENV_KEY} and {SETTINGS_KEY}")
    ours = [r for r in caplog.records if r.getMessage().startswith("provider said")]
    assert len(ours) == 4 and all(r.getMessage().count(MASK) == 2 for r in ours)
    assert ENV_KEY not in caplog.text and SETTINGS_KEY not in caplog.text


def test_the_prefilter_hides_nothing_detect_secrets_finds():
    """mask_source hands detect-secrets only the lines that could hold a secret: on lines of every
    kind its plugins know, the result is the same as scanning every line."""
    from detect_secrets.core.scan import _process_line_based_plugins
    from detect_secrets.settings import default_settings

    from freeagent.redact import mask_source

    sample = "\n".join(
        [
            "const a = 1;",
            f"const aws = '{AWS}';",
            f"const gh = '{GITHUB}';",
            "const slack = 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';",
            "const stripe = 'sk_live_51HqLyjWDarjtT1zdp7dcXwO2kVtGd6gBq4XXXXXXXX';",
            "const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';",
            "-----BEGIN RSA PRIVATE KEY-----",
            "const url = 'https://admin:s3cr3tpassw@db.example.com/app';",
            'db_pass = "x9Qv2LmT"',
            "const blob = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A=';",
            "export function listComments() { return []; }",
        ]
    )
    with default_settings():
        everything = {
            (s.line_number, s.secret_value)
            for s in _process_line_based_plugins(list(enumerate(sample.split("\n"), 1)), "x.ts")
        }
    masked = mask_source(sample, "x.ts").split("\n")
    assert len({n for n, _ in everything}) >= 7  # the sample really holds secrets of many kinds
    for number, value in everything:
        assert value not in masked[number - 1], (number, value)
