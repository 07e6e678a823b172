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
from knowledge.regions import REGIONS, normalise_region, region_names
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


def _amount(value: float) -> str:
    """Up to two decimals with thousands separators, trailing zeros dropped: 1,234.5 / 30 / 0.25."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def money(amount: float | None, lang: str) -> str:
    """RMB amount for people: "RMB 8M" / "800万元", "RMB 1.05M" / "105万元", "RMB 50,000" / "5万元".

    Below a million (en) or ten thousand (zh) the amount is written out in full: "RMB 0.3M"
    reads worse than "RMB 300,000".
    """
    if amount is None:
        return "—"
    if lang == "zh":
        if abs(amount) >= 1e8:
            return f"{_amount(amount / 1e8)}亿元"
        if abs(amount) >= 1e4:
            return f"{_amount(amount / 1e4)}万元"
        return f"{_amount(amount)}元"
    if abs(amount) >= 1e9:
        return f"RMB {_amount(amount / 1e9)}bn"
    if abs(amount) >= 1e6:
        return f"RMB {_amount(amount / 1e6)}M"
    return f"RMB {_amount(amount)}"


def money_range(lo: float | None, hi: float | None, lang: str) -> str:
    """An amount range with either end open: "RMB 5M–RMB 50M", "up to RMB 5M" / "≤500万元",
    "from RMB 5M" / "≥500万元"; "any amount" / "不限" when both ends are open."""
    if lo is None and hi is None:
        return tr(lang, "any amount", "不限")
    if lo is None:
        return tr(lang, f"up to {money(hi, lang)}", f"≤{money(hi, lang)}")
    if hi is None:
        return tr(lang, f"from {money(lo, lang)}", f"≥{money(lo, lang)}")
    return f"{money(lo, lang)}–{money(hi, lang)}"


def resolve_region(ctx: ToolContext, value: str | None) -> str | ToolError | None:
    """The canonical region for a filter value (zh, en or a big city), None for no filter, or an
    `unknown_region` error naming the value and the valid regions.

    An unknown value used to be compared as typed and silently matched nothing, which reads
    as "nobody there" rather than "I did not understand the region".
    """
    if value is None or not value.strip():
        return None
    region = normalise_region(value)
    if region is not None:
        return region
    shown = value.strip()
    return fail(
        ctx,
        "unknown_region",
        f"Unknown region “{shown}”. Use a province-level region of China: {', '.join(region_names('en'))} "
        "(Chinese names such as 江苏 and big cities such as Suzhou work too).",
        f"未知地区“{shown}”。请使用中国省级行政区：{'、'.join(region_names('zh'))}（也可用英文名如 Jiangsu，或苏州等大城市）。",
        value=shown,
        valid=list(REGIONS),
    )


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
    """The booking store for this call: injected, else one per (thread, database: PostgreSQL URL
    or SQLite file)."""
    injected = ctx.extra.get("booking_store")
    if injected is not None:
        return injected
    from knowledge.bookings import BookingStore

    cache: dict[str, BookingStore] = getattr(_stores, "cache", None) or {}
    _stores.cache = cache
    key = ctx.settings.database_url or str(ctx.settings.db_path)
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
