"""The words an organisation's name governs ("Lingfeng's krypton thruster", "Zhiting的那个扰动观测器伺服驱动",
"the 200 W low-power one from Zhanlan") name one of its own achievements: they are read against its own titles
by the multilingual encoder, before the clause's other words, and each owner's reading is a link of its own
when a message compares two. Records as in the knowledge base; a stand-in encoder reads meaning through a
small concept table."""

from __future__ import annotations

from agent.understanding.aliases import Entry
from agent.understanding.linking import Linker
from tests.agent.understanding.models import concept_encoder

ENTRIES = [
    Entry("organisation", "ORG-0015", "凌峰智能制造研究院", None, "Shanghai"),
    Entry("organisation", "ORG-0029", "Zhiting Institute of Intelligent Manufacturing", None, "Jiangsu"),
    Entry("organisation", "ORG-0034", "湛澜科技大学", None, "Shaanxi"),
    Entry("organisation", "ORG-0098", "崇岭工业互联网科技有限公司", None, "Liaoning"),
    Entry("organisation", "ORG-0055", "问渠生物医药研究院", None, "Hubei"),
    Entry(
        "achievement",
        "ACH-0007",
        "High-performance servo drive for robot joints based on 24-bit absolute encoder",
        "ORG-0015",
    ),
    Entry("achievement", "ACH-0366", "基于无加热器空心阴极的氪工质霍尔电推进", "ORG-0015"),
    Entry(
        "achievement",
        "ACH-0319",
        "Single-shaft liquid-oxygen methane engine turbopump via inducer cavitation optimisation",
        "ORG-0015",
    ),
    Entry(
        "achievement",
        "ACH-0413",
        "High-performance servo drive for robot joints based on model-based disturbance observer",
        "ORG-0029",
    ),
    Entry("achievement", "ACH-0249", "小功率200瓦霍尔电推进及其在低轨星座轨道提升中的应用", "ORG-0034"),
    Entry(
        "achievement",
        "ACH-0088",
        "Predictive maintenance for rotating equipment for wind-turbine gearboxes based on transfer learning "
        "across machines",
        "ORG-0098",
    ),
    Entry(
        "achievement",
        "ACH-0284",
        "Motor-current signature predictive maintenance for rotating equipment for wind-turbine gearboxes",
        "ORG-0055",
    ),
]

_CONCEPTS = {
    "servo": "servo",
    "伺服": "servo",
    "disturbance observer": "observer",
    "扰动观测器": "observer",
    "absolute encoder": "encoder",
    "编码器": "encoder",
    "krypton": "krypton",
    "氪": "krypton",
    "hall": "hall",
    "霍尔": "hall",
    "thruster": "thruster",
    "电推进": "thruster",
    "推力器": "thruster",
    "200 w": "200w",
    "200瓦": "200w",
    "turbopump": "turbopump",
    "涡轮泵": "turbopump",
    "wind-turbine gearbox": "gearbox",
    "风机齿轮箱": "gearbox",
    "transfer learning": "transfer",
    "迁移学习": "transfer",
    "motor-current": "motor-current",
    "电机电流": "motor-current",
}
encode = concept_encoder(_CONCEPTS)


LINKER = Linker(ENTRIES, None, encode=encode)


def achievements(text: str) -> set[tuple[str, bool]]:
    return {(lk.id, lk.certain) for lk in LINKER.link(text) if lk.kind == "achievement"}


def test_the_owners_governed_words_name_its_record() -> None:
    assert achievements("Lingfeng's krypton thruster — draft a non-exclusive licence, 800k upfront") == {
        ("ACH-0366", True)
    }
    assert ("ACH-0249", True) in achievements(
        "I'm comparing the krypton Hall thruster with the 200 W low-power one from Zhanlan — which is better?"
    )


def test_two_owners_compared_are_two_links() -> None:
    assert achievements(
        "帮我比较一下凌峰的伺服驱动和Zhiting的那个扰动观测器伺服驱动，哪个更适合卷绕机？"
    ) == {
        ("ACH-0007", True),
        ("ACH-0413", True),
    }
    assert achievements(
        "烦请对比崇岭工业互联网的风机齿轮箱预测性维护成果与问渠生物医药研究院那个电机电流特征的，分别介绍技术成熟度和价格。"
    ) == {("ACH-0088", True), ("ACH-0284", True)}
