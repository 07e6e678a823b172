"""Chat model factory for the LLM planner.

"openai:<name>" with `settings.openai_base_url` set goes to `ChatOpenAI(base_url=...)`, which
covers every OpenAI-compatible server (vLLM, Ollama, llama.cpp's server, DeepSeek, Qwen);
anything else goes through LangChain's `init_chat_model` ("openai:gpt-4.1-mini",
"anthropic:...", ...). Imports are lazy: the builtin planner never pays for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from knowledge.config import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


class ModelSetupError(RuntimeError):
    """The model id or its settings cannot produce a chat model."""


def build_chat_model(model_id: str, settings: Settings, **kwargs: Any) -> BaseChatModel:
    """A chat model for `model_id` ("provider:name"), deterministic (temperature 0) by default."""
    provider, sep, name = model_id.partition(":")
    if not sep or not name:
        raise ModelSetupError(
            f"model {model_id!r}: expected 'builtin' or 'provider:name', e.g. 'openai:gpt-4.1-mini' "
            "(set CHENGGUO_OPENAI_BASE_URL for vLLM / Ollama / llama.cpp / DeepSeek / Qwen)"
        )
    kwargs.setdefault("temperature", 0)
    if provider == "openai" and settings.openai_base_url:
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=name,
            base_url=settings.openai_base_url,
            # Local servers usually ignore the key, but the client insists on one.
            api_key=settings.openai_api_key or "not-needed",
            **kwargs,
        )
    if provider == "openai" and settings.openai_api_key:
        kwargs.setdefault("api_key", settings.openai_api_key)
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(model_id, **kwargs)
    except Exception as exc:  # missing provider package, missing key (OpenAIError), bad id ...
        raise ModelSetupError(f"model {model_id!r}: {exc}") from exc
