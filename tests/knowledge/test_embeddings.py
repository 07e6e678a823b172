from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from chromadb.utils.embedding_functions import known_embedding_functions

from knowledge import embeddings
from knowledge.embeddings import EmbeddingCache, USEEmbeddingFunction


def test_embedding_function_is_registered_and_complete() -> None:
    ef = USEEmbeddingFunction()
    assert known_embedding_functions[USEEmbeddingFunction.name()] is USEEmbeddingFunction
    assert not ef.is_legacy()  # name / config / build_from_config implemented: no Chroma fallback
    assert isinstance(USEEmbeddingFunction.build_from_config(ef.get_config()), USEEmbeddingFunction)
    assert ef.default_space() == "cosine"
    vecs = ef(["固态电池", "solid-state battery"])
    assert len(vecs) == 2 and vecs[0].shape == (512,)
    assert float(np.dot(vecs[0], vecs[1])) > 0.6  # cross-lingual neighbours
    with pytest.raises(ValueError):
        USEEmbeddingFunction.validate_config({"model": "something-else"})


def test_encode_rows_are_normalised() -> None:
    out = embeddings.encode(["a", "一种新材料", "pilot line"], batch=2)
    assert out.shape == (3, 512) and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-5)


def test_cache_embeds_each_text_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    real = embeddings.encode

    def counting(texts: list[str], batch: int = 256) -> np.ndarray:
        calls.append(list(texts))
        return real(texts, batch)

    monkeypatch.setattr(embeddings, "encode", counting)
    monkeypatch.setattr(embeddings, "_MEMO", embeddings.OrderedDict())
    texts = ["cache test one 缓存", "cache test two", "cache test one 缓存"]
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    first = cache.embed(texts)
    assert calls == [["cache test one 缓存", "cache test two"]]  # duplicates embedded once
    np.testing.assert_array_equal(first[0], first[2])
    cache.close()
    # A new process (empty memo) reads the disk cache: only the new text is embedded.
    monkeypatch.setattr(embeddings, "_MEMO", embeddings.OrderedDict())
    again = EmbeddingCache(tmp_path / "e.sqlite")
    second = again.embed([*texts, "a changed text"])
    assert calls[1:] == [["a changed text"]]
    np.testing.assert_allclose(second[:3], first, rtol=1e-6)
    assert again.misses == 1 and again.hits == 3
