"""The learning half: what the outcome store's records teach the next generation.

So far: :mod:`.survival` (how much of an applied generation is still in its file later). The
knowledge base (patterns that worked, project facts, per-model pitfalls) and its retrieval into
the prompt live here too as they come.
"""
