"""Validators: one rule family per module, each returning plain Findings for a file.

:class:`~.runner.Validator` runs the fast families that apply to a file (``check_file``, or
``check_all`` for many) and drops suppressed findings; :class:`~.typecheck.TypeCheck` is the
deep check (the workspace's own tsc), run apart. The CLI's ``check`` and the language server's
diagnostics both get their Validator from ``FolderEngine.validator`` (:mod:`freeagent.engine`).
"""
