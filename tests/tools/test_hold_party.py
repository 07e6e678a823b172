"""Bookings name who they are for (issue 13, deliverable 4): `hold_slot` takes an organisation
(checked against the knowledge base) or a person; the row, the tool's view, the audit log and
`chengguo bookings list` show it; the conversation id is its own column; old SQLite files gain
the columns."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tools.registry  # noqa: F401
from knowledge.bookings import BookingStore
from knowledge.config import Settings, get_settings
from tests.tools.fakes import NOW, TODAY
from tools.base import REGISTRY, ToolContext, ToolError
from tools.booking import BookingView
from tools.cli import bookings_app

START = TODAY + timedelta(days=10)


def test_hold_for_a_known_organisation(make_ctx: Callable[..., ToolContext], store: BookingStore) -> None:
    out = REGISTRY["hold_slot"].run(
        {"facility_id": "FAC-T1", "start": str(START), "days": 4, "holder_id": "org-b1"},
        make_ctx("en", thread="conv-7", step="s2"),
    )
    assert isinstance(out, BookingView), out
    name = "Huaneng Battery Works"
    assert (out.holder, out.holder_id, out.thread_id) == (name, "ORG-B1", "conv-7")
    assert out.summary.endswith("quote RMB 80,000") and f"for {name} (ORG-B1)" in out.summary
    row = store.get(out.reference, now=NOW)
    assert row is not None and (row.holder, row.holder_id, row.thread_id) == (name, "ORG-B1", "conv-7")
    (entry,) = [e for e in store.audit(out.reference) if e.action == "hold"]
    assert entry.payload["holder_id"] == "ORG-B1" and entry.payload["holder"] == name
    assert entry.payload["thread_id"] == "conv-7" and entry.actor == "agent:conv-7"
    zh = REGISTRY["list_bookings"].run({"references": [out.reference]}, make_ctx("zh"))
    assert f"，预订方 {name} (ORG-B1)，" in zh.bookings[0].summary  # type: ignore[attr-defined]
    # Released: the audit entry still names the party.
    REGISTRY["release_hold"].run({"reference": out.reference}, make_ctx("en", step="s3"))
    (rel,) = [e for e in store.audit(out.reference) if e.action == "release"]
    assert rel.payload == {"previous": "held", "holder": name, "holder_id": "ORG-B1", "thread_id": "conv-7"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unknown_organisation_is_a_typed_error(
    make_ctx: Callable[..., ToolContext], store: BookingStore, lang: str
) -> None:
    for args in ({"holder_id": "ORG-9999"}, {"holder": "ORG-9999"}):
        out = REGISTRY["hold_slot"].run(
            {"facility_id": "FAC-T1", "start": str(START), "days": 4, **args}, make_ctx(lang)
        )
        assert isinstance(out, ToolError) and out.code == "unknown_org", out
        assert out.details == {"id": "ORG-9999"}
        assert ("未找到机构 ORG-9999" in out.message) == (lang == "zh")
    assert store.list() == []  # nothing was held


def test_hold_for_a_person_and_the_default(make_ctx: Callable[..., ToolContext], store: BookingStore) -> None:
    out = REGISTRY["hold_slot"].run(
        {"facility_id": "FAC-T1", "start": str(START), "days": 4, "holder": "Dr. Li Wei"},
        make_ctx("en", thread="conv-8"),
    )
    assert isinstance(out, BookingView)
    assert (out.holder, out.holder_id, out.thread_id) == ("Dr. Li Wei", None, "conv-8")
    assert " for Dr. Li Wei" in out.summary
    later = REGISTRY["hold_slot"].run(
        {"facility_id": "FAC-T1", "start": str(START + timedelta(days=20)), "days": 4},
        make_ctx("en", thread="conv-8", step="s9"),
    )
    assert isinstance(later, BookingView)
    # Nobody named: the conversation stands in as holder, and the summary names no party.
    assert (later.holder, later.holder_id, later.thread_id) == ("conv-8", None, "conv-8")
    assert " for " not in later.summary


def test_bookings_list_shows_the_party(fresh_data_dir: Path) -> None:
    get_settings.cache_clear()
    store = BookingStore(Settings(data_dir=fresh_data_dir), seed=False)
    start = TODAY.today() + timedelta(days=30)
    a = store.hold(
        "FAC-P1",
        start,
        start + timedelta(days=3),
        "Huaneng Battery Works",
        holder_id="ORG-B1",
        thread_id="t-1",
    )
    store.close()
    out = CliRunner().invoke(bookings_app, ["list", "--facility", "FAC-P1"], env={"COLUMNS": "160"})
    assert out.exit_code == 0, out.output
    assert "Huaneng Battery Works (ORG-B1)" in out.output and a.reference in out.output
    shown = CliRunner().invoke(bookings_app, ["show", a.reference])
    assert "holder_id: ORG-B1" in shown.output and "thread_id: t-1" in shown.output


def test_old_sqlite_file_gains_the_columns(tmp_path: Path) -> None:
    """A chengguo.db from before holder_id/thread_id opens, keeps its rows and takes new holds."""
    data = tmp_path / "data"
    data.mkdir()
    old = sqlite3.connect(data / "chengguo.db")
    old.executescript(
        """
        CREATE TABLE bookings (reference TEXT PRIMARY KEY, facility_id TEXT NOT NULL, start TEXT NOT NULL,
            "end" TEXT NOT NULL, status TEXT NOT NULL, holder TEXT NOT NULL, expires_at TEXT,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, source TEXT NOT NULL DEFAULT 'tool');
        INSERT INTO bookings VALUES ('BK-OLD', 'FAC-1', '2027-01-10', '2027-01-12', 'confirmed', 'thread-x',
            NULL, '2026-11-01T00:00:00', '2026-11-01T00:00:00', 'tool');
        """
    )
    old.close()
    store = BookingStore(Settings(data_dir=data), seed=False)
    row = store.get("BK-OLD", now=NOW)
    assert row is not None and (row.holder, row.holder_id, row.thread_id) == ("thread-x", None, None)
    new = store.hold(
        "FAC-1", START, START + timedelta(days=2), "ACME", holder_id="ORG-A", thread_id="t", now=NOW
    )
    assert new.holder_id == "ORG-A"
    store.close()
