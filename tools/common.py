"""Helpers shared by the tool modules: bilingual text, typed errors, KB / store / embedding access.

Tests inject a knowledge base with `ctx.extra["kb"]` and a booking store with
`ctx.extra["booking_store"]`; otherwise the real ones are opened from `ctx.settings`.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
from pydantic import BaseModel, Field

from knowledge.models import Achievement, Facility, Organisation, PolicyDocument
from tools.base import ToolContext, ToolError

if TYPE_CHECKING:
    from knowledge.bookings import BookingStore

Lang = Literal["zh", "en"]


def tr(lang: str, en: str, zh: str) -> str:
    """Pick the English or Chinese variant."""
    return zh if lang == "zh" else en


def fail(ctx: ToolContext, code: str, en: str, zh: str, **details: Any) -> ToolError:
    """A ToolError with its message in the context's language."""
    return ToolError(code=code, message=tr(ctx.lang, en, zh), details=details)


def money(amount: float | None, lang: str) -> str:
    """RMB amount for people: "RMB 8.00M" / "800.00万元"."""
    if amount is None:
        return "—"
    if lang == "zh":
        if abs(amount) >= 1e8:
            return f"{amount / 1e8:,.2f}亿元"
        return f"{amount / 1e4:,.2f}万元"
    if abs(amount) >= 1e9:
        return f"RMB {amount / 1e9:,.2f}bn"
    return f"RMB {amount / 1e6:,.2f}M"


class ArtifactRef(BaseModel):
    """A file a tool wrote (same fields as agent.events.Artifact)."""

    kind: str = Field(description='e.g. "term_sheet_md", "term_sheet_docx".')
    name: str
    path: str


class KnowledgeBaseLike(Protocol):
    """The part of knowledge.kb.KnowledgeBase the tools use."""

    def get(self, record_id: str) -> Achievement | Organisation | Facility | None: ...

    def records(self, kind: str) -> Sequence[Any]: ...

    def policies(self) -> Sequence[PolicyDocument]: ...

    def policy(self, doc_id: str) -> PolicyDocument | None: ...

    def search(self, query: str, **kwargs: Any) -> Sequence[Any]: ...

    def search_policies(self, query: str, **kwargs: Any) -> Sequence[Any]: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...


def get_kb(ctx: ToolContext) -> KnowledgeBaseLike:
    """The knowledge base for this call (injected in tests, else `open_kb(ctx.settings)`)."""
    injected = ctx.extra.get("kb")
    if injected is not None:
        return injected
    from knowledge.kb import open_kb  # imported late: the KB is heavy and optional for pure tests

    return open_kb(ctx.settings)  # type: ignore[return-value]


_stores = threading.local()


def get_store(ctx: ToolContext) -> BookingStore:
    """The booking store for this call: injected, else one per (thread, database file)."""
    injected = ctx.extra.get("booking_store")
    if injected is not None:
        return injected
    from knowledge.bookings import BookingStore

    cache: dict[str, BookingStore] = getattr(_stores, "cache", None) or {}
    _stores.cache = cache
    key = str(ctx.settings.db_path)
    store = cache.get(key)
    if store is None:
        store = cache[key] = BookingStore(ctx.settings)
    return store


# ---------------------------------------------------------------------------- embeddings cache


class EmbeddingCache:
    """Per-process cache of text embeddings and of stacked matrices for record sets.

    Organisation needs and achievement texts are embedded once per process; a query costs one
    embedding call plus a matrix product.
    """

    def __init__(self) -> None:
        self._vectors: dict[str, np.ndarray] = {}
        self._matrices: dict[tuple[int, str], np.ndarray] = {}
        self._lock = threading.Lock()

    def vectors(self, kb: KnowledgeBaseLike, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of `texts` (rows L2-normalised), embedding only the ones not seen before."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            embedded = np.asarray(kb.embed(list(missing)), dtype=np.float32)
            with self._lock:
                for t, v in zip(missing, embedded, strict=True):
                    self._vectors[t] = v
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def warm(self, kb: KnowledgeBaseLike, texts: Sequence[str]) -> None:
        """Embed whatever of `texts` is not cached yet, in one batch; cheap once everything is."""
        if any(t not in self._vectors for t in texts):
            self.vectors(kb, texts)

    def matrix(self, kb: KnowledgeBaseLike, texts: Sequence[str]) -> np.ndarray:
        """Like `vectors` but the stacked matrix itself is cached by the exact text list."""
        digest = hashlib.blake2b("\x1f".join(texts).encode("utf-8"), digest_size=16).hexdigest()
        key = (len(texts), digest)
        found = self._matrices.get(key)
        if found is None:
            found = self.vectors(kb, texts)
            with self._lock:
                if len(self._matrices) > 16:
                    self._matrices.clear()
                self._matrices[key] = found
        return found


_CACHES: weakref.WeakKeyDictionary[Any, EmbeddingCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def embeddings_for(kb: KnowledgeBaseLike) -> EmbeddingCache:
    """The embedding cache of one knowledge base (vectors from different embedders never mix)."""
    with _CACHES_LOCK:
        cache = _CACHES.get(kb)
        if cache is None:
            cache = _CACHES[kb] = EmbeddingCache()
        return cache
