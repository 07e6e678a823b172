"""A term sheet is drafted on an achievement the user named or described, never on the top hit of a lookup run
on stray words ("morning! can you draft term sheets?" once drafted a licence of a load-forecasting record with a
partner picked for it). Bundled corpus."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from agent.events import Event
from agent.runtime import Agent
from knowledge.config import Settings
from tests.conftest import indexed_copy

pytestmark = pytest.mark.slow

TODAY = date(2026, 12, 5)


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory, session_data_dir: Path) -> Iterator[Agent]:
    out = indexed_copy(session_data_dir, tmp_path_factory.mktemp("described-draft") / "data")
    a = Agent(Settings(data_dir=out), today=TODAY)
    yield a
    a.close()


def done(events: list[Event], tool: str) -> list[dict[str, Any]]:
    return [
        e.data for e in events if e.event == "step" and e.data["status"] == "done" and e.data["tool"] == tool
    ]


def answer(events: list[Event]) -> str:
    return str(next(e.data for e in events if e.event == "message")["text"])


def test_a_capability_question_gets_what_the_assistant_can_do_not_a_draft(agent: Agent) -> None:
    # "can you draft term sheets?" asks what the assistant does (the writers' brief labels it help): nothing is
    # drafted or searched, and the answer says it drafts term sheets.
    events = list(agent.stream("capability", "morning! quick one - can you draft term sheets?"))
    assert done(events, "draft_term_sheet") == []
    assert done(events, "find_partners") == []
    assert done(events, "search_achievements") == []
    text_out = answer(events)
    assert "draft a lawful term sheet" in text_out
    assert "1. [ACH-" not in text_out


@pytest.mark.parametrize("text", ["帮我出个条款草案吧，谢谢", "please draft me a term sheet, thanks"])
def test_no_record_named_no_draft_the_user_is_asked(agent: Agent, text: str) -> None:
    events = list(agent.stream(f"stray-{len(text)}", text))
    assert done(events, "draft_term_sheet") == []
    assert done(events, "find_partners") == []
    text_out = answer(events)
    assert "Which achievement?" in text_out or "哪项成果" in text_out
    # The planner's own lookup is one line naming the nearest record, not a list the user never asked for.
    assert "No stored achievement clearly matches" in text_out or "明确对应的成果" in text_out
    assert "1. [ACH-" not in text_out


def test_a_described_achievement_is_still_drafted_on(agent: Agent) -> None:
    events = list(
        agent.stream(
            "described", "draft a non-exclusive licence for the sulfide electrolyte to 中瀚, 3% royalty"
        )
    )
    [draft] = done(events, "draft_term_sheet")
    assert draft["result"]["achievement_id"] == "ACH-0295"
