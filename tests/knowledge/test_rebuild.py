"""Index lifecycle: reuse, refresh when the bundled corpus changes, self-healing Chroma, rebuild."""

from __future__ import annotations

import json
from pathlib import Path

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase


def _open(data: Path, corpus: Path) -> KnowledgeBase:
    return KnowledgeBase(Settings(data_dir=data), sample_dir=corpus, progress=False)


def test_corpus_change_triggers_refresh_and_only_changed_texts_are_embedded(
    tmp_path: Path, corpus_copy: Path
) -> None:
    data = tmp_path / "data"
    kb = _open(data, corpus_copy)
    before = kb.stats()
    kb.close()

    # Reopen without changes: nothing is re-embedded or rewritten.
    kb = _open(data, corpus_copy)
    assert kb.cache.misses == 0 and kb.stats() == before
    generation = kb.store.generation
    kb.close()

    path = corpus_copy / "achievements.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows[0]["title"] = "超导磁体用高温超导带材"
    rows[0]["summary"] = "第二代高温超导带材，77K 临界电流超过500 A/cm，用于可控核聚变与超导电缆。"
    rows.append(
        rows[1]
        | {
            "id": "ACH-T999",
            "title": "Marine current turbine for islands",
            "summary": "A 300 kW tidal current turbine for island microgrids.",
            "domain": "marine",
        }
    )
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")

    kb = _open(data, corpus_copy)
    try:
        assert kb.store.generation > generation
        assert kb.stats()["achievement"] == before["achievement"] + 1
        # Full text + head of the changed record and of the new one, plus their titles (warmed
        # on a rebuild for the matching tools); nothing unchanged.
        assert kb.cache.misses == 6
        assert kb.search("高温超导带材", k=1)[0].id == rows[0]["id"]
        assert kb.search("tidal current turbine", k=1)[0].id == "ACH-T999"
        assert kb.chroma.count("achievement") == before["achievement"] + 1
    finally:
        kb.close()


def test_ingested_records_survive_a_corpus_refresh(tmp_path: Path, corpus_copy: Path) -> None:
    data = tmp_path / "data"
    kb = _open(data, corpus_copy)
    sample_org = kb.get("ORG-T002")
    assert sample_org is not None
    kb.upsert([sample_org.model_copy(update={"capabilities": "ingested override"})])
    kb.close()
    with (corpus_copy / "facilities.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("\n")  # any byte change refreshes the sample rows
    kb = _open(data, corpus_copy)
    try:
        assert kb.get("ORG-T002").capabilities == "ingested override"  # type: ignore[union-attr]
    finally:
        kb.close()


def test_chroma_heals_after_a_crash_between_commit_and_vector_write(
    tmp_path: Path, corpus_copy: Path
) -> None:
    data = tmp_path / "data"
    kb = _open(data, corpus_copy)
    n = kb.chroma.count("achievement")
    # Simulate a crash: the record is committed to SQLite but never reached Chroma.
    rec = kb.get("ACH-T001")
    assert rec is not None
    kb.chroma.delete("achievement", ["ACH-T001"])
    kb.store.set_meta("chroma_generation", "-1")
    kb.close()
    kb = _open(data, corpus_copy)
    try:
        assert kb.chroma.count("achievement") == n
        assert kb.chroma.hashes("achievement")["ACH-T001"]
    finally:
        kb.close()


def test_rebuild_recreates_collections(tmp_path: Path, corpus_copy: Path) -> None:
    kb = _open(tmp_path / "data", corpus_copy)
    try:
        stats = kb.stats()
        kb.chroma.reset()
        assert kb.rebuild() == stats
        assert kb.chroma.count("facility") == stats["facility"]
        assert kb.chroma.count("passage") == stats["policy_passage"]
    finally:
        kb.close()


def test_other_process_writes_are_picked_up(tmp_path: Path, corpus_copy: Path) -> None:
    data = tmp_path / "data"
    reader = _open(data, corpus_copy)
    writer = _open(data, corpus_copy)
    try:
        base = reader.get("ACH-T002")
        assert base is not None
        writer.upsert(
            [base.model_copy(update={"id": "ACH-T500", "title": "Anion exchange membrane electrolyser"})]
        )
        assert reader.search("anion exchange membrane", k=1)[0].id == "ACH-T500"
    finally:
        reader.close()
        writer.close()
