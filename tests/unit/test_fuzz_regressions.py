"""The minimal inputs the fuzzing (tests/fuzzing, bench/fuzz.py) found crashing or hanging a
parser, one plain case each: every one now returns Findings (or nothing) instead of raising."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from freeagent.context.files import IgnoreRules
from freeagent.context.manifests import parse_package_json, parse_pnpm_workspace, parse_pyproject
from freeagent.context.tsconfig import TsConfigResolver, parse_jsonc
from freeagent.context.workspace import WorkspaceContext
from freeagent.findings import CODE_BAD_PACKAGE_JSON, CODE_BAD_REF, CODE_BAD_TSCONFIG, CODE_TSCONFIG_EXTENDS
from freeagent.specs.loader import load_document
from freeagent.specs.registry import Registry

DEEP = "[" * 5000


def test_deeply_nested_package_json_is_a_finding():
    manifest, findings = parse_package_json(Path("package.json"), DEEP)
    assert manifest is None and [f.code for f in findings] == [CODE_BAD_PACKAGE_JSON]


@pytest.mark.parametrize("text", [DEEP, '{"a":' * 3000])
def test_deeply_nested_jsonc_is_a_finding(text):
    data, findings = parse_jsonc(Path("tsconfig.json"), text)
    assert data is None and "nested too deeply" in findings[0].message
    assert findings[0].code == CODE_BAD_TSCONFIG


def test_deeply_nested_pnpm_workspace_is_a_finding():
    packages, findings = parse_pnpm_workspace(Path("pnpm-workspace.yaml"), DEEP)
    assert packages == [] and findings


@pytest.mark.parametrize(
    "text",
    [
        '[project]\n"optional-dependencies" = "requests"\n',
        '[project]\n"dependencies" = 3\n',
        '[project]\n[dependency-groups]\n"test" = 3\n',
        '[project]\nname = 1\n"optional-dependencies" = {dev = 5}\n',
        '[tool.poetry]\n"dependencies" = 3\n"group" = {dev = "x"}\n',
        '[tool.poetry.group.dev]\n"dependencies" = []\n',
    ],
)
def test_pyproject_values_of_the_wrong_type_declare_nothing(text):
    manifest, findings = parse_pyproject(Path("pyproject.toml"), text)
    assert findings == [] and (manifest is None or manifest.dependencies == [])


def test_pyproject_of_the_right_types_still_reads_everything():
    text = '[project]\nname = "x"\ndependencies = ["requests>=2"]\n[project.optional-dependencies]\ndev = ["pytest"]\n'
    manifest, _ = parse_pyproject(Path("pyproject.toml"), text)
    assert manifest is not None and manifest.name == "x"
    assert [(d.name, d.group) for d in manifest.dependencies] == [("requests", "main"), ("pytest", "dev")]


def _resolve(tmp_path: Path, text: str):
    (tmp_path / "tsconfig.json").write_text(text)
    resolver = TsConfigResolver(tmp_path, lambda p: p.read_text() if p.is_file() else None, dict)
    return resolver.resolve(tmp_path / "tsconfig.json")


@pytest.mark.parametrize("extends", ["1", "true", '{"a": 1}'])
def test_extends_of_the_wrong_type_is_ignored(tmp_path, extends):
    config, findings = _resolve(tmp_path, f'{{"extends": {extends}}}')
    assert config.chain == [tmp_path / "tsconfig.json"] and findings == {}


@pytest.mark.parametrize("spec", ["./a\\u0000b.json", "./" + "x" * 300])
def test_extends_no_os_can_open_is_not_found(tmp_path, spec):
    _, findings = _resolve(tmp_path, f'{{"extends": "{spec}"}}')
    (finding,) = findings[tmp_path / "tsconfig.json"]
    assert finding.code == CODE_TSCONFIG_EXTENDS and "cannot find" in finding.message


def test_paths_with_nul_bytes_and_references_of_the_wrong_type_are_ignored(tmp_path):
    config, _ = _resolve(
        tmp_path,
        '{"compilerOptions": {"baseUrl": "a\\u0000", "typeRoots": ["t\\u0000", "types"]}, "references": 5}',
    )
    assert config.base_url is None and config.references == []
    assert config.option("typeRoots") == [str(tmp_path / "types")]


@pytest.mark.parametrize("line", ["!", "[z-a]", "\\"])
def test_an_invalid_gitignore_pattern_is_skipped_not_fatal(tmp_path, line):
    (tmp_path / ".gitignore").write_text(f"{line}\nbuild.log\n")
    rules = IgnoreRules(tmp_path, [line, "*.tmp"])
    assert rules.ignored("build.log", False) and rules.ignored("x.tmp", False)
    assert not rules.ignored("a.ts", False)


def test_nested_non_scalar_keys_load_in_linear_time():
    started = time.perf_counter()
    doc, findings = load_document(Path("openapi.yaml"), "{" * 40 + "}" * 40)
    assert time.perf_counter() - started < 1.0  # was exponential: 30 levels took 2 s
    assert doc is not None and findings == []


def _registry(tmp_path: Path, text: str) -> Registry:
    (tmp_path / "openapi.yaml").write_text(text)
    registry = Registry(WorkspaceContext(tmp_path).read)
    registry.load([tmp_path / "openapi.yaml"])
    return registry


@pytest.mark.parametrize("components", ["1", "x", "true", "{securitySchemes: [1]}"])
def test_components_of_the_wrong_type_contribute_nothing(tmp_path, components):
    registry = _registry(
        tmp_path, f"openapi: 3.0.0\ncomponents: {components}\nservers: 5\npaths: {{/a: {{get: {{}}}}}}\n"
    )
    assert [op.path for op in registry.operations] == ["/a"]


@pytest.mark.parametrize("ref", ["a\\0b.yaml#/x", "/dev/zero#/x", "/dev/zero"])
def test_a_ref_no_file_can_answer_is_a_finding(tmp_path, ref):
    text = f'openapi: 3.0.0\npaths:\n  /a:\n    $ref: "{ref}"\n'
    registry = _registry(tmp_path, text)
    codes = [f.code for f in registry.problems[str(tmp_path / "openapi.yaml")]]
    assert codes == [CODE_BAD_REF]


def test_deep_flow_nesting_in_pnpm_workspace_is_quick():
    started = time.perf_counter()
    packages, findings = parse_pnpm_workspace(Path("pnpm-workspace.yaml"), "{" * 1000 + "}" * 1000)
    assert time.perf_counter() - started < 1.0  # the pure-Python parser took 2 s and more
    assert packages == [] and findings


# provider responses: the SDKs build response objects without validating them, so a field of the
# wrong type reached the cost lookup (a dict or list as the model name: "unhashable type")
@pytest.mark.parametrize(
    "provider, body",
    [
        (
            "anthropic",
            '{"id": "m", "type": "message", "role": "assistant", "model": {"a": 1}, "content": [{"type": "text",'
            ' "text": "x = 1"}], "stop_reason": "end_turn", "usage": {"input_tokens": 1, "output_tokens": 1}}',
        ),
        (
            "openai",
            '{"id": "c", "object": "chat.completion", "created": 1, "model": [null], "choices": [{"index": 0,'
            ' "message": {"role": "assistant", "content": "x = 1"}, "finish_reason": "stop"}],'
            ' "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}',
        ),
        (
            "openai",
            '{"id": "c", "object": "chat.completion", "created": 1, "model": "gpt-4o", "choices": [{"index": 0,'
            ' "message": {"role": "assistant", "content": ["x"]}, "finish_reason": 7}]}',
        ),
    ],
)
async def test_a_response_with_fields_of_the_wrong_type_is_a_provider_error_or_an_answer(provider, body):
    from freeagent.providers import make_provider
    from freeagent.providers.base import Message, ProviderError, ProviderOptions, Request
    from freeagent.providers.retry import generate_with_retries
    from tests.fakes.llm_server import FakeLLMServer, Reply

    with FakeLLMServer() as server:
        server.respond_with(lambda path, _: Reply(raw=body))
        url = server.url + ("/v1" if provider == "openai" else "")
        llm = make_provider(ProviderOptions(provider, "asked-model", base_url=url, api_key="k", timeout_s=5))
        try:
            completion = await generate_with_retries(llm, Request("s", (Message("user", "u"),)), max_retries=0)
        except ProviderError as error:
            assert error.kind == "bad_response", error
            return
        assert completion.text == "x = 1" and completion.model == ""
        assert completion.stop_reason in (None, "end_turn", "stop")


@pytest.mark.parametrize("provider, status", [("anthropic", 200), ("openai", 200), ("ollama", 200), ("ollama", 413)])
async def test_a_response_nested_past_the_recursion_limit_is_a_provider_error(provider, status):
    """The provider-responses fuzz target: '[[[[…' 5,000 deep raised RecursionError through the SDKs."""
    from freeagent.providers import make_provider
    from freeagent.providers.base import Message, ProviderError, ProviderOptions, Request
    from freeagent.providers.retry import generate_with_retries
    from tests.fakes.llm_server import FakeLLMServer, Reply

    with FakeLLMServer() as server:
        server.respond_with(lambda path, _: Reply(raw="[" * 5000, status=status))
        url = server.url + ("/v1" if provider == "openai" else "")
        llm = make_provider(ProviderOptions(provider, "m", base_url=url, api_key="k", timeout_s=5))
        with pytest.raises(ProviderError):
            await generate_with_retries(llm, Request("s", (Message("user", "u"),)), max_retries=0)
