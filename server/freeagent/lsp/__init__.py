"""The language server: the only package that imports pygls or lsprotocol.

Handlers translate LSP messages into engine calls and engine results into LSP messages.
"""
