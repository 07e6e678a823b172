"""Retrieval suites (loader over a labelled JSONL + recall@k / MRR) and term-sheet state checks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

import knowledge.kb
from evals.checks import CheckContext, check_run
from evals.loader import load_suite
from evals.report import markdown, summarise
from evals.runner import LoadedSuite, QueryRecord, RunOptions, run_suites
from evals.schema import Task
from evals.trajectory import Trajectory
from tests.evals.fakes import catalog, seed_only


@dataclass
class _Hit:
    id: str


@dataclass
class _PolicyHit:
    doc_id: str


class _FakeKB:
    """Fixed rankings per query, so the metrics are hand-checkable."""

    RANKS: ClassVar[dict[str, list[str]]] = {
        "sulfide": ["ACH-0001", "ORG-0002", "ORG-0003"],
        "investor": ["ORG-0002", "ORG-0003", "ORG-0004"],
        "nothing": ["ORG-0002"],
    }

    def search(self, query: str, **_: Any) -> list[_Hit]:
        return [_Hit(i) for i in self.RANKS[query]]

    def search_policies(self, query: str, **_: Any) -> list[_PolicyHit]:
        return [
            _PolicyHit("CN-LAW-PTSTA-2015-ZH"),
            _PolicyHit("CN-LAW-PTSTA-2015-ZH"),
            _PolicyHit("CN-LAW-PTSTA-2015-EN"),
        ]


def test_retrieval_suite_from_jsonl_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [
        {"id": "Q1", "query": "sulfide", "lang": "en", "kind": "achievement", "relevant": ["ACH-0001"]},
        {"id": "Q2", "query": "investor", "kind": "organisation", "relevant": ["ORG-0003", "ORG-0004"]},
        {"id": "Q3", "query": "nothing", "relevant": ["ACH-0001"]},
    ]
    (tmp_path / "set.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    suite = tmp_path / "r.yaml"
    suite.write_text(
        "suite: r\nkind: retrieval\nsource: set.jsonl\nk: [1, 2]\npass_at: 2\nqueries:\n"
        "  - {id: P1, kind: policy, query: art45, relevant: [CN-LAW-PTSTA-2015-EN]}\n",
        encoding="utf-8",
    )
    loaded = load_suite(suite)
    assert [q.id for q in loaded.queries] == ["P1", "Q1", "Q2", "Q3"]  # type: ignore[union-attr]

    monkeypatch.setattr(knowledge.kb, "open_kb", lambda *_a, **_k: _FakeKB())
    res = run_suites(
        [LoadedSuite(file=str(suite), suite=loaded)],
        RunOptions(out_dir=tmp_path / "o", work_dir=tmp_path / "w"),
        template_builder=seed_only,
        catalog=catalog,
    )
    recs = {r.query_id: r for r in res.records if isinstance(r, QueryRecord)}
    # P1: duplicates collapse to one doc each -> [ZH, EN]; the EN doc is at rank 2.
    assert recs["P1"].ranked == ["CN-LAW-PTSTA-2015-ZH", "CN-LAW-PTSTA-2015-EN"]
    assert (recs["P1"].rank, recs["P1"].rr, recs["P1"].passed) == (2, 0.5, True)
    assert recs["Q1"].recall == {"1": 1.0, "2": 1.0} and recs["Q1"].rr == 1.0
    assert recs["Q2"].recall == {"1": 0.0, "2": 0.5} and recs["Q2"].rr == 0.5
    assert recs["Q3"].passed is False and recs["Q3"].rr == 0.0
    (s,) = summarise(res.records)
    assert s.kind == "retrieval"
    assert s.recall == {"1": pytest.approx((0 + 1 + 0 + 0) / 4), "2": pytest.approx((1 + 1 + 0.5 + 0) / 4)}
    assert s.mrr == pytest.approx((0.5 + 1 + 0.5 + 0) / 4)
    assert s.pass_rate == 0.75
    assert "| 0.250 | 0.625 | 0.500 | 75.0% |" in markdown(res.records)


def _sheet(tmp_path: Path, **over: Any) -> dict[str, Any]:
    md = tmp_path / "ts.md"
    md.write_text("# term sheet", encoding="utf-8")
    sheet: dict[str, Any] = {
        "ok": True,
        "deal_type": "assignment",
        "terms": {"deal_type": "assignment", "inventor_rule": "unit_rule", "inventor_share_pct": 30.0},
        "findings": [
            {
                "code": "art45_minimum",
                "severity": "error",
                "message": "below Article 45",
                "citation": {"doc_id": "CN-LAW-PTSTA-2015-EN", "ref": "Article 45"},
            },
            {
                "code": "eit",
                "severity": "info",
                "message": "exempt",
                "citation": {"doc_id": "CN-REG-EIT-2007-EN", "ref": "Article 90"},
            },
        ],
        "compliant": False,
        "artifacts": [{"kind": "term_sheet_md", "name": "ts.md", "path": str(md)}],
    }
    sheet.update(over)
    return sheet


def _run_sheet(sheet: dict[str, Any], state: list[dict[str, Any]]) -> dict[str, tuple[bool, str]]:
    traj = Trajectory()
    traj.add(0, {"event": "plan", "data": {"steps": [{"id": "s1", "tool": "draft_term_sheet", "args": {}}]}})
    traj.add(
        0,
        {
            "event": "step",
            "data": {"step_id": "s1", "tool": "draft_term_sheet", "status": "done", "result": sheet},
        },
    )
    traj.add(0, {"event": "message", "data": {"text": "Drafted.", "lang": "en"}})
    task = Task.model_validate(
        {"id": "t", "language": "en", "turns": [{"user": "x"}], "criteria": {"state": state}}
    )
    return {
        r.name: (r.passed, r.message) for r in check_run(CheckContext(task=task, trajectory=traj, state=None))
    }


def test_term_sheet_checks(tmp_path: Path) -> None:
    below = _sheet(tmp_path)
    res = _run_sheet(
        below,
        [
            {"type": "term_sheet", "deal_type": "assignment"},
            {
                "type": "term_sheet",
                "inventor_share_min": False,
                "flagged_cites": "Article 45",
                "compliant": False,
            },
            {"type": "term_sheet", "inventor_share_min": False, "flagged_cites": ["Article 90"]},
            {"type": "term_sheet", "deal_type": "equity_investment"},
        ],
    )
    assert res["state[0] term_sheet assignment"][0] is False
    assert "30% is below the statutory minimum 50%" in res["state[0] term_sheet assignment"][1]
    assert res["state[1] term_sheet"] == (True, "assignment, inventor share 30%")
    assert res["state[2] term_sheet"][0] is False  # Article 90 only appears in an info finding
    assert res["state[3] term_sheet equity_investment"][0] is False

    # Joint implementation: 5% of operating profit is the statutory floor, not 50%.
    joint = _sheet(tmp_path, deal_type="joint_development", terms={"inventor_share_pct": 5.0}, compliant=True)
    res = _run_sheet(joint, [{"type": "term_sheet", "deal_type": "joint_development", "compliant": True}])
    assert res["state[0] term_sheet joint_development"][0] is True

    missing = _sheet(tmp_path, terms={"inventor_share_pct": 60.0})
    missing["artifacts"] = [{"kind": "term_sheet_md", "name": "x.md", "path": str(tmp_path / "gone.md")}]
    res = _run_sheet(missing, [{"type": "term_sheet"}])
    assert res["state[0] term_sheet"][0] is False and "artifact file missing" in res["state[0] term_sheet"][1]
