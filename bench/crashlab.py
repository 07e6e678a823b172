"""Run real `chengguo serve` / `chengguo ingest` processes, stop them at a named point, `kill -9` them.

Shared by the crash tests (tests/crash/) and `bench/crash.py`. A process started with
`pause=` stops at that point (`knowledge/faults.py`) and writes its name to a flag file; the
caller waits for the flag and kills the process there, so the crash lands exactly where it is
meant to (mid-turn, between an approval and its write, inside an ingest transaction).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PORTS = range(18100, 18200)
"""Manual servers on this machine use these ports."""
TODAY = "2026-11-22"


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18100-18199")


def _env(data_dir: Path, pause: str | None, flag: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHENGGUO_")}
    env.update(
        {
            "CHENGGUO_DATA_DIR": str(data_dir),
            "CHENGGUO_TODAY": TODAY,
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "PYTHONFAULTHANDLER": "1",
        }
    )
    if pause:
        env["CHENGGUO_FAULT_PAUSE"] = pause
    if flag:
        env["CHENGGUO_FAULT_FLAG"] = str(flag)
    return env


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    data_dir: Path
    started: float

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill9()


def start_server(
    data_dir: Path, *, pause: str | None = None, flag: Path | None = None, port: int | None = None
) -> Server:
    """`chengguo serve` on a loopback port; returns once it is listening (not necessarily warm)."""
    port = port or free_port()
    log = (data_dir.parent / f"serve-{port}.log").open("ab")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=_env(data_dir, pause, flag),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(proc, port, data_dir, t0)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited with {proc.returncode}; see {log.name}")
        try:
            httpx.get(server.base + "/healthz", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.05)
    server.kill9()
    raise RuntimeError("serve did not start within 60 s")


@contextmanager
def serving(data_dir: Path, **kw: Any) -> Iterator[Server]:
    server = start_server(data_dir, **kw)
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.stop()


def run_cli(
    data_dir: Path, *args: str, pause: str | None = None, flag: Path | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env=_env(data_dir, pause, flag),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def in_background(fn: Any, *args: Any, **kw: Any) -> threading.Thread:
    """Send a request that will never be answered (the server is about to be killed)."""

    def call() -> None:
        with suppress(httpx.HTTPError, OSError):
            fn(*args, **kw)

    t = threading.Thread(target=call, daemon=True)
    t.start()
    return t


def wait_flag(flag: Path, name: str, timeout: float = 60) -> None:
    """Until the process has reached pause point `name`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if flag.exists() and name in flag.read_text(encoding="utf-8").split():
            return
        time.sleep(0.02)
    raise TimeoutError(f"pause point {name} not reached in {timeout} s")


# -- the API, as a portal backend calls it (secret key, no browser) ---------------------------------


def make_key(data_dir: Path) -> str:
    from knowledge.config import Settings
    from web.db import WebDB, web_db_path
    from web.keys import KeyStore

    settings = Settings(data_dir=data_dir)
    settings.ensure_dirs()
    created = KeyStore(WebDB(web_db_path(settings))).create("crash", ["http://127.0.0.1"], "100000/min")
    assert created.secret_key
    return created.secret_key


def _h(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def new_thread(base: str, key: str) -> str:
    r = httpx.post(base + "/v1/threads", headers=_h(key), timeout=30)
    r.raise_for_status()
    return str(r.json()["thread_id"])


def parse_sse(text: str) -> list[dict[str, Any]]:
    out = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("data:"):
                out.append(json.loads(line[5:].strip()))
    return out


def post_stream(
    base: str, key: str, path: str, body: dict[str, Any], *, until: str | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """POST and read the SSE answer; with `until`, return as soon as an event of that kind arrives."""
    events: list[dict[str, Any]] = []
    with httpx.stream("POST", base + path, headers=_h(key), json=body, timeout=60) as r:
        if r.status_code != 200:
            r.read()
            return r.status_code, [r.json()]
        buf = ""
        for chunk in r.iter_text():
            buf += chunk.replace("\r\n", "\n")
            while "\n\n" in buf:
                block, buf = buf.split("\n\n", 1)
                events.extend(parse_sse(block + "\n\n"))
                if until and events and events[-1]["event"] == until:
                    return 200, events
    return 200, events


def run_turn(base: str, key: str, tid: str, text: str, **kw: Any) -> tuple[int, list[dict[str, Any]]]:
    return post_stream(base, key, f"/v1/threads/{tid}/runs", {"text": text}, **kw)


def decide(
    base: str, key: str, tid: str, action: str = "approve", **kw: Any
) -> tuple[int, list[dict[str, Any]]]:
    return post_stream(base, key, f"/v1/threads/{tid}/approval", {"action": action}, **kw)


def get_thread(base: str, key: str, tid: str) -> dict[str, Any]:
    r = httpx.get(base + f"/v1/threads/{tid}", headers=_h(key), timeout=30)
    r.raise_for_status()
    return dict(r.json())


def wait_usable(base: str, key: str, tid: str, timeout: float = 30) -> dict[str, Any]:
    """Poll the thread until no run (or recovery) holds it; returns its detail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            detail = get_thread(base, key, tid)
            if not detail["running"]:
                return detail
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"thread {tid} still busy after {timeout} s")


def tool_holds(data_dir: Path) -> list[tuple[str, str, str, str]]:
    """Holds the agent made (not the sample calendar): (reference, facility, start, end)."""
    conn = sqlite3.connect(data_dir / "chengguo.db")
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'bookings'").fetchone():
            return []  # no booking was ever opened on this data dir
        rows = conn.execute(
            "SELECT reference, facility_id, start, \"end\" FROM bookings WHERE source != 'sample' AND status = 'held'"
        ).fetchall()
    finally:
        conn.close()
    return [tuple(r) for r in rows]
