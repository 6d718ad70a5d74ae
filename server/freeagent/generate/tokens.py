"""Counting prompt tokens, so the prompt fits its budget by tokens, not characters.

Owns :class:`TokenCounter`: tiktoken's ``o200k_base`` BPE (GPT-4o's; Claude's and local
models' tokenizers are not published, and a BPE of this size is within a few percent of them on
code — far closer than a characters rule). tiktoken downloads the encoding once and caches it
(``TIKTOKEN_CACHE_DIR``); where that is impossible (an offline machine with an empty cache) the
counter says so and estimates at 3 bytes a token, which over-counts code, so prompts stay within
budget. Tests hand it a small encoding of their own.
"""

from __future__ import annotations

import threading


class TokenCounter:
    ESTIMATE_BYTES_PER_TOKEN = 3

    def __init__(self, encoding=None, name: str = "o200k_base"):
        self._encoding = encoding
        self._name = name
        self._lock = threading.Lock()
        self._failed: str | None = None

    @property
    def exact(self) -> bool:
        return self._load() is not None

    @property
    def problem(self) -> str | None:
        """Why counts are estimates (None while the tokenizer works)."""
        self._load()
        return self._failed

    def _load(self):
        if self._encoding is not None or self._failed is not None:
            return self._encoding
        with self._lock:
            if self._encoding is None and self._failed is None:
                try:
                    import tiktoken

                    self._encoding = tiktoken.get_encoding(self._name)
                except Exception as exc:  # noqa: BLE001 - offline, blocked, corrupt cache: estimate instead
                    self._failed = (
                        f"tokenizer {self._name} unavailable ({type(exc).__name__}); token counts are estimates"
                    )
        return self._encoding

    def count(self, text: str) -> int:
        encoding = self._load()
        if encoding is None:
            return -(-len(text.encode("utf-8")) // self.ESTIMATE_BYTES_PER_TOKEN)
        return len(encoding.encode(text, disallowed_special=()))

    def truncate(self, text: str, tokens: int) -> str:
        """The longest prefix of whole lines within ``tokens``."""
        if self.count(text) <= tokens:
            return text
        lines, out, used = text.split("\n"), [], 0
        for line in lines:
            cost = self.count(line + "\n")
            if used + cost > tokens:
                break
            out.append(line)
            used += cost
        return "\n".join(out)
