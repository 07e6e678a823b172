"""Caches that keep a new process from redoing work: vectors, tokenizer / weights, jieba, imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from knowledge import bm25, embeddings
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter: any attempt to load the encoder raises, and the script reports
# whether chromadb got imported.
_CHILD = r"""
import json, sys
from pathlib import Path
from knowledge import embeddings
calls = []
def no_encoder():
    calls.append(1)
    raise RuntimeError("the encoder was loaded")
embeddings.get_encoder = no_encoder
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from tools.base import ToolContext
import tools.registry  # noqa: F401
from tools.base import REGISTRY
settings = Settings(data_dir=Path(sys.argv[1]))
kb = KnowledgeBase(settings, sample_dir=Path(sys.argv[2]), progress=False)
ctx = ToolContext(settings=settings, extra={"kb": kb})
out = REGISTRY["find_partners"].run({"achievement_id": "ACH-T001", "k": 3}, ctx)
print(json.dumps({
    "ok": out.ok,
    "matches": [m.org_id for m in out.matches],
    "encoder_loads": len(calls),
    "misses": kb.cache.misses,
    "chromadb": "chromadb" in sys.modules,
}))
"""


def test_a_second_process_embeds_nothing_and_skips_chromadb(tmp_path: Path) -> None:
    import tools.registry  # noqa: F401
    from tools.base import REGISTRY, ToolContext

    data = tmp_path / "data"
    settings = Settings(data_dir=data)
    kb = KnowledgeBase(settings, sample_dir=FIXTURE_CORPUS, progress=False)
    first = REGISTRY["find_partners"].run(
        {"achievement_id": "ACH-T001", "k": 3}, ToolContext(settings=settings, extra={"kb": kb})
    )
    kb.close()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(data), str(FIXTURE_CORPUS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    # Record vectors and the tool's texts (organisation needs, achievement text and title)
    # all come from the data dir's embedding cache; Chroma is in step, so it is not opened.
    assert got["encoder_loads"] == 0 and got["misses"] == 0
    assert got["chromadb"] is False
    assert got["matches"] == [m.org_id for m in first.matches]  # type: ignore[attr-defined]


def test_cli_help_does_not_import_chromadb() -> None:
    code = "import sys; import cli; print('chromadb' in sys.modules, 'langchain_openai' in sys.modules)"
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", "False"]


def test_cached_tokenizer_and_weights_give_identical_vectors(tmp_path: Path) -> None:
    texts = ["硫化物固态电解质中试", "a sodium-ion cathode pilot line", "技术转让 licence 5 years"]
    reference = embeddings.encode(texts)
    saved = (embeddings._encoder, embeddings._model_cache_dir)
    try:
        embeddings._model_cache_dir = tmp_path / "cache"
        for _ in range(2):  # first load writes the caches, second reads them
            embeddings._encoder = None
            again = embeddings.encode(texts)
            np.testing.assert_allclose(again, reference, atol=1e-6)
        names = sorted(p.name.split("-")[1] for p in (tmp_path / "cache").iterdir())
        assert names == ["tokenizer", "weights"]
        assert type(embeddings._encoder._sp).__name__ == "UsePureTokenizer"
    finally:
        embeddings._encoder, embeddings._model_cache_dir = saved


def test_parallel_encode_matches_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"pilot test {i} 中试线第{i}号 with some words" for i in range(embeddings.PARALLEL_MIN + 5)]
    monkeypatch.setattr(embeddings, "ENCODE_WORKERS", 2)
    parallel = embeddings.encode(texts)
    monkeypatch.setattr(embeddings, "ENCODE_WORKERS", 1)
    serial = embeddings.encode(texts)
    assert parallel.shape == (len(texts), 512)
    np.testing.assert_allclose(parallel, serial, atol=1e-5)  # same rows in the same order


def test_jieba_cache_tokenises_like_jieba(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jieba

    text = "中试基地的固态电池技术转让所得税优惠，碳捕集与氢能 solid-state batteries"
    expected = bm25.tokenize(text)  # jieba initialised the ordinary way (or from a cache)
    monkeypatch.setattr(embeddings, "_model_cache_dir", tmp_path)
    bm25._save_jieba_cache(jieba)
    fresh = jieba.Tokenizer()
    monkeypatch.setattr(jieba, "dt", fresh)
    assert bm25._load_jieba_cache(jieba) is True
    assert fresh.initialized and fresh.total == jieba.dt.total
    assert "固态电池" in fresh.FREQ and "中试基地" in fresh.FREQ  # our extra words came with it
    assert bm25.tokenize(text) == expected


def test_records_are_sorted_once_per_snapshot_and_copied(fresh_kb: KnowledgeBase) -> None:
    a = fresh_kb.records("achievement")
    a.clear()  # a caller's list is its own
    b = fresh_kb.records("achievement")
    assert b and [r.id for r in b] == sorted(r.id for r in b)
    rec = b[0]
    fresh_kb.upsert([rec.model_copy(update={"id": "ACH-T999", "title": "新增成果 added record"})])
    assert "ACH-T999" in [r.id for r in fresh_kb.records("achievement")]


def test_vectors_served_from_the_process_memo_are_written_to_each_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = embeddings.encode

    def counting(texts: list[str], batch: int = 256) -> np.ndarray:
        calls.append(len(texts))
        return real(texts, batch)

    monkeypatch.setattr(embeddings, "encode", counting)
    monkeypatch.setattr(embeddings, "_MEMO", embeddings.OrderedDict())
    texts = ["memo copy test 一", "memo copy test two"]
    one = embeddings.EmbeddingCache(tmp_path / "a" / "e.sqlite")
    first = one.embed(texts)
    two = embeddings.EmbeddingCache(tmp_path / "b" / "e.sqlite")
    np.testing.assert_array_equal(two.embed(texts), first)  # from the memo: no encoder call
    assert calls == [2]
    one.close()
    two.close()
    monkeypatch.setattr(embeddings, "_MEMO", embeddings.OrderedDict())  # a new process
    again = embeddings.EmbeddingCache(tmp_path / "b" / "e.sqlite")
    np.testing.assert_array_equal(again.embed(texts), first)
    assert calls == [2] and again.misses == 0
    again.close()
