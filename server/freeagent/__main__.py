"""``python -m freeagent`` — the same as the ``freeagent`` console script."""

from .cli import main

main()
