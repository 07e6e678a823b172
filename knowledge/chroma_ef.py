"""Chroma's adapter for the offline USE encoder (imports chromadb: load it only when needed).

Kept out of `knowledge.embeddings` so that embedding a text, or `chengguo --help`, does not pay
chromadb's ~0.6-1.2 s import.
"""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from knowledge.embeddings import MODEL_TAG, encode


@register_embedding_function
class USEEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma adapter for the offline USE encoder.

    Registered under its name so a collection reopened from its stored configuration gets this
    function back instead of Chroma's default ONNX model (which would be downloaded).
    """

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        return list(encode(list(input)))

    @staticmethod
    def name() -> str:
        return "chengguo-usem3"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_TAG}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> USEEmbeddingFunction:
        return USEEmbeddingFunction()

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        if config.get("model", MODEL_TAG) != MODEL_TAG:
            raise ValueError(f"unsupported embedding model {config.get('model')!r}")
