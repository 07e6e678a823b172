"""Intent benchmark: exact-set accuracy and per-job precision/recall of the builtin planner's reading.

    python -m bench.understanding                # dev split (a stratified 15% of the training pool)
    python -m bench.understanding --split test   # the frozen test split: report only, never tune on it
    python -m bench.understanding --files W9.jsonl  # a new writer's file, before it joins the pool

Three readers per message: `regex` (the trigger rules, `detect_intents`), `model` (the classifier alone)
and `pipeline` (what `planner.understand()` now does: classifier + the overrides kept on dev, the
follow-up path with the previous turn's jobs taken from typed state, and the planner's own job naming).
A message the pipeline asks about ("Do you want A, or B?") counts as wrong; the asked share is shown.
Target (issue 12): intent exact-set accuracy >= 95% on the test split.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from agent.builtin.intents import INTENTS
from agent.builtin.planner import decided_jobs, understand
from agent.understanding.classifier import bundled_model
from agent.understanding.combine import canonical, regex_jobs
from agent.understanding.corpus import CorpusItem, load_split, read_jsonl
from agent.understanding.linking import LinkSource
from agent.understanding.metrics import exact_set_accuracy, per_label
from agent.understanding.turns import planner_input


def pipeline_jobs(item: CorpusItem, links: LinkSource | None = None) -> tuple[list[str], bool]:
    """(jobs, asked): the planner's reading of the message; asked when it would put a clarifying question.
    With `links` (the knowledge base's entity linker), named records are resolved as in a live turn."""
    u = understand(planner_input(item), links=links)
    return decided_jobs(u), u.clarify is not None


def run(items: Sequence[CorpusItem], links: LinkSource | None = None) -> dict[str, Any]:
    model = bundled_model()
    gold = [list(it.intents) for it in items]
    regex = [regex_jobs(it.text) for it in items]
    pipeline_jobs(items[0], links)  # load the encoder and the weights before timing
    mdl: list[list[str]] = []
    pipe: list[list[str]] = []
    asked: list[bool] = []
    times: list[float] = []
    for it in items:
        if model is not None:
            p = model.probs(it.text, it.prev_intents, bool(it.context))
            mdl.append(canonical(lab for lab in INTENTS if p[lab] >= model.threshold(lab)))
        t0 = time.perf_counter()
        jobs, ask = pipeline_jobs(it, links)
        times.append((time.perf_counter() - t0) * 1000)
        pipe.append([] if ask else jobs)
        asked.append(ask)
    rows = {"regex": regex, "model": mdl, "pipeline": pipe}
    answered = [i for i, a in enumerate(asked) if not a]
    return {
        "n": len(items),
        "accuracy": {k: exact_set_accuracy(gold, v) if v else None for k, v in rows.items()},
        "per_label": {k: per_label(gold, v) for k, v in rows.items() if v},
        "asked": sum(asked) / len(items),
        "answered_accuracy": exact_set_accuracy([gold[i] for i in answered], [pipe[i] for i in answered]),
        "ms_p50": statistics.median(times),
        "ms_p95": sorted(times)[int(0.95 * (len(times) - 1))],
        "meta": model.meta if model is not None else {},
    }


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument(
        "--files", nargs="+", type=Path, help="read these corpus files instead (e.g. a new writer's)"
    )
    ap.add_argument(
        "--link", action="store_true", help="resolve named records with the KB's linker, as live turns do"
    )
    args = ap.parse_args(argv)
    if args.files:
        items = [it for f in args.files for it in read_jsonl(f)[0]]
        args.split = ", ".join(f.stem for f in args.files)
    else:
        items = load_split(args.split, allow_test=args.split == "test")
    links = None
    if args.link:
        from agent.understanding.linking import kb_links
        from knowledge.config import Settings

        links = kb_links(Settings())
    r = run(items, links)
    con = Console(width=100)
    t = Table(title=f"intent exact-set accuracy, {args.split} split ({r['n']} messages)")
    t.add_column("reader")
    t.add_column("exact set", justify="right")
    for k, v in r["accuracy"].items():
        t.add_row(k, "-" if v is None else f"{v:.1%}")
    con.print(t)
    con.print(
        f"pipeline asked a clarifying question on {r['asked']:.1%} of messages; "
        f"accuracy on the rest {r['answered_accuracy']:.1%}; "
        f"understand() per message p50 {r['ms_p50']:.1f} ms, p95 {r['ms_p95']:.1f} ms (warm)"
    )
    pl = Table(title="per job: precision / recall (support)")
    pl.add_column("job")
    for k in r["per_label"]:
        pl.add_column(k, justify="right")
    for j, lab in enumerate(INTENTS):
        cells = []
        support = 0
        for scores in r["per_label"].values():
            s = scores[j]
            support = s.tp + s.fn
            cells.append(f"{s.precision:.2f} / {s.recall:.2f}")
        pl.add_row(f"{lab} ({support})", *cells)
    con.print(pl)
    if r["meta"]:
        con.print(f"model: {r['meta'].get('config')}, overrides {r['meta'].get('combine')}")


if __name__ == "__main__":
    main()
