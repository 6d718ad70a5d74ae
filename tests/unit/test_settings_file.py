"""The workspace settings file `.freeagent.json`: parsed as JSONC, validated key by key (a bad
value is a finding on its key and the rest applies), layered under the editor's settings and the
CLI's flags, and followed when it changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from freeagent.cli import cli
from freeagent.config import SETTINGS_FILE, merge_settings, read_settings_file
from freeagent.engine import FolderEngine
from freeagent.findings import CODE_BAD_SETTINGS_FILE, Severity


def write(root: Path, text: str) -> Path:
    path = root / SETTINGS_FILE
    path.write_text(text)
    return path


def test_jsonc_with_a_bad_value_keeps_the_rest_and_points_at_the_key(tmp_path):
    write(
        tmp_path,
        '{\n  // the team\'s settings\n  "markers": ["GEN"],\n  "llm": {\n    "budgetUsd": -1,\n'
        '    "provider": "openai",\n  },\n  "llm.model": "gpt-4o",\n  "bogus": 1,\n}\n',
    )
    found = read_settings_file(tmp_path)
    assert found.layer == {"markers": ["GEN"], "llm": {"provider": "openai", "model": "gpt-4o"}}
    by_line = {f.range.line: f for f in found.findings}
    assert set(by_line) == {4, 8}, [(f.range, f.message) for f in found.findings]
    budget, bogus = by_line[4], by_line[8]
    assert (budget.range.character, budget.range.end_character) == (4, 15)  # "budgetUsd"
    assert budget.code == CODE_BAD_SETTINGS_FILE and budget.severity == Severity.WARNING
    assert "freeagent.llm.budgetUsd" in budget.message and "greater than or equal to 0" in budget.message
    assert "freeagent.bogus" in bogus.message


@pytest.mark.parametrize(
    "text, where",
    [
        pytest.param('{"markers": ["GEN"]', (0, 19), id="unterminated"),
        pytest.param('["GEN"]', (0, 0), id="not-an-object"),
    ],
)
def test_a_broken_file_is_an_error_and_applies_nothing(tmp_path, text, where):
    write(tmp_path, text)
    found = read_settings_file(tmp_path)
    assert found.layer == {}
    (finding,) = found.findings
    assert finding.severity == Severity.ERROR and finding.code == CODE_BAD_SETTINGS_FILE
    assert (finding.range.line, finding.range.character) == where
    assert SETTINGS_FILE in finding.message


def test_no_file_is_no_finding(tmp_path):
    found = read_settings_file(tmp_path)
    assert not found.exists and found.layer == {} and found.findings == []


def test_precedence_file_then_initialization_options_then_configuration(tmp_path):
    write(tmp_path, json.dumps({"markers": ["FILE"], "changeDebounceMs": 10, "ignoreCodes": ["FA401"]}))
    engine = FolderEngine(tmp_path, layers=[{"markers": ["INIT"], "changeDebounceMs": 20}, {"markers": ["CONF"]}])
    assert engine.settings.markers == ["CONF"]
    assert engine.settings.change_debounce_ms == 20
    assert engine.settings.ignore_codes == ["FA401"]
    # a bad editor value falls back to the file's, not to the default
    _, problems = engine.set_layers([{"changeDebounceMs": -5}])
    assert engine.settings.change_debounce_ms == 10 and engine.settings.markers == ["FILE"]
    assert problems == ["setting 'freeagent.changeDebounceMs' ignored: Input should be greater than or equal to 0"]


def test_the_file_is_followed_when_it_changes(tmp_path):
    path = write(tmp_path, json.dumps({"ignoreCodes": ["FA401"]}))
    engine = FolderEngine(tmp_path, layers=[{"markers": ["EDITOR"]}])
    engine.load()
    path.write_text('{"ignoreCodes": ["FA402"], "typecheckOnSave": "maybe"}')
    change = engine.file_changed(path)
    assert "settings" in change.kinds and str(path) in change.problem_files
    assert engine.settings.ignore_codes == ["FA402"] and engine.settings.markers == ["EDITOR"]
    assert [f.code for f in engine.problems_by_file()[str(path)]] == [CODE_BAD_SETTINGS_FILE]
    path.unlink()
    change = engine.file_changed(path)
    assert engine.settings.ignore_codes == [] and str(path) in change.problem_files
    assert str(path) not in engine.problems_by_file()


def test_model_names_in_prices_keep_their_spelling():
    settings, problems = merge_settings(
        {"llm": {"prices": {"myModel-Large": {"input": 1, "output": 2, "cachedInput": 0.5}}}}
    )
    assert problems == []
    assert settings.llm.prices == {"myModel-Large": {"input": 1.0, "output": 2.0, "cached_input": 0.5}}


def ts_workspace(root: Path) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "ws", "type": "module", "dependencies": {}}')
    (root / "src" / "a.ts").write_text("import { chunk } from 'lodash';\nexport const x = chunk;\n")
    return root


def test_check_reads_the_file(tmp_path):
    ws = ts_workspace(tmp_path / "ws")
    runner = CliRunner()
    before = runner.invoke(cli, ["check", "--workspace", str(ws), "--format", "json", "--no-cache"])
    assert before.exit_code == 1 and "FA101" in {f["code"] for f in json.loads(before.stdout)}
    write(ws, '{"ignoreCodes": ["FA101"]}')
    after = runner.invoke(cli, ["check", "--workspace", str(ws), "--format", "json", "--no-cache"])
    assert after.exit_code == 0, after.output
    assert "FA101" not in {f["code"] for f in json.loads(after.stdout)}


def test_a_broken_file_is_a_check_finding(tmp_path):
    ws = ts_workspace(tmp_path / "ws")
    write(ws, '{"ignoreCodes": "FA101"}')
    result = CliRunner().invoke(cli, ["check", "--workspace", str(ws), "--format", "json", "--no-cache"])
    findings = json.loads(result.stdout)
    assert {(f["file"], f["code"], f["severity"]) for f in findings if f["code"] == CODE_BAD_SETTINGS_FILE} == {
        (SETTINGS_FILE, CODE_BAD_SETTINGS_FILE, "warning")
    }
    assert "FA101" in {f["code"] for f in findings}, "the bad value is ignored, the default applies"


def test_a_flag_wins_over_the_file(tmp_path):
    ws = ts_workspace(tmp_path / "ws")
    write(ws, '{"index": {"cache": false}}')
    runner = CliRunner()
    cache = tmp_path / "cache"
    runner.invoke(cli, ["check", "--workspace", str(ws), "--cache-location", str(cache)])
    assert not cache.exists() or not any(cache.rglob("*")), "the file turned the cache off"
    runner.invoke(cli, ["check", "--workspace", str(ws), "--cache", "--cache-location", str(cache)])
    assert any(p.is_file() for p in cache.rglob("*")), "--cache given on the command line wins"


def test_generate_says_what_is_wrong_in_the_file(tmp_path):
    from tests.helpers import EXAMPLE, copy_fixture

    ws = copy_fixture(EXAMPLE, tmp_path)
    write(ws, '{"llm": {"maxAttempts": 0}}')
    result = CliRunner().invoke(
        cli, ["generate", "--workspace", str(ws), "--operation", "listComments", "--target", "types"]
    )
    assert result.exit_code == 0, result.output
    assert ".freeagent.json:1:10: warning FA007: .freeagent.json: setting 'freeagent.llm.maxAttempts' ignored" in (
        result.stderr
    )


def test_no_layers_means_the_defaults_without_validation():
    """merge_settings skips building the pydantic model when no layer sets anything (50 ms of
    every CLI start): the dataclasses' defaults must then be what the model would give."""
    from freeagent.config import Settings, _validation, merge_settings

    assert merge_settings() == (Settings(), []) == merge_settings({}, {"freeagent": {}})
    assert _validation().validate({}) == Settings()
    assert merge_settings({"index": {"cache": False}})[0].index.cache is False  # a layer still counts
