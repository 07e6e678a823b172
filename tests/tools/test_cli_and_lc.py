"""The bookings CLI (CliRunner) and the LangChain adapters."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from langchain_core.messages import ToolMessage
from typer.testing import CliRunner

from knowledge.bookings import BookingStore
from knowledge.config import Settings, get_settings
from knowledge.models import Booking
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
    # Cancelled now: gone from the default (upcoming, live) list, back with --all.
    out = runner.invoke(bookings_app, ["list", "--facility", "FAC-CLI1"])
    assert out.exit_code == 0 and a.reference not in out.output
    assert "0 shown (use --all for past and cancelled)" in out.output
    out = runner.invoke(bookings_app, ["list", "--facility", "FAC-CLI1", "--all"])
    assert out.exit_code == 0 and a.reference in out.output and "cancelled" in out.output
    assert "1 booking(s) / 共 1 条预订" in out.output


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
    assert out.exit_code == 0 and "0 shown (use --all for past and cancelled) / 显示 0 条" in out.output
    out = runner.invoke(bookings_app, ["list", "--facility", "FAC-CLI9", "--all"])
    assert out.exit_code == 0 and "0 booking(s) / 共 0 条预订" in out.output
    out = runner.invoke(bookings_app, ["release", held.reference])
    assert out.exit_code == 1 and "use --force" in out.output
    out = runner.invoke(bookings_app, ["show", "BK-NOPE"])
    assert "未找到预订 BK-NOPE" in out.output


def test_bookings_list_defaults_to_upcoming_live_bookings(fresh_data_dir: Path, monkeypatch: object) -> None:
    """2,500 sample bookings since 2026-01 buried the ones that matter: by default only live
    bookings (held or confirmed) that end after today are listed, by facility then start."""
    import tools.cli as cli_mod

    monkeypatch.setenv("CHENGGUO_TODAY", "2026-11-22")  # type: ignore[attr-defined]
    get_settings.cache_clear()
    # Without the bundled sample calendar, so the listing holds exactly the bookings below.
    monkeypatch.setattr(cli_mod, "_store", lambda: BookingStore(get_settings(), seed=False))  # type: ignore[attr-defined]
    d = date.fromisoformat
    store = BookingStore(Settings(data_dir=fresh_data_dir), seed=False)
    store.import_bookings(
        [
            Booking(
                reference="BK-PAST",
                facility_id="FAC-0002",
                start=d("2026-10-01"),
                end=d("2026-10-05"),
                status="confirmed",
                holder="old",
            ),
            Booking(
                reference="BK-ENDS-TODAY",
                facility_id="FAC-0003",
                start=d("2026-11-20"),
                end=d("2026-11-22"),
                status="confirmed",
                holder="old",
            ),
            Booking(
                reference="BK-RUNNING",
                facility_id="FAC-0002",
                start=d("2026-11-20"),
                end=d("2026-11-25"),
                status="confirmed",
                holder="Lab [B]",
            ),
            Booking(
                reference="BK-LATER",
                facility_id="FAC-0001",
                start=d("2027-01-10"),
                end=d("2027-01-12"),
                status="confirmed",
                holder="c",
            ),
            Booking(
                reference="BK-SOON",
                facility_id="FAC-0001",
                start=d("2026-12-01"),
                end=d("2026-12-03"),
                status="held",
                holder="d",
                expires_at=datetime(2026, 11, 29, tzinfo=UTC),
            ),
            Booking(
                reference="BK-CANCELLED",
                facility_id="FAC-0001",
                start=d("2026-12-05"),
                end=d("2026-12-06"),
                status="cancelled",
                holder="e",
            ),
            Booking(
                reference="BK-LAPSED",
                facility_id="FAC-0003",
                start=d("2026-12-05"),
                end=d("2026-12-06"),
                status="held",
                holder="f",
                expires_at=datetime(2026, 11, 21, tzinfo=UTC),
            ),
        ],
        now=datetime(2026, 11, 20, tzinfo=UTC),
    )
    store.close()

    out = runner.invoke(bookings_app, ["list", "--json"])
    assert out.exit_code == 0, out.output
    assert [json.loads(x)["reference"] for x in out.output.splitlines()] == [
        "BK-SOON",
        "BK-LATER",
        "BK-RUNNING",
    ]

    out = runner.invoke(bookings_app, ["list"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    order = [ref for line in lines for ref in ("BK-SOON", "BK-LATER", "BK-RUNNING") if line.startswith(ref)]
    assert order == ["BK-SOON", "BK-LATER", "BK-RUNNING"]
    assert not any(ref in out.output for ref in ("BK-PAST", "BK-ENDS-TODAY", "BK-CANCELLED", "BK-LAPSED"))
    assert "Lab [B]" in out.output  # holder text printed as is, not read as rich markup
    assert "held until 11-29" in out.output
    assert (
        lines[-1]
        == "3 shown (use --all for past and cancelled) / 显示 3 条（加 --all 可查看已结束和已取消的预订）"
    )

    out = runner.invoke(bookings_app, ["list", "--all", "--json"])
    assert len(out.output.splitlines()) == 7
    out = runner.invoke(bookings_app, ["list", "--all"])
    assert all(ref in out.output for ref in ("BK-PAST", "BK-CANCELLED", "BK-LAPSED", "expired"))
    assert out.output.splitlines()[-1] == "7 booking(s) / 共 7 条预订"
    # An explicit status still sees only what is current unless --all is given.
    out = runner.invoke(bookings_app, ["list", "--status", "cancelled", "--json"])
    assert [json.loads(x)["reference"] for x in out.output.splitlines()] == ["BK-CANCELLED"]
    get_settings.cache_clear()
