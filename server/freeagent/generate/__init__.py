"""Code generation: spec-first generators (one folder per target language) and, later, the LLM
pipeline and the router that chooses between them. ``api.generate`` is the one entry point the
CLI and the code actions share.
"""
