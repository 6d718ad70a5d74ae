"""docs/diagnostics.md explains every stable code, under a heading whose anchor docs_url links to."""

import re
from pathlib import Path

from freeagent.findings import CODE_TITLES, docs_url

DOCS = Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"


def _sections() -> dict[str, str]:
    """Heading text → the section's body, for the level-2 headings of the page."""
    parts = re.split(r"^## (.+)$", DOCS.read_text(encoding="utf-8"), flags=re.M)
    return {heading.strip(): body for heading, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_every_code_has_a_section_headed_by_the_bare_code_and_its_title():
    sections = _sections()
    for code, title in CODE_TITLES.items():
        assert code in sections, f"docs/diagnostics.md has no '## {code}' heading"
        first_line = sections[code].strip().split("\n", 1)[0]
        assert first_line == f"**{title}**", f"{code}: the heading is not followed by its title"
    documented = {h for h in sections if re.fullmatch(r"FA\d{3}", h)}
    assert documented == set(CODE_TITLES), "a section for a code CODE_TITLES does not know"


def test_docs_url_names_the_github_anchor_of_the_heading():
    # GitHub's anchor for '## FA101' is the heading text lower-cased: '#fa101'
    assert docs_url("FA101").endswith("/docs/diagnostics.md#fa101")
    assert all(docs_url(code).rsplit("#", 1)[1] == code.lower() for code in CODE_TITLES)


def test_readme_shows_the_neovim_setup_the_test_uses():
    """The README's Neovim section is the very file the end-to-end test starts Neovim with."""
    root = Path(__file__).resolve().parents[2]
    init = (root / "editors" / "neovim" / "init.lua").read_text()
    assert "```lua\n" + init + "```" in (root / "README.md").read_text()
