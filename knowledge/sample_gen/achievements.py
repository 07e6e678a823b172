"""Achievements composed from topic-bank slots: distinct variants with specific numbers."""

from __future__ import annotations

import math
import random

from knowledge.sample_gen.drafts import AchDraft, OrgDraft
from knowledge.sample_gen.formats import nice_round, random_ip
from knowledge.sample_gen.spec import Lang, Metric, Topic

# How many achievements a topic yields (flagships count towards their topic).
VARIANT_COUNTS = (2, 3, 3, 3, 4)

MODE_EN = {
    "license": "licensing",
    "assignment": "outright assignment",
    "equity": "equity investment at appraised value",
    "joint_development": "joint development",
    "service": "technical services",
}
MODE_ZH = {
    "license": "许可",
    "assignment": "转让",
    "equity": "作价入股",
    "joint_development": "合作开发",
    "service": "技术服务",
}
MODE_ORDER = ("assignment", "license", "equity", "joint_development", "service")

_TITLE_EN = ("{F} {N} via {R}", "{F} {N} for {U}", "{N} for {U} based on {R}")
_TITLE_ZH = ("基于{R}的{F}{N}", "面向{U}的{F}{N}", "{F}{N}及其在{U}中的应用")

_S1_EN = (
    "This {F} {N} is based on {R} and aimed at {U}.",
    "Developed for {U}, the {F} {N} relies on {R}.",
    "The team built {F} {N} technology around {R}, targeting {U}.",
    "Core technology: {F} {N} using {R}, intended for {U}.",
)
_S2_EN = (
    "It achieves {m1} and {m2}.",
    "Measured performance includes {m1} and {m2}.",
    "Test results show {m1}, together with {m2}.",
    "Key figures: {m1}; {m2}.",
    "Independent testing confirmed {m1} and {m2}.",
)
_S3_EN = (
    "Validation so far: {S} (TRL {trl}).",
    "It has been validated through {S} and is rated TRL {trl}.",
    "Current status is TRL {trl}, with results confirmed in {S}.",
    "Maturity is TRL {trl}; the evidence comes from {S}.",
)
_S4_EN = (
    "The owner is open to {modes} and can supply evaluation samples or data.",
    "{rights} cover the core know-how; preferred deal: {modes}.",
    "Available for {modes}.",
    "The package includes {rights} and process documentation, offered through {modes}.",
)
_S1_ZH = (
    "本成果为面向{U}的{F}{N}，采用{R}。",
    "该{F}{N}基于{R}开发，主要应用于{U}。",
    "团队采用{R}研制出{F}{N}，适用于{U}。",
    "针对{U}需求，开发了基于{R}的{F}{N}。",
)
_S2_ZH = ("{m1}，{m2}。", "经第三方检测，{m1}，{m2}。", "关键指标：{m1}；{m2}。", "实测{m1}，{m2}。")
_S3_ZH = (
    "目前技术成熟度为TRL {trl}，已完成{S}验证。",
    "已完成{S}验证，处于TRL {trl}阶段。",
    "成熟度TRL {trl}，{S}验证已通过。",
)
_S4_ZH = (
    "拥有{k}项知识产权，可采用{modes}方式合作。",
    "可提供样品测试，倾向{modes}。",
    "核心技术已申请或获得{k}项知识产权，欢迎以{modes}方式合作。",
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rights(n: int) -> str:
    return "one registered IP right" if n == 1 else f"{n} registered IP rights"


def _modes_text(modes: list[str], lang: Lang) -> str:
    if lang == "zh":
        return "或".join(MODE_ZH[m] for m in modes)
    words = [MODE_EN[m] for m in modes]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _modes(rng: random.Random, owner_kind: str) -> list[str]:
    weights = {"license": 5, "assignment": 3, "joint_development": 4, "equity": 2, "service": 2}
    if owner_kind in ("soe", "private"):
        weights.update(equity=1, assignment=2, service=3)
    chosen: list[str] = []
    for _ in range(rng.choice((1, 2, 2, 3))):
        options = [m for m in weights if m not in chosen]
        chosen.append(rng.choices(options, weights=[weights[m] for m in options])[0])
    return [m for m in MODE_ORDER if m in chosen]


def _price(rng: random.Random, trl: int, modes: list[str]) -> float | None:
    if modes == ["service"] or rng.random() < 0.1:
        return None  # price negotiated case by case
    lo, hi = {
        2: (3e5, 2e6),
        3: (3e5, 3e6),
        4: (8e5, 8e6),
        5: (1.5e6, 1.5e7),
        6: (3e6, 3e7),
        7: (5e6, 4e7),
        8: (1e7, 6e7),
        9: (1.5e7, 8e7),
    }[trl]
    value = math.exp(rng.uniform(math.log(lo), math.log(hi)))
    step = 50_000 if value >= 1e7 else 10_000
    return float(round(value / step) * step)


def _scale_index(trl: int) -> int:
    return 0 if trl <= 4 else (1 if trl <= 6 else 2)


def _keywords(rng: random.Random, t: Topic, form: str, lang: Lang) -> list[str]:
    bank = list(t.kw_zh if lang == "zh" else t.kw_en)
    picked = rng.sample(bank, min(3, len(bank)))
    out: list[str] = []
    for k in [t.name.get(lang), *picked, form]:
        if k not in out:
            out.append(k)
    return out


def compose(
    rng: random.Random,
    t: Topic,
    lang: Lang,
    combo: tuple[int, int, int],
    owner: OrgDraft,
    used_titles: set[str],
    ach_id: str,
) -> AchDraft | None:
    """One achievement of topic `t`, or None if every title template collides with an existing one."""
    fi, ri, ui = combo
    F, R, U, N = (t.forms[fi].get(lang), t.routes[ri].get(lang), t.uses[ui].get(lang), t.name.get(lang))
    templates = list(_TITLE_ZH if lang == "zh" else _TITLE_EN)
    rng.shuffle(templates)
    # Capitalise English titles only: a Chinese title may start with a formula such as "n型".
    fix = _cap if lang == "en" else str
    title = next(
        (s for s in (fix(x.format(F=F, N=N, R=R, U=U)) for x in templates) if s not in used_titles), None
    )
    if title is None:
        return None
    used_titles.add(title)
    lo_trl, hi_trl = t.trl
    trl = rng.randint(lo_trl, hi_trl)
    picked: list[Metric] = rng.sample(list(t.metrics), 2)
    metrics = [(m, nice_round(rng.uniform(m.lo, m.hi), m.lo, m.hi, m.decimals)) for m in picked]
    m1, m2 = (m.render(v, lang) for m, v in metrics)
    scale = t.scales[_scale_index(trl)].get(lang)
    modes = _modes(rng, owner.kind)
    ip = random_ip(rng, trl, software=t.software)
    slots = {
        "F": F,
        "N": N,
        "R": R,
        "U": U,
        "m1": m1,
        "m2": m2,
        "S": scale,
        "trl": trl,
        "modes": _modes_text(modes, lang),
        "k": len(ip),
        "rights": _rights(len(ip)),
    }
    if lang == "zh":
        parts = [rng.choice(_S1_ZH), rng.choice(_S2_ZH), rng.choice(_S3_ZH)]
        if rng.random() < 0.65:
            parts.append(rng.choice(_S4_ZH))
        summary = "".join(p.format(**slots) for p in parts)
    else:
        parts = [rng.choice(_S1_EN), rng.choice(_S2_EN), rng.choice(_S3_EN)]
        if rng.random() < 0.65:
            parts.append(rng.choice(_S4_EN))
        summary = " ".join(_cap(p.format(**slots)) for p in parts)
    return AchDraft(
        id=ach_id,
        topic=t.key,
        lang=lang,
        domain=t.domain,
        title=title,
        summary=summary,
        keywords=_keywords(rng, t, F, lang),
        trl=trl,
        owner_id=owner.id,
        region=owner.region,
        ip=ip,
        transfer_modes=modes,
        asking_price_cny=_price(rng, trl, modes),
        form_index=fi,
        use_index=ui,
        metrics=metrics,
    )


def _owner(rng: random.Random, t: Topic, orgs: list[OrgDraft]) -> OrgDraft:
    research = [o for o in orgs if o.kind in ("university", "institute") and t.domain in o.domains]
    industrial = [
        o
        for o in orgs
        if o.kind in ("soe", "private") and t.domain in o.domains and t.key not in o.need_topics
    ]
    if industrial and rng.random() < 0.18:
        return rng.choice(industrial)
    return rng.choice(research)


def build_achievements(
    rng: random.Random, topics: list[Topic], orgs: list[OrgDraft], flagships: list[AchDraft]
) -> list[AchDraft]:
    """Flagships keep ACH-0001..; generated results are shuffled before numbering so ids do not
    follow the topic banks."""
    used_titles = {a.title for a in flagships}
    generated: list[AchDraft] = []
    for t in topics:
        already = [a for a in flagships if a.topic == t.key]
        total = max(rng.choice(VARIANT_COUNTS), len(already) + 1)
        mode = rng.choices(("en", "zh", "mixed"), weights=(52, 20, 28))[0]
        forms = list(range(len(t.forms)))
        rng.shuffle(forms)
        combos: list[tuple[int, int, int]] = []
        attempts = 0
        while len(combos) < total - len(already) and attempts < 200:
            attempts += 1
            fi = forms[len(combos) % len(forms)]
            combo = (fi, rng.randrange(len(t.routes)), rng.randrange(len(t.uses)))
            if combo in combos:
                continue
            lang: Lang = mode if mode != "mixed" else rng.choice(("en", "zh"))  # type: ignore[assignment]
            draft = compose(rng, t, lang, combo, _owner(rng, t, orgs), used_titles, "ACH-PENDING")
            if draft is not None:
                combos.append(combo)
                generated.append(draft)
    rng.shuffle(generated)
    for i, draft in enumerate(generated, start=len(flagships) + 1):
        draft.id = f"ACH-{i:04d}"
    return [*flagships, *generated]
