"""Policy answers on the labelled question set; prints a table.

    python bench/policy_answers.py [--file F] [--data-dir DIR] [--show-misses]

For every question (fields: id, lang, question, doc_ids, section, figure, topic) it calls
`search_policies` as the builtin planner does (the question, k=3, the question's language) on the
bundled knowledge base and reports:

- governing provision ranked first: the first passage is the labelled document (either language)
  and section (compared through the zh/en twin: same section position);
- stated figure right: the answer statement states the labelled figure (50% / 百分之五十,
  500万元 / RMB 5 million, 3年 / 3 years, ...; questions without a figure are not counted);
- answered: how many got a statement rather than "the knowledge base does not say".

Targets: governing first >= 90%, figure right >= 95%. The set is blind-written
(tests/tools/data/policy_questions.jsonl); the rules were built on our own dev questions.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console
from rich.table import Table

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "tests" / "tools" / "data" / "policy_questions.jsonl"


def _position(kb: Any, doc_id: str, ref: str) -> tuple[str, int] | None:
    """(document stem, section index): the same for a section and its zh/en twin."""
    doc = kb.policy(doc_id)
    if doc is None:
        return None
    refs = [s.ref for s in doc.sections]
    if ref not in refs:
        return None
    return doc_id.rsplit("-", 1)[0], refs.index(ref)


def _label_position(kb: Any, doc_ids: list[str], section: str) -> tuple[str, int] | None:
    for d in doc_ids:
        pos = _position(kb, d, section)
        if pos is not None:
            return pos
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--data-dir", type=Path, default=None, help="a built data dir (default: settings)")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()

    import tools.registry  # noqa: F401
    from knowledge.config import Settings
    from knowledge.kb import open_kb
    from tools.base import REGISTRY, ToolContext
    from tools.policy_answer import figure_in
    from tools.search import SearchPoliciesOutput

    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    kb = open_kb(settings, progress=False)
    rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    console = Console(width=160)
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # n, first, fig_n, fig_ok, answered
    misses: list[str] = []
    unlabelled = 0
    for q in rows:
        lang = q["lang"]
        ctx = ToolContext(settings=settings, lang=lang, extra={"kb": kb})
        out = REGISTRY["search_policies"].run({"query": q["question"], "k": 3, "lang": lang}, ctx)
        assert isinstance(out, SearchPoliciesOutput), out
        label = _label_position(kb, list(q["doc_ids"]), q["section"])
        if label is None:
            unlabelled += 1
        first = out.passages[0] if out.passages else None
        got = _position(kb, first.doc_id, first.section_ref) if first else None
        statement = out.answer.statement if out.answer else ""
        ok_first = label is not None and got == label
        fig = str(q.get("figure") or "").strip()
        ok_fig = bool(fig) and figure_in(fig, statement)
        for key in ("all", f"{lang}", str(q.get("topic", "?"))):
            s = stats[key]
            s[0] += 1
            s[1] += ok_first
            s[2] += bool(fig)
            s[3] += ok_fig
            s[4] += bool(out.answer and out.answer.status == "answered")
        if not ok_first or (fig and not ok_fig):
            misses.append(
                f"{q['id']} [{lang}] {q['question'][:70]}\n    want {q['doc_ids'][0]} {q['section']} / {fig or '-'}; "
                f"got {first.doc_id + ' ' + first.section_ref if first else '-'} "
                f"({out.answer.rule_id if out.answer else '-'}): {statement[:160]}"
            )
    table = Table(title=f"Policy answers on {args.file.name} ({len(rows)} questions)")
    for col in ("slice", "n", "governing first", "figure right", "answered"):
        table.add_column(col, justify="right" if col != "slice" else "left")

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:.1f}% ({a}/{b})" if b else "—"

    for key in ["all", "zh", "en", *sorted(k for k in stats if k not in ("all", "zh", "en"))]:
        n, f1, fn, fo, ans = stats[key]
        table.add_row(key, str(n), pct(f1, n), pct(fo, fn), pct(ans, n))
    console.print(table)
    console.print("targets: governing first >= 90%, figure right >= 95%")
    if unlabelled:
        console.print(
            f"{unlabelled} question(s) name a section not in the knowledge base (counted as misses)"
        )
    if args.show_misses:
        for m in misses:
            console.print(m, markup=False, highlight=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
