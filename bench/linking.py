"""Entity-linking benchmark: labelled record mentions of the corpus, found or not, before and after.

    python -m bench.linking                 # training pool (/work/corpus/out/W1-3 or the package's train/)
    python -m bench.linking --split test    # the frozen test split: final numbers only, never for tuning

A mention (`slots.achievements/organisations/facilities` with an id) counts as linked when the linker
returns a link of that kind with that id. Mentions are grouped by how they name the record: by id, by
its full or partial name (the mention matches inside the record's name, rapidfuzz partial ratio >= 90),
or otherwise (a description, another language, a near name). "before" is the exact id + organisation /
facility name matcher the planner had (`agent/builtin/names.py`); "after" is `agent/understanding/linking.py`
over the knowledge base. "extra" counts links to a record of a kind the item does not label at all.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz
from rich.console import Console
from rich.table import Table

from agent.builtin.names import find_names
from agent.builtin.slots import find_record_ids
from agent.understanding.corpus import TEST_FILE, TRAIN_DIR, CorpusItem, read_jsonl
from agent.understanding.linking import Linker, kb_entries, kb_search
from knowledge.config import Settings
from knowledge.kb import open_kb

_KEYS = (("achievement", "achievements"), ("organisation", "organisations"), ("facility", "facilities"))
_PREFIX = {"ACH": "achievement", "ORG": "organisation", "FAC": "facility"}


def load(split: str, files: list[Path] | None = None) -> list[CorpusItem]:
    """The items to score: given files (e.g. a new writer's, before it joins the pool), the frozen test split,
    or the blind writers of the training pool (seed phrasings excluded)."""
    if files:
        return [it for f in files for it in read_jsonl(f, strict=False)[0]]
    if split == "test":
        return read_jsonl(TEST_FILE, strict=False)[0]
    return [it for f in sorted(TRAIN_DIR.glob("W*.jsonl")) for it in read_jsonl(f, strict=False)[0]]


def group(mention: str, rid: str, name: str) -> str:
    if rid.lower() in mention.lower():
        return "id"
    m = re.sub(r"^(?:the|our|my)\s+|^(?:我们的|我们)|(?:那个|那条|这个)$", "", mention.strip(), flags=re.I)
    return "name" if fuzz.partial_ratio(m.lower(), name.lower()) >= 90 else "description"


Link = Callable[[str], list[tuple[str, str]]]  # text -> (kind, id)


def run(items: list[CorpusItem], linkers: dict[str, Link], names: dict[str, str]) -> Table:
    hits: dict[str, Counter[str]] = {k: Counter() for k in linkers}
    totals: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    for it in items:
        outs = {k: fn(it.text) for k, fn in linkers.items()}
        for kind, key in _KEYS:
            gold = getattr(it.slots, key)
            for m in gold:
                if m.id is None:
                    continue
                g = group(m.mention, m.id, names.get(m.id, ""))
                totals[g] += 1
                for k, out in outs.items():
                    if (kind, m.id) in out:
                        hits[k][g] += 1
            if not gold:
                for k, out in outs.items():
                    extra[k] += sum(1 for kd, _ in out if kd == kind)
    table = Table(title=f"entity linking: {len(items)} messages")
    table.add_column("mentions named by")
    table.add_column("n", justify="right")
    for k in linkers:
        table.add_column(k, justify="right")
    for g in ("id", "name", "description"):
        n = totals[g]
        table.add_row(g, str(n), *[f"{hits[k][g] / n:.1%}" if n else "-" for k in linkers])
    n_all = sum(totals.values())
    table.add_row("all", str(n_all), *[f"{sum(hits[k].values()) / max(n_all, 1):.1%}" for k in linkers])
    table.add_row("extra links", "", *[str(extra[k]) for k in linkers])
    return table


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("train", "test"), default="train")
    ap.add_argument(
        "--files", nargs="+", type=Path, help="score these corpus files instead (e.g. a new writer's)"
    )
    args = ap.parse_args(argv)
    kb = open_kb(Settings())
    entries = kb_entries(kb)
    names = {e.id: e.name for e in entries}
    pairs = kb.name_pairs()

    def before(text: str) -> list[tuple[str, str]]:
        found = [*find_record_ids(text), *find_names(text, pairs)]
        return [(_PREFIX.get(rid[:3], ""), rid) for rid, _ in found]

    names_only = Linker(entries)
    from knowledge.embeddings import encode

    full = Linker(entries, kb_search(kb), encode=encode)
    linkers: dict[str, Link] = {
        "before": before,
        "names only": lambda t: [
            (lk.kind, lk.id) for lk in names_only.link(t) if lk.how not in ("search", "owner")
        ],
        "after": lambda t: [(lk.kind, lk.id) for lk in full.link(t)],
    }
    Console().print(run(load(args.split, args.files), linkers, names))


if __name__ == "__main__":
    main()
