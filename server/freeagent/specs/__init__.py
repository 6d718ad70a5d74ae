"""The spec registry: OpenAPI 3.0/3.1 documents → an index of operations, with diagnostics.

``Registry`` (in :mod:`.registry`) loads the bundled ``specs/`` folder and the workspace's own
documents, resolves ``$ref`` (local and relative-file) on demand, builds :class:`Operation`
records and reports malformed or invalid documents as Findings on the file.
"""
