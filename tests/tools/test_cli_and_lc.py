"""The bookings CLI (CliRunner) and the LangChain adapters."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from langchain_core.messages import ToolMessage
from typer.testing import CliRunner

from knowledge.bookings import BookingStore
from knowledge.config import Settings
from tests.tools.fakes import NOW, TODAY, MemoryKB, small_corpus
from tools.base import REGISTRY, ToolContext, ToolKind
from tools.cli import bookings_app
from tools.lc import langchain_tools

runner = CliRunner()


def test_bookings_cli(fresh_data_dir: Path) -> None:
    store = BookingStore(Settings(data_dir=fresh_data_dir), seed=False)
    start = date.today() + timedelta(days=30)
    a = store.hold("FAC-CLI1", start, start + timedelta(days=3), "alice")
    b = store.hold("FAC-CLI2", start, start + timedelta(days=2), "bob")
    store.close()

    out = runner.invoke(bookings_app, ["list", "--json"])
    assert out.exit_code == 0, out.output
    refs = {json.loads(line)["reference"] for line in out.output.splitlines()}
    assert {a.reference, b.reference} <= refs

    out = runner.invoke(bookings_app, ["list", "--facility", "FAC-CLI1", "--json"])
    assert [json.loads(x)["reference"] for x in out.output.splitlines()] == [a.reference]

    out = runner.invoke(bookings_app, ["confirm", a.reference])
    assert out.exit_code == 0 and "confirmed" in out.output
    out = runner.invoke(bookings_app, ["list", "--facility", "FAC-CLI1", "--status", "confirmed", "--json"])
    assert [json.loads(x)["reference"] for x in out.output.splitlines()] == [a.reference]

    out = runner.invoke(bookings_app, ["show", a.reference, "--json"])
    shown = json.loads(out.output)
    assert shown["status"] == "confirmed" and shown["days"] == 3
    assert [e["action"] for e in shown["audit"]] == ["confirm", "hold"]

    out = runner.invoke(bookings_app, ["release", a.reference])
    assert out.exit_code == 1 and "invalid_state" in out.output
    out = runner.invoke(bookings_app, ["release", a.reference, "--force"])
    assert out.exit_code == 0 and "cancelled" in out.output
    out = runner.invoke(bookings_app, ["release", b.reference])
    assert out.exit_code == 0 and "cancelled" in out.output

    out = runner.invoke(bookings_app, ["show", "BK-NOPE"])
    assert out.exit_code == 1 and "no booking" in out.output
    out = runner.invoke(bookings_app, ["list", "--status", "booked"])
    assert out.exit_code != 0 and "allowed" in out.output
    out = runner.invoke(bookings_app, ["list", "--facility", "FAC-CLI1"])
    assert out.exit_code == 0 and a.reference in out.output


def test_langchain_tools(tmp_path: Path) -> None:
    ctx = ToolContext(
        settings=Settings(data_dir=tmp_path / "d"),
        extra={"kb": MemoryKB(small_corpus())},
        today=TODAY,
        now=NOW,
    )
    tools = {t.name: t for t in langchain_tools(ctx)}
    assert set(tools) == set(REGISTRY)
    assert tools["hold_slot"].metadata == {"kind": "WRITE"}
    assert {t.name for t in langchain_tools(ctx, kinds=[ToolKind.WRITE])} == {
        "hold_slot",
        "release_hold",
        "confirm_booking",
    }
    assert "achievement_id" in tools["find_partners"].args
    msg = tools["find_partners"].invoke(
        {
            "type": "tool_call",
            "id": "c1",
            "name": "find_partners",
            "args": {"achievement_id": "ACH-T1", "k": 2},
        }
    )
    assert isinstance(msg, ToolMessage)
    assert msg.artifact["ok"] is True and msg.artifact["matches"][0]["org_id"] == "ORG-B1"
    assert json.loads(str(msg.content))["matches"][0]["org_id"] == "ORG-B1"
    err = tools["check_availability"].invoke(
        {
            "type": "tool_call",
            "id": "c2",
            "name": "check_availability",
            "args": {"facility_id": "FAC-T1", "days": 2, "earliest_start": "2020-01-01"},
        }
    )
    assert err.artifact["ok"] is False and err.artifact["code"] == "past_dates"


def test_bookings_cli_unknown_facility_and_bilingual_messages(
    fresh_data_dir: Path, monkeypatch: object
) -> None:
    # QA round 2: a mistyped facility id printed "0 booking(s)", which reads as "free".
    import tools.cli as cli_mod

    known = {"FAC-CLI9"}
    monkeypatch.setattr(cli_mod, "_facility_exists", lambda fid: fid in known)  # type: ignore[attr-defined]
    store = BookingStore(Settings(data_dir=fresh_data_dir), seed=False)
    start = date.today() + timedelta(days=30)
    held = store.hold("FAC-CLI8", start, start + timedelta(days=3), "alice")
    store.confirm(held.reference)
    store.close()

    out = runner.invoke(bookings_app, ["list", "--facility", "FAC-CLI0"])
    assert out.exit_code == 1 and "no facility FAC-CLI0 / 未找到设施 FAC-CLI0" in out.output
    out = runner.invoke(bookings_app, ["list", "--facility", "FAC-CLI9"])
    assert out.exit_code == 0 and "0 booking(s) / 共 0 条预订" in out.output
    out = runner.invoke(bookings_app, ["release", held.reference])
    assert out.exit_code == 1 and "use --force" in out.output
    out = runner.invoke(bookings_app, ["show", "BK-NOPE"])
    assert "未找到预订 BK-NOPE" in out.output
