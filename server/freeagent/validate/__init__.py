"""Validators: one rule family per module, each returning plain Findings for a file.

``validate_file`` (in :mod:`.runner`) runs the families that apply to a file; the CLI's
``check`` and the language server's diagnostics both call it.
"""
