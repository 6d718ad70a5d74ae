"""Which adapter a provider name means, and building one from options.

Owns the list of providers, their default models, and the one place options are checked
(unknown provider, empty model) before an SDK is imported.
"""

from __future__ import annotations

from .base import ProviderError, ProviderOptions

PROVIDERS = ("anthropic", "openai", "ollama")
DEFAULT_MODELS = {
    "anthropic": "claude-sonnet-5-5",  # premium default: the current Sonnet
    "openai": "gpt-4o",
    "ollama": "qwen2.5-coder:7b",  # local fallback: a coder model that runs on a laptop
}


def make_provider(options: ProviderOptions):
    name = options.provider
    if name not in PROVIDERS:
        raise ProviderError("bad_request", f"unknown provider '{name}' (choose {', '.join(PROVIDERS)})", name)
    if not options.model:
        options.model = DEFAULT_MODELS[name]
    if name == "anthropic":
        from .anthropic_messages import AnthropicProvider

        return AnthropicProvider(options)
    if name == "openai":
        from .openai_chat import OpenAIProvider

        return OpenAIProvider(options)
    from .ollama_chat import OllamaProvider

    return OllamaProvider(options)
