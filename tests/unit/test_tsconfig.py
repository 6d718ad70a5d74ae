import json
from pathlib import Path

import pytest

from freeagent.context.tsconfig import TsConfigResolver, parse_jsonc


def write(root: Path, rel: str, content) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def resolver(root: Path, workspace_packages=None) -> TsConfigResolver:
    def read(p: Path):
        try:
            return p.read_text()
        except OSError:
            return None

    return TsConfigResolver(root, read, lambda: workspace_packages or {})


def test_jsonc_comments_and_trailing_commas():
    data, findings = parse_jsonc(Path("tsconfig.json"), '{\n // c\n "a": [1, 2,], /* b */\n "b": {"c": true,},\n}')
    assert findings == [] and data == {"a": [1, 2], "b": {"c": True}}


def test_jsonc_error_has_line_and_column():
    data, findings = parse_jsonc(
        Path("/x/tsconfig.json"), '{\n  "compilerOptions": {\n    "strict": true\n    "target": "ES2022"\n  }\n}'
    )
    assert data is None
    (f,) = findings
    assert f.code == "FA002" and (f.range.line, f.range.character) == (3, 4)
    assert "line 4, column 5" in f.message


def test_relative_extends_chain_merges_and_keeps_paths_relative_to_declarer(tmp_path):
    write(
        tmp_path,
        "configs/base.json",
        {"compilerOptions": {"strict": True, "baseUrl": "..", "outDir": "out", "target": "ES2020"}, "include": ["src"]},
    )
    write(
        tmp_path,
        "tsconfig.json",
        '{"extends": "./configs/base", // no .json\n "compilerOptions": {"target": "ES2022"}}',
    )
    config, findings = resolver(tmp_path).resolve(tmp_path / "tsconfig.json")
    assert findings == {}
    assert config.chain == [tmp_path / "tsconfig.json", (tmp_path / "configs/base.json").resolve()]
    assert config.option("strict") is True and config.option("target") == "ES2022"
    assert config.option("baseUrl") == str(tmp_path.resolve())  # relative to configs/
    assert config.option("outDir") == str((tmp_path / "configs/out").resolve())
    assert config.include == ["src"] and config.spec_base == (tmp_path / "configs").resolve()


def test_extends_from_package_in_node_modules(tmp_path):
    write(
        tmp_path,
        "node_modules/@tsconfig/node20/tsconfig.json",
        {"compilerOptions": {"module": "node16", "lib": ["es2023"]}},
    )
    write(tmp_path, "node_modules/@tsconfig/node20/package.json", {"name": "@tsconfig/node20"})
    write(
        tmp_path, "node_modules/tsconfig-field/package.json", {"name": "tsconfig-field", "tsconfig": "./conf/base.json"}
    )
    write(tmp_path, "node_modules/tsconfig-field/conf/base.json", {"compilerOptions": {"jsx": "react-jsx"}})
    write(
        tmp_path,
        "app/tsconfig.json",
        {"extends": ["@tsconfig/node20/tsconfig.json", "tsconfig-field"], "compilerOptions": {"strict": True}},
    )
    config, findings = resolver(tmp_path).resolve(tmp_path / "app/tsconfig.json")
    assert findings == {}
    assert config.option("module") == "node16" and config.option("jsx") == "react-jsx"
    assert config.module_resolution == "node16"
    assert len(config.chain) == 3


def test_extends_package_falls_back_to_workspace_package(tmp_path):
    write(tmp_path, "packages/tsconfig/node.json", {"compilerOptions": {"module": "NodeNext"}})
    write(tmp_path, "apps/api/tsconfig.json", {"extends": "@acme/tsconfig/node.json"})
    config, findings = resolver(tmp_path, {"@acme/tsconfig": tmp_path / "packages/tsconfig"}).resolve(
        tmp_path / "apps/api/tsconfig.json"
    )
    assert findings == {} and config.module_resolution == "nodenext"


def test_missing_and_circular_extends_are_findings_on_the_right_file(tmp_path):
    path = write(tmp_path, "tsconfig.json", '{\n  "extends": "./nope.json"\n}')
    _, findings = resolver(tmp_path).resolve(path)
    (f,) = findings[path]
    assert f.code == "FA004" and f.range.line == 1 and "nope.json" in f.message
    a = write(tmp_path, "a.json", {"extends": "./b.json"})
    write(tmp_path, "b.json", {"extends": "./a.json"})
    _, findings = resolver(tmp_path).resolve(a)
    assert any("circular" in f.message for fs in findings.values() for f in fs)


@pytest.mark.parametrize(
    "options, base",
    [
        pytest.param({"baseUrl": "./src", "paths": {"@/*": ["*"]}}, "src", id="with-baseUrl"),
        pytest.param({"paths": {"@/*": ["./src/*"]}}, ".", id="without-baseUrl"),
    ],
)
def test_paths_base(tmp_path, options, base):
    path = write(tmp_path, "tsconfig.json", {"compilerOptions": options})
    config, _ = resolver(tmp_path).resolve(path)
    assert config.paths_base == (tmp_path / base).resolve()


def test_paths_declared_in_base_without_baseUrl_resolve_from_base(tmp_path):
    write(tmp_path, "base/tsconfig.json", {"compilerOptions": {"paths": {"~/*": ["./lib/*"]}}})
    path = write(tmp_path, "app/tsconfig.json", {"extends": "../base/tsconfig.json"})
    config, _ = resolver(tmp_path).resolve(path)
    assert config.paths_base == (tmp_path / "base").resolve()


def test_references_not_inherited_and_default_include_base(tmp_path):
    write(tmp_path, "base.json", {"references": [{"path": "./x"}]})
    write(tmp_path, "pkg/tsconfig.json", {})
    path = write(tmp_path, "tsconfig.json", {"extends": "./base.json", "references": [{"path": "./pkg"}], "files": []})
    config, _ = resolver(tmp_path).resolve(path)
    assert config.references == [(tmp_path / "pkg/tsconfig.json").resolve()]
    assert config.files == [] and config.include is None


@pytest.mark.parametrize(
    "options, module, resolution",
    [
        ({}, "commonjs", "node10"),
        ({"target": "ES2022"}, "es2015", "classic"),
        ({"module": "CommonJS"}, "commonjs", "node10"),
        ({"module": "NodeNext"}, "nodenext", "nodenext"),
        ({"module": "Node16"}, "node16", "node16"),
        ({"module": "ESNext", "moduleResolution": "Bundler"}, "esnext", "bundler"),
        ({"module": "preserve"}, "preserve", "bundler"),
        ({"moduleResolution": "node"}, "commonjs", "node10"),
    ],
)
def test_effective_module_and_resolution(tmp_path, options, module, resolution):
    path = write(tmp_path, "tsconfig.json", {"compilerOptions": options})
    config, _ = resolver(tmp_path).resolve(path)
    assert (config.module, config.module_resolution) == (module, resolution)
