"""Run the whole generator and write the sample corpus files atomically."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

from knowledge.models import Booking
from knowledge.sample_gen.achievements import build_achievements
from knowledge.sample_gen.bank import all_topics
from knowledge.sample_gen.calendar import build_calendar
from knowledge.sample_gen.drafts import dump
from knowledge.sample_gen.facilities import build_facilities
from knowledge.sample_gen.flagships import flagship_achievements, flagship_facilities, flagship_orgs
from knowledge.sample_gen.labels import build_matching_cases, build_retrieval_set
from knowledge.sample_gen.orgs import build_organisations, fill_research_capabilities
from knowledge.sample_gen.readme import render

SEED = 20261122
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample"
FILES = (
    "achievements.jsonl",
    "organisations.jsonl",
    "facilities.jsonl",
    "bookings.jsonl",
    "retrieval_set.jsonl",
    "matching_cases.jsonl",
    "README.md",
)


def _jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def _booking_row(b: Booking) -> dict[str, Any]:
    return b.model_dump(mode="json", exclude_none=True)


def build() -> dict[str, str]:
    """file name -> file content. Pure: same output on every call."""
    rng = random.Random(SEED)
    topics = all_topics()
    org_drafts = build_organisations(rng, topics, flagship_orgs())
    ach_drafts = build_achievements(rng, topics, org_drafts, flagship_achievements())
    fill_research_capabilities(rng, org_drafts, ach_drafts, {t.key: t for t in topics})
    orgs = [o.record() for o in org_drafts]
    achs = [a.record() for a in ach_drafts]
    facilities = build_facilities(rng, org_drafts, flagship_facilities())
    bookings = build_calendar(rng, facilities, org_drafts)
    retrieval = build_retrieval_set(rng, topics, ach_drafts)
    cases = build_matching_cases(rng, topics, ach_drafts, org_drafts)
    return {
        "achievements.jsonl": _jsonl([dump(a, keep_none=("asking_price_cny",)) for a in achs]),
        "organisations.jsonl": _jsonl([dump(o) for o in orgs]),
        "facilities.jsonl": _jsonl([dump(f) for f in facilities]),
        "bookings.jsonl": _jsonl([_booking_row(b) for b in bookings]),
        "retrieval_set.jsonl": _jsonl(retrieval),
        "matching_cases.jsonl": _jsonl(cases),
        "README.md": render(achs, orgs, facilities, bookings, retrieval, cases),
    }


def generate(out_dir: Path = SAMPLE_DIR) -> dict[str, int]:
    """Write every file (all-or-nothing via temp files + rename); return line counts per file."""
    contents = build()
    out_dir.mkdir(parents=True, exist_ok=True)
    temps: list[tuple[Path, Path]] = []
    try:
        for name, text in contents.items():
            tmp = out_dir / f".{name}.tmp"
            tmp.write_text(text, encoding="utf-8")
            temps.append((tmp, out_dir / name))
    except OSError:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in temps:
        os.replace(tmp, final)
    return {name: text.count("\n") for name, text in contents.items() if name.endswith(".jsonl")}
