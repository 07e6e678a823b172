"""Search, filters and lookups on the shared session indexes (read-only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.kb import KBQueryError, KnowledgeBase
from knowledge.models import Achievement, Organisation

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def _lines(name: str) -> int:
    return sum(1 for line in (FIXTURE_CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip())


def test_stats_and_lookups(fixture_kb: KnowledgeBase) -> None:
    stats = fixture_kb.stats()
    assert stats["achievement"] == _lines("achievements.jsonl")
    assert stats["organisation"] == _lines("organisations.jsonl")
    assert stats["facility"] == _lines("facilities.jsonl")
    assert stats["policy"] == 2
    assert stats["policy_passage"] == sum(len(d.sections) for d in fixture_kb.policies())
    rec = fixture_kb.get("ach-T002")  # prefix case does not matter
    assert isinstance(rec, Achievement) and rec.title.startswith("PEM electrolyser")
    assert fixture_kb.get("ACH-NOPE") is None
    orgs = fixture_kb.records("organisation")
    assert [o.id for o in orgs] == sorted(o.id for o in orgs) and all(
        isinstance(o, Organisation) for o in orgs
    )
    doc = fixture_kb.policy("CN-REG-EIT-2007-EN")
    assert doc is not None and [s.ref for s in doc.sections] == ["Article 90", "Article 93", "Article 95"]


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_modes_find_the_obvious_record(fixture_kb: KnowledgeBase, mode: str) -> None:
    hits = fixture_kb.search("flow battery frequency regulation", kind="achievement", k=3, mode=mode)  # type: ignore[arg-type]
    assert hits[0].id == "ACH-T004"
    assert hits[0].kind == "achievement" and hits[0].trl == 8 and hits[0].domain == "grid_storage"
    if mode == "dense":
        assert hits[0].dense_rank == 1 and hits[0].bm25_rank is None
    if mode == "bm25":
        assert hits[0].bm25_rank == 1 and hits[0].dense_rank is None
    if mode == "hybrid":
        assert hits[0].dense_rank is not None and hits[0].bm25_rank is not None
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_cross_lingual(fixture_kb: KnowledgeBase) -> None:
    # Chinese query, English record, and the other way round.
    zh = fixture_kb.search("质子交换膜电解水制氢", kind="achievement", k=3)
    assert "ACH-T002" in [h.id for h in zh]
    en = fixture_kb.search("amine carbon capture for coal power plants", kind="achievement", k=3)
    assert en[0].id == "ACH-T003"
    assert en[0].bm25_rank is None  # found by the dense ranker alone


def test_kind_filter(fixture_kb: KnowledgeBase) -> None:
    for kind in ("achievement", "organisation", "facility"):
        hits = fixture_kb.search("hydrogen 氢能", kind=kind, k=20)
        assert hits and {h.kind for h in hits} == {kind}
    assert {h.kind for h in fixture_kb.search("机构 organisations", kind="机构", k=5)} == {"organisation"}


def test_domain_filter_by_id_and_label(fixture_kb: KnowledgeBase) -> None:
    by_id = fixture_kb.search("battery 电池", domain="new_energy", k=20)
    by_zh = fixture_kb.search("battery 电池", domain="新能源", k=20)
    assert [h.id for h in by_id] == [h.id for h in by_zh]
    assert by_id and all("new_energy" in h.domains for h in by_id)
    assert {"ACH-T001", "ACH-T007", "FAC-T001", "ORG-T001", "ORG-T003"} == {h.id for h in by_id}


def test_trl_filter(fixture_kb: KnowledgeBase) -> None:
    hits = fixture_kb.search("battery hydrogen carbon 电池", kind="achievement", trl_min=6, trl_max=7, k=20)
    assert {h.id for h in hits} == {"ACH-T002", "ACH-T003", "ACH-T006", "ACH-T008"}
    # Organisations pass when their preferred range overlaps (or they state none); facilities have no TRL.
    mixed = fixture_kb.search("investment 投资", trl_min=8, k=50)
    kinds = {h.kind for h in mixed}
    assert "facility" not in kinds
    assert "ORG-T005" not in {h.id for h in mixed}  # prefers TRL 4-7
    assert "ORG-T003" in {h.id for h in mixed}  # prefers TRL 6-9


def test_region_filter_accepts_both_languages(fixture_kb: KnowledgeBase) -> None:
    en = fixture_kb.search("技术 technology", region="Beijing", k=50)
    zh = fixture_kb.search("技术 technology", region="北京市", k=50)
    assert [h.id for h in en] == [h.id for h in zh]
    assert en and all(h.region == "Beijing" for h in en)
    assert {"ACH-T002", "ACH-T003", "ACH-T008", "ORG-T002", "ORG-T003", "FAC-T002", "FAC-T003"} == {
        h.id for h in en
    }


def test_owner_filter_keeps_only_the_owners_records(fixture_kb: KnowledgeBase) -> None:
    hits = fixture_kb.search("battery 电池", kind="achievement", owners=["ORG-T001"], k=10)
    assert {h.id for h in hits} == {"ACH-T001", "ACH-T004", "ACH-T007"}
    assert all(h.owner_id == "ORG-T001" for h in hits)
    both = fixture_kb.search("hydrogen", kind="achievement", owners=["ORG-T001", "ORG-T002"], k=10)
    assert {h.id for h in both} == {"ACH-T001", "ACH-T004", "ACH-T007", "ACH-T002", "ACH-T008"}


def test_an_empty_query_with_owners_lists_their_records_highest_trl_first(fixture_kb: KnowledgeBase) -> None:
    hits = fixture_kb.search("", kind="achievement", owners=["ORG-T001"], k=10)
    assert [h.id for h in hits] == ["ACH-T004", "ACH-T001", "ACH-T007"]  # TRL 8, then 5 by id
    assert [h.id for h in fixture_kb.search(" ", kind="achievement", owners=["ORG-T001"], trl_max=5)] == [
        "ACH-T001",
        "ACH-T007",
    ]
    with pytest.raises(KBQueryError, match="empty"):
        fixture_kb.search("", kind="achievement")


def test_combined_filters(fixture_kb: KnowledgeBase) -> None:
    hits = fixture_kb.search(
        "hydrogen", kind="achievement", domain="hydrogen", region="北京", trl_min=7, k=10
    )
    assert [h.id for h in hits] == ["ACH-T008"]


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"domain": "quantum"}, "allowed: new_energy"),
        ({"region": "Atlantis"}, "unknown region"),
        ({"kind": "policy"}, "allowed: achievement"),
        ({"trl_min": 0}, "between 1 and 9"),
        ({"trl_min": 7, "trl_max": 3}, "greater than"),
        ({"mode": "fuzzy"}, "hybrid, dense, bm25"),
        ({"k": 0}, "at least 1"),
    ],
)
def test_bad_arguments_are_explained(
    fixture_kb: KnowledgeBase, kwargs: dict[str, object], needle: str
) -> None:
    with pytest.raises(KBQueryError, match=needle):
        fixture_kb.search("battery", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(KBQueryError, match="empty"):
        fixture_kb.search("   ")


def test_chroma_backend_agrees_with_numpy(fixture_kb: KnowledgeBase) -> None:
    fixture_kb.dense_backend = "chroma"
    try:
        via_chroma = fixture_kb.search("fuel cell for heavy trucks", kind="achievement", k=3, mode="dense")
        filtered = fixture_kb.search(
            "battery", domain="hydrogen", region="Beijing", trl_min=7, k=3, mode="dense"
        )
    finally:
        fixture_kb.dense_backend = "numpy"
    via_numpy = fixture_kb.search("fuel cell for heavy trucks", kind="achievement", k=3, mode="dense")
    assert [h.id for h in via_chroma] == [h.id for h in via_numpy]
    assert via_chroma[0].dense_score == pytest.approx(via_numpy[0].dense_score, abs=1e-3)
    assert {h.id for h in filtered} <= {"ACH-T008", "FAC-T002", "ORG-T002"}


def test_search_policies(fixture_kb: KnowledgeBase) -> None:
    hits = fixture_kb.search_policies("technology transfer income exempt RMB 5 million", k=3)
    top = hits[0]
    assert (top.doc_id, top.section_ref) == ("CN-REG-EIT-2007-EN", "Article 90")
    assert top.issuer and top.year == 2007 and top.lang == "en" and "5 million" in top.text
    zh = fixture_kb.search_policies("没有约定时，从转让净收入中提取多少奖励给完成人？", k=3, lang="zh")
    assert zh and all(h.lang == "zh" for h in zh)
    assert zh[0].section_ref == "第四十五条"
    # Cross-lingual: an English question finds the Chinese article when restricted to zh.
    cross = fixture_kb.search_policies("reward for the inventor team from licensing income", k=3, lang="zh")
    assert "第四十五条" in [h.section_ref for h in cross]
    one_doc = fixture_kb.search_policies("tax", doc_id="CN-REG-EIT-2007-EN", k=10)
    assert {h.doc_id for h in one_doc} == {"CN-REG-EIT-2007-EN"}
    with pytest.raises(KBQueryError, match="unknown policy document"):
        fixture_kb.search_policies("tax", doc_id="NOPE")


def test_hits_serialise(fixture_kb: KnowledgeBase) -> None:
    hit = fixture_kb.search("固态电池", k=1)[0]
    data = json.loads(hit.model_dump_json())
    assert {
        "id",
        "kind",
        "title",
        "score",
        "snippet",
        "domain",
        "region",
        "trl",
        "dense_rank",
        "bm25_rank",
    } <= set(data)
    assert len(hit.snippet) <= 162
