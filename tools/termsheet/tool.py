"""draft_term_sheet: resolve parties and defaults from the KB, compute, check, render files."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from knowledge.domains import domain_label
from knowledge.models import Achievement, Organisation
from tools.base import ToolContext, ToolError, ToolKind, tool
from tools.common import ArtifactRef, KnowledgeBaseLike, fail, get_kb, money, tr
from tools.termsheet.compliance import ComplianceContext, EnterpriseSize, IncentivePlan, check_compliance
from tools.termsheet.model import EquitySplit, Party, TermSheet
from tools.termsheet.render import DEAL_LABELS, PARTY_LABELS, to_docx, to_markdown
from tools.termsheet.waterfall import (
    STATUTORY_MIN_PCT,
    DealTerms,
    DealType,
    InventorRule,
    Milestone,
    compute_waterfall,
    default_revenue,
    is_one_off,
    totals,
)

Pct = Annotated[float, Field(ge=0, le=100)]

DEFAULT_ROYALTY_PCT = {"exclusive_license": 5.0, "nonexclusive_license": 3.0}
DEFAULT_TERM_YEARS = 5
DEFAULT_EQUITY_SHARE_PCT = 20.0
DEFAULT_PROFIT_SHARE_PCT = 30.0


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
    inventor_rule: InventorRule = Field(
        "statutory",
        description='"statutory" (Art. 45 defaults) or "unit_rule" (the unit\'s published percentage).',
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
    lang: Literal["zh", "en"] | None = Field(None, description='Language of the term sheet: "zh" or "en".')

    @model_validator(mode="after")
    def _milestones(self) -> DraftTermSheetInput:
        years = len(self.revenue_projection_cny) if self.revenue_projection_cny else self.term_years
        for i, m in enumerate(self.milestones):
            if m.year > years:
                raise ValueError(f"milestones[{i}].year {m.year} is after the last projection year {years}")
        return self


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
    royalty = (
        args.royalty_rate_pct if args.royalty_rate_pct is not None else DEFAULT_ROYALTY_PCT.get(deal, 0.0)
    )
    # A one-off assignment is paid in year 1 and then nothing: no term, one projection year.
    one_off = is_one_off(deal, royalty, args.milestones)
    years = len(args.revenue_projection_cny) if args.revenue_projection_cny else args.term_years
    revenue = (
        list(args.revenue_projection_cny)
        if args.revenue_projection_cny
        else default_revenue(ach.asking_price_cny, years)
    )
    if one_off:
        revenue = revenue[:1]
    upfront = args.upfront_fee_cny
    if upfront is None:
        upfront = (ach.asking_price_cny or 0.0) if deal == "assignment" else 0.0
    share = args.inventor_share_pct if args.inventor_share_pct is not None else STATUTORY_MIN_PCT[deal]
    terms = DealTerms(
        deal_type=deal,
        term_years=None if one_off else args.term_years,
        revenue_cny=revenue,
        upfront_fee_cny=upfront,
        milestones=args.milestones,
        royalty_rate_pct=royalty,
        cost_ratio_pct=args.cost_ratio_pct,
        inventor_rule=args.inventor_rule,
        inventor_share_pct=share,
        reward_years=args.reward_years,
        equity_share_pct=(
            args.equity_share_pct if args.equity_share_pct is not None else DEFAULT_EQUITY_SHARE_PCT
        )
        if deal == "equity_investment"
        else 0.0,
        appraised_value_cny=(
            args.appraised_value_cny if args.appraised_value_cny is not None else ach.asking_price_cny
        )
        if deal == "equity_investment"
        else None,
        profit_share_pct=(
            args.profit_share_pct if args.profit_share_pct is not None else DEFAULT_PROFIT_SHARE_PCT
        )
        if deal == "joint_development"
        else 0.0,
        operating_margin_pct=args.operating_margin_pct,
        net_margin_pct=args.net_margin_pct,
        payout_ratio_pct=args.payout_ratio_pct,
    )
    rows = compute_waterfall(terms)
    cx = ComplianceContext(
        licensor_kind=licensor.kind,
        licensee_kind=licensee.kind,
        licensee_known=bool(args.licensee),
        unit_rule_published=args.unit_rule_published,
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
        stake = terms.equity_share_pct
        inventors = round(stake * share / 100, 4)
        equity = EquitySplit(
            appraised_value_cny=terms.appraised_value_cny,
            unit_stake_before_reward_pct=stake,
            inventor_stake_pct=inventors,
            unit_stake_pct=round(stake - inventors, 4),
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
    if deal == "joint_development":
        assumptions.append(
            tr(
                lang,
                f"Inventor reward is taken from the unit's share of operating profit ({terms.profit_share_pct:g}% of a {terms.operating_margin_pct:g}% margin) for {terms.reward_years} years.",
                f"完成人奖励从单位分得的营业利润（营业利润率{terms.operating_margin_pct:g}%的{terms.profit_share_pct:g}%）中提取，共{terms.reward_years}年。",
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
