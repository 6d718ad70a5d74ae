"""Model providers behind one async protocol: Anthropic Messages, OpenAI Chat Completions (and
any OpenAI-compatible server), Ollama's /api/chat; the pricing table; retries. Each SDK is
imported only inside its adapter, on first use, so the server starts without paying for it."""

from .base import Completion, Message, Provider, ProviderError, Request, Usage
from .factory import PROVIDERS, make_provider

__all__ = ["PROVIDERS", "Completion", "Message", "Provider", "ProviderError", "Request", "Usage", "make_provider"]
