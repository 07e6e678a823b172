"""The corpus loader names file:line:field for a bad line; the dev split is stable and blind-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.understanding.corpus import CorpusError, CorpusItem, read_jsonl, split_pool, sync

GOOD = {
    "id": "W9-0001",
    "lang": "zh",
    "text": "帮我看看FAC-0001三月份有没有连续三周的空档，有的话先占上",
    "context": [],
    "intents": ["hold_slot"],
    "slots": {
        "facilities": [{"id": "FAC-0001", "mention": "FAC-0001"}],
        "dates": {"start": "2027-03-01", "end": "2027-03-31"},
        "duration_days": 21,
    },
}


def _write(tmp_path: Path, rows: list[object]) -> Path:
    path = tmp_path / "W9.jsonl"
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
        encoding="utf-8",
    )
    return path


def test_a_good_line_loads_with_its_slots(tmp_path: Path) -> None:
    items, problems = read_jsonl(_write(tmp_path, [GOOD]))
    assert problems == []
    assert items[0].intents == ["hold_slot"]
    assert items[0].slots.duration_days == 21
    assert items[0].slots.facilities[0].id == "FAC-0001"


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        ({**GOOD, "intents": ["book_it"]}, "W9.jsonl:2: intents.0:"),
        ({**GOOD, "lang": "fr"}, "W9.jsonl:2: lang:"),
        ({**GOOD, "slots": {"money": [{"value": 3e6, "role": "fee"}]}}, "W9.jsonl:2: slots.money.0.role:"),
        (
            {**GOOD, "slots": {"dates": {"start": "2027-02-30", "end": "2027-03-01"}}},
            "W9.jsonl:2: slots.dates.start:",
        ),
        ({**GOOD, "colour": "red"}, "W9.jsonl:2: colour:"),
        (
            {**GOOD, "slots": {"facilities": [{"id": "FAC-0001", "mention": "the Chenghu line"}]}},
            "W9.jsonl:2: (item): slots.facilities.0.mention 'the Chenghu line' is not in the text",
        ),
        ('{"id": "W9-0002", "lang": ', "W9.jsonl:2: (json):"),
        ({**GOOD, "context": [{"user": "hi"}]}, "W9.jsonl:2: context.0.intents:"),
    ],
)
def test_a_bad_line_is_named_by_file_line_and_field(tmp_path: Path, bad: object, where: str) -> None:
    path = _write(tmp_path, [{**GOOD, "id": "W9-0000"}, bad])
    with pytest.raises(CorpusError) as e:
        read_jsonl(path)
    assert any(p.startswith(where) for p in e.value.problems), e.value.problems


def test_a_repeated_id_is_reported_and_the_file_is_not_half_loaded(tmp_path: Path) -> None:
    path = _write(tmp_path, [GOOD, GOOD])
    with pytest.raises(CorpusError, match=r"W9.jsonl:2: id: 'W9-0001' repeats line 1"):
        read_jsonl(path)


def test_sync_copies_good_lines_verbatim_and_reports_bad_ones(tmp_path: Path) -> None:
    src = _write(tmp_path, [GOOD, {**GOOD, "id": "W9-0002", "intents": ["nope"]}])
    dest = tmp_path / "train"
    problems = sync([src], dest)
    assert [p.split(": ")[0] for p in problems] == ["W9.jsonl:2"]
    assert (dest / "W9.jsonl").read_text(encoding="utf-8") == json.dumps(GOOD, ensure_ascii=False) + "\n"


def _item(i: int, intents: list[str], prefix: str = "W9") -> CorpusItem:
    return CorpusItem.model_validate(
        {"id": f"{prefix}-{i:04d}", "lang": "en", "text": f"message {i}", "intents": intents}
    )


def test_dev_split_is_stratified_stable_and_blind_only() -> None:
    pool = [_item(i, ["find_partners"] if i % 2 else ["policy"]) for i in range(40)]
    seeds = [_item(i, ["policy"], prefix="S") for i in range(10)]
    train, dev = split_pool(pool + seeds)
    assert len(dev) == 6  # 15% of each 20-item stratum
    assert sorted(it.intents[0] for it in dev) == ["find_partners"] * 3 + ["policy"] * 3
    assert not any(it.id.startswith("S-") for it in dev)
    assert len(train) == 44
    # The split depends on ids, not on file order.
    _, dev_reversed = split_pool(list(reversed(pool + seeds)))
    assert {it.id for it in dev_reversed} == {it.id for it in dev}
