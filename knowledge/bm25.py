"""Bilingual tokenisation and a fast BM25 (Okapi) keyword index.

Chinese runs are cut with jieba's search mode (words plus their sub-words, so "锂电池" also
matches "电池"); other runs become lower-cased alphanumeric words with a light plural fold.
The statistics (idf, document lengths) come from `rank_bm25.BM25Okapi`; scoring goes through
an inverted index instead of `get_scores`, which loops over every document in Python for each
query token and is too slow at 10,000 records. Both give identical scores (tested).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from rank_bm25 import BM25Okapi

# Bump when tokenisation changes: stored token lists are recomputed on the next open.
TOKENIZER_VERSION = "4"

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:[.\-+][a-z0-9]+)*")

# Domain words jieba's general dictionary cuts badly ("中试" -> 中/试验/证).
_EXTRA_WORDS = (
    "中试",
    "中试线",
    "中试基地",
    "成果转化",
    "技术成熟度",
    "科技成果",
    "许可",
    "作价入股",
    "碳捕集",
    "碳封存",
    "储能",
    "氢能",
    "电解槽",
    "质子交换膜",
    "膜电极",
    "燃料电池",
    "固态电池",
    "钙钛矿",
    "光伏",
    "风电",
    "芯片",
    "集成电路",
    "光刻",
    "封装",
    "大模型",
    "算力",
    "卫星",
    "无人机",
    "轨道交通",
    "动车组",
    "海工",
    "海上风电",
    "生物医药",
    "创新药",
    "疫苗",
    "机器人",
    "数控机床",
    "增材制造",
    "炼化",
    "催化剂",
    "分子筛",
    "新材料",
    "碳纤维",
    "石墨烯",
    "半导体",
)

_ZH_STOP_WORDS = (
    "的 了 和 与 及 或 在 是 为 对 于 等 以 将 可 中 其 该 并 由 从 被 把 也 都 而 且 之 个 一种 一个 "
    "我们 你们 有 有关 相关 进行 通过 用于 可以 能够 如何 什么 哪些 哪个 是否 吗 呢 请 帮 找 查找 寻找 "
    "一下 需要 想 要"
)
_EN_STOP_WORDS = (
    "a an the and or of for to in on at by with from as is are was were be been being it its this that "
    "these those which who whom what how do does did can could should would will may might we our you "
    "your i me my they their them there here into onto over under about than then so such any all some "
    "find show me please need want looking look"
)
_ZH_STOP = frozenset(_ZH_STOP_WORDS.split(" "))
_EN_STOP = frozenset(_EN_STOP_WORDS.split(" "))

_init_lock = threading.Lock()
_initialised = False


def _ensure_jieba() -> None:
    """Initialise jieba once per process, quietly (it logs to stderr by default)."""
    global _initialised
    if _initialised:
        return
    with _init_lock:
        if _initialised:
            return
        import jieba

        jieba.setLogLevel(logging.WARNING)
        if not _load_jieba_cache(jieba):
            jieba.initialize()
            for word in _EXTRA_WORDS:
                jieba.add_word(word, freq=20000)
            _save_jieba_cache(jieba)
        _initialised = True


def ready_jieba() -> ModuleType:
    """jieba, initialised once per process with our words (`_ensure_jieba`): every reader gets it from here."""
    _ensure_jieba()
    import jieba

    return jieba


def _jieba_cache_file(jieba: Any) -> Path | None:
    from knowledge.embeddings import model_cache_dir

    cache_dir = model_cache_dir()
    if cache_dir is None or jieba.dt.dictionary != jieba.DEFAULT_DICT:
        return None
    h = hashlib.sha1()
    h.update(f"{jieba.__version__}|{jieba.__file__}|{sys.version_info[:2]}|".encode())
    h.update("\x1f".join(_EXTRA_WORDS).encode())
    return cache_dir / f"jieba-{h.hexdigest()[:16]}.pickle"


def _load_jieba_cache(jieba: Any) -> bool:
    """jieba's prefix dictionary (with our extra words) from a pickle: 0.2 s instead of 0.8 s.

    jieba's own marshal cache takes ~0.7 s to load (the same dict pickled loads in ~0.2 s) and
    adding the extra words another ~0.1 s. Derived data: any problem falls back to jieba's path.
    """
    try:
        path = _jieba_cache_file(jieba)
        if path is None or not path.is_file():
            return False
        with path.open("rb") as f:
            freq, total = pickle.load(f)
        if not isinstance(freq, dict) or not isinstance(total, int):
            return False
        dt = jieba.dt
        with dt.lock:
            dt.FREQ, dt.total = freq, total
            dt.initialized = True
        return True
    except Exception:
        return False


def _save_jieba_cache(jieba: Any) -> None:
    try:
        path = _jieba_cache_file(jieba)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump((jieba.dt.FREQ, jieba.dt.total), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # a cache is never worth failing a search for
        pass


def _fold(word: str) -> str:
    # A light plural fold ("batteries" -> "battery", "cells" -> "cell"); a real stemmer
    # over-merges technical words and the gain is in plurals.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _runs(text: str) -> Iterator[tuple[bool, str]]:
    """`text` cut into alternating (is_chinese, chunk) runs, in order."""
    pos = 0
    for match in _CJK_RUN.finditer(text):
        yield False, text[pos : match.start()]
        yield True, match.group()
        pos = match.end()
    yield False, text[pos:]


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: jieba search-mode words for Chinese, folded lower-case words otherwise."""
    jieba = ready_jieba()
    tokens: list[str] = []
    for cjk, chunk in _runs(text):
        if cjk:
            tokens.extend(w for w in jieba.cut_for_search(chunk) if w not in _ZH_STOP)
        else:
            _latin(chunk, tokens)
    return tokens


def words(text: str) -> list[str]:
    """Words in order: jieba's precise segmentation for Chinese runs, whitespace words otherwise
    (for matching phrases against word lists, not for the index)."""
    jieba = ready_jieba()
    out: list[str] = []
    for cjk, chunk in _runs(text):
        out.extend((w for w in jieba.lcut(chunk) if w.strip()) if cjk else chunk.split())
    return out


def _latin(chunk: str, out: list[str]) -> None:
    if not chunk:
        return
    for word in _WORD.findall(chunk.lower()):
        if word in _EN_STOP:
            continue
        out.append(_fold(word))
        if "-" in word:
            # "solid-state" also matches "solid state".
            out.extend(_fold(p) for p in word.split("-") if p and p not in _EN_STOP)


class BM25Index:
    """BM25 over pre-tokenised documents with inverted-index scoring."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self.size = len(docs)
        self.k1 = k1
        self.b = b
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._idf: dict[str, float] = {}
        if not self.size or not any(docs):
            return
        # rank_bm25 divides by zero on empty documents; give them a placeholder token.
        safe = [list(d) if d else ["\x00"] for d in docs]
        model = BM25Okapi(safe, k1=k1, b=b)
        self._idf = {t: float(v) for t, v in model.idf.items()}
        lengths = np.asarray(model.doc_len, dtype=np.float32)
        # Precompute the per-document length norm once: k1 * (1 - b + b * dl / avgdl).
        self._norm = (k1 * (1 - b + b * lengths / model.avgdl)).astype(np.float32)
        rows: dict[str, list[int]] = {}
        tfs: dict[str, list[int]] = {}
        for i, freqs in enumerate(model.doc_freqs):
            for term, tf in freqs.items():
                rows.setdefault(term, []).append(i)
                tfs.setdefault(term, []).append(tf)
        for term, idx in rows.items():
            self._postings[term] = (np.asarray(idx, dtype=np.int32), np.asarray(tfs[term], dtype=np.float32))

    def coverage(self, query_tokens: Sequence[str], rows: Sequence[int]) -> np.ndarray:
        """Share of the query's idf mass (over terms the index knows) that each of `rows` contains.

        Used to weight BM25's vote in fusion: a document that matches only a generic sub-word
        of the query ("电池" of "燃料电池重卡") should not outvote a strong semantic match.
        """
        terms = list(dict.fromkeys(query_tokens))
        out = np.zeros(len(rows), dtype=np.float32)
        if not terms or not len(rows) or not self.size:
            return out
        pos = {r: i for i, r in enumerate(rows)}
        # A term no document contains weighs as much as the rarest possible term: a query in
        # the other language is mostly such terms, and its few shared sub-words cover little.
        unseen = float(np.log((self.size + 0.5) / 0.5))
        total = 0.0
        for term in terms:
            posting = self._postings.get(term)
            if posting is None:
                total += unseen
                continue
            w = max(self._idf[term], 0.0)
            total += w
            for r in posting[0]:
                i = pos.get(int(r))
                if i is not None:
                    out[i] += w
        return out / total if total > 0 else out

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every document (same values as `BM25Okapi.get_scores`)."""
        out = np.zeros(self.size, dtype=np.float32)
        for term, count in Counter(query_tokens).items():
            posting = self._postings.get(term)
            if posting is None:
                continue
            idx, tf = posting
            out[idx] += count * self._idf[term] * (tf * (self.k1 + 1) / (tf + self._norm[idx]))
        return out
