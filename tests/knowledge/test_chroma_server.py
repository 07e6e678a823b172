"""The knowledge base on a Chroma server (`CHENGGUO_CHROMA_URL`): dense search is answered by the
server's index (no (n, 512) matrix in the process), agrees with the embedded mode, and records
ingested by another process are found without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from tests.knowledge.conftest import FIXTURE_CORPUS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def remote_kb(tmp_path: Path, chroma_db_url: str) -> Iterator[KnowledgeBase]:
    kb = KnowledgeBase(
        Settings(data_dir=tmp_path / "data", chroma_url=chroma_db_url),
        sample_dir=FIXTURE_CORPUS,
        progress=False,
    )
    yield kb
    kb.close()


def test_search_is_served_by_the_server(remote_kb: KnowledgeBase, fixture_kb: KnowledgeBase) -> None:
    snap = remote_kb._fresh()
    # No dense matrix in this process: the server holds the vectors.
    assert snap.index.matrix is None and snap.pindex.matrix is None
    assert remote_kb.dense_backend == "chroma"
    counts = {k: remote_kb.chroma.count(k) for k in ("achievement", "organisation", "facility", "passage")}
    stats = fixture_kb.stats()
    assert counts == {
        "achievement": stats["achievement"],
        "organisation": stats["organisation"],
        "facility": stats["facility"],
        "passage": stats["policy_passage"],
    }
    for query, kwargs in [
        ("fuel cell for heavy trucks", {"kind": "achievement"}),
        ("固态电池 电解质", {}),
        ("battery", {"domain": "hydrogen", "region": "Beijing", "trl_min": 7}),
        ("battery storage", {"kind": "achievement", "owners": ["ORG-T001"]}),
    ]:
        remote = remote_kb.search(query, k=3, **kwargs)  # type: ignore[arg-type]
        local = fixture_kb.search(query, k=3, **kwargs)  # type: ignore[arg-type]
        assert [h.id for h in remote] == [h.id for h in local], query
        if remote:
            assert remote[0].dense_score == pytest.approx(local[0].dense_score, abs=1e-3)
    top = remote_kb.search_policies("technology transfer income exempt RMB 5 million", k=3)[0]
    assert (top.doc_id, top.section_ref) == ("CN-REG-EIT-2007-EN", "Article 90")
    zh = remote_kb.search_policies("没有约定时，从转让净收入中提取多少奖励给完成人？", k=3, lang="zh")
    assert zh and all(h.lang == "zh" for h in zh) and zh[0].section_ref == "第四十五条"


NEW = {
    "id": "ACH-T900",
    "title": "Seawater direct electrolysis membrane for offshore wind hydrogen",
    "summary": "A bipolar membrane that electrolyses untreated seawater next to offshore wind turbines.",
    "domain": "hydrogen",
    "keywords": ["seawater electrolysis", "offshore wind"],
    "trl": 4,
    "owner_id": "ORG-T001",
    "ip": [],
    "transfer_modes": ["license"],
    "region": "山东",
}


def test_ingest_in_another_process_is_found_without_restart(remote_kb: KnowledgeBase) -> None:
    before = remote_kb.search("seawater electrolysis offshore wind", kind="achievement", k=1)
    assert before[0].id != "ACH-T900"
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from knowledge.config import Settings
        from knowledge.kb import KnowledgeBase
        from knowledge.models import Achievement
        s = Settings(data_dir=Path({str(remote_kb.settings.data_dir)!r}), chroma_url={remote_kb.settings.chroma_url!r})
        kb = KnowledgeBase(s, sample_dir=Path({str(FIXTURE_CORPUS)!r}), progress=False)
        kb.upsert([Achievement.model_validate({NEW!r})])
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, cwd=ROOT, timeout=240)
    after = remote_kb.search("seawater electrolysis offshore wind", kind="achievement", k=1)
    assert after[0].id == "ACH-T900" and after[0].dense_rank == 1
    assert remote_kb.get("ACH-T900") is not None
    assert remote_kb._fresh().index.matrix is None  # the reload did not build a matrix either
