"""The run journal: a durable note of every run in flight, so a crash is noticed and repaired.

A row is written (and committed) before a run touches the graph — the user's text, or the
decision (approve / reject / edit) before the graph resumes — and deleted when the run has
ended. A row that is still there when the thread is next used (or when a server starts) is a
run a crash cut short: `Agent.recover` replays the decision exactly once (the WRITE tool's
idempotency key makes a second write a no-op) or finishes / marks the turn.

It lives in `checkpoints.db` next to the checkpoints it describes and goes through the
checkpointer's own connection and lock. Only four small statements, so a PostgreSQL saver can
carry the same table.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # the web server reads the journal at start without importing LangGraph
    from langgraph.checkpoint.sqlite import SqliteSaver

RunKind = Literal["turn", "decision"]

CHECKPOINTS_FILE = "checkpoints.db"
"""The checkpoints file in the data dir (the journal shares it)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS chengguo_runs (
    thread_id   TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    lang        TEXT,
    started_at  REAL NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0
)
"""


@dataclass(frozen=True)
class JournalEntry:
    thread_id: str
    kind: RunKind
    payload: dict[str, Any]
    lang: str | None
    started_at: float
    attempts: int


class RunJournal:
    def __init__(self, saver: SqliteSaver) -> None:
        self._saver = saver
        with saver.cursor() as cur:
            cur.execute(_SCHEMA)

    def begin(self, thread_id: str, kind: RunKind, payload: dict[str, Any], lang: str | None) -> None:
        """Record the run durably (committed before this returns)."""
        with self._saver.cursor() as cur:
            cur.execute(
                "INSERT OR REPLACE INTO chengguo_runs (thread_id, kind, payload, lang, started_at, attempts)"
                " VALUES (?, ?, ?, ?, ?, 0)",
                (thread_id, kind, json.dumps(payload, ensure_ascii=False), lang, time.time()),
            )

    def attempt(self, thread_id: str) -> None:
        """Count a recovery attempt first, so a run that kills the process every time is tried once."""
        with self._saver.cursor() as cur:
            cur.execute("UPDATE chengguo_runs SET attempts = attempts + 1 WHERE thread_id = ?", (thread_id,))

    def end(self, thread_id: str) -> None:
        with self._saver.cursor() as cur:
            cur.execute("DELETE FROM chengguo_runs WHERE thread_id = ?", (thread_id,))

    def get(self, thread_id: str) -> JournalEntry | None:
        with self._saver.cursor(transaction=False) as cur:
            cur.execute(
                "SELECT thread_id, kind, payload, lang, started_at, attempts FROM chengguo_runs WHERE thread_id = ?",
                (thread_id,),
            )
            row = cur.fetchone()
        return None if row is None else _entry(row)

    def pending(self) -> list[JournalEntry]:
        """Every run left in flight, oldest first."""
        with self._saver.cursor(transaction=False) as cur:
            cur.execute(
                "SELECT thread_id, kind, payload, lang, started_at, attempts FROM chengguo_runs ORDER BY started_at"
            )
            rows = cur.fetchall()
        return [_entry(r) for r in rows]


def _entry(row: Any) -> JournalEntry:
    return JournalEntry(
        thread_id=str(row[0]),
        kind="decision" if row[1] == "decision" else "turn",
        payload=dict(json.loads(row[2])),
        lang=row[3],
        started_at=float(row[4]),
        attempts=int(row[5]),
    )


def unfinished_threads(checkpoints_path: Path) -> list[str]:
    """Threads with a run in flight, read without building an agent (a starting server checks this)."""
    if not checkpoints_path.exists():
        return []
    conn = sqlite3.connect(f"file:{checkpoints_path}?mode=ro", uri=True, timeout=10)
    try:
        rows = conn.execute("SELECT thread_id FROM chengguo_runs ORDER BY started_at").fetchall()
    except sqlite3.OperationalError:  # no journal table yet
        return []
    finally:
        conn.close()
    return [str(r[0]) for r in rows]


class NullJournal:
    """No journal (checkpoints in PostgreSQL): runs are not replayed after a crash."""

    def begin(self, thread_id: str, kind: RunKind, payload: dict[str, Any], lang: str | None) -> None:
        return None

    def attempt(self, thread_id: str) -> None:
        return None

    def end(self, thread_id: str) -> None:
        return None

    def get(self, thread_id: str) -> JournalEntry | None:
        return None

    def pending(self) -> list[JournalEntry]:
        return []
