"""The command line: a thin adapter over the engine (no logic of its own).

Every command maps its flags onto the same engine calls the language server makes, so what
``freeagent context`` prints is exactly what ``freeagent/projectBrief`` returns.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="freeagent")
def cli() -> None:
    """Free Agent: reliable code generation — spec-first, grounded LLM fallback, validation."""


@cli.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.pass_context
def serve(ctx: click.Context) -> None:
    """Start the language server (stdio by default, or --tcp). See `serve --help`."""
    # Options are parsed in one place, freeagent.lsp.entry, which editors reach without click.
    from .lsp.entry import serve_main

    serve_main(ctx.args)


@cli.command()
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


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli(argv)
