"""search_achievements with `owners`: an organisation's own catalogue ("问渠生物医药研究院有哪些成果"), and
what happens when the organisation named owns nothing (an investor) or is no organisation at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import tools.registry  # noqa: F401
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.models import Organisation
from tests.knowledge.conftest import FIXTURE_CORPUS
from tests.tools.fakes import NOW, TODAY
from tools.base import REGISTRY, ToolContext, ToolError
from tools.search import SearchAchievementsOutput


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    base = tmp_path_factory.mktemp("owners")
    kb = KnowledgeBase(Settings(data_dir=base / "data"), sample_dir=FIXTURE_CORPUS, progress=False)
    fund = Organisation(
        id="ORG-T099", name="Pinecone Angel Fund", kind="investor", region="Zhejiang", needs=[]
    )
    kb.upsert([fund])  # an organisation that owns no achievement
    yield kb
    kb.close()


def run(kb: KnowledgeBase, args: dict[str, object], lang: str = "en") -> SearchAchievementsOutput | ToolError:
    ctx = ToolContext(
        settings=kb.settings,
        lang=lang,  # type: ignore[arg-type]
        thread_id="t1",
        step_id="s1",
        extra={"kb": kb},
        today=TODAY,
        now=NOW,
    )
    out = REGISTRY["search_achievements"].run(args, ctx)
    assert isinstance(out, SearchAchievementsOutput | ToolError)
    return out


def test_owners_without_a_query_list_their_achievements(kb: KnowledgeBase) -> None:
    out = run(kb, {"owners": ["ORG-T001"]})
    assert isinstance(out, SearchAchievementsOutput)
    assert [h.id for h in out.hits] == ["ACH-T004", "ACH-T001", "ACH-T007"]
    assert [(o.id, o.name) for o in out.owners] == [("ORG-T001", "华东能源大学")] and out.not_owners == []


def test_owners_with_a_query_rank_only_their_achievements(kb: KnowledgeBase) -> None:
    out = run(kb, {"query": "hydrogen fuel cell", "owners": ["ORG-T002"]})
    assert isinstance(out, SearchAchievementsOutput)
    assert [h.id for h in out.hits] == ["ACH-T008", "ACH-T002"]
    assert [o.id for o in out.owners] == ["ORG-T002"]


def test_an_organisation_owning_nothing_is_reported_not_used_as_a_filter(kb: KnowledgeBase) -> None:
    alone = run(kb, {"owners": ["ORG-T099"]})
    assert isinstance(alone, SearchAchievementsOutput)
    assert alone.hits == [] and [o.id for o in alone.not_owners] == ["ORG-T099"] and alone.owners == []
    topic = run(kb, {"query": "hydrogen", "owners": ["ORG-T099"]})
    assert isinstance(topic, SearchAchievementsOutput)
    assert {"ACH-T002", "ACH-T008"} <= {h.id for h in topic.hits}  # the search ran unfiltered
    assert [o.id for o in topic.not_owners] == ["ORG-T099"]
    mixed = run(kb, {"owners": ["ORG-T099", "ORG-T003"]})
    assert isinstance(mixed, SearchAchievementsOutput)
    assert [h.id for h in mixed.hits] == ["ACH-T003"] and [o.id for o in mixed.owners] == ["ORG-T003"]


def test_bad_owners_are_clear_errors(kb: KnowledgeBase) -> None:
    missing = run(kb, {"owners": ["ORG-NOPE"]}, lang="zh")
    assert isinstance(missing, ToolError) and missing.code == "unknown_id"
    assert missing.message == "未找到编号为 ORG-NOPE 的机构。" and missing.details == {"id": "ORG-NOPE"}
    facility = run(kb, {"owners": ["FAC-T001"]})
    assert (
        isinstance(facility, ToolError) and facility.code == "invalid_args" and "owners" in facility.message
    )
    empty = run(kb, {"query": "  "})
    assert isinstance(empty, ToolError) and empty.code == "invalid_args" and "query is empty" in empty.message


def test_the_fixture_corpus_still_has_the_owners_these_tests_name() -> None:
    # The assertions above name fixture records; fail loudly here if the fixture changes under them.
    text = (Path(FIXTURE_CORPUS) / "achievements.jsonl").read_text(encoding="utf-8")
    assert text.count('"owner_id": "ORG-T001"') == 3 and text.count('"owner_id": "ORG-T002"') == 2


def test_each_hit_says_where_the_keyword_ranker_put_it(kb: KnowledgeBase) -> None:
    # The planner drafts on a described record only when the user's words are in it (chain.is_worded_match).
    out = run(kb, {"query": "hydrogen fuel cell", "k": 10})
    assert isinstance(out, SearchAchievementsOutput)
    ranked = sorted((h.keyword_rank, h.id) for h in out.hits if h.keyword_rank is not None)
    assert [r for r, _ in ranked][:2] == [1, 2]
    assert {i for _, i in ranked[:2]} == {"ACH-T002", "ACH-T008"}
    vague = run(kb, {"query": "zzqx wobble", "k": 3})  # no word of it in any record: found by meaning alone
    assert isinstance(vague, SearchAchievementsOutput)
    assert vague.hits and all(h.keyword_rank is None for h in vague.hits)
