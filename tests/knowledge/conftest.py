"""Knowledge-base fixtures: one index per corpus per session, shared by read-only tests."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.config import Settings
from knowledge.kb import DEFAULT_SAMPLE_DIR, KnowledgeBase, close_all, open_kb

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_CORPUS = FIXTURES / "corpus"


def sample_available() -> bool:
    return (DEFAULT_SAMPLE_DIR / "achievements.jsonl").is_file()


@pytest.fixture(scope="session")
def fixture_kb(session_data_dir: Path) -> KnowledgeBase:
    """The small hand-written corpus in fixtures/corpus (known ids: exact assertions)."""
    return open_kb(
        Settings(data_dir=session_data_dir / "kb-fixture"), sample_dir=FIXTURE_CORPUS, progress=False
    )


@pytest.fixture(scope="session")
def sample_kb(session_data_dir: Path) -> KnowledgeBase:
    """The bundled sample corpus (falls back to the fixture corpus while it is not generated)."""
    sample = DEFAULT_SAMPLE_DIR if sample_available() else FIXTURE_CORPUS
    return open_kb(Settings(data_dir=session_data_dir / "kb-sample"), sample_dir=sample, progress=False)


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture corpus, for tests that change the 'bundled' corpus."""
    dst = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, dst)
    return dst


@pytest.fixture()
def fresh_kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    """A writable knowledge base over the fixture corpus in its own data dir."""
    kb = KnowledgeBase(Settings(data_dir=tmp_path / "data"), sample_dir=FIXTURE_CORPUS, progress=False)
    yield kb
    kb.close()


@pytest.fixture()
def isolated_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the CLI (which uses settings from the environment) at a fresh data dir + fixture corpus."""
    from knowledge import kb as kb_module
    from knowledge.config import get_settings

    data = tmp_path / "cli-data"
    monkeypatch.setenv("CHENGGUO_DATA_DIR", str(data))
    monkeypatch.setattr(kb_module, "DEFAULT_SAMPLE_DIR", FIXTURE_CORPUS)
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()
    close_all(data)


@pytest.fixture()
def chroma_db_url(chroma_url: str) -> Iterator[str]:
    """A fresh Chroma database on the server, so tests never share collections."""
    import chromadb

    name = f"t{uuid.uuid4().hex[:12]}"
    host, port = chroma_url.rsplit(":", 1)
    admin = chromadb.AdminClient(
        chromadb.Settings(
            chroma_api_impl="chromadb.api.fastapi.FastAPI",
            chroma_server_host=host.split("//", 1)[1],
            chroma_server_http_port=int(port),
            anonymized_telemetry=False,
        )
    )
    admin.create_database(name)
    yield f"{chroma_url}?database={name}"
    admin.delete_database(name)
