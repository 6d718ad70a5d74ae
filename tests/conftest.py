"""Session-wide test setup: a private cache directory, so the summary cache the CLI and the
server keep (``$XDG_CACHE_HOME/freeagent``) never reads or writes the user's own, and a private
data directory, so the outcome store (``$XDG_DATA_HOME/freeagent/stores``) is the tests' own."""

import os
import tempfile

os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="freeagent-test-cache-")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="freeagent-test-data-")
