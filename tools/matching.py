"""Pure partner-matching logic: score one (achievement, organisation) pair, rank candidates.

Both directions (partners for an achievement, achievements for a need) score the same pair
facts; only where the semantic similarity and the evidence sentence come from differs. Any
side may be partly unknown (free-text queries): a component that cannot be judged is `None`
and its weight is left out of the weighted mean.

Weights (sum 1.0): semantic 0.58, domain 0.20, TRL 0.10, investment 0.10, region 0.02. A
component that does not apply counts as neutral (0.5). Tuned on the labelled sample cases
(`knowledge/sample/matching_cases.jsonl`): region is a weak signal there, so it only breaks ties.
Semantic fit is the best cosine between the achievement text and the organisation's needs
(and capabilities), rescaled linearly from [0.10, 0.70] to [0, 1]: unrelated USE texts sit
below 0.1, paraphrases (also across zh/en) above 0.7.
Candidates below MIN_TOTAL are not worth proposing and are dropped.

Strength labels for the surfaces (`strength`): "strong" from STRONG_TOTAL (0.60), "fair" from
FAIR_TOTAL (0.45), "weak" below. Chosen on the labelled sample cases (30 cases, top 10 each):
57 of the 59 acceptable answers score >= 0.45 while 121 of the 241 other candidates score below
it, so "weak" rarely hides a right answer; >= 0.60 holds 37 of the 59 acceptable answers and 9
of the 241 others, so "strong" is rarely wrong. A weak match also says so in its reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from knowledge.domains import domain_label
from knowledge.regions import region_label
from tools.common import money, money_range, tr

WEIGHTS: dict[str, float] = {
    "semantic": 0.58,
    "domain": 0.20,
    "trl": 0.10,
    "investment": 0.10,
    "region": 0.02,
}
COSINE_FLOOR = 0.10
COSINE_CEIL = 0.70
TRL_STEP_PENALTY = 0.25
MIN_TOTAL = 0.25
NEUTRAL = 0.5
BUDGET_TOLERANCE = 1.2
"""A free-text need's budget admits asking prices up to 20% above it (scored 0.5, with a reason)."""
STRONG_TOTAL = 0.60
FAIR_TOTAL = 0.45

Strength = Literal["strong", "fair", "weak"]


def strength(total: float) -> Strength:
    """The label a surface shows next to a score (thresholds in the module docstring)."""
    if total >= STRONG_TOTAL:
        return "strong"
    if total >= FAIR_TOTAL:
        return "fair"
    return "weak"


class AchievementSide(BaseModel):
    """What is known about the achievement (or the technology a need asks for)."""

    domain: str | None = None
    trl: int | None = None
    price: float | None = Field(None, description="Asking price in CNY (or the budget for a need).")
    region: str | None = None
    free_text: bool = Field(
        False, description="Described in free text, not a stored achievement (changes the wording only)."
    )


class OrgSide(BaseModel):
    """What is known about the organisation (or the party stating a need)."""

    kind: str | None = None
    domains: list[str] = Field(default_factory=list)
    trl_min: int | None = None
    trl_max: int | None = None
    investment_min: float | None = None
    investment_max: float | None = None
    region: str | None = None
    free_text: bool = Field(
        False, description="A free-text need, not a stored organisation (changes the wording only)."
    )


class Components(BaseModel):
    """Component scores in [0, 1]; None when the component does not apply."""

    semantic: float
    domain: float | None = None
    trl: float | None = None
    investment: float | None = None
    region: float | None = None


class PairScore(BaseModel):
    total: float
    components: Components
    reasons: list[str]
    exclusion: str | None = Field(None, description="Why a hard rule rules this pair out, if one does.")
    potential: float = Field(
        0.0, description="The total with the excluding components left out: how strong it would be."
    )


def rescale_cosine(cosine: float) -> float:
    return min(1.0, max(0.0, (cosine - COSINE_FLOOR) / (COSINE_CEIL - COSINE_FLOOR)))


def trl_fit(trl: int, lo: int | None, hi: int | None) -> float:
    """1 inside [lo, hi]; minus 0.25 per level outside, floored at 0."""
    if lo is not None and trl < lo:
        return max(0.0, 1.0 - TRL_STEP_PENALTY * (lo - trl))
    if hi is not None and trl > hi:
        return max(0.0, 1.0 - TRL_STEP_PENALTY * (trl - hi))
    return 1.0


def weighted_total(c: Components) -> float:
    """Weighted sum; a component that does not apply counts as NEUTRAL (so extra applicable
    components, e.g. an investor's ticket fit, neither inflate nor deflate a score by existing)."""
    return round(
        sum(WEIGHTS[name] * (NEUTRAL if value is None else value) for name, value in c.model_dump().items()),
        4,
    )


def _trl_range(lo: int | None, hi: int | None) -> str:
    return f"{lo if lo is not None else 1}–{hi if hi is not None else 9}"


def _trl_exclusion(ach: AchievementSide, floor: int, need: bool, lang: str) -> str:
    """Why an investor's TRL floor rules the pair out, worded for whichever side is free text."""
    if need:
        return tr(
            lang,
            f"The need asks for TRL ≥ {floor} (this achievement: TRL {ach.trl})",
            f"该需求要求 TRL ≥ {floor}，本成果为 TRL {ach.trl}",
        )
    if ach.free_text:
        return tr(
            lang,
            f"Invests only at TRL ≥ {floor} (the technology described: TRL {ach.trl})",
            f"该机构只投资 TRL ≥ {floor} 的项目，所述技术为 TRL {ach.trl}",
        )
    return tr(
        lang,
        f"Invests only at TRL ≥ {floor} (this achievement: TRL {ach.trl})",
        f"该机构只投资 TRL ≥ {floor} 的项目，本成果为 TRL {ach.trl}",
    )


def _ticket_reason(ach: AchievementSide, org: OrgSide, lang: str) -> str:
    ticket = money_range(org.investment_min, org.investment_max, lang)
    price = money(ach.price, lang)
    if org.free_text:
        return tr(lang, f"Budget {ticket} covers the asking price {price}", f"预算 {ticket} 覆盖报价 {price}")
    if ach.free_text:
        return tr(
            lang,
            f"Ticket {ticket} covers the price given ({price})",
            f"投资额度 {ticket} 覆盖所给价格 {price}",
        )
    return tr(lang, f"Ticket {ticket} covers {price}", f"投资额度 {ticket} 覆盖 {price}")


def _ticket_exclusion(ach: AchievementSide, org: OrgSide, lang: str) -> str:
    ticket = money_range(org.investment_min, org.investment_max, lang)
    price = money(ach.price, lang)
    if org.free_text:
        return tr(
            lang,
            f"Budget {ticket} does not cover the asking price {price}",
            f"预算 {ticket} 不覆盖报价 {price}",
        )
    if ach.free_text:
        return tr(
            lang,
            f"Ticket {ticket} does not cover the price given ({price})",
            f"投资额度 {ticket} 不覆盖所给价格 {price}",
        )
    return tr(
        lang,
        f"Ticket {ticket} does not cover the asking price {price}",
        f"投资额度 {ticket} 不覆盖报价 {price}",
    )


def score_pair(
    ach: AchievementSide, org: OrgSide, cosine: float, evidence: str, lang: str = "en"
) -> PairScore:
    """Score one pair: components, weighted total, reasons in `lang`, and any hard exclusion."""
    reasons: list[str] = []
    semantic = rescale_cosine(cosine)
    reasons.append(
        tr(
            lang,
            f"Need/capability fit {semantic:.2f}: “{evidence}”",
            f"需求/能力匹配度 {semantic:.2f}：“{evidence}”",
        )
    )

    domain: float | None = None
    if ach.domain is not None and org.domains:
        domain = 1.0 if ach.domain in org.domains else 0.0
        label = domain_label(ach.domain, lang)
        reasons.append(
            tr(lang, f"Works in {label}", f"业务覆盖{label}领域")
            if domain
            else tr(lang, f"Outside its domains ({label})", f"不在其业务领域（{label}）")
        )

    exclusion: str | None = None
    ruled_out: set[str] = set()
    trl: float | None = None
    if ach.trl is not None and (org.trl_min is not None or org.trl_max is not None):
        trl = trl_fit(ach.trl, org.trl_min, org.trl_max)
        rng = _trl_range(org.trl_min, org.trl_max)
        if trl == 1.0:
            reasons.append(
                tr(
                    lang,
                    f"TRL {ach.trl} within its range {rng}",
                    f"技术成熟度 TRL {ach.trl} 在其偏好范围 {rng} 内",
                )
            )
        else:
            reasons.append(
                tr(
                    lang,
                    f"TRL {ach.trl} outside its range {rng}",
                    f"技术成熟度 TRL {ach.trl} 不在其偏好范围 {rng} 内",
                )
            )
        if org.kind == "investor" and org.trl_min is not None and ach.trl < org.trl_min:
            exclusion = _trl_exclusion(ach, org.trl_min, org.free_text, lang)
            ruled_out.add("trl")

    investment: float | None = None
    if (
        org.kind == "investor"
        and ach.price is not None
        and (org.investment_min is not None or org.investment_max is not None)
    ):
        lo, hi = org.investment_min, org.investment_max
        inside = (lo is None or ach.price >= lo) and (hi is None or ach.price <= hi)
        # A buyer's budget is a starting point for negotiation, an investor's ticket range a rule:
        # a price a little over a stated budget is a fair candidate, not an exclusion.
        near = (
            not inside
            and org.free_text
            and lo is None
            and hi is not None
            and ach.price <= hi * BUDGET_TOLERANCE
        )
        investment = 1.0 if inside else (0.5 if near else 0.0)
        if inside:
            reasons.append(_ticket_reason(ach, org, lang))
        elif near:
            reasons.append(
                tr(
                    lang,
                    f"Asking price {money(ach.price, lang)} is slightly above the budget {money(hi, lang)}",
                    f"报价 {money(ach.price, lang)} 略高于预算 {money(hi, lang)}",
                )
            )
        else:
            ticket_reason = _ticket_exclusion(ach, org, lang)
            exclusion = f"{exclusion}{tr(lang, '; ', '；')}{ticket_reason}" if exclusion else ticket_reason
            ruled_out.add("investment")

    region: float | None = None
    if ach.region and org.region:
        region = 1.0 if ach.region == org.region else 0.0
        if region:
            reasons.append(
                tr(
                    lang,
                    f"Same region ({region_label(org.region, lang)})",
                    f"同在{region_label(org.region, lang)}",
                )
            )

    comps = Components(
        semantic=round(semantic, 4), domain=domain, trl=trl, investment=investment, region=region
    )
    total = weighted_total(comps)
    if strength(total) == "weak":
        # First, so a surface that shortens the list still says it.
        reasons.insert(
            0,
            tr(
                lang,
                f"Weak match overall (score {total:.2f}, below {FAIR_TOTAL:.2f})",
                f"整体匹配较弱（得分 {total:.2f}，低于 {FAIR_TOTAL:.2f}）",
            ),
        )
    potential = weighted_total(comps.model_copy(update=dict.fromkeys(ruled_out))) if ruled_out else total
    return PairScore(total=total, components=comps, reasons=reasons, exclusion=exclusion, potential=potential)


class Ranked(BaseModel):
    """A candidate id with its score, for `split_ranked`."""

    id: str
    score: PairScore


def split_ranked(
    candidates: Sequence[Ranked], k: int, *, strong_floor: float = 0.5, min_total: float = MIN_TOTAL
) -> tuple[list[Ranked], list[Ranked]]:
    """Top-k admissible candidates scoring at least `min_total`, and the excluded ones worth mentioning.

    An excluded candidate is "otherwise strong" when, ignoring the rule, it would rank inside the
    top k (its potential reaches the k-th admitted total, or `strong_floor` when fewer than k are
    admitted), or when it works in the achievement's domain (investors' needs are generic
    statements, so their text similarity is a weak signal). At most k are returned, strongest first.
    """
    ordered = sorted(candidates, key=lambda c: (-c.score.total, c.id))
    admitted = [c for c in ordered if c.score.exclusion is None and c.score.total >= min_total][:k]
    bar = min(admitted[-1].score.total, strong_floor) if len(admitted) >= k else strong_floor
    excluded = [
        c
        for c in ordered
        if c.score.exclusion is not None and (c.score.potential >= bar or c.score.components.domain == 1.0)
    ]
    excluded.sort(key=lambda c: (-c.score.potential, c.id))
    return admitted, excluded[:k]
