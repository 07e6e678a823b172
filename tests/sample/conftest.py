"""Loads the committed sample corpus once per session."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from knowledge.models import Achievement, Booking, Facility, Organisation
from knowledge.sample_gen import SAMPLE_DIR


def read_jsonl(name: str) -> list[dict[str, Any]]:
    rows = []
    with (SAMPLE_DIR / name).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            assert line.strip(), f"{name}:{lineno} is blank"
            rows.append(json.loads(line))
    return rows


@dataclass
class Corpus:
    achievements: list[Achievement]
    organisations: list[Organisation]
    facilities: list[Facility]
    bookings: list[Booking]
    retrieval: list[dict[str, Any]]
    cases: list[dict[str, Any]]

    def org(self, oid: str) -> Organisation:
        return next(o for o in self.organisations if o.id == oid)

    def ach(self, aid: str) -> Achievement:
        return next(a for a in self.achievements if a.id == aid)

    def fac(self, fid: str) -> Facility:
        return next(f for f in self.facilities if f.id == fid)


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return Corpus(
        achievements=[Achievement.model_validate(r) for r in read_jsonl("achievements.jsonl")],
        organisations=[Organisation.model_validate(r) for r in read_jsonl("organisations.jsonl")],
        facilities=[Facility.model_validate(r) for r in read_jsonl("facilities.jsonl")],
        bookings=[Booking.model_validate(r) for r in read_jsonl("bookings.jsonl")],
        retrieval=read_jsonl("retrieval_set.jsonl"),
        cases=read_jsonl("matching_cases.jsonl"),
    )
