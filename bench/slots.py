"""Slot benchmark: the builtin extractors (`agent/builtin/slots.py`, `dates.py`) against the corpus labels.

    python -m bench.slots                  # training pool
    python -m bench.slots --split test     # the frozen test split: final numbers only, never for tuning
    python -m bench.slots --show dates     # print the misses of one slot (training pool only)

Per slot, over the messages where the label or the extractor has it: exact match of the whole value
(a date window both days, every amount, every percentage with its role, the set of regions …).
"today" is the corpus's 2026-12-05. Money is compared by values (the extractor gives no roles yet);
dates as inclusive windows (ours are end-exclusive inside the planner).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from agent.builtin.memory import listed_kind, pointed, subject_kind
from agent.builtin.named_spans import without_links
from agent.builtin.planner import _with_links
from agent.builtin.shifts import shifted
from agent.builtin.slots import Slots, extract_slots, with_deal_roles
from agent.understanding.corpus import CorpusItem, CorpusSlots
from agent.understanding.linking import Link, LinkSource
from bench.linking import load

TODAY = date(2026, 12, 5)
_REF_KIND = {"hold": "booking"}
_PCT_ROLE = {"incentive_individual": "incentive_person", "upfront": "other"}


def _dates(s: Slots) -> Any:
    """The window the planner checks: a start with a length ("2月15号开始用两周") is start .. start + days - 1,
    exactly what check_availability is asked for."""
    d = s.dates
    if d is None:
        return None
    if d.end is None and s.duration_days:
        return (d.start, d.start + timedelta(days=s.duration_days - 1))
    return (d.start, d.end - timedelta(days=1) if d.end else None)


def _num(x: float | None) -> float | None:
    return None if x is None else float(x)


# slot -> (from the labels, from the extractor)
SLOTS: dict[str, tuple[Callable[[CorpusSlots], Any], Callable[[Slots], Any]]] = {
    "dates": (lambda g: (g.dates.start, g.dates.end) if g.dates else None, _dates),
    "duration_days": (lambda g: _num(g.duration_days), lambda s: _num(s.duration_days)),
    "money": (
        lambda g: sorted(m.value for m in g.money) or None,
        lambda s: sorted(float(v) for v in s.money) or None,
    ),
    "percents": (
        lambda g: sorted((float(p.value), p.role) for p in g.percents) or None,
        lambda s: sorted((float(p.value), _PCT_ROLE.get(p.role, p.role)) for p in s.percentages) or None,
    ),
    "deal_type": (lambda g: g.deal_type, lambda s: s.deal_type),
    "term_years": (lambda g: _num(g.term_years), lambda s: _num(s.term_years)),
    "region": (lambda g: sorted(set(g.region)) or None, lambda s: sorted(set(s.regions)) or None),
    "org_kind": (lambda g: sorted(set(g.org_kind)) or None, lambda s: sorted(set(s.org_kinds)) or None),
    "enterprise_size": (
        lambda g: g.enterprise_size,
        lambda s: "small" if s.enterprise_size == "micro" else s.enterprise_size,
    ),
    "domain": (lambda g: sorted(set(g.domain)) or None, lambda s: sorted(set(s.domains)) or None),
    "trl_min": (lambda g: _num(g.trl_min), lambda s: _num(s.trl.min) if s.trl else None),
    "trl_max": (lambda g: _num(g.trl_max), lambda s: _num(s.trl.max) if s.trl else None),
    "reference": (
        lambda g: (g.reference.ordinal, g.reference.kind) if g.reference else None,
        lambda s: (
            (
                # "the last one" (-1 here) has no 1-based ordinal in the labels: null.
                s.references[0].index if (s.references[0].index or 0) > 0 else None,
                _REF_KIND.get(str(s.references[0].kind), s.references[0].kind),
            )
            if s.references
            else None
        ),
    ),
    "booking_ref": (lambda g: g.booking_ref, lambda s: s.hold_refs[0] if s.hold_refs else None),
}


def linker_from_kb() -> Callable[[str], list[Link]]:
    from agent.understanding.linking import kb_links
    from knowledge.config import Settings

    return kb_links(Settings())


def in_context(it: CorpusItem, slots: Slots, links: LinkSource | None = None) -> Slots:
    """The slots as the planner reads them after the item's previous turn: references point into the list
    that turn's jobs left (agent/builtin/memory.py `listed_kind` / `pointed`, what `understand` uses with the
    dialogue frame's jobs and record ids), and a shift ("往后推一周") moves that turn's window. With `links`,
    the previous turn's records named in words count as the frame keeps them (planner `_with_links`): "tell
    me about the Zhongchi demo line" then "is it free in Feb?" points at that facility."""
    before = extract_slots(it.context[-1].user, TODAY) if it.context else None
    if before is not None and links is not None:
        before = _with_links(it.context[-1].user, before, links)[0]
    prev = before.record_ids if before else []
    listed = listed_kind(it.prev_intents, prev)
    # A bare figure varies the previous turn's deal ("what if it's 7% instead"): as the term sheet drafts it.
    deal = (before.deal_type or ("licence" if before.licence else None)) if before else None
    pcts = (
        with_deal_roles(slots.percentages, deal)
        if "draft_term_sheet" in it.prev_intents
        else slots.percentages
    )
    about = subject_kind(it.prev_intents)
    update: dict[str, Any] = {"references": pointed(slots.references, listed, about), "percentages": pcts}
    if slots.shift is not None and before is not None and before.dates is not None:
        # "往后推一周": the previous request's window moved, as the planner reads it (planner.understand).
        update["dates"] = shifted(before.dates, slots.shift)
    return slots.model_copy(update=update)


def score(
    items: list[CorpusItem], extract: Callable[[str], Slots], links: LinkSource | None = None
) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {k: Counter() for k in SLOTS}
    for it in items:
        got = in_context(it, extract(it.text), links)
        for key, (gold_of, pred_of) in SLOTS.items():
            gold, pred = gold_of(it.slots), pred_of(got)
            if gold is None and pred is None:
                continue
            c = out[key]
            c["n"] += 1
            c["gold"] += gold is not None
            c["ok"] += gold == pred
            c["missed"] += gold is not None and pred is None
            c["extra"] += gold is None and pred is not None
    return out


def table(res: dict[str, Counter[str]], title: str) -> Table:
    t = Table(title=title)
    for col in ("slot", "n", "labelled", "exact", "missed", "extra"):
        t.add_column(col, justify="left" if col == "slot" else "right")
    for key, c in res.items():
        t.add_row(
            key,
            str(c["n"]),
            str(c["gold"]),
            f"{c['ok'] / max(c['n'], 1):.1%}",
            str(c["missed"]),
            str(c["extra"]),
        )
    n = sum(c["n"] for c in res.values())
    ok = sum(c["ok"] for c in res.values())
    t.add_row("all", str(n), str(sum(c["gold"] for c in res.values())), f"{ok / max(n, 1):.1%}", "", "")
    return t


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("train", "test"), default="train")
    ap.add_argument(
        "--files", nargs="+", type=Path, help="score these corpus files instead (e.g. a new writer's)"
    )
    ap.add_argument("--link", action="store_true", help="also score the planner's reading (needs the KB)")
    ap.add_argument("--show", help="print the misses of this slot (training pool only)")
    args = ap.parse_args(argv)
    items = load(args.split, args.files)

    def plain(text: str) -> Slots:
        return extract_slots(text, TODAY)

    Console().print(table(score(items, plain), f"slots, exact match: {len(items)} messages ({args.split})"))
    extract: Callable[[str], Slots] = plain
    linker: LinkSource | None = None
    if args.link:
        linker = linker_from_kb()
        link = linker

        def read(text: str) -> Slots:
            # The planner's reading: words inside a linked record's name are not filters.
            return without_links(extract_slots(text, TODAY), text, link(text))

        extract = read
        Console().print(
            table(score(items, read, linker), f"slots after linking (the planner's reading, {args.split})")
        )
    if args.show and args.split == "train":  # never the test split's misses (with --link: the linked reading)
        gold_of, pred_of = SLOTS[args.show]
        for it in items:
            g, p = gold_of(it.slots), pred_of(in_context(it, extract(it.text), linker))
            if g != p:
                print(f"{it.id}\t{it.text}\n\tlabel {g}\n\tgot   {p}")


if __name__ == "__main__":
    main()
