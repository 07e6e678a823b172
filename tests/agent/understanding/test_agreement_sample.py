"""The inter-annotator sample behind docs/understanding.md's ceiling: complete, well-formed, and blind (the
annotators' files hold labels only; the key ties each message to its writer's original)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.builtin.intents import INTENTS
from bench.agreement import SAMPLE, _labels, agreement

ROOT = Path(__file__).resolve().parents[3]


def _rows(name: str) -> list[dict[str, object]]:
    return [json.loads(x) for x in (SAMPLE / name).read_text(encoding="utf-8").splitlines() if x.strip()]


def test_every_sampled_message_has_both_annotators_labels_and_its_original() -> None:
    items, key = _rows("items.jsonl"), _rows("key.jsonl")
    ids = [str(r["id"]) for r in items]
    assert len(ids) == len(set(ids)) == 300
    assert [str(r["id"]) for r in key] == ids
    unseen = {}
    for f in sorted((ROOT / "agent/understanding/corpus/train").glob("W5[3-8].jsonl")):
        unseen.update(
            {json.loads(x)["id"]: json.loads(x) for x in f.read_text(encoding="utf-8").splitlines()}
        )
    for item, k in zip(items, key, strict=True):
        original = unseen[str(k["orig"])]
        assert item["text"] == original["text"]  # the annotators saw the writer's message, not its labels
        assert "intents" not in item
    for name in ("A1.jsonl", "A2.jsonl"):
        labels = _labels(SAMPLE / name)
        assert set(labels) == set(ids)
        assert all(job in INTENTS for jobs in labels.values() for job in jobs)


def test_agreement_counts_exact_sets_only() -> None:
    a = {"1": ["find_partners"], "2": ["get_record", "policy"], "3": ["help"]}
    b = {"1": ["find_partners"], "2": ["policy"], "3": ["help"]}
    assert agreement(a, b, ["1", "2", "3"]) == pytest.approx(2 / 3)


def test_a_label_line_without_a_list_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "A9.jsonl"
    bad.write_text('{"id": "A-0001", "intents": ["help"]}\n{"id": "A-0002", "intents": "help"}\n')
    with pytest.raises(SystemExit, match=r"A9.jsonl:2: intents"):
        _labels(bad)
