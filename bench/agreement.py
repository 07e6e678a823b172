"""How far people agree on the jobs of a message, next to how far the pipeline agrees with them.

    python -m bench.agreement          # the 300-message sample of W53-W58 in corpus/agreement/

Two blind annotators (given only the writers' brief and the records, never the labels) labelled 300 messages
drawn from the writers W53-W58 (50 each; unseen when the sample was drawn, in the classifier's training pool since
2026-12-07 night, so the pipeline's figure here is in-sample). Agreement with the writers' own labels is the
ceiling a reader can reach on this brief; the pipeline (`planner.understand()` with the knowledge base's linker,
as live turns read) is measured on the same messages.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from agent.understanding.combine import canonical
from agent.understanding.corpus import CorpusItem, read_jsonl

CORPUS = Path(__file__).resolve().parents[1] / "agent" / "understanding" / "corpus"
SAMPLE = CORPUS / "agreement"


def _labels(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not isinstance(row.get("intents"), list):
            raise SystemExit(f"{path.name}:{n}: intents: a list of job names is required")
        out[str(row["id"])] = canonical(row["intents"])
    return out


def agreement(a: dict[str, list[str]], b: dict[str, list[str]], ids: Sequence[str]) -> float:
    """Share of `ids` on which `a` and `b` read exactly the same set of jobs."""
    return sum(a[i] == b[i] for i in ids) / len(ids)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--sample", type=Path, default=SAMPLE, help="folder with key.jsonl and A*.jsonl")
    args = ap.parse_args(argv)
    key = [json.loads(x) for x in (args.sample / "key.jsonl").read_text(encoding="utf-8").splitlines() if x]
    writers = _labels(args.sample / "key.jsonl")
    ids = list(writers)
    annotators = {p.stem: _labels(p) for p in sorted(args.sample.glob("A*.jsonl"))}
    for name, labels in annotators.items():
        missing = [i for i in ids if i not in labels]
        if missing:
            raise SystemExit(f"{name}.jsonl: no label for {len(missing)} messages (first: {missing[0]})")

    from agent.understanding.linking import kb_links
    from bench.understanding import pipeline_jobs
    from knowledge.config import Settings

    originals: dict[str, CorpusItem] = {}
    for f in sorted((CORPUS / "train").glob("W5[3-8].jsonl")):
        originals.update({it.id: it for it in read_jsonl(f)[0]})
    links = kb_links(Settings())
    pipeline: dict[str, list[str]] = {}
    for k in key:
        jobs, asked = pipeline_jobs(originals[str(k["orig"])], links)
        pipeline[str(k["id"])] = [] if asked else jobs

    readers = {"writers": writers, **annotators, "pipeline": pipeline}
    t = Table(title=f"exact-set agreement on {len(ids)} messages (rows vs columns)")
    t.add_column("")
    for name in readers:
        t.add_column(name, justify="right")
    for a, la in readers.items():
        t.add_row(a, *(f"{agreement(la, lb, ids):.1%}" for lb in readers.values()))
    Console(width=100).print(t)


if __name__ == "__main__":
    main()
