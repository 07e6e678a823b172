"""Fictional organisations: research owners, industrial demand holders and investors."""

from __future__ import annotations

import random
import re

from knowledge.domains import DOMAIN_LABELS, DOMAINS
from knowledge.regions import REGIONS
from knowledge.sample_gen.domain_info import DOMAIN_INFO
from knowledge.sample_gen.drafts import AchDraft, OrgDraft
from knowledge.sample_gen.flagships import PREASSIGNED_NEEDS
from knowledge.sample_gen.formats import money_en, money_zh
from knowledge.sample_gen.names import (
    INVESTOR_SUFFIX,
    PREFIXES,
    SOE_GROUP_FOR_DOMAIN,
    SOE_GROUPS,
    UNIVERSITY_SUFFIX,
)
from knowledge.sample_gen.spec import Lang, Topic

N_UNIVERSITIES = 30
N_INSTITUTES = 30
INDUSTRIAL_PER_DOMAIN = 5
N_INVESTORS = 18

HUBS = (
    "Beijing",
    "Shanghai",
    "Jiangsu",
    "Zhejiang",
    "Guangdong",
    "Hubei",
    "Sichuan",
    "Shaanxi",
    "Anhui",
    "Shandong",
)

_PLACEHOLDER_RANGES: dict[str, tuple[int, int]] = {
    "gwh": (8, 60),
    "gw": (3, 25),
    "kt": (5, 150),
    "n": (4, 60),
    "mw": (200, 2000),
    "m": (3, 30),
    "k": (10, 80),
    "pf": (50, 800),
    "kl": (20, 120),
    "km": (80, 400),
    "mt": (8, 30),
    "dealers": (150, 600),
}


# Prefixes of the flagship organisations are never reused, so no generated body looks related.
_RESERVED = ("青岚", "瀚海", "澄湖", "朔方", "鹤岭", "中砺", "华东")


class _Names:
    """Hands out unique names; a prefix is used at most once per group (research, private, investor)."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self._rng = rng
        self._taken = taken
        self._pools: dict[str, list[tuple[str, str]]] = {}

    def prefix(self, group: str) -> tuple[str, str]:
        pool = self._pools.get(group)
        if pool is None:
            pool = [p for p in PREFIXES if p[0] not in _RESERVED]
            self._rng.shuffle(pool)
            self._pools[group] = pool
        if not pool:
            raise ValueError(f"name prefixes exhausted for group {group!r}")
        return pool.pop()

    def claim(self, name: str) -> bool:
        if name in self._taken:
            return False
        self._taken.add(name)
        return True


def fill_numbers(rng: random.Random, text_pair: tuple[str, str]) -> tuple[str, str]:
    """Fill {gwh}/{kt}/... placeholders with the same random numbers in both languages."""
    values: dict[str, str] = {}
    for key in re.findall(r"\{(\w+)\}", text_pair[0] + text_pair[1]):
        if key in values:
            continue
        if key == "inch":
            values[key] = str(rng.choice((8, 12)))
        else:
            lo, hi = _PLACEHOLDER_RANGES[key]
            values[key] = str(rng.randint(lo, hi))
    return text_pair[0].format(**values), text_pair[1].format(**values)


def _region(rng: random.Random, domain: str) -> str:
    if rng.random() < 0.7:
        return rng.choice(DOMAIN_INFO[domain].regions)
    return rng.choice(HUBS)


def _domains(rng: random.Random, primary: str, extra_max: int) -> list[str]:
    related = list(DOMAIN_INFO[primary].related)
    rng.shuffle(related)
    return [primary, *related[: rng.randint(0, extra_max)]]


def _lang(rng: random.Random, p_zh: float) -> Lang:
    return "zh" if rng.random() < p_zh else "en"


def _research_org(rng: random.Random, names: _Names, oid: str, kind: str, primary: str) -> OrgDraft:
    lang = _lang(rng, 0.5)
    field = DOMAIN_INFO[primary].field
    while True:
        zh, py = names.prefix("research")
        if kind == "university":
            suffix_zh, suffix_en = rng.choice(UNIVERSITY_SUFFIX)
            name = f"{zh}{suffix_zh}" if lang == "zh" else f"{py} {suffix_en}"
        else:
            name = f"{zh}{field.zh}研究院" if lang == "zh" else f"{py} Institute of {field.en}"
        if names.claim(name):
            break
    return OrgDraft(
        id=oid,
        name=name,
        kind=kind,
        lang=lang,
        domains=_domains(rng, primary, 2),
        region=_region(rng, primary),
    )


def _industrial_org(rng: random.Random, names: _Names, oid: str, kind: str, domain: str) -> OrgDraft:
    lang = _lang(rng, 0.55)
    region = _region(rng, domain)
    info = DOMAIN_INFO[domain]
    while True:
        biz = rng.choice(info.businesses)
        if kind == "soe":
            g_zh, g_py, _, _ = SOE_GROUPS[rng.choice(SOE_GROUP_FOR_DOMAIN[domain])]
            if rng.random() < 0.5:
                name = (
                    f"{g_zh}{biz.zh}（{REGIONS[region]}）有限公司"
                    if lang == "zh"
                    else f"{g_py} {biz.en} ({region}) Co., Ltd."
                )
            else:
                name = f"{g_zh}{biz.zh}有限公司" if lang == "zh" else f"{g_py} {biz.en} Co., Ltd."
        else:
            zh, py = names.prefix("private")
            tail_zh = "有限公司" if biz.zh.endswith("科技") else "科技有限公司"
            tail_en = "Co., Ltd." if biz.en.endswith("Technology") else "Technology Co., Ltd."
            name = f"{zh}{biz.zh}{tail_zh}" if lang == "zh" else f"{py} {biz.en} {tail_en}"
        if names.claim(name):
            break
    domains = [domain]
    if rng.random() < 0.35:
        domains.append(rng.choice(info.related))
    idx = rng.randrange(len(info.industry_caps))
    cap_en, cap_zh = fill_numbers(rng, (info.industry_caps[idx].en, info.industry_caps[idx].zh))
    staff = rng.randint(80, 3000)
    revenue = (
        rng.choice((0.8, 1.5, 3, 6, 12, 25, 48, 90)) if kind == "soe" else rng.choice((0.2, 0.5, 1.2, 2.8, 6))
    )
    if kind == "soe":
        group = next(g for g in SOE_GROUPS if name.startswith(g[0]) or name.startswith(g[1]))
        head_en = f"Subsidiary of {group[3]}, a central state-owned enterprise"
        head_zh = f"{group[2]}（中央企业）所属子公司"
    else:
        year = rng.randint(2008, 2021)
        head_en = f"Privately held company founded in {year}"
        head_zh = f"民营企业，成立于{year}年"
    if lang == "zh":
        caps = f"{head_zh}；{cap_zh}；研发人员{staff}人，年营业收入约{revenue:g}亿元。"
    else:
        caps = f"{head_en}; {cap_en}; {staff} R&D staff and annual revenue of about RMB {revenue:g} billion."
    return OrgDraft(
        id=oid, name=name, kind=kind, lang=lang, domains=domains, region=region, capabilities=caps
    )


_TICKETS = (
    (300_000, 3_000_000),
    (1_000_000, 10_000_000),
    (2_000_000, 20_000_000),
    (5_000_000, 50_000_000),
    (20_000_000, 200_000_000),
    (50_000_000, 300_000_000),
)
_TRL_BANDS = ((2, 4), (3, 6), (4, 7), (5, 8), (6, 9), (7, 9), (3, 7))
_STAGES = (
    ("seed and angel rounds", "种子轮及天使轮"),
    ("Pre-A to Series A", "Pre-A至A轮"),
    ("Series A to B", "A轮至B轮"),
    ("growth and pre-IPO rounds", "成长期及Pre-IPO轮"),
)


def _lower_first(label: str) -> str:
    """ "New energy" -> "new energy", but keep acronyms such as "AI and digital technology"."""
    first = label.split()[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def _investor(rng: random.Random, names: _Names, oid: str) -> OrgDraft:
    lang = _lang(rng, 0.5)
    while True:
        zh, py = names.prefix("investor")
        suffix_zh, suffix_en = rng.choice(INVESTOR_SUFFIX)
        name = f"{zh}{suffix_zh}" if lang == "zh" else f"{py} {suffix_en}"
        if names.claim(name):
            break
    domains = rng.sample(list(DOMAINS), rng.randint(1, 4))
    trl_min, trl_max = rng.choice(_TRL_BANDS)
    # Early-stage funds write small cheques, late-stage funds large ones.
    band = min(len(_TICKETS) - 1, max(0, trl_min - 2 + rng.randint(-1, 1)))
    lo, hi = _TICKETS[band]
    stage = _STAGES[min(3, max(0, (trl_min - 2) // 2 + rng.randint(0, 1)))]
    aum = rng.choice((0.8, 1.5, 3, 5, 12, 30, 60))
    portfolio = rng.randint(12, 160)
    if lang == "zh":
        labels = "、".join(DOMAIN_LABELS[d][1] for d in domains)
        need = f"寻求{labels}领域TRL {trl_min}-{trl_max}的项目，单笔投资{money_zh(lo)}至{money_zh(hi)}，主要参与{stage[1]}。"
        caps = f"管理资金规模约{aum * 10:g}亿元，累计投资企业{portfolio}家，可为被投企业对接中试平台、产业链客户与后续融资。"
    else:
        labels = ", ".join(_lower_first(DOMAIN_LABELS[d][0]) for d in domains)
        need = (
            f"Seeking {labels} projects at TRL {trl_min}-{trl_max}; tickets of {money_en(lo)} to "
            f"{money_en(hi).removeprefix('RMB ')} per deal in {stage[0]}."
        )
        caps = (
            f"Manages about RMB {aum:g} billion with {portfolio} portfolio companies; connects founders "
            "with pilot facilities, industrial customers and follow-on investors."
        )
    return OrgDraft(
        id=oid,
        name=name,
        kind="investor",
        lang=lang,
        domains=domains,
        region=rng.choice(HUBS),
        needs=[need],
        capabilities=caps,
        investment_min_cny=float(lo),
        investment_max_cny=float(hi),
        trl_min=trl_min,
        trl_max=trl_max,
    )


def build_organisations(rng: random.Random, topics: list[Topic], flagships: list[OrgDraft]) -> list[OrgDraft]:
    """Flagships first, then research owners, industrial demand holders (with needs) and investors."""
    names = _Names(rng, {o.name for o in flagships})
    orgs = list(flagships)
    counter = len(orgs)

    def next_id() -> str:
        nonlocal counter
        counter += 1
        return f"ORG-{counter:04d}"

    # Research organisations: primary domains dealt round-robin so every domain has owners.
    order = list(DOMAINS)
    rng.shuffle(order)
    for i in range(N_UNIVERSITIES + N_INSTITUTES):
        kind = "university" if i % 2 == 0 else "institute"
        orgs.append(_research_org(rng, names, next_id(), kind, order[i % len(order)]))

    # Industrial organisations: each domain's topics are shared out as needs, each topic once.
    by_id = {o.id: o for o in orgs}
    for key, oid in PREASSIGNED_NEEDS.items():
        t = next(t for t in topics if t.key == key)
        holder = by_id[oid]
        holder.needs.append(t.need.get(holder.lang))
        holder.need_topics.append(key)
    for domain in DOMAINS:
        pool = [t for t in topics if t.domain == domain and t.key not in PREASSIGNED_NEEDS]
        rng.shuffle(pool)
        n_orgs = INDUSTRIAL_PER_DOMAIN - sum(
            1 for o in flagships if o.kind in ("soe", "private") and o.domains[0] == domain
        )
        kinds = ["soe", "soe", "private", "private", rng.choice(("soe", "private"))][:n_orgs]
        rng.shuffle(kinds)
        counts = [1] * n_orgs
        for _ in range(len(pool) - n_orgs):
            open_slots = [i for i, c in enumerate(counts) if c < 3]
            if not open_slots:
                break
            counts[rng.choice(open_slots)] += 1
        start = 0
        for kind, count in zip(kinds, counts, strict=True):
            org = _industrial_org(rng, names, next_id(), kind, domain)
            for t in pool[start : start + count]:
                org.needs.append(t.need.get(org.lang))
                org.need_topics.append(t.key)
            start += count
            orgs.append(org)

    for _ in range(N_INVESTORS):
        orgs.append(_investor(rng, names, next_id()))
    return orgs


_RESEARCH_CAPS_EN = (
    "Research groups on {topics}; {labs} national or provincial key laboratories and {staff} full-time researchers; "
    "offers pilot-scale verification, testing and contract R&D.",
    "Known for work on {topics}. Runs {labs} key laboratories with {staff} researchers and a technology-transfer "
    "office that has closed {deals} licensing deals since 2019.",
    "{staff} researchers across {labs} key laboratories, with strengths in {topics}; provides shared instruments, "
    "sample testing and joint development with industry.",
)
_RESEARCH_CAPS_ZH = (
    "在{topics}等方向形成研究团队，拥有国家及省部级重点实验室{labs}个、专职科研人员{staff}人，可提供中试验证、检测与委托研发服务。",
    "长期从事{topics}研究，建有重点实验室{labs}个，科研人员{staff}人；技术转移办公室自2019年以来完成成果转化项目{deals}项。",
    "科研人员{staff}人，重点实验室{labs}个，优势方向包括{topics}；可开放共享大型仪器，开展样品测试与产学研联合开发。",
)


def fill_research_capabilities(
    rng: random.Random, orgs: list[OrgDraft], achievements: list[AchDraft], topics: dict[str, Topic]
) -> None:
    """Describe each research organisation by the topics it actually owns results in."""
    owned: dict[str, list[str]] = {}
    for a in achievements:
        keys = owned.setdefault(a.owner_id, [])
        if a.topic not in keys:
            keys.append(a.topic)
    for org in orgs:
        if org.fixed or org.kind not in ("university", "institute"):
            continue
        keys = owned.get(org.id) or [t.key for t in topics.values() if t.domain == org.domains[0]][:2]
        names = [topics[k].name.get(org.lang) for k in keys[:3]]
        joined = (
            "、".join(names)
            if org.lang == "zh"
            else (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
        )
        template = rng.choice(_RESEARCH_CAPS_ZH if org.lang == "zh" else _RESEARCH_CAPS_EN)
        org.capabilities = template.format(
            topics=joined, labs=rng.randint(1, 6), staff=rng.randint(60, 900), deals=rng.randint(5, 60)
        )
