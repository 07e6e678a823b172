"""End-state checks on drafted term sheets (the draft_term_sheet tool's output)."""

from __future__ import annotations

from pathlib import Path

from evals.schema import TermSheetCheck
from evals.trajectory import Action, Answer


def check_term_sheet(
    st: TermSheetCheck, actions: list[Action], answers: list[Answer], data_dir: Path | None
) -> tuple[bool, str]:
    drafts = [a for a in actions if a.tool == "draft_term_sheet" and a.status == "done"]
    if not drafts:
        return False, "no term sheet was drafted (no successful draft_term_sheet call)"
    return False, "term sheet checks not implemented yet"
