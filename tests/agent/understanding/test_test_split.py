"""The frozen test split stays frozen: any edit to it (e.g. relabelling a failure) fails this test."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

SPLIT = Path(__file__).resolve().parents[3] / "agent" / "understanding" / "corpus" / "test.jsonl"
FROZEN_SHA256 = "8dc51d014aa861537e699b2e0bd691bc8c1cc6933c5325ded9dc68bf9785df42"


def test_the_test_split_is_unchanged() -> None:
    assert hashlib.sha256(SPLIT.read_bytes()).hexdigest() == FROZEN_SHA256


def test_the_test_split_is_blind_written_and_balanced() -> None:
    items = [json.loads(line) for line in SPLIT.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(items) >= 500
    assert all(i["id"].startswith("W4-") for i in items)  # one blind writer, none of the training writers
    langs = [i["lang"] for i in items]
    assert langs.count("zh") == langs.count("en")
