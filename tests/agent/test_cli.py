"""`chengguo ask` through typer's CliRunner, and `chengguo chat` in a real terminal via pexpect."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from cli import app
from tests.agent import fakes

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(autouse=True)
def _scripted(fresh_data_dir: Path) -> None:
    fakes.install()
    fakes.CRASH_AFTER_WRITE["on"] = False


def ask(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["ask", *args, "--model", "scripted"])
    return result.exit_code, result.stdout


def test_ask_json_is_one_object_with_events_and_message() -> None:
    code, out = ask("three things", "--json")
    assert code == 0
    data = json.loads(out)  # exactly one JSON document on stdout
    assert set(data) >= {"thread_id", "events", "message"}
    kinds = [e["event"] for e in data["events"]]
    assert kinds[0] == "plan" and kinds[-1] == "done"
    assert kinds.count("step") == 6
    assert data["message"]["text"] == "Results: fake_search:ok, fake_search:ok, fake_availability:ok."
    assert [c["id"] for c in data["message"]["citations"]] == ["ACH-0001", "ACH-0002", "FAC-1"]
    assert data["interrupted"] is False and data["pending_approval"] is None


def test_ask_stops_at_approval_then_resumes_with_approve(fresh_data_dir: Path) -> None:
    code, out = ask("hold FAC-0005 2026-12-01 2026-12-03")
    assert code == 0
    assert "fake_hold" in out and "facility_id: FAC-0005" in out
    line = next(ln for ln in out.splitlines() if "chengguo ask --thread" in ln)
    thread = line.split("--thread")[1].split()[0]
    assert line.strip().startswith(f"chengguo ask --thread {thread} --approve")

    code, out = ask("--thread", thread, "--approve", "--json")
    assert code == 0
    data = json.loads(out)
    done = [e["data"] for e in data["events"] if e["event"] == "step" and e["data"]["status"] == "done"]
    assert [d["tool"] for d in done] == ["fake_hold"]
    assert data["message"]["text"] == "Results: fake_availability:ok, fake_hold:ok."
    from knowledge.config import Settings

    assert len(fakes.holds(Settings(data_dir=fresh_data_dir))) == 1
    # a second --approve has nothing to approve: error, non-zero exit, still one hold
    code, out = ask("--thread", thread, "--approve", "--json")
    assert code == 1 and json.loads(out)["events"][0]["data"]["code"] == "no_pending_approval"
    assert len(fakes.holds(Settings(data_dir=fresh_data_dir))) == 1


def test_ask_auto_reject_in_one_call() -> None:
    code, out = ask("hold FAC-0005 2026-12-01 2026-12-03", "--reject", "--json")
    assert code == 0
    data = json.loads(out)
    assert [e["event"] for e in data["events"]].count("approval") == 1
    assert data["message"]["text"] == "Results: fake_availability:ok, fake_hold:rejected."


def test_ask_plain_prints_the_answer_and_sources() -> None:
    code, out = ask("find something")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Results: fake_search:ok."
    assert "  [1] ACH-0001 — find something result 1" in lines


def test_ask_usage_errors() -> None:
    assert ask()[0] == 2
    assert ask("x", "--approve", "--reject")[0] == 2
    assert ask("--approve")[0] == 2
    assert ask("x", "--lang", "fr")[0] == 2


def test_ask_error_event_gives_exit_1() -> None:
    code, out = ask("   ", "--json")
    assert code == 1 and json.loads(out)["events"][0]["data"]["code"] == "empty_message"


CHAT = "import tests.agent.fakes as f; f.install(); import cli; cli.main()"


def test_chat_terminal_session_with_approval(fresh_data_dir: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CHENGGUO_DATA_DIR": str(fresh_data_dir),
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "120",
        "TERM": "xterm",
    }
    child = pexpect.spawn(
        sys.executable,
        ["-c", CHAT, "chat", "--model", "scripted", "--lang", "en", "--no-warm"],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    try:
        ansi = r"(?:\x1b\[[0-9;]*m)*"  # rich dims the labels
        child.expect(rf"Planner:{ansi} scripted")
        child.expect(rf"Thread:{ansi} ([0-9a-f]{{12}}) \(new\)")
        thread = child.match.group(1)
        child.expect("› ")
        child.sendline("/help")
        child.expect("/export")
        child.expect("› ")
        child.sendline("hold FAC-0009 2026-12-01 2026-12-04")
        child.expect("Plan")
        child.expect("Approval needed")
        child.expect(r"quote: 3 days × RMB 1,000 = RMB 3,000")
        child.expect(r"Approve\? \[y\]es / \[n\]o / \[e\]dit")
        child.sendline("e")
        child.expect(r"start \[2026-12-01\]")
        child.sendline("2026-12-xx")
        child.expect("YYYY-MM-DD")
        child.sendline("2026-12-02")
        child.expect(r"end \[2026-12-04\]")
        child.sendline("2026-12-05")
        child.expect("Results: fake_availability:ok, fake_hold:ok.")
        child.expect("› ")
        child.sendline("/export")
        child.expect("Saved")
        child.expect("› ")
        child.sendline("/threads")
        child.expect(thread)
        child.expect("› ")
        child.sendeof()
        child.expect(f"chengguo chat --thread {thread}")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    from knowledge.config import Settings

    rows = fakes.holds(Settings(data_dir=fresh_data_dir))
    assert [(r[2], r[3], r[4]) for r in rows] == [("FAC-0009", "2026-12-02", "2026-12-05")]
    transcript = (tmp_path / f"chengguo-{thread}.md").read_text(encoding="utf-8")
    assert "hold FAC-0009 2026-12-01 2026-12-04" in transcript
    assert "Results: fake_availability:ok, fake_hold:ok." in transcript
    assert (fresh_data_dir / "chat_history").read_text().count("hold FAC-0009") == 1

    # a new process resumes the same thread and shows its history
    child = pexpect.spawn(
        sys.executable,
        ["-c", CHAT, "chat", "--model", "scripted", "--thread", thread, "--no-warm"],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    try:
        child.expect("Results: fake_availability:ok, fake_hold:ok.")
        child.expect("› ")
        child.sendline("/quit")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0


def test_unusable_model_is_a_clear_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    result = runner.invoke(app, ["ask", "hello", "--model", "nonsense"])
    assert result.exit_code == 2
    assert "cannot use model 'nonsense'" in result.stderr and "provider:name" in result.stderr


def test_chat_edit_offers_the_length_as_well_as_the_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    # QA: editing a hold only asked for the start date; "改成两周" had no way in.
    from agent import cli as agent_cli

    answers = iter(["2027-04-06", "x", "0", "14"])
    monkeypatch.setattr(agent_cli, "_read", lambda prompt: next(answers))
    chat = agent_cli._Chat.__new__(agent_cli._Chat)
    chat.lang = "en"
    from rich.console import Console

    chat.console = Console(file=io.StringIO())
    edited = chat._edit_args({"facility_id": "FAC-0001", "start": "2027-03-01", "days": 21})
    assert edited == {"start": "2027-04-06", "days": 14}


def test_approval_quote_follows_the_summary_language() -> None:
    # QA: a Chinese turn showed "10 days × RMB 38,000 = RMB 380,000" in its approval box.
    from agent.cli import _approval_text

    quote = {"days": 10, "daily_rate_cny": 38000.0, "total_cny": 380000.0}
    zh = _approval_text(
        {
            "action": "hold_slot",
            "summary": "预留FAC-0001：2027-03-01 起 10 天（需您批准）",
            "args": {},
            "quote": quote,
        }
    )
    assert "10 天 × 38,000 元 = 380,000 元" in zh
    en = _approval_text(
        {
            "action": "hold_slot",
            "summary": "Hold FAC-0001 from 2027-03-01 for 10 days",
            "args": {},
            "quote": quote,
        }
    )
    assert "10 days × RMB 38,000 = RMB 380,000" in en
