"""Generated clients against Prism, generated Express handlers under Schemathesis, for the bundled
spec and the foreign fixture specs (issue 13: run-time conformance).

Every operation's client and handler are generated into one package (see :mod:`.harness`);
the package must compile under strict tsc; every client call must reach Prism's validating mock
with no request violation and parse its answer; Schemathesis's checks must find nothing but
the gaps listed in :data:`KNOWN` — each an open item, with its reason. A failure not listed fails
the test; so does an operation the harness could not generate or call that is not listed.
Rejections a document declares no status for (a 400 or 401 where it has no 4XX or default) are
its gap, not the generator's: they are counted apart and must be nothing else.
"""

from __future__ import annotations

import pytest

from tests.helpers import FIXTURES, ROOT, TOOLCHAIN

from . import harness

FOREIGN = FIXTURES / "foreign-specs"
SPECS = {
    "taskboard": ROOT / "specs" / "taskboard.openapi.yaml",
    "real-world-shapes": FOREIGN / "real-world-shapes" / "openapi.yaml",
    "nullable-30": FOREIGN / "nullable-30" / "openapi.yaml",
    "petstore-allof": FOREIGN / "petstore-allof" / "openapi.yaml",
    "payments-oneof": FOREIGN / "payments-oneof" / "openapi.json",
    "multifile": FOREIGN / "multifile" / "openapi.yaml",
    "recursive": FOREIGN / "recursive" / "openapi.yaml",
}
# (document, operation, check or stage): why it is still open
KNOWN = {
    ("recursive", "getFolder", "prism"): "Prism cannot mock a recursive response body",
    ("recursive", "listFolderFiles", "prism"): "Prism cannot mock a recursive response body",
    ("recursive", "getFile", "prism"): "Prism cannot mock a recursive response body",
    ("recursive", "uploadFile", "prism"): "Prism cannot mock a recursive response body",
}


def _known(name: str, stage: str) -> set[str]:
    return {op for (doc, op, what), _ in KNOWN.items() if doc == name and what == stage}


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    if not (TOOLCHAIN / ".bin" / "prism").exists():
        pytest.fail("tests/toolchain is not installed: run `make test` (it runs npm ci there)")
    built: dict[str, harness.Package] = {}

    def get(name: str) -> harness.Package:
        if name not in built:
            built[name] = harness.build(tmp_path_factory.mktemp(name), SPECS[name].resolve())
        return built[name]

    return get


@pytest.mark.parametrize("name", sorted(SPECS))
def test_generated_package_compiles(packages, name):
    package = packages(name)
    assert package.operations, name
    assert set(package.refused) == _known(name, "stub"), package.refused
    assert package.unsampled == {}
    assert harness.typecheck(package) == ""


@pytest.mark.parametrize("name", sorted(SPECS))
def test_clients_conform_to_prism(packages, name):
    package = packages(name)
    results = harness.prism_check(package)
    assert set(results) == {op.id for op in package.operations}  # every client function was called
    bad = {op: r for op, r in results.items() if not r["ok"] or r["violations"]}
    assert set(bad) == _known(name, "prism"), bad
    for op, result in results.items():
        assert result["violations"] == [], (op, result)  # not even the known ones send a bad request


@pytest.mark.parametrize("name", sorted(SPECS))
def test_handlers_pass_schemathesis(packages, name):
    package = packages(name)
    failures, output = harness.schemathesis_check(package, max_examples=15)
    assert "(run)" not in {f.operation for f in failures}, output[-3000:]
    unexpected = [f for f in failures if not f.undocumented and (name, f.operation, f.check) not in KNOWN]
    assert unexpected == [], "\n".join(f"{f.operation} {f.check}: {f.message[:600]}" for f in unexpected)
    for f in failures:  # what the documents leave undeclared is only ever a rejection's status
        if f.undocumented:
            assert f.check == "status_code_conformance" and ("400" in f.message or "401" in f.message)


def test_harness_sees_a_client_that_breaks_the_spec(packages, tmp_path):
    """The Prism check can fail: a client that sends an out-of-range query value is caught."""
    package = harness.build(tmp_path, SPECS["taskboard"].resolve(), op_ids=["listUsers"])
    client = package.root / "src" / "client.ts"
    text = client.read_text()
    assert "url.searchParams.set('limit', String(params.limit))" in text
    client.write_text(text.replace("String(params.limit)", "'1000'"))
    results = harness.prism_check(package)
    assert [v["code"] for v in results["listUsers"]["violations"]] == ["maximum"]


def test_harness_sees_a_handler_that_accepts_anyone(tmp_path):
    """The Schemathesis check can fail: a handler whose credential hook lets every token in is
    caught by ignored_auth."""
    package = harness.build(tmp_path, SPECS["taskboard"].resolve(), op_ids=["listUsers"])
    auth = package.root / "src" / "auth.ts"
    auth.write_text(auth.read_text().replace(f"return _token === '{harness.TOKEN}'", "return true"))
    failures, _ = harness.schemathesis_check(package, max_examples=5, checks=("ignored_auth",))
    assert {(f.operation, f.check) for f in failures} == {("GET /users", "ignored_auth")}


def test_a_form_with_a_schema_of_its_own_is_checked_by_that_schema(packages):
    """JSON and multipart described apart (Discord's shape): a multipart file part the JSON
    schema does not have is accepted from a form and refused in JSON. Schemathesis picks the
    first media type, so this is asked directly."""
    import httpx

    package = packages("real-world-shapes")
    port = harness._free_port()
    tsx = TOOLCHAIN / ".bin" / "tsx"
    with harness._process([str(tsx), "src/server.ts", str(port)], package.root, port, package.root / "forms.log"):
        url = f"http://127.0.0.1:{port}/notes"
        form = httpx.post(url, data={"text": "hi"}, files={"attachment": ("a.txt", b"x", "text/plain")})
        as_json = httpx.post(url, json={"text": "hi", "attachment": "x"})
        too_long = httpx.post(url, data={"text": "x" * 201})
    assert form.status_code == 201, form.text
    assert as_json.status_code == 400 and "attachment" in as_json.text
    assert too_long.status_code == 400  # the form's own schema is a check, not a pass
