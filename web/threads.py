"""Which tenant owns which thread, the artifacts a thread produced, and the one-run-per-thread lease.

Thread ids are unguessable (`th_` + 128 random bits) and every lookup is scoped by tenant, so
another tenant's id answers exactly like an id that never existed (404).
The run lease lives in SQLite rather than in memory so it also holds across `--workers N`.
"""

from __future__ import annotations

import builtins
import hashlib
import secrets
import sqlite3
import time
from datetime import UTC, datetime

from pydantic import BaseModel

from web.db import WebDB
from web.lease import Instance, mark_live, owner_alive


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
    def __init__(self, db: WebDB, *, lease_seconds: float = 900.0, instance: Instance | None = None) -> None:
        self.db = db
        self.lease_seconds = lease_seconds
        self.instance = instance or Instance.current()
        self.register_instance()

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
    # A lease row names the run (`owner`) and the server instance that runs it; the instance's
    # heartbeat row says whether it still lives (`web.lease`). Dead owners lose their leases at once.

    def register_instance(self) -> None:
        now = time.time()
        self.db.connect().execute(
            "INSERT OR REPLACE INTO web_instances (instance, pid, host, started_at, heartbeat)"
            " VALUES (?, ?, ?, ?, ?)",
            (self.instance.instance_id, self.instance.pid, self.instance.host, now, now),
        )
        mark_live(self.instance.instance_id, True)

    def heartbeat(self) -> None:
        self.db.connect().execute(
            "UPDATE web_instances SET heartbeat = ? WHERE instance = ?",
            (time.time(), self.instance.instance_id),
        )

    def unregister_instance(self) -> None:
        """Clean shutdown: our leases and instance row go, so nobody waits on them."""
        mark_live(self.instance.instance_id, False)
        conn = self.db.connect()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM web_run_leases WHERE instance = ?", (self.instance.instance_id,))
            conn.execute("DELETE FROM web_instances WHERE instance = ?", (self.instance.instance_id,))

    def _dead_leases(self, conn: sqlite3.Connection, thread_id: str | None = None) -> builtins.list[str]:
        """Thread ids whose lease owner is gone (or whose lease outlived `lease_seconds`)."""
        now = time.time()
        sql = (
            "SELECT l.thread_id, l.instance, l.started_at, i.pid, i.host, i.heartbeat FROM web_run_leases l"
            " LEFT JOIN web_instances i ON i.instance = l.instance"
        )
        rows = (
            conn.execute(sql + " WHERE l.thread_id = ?", (thread_id,)).fetchall()
            if thread_id is not None
            else conn.execute(sql).fetchall()
        )
        return [
            r["thread_id"]
            for r in rows
            if now - r["started_at"] > self.lease_seconds
            or not owner_alive(
                instance_id=r["instance"], pid=r["pid"], host=r["host"], heartbeat=r["heartbeat"]
            )
        ]

    def reap_dead(self) -> builtins.list[str]:
        """Free every lease held by a dead owner and forget dead instances; returns the freed threads."""
        conn = self.db.connect()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            freed = self._dead_leases(conn)
            conn.executemany("DELETE FROM web_run_leases WHERE thread_id = ?", [(t,) for t in freed])
            conn.execute(
                "DELETE FROM web_instances WHERE instance != ? AND heartbeat < ?",
                (self.instance.instance_id, time.time() - 3600),
            )
        return freed

    def acquire_run(self, thread_id: str, owner: str) -> bool:
        """Take the thread's run lease; False when another live run holds it (a dead owner's is taken over)."""
        now = time.time()
        conn = self.db.connect()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            if self._dead_leases(conn, thread_id):
                conn.execute("DELETE FROM web_run_leases WHERE thread_id = ?", (thread_id,))
            cur = conn.execute(
                "INSERT OR IGNORE INTO web_run_leases (thread_id, owner, started_at, instance) VALUES (?, ?, ?, ?)",
                (thread_id, owner, now, self.instance.instance_id),
            )
            return cur.rowcount == 1

    def release_run(self, thread_id: str, owner: str) -> None:
        self.db.connect().execute(
            "DELETE FROM web_run_leases WHERE thread_id = ? AND owner = ?", (thread_id, owner)
        )

    def run_active(self, thread_id: str) -> bool:
        conn = self.db.connect()
        row = conn.execute("SELECT 1 FROM web_run_leases WHERE thread_id = ?", (thread_id,)).fetchone()
        return row is not None and not self._dead_leases(conn, thread_id)
