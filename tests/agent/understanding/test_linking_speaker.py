"""An organisation introducing itself ("Lanshan Polytechnic here.", "we're 国澄卫星.", "Wangshu TTO again —")
owns the record the rest of the message describes, even in another clause: its own records are read against
the whole message (only surely, only achievements, not when the message asks what there is). Records as in
the knowledge base; a stand-in for its search reads meaning through a small concept table."""

from __future__ import annotations

from agent.understanding.aliases import Entry
from agent.understanding.linking import Linker
from tests.agent.understanding.models import concept_search

ENTRIES = [
    Entry("organisation", "ORG-0040", "Lanshan Polytechnic University", None, "Shandong"),
    Entry("organisation", "ORG-0031", "Wangshu Institute of Intelligent Computing", None, "Anhui"),
    Entry("organisation", "ORG-0047", "Wei'an Institute of Energy Storage and Smart Grid", None, "Shanghai"),
    Entry("achievement", "ACH-0040", "300 GHz频段太赫兹无线通信及其在6G回传中的应用", "ORG-0040"),
    Entry("achievement", "ACH-0110", "面向工厂5G专网的云原生CU开放无线接入网基带软件", "ORG-0040"),
    Entry(
        "achievement",
        "ACH-0377",
        "CMP polishing slurry for logic back-end interconnect based on colloidal-silica abrasive synthesis",
        "ORG-0031",
    ),
    Entry("achievement", "ACH-0136", "Precision robot reducer for humanoid robot joints", "ORG-0031"),
    Entry("achievement", "ACH-0055", "314 Ah电芯液冷储能集装箱及其在独立共享储能中的应用", "ORG-0047"),
    Entry(
        "achievement",
        "ACH-0396",
        "Grid-forming energy storage converter for weak grids at desert renewable bases",
        "ORG-0047",
    ),
]
# Records of other owners, so that the owner's own rank near the top of their kind means something.
ENTRIES += [Entry("achievement", f"ACH-09{i:02d}", f"Unrelated record {i}", "ORG-0999") for i in range(20)]

_CONCEPTS = {
    "太赫兹": "thz",
    "terahertz": "thz",
    "6g": "6g",
    "回传": "backhaul",
    "backhaul": "backhaul",
    "cmp": "cmp",
    "slurry": "cmp",
    "抛光": "cmp",
    "液冷": "liquid-cooled",
    "liquid-cooled": "liquid-cooled",
    "集装箱": "container",
    "container": "container",
    "grid-forming": "grid-forming",
    "构网": "grid-forming",
    "reducer": "reducer",
    "减速器": "reducer",
}


search = concept_search(ENTRIES, _CONCEPTS)


LINKER = Linker(ENTRIES, search)


def achievements(text: str) -> list[str]:
    return [lk.id for lk in LINKER.link(text) if lk.kind == "achievement" and lk.certain]


def test_a_speakers_record_described_in_another_clause() -> None:
    assert achievements(
        "Lanshan Polytechnic here. for our terahertz 6G backhaul thing, find investors who do early-stage telecom"
    ) == ["ACH-0040"]
    assert achievements(
        "Wangshu TTO again — for the copper-barrier CMP slurry, any fabs or materials cos that'd co-develop?"
    ) == ["ACH-0377"]
    assert achievements(
        "Wei'an here. List everything we have on the platform and find buyers for the liquid-cooled container one"
    ) == ["ACH-0055"]
    assert achievements("我们是Lanshan Polytechnic。帮我们的太赫兹6G回传成果找几家投资方") == ["ACH-0040"]


def test_a_question_about_what_there_is_names_no_record() -> None:
    assert achievements("液冷集装箱有啥成果？我们是Wei'an，上海的") == []
    assert achievements("Wei'an Institute — who are they, and what have they got in container storage") == []
