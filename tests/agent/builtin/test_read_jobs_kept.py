"""Jobs the model reads that the planner's own rules used to override: a hold changed in a follow-up, a
lookup asked for next to a draft, a facility pointed at in the last list. The reading is fixed per message
(monkeypatched) so each test is about the planner's rule, not the model's weights."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from agent.builtin import BuiltinPlanner
from agent.planner import StepResult
from agent.understanding.reading import Reading
from tests.agent.builtin.synth import facilities, hold, inp, search_hits


@pytest.fixture(autouse=True)
def _pipeline_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # These tests hand the planner a reading; the decision model reads the classifier's own probabilities,
    # which a hand-made reading does not have (agent/understanding/decide.py has tests of its own).
    monkeypatch.setattr("agent.builtin.planner.bundled_decision", lambda: None)


def _reads(jobs: dict[str, list[str]]) -> Callable[..., Reading]:
    def read(text: str, *a: object, **k: object) -> Reading:
        return Reading(jobs=jobs.get(text, []), confidence=0.9)

    return read


def _listed(tool: str, query: str, result: dict[str, object]) -> list[StepResult]:
    """The first turn's one step: a list the next message can point into."""
    return [StepResult(step_id="t1-s1", tool=tool, args={"query": query}, turn=1, result=result)]


HOLD = "hold FAC-0023 from Feb 1 for 4 days"


def _held() -> list[StepResult]:
    args = {"facility_id": "FAC-0023", "start": "2027-02-01", "days": 4}
    return [
        StepResult(
            step_id="t1-s1", tool="hold_slot", args=args, turn=1, result=hold("FAC-0023", "2027-02-01", 4)
        )
    ]


@pytest.mark.parametrize(
    ("read", "tools"),
    [(["hold_slot"], ["check_availability", "hold_slot"]), ([], ["check_availability"])],
)
def test_a_hold_changed_in_a_follow_up_stays_a_hold_when_read_as_one(
    monkeypatch: pytest.MonkeyPatch, read: list[str], tools: list[str]
) -> None:
    # A hold is planned as the check that finds its window, then the hold (a WRITE the user approves).
    monkeypatch.setattr(
        "agent.builtin.planner.read_message", _reads({HOLD: ["hold_slot"], "make it 8 days": read})
    )
    plan = BuiltinPlanner().plan(inp([HOLD, "make it 8 days"], history=_held(), turn=2))
    assert [s.tool for s in plan.steps] == tools
    assert (plan.steps[0].args["facility_id"], plan.steps[0].args["days"]) == ("FAC-0023", 8)


def test_a_lookup_asked_for_next_to_a_draft_is_run(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "ACH-0059 这个是啥情况？帮我出一个独占许可的草案，首付300万，提成5%"
    monkeypatch.setattr(
        "agent.builtin.planner.read_message", _reads({text: ["get_record", "draft_term_sheet"]})
    )
    plan = BuiltinPlanner().plan(inp(text, lang="zh"))
    assert plan.steps[0].tool == "get_record" and plan.steps[0].args["record_id"] == "ACH-0059"
    assert "draft_term_sheet" in [s.tool for s in plan.steps]


def test_a_facility_pointed_at_in_the_last_list_is_looked_up_without_a_new_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = "帮我找碳捕集中试平台", "第二个中试基地的详细信息"
    monkeypatch.setattr(
        "agent.builtin.planner.read_message",
        _reads({first: ["find_facilities"], second: ["find_facilities", "get_record"]}),
    )
    history = _listed("find_facilities", "碳捕集", facilities("FAC-0001", "FAC-0003"))
    plan = BuiltinPlanner().plan(inp([first, second], history=history, turn=2, lang="zh"))
    assert [(s.tool, s.args.get("record_id")) for s in plan.steps] == [("get_record", "FAC-0003")]


@pytest.mark.parametrize(
    ("text", "job"),
    [
        ("ok got it ty", "thanks"),
        ("你好呀，第一次用，这个平台能干嘛", "help"),
        ("Thanks, that answers it.", "thanks"),
    ],
)
def test_a_pronoun_in_thanks_or_help_looks_nothing_up(
    monkeypatch: pytest.MonkeyPatch, text: str, job: str
) -> None:
    chat = Reading(jobs=[job], confidence=0.9)
    monkeypatch.setattr("agent.builtin.planner.read_message", lambda *a, **k: chat)
    history = [StepResult(step_id="t1-s1", tool="search_policies", turn=1, result={})]
    plan = BuiltinPlanner().plan(inp(["how do holds work on here", text], history=history, turn=2))
    assert [s.tool for s in plan.steps] == []
    assert plan.clarification is None


def test_a_pronoun_next_to_a_job_still_looks_its_record_up(monkeypatch: pytest.MonkeyPatch) -> None:
    # No job read at all: "the second one" after a search still looks that achievement up.
    none = Reading(jobs=[], confidence=0.0)
    monkeypatch.setattr("agent.builtin.planner.read_message", lambda *a, **k: none)
    history = _listed("search_achievements", "battery", search_hits("ACH-0001", "ACH-0002"))
    plan = BuiltinPlanner().plan(inp(["battery achievements", "the second one"], history=history, turn=2))
    assert [(s.tool, s.args.get("record_id")) for s in plan.steps] == [("get_record", "ACH-0002")]


@pytest.mark.parametrize(
    "text",
    ["is the battery abuse test lab free next week for 3 days?", "碳纤维中试线3月上旬有空吗，要5天"],
)
def test_a_described_facility_is_found_for_the_calendar_job_without_becoming_a_job(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    # The user asks one thing (is it free); the search that finds the facility they describe is a step of it.
    monkeypatch.setattr("agent.builtin.planner.read_message", _reads({text: ["check_availability"]}))
    planner = BuiltinPlanner()
    u = planner.understand(inp(text))
    assert [i.name for i in u.intents] == ["check_availability"] and u.facility_described
    plan = planner.plan(inp(text))
    assert [s.tool for s in plan.steps] == ["find_facilities", "check_availability"]


def test_a_facility_named_by_id_needs_no_search(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "is the FAC-0004 test lab free next week for 3 days?"
    monkeypatch.setattr("agent.builtin.planner.read_message", _reads({text: ["check_availability"]}))
    plan = BuiltinPlanner().plan(inp(text))
    assert [(s.tool, s.args.get("facility_id")) for s in plan.steps] == [("check_availability", "FAC-0004")]


CAL = "Is FAC-0003 free for 2 weeks in April 2027?"


def _checked(facility: str = "FAC-0003") -> list[StepResult]:
    args = {"facility_id": facility, "days": 14, "earliest_start": "2027-04-01", "latest_end": "2027-05-01"}
    return [StepResult(step_id="t1-s1", tool="check_availability", args=args, turn=1, result={})]


@pytest.mark.parametrize(
    ("text", "facility"),
    [("What about May instead?", "FAC-0003"), ("and FAC-0004, anything in May?", "FAC-0004")],
)
def test_new_dates_without_a_length_keep_the_last_requests_stay(
    monkeypatch: pytest.MonkeyPatch, text: str, facility: str
) -> None:
    # Read as a calendar job of its own (not the follow-up path): the stay length still comes from the frame.
    monkeypatch.setattr(
        "agent.builtin.planner.read_message",
        _reads({CAL: ["check_availability"], text: ["check_availability", "find_facilities"]}),
    )
    plan = BuiltinPlanner().plan(inp([CAL, text], history=_checked(), turn=2))
    checks = [s for s in plan.steps if s.tool == "check_availability"]
    assert checks and checks[0].args["days"] == 14
    assert checks[0].args["earliest_start"] == "2027-05-01"
    assert "as in your last calendar request" in plan.note


def test_a_stated_length_beats_the_last_requests_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "is FAC-0004 free for 3 days in May?"
    monkeypatch.setattr(
        "agent.builtin.planner.read_message",
        _reads({CAL: ["check_availability"], text: ["check_availability"]}),
    )
    plan = BuiltinPlanner().plan(inp([CAL, text], history=_checked(), turn=2))
    assert [(s.tool, s.args["days"]) for s in plan.steps] == [("check_availability", 3)]
    assert "last calendar request" not in plan.note


def test_without_an_earlier_calendar_request_no_stay_is_assumed(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "is FAC-0004 free in May?"
    monkeypatch.setattr("agent.builtin.planner.read_message", _reads({text: ["check_availability"]}))
    plan = BuiltinPlanner().plan(inp(text))
    assert [(s.tool, s.args["days"]) for s in plan.steps] == [("check_availability", 1)]
    assert "minimum stay" in plan.note


@pytest.mark.parametrize(("guessed", "alternative"), [(True, None), (False, ["help"])])
def test_an_unsure_lookup_with_nothing_named_is_chatter(
    monkeypatch: pytest.MonkeyPatch, guessed: bool, alternative: list[str] | None
) -> None:
    # Unsure (a runner-up reading and low confidence) or guessed under the threshold: help, not "which record?".
    unsure = Reading(jobs=["get_record"], confidence=0.15, guessed=guessed, alternative=alternative)
    monkeypatch.setattr("agent.builtin.planner.read_message", lambda *a, **k: unsure)
    plan = BuiltinPlanner().plan(inp("随便说点什么吧", lang="zh"))
    assert plan.steps == [] and plan.clarification is None
    # A record named: a lookup after all (guessed), or the question naming both readings (unsure).
    named = BuiltinPlanner().plan(inp("ACH-0001随便说点", lang="zh"))
    if guessed:
        assert [(s.tool, s.args.get("record_id")) for s in named.steps][:1] == [("get_record", "ACH-0001")]
    else:
        assert named.steps == [] and named.clarification is not None


@pytest.mark.parametrize(
    ("text", "days", "start"),
    [
        ("改成两周", 14, "2027-04-01"),
        ("make it 10 days instead", 10, "2027-04-01"),
        ("换成5月吧", 14, "2027-05-01"),
        ("what about May instead?", 14, "2027-05-01"),
    ],
)
def test_a_change_after_a_detour_redoes_the_calendar_request(
    monkeypatch: pytest.MonkeyPatch, text: str, days: int, start: str
) -> None:
    # Read as a hold of its own (no dates, no facility), the change would lose the April request; it is that
    # request redone with the change, still a check (the user held nothing).
    detour = "FAC-0003的详细信息"
    monkeypatch.setattr(
        "agent.builtin.planner.read_message",
        _reads({CAL: ["check_availability"], detour: ["get_record"], text: ["hold_slot"]}),
    )
    history = [
        *_checked(),
        StepResult(step_id="t2-s1", tool="get_record", args={"record_id": "FAC-0003"}, turn=2, result={}),
    ]
    plan = BuiltinPlanner().plan(inp([CAL, detour, text], history=history, turn=3))
    assert [s.tool for s in plan.steps] == ["check_availability"]
    args = plan.steps[0].args
    assert (args["facility_id"], args["days"], args["earliest_start"]) == ("FAC-0003", days, start)
