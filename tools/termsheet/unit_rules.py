"""A licensor's own published reward rule (Art. 44), looked up among the policy documents (pure).

A unit's rule is a policy document whose front matter names the organisation it binds
(`issuer_id`) and its inventor percentages (`inventor_reward_pct`). Article 45's percentages
are only the fallback for a unit without such a rule, so `draft_term_sheet` applies this first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from knowledge.models import PolicyDocument, RewardCase


class UnitRule(BaseModel):
    doc_id: str
    title: str
    issuer_id: str
    case: RewardCase
    share_pct: float
    years: int | None = None
    section_ref: str


def reward_case(deal_type: str, joint_return: str = "profit_share") -> RewardCase:
    """Which of the rule's cases a deal falls under (the cases of Art. 45 (1)–(3))."""
    if deal_type == "assignment":
        return "transfer"
    if deal_type in ("exclusive_license", "nonexclusive_license"):
        return "license"
    if deal_type == "equity_investment":
        return "equity"
    # A licence-back of the unit's share of jointly developed IP is a licence.
    return "license" if joint_return == "license_back" else "implementation"


_CASE_WORDS: dict[RewardCase, str] = {
    "transfer": r"转让|transfer",
    "license": r"许可|licen[cs]e",
    "equity": r"作价投资|股份|shares|equity|appraised",
    "implementation": r"实施|营业利润|operating profit|implement",
}


def _section_for(doc: PolicyDocument, case: RewardCase, pct: float) -> str:
    """The section stating this figure for this case (to cite), else the first section."""
    figure = re.compile(rf"(?<![\d.]){re.escape(f'{pct:g}')}\s*%")
    words = re.compile(_CASE_WORDS[case], re.I)
    for sec in doc.sections:
        if figure.search(sec.text) and words.search(sec.text):
            return sec.ref
    for sec in doc.sections:
        if figure.search(sec.text):
            return sec.ref
    return doc.sections[0].ref if doc.sections else ""


def find_unit_rule(
    policies: Iterable[PolicyDocument], org_id: str | None, case: RewardCase, lang: str
) -> UnitRule | None:
    """The organisation's own rule for this case, in `lang` when both versions exist."""
    if not org_id:
        return None
    found = [
        d
        for d in policies
        if d.issuer_id == org_id and d.inventor_reward_pct and case in d.inventor_reward_pct
    ]
    if not found:
        return None
    # Same language first, then the newest rule.
    found.sort(key=lambda d: (d.lang != lang, -d.year, d.id))
    doc = found[0]
    assert doc.inventor_reward_pct is not None
    pct = float(doc.inventor_reward_pct[case])
    return UnitRule(
        doc_id=doc.id,
        title=doc.title,
        issuer_id=org_id,
        case=case,
        share_pct=pct,
        years=doc.implementation_years if case == "implementation" else None,
        section_ref=_section_for(doc, case, pct),
    )
