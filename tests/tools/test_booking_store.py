"""The booking store on both backends (SQLite and PostgreSQL, the `backend_settings` fixture):
holds, expiry, idempotency, audit, seeding, import, the database's own overlap guard, a
multi-process race."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bench.booking_race import run_race
from knowledge.bookings import (
    BookingConflict,
    BookingExpired,
    BookingImportError,
    BookingInvalidState,
    BookingNotFound,
    BookingStore,
    IdempotencyMismatch,
    load_bookings_jsonl,
)
from knowledge.config import Settings
from knowledge.models import Booking

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
D = date(2027, 1, 10)


@pytest.fixture()
def store(backend_settings: Settings) -> Iterator[BookingStore]:
    s = BookingStore(backend_settings, seed=False)
    assert s.backend == ("postgres" if backend_settings.database_url else "sqlite")
    yield s
    s.close()


def test_hold_blocks_overlap_but_not_touching(store: BookingStore) -> None:
    a = store.hold("FAC-1", D, D + timedelta(days=5), "alice", now=NOW)
    assert a.status == "held" and a.days == 5
    assert a.expires_at == NOW + timedelta(days=7)  # settings.hold_days default
    with pytest.raises(BookingConflict) as exc:
        store.hold("FAC-1", D + timedelta(days=4), D + timedelta(days=6), "bob", now=NOW)
    assert exc.value.details["conflicts"][0]["reference"] == a.reference
    # End is exclusive: a booking starting on the first one's end date is fine.
    b = store.hold("FAC-1", D + timedelta(days=5), D + timedelta(days=7), "bob", now=NOW)
    # Another facility is independent.
    c = store.hold("FAC-2", D, D + timedelta(days=5), "carol", now=NOW)
    assert {r.reference for r in store.live_bookings("FAC-1", D, D + timedelta(days=30), now=NOW)} == {
        a.reference,
        b.reference,
    }
    assert c.facility_id == "FAC-2"
    assert store.overlapping_live_pairs(now=NOW) == []


def test_expired_hold_stops_blocking(store: BookingStore) -> None:
    a = store.hold("FAC-1", D, D + timedelta(days=5), "alice", hold_days=2, now=NOW)
    later = NOW + timedelta(days=2, seconds=1)
    assert store.get(a.reference, now=later).status == "expired"  # type: ignore[union-attr]
    assert store.live_bookings("FAC-1", D, D + timedelta(days=5), now=later) == []
    b = store.hold("FAC-1", D, D + timedelta(days=5), "bob", now=later)
    assert b.status == "held"
    assert store.get(a.reference, now=later).status == "expired"  # type: ignore[union-attr]
    with pytest.raises(BookingExpired):
        store.confirm(a.reference, now=later)
    with pytest.raises(BookingExpired):
        store.release(a.reference, now=later)


def test_confirm_and_release(store: BookingStore) -> None:
    a = store.hold("FAC-1", D, D + timedelta(days=3), "alice", now=NOW)
    conf = store.confirm(a.reference, now=NOW)
    assert conf.status == "confirmed" and conf.expires_at is None
    # Confirmed bookings never expire.
    assert store.get(a.reference, now=NOW + timedelta(days=400)).status == "confirmed"  # type: ignore[union-attr]
    assert store.confirm(a.reference, now=NOW).status == "confirmed"  # confirming twice is harmless
    with pytest.raises(BookingInvalidState):
        store.release(a.reference, now=NOW)
    assert store.release(a.reference, force=True, now=NOW).status == "cancelled"
    with pytest.raises(BookingNotFound):
        store.confirm("BK-NOPE", now=NOW)
    b = store.hold("FAC-1", D, D + timedelta(days=3), "bob", now=NOW)  # the cancelled row no longer blocks
    store.release(b.reference, now=NOW)
    with pytest.raises(BookingInvalidState):
        store.confirm(b.reference, now=NOW)
    actions = [e.action for e in store.audit()]
    assert actions.count("hold") == 2 and actions.count("confirm") == 1 and actions.count("release") == 2


def test_idempotent_retry_returns_first_result(store: BookingStore) -> None:
    first = store.hold("FAC-1", D, D + timedelta(days=3), "alice", idempotency_key="t1:s3", now=NOW)
    again = store.hold("FAC-1", D, D + timedelta(days=3), "alice", idempotency_key="t1:s3", now=NOW)
    assert again.reference == first.reference
    assert len(store.list("FAC-1")) == 1
    with pytest.raises(IdempotencyMismatch):
        store.hold(
            "FAC-1", D + timedelta(days=9), D + timedelta(days=12), "alice", idempotency_key="t1:s3", now=NOW
        )
    audit = [e for e in store.audit() if e.action == "hold"]
    assert len(audit) == 1 and audit[0].idempotency_key == "t1:s3" and audit[0].reference == first.reference


def test_database_rejects_overlap_even_from_raw_sql(store: BookingStore, backend_settings: Settings) -> None:
    """The database itself refuses overlapping live rows from a writer that skips the store's
    check: SQLite's triggers, PostgreSQL's exclusion constraint."""
    store.hold("FAC-1", D, D + timedelta(days=5), "alice", now=NOW)
    inside = ((D + timedelta(days=1)).isoformat(), (D + timedelta(days=2)).isoformat())
    after = ((D + timedelta(days=5)).isoformat(), (D + timedelta(days=6)).isoformat())
    sql = (
        'INSERT INTO bookings (reference, facility_id, start, "end", status, holder, created_at, updated_at) '
        "VALUES ({ref}, 'FAC-1', {p}, {p}, {status}, 'x', {ts}, {ts})"
    )
    if backend_settings.database_url:
        import psycopg
        from psycopg import errors

        with psycopg.connect(backend_settings.database_url, autocommit=True) as pg:
            q = sql.format(ref="%s", p="%s", status="%s", ts="now()")
            with pytest.raises(errors.ExclusionViolation, match="bookings_no_overlap"):
                pg.execute(q, ("X", *inside, "confirmed"))
            pg.execute(q, ("Y", *inside, "cancelled"))  # only live rows are guarded
            pg.execute(q, ("Z", *after, "held"))  # end is exclusive: touching is not overlapping
            n = pg.execute("SELECT count(*) FROM bookings").fetchone()
        assert n is not None and n[0] == 3
        return
    conn = sqlite3.connect(str(store.path))
    q = sql.format(ref="?", p="?", status="?", ts="'now'")
    with pytest.raises(sqlite3.IntegrityError, match="booking_overlap"):
        conn.execute(q, ("X", *inside, "confirmed"))
    conn.execute(q, ("Y", *inside, "cancelled"))
    conn.execute(q, ("Z", *after, "held"))
    conn.commit()
    assert conn.execute("SELECT count(*) FROM bookings").fetchone()[0] == 3
    conn.close()


def _bookings_file(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_seed_once_and_import_upsert(tmp_path: Path, backend_settings: Settings) -> None:
    f = _bookings_file(
        tmp_path / "bookings.jsonl",
        [
            {
                "facility_id": "FAC-1",
                "start": "2027-01-10",
                "end": "2027-01-15",
                "status": "confirmed",
                "holder": "A",
                "reference": "S-1",
            },
            {
                "facility_id": "FAC-1",
                "start": "2027-02-01",
                "end": "2027-02-03",
                "status": "held",
                "holder": "B",
                "reference": "S-2",
                "expires_at": "2026-11-01T00:00:00+08:00",
            },
        ],
    )
    s = BookingStore(backend_settings, seed=False)
    assert s.seed_sample(f) == 2
    assert s.seed_sample(f) == 0  # only once per database
    assert s.get("S-2", now=NOW).status == "expired"  # type: ignore[union-attr]
    n = s.import_bookings(
        [
            Booking(
                facility_id="FAC-1",
                start=date(2027, 1, 20),
                end=date(2027, 1, 22),
                status="confirmed",
                holder="C",
                reference="S-1",
            )
        ],
        now=NOW,
    )
    assert n == 1
    row = s.get("S-1", now=NOW)
    assert row is not None and row.start == date(2027, 1, 20) and len(s.list()) == 2
    with pytest.raises(BookingConflict) as exc:
        s.import_bookings(
            [
                Booking(
                    facility_id="FAC-1",
                    start=date(2027, 3, 1),
                    end=date(2027, 3, 5),
                    status="held",
                    holder="D",
                    reference="N-1",
                ),
                Booking(
                    facility_id="FAC-1",
                    start=date(2027, 1, 21),
                    end=date(2027, 1, 23),
                    status="held",
                    holder="D",
                    reference="N-2",
                ),
            ],
            now=NOW,
        )
    assert exc.value.details["reference"] == "N-2"
    assert s.get("N-1") is None  # all or nothing
    s.close()


def test_bad_bookings_file_names_line_and_field(tmp_path: Path) -> None:
    f = tmp_path / "b.jsonl"
    f.write_text(
        '{"facility_id": "FAC-1", "start": "2027-01-10", "end": "2027-01-15", "status": "confirmed", "holder": "A", "reference": "S-1"}\n'
        '{"facility_id": "FAC-1", "start": "2027-01-10", "end": "2027-01-15", "status": "booked", "holder": "A", "reference": "S-2"}\n',
        encoding="utf-8",
    )
    with pytest.raises(BookingImportError) as exc:
        load_bookings_jsonl(f)
    assert exc.value.details["line"] == 2 and exc.value.details["field"] == "status"
    assert "b.jsonl:2" in str(exc.value)


def test_bundled_sample_seeds_without_overlaps(backend_settings: Settings) -> None:
    from knowledge.bookings import SAMPLE_BOOKINGS

    s = BookingStore(backend_settings)
    rows = s.list()
    if SAMPLE_BOOKINGS.exists():
        assert len(rows) == len(load_bookings_jsonl(SAMPLE_BOOKINGS))
    else:
        assert rows == []
    assert s.overlapping_live_pairs() == []
    s.close()


def test_race_of_many_processes(tmp_path: Path, backend_settings: Settings) -> None:
    result = run_race(
        tmp_path / "race", windows=20, per_window=10, processes=4, database_url=backend_settings.database_url
    )
    assert result.attempts == 200
    assert result.overlapping_pairs == 0
    assert result.windows_with_two_winners == 0
    assert result.unexplained_losses == 0
    assert result.winners + result.conflicts == 200
    # Neighbouring windows overlap, so at most every other window can win: 10 of 20 at most.
    assert 7 <= result.winners <= 10
    assert result.ok


def _same_key_worker(settings: Settings, barrier: object, out: object) -> None:
    store = BookingStore(settings, seed=False)
    barrier.wait()  # type: ignore[attr-defined]
    row = store.hold("FAC-9", D, D + timedelta(days=3), "alice", idempotency_key="t9:s1", now=NOW)
    out.put(row.reference)  # type: ignore[attr-defined]
    store.close()


def test_one_key_from_many_processes_holds_once(store: BookingStore, backend_settings: Settings) -> None:
    """A retried step that reaches several processes at once: one hold, every caller gets it."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_same_key_worker, args=(backend_settings, barrier, out)) for _ in range(4)]
    for p in procs:
        p.start()
    refs = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(30)
    assert len(set(refs)) == 1
    assert [r.reference for r in store.list("FAC-9")] == refs[:1]
    assert [e.action for e in store.audit()] == ["hold"]


def test_postgres_connection_loss_is_survived(store: BookingStore, backend_settings: Settings) -> None:
    """The database drops every connection (a restart or failover): the next read and the next
    hold reconnect instead of failing for the rest of the process's life."""
    if not backend_settings.database_url:
        assert store.backend == "sqlite"  # one file, no server to lose
        return
    import psycopg

    a = store.hold("FAC-1", D, D + timedelta(days=2), "alice", now=NOW)
    with psycopg.connect(backend_settings.database_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    assert store.get(a.reference, now=NOW) is not None
    with psycopg.connect(backend_settings.database_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    b = store.hold("FAC-1", D + timedelta(days=2), D + timedelta(days=4), "bob", now=NOW)
    assert [r.reference for r in store.list("FAC-1", now=NOW)] == [a.reference, b.reference]
