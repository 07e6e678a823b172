"""Every term-sheet structure's waterfall against its hand-computed case; prints a table.

    python bench/term_sheets.py [--years]

One row per structure (joint development with funding and profit share, joint development with
a licence-back, equity with cash at an appraised value, assignment in instalments, licence with
milestones and a minimum annual royalty): the computed totals next to the hand-computed ones and
the number of year x column cells that differ by a yuan or more (target: 0). `--years` prints
every year. Then the sample units' own reward rules as `draft_term_sheet` applies them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console
from rich.table import Table

import tools.registry  # noqa: F401
from knowledge.config import Settings
from knowledge.models import Achievement, Organisation, PolicyDocument
from knowledge.policy_parse import parse_policy_file
from tools.base import REGISTRY, ToolContext
from tools.termsheet.cases import CHECKED, hand_cases
from tools.termsheet.model import TermSheet
from tools.termsheet.waterfall import compute_waterfall

SAMPLE = Path(__file__).resolve().parents[1] / "knowledge" / "sample"
POLICIES = SAMPLE / "policies"
SHOWN = ("gross_income", "tax", "net_income", "inventor_reward")


class _SampleKB:
    """The bundled records and policy documents, without the search indexes (the tool needs none)."""

    def __init__(self) -> None:
        self._records: dict[str, Any] = {}
        models: tuple[tuple[str, type[Achievement] | type[Organisation]], ...] = (
            ("achievements", Achievement),
            ("organisations", Organisation),
        )
        for name, model in models:
            for line in (SAMPLE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
                rec = model.model_validate_json(line)
                self._records[rec.id] = rec
        self._policies = [
            d
            for p in sorted(POLICIES.glob("*.md"))
            if p.stem != "README" and (d := parse_policy_file(p).document)
        ]

    def get(self, record_id: str) -> Any:
        return self._records.get(record_id)

    def records(self, kind: str) -> list[Any]:
        cls: type[Achievement] | type[Organisation] = Achievement if kind == "achievement" else Organisation
        return [r for r in self._records.values() if isinstance(r, cls)]

    def policies(self) -> list[PolicyDocument]:
        return self._policies


def _sample_ctx() -> ToolContext:
    out = Path(tempfile.mkdtemp(prefix="chengguo-bench-ts-"))
    return ToolContext(settings=Settings(data_dir=out), lang="en", extra={"kb": _SampleKB()})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--years", action="store_true", help="print every year, not only the totals")
    args = ap.parse_args()
    console = Console(width=180)
    table = Table(title="Term-sheet waterfalls vs hand-computed cases (CNY, to the yuan)")
    table.add_column("structure")
    for col in SHOWN:
        table.add_column(f"{col} computed / by hand", justify="right")
    table.add_column("cells off", justify="right")
    failures = 0
    for case in hand_cases():
        rows = compute_waterfall(case.terms)
        off = sum(
            1
            for row, exp in zip(rows, case.years, strict=False)
            for col in CHECKED
            if round(getattr(row, col)) != round(exp.get(col, 0.0))
        ) + abs(len(rows) - len(case.years))
        failures += off
        cells = []
        for col in SHOWN:
            got = sum(getattr(r, col) for r in rows)
            want = sum(e.get(col, 0.0) for e in case.years)
            cells.append(f"{got:,.0f} / {want:,.0f}")
        table.add_row(case.structure, *cells, str(off))
        if args.years:
            for row, exp in zip(rows, case.years, strict=False):
                table.add_row(
                    f"  year {row.year}",
                    *[f"{getattr(row, c):,.0f} / {exp.get(c, 0.0):,.0f}" for c in SHOWN],
                    "",
                )
    console.print(table)

    rules = Table(title="Units' own reward rules: draft_term_sheet on the sample corpus")
    for col in ("achievement (licensor)", "deal", "rule applied", "inventor share", "art45 finding", "cited"):
        rules.add_column(col)
    ctx = _sample_ctx()
    for ach, deal in (
        ("ACH-0026", "exclusive_license"),  # ORG-0012, a university: its rule gives 70%
        ("ACH-0057", "joint_development"),  # ORG-0012: 10% of operating profit for 5 years
        ("ACH-0252", "exclusive_license"),  # ORG-0011, a state institute: 40%, below the floor
        ("ACH-0394", "equity_investment"),  # ORG-0011: 50% of the equity
        ("ACH-0001", "exclusive_license"),  # ORG-0001: no rule -> Art. 45
    ):
        ts = REGISTRY["draft_term_sheet"].run({"achievement_id": ach, "deal_type": deal}, ctx)
        assert isinstance(ts, TermSheet), ts
        b = ts.inventor_rule_basis
        art45 = next((f"{f.severity}" for f in ts.findings if f.code == "art45_minimum"), "-")
        rules.add_row(
            f"{ach} ({ts.licensor.id})",
            deal,
            b.rule if b else "?",
            f"{ts.terms.inventor_share_pct:g}%",
            art45,
            f"{b.doc_id} {b.section_ref}" if b and b.doc_id else "Art. 45",
        )
    console.print(rules)
    console.print(f"cells off by a yuan or more: {failures} (target 0)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
