"""The retrieval bench's metric code (the bench itself prints numbers; no timing asserts)."""

from __future__ import annotations

from pathlib import Path

from bench.retrieval import evaluate, load_set, synthetic_achievements
from knowledge.kb import KnowledgeBase

SET = Path(__file__).parent / "fixtures" / "corpus" / "retrieval_set.jsonl"


def test_evaluate_metrics(fixture_kb: KnowledgeBase) -> None:
    queries = load_set(SET)
    assert len(queries) == 5
    res = evaluate(fixture_kb, queries, ("dense", "bm25"))
    for mode in ("dense", "bm25"):
        # Recompute recall@10 and MRR by hand from the raw rankings.
        recalls, rrs = [], []
        for q in queries:
            found = [h.id for h in fixture_kb.search(q["query"], k=10, mode=mode)]  # type: ignore[arg-type]
            recalls.append(sum(r in found for r in q["relevant"]) / len(q["relevant"]))
            rrs.append(next((1 / i for i, f in enumerate(found, 1) if f in q["relevant"]), 0.0))
        assert res[mode]["all"]["recall@10"] == sum(recalls) / len(recalls)
        assert res[mode]["all"]["mrr"] == sum(rrs) / len(rrs)
    groups = {g for g in res["dense"] if g not in ("all", "latency_ms")}
    assert groups == {"zh", "en", "cross-lingual"}
    assert res["dense"]["zh"]["n"] == 2  # q5 has no group: inferred from the query language


def test_synthetic_records_are_new_and_valid(fixture_kb: KnowledgeBase) -> None:
    recs = synthetic_achievements(fixture_kb, 20)
    assert len({r.id for r in recs}) == 20 and all(fixture_kb.get(r.id) is None for r in recs)
    assert all(1 <= r.trl <= 9 for r in recs)
