"""``python -m freeagent`` and the ``freeagent`` console script.

``serve`` goes straight to the server's own option parser, skipping click's import (editors
measure start-up); every other command goes through the click CLI in :mod:`freeagent.cli`.

A command run as a process of its own ends with ``os._exit`` once its output is flushed:
tearing down a loaded workspace object by object took 60–90 ms of a 1 s ``check`` (mypy ends
the same way, for the same reason). Every command finishes its own writes before it returns
(files are written atomically, pools are shut down in ``with`` blocks), so nothing is left to
the interpreter's exit. Called with ``argv`` (in-process, as tests do), ``SystemExit`` is raised
as usual.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["serve"]:
        from .lsp.entry import serve_main

        serve_main(args[1:])
        return
    from .cli import main as cli_main

    if argv is not None:
        cli_main(args)
        return
    try:
        cli_main(args)
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    _leave(code)


def _leave(code: object) -> None:
    """Exit as ``sys.exit(code)`` would, without the interpreter's teardown."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message goes to stderr, the status is 1
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): Python's own exit says 120
            status = status or 120
    os._exit(status)


if __name__ == "__main__":
    main()
