"""Records in PostgreSQL (`CHENGGUO_DATABASE_URL`) with a Chroma server: two "machines" (separate
data dirs) share one set of records and one vector index; one's ingest is found by the other
without a restart, and nothing is kept in the data dirs' SQLite files."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.models import Achievement
from tests.knowledge.conftest import FIXTURE_CORPUS
from tests.knowledge.test_chroma_server import NEW


@pytest.fixture()
def machines(
    tmp_path: Path, pg_url: str, chroma_db_url: str
) -> Iterator[tuple[KnowledgeBase, KnowledgeBase]]:
    def kb(name: str) -> KnowledgeBase:
        s = Settings(data_dir=tmp_path / name, database_url=pg_url, chroma_url=chroma_db_url)
        return KnowledgeBase(s, sample_dir=FIXTURE_CORPUS, progress=False)

    a = kb("a")
    b = kb("b")
    yield a, b
    a.close()
    b.close()


def test_two_machines_share_records_and_ingest(machines: tuple[KnowledgeBase, KnowledgeBase]) -> None:
    a, b = machines
    assert a.store.backend == b.store.backend == "postgres"
    assert a.stats() == b.stats() and a.stats()["achievement"] > 0
    for kb in (a, b):
        assert not (kb.settings.data_dir / "chengguo.db").exists()
    generation = b.store.generation
    assert b.store.meta("corpus_hash") == a.store.meta("corpus_hash")  # loaded once, by the first
    assert a.upsert([Achievement.model_validate(NEW)]) == 1
    assert b.store.generation == generation + 1
    # b reads the shared generation at most once a second (one round trip instead of one per
    # `get`): the ingest shows within that time, without a restart.
    assert b.freshness_s == 1.0
    time.sleep(b.freshness_s + 0.1)
    hit = b.search("seawater electrolysis offshore wind", kind="achievement", k=1)[0]
    assert hit.id == "ACH-T900" and hit.dense_rank == 1
    assert b.get("ACH-T900") is not None and b.stats()["achievement"] == a.stats()["achievement"]
    assert b._fresh().index.matrix is None
