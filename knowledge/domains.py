"""The 14 technology domains, with bilingual labels and a few aliases used for slot extraction."""

from __future__ import annotations

from typing import Literal

DomainId = Literal[
    "new_energy",
    "ccus",
    "hydrogen",
    "grid_storage",
    "new_materials",
    "integrated_circuits",
    "ai_digital",
    "telecom",
    "aerospace",
    "rail_transit",
    "marine",
    "biomedicine",
    "advanced_manufacturing",
    "petrochemicals",
]

DOMAINS: tuple[str, ...] = DomainId.__args__  # type: ignore[attr-defined]

# id -> (English label, Chinese label)
DOMAIN_LABELS: dict[str, tuple[str, str]] = {
    "new_energy": ("New energy", "新能源"),
    "ccus": ("Carbon capture, utilisation and storage", "碳捕集利用与封存"),
    "hydrogen": ("Hydrogen", "氢能"),
    "grid_storage": ("Grid and energy storage", "电网与储能"),
    "new_materials": ("New materials", "新材料"),
    "integrated_circuits": ("Integrated circuits", "集成电路"),
    "ai_digital": ("AI and digital technology", "人工智能与数字技术"),
    "telecom": ("Telecommunications", "通信"),
    "aerospace": ("Aerospace", "航空航天"),
    "rail_transit": ("Rail transit", "轨道交通"),
    "marine": ("Marine engineering", "海洋工程"),
    "biomedicine": ("Biomedicine", "生物医药"),
    "advanced_manufacturing": ("Advanced manufacturing", "高端装备制造"),
    "petrochemicals": ("Petrochemicals", "石油化工"),
}


def domain_label(domain: str, lang: str = "en") -> str:
    """The display label of a domain id in `lang` ("zh" or "en"); the id itself if unknown."""
    labels = DOMAIN_LABELS.get(domain)
    if labels is None:
        return domain
    return labels[1] if lang == "zh" else labels[0]
