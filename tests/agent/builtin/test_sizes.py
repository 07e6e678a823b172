"""Enterprise size (agent/builtin/sizes.py): the size given to an enterprise the user is or seeks."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.sizes import find_enterprise_size
from agent.builtin.slots import extract_slots


def size(text: str) -> str | None:
    return extract_slots(text, date(2026, 12, 5)).enterprise_size


@pytest.mark.parametrize(
    "text",
    [
        "江浙沪的中小企业优先",
        "中药企业，中小型的就行",
        "我们是做模具的中小企业",
        "有没有适合中小企业的成果",
        "any buyers among SMEs in Jiangsu?",
        "we're a small private firm in Guangdong",
        "We are a small shipyard, need antifouling paint",
        "what about small and micro ones?",
        "我们是小微企业，做光伏胶膜的",
        "我们是小型科技型国企",
    ],
)
def test_small_enterprises(text: str) -> None:
    assert size(text) == "small"


@pytest.mark.parametrize(
    "text",
    [
        "最好是央企，规模大一点的",
        "国企优先，要大企业",
        "Battery makers in Jiangsu, big ones",
        "only big SOEs in power",
        "We're a big central SOE sub (~8,000 staff)",
        "Our SOE is large (>2000 staff).",
        "large central SOE subsidiary - equity incentive cap?",
        "帮我找找做CCUS的大型央企",
    ],
)
def test_large_enterprises(text: str) -> None:
    assert size(text) == "large"


@pytest.mark.parametrize(
    "text",
    [
        "我们是中型航运企业，船多",
        "我们是国资委下面的中型科技企业",
        "and if we're medium-sized instead, what's the cap?",
        "for a medium-sized SOE, what's the cap?",
    ],
)
def test_medium_enterprises(text: str) -> None:
    assert size(text) == "medium"


@pytest.mark.parametrize(
    "text",
    [
        "那总额呢？大企业和中小企业一样吗",  # two sizes compared
        "any place to do large animal studies for a medical device?",
        "the 48K large-tow carbon fibre for spar caps",
        "大型设备",
        "我们要扩大厂房",
        "中小学的实验室",
        "we're a mid-sized PCB assembler",  # a size of no enterprise word
        "a large one would do",
    ],
)
def test_no_enterprise_size(text: str) -> None:
    assert size(text) is None


def test_span_covers_the_size_words() -> None:
    found = find_enterprise_size("帮我找找做CCUS的大型央企")
    assert found is not None
    assert found[1] == (10, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A size before a trade's enterprise (W13, W15, W18, W19).
        ("we're a mid-size auto parts maker, need conformal cooling inserts", "medium"),
        ("our client is a mid-size recycler in Hubei", "medium"),
        ("Medium-sized chain, budget about 3 million.", "medium"),
        ("we're a mid-sized metro operator in Zhejiang", "medium"),
        ("Our client, a big refinery in Liaoning, wants to turn diesel into naphtha", "large"),
        ("preferably large grid-side operators in the northwest", "large"),
        ("有没有能搞钢带表面缺陷检测的AI？我们是个小钢厂", "small"),
        ("我们是宁夏的小化工厂，想搞甲醇制烯烃", "small"),
        ("我们是安徽一家中型钢企", "medium"),
        ("咱这个小作坊想买问渠研究院那个TA15钛合金粉末技术", "small"),
    ],
)
def test_sizes_of_trades(text: str, expected: str) -> None:
    assert size(text) == expected


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the size set off after the enterprises it is given to
        ("buyers for the coating? pump makers in Zhejiang, medium sized", "medium"),
        ("licensees among state-owned groups, large only", "large"),
        ("the firms around here are small, can they afford a licence?", "small"),
        ("my company (medium, private) needs a better seal", "medium"),
        # short and trade words for a company; "small-medium" is small, like 中小企业
        ("mid-size biotechs with antibody programmes", "medium"),
        ("EDA design houses, small-medium", "small"),
        # a size of a thing after the noun is still none
        ("which suppliers have a test rig, large scale?", None),
    ],
)
def test_size_after_the_enterprise(text: str, want: str | None) -> None:
    assert size(text) == want
