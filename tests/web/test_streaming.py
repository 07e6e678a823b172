"""Streaming over a real socket (uvicorn on loopback): disconnects stop the run, heartbeats, no blocking."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi import FastAPI

from tests.web.conftest import LiveServer, build_env, parse_sse
from web.settings import WebSettings


def _wait(cond: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return False


def test_disconnect_stops_the_run_and_keeps_the_thread(
    tmp_path: Path, live_factory: Callable[[FastAPI], LiveServer]
) -> None:
    e = build_env(tmp_path / "d", agent_kwargs={"delay": 0.02, "slow_tokens": 500})
    with live_factory(e.app) as srv:
        h = e.a.browser()
        tid = httpx.post(srv.url + "/v1/threads", headers=h).json()["thread_id"]
        seen = 0
        with (
            httpx.Client(timeout=10) as c,
            c.stream(
                "POST", f"{srv.url}/v1/threads/{tid}/runs", headers=h, json={"text": "slow answer"}
            ) as r,
        ):
            assert r.status_code == 200
            for line in r.iter_lines():
                if line.startswith("event: token"):
                    seen += 1
                    if seen == 5:
                        break  # leave mid-stream: closing the response drops the connection
        # the agent's generator is closed long before its 500 tokens (10 s) are produced
        assert _wait(lambda: e.agent.closed_early == 1, timeout=5), "run was not stopped after the disconnect"
        produced = e.agent.tokens_produced
        assert produced < 100
        time.sleep(0.3)
        assert e.agent.tokens_produced == produced  # and nothing runs in the background any more
        assert e.agent.finished == 0
        # the lease is released, the history survived, and the thread takes the next turn
        assert _wait(lambda: not e.app.state.web.threads.run_active(tid))
        detail = httpx.get(f"{srv.url}/v1/threads/{tid}", headers=h).json()
        assert detail["messages"][0]["text"] == "slow answer" and detail["running"] is False
        r2 = httpx.post(f"{srv.url}/v1/threads/{tid}/runs", headers=h, json={"text": "quick one"}, timeout=10)
        assert r2.status_code == 200
        assert parse_sse(r2.text)[-1]["data"]["data"]["interrupted"] is False
        metrics = httpx.get(srv.url + "/metrics").text
        assert 'chengguo_runs_total{kind="turn",outcome="disconnected"} 1.0' in metrics
        assert "chengguo_active_streams 0.0" in metrics


def test_heartbeat_pings_on_a_long_stream(
    tmp_path: Path, live_factory: Callable[[FastAPI], LiveServer]
) -> None:
    e = build_env(
        tmp_path / "d",
        web_settings=WebSettings(ping_seconds=0.2),
        agent_kwargs={"delay": 0.05, "slow_tokens": 20},
    )
    with live_factory(e.app) as srv:
        h = e.a.server()
        tid = httpx.post(srv.url + "/v1/threads", headers=h).json()["thread_id"]
        r = httpx.post(f"{srv.url}/v1/threads/{tid}/runs", headers=h, json={"text": "slow"}, timeout=20)
        frames = parse_sse(r.text)
        assert any("ping" in f.get("comment", "") for f in frames), "no heartbeat comment in a 1 s stream"
        # A ping may land between `done` and the close; the last *event* must be done.
        events = [f for f in frames if "event" in f]
        assert events[-1]["event"] == "done"


def test_streams_run_concurrently(tmp_path: Path, live_factory: Callable[[FastAPI], LiveServer]) -> None:
    """Ten 0.5 s runs on ten threads overlap: the sync agent runs off the event loop."""
    e = build_env(tmp_path / "d", agent_kwargs={"delay": 0.05, "slow_tokens": 10})
    with live_factory(e.app) as srv:
        h = e.a.server()

        async def one(c: httpx.AsyncClient) -> list[str]:
            tid = (await c.post("/v1/threads", headers=h)).json()["thread_id"]
            r = await c.post(f"/v1/threads/{tid}/runs", headers=h, json={"text": "slow"})
            return [f["event"] for f in parse_sse(r.text) if "event" in f]

        async def main() -> list[list[str]]:
            async with httpx.AsyncClient(base_url=srv.url, timeout=20) as c:
                return await asyncio.gather(*(one(c) for _ in range(10)))

        results = asyncio.run(main())
        assert all(r[-1] == "done" and r.count("token") >= 10 for r in results)
        # a blocked loop would serialise the generators; here most of them run at once
        assert e.agent.max_active >= 5, e.agent.max_active


def test_next_turn_right_after_done_is_accepted(
    tmp_path: Path, live_factory: Callable[..., LiveServer]
) -> None:
    """`done` reaches the client only once the run's lease is released: no 409 for an eager client."""
    e = build_env(tmp_path / "d", agent_kwargs={"linger": 0.3})
    with live_factory(e.app) as srv:
        h = e.a.server()
        tid = httpx.post(srv.url + "/v1/threads", headers=h).json()["thread_id"]
        with httpx.Client(base_url=srv.url, headers=h, timeout=10) as c:
            for text in ("first", "second", "third"):
                with c.stream("POST", f"/v1/threads/{tid}/runs", json={"text": text}) as r:
                    assert r.status_code == 200, (text, r.read())
                    for line in r.iter_lines():
                        if line.startswith("event: done"):
                            break
        assert [call[1] for call in e.agent.calls] == ["first", "second", "third"]
