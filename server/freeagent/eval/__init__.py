"""The evaluation harness: which strategy and model succeeds how often, at what cost and how
fast, decided by running code (tsc and hidden tests) on a suite of tasks."""
