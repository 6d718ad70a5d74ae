"""The command line: a thin adapter over the engine (no logic of its own).

Every command maps its flags onto the same engine calls the language server makes, so what
``freeagent context`` prints is exactly what ``freeagent/projectBrief`` returns.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="freeagent")
def main() -> None:
    """Free Agent: reliable code generation — spec-first, grounded LLM fallback, validation."""


@main.command()
@click.option("--stdio", "transport", flag_value="stdio", default=True, help="Talk LSP over stdin/stdout (default).")
@click.option("--tcp", "transport", flag_value="tcp", help="Listen for one client on a TCP socket.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind with --tcp.")
@click.option("--port", default=2087, show_default=True, type=click.IntRange(0, 65535), help="Port with --tcp.")
def serve(transport: str, host: str, port: int) -> None:
    """Start the language server."""
    from .lsp.server import run

    run(transport, host, port)


@main.command()
@click.argument(
    "workspace", required=False, default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--json", "as_json", is_flag=True, help="Print the brief as JSON instead of markdown.")
def context(workspace: Path, as_json: bool) -> None:
    """Print the project brief for WORKSPACE (default: the current directory)."""
    from .context import WorkspaceContext

    ctx = WorkspaceContext(workspace)
    ctx.load()
    brief = ctx.brief()
    if as_json:
        click.echo(json.dumps(brief.data, indent=2, sort_keys=False))
    else:
        click.echo(brief.markdown, nl=False)
    for problem in brief.data["problems"]:
        click.echo(
            f"{problem['file']}:{problem['line']}:{problem['column']}: "
            f"{problem['severity']} {problem['code']}: {problem['message']}",
            err=True,
        )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
