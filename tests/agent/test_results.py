"""Result helpers on the shapes the real tools return (citations, artifacts, summaries, quotes)."""

from __future__ import annotations

from typing import Any

from agent.planner import StepResult
from agent.results import (
    chunk_text,
    cited_in_text,
    gather_artifacts,
    gather_citations,
    quote_for,
    summarize_result,
)


def r(tool: str, result: dict[str, Any], args: dict[str, Any] | None = None, ok: bool = True) -> StepResult:
    return StepResult(step_id=f"s-{tool}", tool=tool, args=args or {}, ok=ok, result=result)


PARTNERS = {
    "ok": True,
    "achievement_id": "ACH-0042",
    "query": "固态电池",
    "matches": [
        {"org_id": "ORG-0007", "name": "华能储能", "total": 0.81, "reasons": []},
        {"org_id": "ORG-0003", "name": "Jiangsu Grid Co.", "total": 0.7, "reasons": []},
    ],
}
POLICIES = {
    "ok": True,
    "query": "tax",
    "passages": [
        {
            "doc_id": "CN-EIT-REG-2007",
            "title": "EIT Implementing Regulations",
            "section_ref": "Article 90",
            "heading": "Technology transfer",
            "url": None,
            "text": "...",
        },
        {
            "doc_id": "CN-EIT-REG-2007",
            "title": "EIT Implementing Regulations",
            "section_ref": "Article 90",
            "text": "dup",
        },
        {
            "doc_id": "CN-LAW-PTSTA-2015",
            "title": "Law on Promoting",
            "section_ref": "Article 45",
            "text": "...",
        },
    ],
}
AVAIL = {
    "ok": True,
    "earliest_start": "2026-12-01",
    "latest_end": "2027-01-01",
    "results": [
        {"facility_id": "FAC-0001", "name": "固态电池中试线", "daily_rate_cny": 38000.0, "windows": []}
    ],
    "first_available": {"start": "2026-12-06", "end": "2026-12-11", "days": 5, "quote_cny": 190000.0},
    "first_available_facility": "FAC-0001",
}


def test_citations_from_matches_policies_and_failures() -> None:
    cites = gather_citations(
        [
            r("find_partners", PARTNERS),
            r("search_policies", POLICIES),
            r("get_record", {"ok": False, "id": "ACH-9"}, ok=False),
        ]
    )
    assert [(c.id, c.ref) for c in cites] == [
        ("ACH-0042", None),
        ("ORG-0007", None),
        ("ORG-0003", None),
        ("CN-EIT-REG-2007", "Article 90"),
        ("CN-LAW-PTSTA-2015", "Article 45"),
    ]
    assert cites[1].title == "华能储能"
    assert [c.id for c in cited_in_text(cites, "推荐 ORG-0003，依据 CN-LAW-PTSTA-2015 第四十五条")] == [
        "ORG-0003",
        "CN-LAW-PTSTA-2015",
    ]
    assert cited_in_text(cites, "no ids here") == cites


def test_artifacts_from_term_sheet() -> None:
    sheet = {
        "ok": True,
        "summary": "Licence of ACH-0042",
        "artifacts": [
            {"kind": "term_sheet_md", "name": "ts.md", "path": "/o/ts.md"},
            {"kind": "term_sheet_docx", "name": "ts.docx", "path": "/o/ts.docx"},
        ],
    }
    arts = gather_artifacts([r("draft_term_sheet", sheet), r("draft_term_sheet", sheet)])
    assert [(a.kind, a.path) for a in arts] == [
        ("term_sheet_md", "/o/ts.md"),
        ("term_sheet_docx", "/o/ts.docx"),
    ]
    assert summarize_result("draft_term_sheet", True, sheet, "en") == "Licence of ACH-0042"


def test_summaries_are_one_line_in_the_reply_language() -> None:
    assert summarize_result("check_availability", True, AVAIL, "en") == (
        "1 checked; earliest window FAC-0001 2026-12-06 to 2026-12-11, quote RMB 190,000"
    )
    assert summarize_result("check_availability", True, AVAIL, "zh") == (
        "查询 1 个设施，最早空档 FAC-0001 2026-12-06 至 2026-12-11，报价 190,000 元"
    )
    none = {**AVAIL, "first_available": None, "first_available_facility": None}
    assert (
        summarize_result("check_availability", True, none, "en") == "1 checked; no free window in the range"
    )
    assert summarize_result("find_partners", True, PARTNERS, "en") == "2 matches; first: 华能储能 (ORG-0007)"
    assert summarize_result("find_partners", True, PARTNERS, "zh") == "找到 2 条，第一条：华能储能 (ORG-0007)"
    assert (
        summarize_result("search_policies", True, POLICIES, "en")
        == "3 passages; first: EIT Implementing Regulations Article 90"
    )
    err = {"ok": False, "code": "conflict", "message": "overlaps BK-1"}
    assert summarize_result("hold_slot", False, err, "en") == "failed: overlaps BK-1"
    assert summarize_result("search_achievements", True, {"ok": True, "hits": []}, "zh") == "没有找到结果"
    long = {"ok": True, "summary": "x " * 200}
    assert len(summarize_result("t", True, long, "en")) <= 120


def test_quote_for_a_hold_uses_the_reported_daily_rate() -> None:
    args = {"facility_id": "FAC-0001", "start": "2026-12-06", "end": "2026-12-11"}
    q = quote_for(args, [r("check_availability", AVAIL)])
    assert q == {
        "facility_id": "FAC-0001",
        "name": "固态电池中试线",
        "days": 5,
        "daily_rate_cny": 38000.0,
        "total_cny": 190000.0,
    }
    assert (
        quote_for(
            {"facility_id": "FAC-0001", "start": "2026-12-06", "days": 3}, [r("check_availability", AVAIL)]
        )["total_cny"]
        == 114000.0
    )
    assert (
        quote_for(
            {"facility_id": "FAC-0002", "start": "2026-12-06", "days": 3}, [r("check_availability", AVAIL)]
        )
        is None
    )
    booking = {"ok": True, "reference": "BK-1", "facility_id": "FAC-0001", "days": 5, "quote_cny": 190000.0}
    assert quote_for({"reference": "BK-1"}, [r("hold_slot", booking)]) == {
        "reference": "BK-1",
        "facility_id": "FAC-0001",
        "days": 5,
        "quote_cny": 190000.0,
    }


def test_chunks_rejoin_and_stay_small() -> None:
    text = "第一句话，说明情况。Second sentence, with words; and more words here.\n" * 3
    chunks = chunk_text(text)
    assert "".join(chunks) == text
    assert len(chunks) > 3 and all(len(c) <= 48 for c in chunks)
