"""``python -m freeagent`` and the ``freeagent`` console script.

``serve`` goes straight to the server's own option parser, skipping click's import (editors
measure start-up); every other command goes through the click CLI in :mod:`freeagent.cli`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["serve"]:
        from .lsp.entry import serve_main

        serve_main(args[1:])
        return
    from .cli import main as cli_main

    cli_main(args)


if __name__ == "__main__":
    main()
