"""End-state checks on drafted term sheets (the draft_term_sheet tool's output in the step result)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evals.matching import norm_text
from evals.schema import TermSheetCheck
from evals.trajectory import Action, Answer

# Law on Promoting the Transformation of S&T Achievements (2015), Art. 45 defaults, in percent:
# of net income (assignment, licences), of the equity obtained (investment at appraised value),
# of the achievement's operating profit each year (own / joint implementation).
STATUTORY_MIN_PCT: dict[str, float] = {
    "assignment": 50.0,
    "exclusive_license": 50.0,
    "nonexclusive_license": 50.0,
    "license": 50.0,
    "equity_investment": 50.0,
    "equity": 50.0,
    "joint_development": 5.0,
}


def _inventor_share(sheet: dict[str, Any]) -> float | None:
    terms = sheet.get("terms") or {}
    value = terms.get("inventor_share_pct", sheet.get("inventor_share_pct"))
    return float(value) if isinstance(value, int | float) else None


def _flagged(sheet: dict[str, Any], wanted: list[str]) -> bool:
    for f in sheet.get("findings") or []:
        if f.get("severity") not in {"error", "warning"}:
            continue
        cite = f.get("citation") or {}
        hay = norm_text(
            " ".join(str(x) for x in (cite.get("doc_id"), cite.get("ref"), f.get("message")) if x)
        )
        if any(norm_text(w) in hay for w in wanted):
            return True
    return False


def check_term_sheet(
    st: TermSheetCheck, actions: list[Action], answers: list[Answer], data_dir: Path | None
) -> tuple[bool, str]:
    drafts = [a for a in actions if a.tool == "draft_term_sheet" and a.status == "done" and a.result]
    if st.deal_type:
        drafts = [a for a in drafts if (a.result or {}).get("deal_type") == st.deal_type]
    if not drafts:
        kind = f" of type {st.deal_type}" if st.deal_type else ""
        seen = [
            str((a.result or {}).get("deal_type") or a.status)
            for a in actions
            if a.tool == "draft_term_sheet"
        ]
        return False, f"no term sheet{kind} was drafted (draft_term_sheet calls: {seen or 'none'})"
    sheet = drafts[-1].result or {}
    deal = str(sheet.get("deal_type"))
    problems: list[str] = []
    share = _inventor_share(sheet)
    if st.inventor_share_min:
        minimum = STATUTORY_MIN_PCT.get(deal)
        if minimum is None:
            problems.append(f"unknown deal type {deal!r}")
        elif share is None:
            problems.append("the term sheet states no inventor share")
        elif share < minimum:
            problems.append(
                f"inventor share {share:g}% is below the statutory minimum {minimum:g}% for {deal}"
            )
    if st.flagged_cites and not _flagged(sheet, st.flagged_cites):
        codes = [f"{f.get('severity')}:{f.get('code')}" for f in sheet.get("findings") or []]
        problems.append(f"no error/warning finding cites any of {st.flagged_cites}; findings: {codes}")
    if st.compliant is not None and bool(sheet.get("compliant")) != st.compliant:
        problems.append(f"compliant is {sheet.get('compliant')}, expected {st.compliant}")
    if st.artifact:
        files = [a for a in sheet.get("artifacts") or [] if str(a.get("kind", "")).endswith("md")]
        if not files:
            problems.append("no Markdown artifact")
        elif not all(Path(str(a.get("path"))).exists() for a in files):
            problems.append(f"artifact file missing: {[a.get('path') for a in files]}")
    if problems:
        return False, "; ".join(problems)
    return True, f"{deal}, inventor share {share:g}%" if share is not None else deal
