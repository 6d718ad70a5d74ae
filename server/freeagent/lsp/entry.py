"""Starting the server: ``freeagent serve`` options, parsed without importing click.

Editors spawn ``freeagent serve`` on every start and wait for ``initialize``; importing pygls
and lsprotocol already costs most of the 400 ms budget, so this path stays on argparse and the
engine is imported only after ``initialized``.
"""

from __future__ import annotations

import argparse


def serve_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="freeagent serve", description="Start the Free Agent language server.")
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument(
        "--stdio", dest="transport", action="store_const", const="stdio", help="talk LSP over stdin/stdout (default)"
    )
    transport.add_argument(
        "--tcp", dest="transport", action="store_const", const="tcp", help="listen for a client on a TCP socket"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind with --tcp (default: %(default)s)")
    parser.add_argument("--port", type=int, default=2087, help="port with --tcp (default: %(default)s)")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, not {args.port}")
    from .startup import import_lsprotocol

    import_lsprotocol()
    from .server import run

    run(args.transport or "stdio", args.host, args.port)
