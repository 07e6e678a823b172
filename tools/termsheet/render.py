"""Render a TermSheet as Markdown and as .docx (python-docx), in Chinese or English."""

from __future__ import annotations

from pathlib import Path

from tools.common import tr
from tools.termsheet.model import TermSheet
from tools.termsheet.waterfall import YearRow, statutory_min_pct

DEAL_LABELS: dict[str, tuple[str, str]] = {
    "assignment": ("Assignment of the achievement", "成果转让"),
    "exclusive_license": ("Exclusive licence", "独占许可"),
    "nonexclusive_license": ("Non-exclusive licence", "普通（非独占）许可"),
    "equity_investment": ("Investment at appraised value (equity)", "作价投资入股"),
    "joint_development": ("Joint development and implementation", "合作开发与实施"),
}

# (field, English header, Chinese header); columns that are all zero are left out.
COLUMNS: list[tuple[str, str, str]] = [
    ("year", "Year", "年度"),
    ("licensee_revenue", "Licensee revenue", "受让方收入"),
    ("funding", "Development funding (not income)", "研发经费投入（非收益）"),
    ("royalties", "Royalties", "提成"),
    ("royalty_topup", "of which minimum-royalty top-up", "其中最低提成补足"),
    ("fees", "Fees", "入门费/里程碑"),
    ("profit_share", "Profit share", "利润分成"),
    ("dividends", "Dividends", "分红"),
    ("gross_income", "Licensor gross income", "许可方总收入"),
    ("costs", "Costs", "成本"),
    ("tax_exempt", "Tax-exempt income", "免税所得"),
    ("tax", "Income tax", "所得税"),
    ("net_income", "Net income", "净收入"),
    ("inventor_reward", "Inventor team reward", "完成人奖励"),
    ("unit_share", "Unit's share", "单位留成"),
]

# Who is who in each deal type, (en, zh): the owner side, the counterparty side. A licence's
# counterparty is a 被许可方, not a 受让方 (that is an assignee): the words carry legal meaning.
PARTY_LABELS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "assignment": (("Assignor", "转让方"), ("Assignee", "受让方")),
    "exclusive_license": (("Licensor", "许可方"), ("Licensee", "被许可方")),
    "nonexclusive_license": (("Licensor", "许可方"), ("Licensee", "被许可方")),
    "equity_investment": (("Contributing owner", "出资方（成果权利人）"), ("Investee company", "被投资企业")),
    "joint_development": (("Owner", "成果权利人"), ("Co-developer", "合作方")),
}
# Whose revenue the first waterfall column is, (en, zh).
REVENUE_LABELS: dict[str, tuple[str, str]] = {
    "assignment": ("Assignee revenue", "受让方收入"),
    "exclusive_license": ("Licensee revenue", "被许可方收入"),
    "nonexclusive_license": ("Licensee revenue", "被许可方收入"),
    "equity_investment": ("Company revenue", "被投资企业收入"),
    "joint_development": ("Project revenue", "项目收入"),
}

SEVERITY = {"error": ("ERROR", "错误"), "warning": ("WARNING", "警告"), "info": ("INFO", "提示")}


def party_label(deal_type: str, side: int, lang: str) -> str:
    """The owner (side 0) or counterparty (side 1) of a deal type, in `lang`."""
    en, zh = PARTY_LABELS[deal_type][side]
    return tr(lang, en, zh)


def _columns(rows: list[YearRow], deal_type: str, one_off: bool = False) -> list[tuple[str, str, str]]:
    keep = {"year", "licensee_revenue", "gross_income", "net_income", "inventor_reward", "unit_share", "tax"}
    if one_off or (deal_type == "assignment" and not any(r.royalties for r in rows)):
        # A fixed price (once or in instalments) does not depend on the assignee's revenue: the
        # column would only mislead.
        keep.discard("licensee_revenue")
    owner_en, owner_zh = PARTY_LABELS[deal_type][0]
    rename = {
        "licensee_revenue": REVENUE_LABELS[deal_type],
        "gross_income": (f"{owner_en} gross income", f"{owner_zh.split('（')[0]}总收入"),
    }
    if deal_type == "assignment":
        # An assignment's fees are its price (paid once or in instalments), not a licence's entry fee.
        rename["fees"] = ("Price paid", "转让价款")
    return [
        (c[0], *rename.get(c[0], (c[1], c[2])))
        for c in COLUMNS
        if c[0] in keep or (c[0] != "licensee_revenue" and any(getattr(r, c[0]) for r in rows))
    ]


def _structure_terms(ts: TermSheet) -> list[tuple[str, str]]:
    """Key terms of the richer structures: instalments, minimum royalty, funding and IP, equity."""
    lang = ts.lang
    t = ts.terms
    pairs: list[tuple[str, str]] = []
    if t.instalments:
        total = sum(p.amount_cny for p in t.instalments)
        pairs.append((tr(lang, "Price (CNY)", "转让价款（元）"), _num(total)))
        for p in t.instalments:
            pairs.append(
                (
                    tr(lang, f"Instalment (year {p.year})", f"分期付款（第{p.year}年）"),
                    f"{_num(p.amount_cny)} {p.description}".strip(),
                )
            )
    if t.minimum_annual_royalty_cny:
        start = t.minimum_royalty_from_year
        pairs.append(
            (
                tr(lang, "Minimum annual royalty (CNY)", "最低年度提成（元）"),
                _num(t.minimum_annual_royalty_cny) + tr(lang, f" from year {start}", f"，自第{start}年起"),
            )
        )
    if ts.deal_type == "joint_development":
        if t.funding_cny:
            schedule = tr(lang, "; ", "；").join(
                tr(lang, f"year {i}: {_num(v)}", f"第{i}年{_num(v)}") for i, v in enumerate(t.funding_cny, 1)
            )
            pairs.append(
                (
                    tr(lang, "Co-developer's funding (CNY)", "合作方研发经费（元）"),
                    f"{_num(sum(t.funding_cny))} ({schedule})"
                    if lang == "en"
                    else f"{_num(sum(t.funding_cny))}（{schedule}）",
                )
            )
        if t.ip_share_pct is not None:
            pairs.append(
                (
                    tr(lang, "IP ownership", "知识产权归属"),
                    tr(
                        lang,
                        f"{party_label(ts.deal_type, 0, lang)} {t.ip_share_pct:g}% / {party_label(ts.deal_type, 1, lang)} {100 - t.ip_share_pct:g}%",
                        f"{party_label(ts.deal_type, 0, lang)}{t.ip_share_pct:g}%／{party_label(ts.deal_type, 1, lang)}{100 - t.ip_share_pct:g}%",
                    ),
                )
            )
        if t.joint_return == "license_back":
            pairs.append(
                (
                    tr(lang, "Return to the owner", "权利人收益方式"),
                    tr(
                        lang,
                        f"licence-back: the co-developer exploits the owner's share of the IP for a {t.royalty_rate_pct:g}% royalty",
                        f"许可回授：合作方实施权利人所占知识产权份额，按收入的{t.royalty_rate_pct:g}%支付提成",
                    ),
                )
            )
    if ts.equity is not None and ts.equity.cash_investment_cny is not None:
        e = ts.equity
        pairs.append(
            (tr(lang, "Cash investment (CNY)", "现金出资（元）"), _num(e.cash_investment_cny or 0.0))
        )
        if e.company_capital_cny is not None:
            pairs.append(
                (tr(lang, "Company capital (CNY)", "公司注册资本（元）"), _num(e.company_capital_cny))
            )
    return pairs


def _table_rows(ts: TermSheet) -> list[YearRow]:
    """The waterfall rows to print: the years, then the totals unless there is only one year."""
    return [*ts.waterfall, ts.totals] if len(ts.waterfall) > 1 else list(ts.waterfall)


def _term(ts: TermSheet, lang: str) -> tuple[str, str]:
    """The term row: none for a one-off assignment, a payment period for one paid over years."""
    years = ts.terms.term_years
    if years is None:
        return tr(lang, "Term", "期限"), tr(lang, "Not applicable (one-off transfer)", "不适用（一次性转让）")
    if ts.deal_type == "assignment":
        return tr(lang, "Payment period", "付款期限"), tr(lang, f"{years} years", f"{years}年")
    return tr(lang, "Term", "期限"), tr(lang, f"{years} years", f"{years}年")


def _num(value: float) -> str:
    return f"{value:,.0f}"


def _cell(row: YearRow, field: str, lang: str) -> str:
    if field == "year":
        return tr(lang, "Total", "合计") if row.year == 0 else str(row.year)
    return _num(getattr(row, field))


def key_terms(ts: TermSheet) -> list[tuple[str, str]]:
    """(label, value) pairs for the key-terms table."""
    lang = ts.lang
    t = ts.terms
    deal = DEAL_LABELS[ts.deal_type][1 if lang == "zh" else 0]
    pairs = [
        (tr(lang, "Deal type", "交易类型"), deal),
        (tr(lang, "Achievement", "科技成果"), f"{ts.achievement_title} ({ts.achievement_id})"),
        (
            party_label(ts.deal_type, 0, lang),
            ts.licensor.name + (f" ({ts.licensor.id})" if ts.licensor.id else ""),
        ),
        (
            party_label(ts.deal_type, 1, lang),
            ts.licensee.name + (f" ({ts.licensee.id})" if ts.licensee.id else ""),
        ),
        (tr(lang, "Territory", "地域范围"), ts.territory),
        (tr(lang, "Field of use", "使用领域"), ts.field_of_use),
        _term(ts, lang),
    ]
    if t.upfront_fee_cny:
        fee = (
            ("Price (CNY)", "转让价款（元）")
            if ts.deal_type == "assignment"
            else ("Upfront fee (CNY)", "入门费（元）")
        )
        pairs.append((tr(lang, *fee), _num(t.upfront_fee_cny)))
    if t.royalty_rate_pct and t.joint_return != "license_back":
        pairs.append((tr(lang, "Royalty rate", "提成率"), f"{t.royalty_rate_pct:g}%"))
    for m in t.milestones:
        pairs.append(
            (
                tr(lang, f"Milestone (year {m.year})", f"里程碑（第{m.year}年）"),
                f"{_num(m.amount_cny)} {m.description}".strip(),
            )
        )
    pairs += _structure_terms(ts)
    if ts.equity is not None:
        e = ts.equity
        if e.appraised_value_cny:
            pairs.append((tr(lang, "Appraised value (CNY)", "评估作价（元）"), _num(e.appraised_value_cny)))
        pairs.append((tr(lang, "Equity obtained", "所得股权"), f"{e.unit_stake_before_reward_pct:g}%"))

        def value(v: float | None) -> str:
            return tr(lang, f" (CNY {_num(v)})", f"（{_num(v)}元）") if v is not None else ""

        pairs.append(
            (
                tr(lang, "of which inventor team", "其中完成人团队"),
                f"{e.inventor_stake_pct:g}%{value(e.inventor_stake_value_cny)}",
            )
        )
        pairs.append(
            (tr(lang, "of which unit", "其中单位"), f"{e.unit_stake_pct:g}%{value(e.unit_stake_value_cny)}")
        )
    if ts.deal_type == "joint_development" and t.joint_return != "license_back":
        pairs.append((tr(lang, "Operating margin", "营业利润率"), f"{t.operating_margin_pct:g}%"))
        pairs.append((tr(lang, "Unit's profit share", "单位利润分成比例"), f"{t.profit_share_pct:g}%"))
    base = {
        "equity_investment": ("of the equity obtained", "作价投资所得股份的"),
        "joint_development": (
            f"of the operating profit each year for {t.reward_years} years",
            f"连续{t.reward_years}年每年营业利润的",
        ),
    }.get(ts.deal_type, ("of the net income", "转让/许可净收入的"))
    if t.joint_return == "license_back" and ts.deal_type == "joint_development":
        base = ("of the net licence income", "许可净收入的")
    b = ts.inventor_rule_basis
    if b is not None and b.doc_id:
        rule = tr(
            lang,
            f"{t.inventor_share_pct:g}% {base[0]} (the unit's own published rule: {b.title}, {b.section_ref})",
            f"{base[1]}{t.inventor_share_pct:g}%（适用本单位已公开的规定：《{b.title}》{b.section_ref}）",
        )
    elif t.inventor_rule == "statutory":
        floor = statutory_min_pct(t)
        # Name the statutory minimum next to the agreed share, so 40% never reads as "the statutory 40%".
        rule = tr(
            lang,
            f"{t.inventor_share_pct:g}% {base[0]} (statutory rule, Art. 45: at least {floor:g}%)",
            f"{base[1]}{t.inventor_share_pct:g}%（适用法定标准，第四十五条：不低于{floor:g}%）",
        )
    else:
        rule = tr(
            lang,
            f"{t.inventor_share_pct:g}% {base[0]} (the unit's own rule, Art. 44)",
            f"{base[1]}{t.inventor_share_pct:g}%（适用本单位规定，第四十四条）",
        )
    pairs.append((tr(lang, "Inventor reward", "完成人奖励"), rule))
    if b is not None and b.statement:
        pairs.append((tr(lang, "Reward rule applied", "适用的奖励规定"), b.statement))
    return pairs


def _title(ts: TermSheet) -> str:
    return tr(
        ts.lang, f"Term sheet (draft): {ts.achievement_title}", f"条款清单（草案）：{ts.achievement_title}"
    )


def to_markdown(ts: TermSheet) -> str:
    lang = ts.lang
    lines = [
        f"# {_title(ts)}",
        "",
        tr(
            lang,
            "_Draft for negotiation, not legal advice. Amounts in CNY._",
            "_谈判用草案，不构成法律意见。金额单位：元。_",
        ),
        "",
        f"## {tr(lang, 'Key terms', '主要条款')}",
        "",
        f"| {tr(lang, 'Item', '项目')} | {tr(lang, 'Value', '内容')} |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in key_terms(ts)]
    cols = _columns(ts.waterfall, ts.deal_type, ts.terms.term_years is None)
    lines += [
        "",
        f"## {tr(lang, 'Profit-sharing waterfall', '收益分配测算')}",
        "",
        "| " + " | ".join(c[2] if lang == "zh" else c[1] for c in cols) + " |",
        "|" + "|".join("---:" for _ in cols) + "|",
    ]
    for row in _table_rows(ts):
        cells = [_cell(row, c[0], lang) for c in cols]
        if row.year == 0:
            cells = [f"**{c}**" for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"## {tr(lang, 'Compliance', '合规检查')}", ""]
    for f in ts.findings:
        label = SEVERITY[f.severity][1 if lang == "zh" else 0]
        cite = f" [{f.citation.doc_id} {f.citation.ref}]" if f.citation else ""
        lines.append(f"- **{label}** {f.message}{cite}")
    if ts.assumptions:
        lines += ["", f"## {tr(lang, 'Assumptions', '测算假设')}", ""]
        lines += [f"- {a}" for a in ts.assumptions]
    return "\n".join(lines) + "\n"


def to_docx(ts: TermSheet, path: Path) -> None:
    # python-docx is imported here, not at module level: every process that loads the tool
    # registry (each `chengguo ask`) would otherwise pay for it.
    from docx import Document
    from docx.shared import Pt

    lang = ts.lang
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10)
    doc.add_heading(_title(ts), level=1)
    doc.add_paragraph(
        tr(
            lang,
            "Draft for negotiation, not legal advice. Amounts in CNY.",
            "谈判用草案，不构成法律意见。金额单位：元。",
        )
    )
    doc.add_heading(tr(lang, "Key terms", "主要条款"), level=2)
    terms = key_terms(ts)
    table = doc.add_table(rows=len(terms), cols=2)
    table.style = "Table Grid"
    for i, (k, v) in enumerate(terms):
        table.cell(i, 0).text = k
        table.cell(i, 1).text = v
    doc.add_heading(tr(lang, "Profit-sharing waterfall", "收益分配测算"), level=2)
    cols = _columns(ts.waterfall, ts.deal_type, ts.terms.term_years is None)
    rows = _table_rows(ts)
    wf = doc.add_table(rows=len(rows) + 1, cols=len(cols))
    wf.style = "Table Grid"
    for j, c in enumerate(cols):
        wf.cell(0, j).text = c[2] if lang == "zh" else c[1]
    for i, row in enumerate(rows, start=1):
        for j, c in enumerate(cols):
            wf.cell(i, j).text = _cell(row, c[0], lang)
    doc.add_heading(tr(lang, "Compliance", "合规检查"), level=2)
    for f in ts.findings:
        label = SEVERITY[f.severity][1 if lang == "zh" else 0]
        cite = f" [{f.citation.doc_id} {f.citation.ref}]" if f.citation else ""
        doc.add_paragraph(f"{label}: {f.message}{cite}", style="List Bullet")
    if ts.assumptions:
        doc.add_heading(tr(lang, "Assumptions", "测算假设"), level=2)
        for a in ts.assumptions:
            doc.add_paragraph(a, style="List Bullet")
    doc.save(str(path))
