"""Session-wide test setup: a private cache directory, so the summary cache the CLI and the
server keep (``$XDG_CACHE_HOME/freeagent``) never reads or writes the user's own."""

import os
import tempfile

os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="freeagent-test-cache-")
