"""End to end with the real agent (builtin planner) behind the API: hold + approval, term sheet download,
disconnects, and ingested records carrying script payloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from knowledge.config import Settings
from tests.web.conftest import XSS_TITLE, LiveServer, make_keys, parse_sse, real_agent_factory
from web.app import create_app
from web.keys import CreatedKeys


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def served(
    request: pytest.FixtureRequest, agent_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[FastAPI, CreatedKeys, Settings]]:
    """The app over the default stores, then over PostgreSQL (records, bookings, checkpoints in a
    fresh database holding the same bundled + ingested records)."""
    settings = Settings(data_dir=agent_data_dir)
    if request.param == "postgres":
        settings = _postgres_copy(request, agent_data_dir, tmp_path_factory)
    keys = make_keys(settings).create("e2e", ["https://portal.example"], "1000/min")
    app = create_app(settings, agent_factory=real_agent_factory)
    yield app, keys, settings


def _postgres_copy(
    request: pytest.FixtureRequest, agent_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    import json
    import shutil
    import uuid

    from bench.servers import create_database, drop_database
    from knowledge.ingest import ingest_files
    from tests.web.conftest import _INGEST

    server = request.getfixturevalue("pg_server_url")
    name = f"e2e_{uuid.uuid4().hex[:10]}"
    url = create_database(server, name)
    request.addfinalizer(lambda: drop_database(server, name))
    root = tmp_path_factory.mktemp("web-agent-pg")
    data_dir = root / "data"
    # The copy brings the embedding caches; the records come from the bundled corpus and the
    # same ingest files, into PostgreSQL this time.
    shutil.copytree(
        agent_data_dir, data_dir, ignore=shutil.ignore_patterns("chengguo.db*", "checkpoints.db*")
    )
    settings = Settings(data_dir=data_dir, database_url=url)
    files = []
    for fname, record in _INGEST.items():
        f = root / fname
        f.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        files.append(f)
    report = ingest_files(files, settings=settings)
    assert report.ok, report.as_dict()
    return settings


def _events(text: str) -> list[dict]:
    return [e["data"] for e in parse_sse(text) if "event" in e]


def test_hold_approval_and_term_sheet(served: tuple[FastAPI, CreatedKeys, Settings]) -> None:
    app, keys, settings = served
    h = {"Authorization": f"Bearer {keys.secret_key}"}
    with TestClient(app) as c:
        tid = c.post("/v1/threads", headers=h).json()["thread_id"]
        r = c.post(
            f"/v1/threads/{tid}/runs",
            headers=h,
            json={"text": "查一下 FAC-9001 在 12 月有没有 5 天的档期，有的话帮我预留"},
        )
        evs = _events(r.text)
        kinds = [e["event"] for e in evs]
        assert kinds[0] == "plan" and "approval" in kinds and kinds[-1] == "done"
        approval = next(e["data"] for e in evs if e["event"] == "approval")
        assert approval["action"] == "hold_slot" and approval["args"]["facility_id"] == "FAC-9001"
        assert evs[-1]["data"]["interrupted"] is True
        pending = c.get(f"/v1/threads/{tid}", headers=h).json()["pending_approval"]
        assert pending["action"] == "hold_slot"

        r = c.post(f"/v1/threads/{tid}/approval", headers=h, json={"action": "approve"})
        evs = _events(r.text)
        hold_done = [e["data"] for e in evs if e["event"] == "step" and e["data"]["tool"] == "hold_slot"]
        assert hold_done and hold_done[-1]["status"] == "done"
        msg = next(e["data"] for e in evs if e["event"] == "message")
        assert "FAC-9001" in msg["text"]
        assert evs[-1]["data"]["interrupted"] is False
        assert c.get(f"/v1/threads/{tid}", headers=h).json()["pending_approval"] is None
        # The hold is in the configured backend (and, on PostgreSQL, nothing in a SQLite file).
        from knowledge.bookings import BookingStore

        with BookingStore(settings, seed=False) as store:
            assert store.backend == ("postgres" if settings.database_url else "sqlite")
            held = [b for b in store.list("FAC-9001") if b.thread_id == tid]
            assert [b.reference for b in held] == [hold_done[-1]["result"]["reference"]]
        if settings.database_url:
            assert not (settings.data_dir / "chengguo.db").exists()
            assert not (settings.data_dir / "checkpoints.db").exists()

        r = c.post(
            f"/v1/threads/{tid}/runs",
            headers=h,
            json={"text": "为 ACH-9001 起草一份普通许可条款清单，入门费 200 万元"},
        )
        msg = next(e["data"] for e in _events(r.text) if e["event"] == "message")
        arts = {a["kind"]: a for a in msg["artifacts"]}
        assert {"term_sheet_md", "term_sheet_docx"} <= set(arts)
        assert str(settings.outputs_dir) not in msg["text"]
        md = c.get(arts["term_sheet_md"]["url"], headers=h)
        assert md.status_code == 200 and "50%" in md.text
        docx = c.get(arts["term_sheet_docx"]["url"], headers=h)
        assert docx.status_code == 200 and docx.content[:2] == b"PK"

        # another tenant cannot fetch it
        other = make_keys(settings).create("e2e-other", ["https://other.example"], "100/min")
        r = c.get(arts["term_sheet_md"]["url"], headers={"Authorization": f"Bearer {other.secret_key}"})
        assert r.status_code == 404

        history = c.get(f"/v1/threads/{tid}", headers=h).json()["messages"]
        assert [m["role"] for m in history] == ["user", "assistant", "user", "assistant"]


def test_ingested_payload_comes_back_as_data(served: tuple[FastAPI, CreatedKeys, Settings]) -> None:
    app, keys, _ = served
    h = {"Authorization": f"Bearer {keys.secret_key}"}
    with TestClient(app) as c:
        tid = c.post("/v1/threads", headers=h).json()["thread_id"]
        r = c.post(f"/v1/threads/{tid}/runs", headers=h, json={"text": "ACH-9001"})
        msg = next(e["data"] for e in _events(r.text) if e["event"] == "message")
        # the API passes text through untouched (JSON-escaped); the widget is what renders it safely
        assert XSS_TITLE in msg["text"]


def test_disconnect_then_thread_continues(
    served: tuple[FastAPI, CreatedKeys, Settings], live_factory: Callable[..., LiveServer]
) -> None:
    app, keys, _ = served
    h = {"Authorization": f"Bearer {keys.secret_key}"}
    with live_factory(app) as srv:
        tid = httpx.post(srv.url + "/v1/threads", headers=h).json()["thread_id"]
        with (
            httpx.Client(timeout=30) as c,
            c.stream(
                "POST",
                f"{srv.url}/v1/threads/{tid}/runs",
                headers=h,
                json={"text": "储能方向有哪些科技成果？"},
            ) as r,
        ):
            for line in r.iter_lines():
                if line.startswith("event:"):
                    break  # leave after the first event
        web = app.state.web
        import time

        deadline = time.monotonic() + 20
        while web.threads.run_active(tid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not web.threads.run_active(tid)
        detail = httpx.get(f"{srv.url}/v1/threads/{tid}", headers=h, timeout=30).json()
        assert detail["messages"][0]["text"] == "储能方向有哪些科技成果？"
        r2 = httpx.post(f"{srv.url}/v1/threads/{tid}/runs", headers=h, json={"text": "ACH-9001"}, timeout=60)
        evs = _events(r2.text)
        assert evs[-1]["event"] == "done" and not any(e["event"] == "error" for e in evs)
        assert any(
            m["text"] == "ACH-9001"
            for m in httpx.get(f"{srv.url}/v1/threads/{tid}", headers=h).json()["messages"]
        )
