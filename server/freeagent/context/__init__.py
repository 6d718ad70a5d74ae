"""What the workspace *is*: manifests, tsconfig chains, the code index, conventions and the brief.

``WorkspaceContext`` (in :mod:`.workspace`) is the entry point; the other modules each own one
kind of file or one inference and know nothing of LSP.
"""

from .workspace import WorkspaceContext

__all__ = ["WorkspaceContext"]
