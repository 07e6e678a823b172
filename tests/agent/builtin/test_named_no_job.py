"""A record named and no job read: the message is read again as if the record's id had been typed, and failing
that the job the model leans to wins over the default lookup (NAMED_FLOOR). These are the pipeline's rules, read
with fake readings, so they are tested on `read_turn` (before the decision model, which has tests of its own)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

import agent.builtin.planner as planner
from agent.builtin.intents import INTENTS
from agent.builtin.planner import NAMED_FLOOR, as_typed, read_turn
from agent.understanding.linking import Link
from agent.understanding.reading import Reading
from tests.agent.builtin.synth import inp

FACILITY = "华东先进材料研究院碳纤维线"
ASKED = f"{FACILITY}几时有位，要一个月"


def _link(text: str, mention: str, rid: str, how: str = "search") -> Link:
    a = text.index(mention)
    return Link("facility", rid, (a, a + len(mention)), mention, 0.7, True, how, name=mention)


def _reading(jobs: list[str], centred: dict[str, float]) -> Reading:
    full = {lab: centred.get(lab, 0.01) for lab in INTENTS}
    return Reading(jobs=jobs, confidence=1.0, probs=dict(full), centred=full)


def test_as_typed_puts_each_linked_id_where_its_words_were() -> None:
    text = "FAC-0001 and the carbon fibre line, then the Chenghu perovskite line"
    links = [
        _link(text, "FAC-0001", "FAC-0001", how="id"),  # typed already: left as written
        _link(text, "the carbon fibre line", "FAC-0011"),
        _link(text, "the Chenghu perovskite line", "FAC-0003"),
        _link(text, "carbon fibre", "FAC-0099"),  # inside a longer mention: the longer one wins
    ]
    assert as_typed(text, links) == "FAC-0001 and FAC-0011, then FAC-0003"
    assert as_typed(text, []) == text


def _fake_reader(
    by_text: dict[str, Reading], seen: list[str]
) -> Callable[[str, Sequence[str], bool], Reading]:
    def read(text: str, prev_jobs: Sequence[str] = (), has_context: bool = False) -> Reading:
        seen.append(text)
        return by_text.get(text, _reading([], {}))

    return read


def test_a_message_with_no_job_is_read_again_with_the_named_record_as_its_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typed = ASKED.replace(FACILITY, "FAC-0011")
    seen: list[str] = []
    readings = {
        ASKED: _reading([], {"check_availability": 0.05}),  # the long name drowns the ask
        typed: _reading(["check_availability"], {"check_availability": 0.8}),
    }
    monkeypatch.setattr(planner, "read_message", _fake_reader(readings, seen))
    u = read_turn(inp(ASKED, lang="zh"), links=lambda text: [_link(text, FACILITY, "FAC-0011")])
    assert seen == [ASKED, typed]
    assert [i.name for i in u.intents] == ["check_availability"]
    assert "FAC-0011" in u.slots.record_ids  # the link still fills the slot and is stated
    assert [lk.id for lk in u.links] == ["FAC-0011"]


def test_no_second_reading_when_the_first_found_a_job(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    readings = {ASKED: _reading(["check_availability"], {"check_availability": 0.7})}
    monkeypatch.setattr(planner, "read_message", _fake_reader(readings, seen))
    u = read_turn(inp(ASKED, lang="zh"), links=lambda text: [_link(text, FACILITY, "FAC-0011")])
    assert seen == [ASKED]
    assert [i.name for i in u.intents] == ["check_availability"]


@pytest.mark.parametrize(
    ("centred", "expected"),
    [
        ({"list_bookings": NAMED_FLOOR + 0.05, "get_record": 0.02}, "list_bookings"),  # leans to its bookings
        ({"list_bookings": NAMED_FLOOR - 0.05, "get_record": 0.02}, "get_record"),  # too faint: the lookup
        ({"help": 0.3, "list_bookings": 0.2}, "get_record"),  # chatter never replaces the lookup
        ({"get_record": 0.3, "list_bookings": 0.2}, "get_record"),
    ],
)
def test_a_named_record_with_no_job_read_takes_the_job_the_model_leans_to(
    monkeypatch: pytest.MonkeyPatch, centred: dict[str, float], expected: str
) -> None:
    text = "FAC-0062上我订了啥"
    monkeypatch.setattr(planner, "read_message", _fake_reader({text: _reading([], centred)}, []))
    u = read_turn(inp(text, lang="zh"))
    assert [i.name for i in u.intents] == [expected]


def test_likeliest_is_only_offered_when_nothing_was_read() -> None:
    assert _reading([], {"find_partners": 0.2}).likeliest(0.1) == "find_partners"
    assert _reading([], {"find_partners": 0.2}).likeliest(0.25) is None
    assert _reading([], {"find_partners": 0.2}).likeliest(0.1, skip=("find_partners",)) is None
    assert _reading(["policy"], {"find_partners": 0.2}).likeliest(0.1) is None
