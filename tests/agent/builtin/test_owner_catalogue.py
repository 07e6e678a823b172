"""An organisation's catalogue ("问渠生物医药研究院有哪些成果", "achievements by Shuoshi University in marine
engineering"): the search is filtered by the owner the message names, not run on the words of its name; the
speaker's own organisation is no filter; an organisation that lists nothing is said so. Bundled corpus."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from agent.events import Event
from agent.runtime import Agent
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase, open_kb
from tests.conftest import indexed_copy

pytestmark = pytest.mark.slow

TODAY = date(2026, 12, 5)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, session_data_dir: Path) -> Path:
    return indexed_copy(session_data_dir, tmp_path_factory.mktemp("owner-catalogue") / "data")


@pytest.fixture(scope="module")
def agent(data_dir: Path) -> Iterator[Agent]:
    a = Agent(Settings(data_dir=data_dir), today=TODAY)
    yield a
    a.close()


@pytest.fixture(scope="module")
def kb(data_dir: Path) -> KnowledgeBase:
    return open_kb(Settings(data_dir=data_dir), progress=False)


def searches(events: list[Event]) -> list[dict[str, Any]]:
    return [
        e.data
        for e in events
        if e.event == "step" and e.data["status"] == "done" and e.data["tool"] == "search_achievements"
    ]


def answer(events: list[Event]) -> str:
    return str(next(e.data for e in events if e.event == "message")["text"])


def owner_of(kb: KnowledgeBase, rid: str) -> str:
    rec = kb.get(rid)
    assert rec is not None
    return str(rec.owner_id)  # type: ignore[union-attr]


def test_a_named_organisations_catalogue_is_filtered_by_owner(agent: Agent, kb: KnowledgeBase) -> None:
    events = list(agent.stream("own-zh", "问渠生物医药研究院有哪些成果？"))
    [step] = searches(events)
    assert step["result"]["owners"] == [{"id": "ORG-0055", "name": "问渠生物医药研究院"}]
    ids = [h["id"] for h in step["result"]["hits"]]
    owned = sorted(a.id for a in kb.records("achievement") if a.owner_id == "ORG-0055")
    assert sorted(ids) == owned[:10] and ids  # all of theirs (fewer than ten), nobody else's
    trls = [h["trl"] for h in step["result"]["hits"]]
    assert trls == sorted(trls, reverse=True)
    assert "[ORG-0055] 问渠生物医药研究院 的成果：" in answer(events)


def test_an_owner_with_a_field_narrows_their_catalogue(agent: Agent, kb: KnowledgeBase) -> None:
    events = list(
        agent.stream(
            "own-en", "Show me achievements by Shuoshi University of Technology in marine engineering"
        )
    )
    [step] = searches(events)
    hits = step["result"]["hits"]
    assert hits and {owner_of(kb, h["id"]) for h in hits} == {"ORG-0018"}
    assert {h["domain"] for h in hits} == {"marine"}
    assert "Shuoshi" not in step["result"]["query"] and "by" not in step["result"]["query"].split()


def test_the_speakers_own_organisation_is_no_filter(agent: Agent, kb: KnowledgeBase) -> None:
    events = list(
        agent.stream(
            "own-speaker",
            "We're Shuoshi University of Technology. Show me marine engineering achievements at TRL 6+",
        )
    )
    [step] = searches(events)
    assert step["result"]["owners"] == [] and step["result"]["not_owners"] == []
    assert {owner_of(kb, h["id"]) for h in step["result"]["hits"]} - {"ORG-0018"}  # others' results too


def test_an_organisation_listing_nothing_is_said_so(agent: Agent, kb: KnowledgeBase) -> None:
    assert not [a for a in kb.records("achievement") if a.owner_id == "ORG-0045"]
    events = list(agent.stream("own-none", "what does Qilan Institute have?"))
    [step] = searches(events)
    assert step["result"]["hits"] == [] and [o["id"] for o in step["result"]["not_owners"]] == ["ORG-0045"]
    assert "Qilan Institute of Intelligent Computing lists no achievements on the platform." in answer(events)


def test_a_follow_up_narrows_the_same_owners_catalogue(agent: Agent, kb: KnowledgeBase) -> None:
    list(agent.stream("own-follow", "湛澜科技大学有哪些成果"))
    events = list(agent.stream("own-follow", "只要TRL 6以上的"))
    [step] = searches(events)
    hits = step["result"]["hits"]
    assert [o["id"] for o in step["result"]["owners"]] == ["ORG-0034"]
    assert hits and {owner_of(kb, h["id"]) for h in hits} == {"ORG-0034"} and min(h["trl"] for h in hits) >= 6
