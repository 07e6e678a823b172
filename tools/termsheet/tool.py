"""draft_term_sheet: resolve parties and defaults from the KB, compute, check, render files."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from knowledge.domains import domain_label
from knowledge.models import Achievement, Organisation
from knowledge.quoting import as_quotation
from tools.base import ToolContext, ToolError, ToolKind, tool
from tools.common import ArtifactRef, KnowledgeBaseLike, fail, get_kb, money, tr
from tools.policy_refs import PolicyRef
from tools.termsheet.compliance import ComplianceContext, EnterpriseSize, IncentivePlan, check_compliance
from tools.termsheet.model import EquitySplit, InventorRuleBasis, Party, TermSheet
from tools.termsheet.render import DEAL_LABELS, PARTY_LABELS, to_docx, to_markdown
from tools.termsheet.unit_rules import find_unit_rule, reward_case
from tools.termsheet.waterfall import (
    STATUTORY_MIN_PCT,
    DealTerms,
    DealType,
    Instalment,
    InventorRule,
    JointReturn,
    Milestone,
    compute_waterfall,
    default_revenue,
    equal_instalments,
    equity_breakdown,
    is_one_off,
    totals,
)

Pct = Annotated[float, Field(ge=0, le=100)]

DEFAULT_ROYALTY_PCT = {"exclusive_license": 5.0, "nonexclusive_license": 3.0}
DEFAULT_TERM_YEARS = 5
DEFAULT_EQUITY_SHARE_PCT = 20.0
DEFAULT_PROFIT_SHARE_PCT = 30.0
DEFAULT_LICENCE_BACK_ROYALTY_PCT = 3.0


class DraftTermSheetInput(BaseModel):
    deal_type: DealType = Field(
        description="assignment, exclusive_license, nonexclusive_license, equity_investment or joint_development."
    )
    achievement_id: str = Field(min_length=1, description="Achievement id (ACH-…).")
    licensor_id: str | None = Field(None, description="Licensor org id; default: the achievement's owner.")
    licensee: str | None = Field(None, description="Licensee / partner: an org id (ORG-…) or a name.")
    upfront_fee_cny: Annotated[float, Field(ge=0)] | None = Field(
        None,
        description="Upfront fee (assignment: the price; default the asking price for assignments, else 0).",
    )
    royalty_rate_pct: Pct | None = Field(
        None,
        description="Running royalty, percent of licensee revenue (default 5 exclusive, 3 non-exclusive, 0 otherwise).",
    )
    milestones: list[Milestone] = Field(
        default_factory=list, description="Milestone payments: description, year, amount_cny."
    )
    equity_share_pct: Pct | None = Field(
        None,
        description="equity_investment: percent of the new company's equity obtained for the achievement (default 20).",
    )
    appraised_value_cny: Annotated[float, Field(ge=0)] | None = Field(
        None, description="equity_investment: appraised value of the achievement (default: asking price)."
    )
    profit_share_pct: Pct | None = Field(
        None, description="joint_development: unit's share of the operating profit (default 30)."
    )
    operating_margin_pct: Pct = Field(15.0, description="joint_development: operating margin on revenue.")
    net_margin_pct: Pct = Field(10.0, description="equity_investment: the company's net margin on revenue.")
    payout_ratio_pct: Pct = Field(
        30.0, description="equity_investment: share of net profit paid as dividends."
    )
    term_years: Annotated[int, Field(ge=1, le=30)] = Field(
        DEFAULT_TERM_YEARS, description="Term in years (1..30)."
    )
    territory: str | None = Field(None, description='Territory; default "Mainland China" / "中国大陆".')
    field_of_use: str | None = Field(None, description="Field of use; default the achievement's domain.")
    revenue_projection_cny: list[Annotated[float, Field(ge=0)]] | None = Field(
        None,
        description="Licensee revenue per year; default a ramp: base x min(year, 5), base = asking price or RMB 10M.",
    )
    cost_ratio_pct: Pct = Field(
        10.0, description="Licensor's costs as percent of gross income (deducted to get net income)."
    )
    inventor_rule: InventorRule | None = Field(
        None,
        description='"statutory" (Art. 45 defaults) or "unit_rule" (the unit\'s published percentage). '
        "Default: the licensor's own published rule when the knowledge base has one, else statutory.",
    )
    inventor_share_pct: Pct | None = Field(
        None,
        description="Inventor team's share: of net income, of the equity, or of operating profit (joint). Default: statutory minimum.",
    )
    unit_rule_published: bool | None = Field(
        None, description="unit_rule: whether the unit's rule is published (Art. 44)."
    )
    reward_years: Annotated[int, Field(ge=1, le=30)] = Field(
        5, description="joint_development: years of operating-profit rewards (statutory 3..5)."
    )
    soe_enterprise_size: EnterpriseSize | None = Field(
        None, description="SOE paying equity incentives: large, medium, small or micro."
    )
    equity_incentive_total_pct: Pct | None = Field(
        None, description="SOE equity incentive: total, percent of equity."
    )
    equity_incentive_max_individual_pct: Pct | None = Field(
        None, description="SOE equity incentive: largest single grant, percent of equity."
    )
    dividend_pool_pct: Pct | None = Field(
        None, description="SOE dividend incentive: annual pool, percent of after-tax profit."
    )
    # --- assignment paid over years
    instalments: list[Instalment] = Field(
        default_factory=list,
        description="assignment: the price as instalments [{year, amount_cny, description}] (replaces upfront_fee_cny).",
    )
    instalment_count: Annotated[int, Field(ge=1, le=10)] | None = Field(
        None,
        description="assignment: pay the price (upfront_fee_cny, default the asking price) in this many equal yearly instalments.",
    )
    # --- licences
    minimum_annual_royalty_cny: Annotated[float, Field(ge=0)] | None = Field(
        None,
        description="Licences and licence-backs: minimum royalty per year (CNY); royalties are topped up to it.",
    )
    minimum_royalty_from_year: Annotated[int, Field(ge=1, le=30)] = Field(
        1, description="First projection year the minimum annual royalty applies."
    )
    # --- joint development
    funding_total_cny: Annotated[float, Field(ge=0)] | None = Field(
        None,
        description="joint_development: co-developer's total funding of the work (CNY), spread over funding_years.",
    )
    funding_years: Annotated[int, Field(ge=1, le=30)] | None = Field(
        None,
        description="joint_development: years over which funding_total_cny is paid (equal parts; default 1).",
    )
    funding_schedule_cny: list[Annotated[float, Field(ge=0)]] | None = Field(
        None, description="joint_development: funding per year (overrides funding_total_cny / funding_years)."
    )
    ip_share_pct: Pct | None = Field(
        None,
        description="joint_development: the owner unit's share of the jointly developed IP (50 = co-owned 50/50).",
    )
    joint_return: JointReturn | None = Field(
        None,
        description='joint_development: "profit_share" (the unit shares operating profit; default) or '
        '"license_back" (the co-developer licenses the unit\'s share of the IP for royalty_rate_pct of revenue).',
    )
    # --- equity investment
    cash_investment_cny: Annotated[float, Field(ge=0)] | None = Field(
        None,
        description="equity_investment: cash the other shareholders put into the new company; with "
        "appraised_value_cny it sets the technology's stake (value / (value + cash)) unless equity_share_pct is given.",
    )
    lang: Literal["zh", "en"] | None = Field(None, description='Language of the term sheet: "zh" or "en".')

    @model_validator(mode="after")
    def _schedule(self) -> DraftTermSheetInput:
        if self.instalments and self.instalment_count:
            raise ValueError("give instalments or instalment_count, not both")
        if self.funding_schedule_cny is not None and (self.funding_total_cny is not None):
            raise ValueError("give funding_schedule_cny or funding_total_cny, not both")
        years = projection_years(self)
        due: list[tuple[str, int]] = [(f"milestones[{i}]", m.year) for i, m in enumerate(self.milestones)]
        due += [(f"instalments[{i}]", p.year) for i, p in enumerate(self.instalments)]
        for name, year in due:
            if year > years:
                raise ValueError(f"{name}.year {year} is after the last projection year {years}")
        funding = funding_schedule(self)
        if len(funding) > years:
            raise ValueError(f"funding runs {len(funding)} years, longer than the {years} projection years")
        return self


def projection_years(args: DraftTermSheetInput) -> int:
    """How many years the waterfall covers.

    An assignment paid in instalments (no running royalty) lasts as long as its payments;
    everything else runs for the revenue projection or the term.
    """
    if args.revenue_projection_cny:
        return len(args.revenue_projection_cny)
    if (
        args.deal_type == "assignment"
        and not args.royalty_rate_pct
        and (args.instalments or args.instalment_count)
    ):
        last = max([p.year for p in args.instalments] + [m.year for m in args.milestones] + [1])
        return args.instalment_count or last
    return args.term_years


def funding_schedule(args: DraftTermSheetInput) -> list[float]:
    """The co-developer's funding per year: the schedule given, or the total in equal yearly parts."""
    if args.funding_schedule_cny is not None:
        return list(args.funding_schedule_cny)
    if args.funding_total_cny is None:
        return []
    n = args.funding_years or 1
    return [
        round(args.funding_total_cny / n, 2)
        if i < n - 1
        else round(args.funding_total_cny - round(args.funding_total_cny / n, 2) * (n - 1), 2)
        for i in range(n)
    ]


def _party(kb: KnowledgeBaseLike, ref: str | None) -> tuple[Party, Organisation | None]:
    if not ref:
        return Party(name=""), None
    rec = kb.get(ref.strip())
    if isinstance(rec, Organisation):
        return Party(id=rec.id, name=rec.name, kind=rec.kind), rec
    low = ref.strip().lower()
    for org in kb.records("organisation"):
        if isinstance(org, Organisation) and org.name.lower() == low:
            return Party(id=org.id, name=org.name, kind=org.kind), org
    return Party(name=ref.strip()), None


_BASIS_WORDS: dict[str, tuple[str, str]] = {
    "transfer": ("of the net income", "转让净收入的"),
    "license": ("of the net income", "许可净收入的"),
    "equity": ("of the equity obtained", "作价投资所得股份的"),
    "implementation": ("of the operating profit each year", "每年营业利润的"),
}


def inventor_basis(
    kb: KnowledgeBaseLike,
    args: DraftTermSheetInput,
    deal: str,
    joint_return: str,
    org_id: str | None,
    org_kind: str | None,
    lang: Literal["zh", "en"],
) -> InventorRuleBasis:
    """Which rule sets the inventor share: a stated share, the licensor's own published rule, or Art. 45.

    Art. 44 lets a unit set its own rule; Art. 45's percentages apply only when it has none. The
    floor still binds a state-established university's or institute's own rule (Art. 45, last
    paragraph), not an enterprise's.
    """
    case = reward_case(deal, joint_return)
    floor = STATUTORY_MIN_PCT["exclusive_license" if case == "license" else deal]
    state_unit = org_kind in ("university", "institute")
    basis_en, basis_zh = _BASIS_WORDS[case]
    rule = (
        find_unit_rule(kb.policies(), org_id, case, lang)
        if args.inventor_rule != "statutory" and args.inventor_share_pct is None
        else None
    )
    if rule is not None:
        binds = floor if state_unit else None
        # A Chinese rule cited in English is quoted: the rule's own words, not the sheet's.
        cite = f"{as_quotation(rule.title, 'en')}, {as_quotation(rule.section_ref, 'en')} [{rule.doc_id}]"
        cite_zh = f"《{rule.title}》{rule.section_ref}［{rule.doc_id}］"
        if binds is None:
            tail_en = "Article 45 sets no floor for an enterprise's own rule."
            tail_zh = "第四十五条对企业自行制定的规定未设下限。"
        elif rule.share_pct >= binds:
            tail_en = f"As a state-established unit its rule must meet Article 45's {binds:g}%; it does."
            tail_zh = f"国家设立的单位，其规定须符合第四十五条不低于{binds:g}%的标准；本规定符合。"
        else:
            tail_en = f"As a state-established unit its rule must still meet Article 45's {binds:g}%; {rule.share_pct:g}% falls short."
            tail_zh = (
                f"国家设立的单位，其规定仍须符合第四十五条不低于{binds:g}%的标准；{rule.share_pct:g}%不符合。"
            )
        return InventorRuleBasis(
            rule="unit_rule",
            share_pct=rule.share_pct,
            statutory_floor_pct=binds,
            years=rule.years,
            doc_id=rule.doc_id,
            section_ref=rule.section_ref,
            title=rule.title,
            statement=tr(
                lang,
                f"The licensor's own published rule applies (Art. 44): inventors get {rule.share_pct:g}% {basis_en} ({cite}). {tail_en}",
                f"适用许可方本单位已公开的规定（第四十四条）：完成人获得{basis_zh}{rule.share_pct:g}%（{cite_zh}）。{tail_zh}",
            ),
        )
    if args.inventor_share_pct is not None:
        unit = args.inventor_rule == "unit_rule"
        return InventorRuleBasis(
            rule="unit_rule" if unit else "agreed",
            share_pct=args.inventor_share_pct,
            statutory_floor_pct=floor if (not unit or state_unit) else None,
            statement=tr(
                lang,
                f"Inventor share {args.inventor_share_pct:g}% {basis_en} as stated"
                + (
                    " (the unit's rule, Art. 44)."
                    if unit
                    else f"; Article 45's default is at least {floor:g}%."
                ),
                f"完成人奖励按所述{basis_zh}{args.inventor_share_pct:g}%"
                + ("（本单位规定，第四十四条）。" if unit else f"；第四十五条默认标准为不低于{floor:g}%。"),
            ),
        )
    if args.inventor_rule == "unit_rule":
        return InventorRuleBasis(
            rule="unit_rule",
            share_pct=floor,
            statutory_floor_pct=floor if state_unit else None,
            statement=tr(
                lang,
                f"The unit's rule was named but it is not in the knowledge base and no share was given; {floor:g}% {basis_en} is assumed.",
                f"提到了本单位规定，但知识库中没有该规定且未给出比例，暂按{basis_zh}{floor:g}%测算。",
            ),
        )
    return InventorRuleBasis(
        rule="statutory",
        share_pct=floor,
        statutory_floor_pct=floor,
        statement=tr(
            lang,
            f"The licensor has no published reward rule in the knowledge base, so Article 45's default applies: at least {floor:g}% {basis_en}.",
            f"知识库中没有许可方已公开的奖励规定，适用第四十五条默认标准：不低于{basis_zh}{floor:g}%。",
        ),
    )


def _digest(payload: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:10]


@tool(ToolKind.READ, DraftTermSheetInput)
def draft_term_sheet(args: DraftTermSheetInput, ctx: ToolContext) -> TermSheet | ToolError:
    """Draft a profit-sharing term sheet with a per-year waterfall and compliance findings.

    Arguments: deal_type (assignment, exclusive_license, nonexclusive_license,
    equity_investment, joint_development); achievement_id; licensor_id (default the owner);
    licensee (org id or name); upfront_fee_cny; royalty_rate_pct (percent of revenue);
    milestones [{description, year, amount_cny}]; equity_share_pct and appraised_value_cny
    (equity); profit_share_pct and operating_margin_pct (joint development); term_years;
    territory; field_of_use; revenue_projection_cny (per year; default a ramp);
    cost_ratio_pct; inventor_rule ("statutory" or "unit_rule") with inventor_share_pct and
    unit_rule_published; reward_years (joint); soe_enterprise_size (large/medium/small/micro)
    with equity_incentive_total_pct, equity_incentive_max_individual_pct, dividend_pool_pct;
    lang ("zh"/"en"). Waterfall: licensee revenue -> royalties and fees -> licensor net income
    after costs and tax (first RMB 5M/yr of tech-transfer income exempt, excess at 12.5%) ->
    inventor reward -> unit's share. Findings cite Art. 44/45 of the Law on Promoting the
    Transformation of S&T Achievements, Cai Zi [2016] No. 4, EIT Regulations Art. 90 and
    Cai Shui [2015] No. 116. Writes Markdown and .docx files (returned as artifacts).
    Errors: unknown_id.
    """
    lang: Literal["zh", "en"] = args.lang or ctx.lang
    kb = get_kb(ctx)
    ach = kb.get(args.achievement_id.strip())
    if not isinstance(ach, Achievement):
        return fail(
            ctx,
            "unknown_id",
            f"No achievement with id {args.achievement_id}.",
            f"未找到成果 {args.achievement_id}。",
            id=args.achievement_id,
        )
    licensor, licensor_org = _party(kb, args.licensor_id or ach.owner_id)
    if args.licensor_id and licensor_org is None:
        return fail(
            ctx,
            "unknown_id",
            f"No organisation with id {args.licensor_id}.",
            f"未找到机构 {args.licensor_id}。",
            id=args.licensor_id,
        )
    if not licensor.name:
        licensor = Party(id=ach.owner_id, name=ach.owner_id)
    licensee, _ = _party(kb, args.licensee)
    if not licensee.name:
        licensee = Party(name=tr(lang, "[to be named]", "［待定］"))

    deal = args.deal_type
    joint_return: JointReturn = args.joint_return or "profit_share"
    default_royalty = DEFAULT_ROYALTY_PCT.get(deal, 0.0)
    if deal == "joint_development" and joint_return == "license_back":
        default_royalty = DEFAULT_LICENCE_BACK_ROYALTY_PCT
    royalty = args.royalty_rate_pct if args.royalty_rate_pct is not None else default_royalty
    upfront = args.upfront_fee_cny
    if upfront is None:
        upfront = (ach.asking_price_cny or 0.0) if deal == "assignment" else 0.0
    instalments: list[Instalment] = []
    if deal == "assignment" and (args.instalments or args.instalment_count):
        # The instalments are the price: nothing is paid up front besides them.
        instalments = list(args.instalments) or equal_instalments(upfront, args.instalment_count or 1)
        upfront = 0.0
    # A one-off assignment is paid in year 1 and then nothing: no term, one projection year.
    one_off = is_one_off(deal, royalty, args.milestones, instalments)
    years = projection_years(args)
    revenue = (
        list(args.revenue_projection_cny)
        if args.revenue_projection_cny
        else default_revenue(ach.asking_price_cny, years)
    )
    if one_off:
        revenue = revenue[:1]
    rule_basis = inventor_basis(
        kb, args, deal, joint_return, licensor.id or ach.owner_id, licensor.kind, lang
    )
    share = rule_basis.share_pct
    appraised = args.appraised_value_cny if args.appraised_value_cny is not None else ach.asking_price_cny
    stake = args.equity_share_pct
    if stake is None:
        stake = (
            round(appraised / (appraised + args.cash_investment_cny) * 100, 4)
            if appraised and args.cash_investment_cny is not None
            else DEFAULT_EQUITY_SHARE_PCT
        )
    terms = DealTerms(
        deal_type=deal,
        # An assignment paid in instalments runs as long as its payments; a licence keeps its term.
        term_years=None if one_off else (years if instalments and not royalty else args.term_years),
        revenue_cny=revenue,
        upfront_fee_cny=upfront,
        milestones=args.milestones,
        royalty_rate_pct=royalty,
        cost_ratio_pct=args.cost_ratio_pct,
        inventor_rule="unit_rule" if rule_basis.rule == "unit_rule" else (args.inventor_rule or "statutory"),
        inventor_share_pct=share,
        # A unit rule's own reward period applies unless the user set one.
        reward_years=rule_basis.years
        if rule_basis.years and "reward_years" not in args.model_fields_set
        else args.reward_years,
        equity_share_pct=stake if deal == "equity_investment" else 0.0,
        appraised_value_cny=appraised if deal == "equity_investment" else None,
        profit_share_pct=(
            args.profit_share_pct if args.profit_share_pct is not None else DEFAULT_PROFIT_SHARE_PCT
        )
        if deal == "joint_development" and joint_return == "profit_share"
        else 0.0,
        operating_margin_pct=args.operating_margin_pct,
        net_margin_pct=args.net_margin_pct,
        payout_ratio_pct=args.payout_ratio_pct,
        instalments=instalments,
        minimum_annual_royalty_cny=args.minimum_annual_royalty_cny or 0.0,
        minimum_royalty_from_year=args.minimum_royalty_from_year,
        funding_cny=funding_schedule(args) if deal == "joint_development" else [],
        ip_share_pct=args.ip_share_pct if deal == "joint_development" else None,
        joint_return=joint_return,
        cash_investment_cny=args.cash_investment_cny if deal == "equity_investment" else None,
    )
    rows = compute_waterfall(terms)
    cx = ComplianceContext(
        licensor_kind=licensor.kind,
        licensee_kind=licensee.kind,
        licensee_known=bool(args.licensee),
        # A rule found in the knowledge base is a published one (Art. 44 asks for publication).
        unit_rule_published=True if rule_basis.doc_id else args.unit_rule_published,
        unit_rule_ref=PolicyRef(
            doc_id=rule_basis.doc_id, ref=rule_basis.section_ref or "", title=rule_basis.title or ""
        )
        if rule_basis.doc_id
        else None,
        transfer_modes=list(ach.transfer_modes),
        territory=args.territory or tr(lang, "Mainland China", "中国大陆"),
        incentives=IncentivePlan(
            enterprise_size=args.soe_enterprise_size,
            total_equity_pct=args.equity_incentive_total_pct,
            max_individual_pct=args.equity_incentive_max_individual_pct,
            dividend_pool_pct=args.dividend_pool_pct,
        ),
    )
    findings = check_compliance(terms, rows, cx, lang)
    equity = None
    if deal == "equity_investment":
        eb = equity_breakdown(terms)
        equity = EquitySplit(
            appraised_value_cny=eb.appraised_value_cny,
            unit_stake_before_reward_pct=eb.technology_stake_pct,
            inventor_stake_pct=eb.inventor_stake_pct,
            unit_stake_pct=eb.unit_stake_pct,
            cash_investment_cny=eb.cash_investment_cny,
            company_capital_cny=eb.company_capital_cny,
            inventor_stake_value_cny=eb.inventor_stake_value_cny,
            unit_stake_value_cny=eb.unit_stake_value_cny,
        )
    owner_en, owner_zh = PARTY_LABELS[deal][0]
    # The first assumption is what the income rests on (surfaces show it first).
    if one_off:
        basis = tr(
            lang,
            "One-off transfer: the price is paid in year 1 and does not depend on the assignee's revenue.",
            "一次性转让：转让价款于第1年支付，与受让方收入无关。",
        )
    elif args.revenue_projection_cny:
        basis = tr(lang, "Revenue projection supplied by the parties.", "收入预测由双方提供。")
    else:
        basis = tr(
            lang,
            f"Revenue ramp assumed: {money(revenue[0], lang)} in year 1 rising to {money(max(revenue), lang)}.",
            f"假设收入逐年爬坡：首年{money(revenue[0], lang)}，最高{money(max(revenue), lang)}。",
        )
    assumptions = [basis]
    # Only the assumptions this deal's numbers rest on: dividends bear no costs, and the
    # exemption caveat is noise when no income is exempt.
    if any(r.costs for r in rows):
        assumptions.append(
            tr(
                lang,
                f"{owner_en}'s costs: {terms.cost_ratio_pct:g}% of gross income.",
                f"{owner_zh.split('（')[0]}成本按总收入的{terms.cost_ratio_pct:g}%计。",
            )
        )
    if any(r.tax_exempt for r in rows):
        assumptions.append(
            tr(
                lang,
                f"The RMB 5M annual exemption assumes this deal is the {owner_en.lower()}'s only technology-transfer income in the year; the {owner_en.lower()} is taxed as a resident enterprise.",
                f"每年500万元免税额假设{owner_zh.split('（')[0]}当年无其他技术转让所得，并按居民企业纳税。",
            )
        )
    if deal == "joint_development" and joint_return == "license_back":
        assumptions.append(
            tr(
                lang,
                f"Licence-back: the co-developer pays {terms.royalty_rate_pct:g}% of its revenue for the owner's share "
                "of the jointly developed IP; the inventor reward is a share of that net licence income.",
                f"许可回授：合作方按其收入的{terms.royalty_rate_pct:g}%向权利人支付其所占知识产权份额的使用费；"
                "完成人奖励按许可净收入计提。",
            )
        )
    elif deal == "joint_development":
        assumptions.append(
            tr(
                lang,
                f"Inventor reward is taken from the unit's share of operating profit ({terms.profit_share_pct:g}% of a {terms.operating_margin_pct:g}% margin) for {terms.reward_years} years.",
                f"完成人奖励从单位分得的营业利润（营业利润率{terms.operating_margin_pct:g}%的{terms.profit_share_pct:g}%）中提取，共{terms.reward_years}年。",
            )
        )
    if instalments and not one_off:
        assumptions.append(
            tr(
                lang,
                f"The price is paid in {len(instalments)} instalments; each is income of the year it falls due "
                "(contract due dates), so each year has its own RMB 5M exemption.",
                f"转让价款分{len(instalments)}期支付，各期按合同约定的应付日期计入当年收入，每年分别适用500万元免税额。",
            )
        )
    if terms.funding_cny:
        assumptions.append(
            tr(
                lang,
                f"The co-developer's funding ({money(sum(terms.funding_cny), lang)} over {len(terms.funding_cny)} "
                "year(s)) pays for the development work; it is shown but not shared as income.",
                f"合作方研发经费（{len(terms.funding_cny)}年共{money(sum(terms.funding_cny), lang)}）用于研发工作，"
                "列示但不作为可分配收益。",
            )
        )
    if deal == "equity_investment" and terms.cash_investment_cny is not None:
        assumptions.append(
            tr(
                lang,
                f"New company capital: technology at its appraised value {money(terms.appraised_value_cny or 0, lang)} "
                f"plus cash {money(terms.cash_investment_cny, lang)}; the technology's stake is {terms.equity_share_pct:g}%.",
                f"新公司出资：技术作价{money(terms.appraised_value_cny or 0, lang)}，现金{money(terms.cash_investment_cny, lang)}；"
                f"技术所占股权{terms.equity_share_pct:g}%。",
            )
        )
    if deal == "equity_investment":
        assumptions.append(
            tr(
                lang,
                f"Dividends: {terms.net_margin_pct:g}% net margin, {terms.payout_ratio_pct:g}% paid out; dividends between resident enterprises are not taxed again.",
                f"分红按净利率{terms.net_margin_pct:g}%、分配比例{terms.payout_ratio_pct:g}%测算；居民企业间股息免税。",
            )
        )
    total = totals(rows)
    errors = [f for f in findings if f.severity == "error"]
    deal_label = DEAL_LABELS[deal][1 if lang == "zh" else 0]
    owner_zh_short = owner_zh.split("（")[0]
    if one_off:
        period_en, period_zh = (
            f"one-off price {money(upfront, lang)}, ",
            f"一次性转让价款{money(upfront, lang)}，",
        )
        over_en, over_zh = "", ""
    else:
        period_en, period_zh = "", ""
        over_en, over_zh = f" over {len(rows)} years", f"{len(rows)}年"
    summary = tr(
        lang,
        f"{deal_label} of {ach.title} to {licensee.name}: {period_en}{owner_en.lower()}'s net income {money(total.net_income, lang)}{over_en}, "
        f"inventor team {money(total.inventor_reward, lang)}; {len(errors)} compliance error(s).",
        f"{ach.title}（{deal_label}，{PARTY_LABELS[deal][1][1]}：{licensee.name}）：{period_zh}{over_zh}{owner_zh_short}净收入{money(total.net_income, lang)}，"
        f"完成人奖励{money(total.inventor_reward, lang)}；合规错误{len(errors)}项。",
    )
    sheet = TermSheet(
        lang=lang,
        deal_type=deal,
        achievement_id=ach.id,
        achievement_title=ach.title,
        licensor=licensor,
        licensee=licensee,
        territory=args.territory or tr(lang, "Mainland China", "中国大陆"),
        field_of_use=args.field_of_use or domain_label(ach.domain, lang),
        terms=terms,
        equity=equity,
        inventor_rule_basis=rule_basis,
        waterfall=rows,
        totals=total,
        findings=findings,
        compliant=not errors,
        assumptions=assumptions,
        summary=summary,
    )
    out_dir = ctx.settings.outputs_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"term-sheet-{ach.id}-{deal}-{_digest(args.model_dump(mode='json') | {'lang': lang})}.{lang}"
    md_path, docx_path = out_dir / f"{stem}.md", out_dir / f"{stem}.docx"
    # Write to temporary names first so a failure never leaves half a file under the final name.
    tmp_md, tmp_docx = md_path.with_suffix(".md.tmp"), docx_path.with_suffix(".docx.tmp")
    tmp_md.write_text(to_markdown(sheet), encoding="utf-8")
    to_docx(sheet, tmp_docx)
    tmp_md.replace(md_path)
    tmp_docx.replace(docx_path)
    sheet.artifacts = [
        ArtifactRef(kind="term_sheet_md", name=md_path.name, path=str(md_path)),
        ArtifactRef(kind="term_sheet_docx", name=docx_path.name, path=str(docx_path)),
    ]
    return sheet
