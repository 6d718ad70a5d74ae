"""Code generation: the spec-first generator, the LLM pipeline, and the result both return.

:class:`~.spec_first.SpecGenerator` (``generate`` for one operation's target in a file,
``generate_all`` for every operation the file lacks) writes TypeScript through :mod:`.ts` and
Python through :mod:`.py`, checked against the operation by :mod:`.check`;
:class:`~.llm.LlmPipeline` (``run``) prompts a model (:mod:`.prompt`, :mod:`.tokens`) where no
spec covers the task. Both return a :class:`~.result.Generation`. Choosing between them is the
caller's: the CLI's ``generate`` and the evaluation runner ask ``FolderEngine.match`` whether a
spec covers the task; the editor offers each as its own action.
"""
