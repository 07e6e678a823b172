"""An organisation called by its contracted kind ("霁川创投", "西岑科大", "凌峰院"): one more name for it, only when
no other organisation is called so."""

from __future__ import annotations

import pytest

from agent.understanding.aliases import Entry, build_aliases
from agent.understanding.linking import Linker

ORGS = [
    Entry("organisation", "ORG-0137", "霁川创业投资有限公司"),
    Entry("organisation", "ORG-0058", "西岑科技大学"),
    Entry("organisation", "ORG-0015", "凌峰智能制造研究院"),
    Entry("organisation", "ORG-0007", "鹤岭氢能研究院"),
    Entry("organisation", "ORG-0901", "鹤岭新材料研究院"),
    Entry("organisation", "ORG-0028", "沐阳工业大学"),
]


def _aliases() -> dict[str, str]:
    return {a.text: a.id for a in build_aliases(ORGS)}


@pytest.mark.parametrize(
    ("alias", "org"),
    [
        ("霁川创投", "ORG-0137"),
        ("西岑科大", "ORG-0058"),
        ("凌峰院", "ORG-0015"),
        ("鹤岭氢能院", "ORG-0007"),
        ("鹤岭新材料院", "ORG-0901"),
        ("沐阳工大", "ORG-0028"),
    ],
)
def test_a_contracted_kind_names_the_organisation(alias: str, org: str) -> None:
    assert _aliases()[alias] == org


def test_a_contraction_two_organisations_share_names_neither() -> None:
    # 鹤岭氢能研究院 and 鹤岭新材料研究院 are both "鹤岭院".
    assert "鹤岭院" not in _aliases()


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("霁川创投投IC吗？单笔大概多少", "ORG-0137"),
        ("凌峰院有什么技术需求", "ORG-0015"),
        ("西岑科大有啥成果", "ORG-0058"),
    ],
)
def test_the_linker_reads_a_contracted_name(text: str, org: str) -> None:
    links = Linker(ORGS).link(text)
    assert [(lk.kind, lk.id) for lk in links if lk.kind == "organisation"] == [("organisation", org)]
