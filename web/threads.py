"""Which tenant owns which thread, the artifacts a thread produced, and the one-run-per-thread lease.

Thread ids are unguessable (`th_` + 128 random bits) and every lookup is scoped by tenant, so
another tenant's id answers exactly like an id that never existed (404).
The run lease lives in SQLite rather than in memory so it also holds across `--workers N`.
"""

from __future__ import annotations

import builtins
import hashlib
import secrets
import time
from datetime import UTC, datetime

from pydantic import BaseModel

from web.db import WebDB


class ThreadInfo(BaseModel):
    thread_id: str
    tenant: str
    created_at: str


class ArtifactInfo(BaseModel):
    artifact_id: str
    thread_id: str
    kind: str
    name: str
    path: str


def artifact_id_for(thread_id: str, path: str) -> str:
    return "art_" + hashlib.sha256(f"{thread_id}\0{path}".encode()).hexdigest()[:20]


class ThreadStore:
    def __init__(self, db: WebDB, *, lease_seconds: float = 900.0) -> None:
        self.db = db
        self.lease_seconds = lease_seconds

    def create(self, tenant: str) -> ThreadInfo:
        info = ThreadInfo(
            thread_id="th_" + secrets.token_hex(16),
            tenant=tenant,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self.db.connect().execute(
            "INSERT INTO web_threads (thread_id, tenant, created_at) VALUES (?, ?, ?)",
            (info.thread_id, info.tenant, info.created_at),
        )
        return info

    def get(self, tenant: str, thread_id: str) -> ThreadInfo | None:
        """The thread if this tenant owns it; None for unknown ids and other tenants' threads alike."""
        row = (
            self.db.connect()
            .execute("SELECT * FROM web_threads WHERE thread_id = ? AND tenant = ?", (thread_id, tenant))
            .fetchone()
        )
        return ThreadInfo.model_validate(dict(row)) if row else None

    def list(self, tenant: str, limit: int = 50) -> list[ThreadInfo]:
        rows = (
            self.db.connect()
            .execute(
                "SELECT * FROM web_threads WHERE tenant = ? ORDER BY created_at DESC, thread_id LIMIT ?",
                (tenant, limit),
            )
            .fetchall()
        )
        return [ThreadInfo.model_validate(dict(r)) for r in rows]

    # -- artifacts -------------------------------------------------------------------------------

    def add_artifact(self, thread_id: str, kind: str, name: str, path: str) -> ArtifactInfo:
        info = ArtifactInfo(
            artifact_id=artifact_id_for(thread_id, path), thread_id=thread_id, kind=kind, name=name, path=path
        )
        self.db.connect().execute(
            "INSERT OR REPLACE INTO web_artifacts (artifact_id, thread_id, kind, name, path, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                info.artifact_id,
                thread_id,
                kind,
                name,
                path,
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )
        return info

    def get_artifact(self, thread_id: str, artifact_id: str) -> ArtifactInfo | None:
        row = (
            self.db.connect()
            .execute(
                "SELECT * FROM web_artifacts WHERE artifact_id = ? AND thread_id = ?",
                (artifact_id, thread_id),
            )
            .fetchone()
        )
        if row is None:
            return None
        return ArtifactInfo.model_validate({k: row[k] for k in ArtifactInfo.model_fields})

    def artifacts(self, thread_id: str) -> builtins.list[ArtifactInfo]:  # `list` is a method here
        """Every file this thread's runs reported, oldest first (so a reloaded widget can offer them again)."""
        rows = (
            self.db.connect()
            .execute(
                "SELECT * FROM web_artifacts WHERE thread_id = ? ORDER BY created_at, rowid",
                (thread_id,),
            )
            .fetchall()
        )
        return [ArtifactInfo.model_validate({k: r[k] for k in ArtifactInfo.model_fields}) for r in rows]

    # -- run lease -------------------------------------------------------------------------------

    def acquire_run(self, thread_id: str, owner: str) -> bool:
        """Take the thread's run lease; False when another live run holds it."""
        now = time.time()
        conn = self.db.connect()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "DELETE FROM web_run_leases WHERE thread_id = ? AND started_at < ?",
                (thread_id, now - self.lease_seconds),
            )
            cur = conn.execute(
                "INSERT OR IGNORE INTO web_run_leases (thread_id, owner, started_at) VALUES (?, ?, ?)",
                (thread_id, owner, now),
            )
            return cur.rowcount == 1

    def release_run(self, thread_id: str, owner: str) -> None:
        self.db.connect().execute(
            "DELETE FROM web_run_leases WHERE thread_id = ? AND owner = ?", (thread_id, owner)
        )

    def run_active(self, thread_id: str) -> bool:
        row = (
            self.db.connect()
            .execute(
                "SELECT 1 FROM web_run_leases WHERE thread_id = ? AND started_at >= ?",
                (thread_id, time.time() - self.lease_seconds),
            )
            .fetchone()
        )
        return row is not None
