"""Draft a term sheet (`draft_term_sheet`): deal type, parties, economics, compliance findings.

Built on `Chain` (agent/builtin/chain.py); the plan-building functions take the chain as
`self` so their bodies read as the `_Chain` methods they were.
"""

from __future__ import annotations

import re
from typing import Any

from agent.builtin.chain import PENDING, Chain
from agent.builtin.intents import Intent
from agent.builtin.jobs.spec import JobSpec, RenderContext
from agent.builtin.planner import _DEAL_ECONOMICS, _DEAL_FAMILY
from agent.builtin.render import Out, _l, money
from agent.builtin.slots import is_payment_share, with_deal_roles
from agent.builtin.texts import deal_label, t
from agent.events import Artifact
from agent.planner import StepResult


def draft(self: Chain, intent: Intent) -> None:
    s = self.u.slots
    base = self.u.redraft or {}
    ach = base.get("achievement_id") or self.resolve_achievement(primary=False)
    if ach is None and self.listing_pending("search_achievements", "find_achievements_for_need"):
        # "Suggest achievements, then draft … with the best match": the top result of the search this
        # message runs first (once it is in, it is the achievement in focus).
        ach = PENDING
    if ach is None:
        # "a licence of the ultrasound-scanning cobot force control to …": the achievement described.
        ach = self.resolve_described(self._masked_text(), for_write=True)
        if isinstance(ach, str):
            self.achievement = ach
    if ach is None:
        self.ask("ask.achievement")
        return
    orgs = s.ids("ORG")
    partner = orgs[0] if orgs else (base.get("licensee") or self.resolve_partner(intent))
    # A licence named without exclusivity is an ordinary (non-exclusive) one.
    deal = s.deal_type or ("nonexclusive_license" if s.licence else None) or base.get("deal_type")
    if deal is None:
        deal = "nonexclusive_license"
        self.notes.append(t("note.assumed_deal", self.lang))
    others = [p.value for p in s.percentages if p.role == "other" and not p.fixed and not is_payment_share(p)]
    # A bare figure is the royalty of a licence, the stake of an equity deal ("what if Qinglan only takes 25%?");
    # a figure with its own cue comes first.
    by_deal = s.model_copy(
        update={"percentages": with_deal_roles([p for p in s.percentages if not is_payment_share(p)], deal)}
    )
    royalty = s.percent("royalty") or by_deal.percent("royalty")
    equity = s.percent("equity") or by_deal.percent("equity")
    money = s.money[0] if s.money else None
    args: dict[str, Any] = {
        "deal_type": deal,
        "achievement_id": ach,
        "licensee": partner,
        "royalty_rate_pct": royalty,
        "inventor_share_pct": s.percent("inventor_share"),
        "term_years": s.term_years,
        "lang": self.lang,
    }
    if deal == "equity_investment":
        args["equity_share_pct"] = equity
        args["appraised_value_cny"] = money
    elif deal == "joint_development":
        args["profit_share_pct"] = s.percent("equity") or (others[0] if others else None)
        # "the enterprise funds ¥12M over 3 years": the amount is the co-developer's funding of the
        # work, not a fee; the years it is spread over are the stated term.
        args["funding_total_cny"] = money
        if money is not None and s.term_years:
            args["funding_years"] = s.term_years
        # "知识产权六四开" / "IP split 60/40": the owner unit's share of the jointly developed IP.
        args["ip_share_pct"] = s.percent("ip_share")
    else:
        args["upfront_fee_cny"] = money
    if s.unit_rule:
        # "Our university's rule gives inventors 20%": the unit's rule (Art. 44), not the statutory default.
        args["inventor_rule"] = "unit_rule"
        if re.search(r"\bpublish(?:ed)?\b|已公开|已经公开|公开发布|已公示", self.u.text, re.I):
            args["unit_rule_published"] = True
    # SOE incentives granted alongside the deal, checked against the 财资〔2016〕4号 caps.
    args["soe_enterprise_size"] = s.enterprise_size
    args["equity_incentive_total_pct"] = s.percent("incentive_total")
    args["equity_incentive_max_individual_pct"] = s.percent("incentive_individual")
    args["dividend_pool_pct"] = s.percent("dividend_pool")
    if base:
        # A variation of the last draft: its terms stand unless this message changes them (a
        # new deal type drops the old type's economics).
        before = str(base.get("deal_type"))
        new_deal = _DEAL_FAMILY.get(str(deal), str(deal)) != _DEAL_FAMILY.get(before, before)
        kept = {k: v for k, v in base.items() if not (new_deal and k in _DEAL_ECONOMICS)}
        args = {**kept, **{k: v for k, v in args.items() if v is not None}}
    partner_label = partner if isinstance(partner, str) else "—"
    if not isinstance(ach, str):
        key = "sum.draft_pending_ach"
    elif partner is PENDING:
        key = "sum.draft_pending_partner"
    else:
        key = "sum.draft_term_sheet"
    summary = t(key, self.lang, deal=deal_label(deal, self.lang), ach=ach, partner=partner_label)
    self.step("draft_term_sheet", args, summary, says_pending=key != "sum.draft_term_sheet")


def build(chain: Chain, intent: Intent, jobs: list[Intent]) -> None:
    draft(chain, intent)


# --- the answer ------------------------------------------------------------------


# Who is who in each deal type (en, zh): owner side, counterparty side.
_PARTY_LABELS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "exclusive_license": (("licensor", "许可方"), ("licensee", "被许可方")),
    "nonexclusive_license": (("licensor", "许可方"), ("licensee", "被许可方")),
    "assignment": (("assignor", "转让方"), ("assignee", "受让方")),
    "equity_investment": (("contributing owner", "出资方（成果权利人）"), ("investee company", "被投资企业")),
    "joint_development": (("owner", "成果权利人"), ("co-developer", "合作方")),
}


def _pct(x: Any) -> str:
    try:
        return f"{float(x):g}%"
    except (TypeError, ValueError):
        return "—"


def _structure_lines(terms: dict[str, Any], equity: Any, lang: str) -> list[str]:
    """The deal-structure terms beyond royalty and fee: funding, IP split, instalments, minimum royalty, cash."""
    parts: list[str] = []
    funding = [float(x) for x in terms.get("funding_cny") or []]
    if funding:
        parts.append(
            _l(
                lang,
                f"co-developer funding {money(sum(funding), lang)} over {len(funding)} year(s) (spent on the work, not shared)",
                f"合作方研发经费{money(sum(funding), lang)}，分{len(funding)}年投入（用于研发，不作分配）",
            )
        )
    if terms.get("ip_share_pct") is not None:
        own = float(terms["ip_share_pct"])
        parts.append(_l(lang, f"IP owned {own:g}/{100 - own:g}", f"知识产权按{own:g}/{100 - own:g}共有"))
    if terms.get("joint_return") == "license_back" and terms.get("deal_type") == "joint_development":
        parts.append(_l(lang, "licence-back of the owner's IP share", "权利人知识产权份额许可回授"))
    instalments = [i for i in terms.get("instalments") or [] if isinstance(i, dict)]
    if instalments:
        total = sum(float(i.get("amount_cny") or 0) for i in instalments)
        parts.append(
            _l(
                lang,
                f"price {money(total, lang)} in {len(instalments)} instalments",
                f"价款{money(total, lang)}分{len(instalments)}期支付",
            )
        )
    if terms.get("minimum_annual_royalty_cny"):
        parts.append(
            _l(
                lang,
                f"minimum annual royalty {money(terms['minimum_annual_royalty_cny'], lang)}",
                f"年度最低提成{money(terms['minimum_annual_royalty_cny'], lang)}",
            )
        )
    if isinstance(equity, dict) and equity.get("cash_investment_cny") is not None:
        parts.append(
            _l(
                lang,
                f"technology {money(equity.get('appraised_value_cny'), lang)} plus cash {money(equity.get('cash_investment_cny'), lang)}, technology stake {_pct(equity.get('unit_stake_before_reward_pct'))}",
                f"技术作价{money(equity.get('appraised_value_cny'), lang)}、现金{money(equity.get('cash_investment_cny'), lang)}，技术股权{_pct(equity.get('unit_stake_before_reward_pct'))}",
            )
        )
    if not parts:
        return []
    return [_l(lang, "Structure: ", "交易结构：") + _l(lang, "; ", "；").join(parts) + _l(lang, ".", "。")]


def _term_sheet(o: Out, r: StepResult) -> None:
    lang = o.lang
    res = r.result
    terms = res.get("terms") or {}
    deal = str(res.get("deal_type", ""))
    licensee = res.get("licensee") or {}
    licensor = res.get("licensor") or {}
    ach = o.named(res.get("achievement_id"), res.get("achievement_title"))
    lic = o.named(licensee.get("id"), licensee.get("name"))
    lor = o.named(licensor.get("id"), licensor.get("name"))
    (own_en, own_zh), (cp_en, cp_zh) = _PARTY_LABELS.get(
        deal, (("owner", "权利人"), ("counterparty", "对方"))
    )
    o.add(
        _l(
            lang,
            f"Term sheet drafted — {deal_label(deal, lang)} of {ach}: {own_en} {lor}, {cp_en} {lic}.",
            f"已起草条款 — {deal_label(deal, lang)}：{ach}；{own_zh} {lor}，{cp_zh} {lic}。",
        )
    )
    econ: list[str] = []
    if terms.get("royalty_rate_pct"):
        econ.append(
            _l(
                lang,
                f"royalty {terms['royalty_rate_pct']:g}% of revenue",
                f"提成费率 {terms['royalty_rate_pct']:g}%",
            )
        )
    if terms.get("upfront_fee_cny"):
        fee = money(terms["upfront_fee_cny"], lang)
        # An assignment's one-off payment is its price, not a licence's entry fee.
        econ.append(
            _l(lang, f"price {fee}", f"转让价款 {fee}")
            if deal == "assignment"
            else _l(lang, f"upfront {fee}", f"入门费 {fee}")
        )
    if terms.get("appraised_value_cny"):
        econ.append(
            _l(
                lang,
                f"appraised value {money(terms['appraised_value_cny'], lang)}",
                f"作价 {money(terms['appraised_value_cny'], lang)}",
            )
        )
    if terms.get("equity_share_pct"):
        econ.append(
            _l(lang, f"equity {terms['equity_share_pct']:g}%", f"股权 {terms['equity_share_pct']:g}%")
        )
    if deal == "joint_development" and terms.get("profit_share_pct"):
        econ.append(
            _l(
                lang,
                f"owner's profit share {_pct(terms['profit_share_pct'])} of operating profit (margin {_pct(terms.get('operating_margin_pct'))})",
                f"权利人分享营业利润 {_pct(terms['profit_share_pct'])}（营业利润率 {_pct(terms.get('operating_margin_pct'))}）",
            )
        )
    one_off = "term_years" in terms and terms.get("term_years") is None
    if one_off:
        econ.append(_l(lang, "one-off transfer (no term)", "一次性转让（无期限）"))
    elif terms.get("term_years") and deal == "assignment":
        # An assignment has no term; its years are the instalments' payment period.
        econ.append(_l(lang, f"paid over {terms['term_years']} years", f"付款期限 {terms['term_years']} 年"))
    elif terms.get("term_years"):
        econ.append(_l(lang, f"term {terms['term_years']} years", f"期限 {terms['term_years']} 年"))
    if terms.get("inventor_share_pct") is not None:
        base_en, base_zh = {
            "equity_investment": ("of the equity obtained", "的所得股权"),
            "joint_development": ("of the operating profit each year", "的年度营业利润"),
        }.get(deal, ("of net income", "的净收入"))
        econ.append(
            _l(
                lang,
                f"inventor team share {terms['inventor_share_pct']:g}% {base_en}",
                f"完成人团队比例 {terms['inventor_share_pct']:g}%{base_zh}",
            )
        )
    if econ:
        o.add(
            _l(lang, "Terms: ", "主要条款：")
            + (", " if lang == "en" else "，").join(econ)
            + _l(lang, ".", "。")
        )
    # Which reward rule applied: the licensor's own published rule, or Art. 45 as the fallback.
    basis = res.get("inventor_rule_basis")
    if isinstance(basis, dict) and basis.get("statement"):
        o.add(str(basis["statement"]))
    o.add(*_structure_lines(terms, res.get("equity"), lang))
    equity = res.get("equity") or {}
    if isinstance(equity, dict) and equity.get("inventor_stake_pct") is not None:
        o.add(
            _l(
                lang,
                f"Equity split: inventor team {_pct(equity.get('inventor_stake_pct'))}, unit {_pct(equity.get('unit_stake_pct'))} of the company.",
                f"股权分配：完成人团队 {_pct(equity.get('inventor_stake_pct'))}，单位 {_pct(equity.get('unit_stake_pct'))}。",
            )
        )
    totals = res.get("totals") or {}
    if totals:
        income_en, income_zh = (
            ("dividend income", "分红收入") if deal == "equity_investment" else ("net income", "净收入")
        )
        o.add(
            _l(
                lang,
                f"Projected{'' if one_off else ' over the term'}: {own_en}'s {income_en} {money(totals.get('net_income'), lang)}, inventor team reward {money(totals.get('inventor_reward'), lang)}, tax {money(totals.get('tax'), lang)}.",
                f"{'' if one_off else '合同期内'}测算：{own_zh}{income_zh} {money(totals.get('net_income'), lang)}，完成人奖励 {money(totals.get('inventor_reward'), lang)}，税额 {money(totals.get('tax'), lang)}。",
            )
        )
        # The totals rest on an assumed revenue ramp: say so, or the figures look like facts.
        assumptions = [str(a) for a in res.get("assumptions") or [] if a]
        if assumptions:
            # The revenue ramp, plus the deal's own driver (dividend payout, profit margin) when there is one.
            shown = assumptions[:1] + (
                assumptions[-1:] if deal in ("equity_investment", "joint_development") else assumptions[1:2]
            )
            if deal == "assignment" and not terms.get("royalty_rate_pct"):
                shown = assumptions[1:2]  # a fixed price does not depend on the buyer's revenue
            o.add(
                _l(lang, "Assumptions: ", "测算假设：")
                + ("" if lang == "zh" else " ").join(dict.fromkeys(shown))
            )
    findings = [f for f in res.get("findings") or [] if isinstance(f, dict)]
    if findings:
        o.add(_l(lang, "Compliance:", "合规检查："))
        sev = {"error": ("ERROR", "错误"), "warning": ("warning", "提示"), "info": ("ok", "符合")}
        for f in findings:
            c = f.get("citation") or {}
            cite = (
                o.cite(c.get("doc_id"), c.get("title"), c.get("ref"))
                if isinstance(c, dict) and c.get("doc_id")
                else ""
            )
            en, zh = sev.get(str(f.get("severity")), (str(f.get("severity")), str(f.get("severity"))))
            o.add(f"- [{_l(lang, en, zh)}] {f.get('message', '')} {cite}".rstrip())
    for a in res.get("artifacts") or []:
        if isinstance(a, dict) and {"kind", "name", "path"} <= a.keys():
            o.artifacts.append(Artifact(kind=str(a["kind"]), name=str(a["name"]), path=str(a["path"])))
    if o.artifacts:
        o.add(_l(lang, "Files: ", "文件：") + ", ".join(a.path for a in o.artifacts))


def render(o: Out, r: StepResult, ctx: RenderContext) -> None:
    _term_sheet(o, r)


SPEC = JobSpec(
    name="term_sheet",
    intents=("draft_term_sheet",),
    tools=("draft_term_sheet",),
    required_slots=("achievement",),
    question_keys=("ask.achievement",),
    build=build,
    render=render,
)
