"""The bundled sample corpus loads cleanly and the invariants hold on it (shared session index)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.retrieval import load_set
from knowledge.kb import DEFAULT_SAMPLE_DIR, KnowledgeBase
from knowledge.record_parse import parse_file
from knowledge.regions import REGIONS

pytestmark = pytest.mark.skipif(
    not (DEFAULT_SAMPLE_DIR / "achievements.jsonl").is_file(), reason="bundled corpus not generated yet"
)


def _policy_files() -> list[Path]:
    return sorted(p for p in (DEFAULT_SAMPLE_DIR / "policies").glob("*.md") if p.name != "README.md")


def _count(name: str) -> int:
    return sum(
        1 for line in (DEFAULT_SAMPLE_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip()
    )


def test_every_bundled_file_is_valid() -> None:
    paths = [
        DEFAULT_SAMPLE_DIR / n
        for n in ("organisations.jsonl", "achievements.jsonl", "facilities.jsonl", "bookings.jsonl")
    ]
    paths += _policy_files()
    for path in paths:
        parsed = parse_file(path)
        assert parsed.errors == [], [str(e) for e in parsed.errors[:5]]
        assert parsed.items


def test_counts_match_the_files(sample_kb: KnowledgeBase) -> None:
    assert sample_kb.sample_errors == []
    stats = sample_kb.stats()
    assert stats["achievement"] == _count("achievements.jsonl")
    assert stats["organisation"] == _count("organisations.jsonl")
    assert stats["facility"] == _count("facilities.jsonl")
    assert stats["policy"] == len(_policy_files())
    assert sample_kb.chroma.count("achievement") == stats["achievement"]
    assert sample_kb.chroma.count("passage") == stats["policy_passage"]


@pytest.mark.parametrize("region", ["北京", "Jiangsu", "广东省"])
def test_filters_hold_on_the_bundled_corpus(sample_kb: KnowledgeBase, region: str) -> None:
    hits = sample_kb.search("储能 battery energy storage", region=region, k=30)
    canonical = {"北京": "Beijing", "Jiangsu": "Jiangsu", "广东省": "Guangdong"}[region]
    assert all(h.region == canonical for h in hits)
    ach = sample_kb.search("hydrogen 氢", kind="achievement", domain="hydrogen", trl_min=4, trl_max=6, k=30)
    assert ach and all(
        h.kind == "achievement" and h.domain == "hydrogen" and 4 <= (h.trl or 0) <= 6 for h in ach
    )
    assert canonical in REGIONS


def test_cross_lingual_queries_find_their_records(sample_kb: KnowledgeBase) -> None:
    queries = [
        q for q in load_set(DEFAULT_SAMPLE_DIR / "retrieval_set.jsonl") if q["group"] == "cross-lingual"
    ]
    assert len(queries) >= 10
    found = 0
    for q in queries:
        ids = [h.id for h in sample_kb.search(q["query"], kind="achievement", k=10)]
        found += any(r in ids for r in q["relevant"])
    # Cross-lingual retrieval works for the large majority (BM25 alone finds almost none).
    assert found / len(queries) >= 0.8


def test_policy_citations_on_the_bundled_corpus(sample_kb: KnowledgeBase) -> None:
    hits = sample_kb.search_policies("technology transfer income exempt up to RMB 5 million", k=5, lang="en")
    assert any(h.section_ref in ("Article 90", "Art. 90") for h in hits)
    zh = sample_kb.search_policies("职务科技成果 转让 净收入 奖励 不低于50%", k=5, lang="zh")
    assert any(h.section_ref == "第四十五条" for h in zh)
    assert all(json.loads(h.model_dump_json())["doc_id"] for h in zh)
