from freeagent.config import Settings, merge_settings


def test_defaults_when_no_layers():
    settings, problems = merge_settings()
    assert settings == Settings()
    assert problems == []


def test_precedence_later_layers_win_key_by_key():
    init = {"logLevel": "debug", "index": {"maxFileSizeKb": 10, "exclude": ["gen/**"]}}
    workspace = {"freeagent": {"index": {"maxFileSizeKb": 20}}}
    folder = {"watch": "server"}
    settings, problems = merge_settings(init, workspace, folder)
    assert problems == []
    assert settings.log_level == "debug"  # only set by initializationOptions
    assert settings.index.max_file_size_kb == 20  # workspace overrides init
    assert settings.index.exclude == ["gen/**"]  # nested keys merge, not replace
    assert settings.watch == "server"


def test_bad_value_keeps_lower_layer_and_names_the_key():
    settings, problems = merge_settings({"logLevel": "debug"}, {"logLevel": "loud", "bogus": 1})
    assert settings.log_level == "debug"
    assert any("freeagent.logLevel" in p and "debug" in p for p in problems)
    assert any("freeagent.bogus" in p for p in problems)


def test_bad_nested_list_value_is_dropped_whole():
    settings, problems = merge_settings({"index": {"exclude": ["a", 3]}})
    assert settings.index.exclude == []
    assert any("index.exclude" in p for p in problems)


def test_snake_case_and_camel_case_keys_are_the_same_setting():
    settings, _ = merge_settings({"change_debounce_ms": 5}, {"changeDebounceMs": 7})
    assert settings.change_debounce_ms == 7


def test_non_dict_layers_are_ignored():
    settings, problems = merge_settings(None, "nonsense", [1, 2])
    assert settings == Settings() and problems == []


def test_client_only_keys_are_not_warned_about():
    # VS Code sends its whole `freeagent` section, the extension's own keys included
    settings, problems = merge_settings(
        {"freeagent": {"server": {"pythonPath": "/x"}, "trace": {"server": "verbose"}, "logLevel": "debug"}}
    )
    assert problems == [] and settings.log_level == "debug"
