"""`chengguo ask --model openai:…` end to end, in a real process, against a local scripted
OpenAI-compatible HTTP server (the shape vLLM / Ollama / llama.cpp serve): the settings reach the
client, the model is asked once per turn for the typed reading (a JSON schema, no tools), the builtin job
chains run the *real* tools, a WRITE step waits for approval, and `--approve` makes exactly one hold.

This is not a model's result: the server replays fixed replies. It checks our side of the wire.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from knowledge.config import Settings
from tests.conftest import indexed_copy

pytestmark = pytest.mark.slow


class ScriptedOpenAI:
    """Serves /v1/chat/completions from a list of replies, recording each request body."""

    def __init__(self, replies: list[str]) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(
                    {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
                )
                content = outer.replies.pop(0) if outer.replies else "(script exhausted)"
                payload = json.dumps(
                    {
                        "id": f"chatcmpl-{len(outer.requests)}",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model", "?"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": content},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60},
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def reading(jobs: list[str], **slots: Any) -> str:
    return json.dumps({"jobs": jobs, "slots": slots})


@pytest.fixture()
def data_dir(tmp_path: Path, session_data_dir: Path) -> Path:
    return indexed_copy(session_data_dir, tmp_path / "data")


@pytest.fixture()
def server() -> Iterator[ScriptedOpenAI]:
    s = ScriptedOpenAI([])
    yield s
    s.close()


def free_start(data_dir: Path, facility: str, days: int) -> date:
    """The first free window the real calendar offers (the sample calendar is dense)."""
    import tools.registry  # noqa: F401
    from tools.base import REGISTRY, ToolContext
    from tools.facilities import CheckAvailabilityOutput

    ctx = ToolContext(settings=Settings(data_dir=data_dir), today=date(2026, 11, 22))
    out = REGISTRY["check_availability"].run(
        {"facility_id": facility, "days": days, "earliest_start": "2027-06-01", "latest_end": "2027-12-31"},
        ctx,
    )
    assert isinstance(out, CheckAvailabilityOutput), out
    return out.results[0].windows[0].start


def ask(data_dir: Path, url: str, *args: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "CHENGGUO_DATA_DIR": str(data_dir),
        "CHENGGUO_TODAY": "2026-11-22",
        "CHENGGUO_OPENAI_BASE_URL": url,
        "CHENGGUO_OPENAI_API_KEY": "sk-local-test",
    }
    env.pop("CHENGGUO_MODEL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "cli", "ask", "--model", "openai:qwen2.5-7b-instruct", "--json", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


def test_one_reading_per_turn_drives_the_real_tools(data_dir: Path, server: ScriptedOpenAI) -> None:
    server.replies += [reading(["search_achievements"], domain=["new_energy"])]
    out = ask(data_dir, server.url, "Which achievements are about sulfide solid electrolytes?")

    # the model reads the message once; the builtin job chains plan every step after it
    assert [r["path"] for r in server.requests] == ["/v1/chat/completions"]
    assert server.requests[0]["auth"] == "Bearer sk-local-test"
    body = server.requests[0]["body"]
    assert body["model"] == "qwen2.5-7b-instruct"
    assert body["max_completion_tokens"] == 256 and "tools" not in body
    assert body["response_format"]["json_schema"]["name"] == "reading"
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    done = [e["data"] for e in out["events"] if e["event"] == "step" and e["data"]["status"] == "done"]
    assert [d["tool"] for d in done] == ["search_achievements"]
    text = out["message"]["text"]
    assert "ACH-" in text and "builtin reading" not in text  # the grounded builtin answer, no fallback
    assert out["message"]["citations"] and all(c["id"] in text for c in out["message"]["citations"])


def test_a_write_step_waits_for_approval_and_happens_once(data_dir: Path, server: ScriptedOpenAI) -> None:
    start = free_start(data_dir, "FAC-0001", 5)
    hold = reading(
        ["hold_slot"],
        facilities=[{"id": "FAC-0001", "mention": "FAC-0001"}],
        duration_days=5,
    )
    server.replies += [hold]
    first = ask(data_dir, server.url, f"Hold FAC-0001 for 5 days from {start}.")
    assert first["events"][-1]["data"]["interrupted"] is True
    approval = next(e["data"] for e in first["events"] if e["event"] == "approval")
    assert approval["action"] == "hold_slot" and approval["args"]["facility_id"] == "FAC-0001"

    from knowledge.bookings import BookingStore

    store = BookingStore(Settings(data_dir=data_dir))
    # read at the pinned CHENGGUO_TODAY: the hold expires hold_days after that, not after the real date
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    before = [b for b in store.list(facility_id="FAC-0001", now=now) if b.status == "held"]
    assert before == []

    # a new process re-plans the same turn after the approval: it reads the message again
    server.replies += [hold]
    second = ask(data_dir, server.url, "--thread", first["thread_id"], "--approve")
    done = [e["data"] for e in second["events"] if e["event"] == "step" and e["data"]["status"] == "done"]
    assert [d["tool"] for d in done] == ["hold_slot"]
    assert len(server.requests) == 2
    held = [
        b
        for b in BookingStore(Settings(data_dir=data_dir)).list(facility_id="FAC-0001", now=now)
        if b.status == "held"
    ]
    assert len(held) == 1 and held[0].start == start and held[0].end == start + timedelta(days=5)


def test_a_timed_out_call_closes_its_connection_so_the_server_can_drop_it() -> None:
    """A model call that outlives the turn's deadline must not keep the HTTP request open: llama.cpp
    generates for an open request even when nobody waits, and the next turn queues behind it."""
    import socket
    import time

    from agent.llm_call import ModelFailure, ReadingCaller
    from agent.models import build_chat_model

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    closed_after: list[float] = []

    def silent_server() -> None:
        conn, _ = listener.accept()
        t0 = time.perf_counter()
        conn.settimeout(30)
        try:
            while conn.recv(65536):  # read the request, never answer; b"" = the client hung up
                pass
        except OSError:
            return
        closed_after.append(time.perf_counter() - t0)
        conn.close()

    thread = threading.Thread(target=silent_server, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    # The client's own timeout is long (as in production, it is the per-call fallback); the deadline is short.
    model = build_chat_model("openai:local", Settings(openai_base_url=url), timeout=120, max_retries=0)
    caller = ReadingCaller(model, timeout_s=1.5, attempts=1)
    t0 = time.perf_counter()
    with pytest.raises(ModelFailure) as failure:
        caller.read("FAC-0001 下周有空吗", "2026-12-05")
    assert failure.value.reason == "timeout"
    assert time.perf_counter() - t0 < 5
    thread.join(10)
    listener.close()
    assert closed_after and closed_after[0] < 5, "the request stayed open after the deadline"
