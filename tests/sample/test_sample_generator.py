"""The generator: deterministic, writes what is committed, rejects malformed topic-bank entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.sample_gen import FILES, SAMPLE_DIR
from knowledge.sample_gen.__main__ import main
from knowledge.sample_gen.bank import all_topics
from knowledge.sample_gen.formats import patent_number
from knowledge.sample_gen.spec import metric, pair


def test_two_runs_are_byte_identical_and_match_the_committed_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["--out", str(a)]) == 0
    assert main(["--out", str(b)]) == 0
    for name in FILES:
        first = (a / name).read_bytes()
        assert first == (b / name).read_bytes(), f"{name} differs between runs"
        assert first == (SAMPLE_DIR / name).read_bytes(), (
            f"committed knowledge/sample/{name} is stale: run `python -m knowledge.sample_gen`"
        )
    assert not list(a.glob(".*.tmp")), "temporary files left behind"


def test_topic_banks_cover_all_domains_with_ten_technologies_each() -> None:
    topics = all_topics()
    per_domain: dict[str, int] = {}
    for t in topics:
        per_domain[t.domain] = per_domain.get(t.domain, 0) + 1
    assert len(per_domain) == 14 and min(per_domain.values()) >= 10


def test_spec_parser_reports_malformed_entries() -> None:
    with pytest.raises(ValueError, match="separator"):
        pair("no chinese half")
    with pytest.raises(ValueError, match="range"):
        metric("efficiency {}%|效率{}%")
    with pytest.raises(ValueError, match="placeholder"):
        metric("efficiency|效率@1~2")
    m = metric("cycle life of {} cycles|循环{}次@1000~20000")
    assert m.decimals == 0 and m.render(12000, "en") == "cycle life of 12,000 cycles"
    assert m.render(12000, "zh") == "循环12000次"


def test_patent_number_formats() -> None:
    assert patent_number(2023, 1, 456789, granted=False).startswith("CN202310456789.")
    granted = patent_number(2021, 1, 234567, granted=True)
    assert granted.startswith("ZL 2021 1 0234567.") and len(granted) == len("ZL 2021 1 0234567.8")
