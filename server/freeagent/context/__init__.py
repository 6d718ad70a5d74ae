"""What the workspace *is*: manifests, tsconfig chains, the code index, conventions and the brief.

``WorkspaceContext`` (in :mod:`.workspace`) is the entry point; the other modules each own one
kind of file or one inference and know nothing of LSP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .workspace import WorkspaceContext

__all__ = ["WorkspaceContext"]


def __getattr__(name: str):
    # imported when first used: a submodule (the summary cache's location) costs no workspace import
    if name == "WorkspaceContext":
        from .workspace import WorkspaceContext

        return WorkspaceContext
    raise AttributeError(name)
