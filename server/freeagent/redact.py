"""What must never leave the machine or reach a log: secret files, secret-looking strings, API keys.

Owns three rules the rest of the engine applies:

- :func:`is_secret_file` — files that commonly hold secrets (``.env*``, ``*.pem``, ``*.key``,
  ``id_rsa*`` and the like) are never read into a prompt, an example or a brief;
- :func:`mask_source` — a secret-looking string inside a source file (an AWS key, a token, a
  ``password = "…"``, a high-entropy literal) is replaced by ``«secret»`` before the text goes
  into a prompt; detection is Yelp's detect-secrets (its line plugins and its false-positive
  filters, the same as ``detect-secrets scan``), not hand-written patterns;
- :func:`mask_keys` — the API keys this process knows (the providers' environment variables and
  the ``llm.*ApiKey`` settings) are replaced wherever a message is built from text a provider or
  an SDK sent back (errors can echo a key), and in everything the server logs.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable

MASK = "«secret»"

SECRET_FILES = (
    ".env",
    ".env.*",
    "*.env",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.keystore",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".npmrc",
    ".pypirc",
    ".netrc",
    "credentials.json",
    "secrets.*",
)

KEY_VARIABLES = ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OLLAMA_API_KEY")


def is_secret_file(path: str) -> bool:
    """Whether a file's name says it holds secrets (its name only, any directory)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in SECRET_FILES)


_TOKEN = re.compile(r"[^\s\"'`,;()\[\]{}<>]+")


def _detector():
    """detect-secrets' line scanner under its default settings, or None when it is missing.
    (``_process_line_based_plugins`` is what its own ``scan_file`` runs on each line; it applies
    the plugins and the filters that keep test fixtures, UUIDs and the like from counting.)"""
    try:
        from detect_secrets.core.scan import _process_line_based_plugins
        from detect_secrets.settings import default_settings
    except ImportError:  # pragma: no cover - a dependency of the package
        return None
    return _process_line_based_plugins, default_settings


# A line detect-secrets could flag has a long token (every provider's key format, high-entropy
# strings: 20+ characters), a keyword of its KeywordDetector, a private key's header, or a URL
# with credentials; the others (most lines of code) are not handed to its ~25 plugins — scanning
# every line cost 12 ms for a 100-line handler, more than the rest of recording it.
_MAYBE_SECRET = re.compile(
    r"[A-Za-z0-9+/=_\-.]{20,}|key|pass|pwd|secret|contrase|private|token|://[^\s/]*@", re.IGNORECASE
)


def mask_source(text: str, filename: str = "file.txt", keys: Iterable[str | None] = ()) -> str:
    """``text`` with every secret detect-secrets finds, and every known API key, masked."""
    text = mask_keys(text, keys)
    found = _detector()
    if found is None or not text:
        return text
    scan, settings = found
    lines = text.split("\n")
    candidates = [(n, line) for n, line in enumerate(lines, 1) if _MAYBE_SECRET.search(line)]
    if not candidates:
        return text
    hits: dict[int, set[str]] = {}
    with settings():
        for secret in scan(candidates, filename):
            if secret.secret_value:
                hits.setdefault(secret.line_number, set()).add(secret.secret_value)
    for number, values in hits.items():
        line = lines[number - 1]
        spans = []
        for value in values:
            for m in re.finditer(re.escape(value), line):
                # a plugin may report only a prefix (GitHub's 'ghp'): mask the whole token
                token = next((t for t in _TOKEN.finditer(line) if t.start() <= m.start() and m.end() <= t.end()), m)
                spans.append((token.start(), token.end()))
        for start, end in sorted(_merge(spans), reverse=True):
            line = line[:start] + MASK + line[end:]
        lines[number - 1] = line
    return "\n".join(lines)


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def known_keys(extra: Iterable[str | None] = ()) -> list[str]:
    """The API keys this process could send: the providers' variables and ``extra`` (settings)."""
    keys = {os.environ.get(v) for v in KEY_VARIABLES} | set(extra)
    return sorted((k for k in keys if k and len(k) >= 8), key=len, reverse=True)


def settings_keys(llm) -> list[str]:
    """The keys an ``LlmSettings`` carries (for clients that cannot set the variables)."""
    return [k for k in (llm.anthropic_api_key, llm.openai_api_key) if k]


def mask_keys(text: str, extra: Iterable[str | None] = ()) -> str:
    """``text`` with every known API key — the environment's and ``extra`` (the settings') —
    and any 12+-character prefix of one (SDK errors print keys cut short) replaced by ``«secret»``."""
    for key in known_keys(extra):
        if key in text:
            text = text.replace(key, MASK)
        elif len(key) >= 16:
            text = re.sub(re.escape(key[:12]) + r"[\w\-*.]*", MASK, text)
    return text
