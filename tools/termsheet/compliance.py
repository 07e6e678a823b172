"""Compliance findings for a term sheet (pure): inventor rewards, unit rules, SOE incentive caps,
royalty levels and the technology-transfer tax relief. Each finding cites a policy section."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from tools.common import tr
from tools.policy_refs import (
    ART44,
    ART45,
    CAISHUI_2010_111,
    CAISHUI_2015_116,
    CAISHUI_2016_101_TECH_INVESTMENT,
    CIVIL_CODE_JOINT_IP,
    CIVIL_CODE_ROYALTY,
    EIT_ART90,
    PATENT_CO_OWNERS,
    ROYALTY_NOTE_MINIMUM,
    SOE_DIVIDEND_CAP,
    SOE_EQUITY_CAPS,
    BilingualRef,
    PolicyRef,
)
from tools.termsheet.waterfall import (
    LICENCES,
    QUALIFYING_LICENCE_YEARS,
    DealTerms,
    YearRow,
    licence_back,
    qualifies_for_exemption,
    statutory_min_pct,
)

Severity = Literal["error", "warning", "info"]
EnterpriseSize = Literal["large", "medium", "small", "micro"]

# 财资〔2016〕4号: caps on total equity incentives by enterprise size, per person, dividend pool.
SOE_TOTAL_CAP_PCT: dict[str, float] = {"large": 5.0, "medium": 10.0, "small": 30.0, "micro": 30.0}
SOE_PERSON_CAP_PCT = 3.0
SOE_DIVIDEND_POOL_CAP_PCT = 15.0
ROYALTY_TYPICAL_PCT = 5.0
ROYALTY_HIGH_PCT = 10.0


class Finding(BaseModel):
    code: str = Field(description="Machine-readable, e.g. art45_minimum.")
    severity: Severity
    message: str
    citation: PolicyRef | None = None


class IncentivePlan(BaseModel):
    """Equity / dividend incentives an SOE grants its staff alongside the deal (percent values)."""

    enterprise_size: EnterpriseSize | None = None
    total_equity_pct: float | None = None
    max_individual_pct: float | None = None
    dividend_pool_pct: float | None = Field(
        None, description="Annual dividend pool as % of after-tax profit."
    )


class ComplianceContext(BaseModel):
    """Facts about the parties that the rules depend on."""

    licensor_kind: str | None = None
    licensee_kind: str | None = None
    licensee_known: bool = True
    unit_rule_published: bool | None = None
    unit_rule_ref: PolicyRef | None = Field(None, description="The licensor's own rule, when one applied.")
    transfer_modes: list[str] = Field(default_factory=list)
    territory: str | None = None
    incentives: IncentivePlan = Field(default_factory=IncentivePlan)


_MODE_OF_DEAL = {
    "assignment": "assignment",
    "exclusive_license": "license",
    "nonexclusive_license": "license",
    "equity_investment": "equity",
    "joint_development": "joint_development",
}


def _f(code: str, severity: Severity, message: str, ref: BilingualRef | None, lang: str) -> Finding:
    return Finding(code=code, severity=severity, message=message, citation=ref.pick(lang) if ref else None)


def _art45(terms: DealTerms, cx: ComplianceContext, lang: str) -> list[Finding]:
    minimum = statutory_min_pct(terms)
    share = terms.inventor_share_pct
    basis = {
        "joint_development": tr(lang, "of the operating profit each year", "的年度营业利润"),
        "equity_investment": tr(lang, "of the equity obtained", "的作价投资所得股份"),
    }.get(terms.deal_type, tr(lang, "of the net income", "的转让/许可净收入"))
    if licence_back(terms):
        basis = tr(lang, "of the net licence income", "的许可净收入")
    state_unit = cx.licensor_kind in ("university", "institute")
    out: list[Finding] = []
    if terms.inventor_rule == "statutory":
        if share < minimum:
            out.append(
                _f(
                    "art45_minimum",
                    "error",
                    tr(
                        lang,
                        f"With no unit rule or agreement, inventors must get at least {minimum:g}% {basis}; the draft gives {share:g}%.",
                        f"单位无规定且无约定时，完成人应获得不低于{minimum:g}%{basis}；本草案仅为{share:g}%。",
                    ),
                    ART45,
                    lang,
                )
            )
        else:
            out.append(
                _f(
                    "art45_minimum",
                    "info",
                    tr(
                        lang,
                        f"Inventor reward {share:g}% {basis} meets the statutory minimum of {minimum:g}%.",
                        f"完成人奖励{share:g}%{basis}，满足法定最低{minimum:g}%。",
                    ),
                    ART45,
                    lang,
                )
            )
    elif share >= minimum and state_unit:
        out.append(
            _f(
                "art45_minimum",
                "info",
                tr(
                    lang,
                    f"The unit's rule ({share:g}% {basis}) meets Article 45's floor of {minimum:g}%, which binds state-established universities and institutes.",
                    f"本单位规定（{basis}{share:g}%）符合第四十五条对国家设立的研究开发机构、高等院校不低于{minimum:g}%的要求。",
                ),
                ART45,
                lang,
            )
        )
    elif share < minimum:
        if state_unit:
            out.append(
                _f(
                    "art45_minimum",
                    "error",
                    tr(
                        lang,
                        f"Rules of state-established universities and institutes must also meet Article 45: at least {minimum:g}% {basis}; the unit rule gives {share:g}%.",
                        f"国家设立的研究开发机构、高等院校自行规定的奖励也应符合第四十五条标准：不低于{minimum:g}%{basis}；本单位规定仅为{share:g}%。",
                    ),
                    ART45,
                    lang,
                )
            )
        else:
            out.append(
                _f(
                    "art45_unit_rule_below_default",
                    "info",
                    tr(
                        lang,
                        f"The unit rule ({share:g}%) is below the statutory default ({minimum:g}%); this is lawful only because a published unit rule applies.",
                        f"本单位规定（{share:g}%）低于法定默认标准（{minimum:g}%），仅因适用已公开的单位规定而合法。",
                    ),
                    ART45,
                    lang,
                )
            )
    if (
        terms.deal_type == "joint_development"
        and not licence_back(terms)
        and (terms.inventor_rule == "statutory" or state_unit)
    ):
        if terms.reward_years < 3:
            out.append(
                _f(
                    "art45_reward_years",
                    "error",
                    tr(
                        lang,
                        f"Operating-profit rewards must run for 3 to 5 consecutive years; the draft runs {terms.reward_years}.",
                        f"营业利润奖励应连续三至五年；本草案仅{terms.reward_years}年。",
                    ),
                    ART45,
                    lang,
                )
            )
        elif terms.reward_years > 5:
            out.append(
                _f(
                    "art45_reward_years",
                    "info",
                    tr(
                        lang,
                        f"Rewards run {terms.reward_years} years, longer than the statutory 3 to 5.",
                        f"奖励期{terms.reward_years}年，长于法定三至五年。",
                    ),
                    ART45,
                    lang,
                )
            )
    return out


def _art44(terms: DealTerms, cx: ComplianceContext, lang: str) -> list[Finding]:
    if terms.inventor_rule != "unit_rule":
        return []
    if cx.unit_rule_published:
        found = cx.unit_rule_ref
        return [
            Finding(
                code="art44_unit_rule",
                severity="info",
                message=tr(
                    lang,
                    "Rewards follow the unit's published rule, which takes precedence over the statutory defaults"
                    + (f" ({found.title}, {found.ref})." if found else "."),
                    "奖励按本单位已公开的规定执行，优先于法定默认标准"
                    + (f"（《{found.title}》{found.ref}）。" if found else "。"),
                ),
                citation=found or ART44.pick(lang),
            )
        ]
    return [
        _f(
            "art44_unit_rule",
            "warning",
            tr(
                lang,
                "A unit rule applies only if the unit adopted it after consulting its staff and published it internally; confirm it is published, or the statutory defaults apply.",
                "单位规定须在充分听取科技人员意见后制定并在本单位公开方可适用；请确认已公开，否则适用法定标准。",
            ),
            ART44,
            lang,
        )
    ]


def _royalty(terms: DealTerms, lang: str) -> list[Finding]:
    rate = terms.royalty_rate_pct
    if rate > ROYALTY_HIGH_PCT:
        return [
            _f(
                "royalty_rate",
                "warning",
                tr(
                    lang,
                    f"A royalty of {rate:g}% is above 10%, higher than nearly all technology licences; justify it or lower it.",
                    f"提成率{rate:g}%高于10%，超过绝大多数技术许可水平，请说明理由或下调。",
                ),
                CIVIL_CODE_ROYALTY,
                lang,
            )
        ]
    if rate > ROYALTY_TYPICAL_PCT:
        return [
            _f(
                "royalty_rate",
                "info",
                tr(
                    lang,
                    f"A royalty of {rate:g}% is above 5%, where about two-thirds of technology royalties sit.",
                    f"提成率{rate:g}%高于5%（约三分之二的技术提成率不超过5%）。",
                ),
                CIVIL_CODE_ROYALTY,
                lang,
            )
        ]
    return []


def _tax(terms: DealTerms, rows: list[YearRow], lang: str) -> list[Finding]:
    if (
        terms.deal_type in LICENCES
        and terms.term_years is not None
        and terms.term_years < QUALIFYING_LICENCE_YEARS
    ):
        ref = CAISHUI_2015_116 if terms.deal_type == "nonexclusive_license" else CAISHUI_2010_111
        kind = tr(
            lang,
            "non-exclusive" if terms.deal_type == "nonexclusive_license" else "exclusive",
            "普通" if terms.deal_type == "nonexclusive_license" else "独占",
        )
        return [
            _f(
                "tax_exemption_term",
                "warning",
                tr(
                    lang,
                    f"{'An' if kind[0] in 'aeiou' else 'A'} {kind} licence of {terms.term_years} years does not qualify for the technology-transfer income tax relief (needs 5 years or more); income is taxed at 25%.",
                    f"{terms.term_years}年的{kind}许可不满5年，不享受技术转让所得减免税，按25%纳税。",
                ),
                ref,
                lang,
            )
        ]
    if qualifies_for_exemption(terms) and any(r.transfer_income_taxable > 0 for r in rows):
        exempt = sum(r.tax_exempt for r in rows)
        # A one-off assignment has no term to sum over.
        over_en, over_zh = (" over the term", "期内") if terms.term_years is not None else ("", "")
        return [
            _f(
                "tax_exemption",
                "info",
                tr(
                    lang,
                    f"Technology-transfer income qualifies: up to RMB 5M a year exempt, the excess at 12.5%; RMB {exempt:,.0f} exempt{over_en}.",
                    f"技术转让所得符合减免条件：每年500万元以内免税，超过部分减半（12.5%）；{over_zh}免税合计{exempt:,.0f}元。",
                ),
                EIT_ART90,
                lang,
            )
        ]
    return []


_WORLDWIDE = ("worldwide", "global", "world", "全球", "全世界", "世界范围")


def is_worldwide(territory: str | None) -> bool:
    """Whether a territory string grants the licence everywhere (what 财税〔2010〕111号 asks of exclusive ones)."""
    t = (territory or "").strip().lower()
    return any(w in t for w in _WORLDWIDE)


def _exclusive_territory(terms: DealTerms, cx: ComplianceContext, lang: str) -> list[Finding]:
    # 111号 counts an exclusive licence as a "technology transfer" only when it is worldwide (and >= 5
    # years); a territorial one is not clearly covered by 116号 (non-exclusive) either. The projection
    # still applies the relief, so the user must know it rests on that reading.
    if (
        terms.deal_type != "exclusive_license"
        or not qualifies_for_exemption(terms)
        or is_worldwide(cx.territory)
    ):
        return []
    where = cx.territory or tr(lang, "a limited territory", "限定地域")
    return [
        _f(
            "tax_exemption_territory",
            "warning",
            tr(
                lang,
                f"The tax relief assumed here covers exclusive licences that are worldwide (Cai Shui [2010] No. 111); "
                f"an exclusive licence limited to {where} may not qualify. Confirm with the tax authority, or grant "
                "the licence worldwide.",
                f"财税〔2010〕111号所称独占许可为全球独占许可；仅限{where}的独占许可可能不享受本表假设的技术转让所得减免，"
                "请向主管税务机关确认，或改为全球独占许可。",
            ),
            CAISHUI_2010_111,
            lang,
        )
    ]


def _soe(cx: ComplianceContext, lang: str) -> list[Finding]:
    inc = cx.incentives
    given = [inc.total_equity_pct, inc.max_individual_pct, inc.dividend_pool_pct]
    if all(v is None for v in given):
        return []
    applies = inc.enterprise_size is not None or "soe" in (cx.licensor_kind, cx.licensee_kind)
    if not applies:
        return []
    out: list[Finding] = []
    size = inc.enterprise_size
    if inc.total_equity_pct is not None:
        if size is None:
            out.append(
                _f(
                    "soe_size_unknown",
                    "warning",
                    tr(
                        lang,
                        "State the enterprise size (large/medium/small/micro): the equity-incentive cap is 5%, 10% or 30% of equity by size.",
                        "请说明企业规模（大型/中型/小微）：股权激励总额上限按规模分别为总股本的5%、10%、30%。",
                    ),
                    SOE_EQUITY_CAPS,
                    lang,
                )
            )
        else:
            cap = SOE_TOTAL_CAP_PCT[size]
            size_zh = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}[size]
            if inc.total_equity_pct > cap:
                out.append(
                    _f(
                        "soe_total_cap",
                        "error",
                        tr(
                            lang,
                            f"Total equity incentive {inc.total_equity_pct:g}% exceeds the {cap:g}% cap for a {size} enterprise.",
                            f"股权激励总额{inc.total_equity_pct:g}%超过{size_zh}企业{cap:g}%的上限。",
                        ),
                        SOE_EQUITY_CAPS,
                        lang,
                    )
                )
            else:
                out.append(
                    _f(
                        "soe_total_cap",
                        "info",
                        tr(
                            lang,
                            f"Total equity incentive {inc.total_equity_pct:g}% is within the {cap:g}% cap for a {size} enterprise.",
                            f"股权激励总额{inc.total_equity_pct:g}%未超过{size_zh}企业{cap:g}%的上限。",
                        ),
                        SOE_EQUITY_CAPS,
                        lang,
                    )
                )
    if inc.max_individual_pct is not None and inc.max_individual_pct > SOE_PERSON_CAP_PCT:
        out.append(
            _f(
                "soe_person_cap",
                "error",
                tr(
                    lang,
                    f"One person would receive {inc.max_individual_pct:g}% of equity; the cap is 3%.",
                    f"单个激励对象获得{inc.max_individual_pct:g}%股权，超过3%的上限。",
                ),
                SOE_EQUITY_CAPS,
                lang,
            )
        )
    if inc.dividend_pool_pct is not None and inc.dividend_pool_pct > SOE_DIVIDEND_POOL_CAP_PCT:
        out.append(
            _f(
                "soe_dividend_cap",
                "error",
                tr(
                    lang,
                    f"The annual dividend pool of {inc.dividend_pool_pct:g}% of after-tax profit exceeds the 15% cap.",
                    f"年度分红激励总额为税后利润的{inc.dividend_pool_pct:g}%，超过15%的上限。",
                ),
                SOE_DIVIDEND_CAP,
                lang,
            )
        )
    return out


# Transfer modes of the ingest contract, as people write them (en, zh).
TRANSFER_MODE_LABELS: dict[str, tuple[str, str]] = {
    "assignment": ("assignment", "转让"),
    "license": ("licensing", "许可"),
    "equity": ("investment at appraised value (equity)", "作价投资"),
    "joint_development": ("joint development", "合作开发"),
    "service": ("technical services", "技术服务"),
}


def _parties(terms: DealTerms, cx: ComplianceContext, lang: str) -> list[Finding]:
    out: list[Finding] = []
    if not cx.licensee_known:
        out.append(
            _f(
                "licensee_missing",
                "warning",
                tr(lang, "No counterparty named yet.", "尚未指定交易对方。"),
                None,
                lang,
            )
        )
    mode = _MODE_OF_DEAL[terms.deal_type]
    if cx.transfer_modes and mode not in cx.transfer_modes:
        offered_en = ", ".join(TRANSFER_MODE_LABELS.get(m, (m, m))[0] for m in cx.transfer_modes)
        offered_zh = "、".join(TRANSFER_MODE_LABELS.get(m, (m, m))[1] for m in cx.transfer_modes)
        mode_en, mode_zh = TRANSFER_MODE_LABELS.get(mode, (mode, mode))
        out.append(
            _f(
                "transfer_mode",
                "warning",
                tr(
                    lang,
                    f"The achievement is offered for {offered_en}, not {mode_en}; confirm with the owner.",
                    f"该成果登记的转化方式为{offered_zh}，不含{mode_zh}，请与权利人确认。",
                ),
                None,
                lang,
            )
        )
    return out


def _structures(terms: DealTerms, rows: list[YearRow], lang: str) -> list[Finding]:
    """Checks of the richer structures: joint IP, licence-back, equity mix and tax deferral, minimum royalty."""
    out: list[Finding] = []
    if terms.deal_type == "joint_development":
        if terms.ip_share_pct is None:
            out.append(
                _f(
                    "joint_ip_ownership",
                    "warning",
                    tr(
                        lang,
                        "The ownership of the jointly developed IP is not agreed: by default the right to apply for "
                        "patents is shared by the parties; state the split.",
                        "未约定合作开发成果的知识产权归属：没有约定时专利申请权归合作各方共有，请约定比例。",
                    ),
                    CIVIL_CODE_JOINT_IP,
                    lang,
                )
            )
        else:
            out.append(
                _f(
                    "joint_ip_ownership",
                    "info",
                    tr(
                        lang,
                        f"Jointly developed IP owned {terms.ip_share_pct:g}% by the owner and "
                        f"{100 - terms.ip_share_pct:g}% by the co-developer, as agreed.",
                        f"合作开发成果的知识产权按约定由权利人占{terms.ip_share_pct:g}%、合作方占{100 - terms.ip_share_pct:g}%。",
                    ),
                    CIVIL_CODE_JOINT_IP,
                    lang,
                )
            )
        if licence_back(terms):
            out.append(
                _f(
                    "joint_licence_back",
                    "info",
                    tr(
                        lang,
                        "Co-owners may use the patent alone or grant non-exclusive licences without each other; an "
                        "exclusive licence-back needs this agreement, which should say so.",
                        "共有人可以单独实施或以普通许可方式许可他人实施；独占性的许可回授须经共有人约定，本条款应写明。",
                    ),
                    PATENT_CO_OWNERS,
                    lang,
                )
            )
    if terms.deal_type == "equity_investment":
        out.append(
            _f(
                "equity_tax_deferral",
                "info",
                tr(
                    lang,
                    "Technology invested for shares only may elect deferred income tax: none at investment, "
                    "tax on selling the shares (after filing with the tax authority).",
                    "以技术成果投资入股且全部取得股权的，经备案可选择递延纳税：投资入股时不纳税，转让股权时纳税。",
                ),
                CAISHUI_2016_101_TECH_INVESTMENT,
                lang,
            )
        )
    topups = [r for r in rows if r.royalty_topup]
    if terms.minimum_annual_royalty_cny and topups:
        years = ", ".join(str(r.year) for r in topups)
        total = sum(r.royalty_topup for r in topups)
        out.append(
            _f(
                "minimum_royalty",
                "info",
                tr(
                    lang,
                    f"The minimum annual royalty of RMB {terms.minimum_annual_royalty_cny:,.0f} adds "
                    f"RMB {total:,.0f} in year(s) {years}, when running royalties fall short.",
                    f"年度最低提成{terms.minimum_annual_royalty_cny:,.0f}元：第{years}年提成不足，补足合计{total:,.0f}元。",
                ),
                ROYALTY_NOTE_MINIMUM,
                lang,
            )
        )
    return out


def check_compliance(
    terms: DealTerms, rows: list[YearRow], cx: ComplianceContext, lang: str = "en"
) -> list[Finding]:
    """All findings, errors first."""
    findings = [
        *_art45(terms, cx, lang),
        *_art44(terms, cx, lang),
        *_royalty(terms, lang),
        *_tax(terms, rows, lang),
        *_exclusive_territory(terms, cx, lang),
        *_soe(cx, lang),
        *_structures(terms, rows, lang),
        *_parties(terms, cx, lang),
    ]
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: order[f.severity])
