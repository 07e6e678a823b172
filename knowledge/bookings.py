"""The booking store: facility calendars, tentative holds, confirmations, audit log, idempotency.

Two backends behind one class, chosen by settings: SQLite in the data dir (WAL, busy timeout,
`BEGIN IMMEDIATE` for every write) by default, PostgreSQL when `CHENGGUO_DATABASE_URL` is set
(schema by Alembic, `knowledge/migrations/`). All booking SQL lives in this module and is
written once for both (`knowledge/sqldb.py` adapts the parameter style).

Invariant: two *live* bookings (held and not expired, or confirmed) of one facility never
overlap. It is checked inside the write transaction and enforced again by the database itself:
SQLite triggers (its single write lock serialises racing processes), PostgreSQL an exclusion
constraint `EXCLUDE USING gist (facility_id WITH =, daterange(start, "end") WITH &&)` over live
rows. Under PostgreSQL's concurrency the constraint is what decides a race: the loser's insert
fails, its transaction is retried, and the retry sees the winner and reports a conflict.

Dates are ISO strings (`end` exclusive); timestamps are UTC ISO strings (`YYYY-MM-DDTHH:MM:SS`)
so that string comparison is time comparison.
"""

from __future__ import annotations

import builtins
import functools
import hashlib
import json
import random
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

from knowledge.config import Settings, get_settings
from knowledge.integrity import guard_records_db, mark_records_db
from knowledge.models import Booking, BookingStatus
from knowledge.sqldb import Db, PostgresDb, SqliteDb, is_postgres_url

SAMPLE_BOOKINGS = Path(__file__).parent / "sample" / "bookings.jsonl"

LIVE_STATUSES: tuple[str, ...] = ("held", "confirmed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS bookings (
    reference   TEXT PRIMARY KEY,
    facility_id TEXT NOT NULL,
    start       TEXT NOT NULL,
    "end"       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('held', 'confirmed', 'cancelled', 'expired')),
    holder      TEXT NOT NULL,
    holder_id   TEXT,
    thread_id   TEXT,
    expires_at  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT 'tool',
    CHECK ("end" > start)
);
CREATE INDEX IF NOT EXISTS bookings_facility ON bookings (facility_id, start);
CREATE TABLE IF NOT EXISTS booking_audit (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    ts              TEXT NOT NULL,
    action          TEXT NOT NULL,
    reference       TEXT,
    actor           TEXT NOT NULL,
    idempotency_key TEXT,
    payload         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS booking_idempotency (
    key          TEXT PRIMARY KEY,
    action       TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response     TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS booking_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS bookings_no_overlap_insert
BEFORE INSERT ON bookings
WHEN NEW.status IN ('held', 'confirmed')
BEGIN
    SELECT RAISE(ABORT, 'booking_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.facility_id = NEW.facility_id AND b.status IN ('held', 'confirmed')
          AND b.start < NEW."end" AND b."end" > NEW.start AND b.reference <> NEW.reference
    );
END;
CREATE TRIGGER IF NOT EXISTS bookings_no_overlap_update
BEFORE UPDATE OF facility_id, start, "end", status ON bookings
WHEN NEW.status IN ('held', 'confirmed')
BEGIN
    SELECT RAISE(ABORT, 'booking_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.facility_id = NEW.facility_id AND b.status IN ('held', 'confirmed')
          AND b.start < NEW."end" AND b."end" > NEW.start AND b.reference <> NEW.reference
    );
END;
"""

# Effective status: a hold past its expiry reads as expired even before a write materialises it.
_SELECT = """
SELECT reference, facility_id, start, "end",
       CASE WHEN status = 'held' AND expires_at IS NOT NULL AND expires_at <= :now THEN 'expired'
            ELSE status END AS status,
       holder, holder_id, thread_id, expires_at, created_at, updated_at, source
FROM bookings
"""
_LIVE = "(status = 'confirmed' OR (status = 'held' AND (expires_at IS NULL OR expires_at > :now)))"
_EXPIRE = (
    "UPDATE bookings SET status = 'expired', updated_at = :now "
    "WHERE status = 'held' AND expires_at IS NOT NULL AND expires_at <= :now"
)


# --------------------------------------------------------------------------------------- errors


class BookingError(Exception):
    """An expected booking failure; `code` matches the tool error codes."""

    code = "booking_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.details = details


class BookingNotFound(BookingError):
    code = "not_found"


class BookingConflict(BookingError):
    code = "conflict"


class BookingExpired(BookingError):
    code = "expired"


class BookingInvalidState(BookingError):
    code = "invalid_state"


class IdempotencyMismatch(BookingError):
    code = "idempotency_mismatch"


class BookingImportError(BookingError):
    code = "invalid_booking"


# --------------------------------------------------------------------------------------- models


class BookingRow(BaseModel):
    """A stored booking with its effective status (expired holds read as `expired`)."""

    reference: str
    facility_id: str
    start: date
    end: date = Field(description="Exclusive.")
    status: BookingStatus
    holder: str = Field(description="Who the booking is for: an organisation's name or a person.")
    holder_id: str | None = Field(None, description="The organisation's id (ORG-…) when it is one.")
    thread_id: str | None = Field(None, description="The conversation that placed the hold.")
    expires_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    source: str = "tool"

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def live(self) -> bool:
        return self.status in LIVE_STATUSES


class AuditEntry(BaseModel):
    id: int
    ts: datetime
    action: str
    reference: str | None
    actor: str
    idempotency_key: str | None
    payload: dict[str, Any]


# -------------------------------------------------------------------------------------- helpers


def _ts(value: datetime) -> str:
    """UTC ISO timestamp; naive datetimes are taken as UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None, microsecond=0).isoformat()


def _parse_ts(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _now(now: datetime | None) -> str:
    return _ts(now if now is not None else datetime.now(UTC))


def _plain(value: Any) -> Any:
    """PostgreSQL's typed values in SQLite's string form, so the logic above sees one shape."""
    if isinstance(value, datetime):
        return _ts(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row(r: Mapping[str, Any]) -> BookingRow:
    return BookingRow(
        reference=r["reference"],
        facility_id=r["facility_id"],
        start=date.fromisoformat(r["start"]),
        end=date.fromisoformat(r["end"]),
        status=r["status"],
        holder=r["holder"],
        holder_id=r.get("holder_id"),
        thread_id=r.get("thread_id"),
        expires_at=_parse_ts(r["expires_at"]),
        created_at=_parse_ts(r["created_at"]) or datetime.now(UTC),
        updated_at=_parse_ts(r["updated_at"]) or datetime.now(UTC),
        source=r["source"],
    )


def _json(value: Any) -> Any:
    """A JSON column's value: SQLite hands back text, PostgreSQL's jsonb a decoded object."""
    return json.loads(value) if isinstance(value, str) else value


def _request_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def new_reference() -> str:
    """A fresh booking reference such as `BK-3F9A1C2E`."""
    return "BK-" + secrets.token_hex(4).upper()


def load_bookings_jsonl(path: Path) -> list[Booking]:
    """Parse a bookings JSONL file; raises BookingImportError naming file, line and field."""
    out: list[Booking] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                out.append(Booking.model_validate_json(line))
            except ValidationError as exc:
                err = exc.errors()[0]
                field = ".".join(str(p) for p in err["loc"]) or "record"
                raise BookingImportError(
                    f"{path}:{lineno}: field {field}: {err['msg']}", file=str(path), line=lineno, field=field
                ) from exc
    return out


class _Race(Exception):
    """A PostgreSQL write lost a race (exclusion or unique violation, deadlock, serialization
    failure) or its connection; the whole method is run again and then sees the winner's
    committed row (or reconnects)."""


_RETRIES = 8
F = TypeVar("F", bound=Callable[..., Any])


def _retrying(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(self: BookingStore, *args: Any, **kwargs: Any) -> Any:
        for attempt in range(_RETRIES):
            try:
                return fn(self, *args, **kwargs)
            except _Race:
                if attempt == _RETRIES - 1:
                    raise
                time.sleep(random.uniform(0.001, 0.01) * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper  # type: ignore[return-value]


def _is_race(exc: BaseException) -> bool:
    import psycopg
    from psycopg import errors

    # OperationalError: the connection dropped (server restart, network); the transaction did
    # not commit, and the retry reconnects. A commit whose answer was lost replays through the
    # idempotency key (the agent always sends one) or reads as a conflict with itself.
    return isinstance(
        exc,
        errors.ExclusionViolation
        | errors.UniqueViolation
        | errors.DeadlockDetected
        | errors.SerializationFailure
        | psycopg.OperationalError,
    )


# --------------------------------------------------------------------------------------- store


class BookingStore:
    """Facility bookings in SQLite or PostgreSQL. Safe to use from many processes at once.

    The backend: PostgreSQL when `settings.database_url` is set (and no `path` is given), else
    the SQLite file `path` (default `settings.db_path`). Every method accepts `now` (an injected
    clock for tests); the default is the real UTC time. Writes raise `BookingError` subclasses
    for expected failures.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        path: Path | None = None,
        seed: bool = True,
        busy_timeout_ms: int = 30_000,
    ) -> None:
        self.settings = settings or get_settings()
        url = self.settings.database_url
        self._db: Db
        if path is None and is_postgres_url(url):
            from knowledge.migrate import upgrade

            assert url is not None
            upgrade(url)
            self.path: Path | None = None
            self._db = PostgresDb(url)
        else:
            self.path = path or self.settings.db_path
            self.path.parent.mkdir(parents=True, exist_ok=True)
            guard_records_db(self.path)  # never seed the sample calendar over a lost store
            self._db = SqliteDb(self.path, busy_timeout_ms=busy_timeout_ms)
            self._init_sqlite_schema()
            mark_records_db(self.path)
        if seed:
            self.seed_sample()

    @property
    def backend(self) -> str:
        """ "sqlite" or "postgres"."""
        return self._db.dialect

    # -- connection -------------------------------------------------------------------------

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> BookingStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _q(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...] = ()) -> builtins.list[dict[str, Any]]:
        return [{k: _plain(v) for k, v in r.items()} for r in self._db.rows(sql, params)]

    def _x(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...] = ()) -> int:
        return self._db.run(sql, params)

    @contextmanager
    def _write(self) -> Iterator[None]:
        try:
            with self._db.transaction():
                yield
        except Exception as exc:
            if self._db.dialect == "postgres" and _is_race(exc):
                raise _Race(str(exc)) from exc
            raise

    def _init_sqlite_schema(self) -> None:
        with self._write():
            for stmt in _split_sql(_SCHEMA):
                self._x(stmt)
            # Files from before bookings named their party: add the columns (NULL for old rows).
            have = {r["name"] for r in self._q("PRAGMA table_info(bookings)")}
            for column in ("holder_id", "thread_id"):
                if column not in have:
                    self._x(f"ALTER TABLE bookings ADD COLUMN {column} TEXT")

    # -- seeding and import -----------------------------------------------------------------

    @_retrying
    def seed_sample(self, path: Path = SAMPLE_BOOKINGS) -> int:
        """Load the bundled sample calendar once per database (no-op when absent or done)."""
        with self._write():
            done = self._q("SELECT value FROM booking_meta WHERE key = 'sample_seeded'")
            if done or not path.exists():
                return 0
            bookings = load_bookings_jsonl(path)
            n = self._upsert(bookings, source="sample", actor="seed", now=None)
            self._x("INSERT INTO booking_meta (key, value) VALUES ('sample_seeded', ?)", (_now(None),))
            return n

    @_retrying
    def import_bookings(
        self, bookings: Iterable[Booking], *, actor: str = "ingest", now: datetime | None = None
    ) -> int:
        """Upsert bookings by reference in one transaction; all or nothing.

        Raises BookingConflict (naming both references) when a live booking would overlap another.
        """
        items = list(bookings)
        with self._write():
            return self._upsert(items, source="import", actor=actor, now=now)

    def _upsert(
        self,
        bookings: builtins.list[Booking],
        *,
        source: str,
        actor: str,
        now: datetime | None,
    ) -> int:
        now_s = _now(now)
        self._x(_EXPIRE, {"now": now_s})
        for b in bookings:
            status = b.status
            expires = _ts(b.expires_at) if b.expires_at is not None else None
            if status == "held" and expires is not None and expires <= now_s:
                status = "expired"
            if status in LIVE_STATUSES:
                clash = self._q(
                    f'SELECT reference FROM bookings WHERE facility_id = :f AND start < :e AND "end" > :s '
                    f"AND reference <> :r AND {_LIVE}",
                    {
                        "f": b.facility_id,
                        "s": b.start.isoformat(),
                        "e": b.end.isoformat(),
                        "r": b.reference,
                        "now": now_s,
                    },
                )
                if clash:
                    raise BookingConflict(
                        f"booking {b.reference} overlaps live booking {clash[0]['reference']} at {b.facility_id}",
                        reference=b.reference,
                        conflicts_with=clash[0]["reference"],
                    )
            self._x(
                'INSERT INTO bookings (reference, facility_id, start, "end", status, holder, expires_at, '
                "created_at, updated_at, source) VALUES (?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(reference) DO UPDATE SET facility_id=excluded.facility_id, start=excluded.start, "
                '"end"=excluded."end", status=excluded.status, holder=excluded.holder, '
                "expires_at=excluded.expires_at, updated_at=excluded.updated_at, source=excluded.source",
                (
                    b.reference,
                    b.facility_id,
                    b.start.isoformat(),
                    b.end.isoformat(),
                    status,
                    b.holder,
                    expires,
                    now_s,
                    now_s,
                    source,
                ),
            )
            self._audit("import", b.reference, actor, None, b.model_dump(mode="json"), now_s)
        return len(bookings)

    # -- reads ------------------------------------------------------------------------------

    def list(
        self,
        facility_id: str | None = None,
        statuses: Iterable[str] | None = None,
        *,
        ends_after: date | None = None,
        starts_before: date | None = None,
        thread_id: str | None = None,
        now: datetime | None = None,
    ) -> builtins.list[BookingRow]:
        """Bookings ordered by facility and start, filtered by facility, effective status,
        (with `ends_after`) only those still running or to come: end (exclusive) after that day,
        (with `starts_before`) only those starting before that day, and (with `thread_id`) only
        those placed from that conversation."""
        sql = f"SELECT * FROM ({_SELECT}) AS b WHERE 1=1"
        params: dict[str, Any] = {"now": _now(now)}
        if facility_id:
            sql += " AND facility_id = :f"
            params["f"] = facility_id
        if thread_id is not None:
            sql += " AND thread_id = :t"
            params["t"] = thread_id
        if ends_after is not None:
            sql += ' AND "end" > :ea'
            params["ea"] = ends_after.isoformat()
        if starts_before is not None:
            sql += " AND start < :sb"
            params["sb"] = starts_before.isoformat()
        wanted = list(statuses or [])
        if wanted:
            keys = [f":s{i}" for i in range(len(wanted))]
            sql += f" AND status IN ({', '.join(keys)})"
            params.update({f"s{i}": s for i, s in enumerate(wanted)})
        sql += " ORDER BY facility_id, start, reference"
        return [_row(r) for r in self._q(sql, params)]

    def get(self, reference: str, *, now: datetime | None = None) -> BookingRow | None:
        found = self._q(f"{_SELECT} WHERE reference = :r", {"r": reference, "now": _now(now)})
        return _row(found[0]) if found else None

    def live_bookings(
        self, facility_id: str | None, start: date, end: date, *, now: datetime | None = None
    ) -> builtins.list[BookingRow]:
        """Live bookings (held and unexpired, or confirmed) overlapping [start, end); all facilities if None."""
        sql = f'{_SELECT} WHERE start < :e AND "end" > :s AND {_LIVE}'
        params: dict[str, Any] = {"s": start.isoformat(), "e": end.isoformat(), "now": _now(now)}
        if facility_id is not None:
            sql += " AND facility_id = :f"
            params["f"] = facility_id
        sql += " ORDER BY facility_id, start"
        return [_row(r) for r in self._q(sql, params)]

    def live_intervals(
        self,
        start: date,
        end: date,
        *,
        facility_ids: Iterable[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, builtins.list[tuple[date, date]]]:
        """Busy intervals per facility overlapping [start, end): the scheduler's fast path."""
        sql = f'SELECT facility_id, start, "end" FROM bookings WHERE start < :e AND "end" > :s AND {_LIVE}'
        params: dict[str, Any] = {"s": start.isoformat(), "e": end.isoformat(), "now": _now(now)}
        out: dict[str, builtins.list[tuple[date, date]]] = {}
        wanted = set(facility_ids) if facility_ids is not None else None
        for r in self._q(sql, params):
            fid = r["facility_id"]
            if wanted is not None and fid not in wanted:
                continue
            out.setdefault(fid, []).append((date.fromisoformat(r["start"]), date.fromisoformat(r["end"])))
        return out

    def audit(self, reference: str | None = None, limit: int = 100) -> builtins.list[AuditEntry]:
        sql = "SELECT * FROM booking_audit"
        params: tuple[Any, ...] = ()
        if reference is not None:
            sql += " WHERE reference = ?"
            params = (reference,)
        sql += " ORDER BY id DESC LIMIT ?"
        return [
            AuditEntry(
                id=r["id"],
                ts=_parse_ts(r["ts"]) or datetime.now(UTC),
                action=r["action"],
                reference=r["reference"],
                actor=r["actor"],
                idempotency_key=r["idempotency_key"],
                payload=_json(r["payload"]),
            )
            for r in self._q(sql, (*params, limit))
        ]

    # -- writes -----------------------------------------------------------------------------

    @_retrying
    def hold(
        self,
        facility_id: str,
        start: date,
        end: date,
        holder: str,
        *,
        holder_id: str | None = None,
        thread_id: str | None = None,
        hold_days: int | None = None,
        idempotency_key: str | None = None,
        actor: str = "agent",
        now: datetime | None = None,
    ) -> BookingRow:
        """Place a tentative hold on [start, end) for `holder` (a name; `holder_id` the
        organisation's id when it is one; `thread_id` the conversation) that expires after
        `hold_days` (settings.hold_days).

        With an idempotency key, a retry of the same request returns the first result; the same key
        with different arguments raises IdempotencyMismatch. Raises BookingConflict when the window
        overlaps a live booking.
        """
        if end <= start:
            raise BookingInvalidState(
                f"end {end} must be after start {start} (end is exclusive)", start=str(start), end=str(end)
            )
        now_dt = now if now is not None else datetime.now(UTC)
        now_s = _ts(now_dt)
        days = self.settings.hold_days if hold_days is None else hold_days
        expires_s = _ts(now_dt + timedelta(days=days))
        request: dict[str, Any] = {
            "facility_id": facility_id,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "holder": holder,
        }
        if holder_id is not None:  # only when given, so keys recorded before the column still match
            request["holder_id"] = holder_id
        with self._write():
            replay = self._replay(idempotency_key, "hold", request)
            if replay is not None:
                return self._current(replay, now_s)
            # Only this facility's stale holds: fewer rows locked, fewer writers waiting on each other.
            self._x(_EXPIRE + " AND facility_id = :f", {"now": now_s, "f": facility_id})
            clash = self._q(
                f'SELECT reference, start, "end", status FROM bookings WHERE facility_id = :f '
                f'AND start < :e AND "end" > :s AND {_LIVE} ORDER BY start',
                {"f": facility_id, "s": start.isoformat(), "e": end.isoformat(), "now": now_s},
            )
            if clash:
                # PostgreSQL reads each statement at its own snapshot: the same step may have
                # committed from another process between the replay check above and this one.
                # Its hold is then what we see here, and its key is visible now too.
                replay = self._replay(idempotency_key, "hold", request)
                if replay is not None:
                    return self._current(replay, now_s)
                raise BookingConflict(
                    f"{facility_id} is already booked {clash[0]['start']}..{clash[0]['end']} ({clash[0]['reference']})",
                    facility_id=facility_id,
                    conflicts=clash,
                )
            ref = new_reference()
            self._x(
                'INSERT INTO bookings (reference, facility_id, start, "end", status, holder, holder_id, '
                "thread_id, expires_at, created_at, updated_at, source) "
                "VALUES (?,?,?,?, 'held', ?,?,?,?,?,?, 'tool')",
                (
                    ref,
                    facility_id,
                    start.isoformat(),
                    end.isoformat(),
                    holder,
                    holder_id,
                    thread_id,
                    expires_s,
                    now_s,
                    now_s,
                ),
            )
            self._remember(idempotency_key, "hold", request, ref, now_s)
            self._audit(
                "hold",
                ref,
                actor,
                idempotency_key,
                {**request, "thread_id": thread_id, "expires_at": expires_s},
                now_s,
            )
            return self._current(ref, now_s)

    @_retrying
    def release(
        self,
        reference: str,
        *,
        force: bool = False,
        idempotency_key: str | None = None,
        actor: str = "agent",
        now: datetime | None = None,
    ) -> BookingRow:
        """Cancel a hold (or, with force, a confirmed booking). Releasing twice returns the cancelled row."""
        now_s = _now(now)
        request = {"reference": reference, "force": force}
        with self._write():
            replay = self._replay(idempotency_key, "release", request)
            if replay is not None:
                return self._current(replay, now_s)
            row = self._live_row(reference, now_s)
            if row.status == "cancelled":
                return row
            if row.status == "confirmed" and not force:
                raise BookingInvalidState(
                    f"{reference} is confirmed; releasing it needs force",
                    reference=reference,
                    status=row.status,
                )
            self._x(
                "UPDATE bookings SET status = 'cancelled', updated_at = ? WHERE reference = ?",
                (now_s, reference),
            )
            self._remember(idempotency_key, "release", request, reference, now_s)
            self._audit(
                "release", reference, actor, idempotency_key, {"previous": row.status, **_party(row)}, now_s
            )
            return self._current(reference, now_s)

    def _live_row(self, reference: str, now_s: str) -> BookingRow:
        """The booking a release or confirm acts on, after expiring stale holds; not_found and
        expired are errors for both."""
        self._x(_EXPIRE + " AND reference = :r", {"now": now_s, "r": reference})
        row = self._current_or_none(reference, now_s)
        if row is None:
            raise BookingNotFound(f"no booking {reference}", reference=reference)
        if row.status == "expired":
            raise BookingExpired(
                f"hold {reference} expired at {row.expires_at}",
                reference=reference,
                expires_at=_ts(row.expires_at) if row.expires_at else None,
            )
        return row

    @_retrying
    def confirm(
        self,
        reference: str,
        *,
        idempotency_key: str | None = None,
        actor: str = "agent",
        now: datetime | None = None,
    ) -> BookingRow:
        """Turn a live hold into a confirmed booking. Confirming twice returns the confirmed row."""
        now_s = _now(now)
        request = {"reference": reference}
        with self._write():
            replay = self._replay(idempotency_key, "confirm", request)
            if replay is not None:
                return self._current(replay, now_s)
            row = self._live_row(reference, now_s)
            if row.status == "confirmed":
                return row
            if row.status == "cancelled":
                raise BookingInvalidState(
                    f"{reference} was cancelled", reference=reference, status=row.status
                )
            self._x(
                "UPDATE bookings SET status = 'confirmed', expires_at = NULL, updated_at = ? WHERE reference = ?",
                (now_s, reference),
            )
            self._remember(idempotency_key, "confirm", request, reference, now_s)
            self._audit(
                "confirm", reference, actor, idempotency_key, {"previous": row.status, **_party(row)}, now_s
            )
            return self._current(reference, now_s)

    # -- internals --------------------------------------------------------------------------

    def _current_or_none(self, reference: str, now_s: str) -> BookingRow | None:
        found = self._q(f"{_SELECT} WHERE reference = :r", {"r": reference, "now": now_s})
        return _row(found[0]) if found else None

    def _current(self, reference: str, now_s: str) -> BookingRow:
        row = self._current_or_none(reference, now_s)
        if row is None:  # pragma: no cover - the reference was written in this transaction
            raise BookingNotFound(f"no booking {reference}", reference=reference)
        return row

    def _replay(self, key: str | None, action: str, request: dict[str, Any]) -> str | None:
        if key is None:
            return None
        found = self._q(
            "SELECT action, request_hash, response FROM booking_idempotency WHERE key = ?", (key,)
        )
        if not found:
            return None
        r = found[0]
        if r["action"] != action or r["request_hash"] != _request_hash(request):
            raise IdempotencyMismatch(
                f"idempotency key {key} was already used for a different {r['action']} request",
                key=key,
                action=r["action"],
            )
        return str(_json(r["response"])["reference"])

    def _remember(self, key: str | None, action: str, request: dict[str, Any], ref: str, now_s: str) -> None:
        if key is None:
            return
        self._x(
            "INSERT INTO booking_idempotency (key, action, request_hash, response, created_at) VALUES (?,?,?,?,?)",
            (key, action, _request_hash(request), json.dumps({"reference": ref}), now_s),
        )

    def _audit(
        self,
        action: str,
        reference: str | None,
        actor: str,
        key: str | None,
        payload: dict[str, Any],
        now_s: str,
    ) -> None:
        self._x(
            "INSERT INTO booking_audit (ts, action, reference, actor, idempotency_key, payload) VALUES (?,?,?,?,?,?)",
            (now_s, action, reference, actor, key, json.dumps(payload, ensure_ascii=False, default=str)),
        )

    def overlapping_live_pairs(self, *, now: datetime | None = None) -> builtins.list[tuple[str, str]]:
        """Pairs of live bookings of one facility that overlap; always empty unless the store is corrupt."""
        live = f"(SELECT * FROM ({_SELECT}) AS x WHERE status IN ('held', 'confirmed'))"
        sql = (
            f"SELECT a.reference AS a, b.reference AS b FROM {live} a JOIN {live} b "
            "ON a.facility_id = b.facility_id AND a.reference < b.reference "
            'AND a.start < b."end" AND b.start < a."end"'
        )
        return [(r["a"], r["b"]) for r in self._q(sql, {"now": _now(now)})]


def _party(row: BookingRow) -> dict[str, Any]:
    """Who a booking is for, as the audit log records it beside each action."""
    return {"holder": row.holder, "holder_id": row.holder_id, "thread_id": row.thread_id}


def _split_sql(script: str) -> list[str]:
    """Split the schema script into statements, keeping trigger bodies whole."""
    out: list[str] = []
    buf: list[str] = []
    for line in script.strip().splitlines():
        buf.append(line)
        text = "\n".join(buf).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            out.append(text)
            buf = []
    if buf and "\n".join(buf).strip():
        out.append("\n".join(buf))
    return out


StatusFilter = Literal["held", "confirmed", "cancelled", "expired"]
