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


# id -> the other words users type to NAME a field (not a topic inside it: "perovskite" is a topic of new
# energy, "新能源" names the field). The labels above name their fields too; see `field_names`.
DOMAIN_ALIASES: dict[str, tuple[str, ...]] = {
    "new_energy": ("new energy", "新能源"),
    "ccus": ("CCUS", "CCS", "carbon capture", "碳捕集", "碳捕获", "碳封存"),
    "hydrogen": ("hydrogen", "氢能", "氢能源"),
    "grid_storage": ("energy storage", "grid storage", "grid", "power grid", "储能", "电网"),
    "new_materials": ("new materials", "new material", "advanced materials", "新材料"),
    "integrated_circuits": (
        "integrated circuits",
        "integrated circuit",
        "IC",
        "semiconductors",
        "集成电路",
        "半导体",
    ),
    "ai_digital": ("AI", "artificial intelligence", "digital", "人工智能", "数字技术", "数字化"),
    "telecom": ("telecom", "telecoms", "telecommunications", "通信", "电信"),
    "aerospace": ("aerospace", "aviation", "航空航天", "航空", "航天"),
    "rail_transit": ("rail transit", "rail", "railway", "轨道交通", "轨交"),
    "marine": ("marine", "marine engineering", "ocean engineering", "海洋工程", "海洋", "海工"),
    "biomedicine": (
        "biomedicine",
        "biomedical",
        "biomed",
        "biotech",
        "pharma",
        "pharmaceuticals",
        "生物医药",
        "医药",
    ),
    "advanced_manufacturing": (
        "advanced manufacturing",
        "smart manufacturing",
        "高端装备",
        "高端装备制造",
        "智能制造",
        "装备制造",
    ),
    "petrochemicals": ("petrochemicals", "petrochemical", "petrochem", "石油化工", "石化"),
}


def field_names() -> dict[str, str]:
    """Every word that names a field (labels, aliases and the id itself as words: "grid_storage" typed as a
    filter reads "grid storage"; lower-cased) -> its domain id."""
    out: dict[str, str] = {}
    for did, (en, zh) in DOMAIN_LABELS.items():
        for w in (en, zh, *DOMAIN_ALIASES.get(did, ()), did.replace("_", " ")):
            out.setdefault(w.lower(), did)
    return out
