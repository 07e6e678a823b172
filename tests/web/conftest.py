"""Fixtures for the web tests: an app over a fresh data dir with two tenants and a scripted agent."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from knowledge.config import Settings
from tests.web.fakes import ScriptedAgent
from web.app import create_app
from web.db import WebDB, web_db_path
from web.keys import CreatedKeys, KeyStore
from web.settings import WebSettings

ORIGIN_A = "https://portal-a.example"
ORIGIN_B = "https://portal-b.example"


@dataclass
class Tenant:
    name: str
    origin: str
    keys: CreatedKeys

    @property
    def pk(self) -> str:
        return self.keys.publishable_key

    @property
    def sk(self) -> str:
        assert self.keys.secret_key
        return self.keys.secret_key

    def browser(self) -> dict[str, str]:
        """Headers of the widget calling from its portal."""
        return {"Authorization": f"Bearer {self.pk}", "Origin": self.origin}

    def server(self) -> dict[str, str]:
        """Headers of the portal's backend calling server-to-server."""
        return {"Authorization": f"Bearer {self.sk}"}


@dataclass
class WebEnv:
    settings: Settings
    app: FastAPI
    client: TestClient
    agent: ScriptedAgent
    a: Tenant
    b: Tenant
    store: KeyStore


def make_keys(settings: Settings) -> KeyStore:
    settings.ensure_dirs()
    return KeyStore(WebDB(web_db_path(settings)))


def build_env(
    data_dir: Path,
    *,
    payload: str = "",
    web_settings: WebSettings | None = None,
    agent_kwargs: dict[str, Any] | None = None,
) -> WebEnv:
    settings = Settings(data_dir=data_dir)
    store = make_keys(settings)
    a = Tenant("acme", ORIGIN_A, store.create("acme", [ORIGIN_A], "1000/min"))
    b = Tenant("beta", ORIGIN_B, store.create("beta", [ORIGIN_B], "1000/min"))
    agent = ScriptedAgent(settings, payload=payload, **(agent_kwargs or {}))
    app = create_app(settings, agent_factory=lambda s: agent, web_settings=web_settings)
    return WebEnv(settings, app, TestClient(app), agent, a, b, store)


@pytest.fixture()
def env(tmp_path: Path) -> Iterator[WebEnv]:
    e = build_env(tmp_path / "data", web_settings=WebSettings(ping_seconds=15))
    with e.client:
        yield e


def parse_sse(raw: str) -> list[dict[str, Any]]:
    """Parse an SSE body into [{"event", "data"(parsed JSON), "comment"?}] — independent of the server code."""
    out: list[dict[str, Any]] = []
    for block in raw.replace("\r\n", "\n").split("\n\n"):
        if not block.strip():
            continue
        event = None
        data_lines: list[str] = []
        comments: list[str] = []
        for line in block.split("\n"):
            if line.startswith(":"):
                comments.append(line[1:].strip())
            elif line.startswith("event:"):
                event = line[len("event:") :].strip()
            elif line.startswith("data:"):
                data_lines.append(line[len("data:") :].lstrip(" "))
        if data_lines:
            out.append({"event": event, "data": json.loads("\n".join(data_lines))})
        elif comments:
            out.append({"comment": " ".join(comments)})
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving an app on a free loopback port, in a background thread."""

    def __init__(self, app: FastAPI, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("live server did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture()
def live_factory() -> Callable[..., LiveServer]:
    return LiveServer


# -- the real agent ---------------------------------------------------------------------------------

# Records with script-injection payloads in user-visible fields, ingested into the real agent's data dir.
XSS_TITLE = '<img src=x onerror="window.__xss=1">钠离子电池<script>window.__xss=1</script>[点我](javascript:window.__xss=1)'
_INGEST = {
    "orgs.jsonl": {
        "id": "ORG-9001",
        "name": "<b onmouseover=window.__xss=1>恶意</b>储能科技有限公司",
        "kind": "private",
        "domains": ["grid_storage"],
        "region": "jiangsu",
        "needs": ["钠离子电池储能系统"],
        "capabilities": "储能电站集成与运营",
    },
    "achievements.jsonl": {
        "id": "ACH-9001",
        "title": XSS_TITLE,
        "summary": "低成本钠离子电池正极材料与储能系统集成技术 <svg onload=window.__xss=1>",
        "domain": "grid_storage",
        "keywords": ["钠离子电池", "储能"],
        "trl": 6,
        "owner_id": "ORG-9001",
        "transfer_modes": ["license"],
        "region": "jiangsu",
    },
    "facilities.jsonl": {
        "id": "FAC-9001",
        "name": "华东储能<i>中试线</i>",
        "owner_id": "ORG-9001",
        "kind": "pilot_line",
        "domains": ["grid_storage"],
        "processes": ["电芯装配", "化成"],
        "region": "jiangsu",
        "daily_rate_cny": 8000,
        "min_days": 2,
        "lead_time_days": 3,
    },
}
# Injected "today" so the hold dates never depend on the real date.
AGENT_TODAY = "2026-11-22"


@pytest.fixture(scope="session")
def agent_data_dir(tmp_path_factory: pytest.TempPathFactory, session_data_dir: Path) -> Path:
    """A data dir for the real agent: bundled corpus + the records above.

    The session's shared data dir is indexed once (other areas reuse it too) and copied, so this
    costs a copy instead of a second index build; the copy is ours to write (threads, holds).
    """
    import shutil

    from knowledge.ingest import ingest_files
    from knowledge.kb import open_kb

    open_kb(Settings(data_dir=session_data_dir))
    root = tmp_path_factory.mktemp("web-agent")
    data_dir = root / "data"
    shutil.copytree(session_data_dir, data_dir)
    files = []
    for name, record in _INGEST.items():
        f = root / name
        f.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        files.append(f)
    report = ingest_files(files, settings=Settings(data_dir=data_dir))
    assert report.ok, report.as_dict()
    return data_dir


def real_agent_factory(settings: Settings) -> Any:
    from datetime import date

    from agent.runtime import Agent

    return Agent(settings, model="builtin", today=date.fromisoformat(AGENT_TODAY))
