"""The knowledge base: records + policy passages, hybrid search, upsert. Start with `open_kb()`.

Sources of truth live in SQLite (`records_store`): the bundled sample corpus plus whatever
users ingested. Chroma (`chroma_store`) persists the vectors; each process holds an immutable
in-memory snapshot (`index`) used for search, rebuilt from SQLite + the embedding cache and
swapped in atomically after every write. Nothing here touches the network.

Lifecycle on open: (1) if the bundled corpus changed (content hash) or the index format did,
reload the sample rows; (2) embed whatever the cache lacks; (3) bring Chroma in step when its
generation lags SQLite's (so a crash between commit and the Chroma write heals itself);
(4) build the snapshot. Another process's ingest is picked up by the next search.
"""

from __future__ import annotations

import hashlib
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np

from knowledge.bm25 import TOKENIZER_VERSION, tokenize
from knowledge.chroma_store import ChromaStore, Metadata
from knowledge.config import Settings, get_settings
from knowledge.domains import DOMAIN_LABELS, DOMAINS
from knowledge.embeddings import EmbeddingCache, encode, set_model_cache_dir, text_hash
from knowledge.hits import PolicyHit, SearchHit, SearchKind, SearchMode
from knowledge.index import CANDIDATES, KINDS, HybridIndex, RecordFilters, RowMeta
from knowledge.models import Achievement, Facility, Organisation, PolicyDocument, PolicySection, Record
from knowledge.record_parse import parse_file
from knowledge.records_store import RecordStore, StoredItem
from knowledge.regions import REGIONS, normalise_region

__all__ = [
    "DEFAULT_SAMPLE_DIR",
    "KBQueryError",
    "KnowledgeBase",
    "PolicyHit",
    "SearchHit",
    "open_kb",
    "resolve_domain",
]

DEFAULT_SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
SAMPLE_FILES = ("organisations.jsonl", "achievements.jsonl", "facilities.jsonl")
# Bump when the indexed text of a record changes: stored derived data is recomputed on open.
EMBED_TEXT_VERSION = "3"
INDEX_VERSION = f"t{TOKENIZER_VERSION}.e{EMBED_TEXT_VERSION}"
# Title tokens count this many times in BM25 (titles are short and say what the thing is).
TITLE_BOOST = 2

_MODEL_OF: dict[str, type[Achievement] | type[Organisation] | type[Facility]] = {
    "achievement": Achievement,
    "organisation": Organisation,
    "facility": Facility,
}
_KIND_ALIASES = {
    "achievements": "achievement",
    "organisations": "organisation",
    "organization": "organisation",
    "organizations": "organisation",
    "org": "organisation",
    "facilities": "facility",
    "成果": "achievement",
    "机构": "organisation",
    "设施": "facility",
    "中试": "facility",
}


class KBQueryError(ValueError):
    """A bad search argument (unknown domain, region, kind, TRL out of range...)."""


# --- text used for indexing ------------------------------------------------------------------
def record_text(record: Record) -> str:
    """The record's full indexed text (its own `text()`); stored in Chroma as the document."""
    return record.text()


def record_head(record: Record) -> str:
    """Title plus keywords / domains: the short "what is it" text embedded next to the full one."""
    if isinstance(record, Achievement):
        extra = " ".join(record.keywords)
    elif isinstance(record, Facility):
        extra = " ".join(record.processes)
    else:
        extra = " ".join(record.needs[:2])
    return f"{record.title}\n{extra}"


def record_embed_text(record: Record) -> str:
    """The record text that is embedded (next to `record_head`); BM25 indexes the full text."""
    return record_text(record)


def record_vector_key(record: Record) -> str:
    """Hash identifying a record's vector (changes when either embedded text changes)."""
    return text_hash(record_embed_text(record) + "\x1f" + record_head(record))


def record_tokens(record: Record) -> list[str]:
    title_tokens = tokenize(record.title)
    return title_tokens * TITLE_BOOST + tokenize(record.text())


def passage_text(doc: PolicyDocument, section: PolicySection) -> str:
    return f"{doc.title}\n{section.ref} {section.heading}\n{section.text}"


def passage_tokens(doc: PolicyDocument, section: PolicySection) -> list[str]:
    head = tokenize(f"{section.ref} {section.heading}")
    return head * TITLE_BOOST + tokenize(doc.title) + tokenize(section.text)


def _derive(item: Record | PolicyDocument) -> dict[str, Any]:
    if isinstance(item, PolicyDocument):
        return {
            "passages": [
                {"h": text_hash(passage_text(item, s)), "t": " ".join(passage_tokens(item, s))}
                for s in item.sections
            ]
        }
    return {"h": record_vector_key(item), "t": " ".join(record_tokens(item))}


def _kind(item: Record | PolicyDocument) -> str:
    if isinstance(item, PolicyDocument):
        return "policy"
    if isinstance(item, Achievement):
        return "achievement"
    if isinstance(item, Organisation):
        return "organisation"
    return "facility"


def resolve_domain(value: str) -> str:
    """A domain id from an id or a label in either language; KBQueryError lists the allowed ids."""
    key = value.strip()
    if key in DOMAINS:
        return key
    low = key.lower().replace("-", "_").replace(" ", "_")
    if low in DOMAINS:
        return low
    for did, (en, zh) in DOMAIN_LABELS.items():
        if key.lower() == en.lower() or key == zh:
            return did
    raise KBQueryError(f"unknown domain {value!r}; allowed: {', '.join(DOMAINS)}")


def resolve_region(value: str) -> str:
    region = normalise_region(value)
    if region is None:
        raise KBQueryError(
            f"unknown region {value!r}; use a province-level name such as {', '.join(list(REGIONS)[:6])} or 江苏"
        )
    return region


def resolve_kind(value: str) -> SearchKind:
    key = value.strip().lower()
    key = _KIND_ALIASES.get(key, _KIND_ALIASES.get(value.strip(), key))
    if key not in KINDS:
        raise KBQueryError(f"unknown kind {value!r}; allowed: {', '.join(KINDS)}")
    return cast(SearchKind, key)


def corpus_hash(sample_dir: Path) -> str:
    """Content hash of the bundled corpus files (records + policies)."""
    h = hashlib.sha256()
    for path in _sample_paths(sample_dir):
        h.update(path.relative_to(sample_dir).as_posix().encode())
        h.update(b"\x00")
        h.update(path.read_bytes())
        h.update(b"\x00")
    return h.hexdigest()


def _sample_paths(sample_dir: Path) -> list[Path]:
    paths = [sample_dir / name for name in SAMPLE_FILES if (sample_dir / name).is_file()]
    pol = sample_dir / "policies"
    if pol.is_dir():
        paths += sorted(
            p
            for p in pol.iterdir()
            # README.md describes the folder; it is not a policy document.
            if p.suffix.lower() in (".md", ".markdown", ".txt", ".pdf") and p.stem.upper() != "README"
        )
    return paths


# --- progress ----------------------------------------------------------------------------------
class _Progress:
    """A rich progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, enabled: bool | None) -> None:
        self._bar: Any = None
        if enabled is None:
            enabled = sys.stderr.isatty()
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )

    @contextmanager
    def task(self, description: str, total: int) -> Iterator[Callable[[int], None]]:
        if self._bar is None or total == 0:
            yield lambda n: None
            return
        with self._bar:
            tid = self._bar.add_task(description, total=total)
            yield lambda n: self._bar.advance(tid, n)


# --- snapshot ----------------------------------------------------------------------------------
@dataclass
class _Snapshot:
    generation: int
    records: dict[str, Record]
    index: HybridIndex
    filters: RecordFilters
    policies: dict[str, PolicyDocument]
    passages: list[tuple[str, int]]  # (doc id, section index) per passage row
    pindex: HybridIndex
    plangs: np.ndarray
    pdocs: np.ndarray
    by_kind: dict[str, list[Any]] = field(default_factory=dict)


def _row_meta(record: Record) -> RowMeta:
    if isinstance(record, Achievement):
        return RowMeta(
            "achievement", (record.domain,), record.trl, record.trl, record.region, record.owner_id
        )
    if isinstance(record, Organisation):
        lo = record.trl_min or 1
        hi = record.trl_max or 9
        return RowMeta("organisation", tuple(record.domains), lo, hi, record.region)
    return RowMeta("facility", tuple(record.domains), 0, 0, record.region, record.owner_id)


def _chroma_meta(record: Record, h: str) -> Metadata:
    meta = _row_meta(record)
    out: Metadata = {"kind": meta.kind, "title": record.title, "region": record.region, "text_hash": h}
    if isinstance(record, Achievement):
        out.update({"domain": record.domain, "trl": record.trl, "owner_id": record.owner_id})
    else:
        if meta.domains:
            out["domains"] = list(meta.domains)
        if isinstance(record, Organisation):
            out.update({"org_kind": record.kind, "trl_lo": meta.trl_lo, "trl_hi": meta.trl_hi})
        else:
            out.update({"facility_kind": record.kind, "owner_id": record.owner_id})
    return out


@lru_cache(maxsize=2048)
def _query_vec(text: str) -> np.ndarray:
    return encode([text])[0]


class KnowledgeBase:
    """Records, policy documents and hybrid search over them. Thread-safe; one per data dir."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        sample_dir: Path | None = None,
        progress: bool | None = None,
        dense_backend: Literal["numpy", "chroma"] = "numpy",
    ) -> None:
        self.settings = settings or get_settings()
        self.settings.ensure_dirs()
        self.sample_dir = (sample_dir or DEFAULT_SAMPLE_DIR).resolve()
        # With a Chroma server the server's index answers dense queries and no process keeps
        # the (n, 512) matrix: a snapshot is records + BM25 + filter masks, cheap to rebuild
        # when another process ingests.
        self.remote = bool(self.settings.chroma_url)
        self.dense_backend: Literal["numpy", "chroma"] = "chroma" if self.remote else dense_backend
        self.sample_errors: list[str] = []
        self._lock = threading.RLock()
        self._progress = _Progress(progress)
        self.store = RecordStore(self.settings.db_path, database_url=self.settings.database_url)
        self.freshness_s = 1.0 if self.store.backend == "postgres" else 0.0
        self._checked_at = 0.0
        # Which Chroma the stored `chroma_generation` speaks for: records shared in PostgreSQL
        # with an embedded Chroma per machine need one marker per machine's store.
        self._chroma_key = (
            "chroma_generation"
            if self.store.backend == "sqlite" or self.settings.chroma_url
            else f"chroma_generation:{socket.gethostname()}:{self.settings.chroma_path.resolve()}"
        )
        set_model_cache_dir(self.settings.data_dir / "cache")
        self.cache = EmbeddingCache(self.settings.data_dir / "embeddings.sqlite")
        self.chroma = ChromaStore(self.settings)
        self._snap: _Snapshot
        self._open()

    # --- lifecycle ---------------------------------------------------------------------------
    def _open(self, force: bool = False) -> None:
        with self._lock:
            if self.store.meta("index_version") != INDEX_VERSION:
                self._rederive()
            digest = corpus_hash(self.sample_dir)
            built = force or self.store.meta("corpus_hash") != digest
            if built:
                self._load_sample(digest)
            items = self.store.items()
            snap = self._build(items)
            if built:
                self._warm_tool_texts(snap)
            # Chroma is checked (and chromadb imported, ~1 s) only when it may lag SQLite: a
            # different generation, or its files are gone. Search runs on the in-memory snapshot.
            if (
                force
                or self.store.meta(self._chroma_key) != str(snap.generation)
                or not self._chroma_present()
                or (self.settings.chroma_url and not self._chroma_counts_ok(snap))
            ):
                self._sync_chroma(snap)
            self._snap = snap

    def _warm_tool_texts(self, snap: _Snapshot) -> None:
        """Embed, once per (re)build, the short texts the matching tools embed on first use:
        achievement titles and organisation needs / capabilities (~1,000 texts, ~1 s for the
        bundled corpus). Without this the first `chengguo ask` after setup paid for them (~7 s
        under load); later processes read them from the disk cache either way. Not done per
        ingest: there it would cost throughput for texts the tools may never ask for.
        """
        texts: list[str] = []
        for rec in snap.records.values():
            if isinstance(rec, Achievement):
                texts.append(rec.title)
            elif isinstance(rec, Organisation):
                texts.extend(rec.needs)
                if rec.capabilities:
                    texts.append(rec.capabilities)
        with self._progress.task("Embedding / 向量化", len(texts)) as advance:
            self.cache.embed(list(dict.fromkeys(texts)), on_batch=advance)

    def close(self) -> None:
        self.store.close()
        self.cache.close()

    def rebuild(self) -> dict[str, int]:
        """Drop and rebuild the vector collections and the sample rows; returns stats()."""
        with self._lock:
            self.chroma.reset()
            self.store.set_meta("corpus_hash", "")
            self._open(force=True)
        return self.stats()

    def _rederive(self) -> None:
        items = self.store.items()
        updates = []
        with self._progress.task("Re-indexing records / 重建索引", len(items)) as advance:
            for it in items:
                model = self._model(it)
                if model is not None:
                    updates.append((it.id, _derive(model)))
                advance(1)
        self.store.update_derived(updates, INDEX_VERSION)

    def _load_sample(self, digest: str) -> None:
        self.sample_errors = []
        items: list[StoredItem] = []
        paths = _sample_paths(self.sample_dir)
        with self._progress.task("Reading sample corpus / 读取样例语料", len(paths)) as advance:
            for path in paths:
                parsed = parse_file(path, label=str(path.relative_to(self.sample_dir.parent)))
                self.sample_errors.extend(str(e) for e in parsed.errors)
                for _line, model in parsed.items:
                    items.append(
                        StoredItem(
                            str(model.id),
                            _kind(model),
                            "sample",
                            model.model_dump(mode="json"),
                            _derive(model),
                        )
                    )
                advance(1)
        if self.sample_errors:
            print(
                f"warning: {len(self.sample_errors)} invalid row(s) in the bundled corpus were skipped; first: "
                f"{self.sample_errors[0]}",
                file=sys.stderr,
            )
        self.store.replace_sample(items, digest)

    @staticmethod
    def _model(item: StoredItem) -> Record | PolicyDocument | None:
        if item.kind == "policy":
            return PolicyDocument.model_validate(item.data)
        model = _MODEL_OF.get(item.kind)
        return None if model is None else model.model_validate(item.data)

    def _build(self, items: Sequence[StoredItem]) -> _Snapshot:
        generation = self.store.generation
        records: dict[str, Record] = {}
        rec_tokens: list[list[str]] = []
        rec_texts: list[str] = []
        rec_heads: list[str] = []
        policies: dict[str, PolicyDocument] = {}
        passages: list[tuple[str, int]] = []
        p_tokens: list[list[str]] = []
        p_texts: list[str] = []
        for it in items:
            model = self._model(it)
            if isinstance(model, PolicyDocument):
                policies[model.id] = model
                derived = it.derived.get("passages", [])
                for i, section in enumerate(model.sections):
                    passages.append((model.id, i))
                    p_texts.append(passage_text(model, section))
                    p_tokens.append(
                        derived[i]["t"].split() if i < len(derived) else passage_tokens(model, section)
                    )
            elif model is not None:
                records[model.id] = model
                rec_texts.append(record_embed_text(model))
                rec_heads.append(record_head(model))
                rec_tokens.append(it.derived["t"].split())
        rec_matrix: np.ndarray | None = None
        p_matrix: np.ndarray | None = None
        if not self.remote:
            with self._progress.task("Embedding / 向量化", 2 * len(rec_texts) + len(p_texts)) as advance:
                rec_matrix = self._record_vectors(rec_texts, rec_heads, advance)
                p_matrix = self.cache.embed(p_texts, on_batch=advance)
        ids = list(records)
        return _Snapshot(
            generation=generation,
            records=records,
            index=HybridIndex(ids, rec_matrix, rec_tokens),
            filters=RecordFilters([_row_meta(records[i]) for i in ids]),
            policies=policies,
            passages=passages,
            pindex=HybridIndex([f"{d}::{i:03d}" for d, i in passages], p_matrix, p_tokens),
            plangs=np.array([policies[d].lang or "" for d, _ in passages], dtype=object),
            pdocs=np.array([d for d, _ in passages], dtype=object),
        )

    def _chroma_present(self) -> bool:
        """Cheap check that the on-disk Chroma store exists (always True for a Chroma server)."""
        if self.settings.chroma_url:
            return True
        return (self.settings.chroma_path / "chroma.sqlite3").is_file()

    def _chroma_counts_ok(self, snap: _Snapshot) -> bool:
        counts = {k: 0 for k in KINDS}
        for r in snap.records.values():
            counts[_kind(r)] += 1
        try:
            return all(self.chroma.count(k) == n for k, n in counts.items()) and self.chroma.count(
                "passage"
            ) == len(snap.passages)
        except Exception:  # a missing / unreadable collection means "rebuild it"
            return False

    def _chroma_rows(
        self, snap: _Snapshot, ids: Iterable[str] | None = None, doc_ids: Iterable[str] | None = None
    ) -> dict[str, tuple[list[str], list[int], list[Metadata], list[str]]]:
        """Rows to write per collection: (ids, snapshot rows, metadata, documents)."""
        out: dict[str, tuple[list[str], list[int], list[Metadata], list[str]]] = {
            k: ([], [], [], []) for k in (*KINDS, "passage")
        }
        wanted = None if ids is None else set(ids)
        for rid in snap.index.ids if wanted is None else [i for i in snap.index.ids if i in wanted]:
            rec = snap.records[rid]
            row = snap.index.pos[rid]
            text = record_text(rec)
            bucket = out[_kind(rec)]
            bucket[0].append(rid)
            bucket[1].append(row)
            bucket[2].append(_chroma_meta(rec, record_vector_key(rec)))
            bucket[3].append(text)
        docs = None if doc_ids is None else set(doc_ids)
        for row, (doc_id, i) in enumerate(snap.passages):
            if docs is not None and doc_id not in docs:
                continue
            doc = snap.policies[doc_id]
            sec = doc.sections[i]
            text = passage_text(doc, sec)
            bucket = out["passage"]
            bucket[0].append(snap.pindex.ids[row])
            bucket[1].append(row)
            bucket[2].append(
                {
                    "doc_id": doc_id,
                    "section_ref": sec.ref,
                    "lang": doc.lang or "",
                    "title": doc.title,
                    "text_hash": text_hash(text),
                }
            )
            bucket[3].append(text)
        return out

    def _sync_chroma(self, snap: _Snapshot) -> None:
        """Make every collection hold exactly the snapshot's rows (upsert stale, delete extra)."""
        rows = self._chroma_rows(snap)
        total = sum(len(v[0]) for v in rows.values())
        with self._progress.task("Writing vector index / 写入向量索引", total) as advance:
            for key, (ids, idx, metas, docs) in rows.items():
                have = self.chroma.hashes(key)
                stale = [j for j, rid in enumerate(ids) if have.get(rid) != metas[j]["text_hash"]]
                if stale:
                    self.chroma.upsert(
                        key,
                        [ids[j] for j in stale],
                        self._vectors(snap, key, [idx[j] for j in stale]),
                        [metas[j] for j in stale],
                        [docs[j] for j in stale],
                    )
                self.chroma.delete(key, sorted(set(have) - set(ids)))
                advance(len(ids))
        self.store.set_meta(self._chroma_key, str(snap.generation))

    def _record_vectors(
        self, texts: list[str], heads: list[str], advance: Callable[[int], None] | None = None
    ) -> np.ndarray:
        # A record's vector is the normalised sum of its full text's and its head's
        # embeddings: the short head keeps the title's meaning from being diluted by a long
        # summary (+1.5 points dense recall@10 on the labelled set, see docs/knowledge.md).
        matrix = self.cache.embed(texts, on_batch=advance) + self.cache.embed(heads, on_batch=advance)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.asarray(matrix / norms, dtype=np.float32)

    def _vectors(self, snap: _Snapshot, key: str, rows: list[int]) -> np.ndarray:
        """The vectors of snapshot rows to write to Chroma: from the snapshot's matrix, or (a
        Chroma server, no matrix here) embedded now through the disk cache — only the rows
        being written, so a writer never embeds the whole corpus to add a few records."""
        index = snap.pindex if key == "passage" else snap.index
        if index.matrix is not None:
            return index.matrix[rows]
        if key == "passage":
            texts = []
            for r in rows:
                doc_id, i = snap.passages[r]
                doc = snap.policies[doc_id]
                texts.append(passage_text(doc, doc.sections[i]))
            return self.cache.embed(texts)
        recs = [snap.records[index.ids[r]] for r in rows]
        return self._record_vectors([record_embed_text(r) for r in recs], [record_head(r) for r in recs])

    def _fresh(self) -> _Snapshot:
        """The current snapshot, reloaded first if another process wrote to the store.

        SQLite: the generation is read on every call (an indexed lookup, ~20 µs). PostgreSQL: a
        round trip (~0.3 ms) that a turn's hundreds of `get`s would multiply, so it is read at
        most every `freshness_s` seconds: another machine's ingest shows within that time.
        """
        snap = self._snap
        now = time.monotonic()
        if now - self._checked_at < self.freshness_s:
            return snap
        self._checked_at = now
        if self.store.generation != snap.generation:
            with self._lock:
                if self.store.generation != self._snap.generation:
                    self._snap = self._build(self.store.items())
            snap = self._snap
        return snap

    # --- reads -------------------------------------------------------------------------------
    def get(self, record_id: str) -> Achievement | Organisation | Facility | None:
        """A record by id (case-insensitive on the prefix), or None."""
        records = self._fresh().records
        rec = records.get(record_id.strip())
        if rec is None and "-" in record_id:
            prefix, rest = record_id.strip().split("-", 1)
            rec = records.get(f"{prefix.upper()}-{rest}")
        return rec

    def records(self, kind: str) -> list[Any]:
        """Every record of `kind` ("achievement" | "organisation" | "facility"), sorted by id."""
        k = resolve_kind(kind)
        snap = self._fresh()
        # Sorted once per snapshot (snapshots are immutable); callers get their own list.
        by_kind = snap.by_kind.get(k)
        if by_kind is None:
            by_kind = snap.by_kind[k] = sorted(
                (r for r in snap.records.values() if _kind(r) == k), key=lambda r: r.id
            )
        return list(by_kind)

    def name_pairs(self) -> tuple[tuple[str, str], ...]:
        """(name, id) of every organisation and facility, built once per snapshot: the planner
        looks names up in every plan and answer of a turn."""
        snap = self._fresh()
        cached = snap.by_kind.get("_name_pairs")
        if cached is None:
            cached = snap.by_kind["_name_pairs"] = [
                (rec.name, rec.id)
                for kind in ("organisation", "facility")
                for rec in self.records(kind)
                if isinstance(getattr(rec, "name", None), str) and rec.name
            ]
        return tuple(cached)

    def policies(self) -> list[PolicyDocument]:
        return sorted(self._fresh().policies.values(), key=lambda d: d.id)

    def policy(self, doc_id: str) -> PolicyDocument | None:
        return self._fresh().policies.get(doc_id.strip())

    def has(self, record_id: str) -> bool:
        return record_id in self._fresh().records

    def stats(self) -> dict[str, int]:
        """Counts keyed by kind, including policy documents and their passages."""
        snap = self._fresh()
        out = {k: 0 for k in KINDS}
        for r in snap.records.values():
            out[_kind(r)] += 1
        out["policy"] = len(snap.policies)
        out["policy_passage"] = len(snap.passages)
        return out

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embeddings of `texts` with the shared encoder: (n, 512) float32, L2-normalised rows."""
        # Through the disk cache + process memo: tools embed every organisation / achievement text
        # per KB, and eval runs open one KB per task copy of the same data.
        return self.cache.embed(texts)

    # --- search ------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        kind: str | None = None,
        domain: str | None = None,
        trl_min: int | None = None,
        trl_max: int | None = None,
        region: str | None = None,
        owners: Sequence[str] = (),
        k: int = 10,
        mode: SearchMode = "hybrid",
    ) -> list[SearchHit]:
        """Hybrid (dense + BM25, RRF-fused) search over records with metadata filters. `owners`: only
        records owned by these organisations (achievements, facilities); with owners the query may be
        empty, which lists their records (highest TRL first)."""
        query = (query or "").strip()
        if not query and not owners:
            raise KBQueryError("the query is empty")
        if mode not in ("hybrid", "dense", "bm25"):
            raise KBQueryError(f"unknown mode {mode!r}; allowed: hybrid, dense, bm25")
        if k < 1:
            raise KBQueryError("k must be at least 1")
        kind_id = resolve_kind(kind) if kind else None
        domain_id = resolve_domain(domain) if domain else None
        region_id = resolve_region(region) if region else None
        for name, val in (("trl_min", trl_min), ("trl_max", trl_max)):
            if val is not None and not 1 <= val <= 9:
                raise KBQueryError(f"{name} must be between 1 and 9 (got {val})")
        if trl_min is not None and trl_max is not None and trl_min > trl_max:
            raise KBQueryError(f"trl_min ({trl_min}) is greater than trl_max ({trl_max})")

        snap = self._fresh()
        mask = snap.filters.mask(
            kind=kind_id, domain=domain_id, trl_min=trl_min, trl_max=trl_max, region=region_id, owners=owners
        )
        if not query:
            return self._listed(snap, mask, k)
        n = max(CANDIDATES, k)
        dense: list[tuple[int, float]] = []
        keyword: list[tuple[int, float]] = []
        qtokens: list[str] = []
        if mode in ("hybrid", "dense"):
            qvec = _query_vec(query)
            if self.dense_backend == "chroma":
                dense = self._chroma_dense(
                    snap, qvec, n, kind_id, domain_id, trl_min, trl_max, region_id, tuple(owners)
                )
            else:
                dense = snap.index.dense(qvec, mask, n)
        if mode in ("hybrid", "bm25"):
            qtokens = tokenize(query)
            keyword = snap.index.keyword(qtokens, mask, n)
        if mode == "dense":
            ranked = [(row, s, [r, None]) for r, (row, s) in enumerate(dense, start=1)]
        elif mode == "bm25":
            ranked = [(row, s, [None, r]) for r, (row, s) in enumerate(keyword, start=1)]
        else:
            ranked = snap.index.fuse(dense, keyword, qtokens)
        dense_scores = dict(dense)
        bm25_scores = dict(keyword)
        hits = []
        for row, score, ranks in ranked[:k]:
            rid = snap.index.ids[row]
            hits.append(
                self._hit(
                    snap.records[rid],
                    score,
                    ranks,
                    dense_scores.get(row),
                    bm25_scores.get(row),
                    query,
                    qtokens,
                )
            )
        return hits

    def _chroma_dense(
        self,
        snap: _Snapshot,
        qvec: np.ndarray,
        n: int,
        kind: str | None,
        domain: str | None,
        trl_min: int | None,
        trl_max: int | None,
        region: str | None,
        owners: tuple[str, ...] = (),
    ) -> list[tuple[int, float]]:
        """Dense ranking through Chroma's own filtered query (for parity checks and benches)."""
        found: list[tuple[int, float]] = []
        for key in [kind] if kind else list(KINDS):
            clauses: list[dict[str, Any]] = []
            if owners:
                if key == "organisation":
                    continue  # organisations have no owner
                clauses.append({"owner_id": {"$in": list(owners)}})
            if region:
                clauses.append({"region": region})
            if domain:
                clauses.append(
                    {"domain": domain} if key == "achievement" else {"domains": {"$contains": domain}}
                )
            if trl_min is not None or trl_max is not None:
                lo, hi = trl_min or 1, trl_max or 9
                if key == "achievement":
                    clauses += [{"trl": {"$gte": lo}}, {"trl": {"$lte": hi}}]
                elif key == "organisation":
                    clauses += [{"trl_lo": {"$lte": hi}}, {"trl_hi": {"$gte": lo}}]
                else:
                    continue
            where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
            for rid, sim in self.chroma.query(key, qvec, n, where):
                if rid in snap.index.pos:
                    found.append((snap.index.pos[rid], sim))
        found.sort(key=lambda t: -t[1])
        return found[:n]

    def _listed(self, snap: _Snapshot, mask: np.ndarray | None, k: int) -> list[SearchHit]:
        """The rows `mask` lets through, without a query: highest TRL first, then by id."""
        rows = range(len(snap.index.ids)) if mask is None else np.flatnonzero(mask).tolist()
        recs = [snap.records[snap.index.ids[r]] for r in rows]
        recs.sort(key=lambda r: (-(getattr(r, "trl", 0) or 0), r.id))
        return [self._hit(rec, 0.0, [None, None], None, None, "", []) for rec in recs[:k]]

    def _chroma_passages(
        self, snap: _Snapshot, qvec: np.ndarray, n: int, lang: str | None, doc_id: str | None
    ) -> list[tuple[int, float]]:
        """Dense ranking of policy passages through Chroma's filtered query."""
        clauses: list[dict[str, Any]] = []
        if lang is not None:
            clauses.append({"lang": lang})
        if doc_id is not None:
            clauses.append({"doc_id": doc_id})
        where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
        pos = snap.pindex.pos
        return [(pos[pid], sim) for pid, sim in self.chroma.query("passage", qvec, n, where) if pid in pos]

    @staticmethod
    def _hit(
        rec: Record,
        score: float,
        ranks: list[int | None],
        dense_score: float | None,
        bm25_score: float | None,
        query: str,
        qtokens: list[str],
    ) -> SearchHit:
        if isinstance(rec, Achievement):
            body, domains, trl, owner = rec.summary, [rec.domain], rec.trl, rec.owner_id
        elif isinstance(rec, Organisation):
            body = rec.capabilities or "；".join(rec.needs)
            domains, trl, owner = list(rec.domains), None, None
        else:
            body = "; ".join(rec.processes) + (f" — {rec.capacity}" if rec.capacity else "")
            domains, trl, owner = list(rec.domains), None, rec.owner_id
        return SearchHit(
            id=rec.id,
            kind=cast(SearchKind, _kind(rec)),
            title=rec.title,
            score=round(float(score), 6),
            snippet=snippet(body, qtokens or tokenize(query)),
            domain=domains[0] if domains else None,
            domains=domains,
            region=rec.region,
            trl=trl,
            owner_id=owner,
            dense_rank=ranks[0],
            bm25_rank=ranks[1],
            dense_score=None if dense_score is None else round(dense_score, 6),
            bm25_score=None if bm25_score is None else round(bm25_score, 6),
        )

    def search_policies(
        self, query: str, *, k: int = 5, lang: str | None = None, doc_id: str | None = None
    ) -> list[PolicyHit]:
        """Policy passages for `query` (hybrid), optionally in one language or one document."""
        query = (query or "").strip()
        if not query:
            raise KBQueryError("the query is empty")
        if lang is not None and lang not in ("zh", "en"):
            raise KBQueryError(f"unknown lang {lang!r}; allowed: zh, en")
        snap = self._fresh()
        if doc_id is not None and doc_id not in snap.policies:
            raise KBQueryError(
                f"unknown policy document {doc_id!r}; known: {', '.join(sorted(snap.policies)) or '(none)'}"
            )
        mask = None
        if lang is not None or doc_id is not None:
            mask = np.ones(len(snap.passages), dtype=bool)
            if lang is not None:
                mask &= snap.plangs == lang
            if doc_id is not None:
                mask &= snap.pdocs == doc_id
        n = max(CANDIDATES, k)
        qtokens = tokenize(query)
        if self.dense_backend == "chroma":
            dense = self._chroma_passages(snap, _query_vec(query), n, lang, doc_id)
        else:
            dense = snap.pindex.dense(_query_vec(query), mask, n)
        keyword = snap.pindex.keyword(qtokens, mask, n)
        out = []
        for row, score, ranks in snap.pindex.fuse(dense, keyword, qtokens)[:k]:
            d, i = snap.passages[row]
            doc = snap.policies[d]
            sec = doc.sections[i]
            out.append(
                PolicyHit(
                    doc_id=doc.id,
                    title=doc.title,
                    section_ref=sec.ref,
                    heading=sec.heading,
                    issuer=doc.issuer,
                    year=doc.year,
                    jurisdiction=doc.jurisdiction,
                    url=doc.url,
                    lang=doc.lang or "",
                    text=sec.text,
                    score=round(score, 6),
                    dense_rank=ranks[0],
                    bm25_rank=ranks[1],
                )
            )
        return out

    # --- writes ------------------------------------------------------------------------------
    def upsert(self, records: Sequence[Record | PolicyDocument], *, source: str = "ingest") -> int:
        """Insert or replace records / policy documents by id; returns how many were written.

        SQLite is written in one transaction first (the source of truth), then Chroma and the
        in-memory snapshot. If the process dies in between, the next open re-syncs Chroma.
        """
        if not records:
            return 0
        items = [
            StoredItem(str(r.id), _kind(r), source, r.model_dump(mode="json"), _derive(r)) for r in records
        ]
        with self._lock:
            old = self._fresh()
            self.store.upsert(items)
            snap = self._build(self.store.items())
            rec_ids = [i.id for i in items if i.kind != "policy"]
            doc_ids = [i.id for i in items if i.kind == "policy"]
            chroma_in_step = self.store.meta(self._chroma_key) == str(old.generation)
            if chroma_in_step:
                rows = self._chroma_rows(snap, ids=rec_ids, doc_ids=doc_ids)
                for key, (ids, idx, metas, docs) in rows.items():
                    if ids:
                        self.chroma.upsert(key, ids, self._vectors(snap, key, idx), metas, docs)
                # A re-ingested document may have fewer sections than before.
                gone = [
                    pid
                    for pid in old.pindex.ids
                    if pid.split("::")[0] in set(doc_ids) and pid not in snap.pindex.pos
                ]
                self.chroma.delete("passage", gone)
                # A record whose kind changed cannot happen (ids carry the kind), so no cross-kind delete.
                self.store.set_meta(self._chroma_key, str(snap.generation))
            else:
                self._sync_chroma(snap)
            self._snap = snap
        return len(items)


_WORD_BOUNDARY = 60


def snippet(text: str, tokens: Sequence[str], width: int = 160) -> str:
    """A window of `text` around the first query token it contains (the start otherwise)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    low = text.lower()
    pos = -1
    for tok in sorted(set(tokens), key=len, reverse=True):
        if len(tok) < 2:
            continue
        pos = low.find(tok.lower())
        if pos >= 0:
            break
    start = 0 if pos < _WORD_BOUNDARY else pos - _WORD_BOUNDARY // 2
    end = min(len(text), start + width)
    start = max(0, end - width)
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")


_KBS: dict[tuple[str, str, str, str], KnowledgeBase] = {}
_KBS_LOCK = threading.Lock()


def open_kb(
    settings: Settings | None = None, *, sample_dir: Path | None = None, progress: bool | None = None
) -> KnowledgeBase:
    """The knowledge base of `settings.data_dir` (one per process and data dir), built on first use.

    `sample_dir` points at another bundled corpus (tests); `progress` forces the progress bar
    on or off (default: on when stderr is a terminal).
    """
    settings = settings or get_settings()
    key = (
        str(settings.data_dir.resolve()),
        settings.chroma_url or "",
        str((sample_dir or DEFAULT_SAMPLE_DIR).resolve()),
        settings.database_url or "",
    )
    with _KBS_LOCK:
        kb = _KBS.get(key)
        if kb is None:
            kb = KnowledgeBase(settings, sample_dir=sample_dir, progress=progress)
            _KBS[key] = kb
        return kb


def close_all(data_dir: Path | None = None) -> None:
    """Close and forget cached knowledge bases (all, or those of `data_dir`)."""
    prefix = None if data_dir is None else str(data_dir.resolve())
    with _KBS_LOCK:
        for key in [k for k in _KBS if prefix is None or k[0] == prefix]:
            _KBS.pop(key).close()
