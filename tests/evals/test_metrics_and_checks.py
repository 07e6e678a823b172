"""pass^k arithmetic, retrieval metrics, matchers and individual checks on hand-made trajectories."""

from __future__ import annotations

from datetime import date
from math import comb

import pytest

from evals.checks import BookingSnap, CheckContext, EndState, answer_lang, check_run
from evals.matching import matches
from evals.metrics import pass_hat_curve, pass_hat_k, recall_at_k, reciprocal_rank, suite_pass_hat
from evals.schema import Matcher, Task
from evals.trajectory import Trajectory


def test_pass_hat_k_hand_computed() -> None:
    assert pass_hat_k(4, 2, 2) == pytest.approx(1 / 6)  # C(2,2)/C(4,2) = 1/6
    assert pass_hat_k(5, 3, 2) == pytest.approx(3 / 10)  # 3/10
    assert pass_hat_k(4, 3, 3) == pytest.approx(1 / 4)  # 1/4
    assert pass_hat_k(3, 3, 3) == 1.0
    assert pass_hat_k(3, 2, 3) == 0.0
    assert pass_hat_k(8, 8, 1) == 1.0 and pass_hat_k(8, 0, 1) == 0.0
    assert pass_hat_k(8, 5, 1) == pytest.approx(5 / 8)
    with pytest.raises(ValueError):
        pass_hat_k(3, 4, 1)
    with pytest.raises(ValueError):
        pass_hat_k(3, 1, 4)


def test_suite_pass_hat_is_the_mean_over_tasks() -> None:
    counts = [(4, 4), (4, 2), (4, 0)]
    # pass^2: (1 + 1/6 + 0) / 3
    assert suite_pass_hat(counts, 2) == pytest.approx((1 + 1 / 6) / 3)
    curve = pass_hat_curve([(4, 3), (3, 3)])
    assert set(curve) == {1, 2, 3}  # K is the smallest attempt count
    assert curve[3] == pytest.approx((comb(3, 3) / comb(4, 3) + 1) / 2)
    assert curve[1] == pytest.approx((3 / 4 + 1) / 2)


def test_retrieval_metrics() -> None:
    ranked = ["A", "B", "C", "D"]
    assert recall_at_k(ranked, ["B", "E"], 1) == 0.0
    assert recall_at_k(ranked, ["B", "E"], 2) == 0.5
    assert reciprocal_rank(ranked, ["C", "D"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(ranked, ["Z"]) == 0.0


@pytest.mark.parametrize(
    ("spec", "value", "ok"),
    [
        ("ACH-0001", "ACH-0001", True),
        ("ACH-0001", "ACH-0002", False),
        (5, 5.0, True),
        (date(2026, 12, 1), "2026-12-01", True),
        ({"contains": "钙钛矿"}, "高效钙钛矿电池", True),
        ({"contains": "license"}, ["assignment", "license"], True),
        ({"range": {"min": "2026-12-01", "max": "2026-12-10"}}, "2026-12-10", True),
        ({"range": {"min": date(2026, 12, 1), "max": date(2026, 12, 10)}}, "2026-12-11", False),
        ({"min": 0.5}, 0.49, False),
        ({"range": {"max": 10}}, 3, True),
        ({"one_of": ["license", "assignment"]}, "assignment", True),
        ({"regex": "^BK-"}, "BK-12AB", True),
        ({"any": True}, 0, True),
    ],
)
def test_matchers(spec: object, value: object, ok: bool) -> None:
    assert matches(Matcher.model_validate(spec), value) is ok


def test_missing_arg_and_absent_matcher() -> None:
    assert matches(Matcher.model_validate({"any": True})) is False
    assert matches(Matcher.model_validate({"absent": True})) is True
    assert matches(Matcher.model_validate({"absent": True}), "x") is False


def test_text_lang_ignores_ids_and_reads_script() -> None:
    assert answer_lang("ACH-0001 的首选合作方是 ORG-0002（华东新能源集团）。") == "zh"
    assert (
        answer_lang(
            "Best partner for ACH-0001 is 华东新能源 (ORG-0002), a state-owned group with storage lines."
        )
        == "en"
    )
    assert answer_lang("ORG-0002 ORG-0003") == "en"


def _task(criteria: dict[str, object], language: str = "en") -> Task:
    return Task.model_validate(
        {"id": "t", "language": language, "turns": [{"user": "x"}], "criteria": criteria}
    )


def _traj(*events: dict[str, object]) -> Trajectory:
    t = Trajectory()
    for e in events:
        t.add(0, e)
    return t


def _names(results: list) -> dict[str, bool]:  # type: ignore[type-arg]
    return {r.name: r.passed for r in results}


def test_ordered_actions_and_must_not_call_write_counts_proposals() -> None:
    traj = _traj(
        {
            "event": "plan",
            "data": {"steps": [{"id": "s1", "tool": "check_availability", "args": {"facility_id": "FAC-1"}}]},
        },
        {"event": "step", "data": {"step_id": "s1", "tool": "check_availability", "status": "started"}},
        {
            "event": "step",
            "data": {"step_id": "s1", "tool": "check_availability", "status": "done", "result": {}},
        },
        {
            "event": "approval",
            "data": {"step_id": "s2", "action": "hold_slot", "args": {"facility_id": "FAC-1"}},
        },
        {"event": "decision", "data": {"step_id": "s2", "action": "reject"}},
        {
            "event": "step",
            "data": {"step_id": "s2", "tool": "hold_slot", "status": "error", "result": {"code": "rejected"}},
        },
        {"event": "message", "data": {"text": "Not booked.", "lang": "en"}},
    )
    ok = _task(
        {
            "ordered": True,
            "actions": [
                {"tool": "check_availability", "status": "done"},
                {"tool": "hold_slot", "status": "rejected"},
            ],
        }
    )
    res = check_run(CheckContext(task=ok, trajectory=traj, state=None, tool_kinds={"hold_slot": "WRITE"}))
    assert all(r.passed for r in res), res

    wrong_order = _task({"ordered": True, "actions": [{"tool": "hold_slot"}, {"tool": "check_availability"}]})
    res = check_run(CheckContext(task=wrong_order, trajectory=traj, state=None))
    assert _names(res)["action[1] check_availability"] is False

    forbid = _task({"must_not_call": ["WRITE"]})
    res = check_run(CheckContext(task=forbid, trajectory=traj, state=None, tool_kinds={"hold_slot": "WRITE"}))
    failed = [r for r in res if not r.passed]
    assert [r.name for r in failed] == ["must_not_call[0] WRITE"] and "rejected" in failed[0].message


def test_state_checks_on_snapshots() -> None:
    def snap(ref: str, fac: str, s: str, e: str, status: str = "held") -> BookingSnap:
        return BookingSnap(
            reference=ref,
            facility_id=fac,
            start=date.fromisoformat(s),
            end=date.fromisoformat(e),
            status=status,
        )

    before = [snap("OLD", "FAC-1", "2026-12-01", "2026-12-03", "confirmed")]
    after = [*before, snap("NEW", "FAC-1", "2026-12-05", "2026-12-08")]
    msg = {"event": "message", "data": {"text": "Held FAC-1.", "lang": "en"}}
    task = _task(
        {
            "state": [
                {
                    "type": "hold_exists",
                    "facility": "FAC-1",
                    "window": {"start": "2026-12-04", "end": "2026-12-10"},
                    "days": 3,
                },
                {"type": "no_overlap"},
                {"type": "nothing_written"},
                {"type": "booking_count", "status": "held", "new_only": True, "count": 1},
                {
                    "type": "hold_exists",
                    "facility": "FAC-1",
                    "window": {"start": "2026-12-06", "end": "2026-12-10"},
                },
            ]
        }
    )
    res = _names(
        check_run(CheckContext(task=task, trajectory=_traj(msg), state=EndState(before=before, after=after)))
    )
    assert res == {
        "state[0] hold_exists FAC-1": True,
        "state[1] no_overlap": True,
        "state[2] nothing_written": False,
        "state[3] booking_count": True,
        "state[4] hold_exists FAC-1": False,
        "answer.language": True,
    }
    clash = [*after, snap("BAD", "FAC-1", "2026-12-02", "2026-12-06", "confirmed")]
    res = _names(
        check_run(CheckContext(task=task, trajectory=_traj(msg), state=EndState(before=before, after=clash)))
    )
    assert res["state[1] no_overlap"] is False


def test_answer_checks_language_citations_and_first_id() -> None:
    msg = {
        "event": "message",
        "data": {
            "text": "根据《促进科技成果转化法》第四十五条，转让净收入的不低于５０％奖励给成果完成人；首选 ORG-0003，其次 ORG-0002。",
            "lang": "zh",
            "citations": [{"id": "CN-LAW-PTSTA-2015-ZH", "ref": "第四十五条"}],
        },
    }
    task = _task(
        {
            "answer": {
                "contains": ["50%"],
                "citations": [
                    {
                        "id": ["CN-LAW-PTSTA-2015-ZH", "CN-LAW-PTSTA-2015-EN"],
                        "ref": ["Article 45", "第四十五条"],
                    }
                ],
                "first_id": "ORG-0002",
                "not_contains": ["ORG-0004"],
            }
        },
        language="zh",
    )
    res = _names(check_run(CheckContext(task=task, trajectory=_traj(msg), state=None)))
    assert res == {
        "answer.contains 50%": True,  # full-width ５０％ is folded
        "answer.not_contains ORG-0004": True,
        "answer.citations[0] CN-LAW-PTSTA-2015-ZH/CN-LAW-PTSTA-2015-EN": True,
        "answer.first_id ORG-0002": False,
        "answer.language": True,
    }
    en = _task({"answer": {"contains": ["50%"]}}, language="en")
    assert (
        _names(check_run(CheckContext(task=en, trajectory=_traj(msg), state=None)))["answer.language"]
        is False
    )
    none = check_run(CheckContext(task=en, trajectory=_traj(), state=None))
    assert [(r.name, r.passed) for r in none] == [("answer", False)]
