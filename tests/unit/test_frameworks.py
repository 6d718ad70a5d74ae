"""The framework table (context/frameworks.py): what a framework resolves itself is no package
(FA101/FA104), what file names it reserves are no naming drift (FA401) — only in a package that
depends on the framework, and never hiding the true finding next to it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from freeagent.context import WorkspaceContext
from freeagent.context.frameworks import FRAMEWORKS
from freeagent.validate.runner import Validator

# a true finding in every fixture: a package that exists nowhere
HALLUCINATED = "import pad from 'left-pad-pro';\n"


def _workspace(tmp_path: Path, dependencies: dict[str, str], files: dict[str, str]) -> WorkspaceContext:
    root = tmp_path / "app"
    root.mkdir(parents=True)
    manifest = {"name": "app", "type": "module", "dependencies": dependencies}
    (root / "package.json").write_text(json.dumps(manifest))
    (root / "tsconfig.json").write_text(
        json.dumps(
            {"compilerOptions": {"module": "esnext", "moduleResolution": "bundler", "jsx": "preserve", "strict": True}}
        )
    )
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    ctx = WorkspaceContext(root)
    ctx.load()
    return ctx


def _found(ctx: WorkspaceContext) -> set[tuple[str, int, str]]:
    found = set()
    for file, findings in Validator(ctx).check_all().items():
        rel = Path(file).relative_to(ctx.root).as_posix()
        found.update((rel, f.range.line, f.code) for f in findings if f.code in ("FA101", "FA104", "FA401"))
    return found


@pytest.mark.parametrize(
    "package, spec",
    [
        pytest.param("next", "server-only", id="next-server-only"),
        pytest.param("next", "client-only", id="next-client-only"),
        pytest.param("nuxt", "#imports", id="nuxt-imports"),
        pytest.param("nuxt", "#app/composables/router", id="nuxt-app"),
        pytest.param("@sveltejs/kit", "$app/navigation", id="sveltekit-app"),
        pytest.param("@sveltejs/kit", "$env/static/private", id="sveltekit-env"),
        pytest.param("astro", "astro:content", id="astro"),
        pytest.param("vite", "/@vite/client", id="vite-client"),
        pytest.param("unplugin-icons", "~icons/mdi/home", id="unplugin-icons"),
        pytest.param("@docusaurus/core", "@theme/Layout", id="docusaurus-theme"),
        pytest.param("@react-router/dev", "./+types/home", id="react-router-route-types"),
    ],
)
def test_a_module_the_framework_provides_is_no_package(tmp_path, package, spec):
    source = f"import '{spec}';\n" + HALLUCINATED
    with_it = _workspace(tmp_path / "with", {package: "*"}, {"src/routes/home.ts": source})
    assert _found(with_it) == {("src/routes/home.ts", 1, "FA101")}  # left-pad-pro, still
    without = _workspace(tmp_path / "without", {}, {"src/routes/home.ts": source})
    codes = sorted(code for _, _, code in _found(without))
    assert len(codes) == 2, codes  # the framework's module is a fault where the framework is not used


CAMEL_FILES = {
    f"src/lib/{name}.ts": f"export const {name}Value = 1;\n"
    for name in (
        "fooBar",
        "bazQux",
        "oneTwo",
        "redBlue",
        "upDown",
        "leftRight",
        "inOut",
        "hotCold",
        "farNear",
        "dayNight",
    )
}


@pytest.mark.parametrize(
    "package, reserved",
    [
        pytest.param("next", "src/app/not-found.tsx", id="next-not-found"),
        pytest.param("next", "src/app/global-error.tsx", id="next-global-error"),
        pytest.param("next", "src/app/blog/opengraph-image.tsx", id="next-opengraph-image"),
        pytest.param("@remix-run/react", "app/routes/users.$userId.tsx", id="remix-param-route"),
        pytest.param("react-router", "app/routes/$userId.tsx", id="react-router-param-route"),
    ],
)
def test_a_file_name_the_framework_reserves_is_no_drift(tmp_path, package, reserved):
    files = {
        **CAMEL_FILES,
        reserved: "export default function () {\n  return null;\n}\n",
        "src/other/user-card.ts": "export const x = 1;\n",  # true drift in a camelCase project
    }
    found = _found(_workspace(tmp_path / "with", {package: "*"}, files))
    assert found == {("src/other/user-card.ts", 0, "FA401")}, found
    if "$" not in reserved:  # `$userId` is camelCase anyway: only the kebab names are drift without it
        found = _found(_workspace(tmp_path / "without", {}, files))
        assert (reserved, 0, "FA401") in found, found


def test_every_entry_names_its_source():
    for framework in FRAMEWORKS:
        assert framework.sources and (framework.modules or framework.files), framework.name
