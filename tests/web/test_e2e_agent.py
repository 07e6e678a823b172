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


@pytest.fixture(scope="module")
def served(agent_data_dir: Path) -> Iterator[tuple[FastAPI, CreatedKeys, Settings]]:
    settings = Settings(data_dir=agent_data_dir)
    keys = make_keys(settings).create("e2e", ["https://portal.example"], "1000/min")
    app = create_app(settings, agent_factory=real_agent_factory)
    yield app, keys, settings


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
