"""Free Agent: a language server and CLI that make code generation reliable.

The engine (everything except ``freeagent.lsp``) is plain Python with no pygls import, so the
CLI, the tests and the language server all run the same code paths.
"""

__version__ = "0.1.0"
