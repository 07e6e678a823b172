"""The understanding suite generator turns labelled corpus items into valid, judgeable eval tasks."""

from __future__ import annotations

from datetime import date
from typing import Any

from evals.schema import AgentSuite
from evals.understanding_suite import build, task_for


def _item(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": "T-1", "lang": "en", "text": "x", "context": [], "intents": [], "slots": {}}
    return {**base, **kw}


def _always(ok: bool) -> Any:
    return lambda fac, start, end, days: ok


def test_hold_with_free_window_is_approved_and_asserted() -> None:
    item = _item(
        intents=["hold_slot"],
        slots={
            "facilities": [{"id": "FAC-0001", "mention": "FAC-0001"}],
            "dates": {"start": "2027-03-01", "end": "2027-03-31"},
            "duration_days": 21,
        },
    )
    task = task_for(item, _always(True))
    assert task is not None
    assert task["turns"][-1] == {"decision": "approve"}
    assert task["criteria"]["actions"] == [
        {"tool": "hold_slot", "args": {"facility_id": "FAC-0001"}, "status": "done"}
    ]
    hold = task["criteria"]["state"][0]
    assert hold["window"] == {"start": date(2027, 3, 1), "end": date(2027, 4, 1)} and hold["days"] == 21


def test_hold_the_calendar_cannot_give_is_left_out() -> None:
    item = _item(
        intents=["hold_slot"],
        slots={
            "facilities": [{"id": "FAC-0001", "mention": "x"}],
            "dates": {"start": "2027-03-01", "end": "2027-03-05"},
        },
    )
    assert task_for(item, _always(False)) is None


def test_jobs_map_to_first_tools_with_linked_ids_and_context_turns() -> None:
    item = _item(
        lang="zh",
        context=[{"user": "找找合作方", "intents": ["find_partners"]}],
        intents=["find_partners", "draft_term_sheet"],
        slots={"achievements": [{"id": "ACH-0003", "mention": "电解槽"}], "deal_type": "assignment"},
    )
    task = task_for(item, _always(True))
    assert task is not None
    assert [t["user"] for t in task["turns"]] == ["找找合作方", "x"]
    tools = [(a["tool"], a.get("args")) for a in task["criteria"]["actions"]]
    # A follow-up's partner search may keep the earlier subject, so only the draft's ids are pinned.
    assert tools == [
        ("find_partners", None),
        ("draft_term_sheet", {"achievement_id": "ACH-0003", "deal_type": "assignment"}),
    ]
    assert task["criteria"]["must_not_call"] == ["WRITE"]


def test_out_of_scope_calls_nothing_and_suite_validates() -> None:
    items = [
        _item(id="T-2", intents=[]),
        _item(id="T-3", intents=["release_hold"]),  # needs a booking to act on: left out
        _item(id="T-4", intents=["policy"]),
    ]
    suite = AgentSuite.model_validate(build(items, _always(True)))
    assert [t.id for t in suite.tasks] == ["u-t-2", "u-t-4"]
    assert {f.tool for f in suite.tasks[0].criteria.must_not_call} == {"WRITE", "READ"}
    assert suite.tasks[1].criteria.actions[0].tool == "search_policies"


def test_reply_language_is_any_when_the_words_show_none() -> None:
    def lang(text: str, written: str = "zh") -> str:
        task = task_for(_item(lang=written, text=text, intents=["thanks"]), _always(True))
        assert task is not None
        return str(task["criteria"]["answer"]["language"])

    assert [lang(t) for t in ("ok", "👍", "10", "ACH-0001", "？？")] == ["any"] * 5
    assert lang("好的") == "zh"
    assert lang("thanks", written="en") == "en"
    assert lang("ok thanks", written="zh") == "zh"  # the writer's label stands when words show one
