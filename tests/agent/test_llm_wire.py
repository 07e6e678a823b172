"""`chengguo ask --model openai:…` end to end, in a real process, against a local scripted
OpenAI-compatible HTTP server (the shape vLLM / Ollama / llama.cpp serve): the settings reach the
client, the plan is requested as a JSON schema over the *real* tools, tool results go back to the
model, a WRITE step waits for approval, and `--approve` makes exactly one hold in the store.

This is not a model's result: the server replays fixed replies. It checks our side of the wire.
"""

from __future__ import annotations

import json
import os
import shutil
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


def plan(*steps: tuple[str, dict[str, Any]], answer_now: bool = False) -> str:
    return json.dumps(
        {
            "steps": [{"tool": t, "args": a, "summary": f"{t}"} for t, a in steps],
            "answer_now": answer_now,
            "note": "",
        }
    )


@pytest.fixture()
def data_dir(tmp_path: Path, session_data_dir: Path) -> Path:
    from knowledge.kb import open_kb

    open_kb(Settings(data_dir=session_data_dir), progress=False)
    d = tmp_path / "data"
    shutil.copytree(session_data_dir, d, ignore=shutil.ignore_patterns("checkpoints*", "*.lock"))
    return d


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


def test_read_steps_reach_the_real_tools_and_results_go_back_to_the_model(
    data_dir: Path, server: ScriptedOpenAI
) -> None:
    server.replies += [
        plan(("search_achievements", {"query": "sulfide solid electrolyte", "k": 3})),
        plan(answer_now=True),
        "ACH-0001 is the closest match.",
    ]
    out = ask(data_dir, server.url, "Which achievements are about sulfide solid electrolytes?")

    assert [r["path"] for r in server.requests] == ["/v1/chat/completions"] * 3
    assert server.requests[0]["auth"] == "Bearer sk-local-test"
    first = server.requests[0]["body"]
    assert first["model"] == "qwen2.5-7b-instruct"
    schema = json.dumps(first["response_format"]["json_schema"]["schema"])
    # the plan schema is built from the real registry, WRITE tools included
    assert "Step_search_achievements" in schema and "Step_hold_slot" in schema
    done = [e["data"] for e in out["events"] if e["event"] == "step" and e["data"]["status"] == "done"]
    assert [d["tool"] for d in done] == ["search_achievements"]
    # the second planning call sees the tool's real result
    second = json.dumps(server.requests[1]["body"]["messages"], ensure_ascii=False)
    assert "ACH-0001" in second
    assert out["message"]["text"] == "ACH-0001 is the closest match."


def test_a_write_step_waits_for_approval_and_happens_once(data_dir: Path, server: ScriptedOpenAI) -> None:
    start = free_start(data_dir, "FAC-0001", 5)
    hold = ("hold_slot", {"facility_id": "FAC-0001", "start": start.isoformat(), "days": 5})
    server.replies += [plan(hold)]
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

    server.replies += [plan(answer_now=True), "Held FAC-0001 from 2027-09-06 for 5 days."]
    second = ask(data_dir, server.url, "--thread", first["thread_id"], "--approve")
    done = [e["data"] for e in second["events"] if e["event"] == "step" and e["data"]["status"] == "done"]
    assert [d["tool"] for d in done] == ["hold_slot"]
    held = [
        b
        for b in BookingStore(Settings(data_dir=data_dir)).list(facility_id="FAC-0001", now=now)
        if b.status == "held"
    ]
    assert len(held) == 1 and held[0].start == start and held[0].end == start + timedelta(days=5)
