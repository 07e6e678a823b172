"""BuiltinPlanner.respond: answers from tool results only, with ids, citations, artifacts, in the reply language."""

from __future__ import annotations

import re
from typing import Any

from agent.builtin import BuiltinPlanner
from agent.planner import RespondInput, Response, StepResult
from tests.agent.builtin import synth
from tests.agent.builtin.synth import inp

ID = re.compile(r"\b(?:ACH|ORG|FAC)-\d{4}\b")


def answer(
    text: str,
    results: list[tuple[str, dict[str, Any], dict[str, Any]]],
    *,
    lang: str = "en",
    clarification: str | None = None,
    note: str = "",
    approvals: dict[int, str] | None = None,
) -> Response:
    steps = [
        StepResult(
            step_id=f"t1-s{i + 1}",
            tool=tool,
            args=args,
            ok=bool(res.get("ok", True)),
            result=res,
            turn=1,
            approval=(approvals or {}).get(i),
        )
        for i, (tool, args, res) in enumerate(results)
    ]
    base = inp(text, lang=lang, results=steps)
    return BuiltinPlanner().respond(RespondInput(**base.model_dump(), note=note, clarification=clarification))


def assert_citations_match_text(r: Response) -> None:
    """Every record id shown is cited, and every cited record id is shown."""
    shown = set(ID.findall(r.text))
    cited = {c.id for c in r.citations if ID.fullmatch(c.id)}
    assert shown == cited


def test_partners_with_scores_reasons_evidence_and_citations() -> None:
    res = synth.partners("ORG-0002", "ORG-0003")
    res["excluded"] = [
        {
            "id": "ORG-0004",
            "name": "Org 4",
            "kind": "investor",
            "reason": "only funds TRL >= 7",
            "potential": 0.8,
            "components": synth.comps().model_dump(),
        }
    ]
    r = answer("find partners for ACH-0001", [("find_partners", {"achievement_id": "ACH-0001"}, res)])
    assert "[ORG-0002]" in r.text and "0.90" in r.text
    assert "reason for ORG-0002" in r.text
    assert "We need solid electrolytes (ORG-0002)" in r.text
    assert "[ORG-0004]" in r.text and "only funds TRL >= 7" in r.text
    assert_citations_match_text(r)
    assert [c.id for c in r.citations][:3] == ["ACH-0001", "ORG-0002", "ORG-0003"]


def test_chinese_answer_for_chinese_turn() -> None:
    r = answer(
        "为ACH-0001寻找合作方",
        [("find_partners", {"achievement_id": "ACH-0001"}, synth.partners("ORG-0002"))],
        lang="zh",
    )
    assert "潜在合作方" in r.text and "得分" in r.text and "理由" in r.text
    assert "Partners for" not in r.text


def test_windows_with_quotes_and_earliest_later_window() -> None:
    res = synth.availability({"FAC-0001": ["2027-03-02"], "FAC-0003": []}, days=21, next_window="2027-05-01")
    r = answer("check", [("check_availability", {"facility_ids": ["FAC-0001", "FAC-0003"], "days": 21}, res)])
    assert "2027-03-02 to 2027-03-23" in r.text
    assert "21 days × RMB 50,000 = RMB 1.05M" in r.text
    assert "earliest later window is 2027-05-01" in r.text
    assert "hold the first window" in r.text  # what to say next
    assert_citations_match_text(r)
    zh = answer("查档期", [("check_availability", {"facility_id": "FAC-0001", "days": 21}, res)], lang="zh")
    assert "21 天 × 5万元 = 105万元" in zh.text and "最早可用窗口为 2027-05-01" in zh.text


def test_hold_reference_and_expiry() -> None:
    res = synth.hold("FAC-0001", "2027-03-02", 21, ref="BK-3F9A1C2E")
    r = answer(
        "hold it", [("hold_slot", {"facility_id": "FAC-0001", "start": "2027-03-02", "days": 21}, res)]
    )
    assert "BK-3F9A1C2E" in r.text and "expires" in r.text and "2026-11-29" in r.text
    assert "RMB 1.05M" in r.text
    assert "confirm the hold" in r.text


def test_rejected_hold_says_nothing_was_booked() -> None:
    err = synth.error("rejected", "Rejected by the user.")
    r = answer("hold it", [("hold_slot", {"facility_id": "FAC-0001"}, err)], approvals={0: "rejected"})
    assert "Hold rejected — nothing was booked." in r.text
    zh = answer(
        "预留", [("hold_slot", {"facility_id": "FAC-0001"}, err)], lang="zh", approvals={0: "rejected"}
    )
    assert "未预订任何档期" in zh.text


def test_tool_errors_in_plain_words() -> None:
    r = answer(
        "find partners for ACH-9999",
        [("find_partners", {"achievement_id": "ACH-9999"}, synth.error("unknown_id", "x", id="ACH-9999"))],
    )
    assert "no record ACH-9999" in r.text
    r = answer(
        "check",
        [
            (
                "check_availability",
                {"facility_id": "FAC-0001"},
                synth.error("past_dates", "x", today="2026-11-22"),
            )
        ],
    )
    assert "in the past (today is 2026-11-22)" in r.text
    zh = answer(
        "查",
        [
            (
                "check_availability",
                {"facility_id": "FAC-0001"},
                synth.error("past_dates", "x", today="2026-11-22"),
            )
        ],
        lang="zh",
    )
    assert "早于今天" in zh.text
    conflict = synth.error("conflict", "overlap", next_window={"start": "2027-04-01", "end": "2027-04-22"})
    r = answer("hold", [("hold_slot", {"facility_id": "FAC-0001"}, conflict)])
    assert "nothing was booked" in r.text and "2027-04-01 to 2027-04-22" in r.text


def test_policy_answer_quotes_with_doc_id_and_section() -> None:
    res = synth.policies(("CN-LAW-PTSTA-2015-EN", "Article 45"), ("CN-REG-EIT-2007-EN", "Article 90"))
    r = answer("How much must inventors get?", [("search_policies", {"query": "q"}, res)])
    assert "[CN-LAW-PTSTA-2015-EN, Article 45]" in r.text
    assert "“Text of Article 45”" in r.text
    assert {(c.id, c.ref) for c in r.citations} == {
        ("CN-LAW-PTSTA-2015-EN", "Article 45"),
        ("CN-REG-EIT-2007-EN", "Article 90"),
    }


def test_term_sheet_summary_findings_and_artifacts() -> None:
    sheet = {
        "ok": True,
        "deal_type": "exclusive_license",
        "achievement_id": "ACH-0001",
        "achievement_title": "Sulfide electrolyte",
        "licensor": {"id": "ORG-0001", "name": "Chenghu University"},
        "licensee": {"id": "ORG-0002", "name": "Zhongli Power"},
        "terms": {
            "royalty_rate_pct": 4.0,
            "term_years": 10,
            "inventor_share_pct": 50.0,
            "upfront_fee_cny": 5e6,
        },
        "totals": {"net_income": 3.2e7, "inventor_reward": 1.6e7, "tax": 1.2e6},
        "findings": [
            {
                "code": "art45_minimum",
                "severity": "info",
                "message": "Inventor share 50% meets the statutory minimum.",
                "citation": {"doc_id": "CN-LAW-PTSTA-2015-EN", "ref": "Article 45", "title": "Law"},
            },
            {
                "code": "eit",
                "severity": "warning",
                "message": "Income above RMB 5M is taxed at half rate.",
                "citation": {"doc_id": "CN-REG-EIT-2007-EN", "ref": "Article 90", "title": "EIT Regulations"},
            },
        ],
        "artifacts": [
            {"kind": "term_sheet_md", "name": "ts.en.md", "path": "/data/outputs/ts.en.md"},
            {"kind": "term_sheet_docx", "name": "ts.en.docx", "path": "/data/outputs/ts.en.docx"},
        ],
    }
    r = answer("draft", [("draft_term_sheet", {"deal_type": "exclusive_license"}, sheet)])
    assert "exclusive licence" in r.text and "[ACH-0001]" in r.text and "[ORG-0002]" in r.text
    assert "inventor team share 50%" in r.text and "royalty 4%" in r.text and "upfront RMB 5M" in r.text
    assert "[CN-LAW-PTSTA-2015-EN, Article 45]" in r.text and "[CN-REG-EIT-2007-EN, Article 90]" in r.text
    assert [a.kind for a in r.artifacts] == ["term_sheet_md", "term_sheet_docx"]
    assert "/data/outputs/ts.en.md" in r.text
    assert ("CN-REG-EIT-2007-EN", "Article 90") in {(c.id, c.ref) for c in r.citations}
    assert_citations_match_text(r)


def test_resolution_search_is_one_line() -> None:
    results = [
        (
            "search_achievements",
            {"query": "sulfide electrolyte"},
            synth.search_hits("ACH-0001", "ACH-0007", query="sulfide electrolyte"),
        ),
        ("find_partners", {"achievement_id": "ACH-0001"}, synth.partners("ORG-0002")),
    ]
    r = answer("find who would license my sulfide electrolyte", results)
    assert "I took “sulfide electrolyte” to be [ACH-0001]" in r.text
    assert "ACH-0007" not in r.text  # the runner-up is not presented as a result


def test_search_lists_hits() -> None:
    r = answer(
        "search hydrogen",
        [
            (
                "search_achievements",
                {"query": "hydrogen"},
                synth.search_hits("ACH-0003", "ACH-0010", domain="hydrogen"),
            )
        ],
    )
    assert "1. [ACH-0003]" in r.text and "2. [ACH-0010]" in r.text and "TRL 6" in r.text
    assert_citations_match_text(r)


def test_nothing_understood_gives_three_examples_in_the_users_language() -> None:
    en = answer("blah blah", [])
    assert "did not understand" in en.text
    assert len([ln for ln in en.text.splitlines() if ln.startswith("- ")]) == 3
    # Out of scope (the weather). "随便说点什么吧" (say anything) is now read as "what can you do?": the help answer.
    zh = answer("今天天气怎么样", [], lang="zh")
    assert "没有理解" in zh.text
    assert len([ln for ln in zh.text.splitlines() if ln.startswith("- ")]) == 3
    assert all(re.search(r"[\u4e00-\u9fff]", ln) for ln in zh.text.splitlines() if ln.startswith("- "))


def test_help_and_thanks() -> None:
    assert "For example" in answer("hello", []).text
    assert "did not understand" not in answer("hello", []).text
    assert "不客气" in answer("谢谢", [], lang="zh").text


def test_clarification_is_the_answer() -> None:
    q = "Which dates and how many days?"
    r = answer("hold FAC-0001", [], clarification=q)
    assert r.text == q


def test_graph_notes_are_kept_but_planner_bookkeeping_is_not() -> None:
    res = synth.search_hits("ACH-0003", domain="hydrogen")
    r = answer(
        "search hydrogen",
        [("search_achievements", {"query": "hydrogen"}, res)],
        note="Understood: search achievements. Stopped after 8 steps (the step limit for one turn).",
    )
    assert "Stopped after 8 steps" in r.text
    assert "Understood:" not in r.text
