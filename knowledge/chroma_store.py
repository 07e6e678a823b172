"""Chroma persistence: one collection per record kind plus one for policy passages.

Embeddings are always passed in explicitly and every collection is opened with our
`USEEmbeddingFunction`, so Chroma never falls back to its default ONNX model (which it would
try to download). Embedded `PersistentClient` by default; `HttpClient` when a URL is set.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlparse

import numpy as np

from knowledge.config import Settings

COLLECTIONS = {
    "achievement": "chengguo_achievements",
    "organisation": "chengguo_organisations",
    "facility": "chengguo_facilities",
    "passage": "chengguo_policy_passages",
}

Metadata = dict[str, str | int | float | bool | list[str]]


def make_client(settings: Settings) -> Any:
    """A Chroma client for `settings` (server when `chroma_url` is set, else on disk)."""
    import chromadb

    # Chroma's telemetry is off, and its client logs noisy INFO lines; keep them out of the CLI.
    logging.getLogger("chromadb").setLevel(logging.WARNING)
    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        # `?tenant=…&database=…` picks a Chroma tenant / database, so several deployments (or
        # test runs) can share one server without sharing collections.
        query = dict(parse_qsl(url.query))
        return chromadb.HttpClient(
            host=url.hostname or "localhost",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
            tenant=query.get("tenant", chromadb.DEFAULT_TENANT),
            database=query.get("database", chromadb.DEFAULT_DATABASE),
        )
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class ChromaStore:
    """Thin wrapper doing batched upserts / deletes and reading back (id -> text hash)."""

    def __init__(self, settings: Settings) -> None:
        # The client (and chromadb's import) is created on first use: a process that only reads
        # the in-memory snapshot never needs it.
        self.settings = settings
        self._client: Any = None
        self._ef: Any = None
        self._cols: dict[str, Any] = {}

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    @property
    def ef(self) -> Any:
        if self._ef is None:
            from knowledge.chroma_ef import USEEmbeddingFunction

            self._ef = USEEmbeddingFunction()
        return self._ef

    def collection(self, key: str) -> Any:
        col = self._cols.get(key)
        if col is None:
            col = self.client.get_or_create_collection(
                COLLECTIONS[key],
                embedding_function=self.ef,
                configuration={"hnsw": {"space": "cosine"}},
            )
            self._cols[key] = col
        return col

    def count(self, key: str) -> int:
        return int(self.collection(key).count())

    def hashes(self, key: str) -> dict[str, str]:
        """id -> stored text hash, to find what is missing or stale."""
        got = self.collection(key).get(include=["metadatas"])
        return {
            i: str((m or {}).get("text_hash", ""))
            for i, m in zip(got["ids"], got["metadatas"] or [], strict=False)
        }

    def upsert(
        self,
        key: str,
        ids: Sequence[str],
        embeddings: np.ndarray,
        metadatas: Sequence[Metadata],
        documents: Sequence[str],
    ) -> None:
        col = self.collection(key)
        step = max(1, min(2000, int(self.client.get_max_batch_size())))
        for i in range(0, len(ids), step):
            col.upsert(
                ids=list(ids[i : i + step]),
                embeddings=embeddings[i : i + step],
                metadatas=list(metadatas[i : i + step]),
                documents=list(documents[i : i + step]),
            )

    def delete(self, key: str, ids: Sequence[str]) -> None:
        if ids:
            col = self.collection(key)
            for i in range(0, len(ids), 2000):
                col.delete(ids=list(ids[i : i + 2000]))

    def query(
        self, key: str, qvec: np.ndarray, n: int, where: dict[str, Any] | None
    ) -> list[tuple[str, float]]:
        """Chroma's own ANN query -> [(id, cosine similarity)], best first."""
        col = self.collection(key)
        total = col.count()
        if total == 0:
            return []
        res = col.query(
            query_embeddings=qvec.reshape(1, -1), n_results=min(n, total), where=where, include=["distances"]
        )
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def reset(self) -> None:
        """Drop every chengguo collection (a full rebuild re-creates them)."""
        existing = {c.name if hasattr(c, "name") else str(c) for c in self.client.list_collections()}
        for name in COLLECTIONS.values():
            if name in existing:
                self.client.delete_collection(name)
        self._cols.clear()
