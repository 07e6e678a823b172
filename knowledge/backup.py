"""Backups of the data dir's stores, and restoring one, with SQLite's online backup API.

A backup is a folder `<data_dir>/backups/<UTC stamp>-<reason>/` holding a consistent copy of
each store that holds user data (`chengguo.db`, `checkpoints.db`, `web.db`) plus
`manifest.json`. Copies go through `sqlite3.Connection.backup`, so they are consistent even
while a server writes; the folder is written under a temporary name and renamed when complete,
so a crash never leaves a half backup that looks whole. The indexes, the embedding cache and
outputs are not copied: they are rebuilt from the records.

Automatic backups (reason `serve`, `ingest`, `rebuild`, `pre-restore`, `scheduled`) are rotated:
the newest `KEEP_AUTOMATIC` stay. Manual ones (`chengguo backup create`) are never pruned.

Restore writes the backup's pages into the live file through the same API (one transaction:
readers see the old or the new database, never a mix). A target that is itself unreadable is
first moved aside (`*.damaged-<stamp>`, kept for inspection) and the backup copied into a fresh
file. Before replacing anything, the current healthy files are backed up (`pre-restore`), so a
restore can be undone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from knowledge.config import Settings
from knowledge.integrity import (
    check_sqlite,
    forget_checked,
    lost_records_problem,
    mark_records_db,
    records_db_lost,
)

STORE_FILES = ("chengguo.db", "checkpoints.db", "web.db")
"""The files holding user data, in the data dir."""

KEEP_AUTOMATIC = 10
MANIFEST = "manifest.json"
_REASON = re.compile(r"^[a-z][a-z0-9-]{0,30}$")


@dataclass(frozen=True)
class BackupInfo:
    name: str
    path: Path
    created_at: str
    reason: str
    automatic: bool
    files: dict[str, dict[str, Any]]
    """file name -> {bytes, ...counts} for each copied store; skipped ones carry `skipped`."""


def backups_dir(settings: Settings) -> Path:
    return settings.data_dir / "backups"


def _copy(src: Path, dst: Path) -> None:
    """Consistent copy of a live SQLite file (the online backup API), durable when it returns."""
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(str(dst))
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # a self-contained file: no -wal beside it
    finally:
        target.close()
        source.close()
    with dst.open("rb") as fh:
        os.fsync(fh.fileno())


def _counts(path: Path) -> dict[str, int]:
    """What the copy holds, for `backup list` (so an operator picks the right one)."""
    out: dict[str, int] = {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for label, sql in (
            ("ingested", "SELECT COUNT(*) FROM kb_items WHERE source = 'ingest'"),
            ("records", "SELECT COUNT(*) FROM kb_items"),
            ("bookings", "SELECT COUNT(*) FROM bookings"),
            ("threads", "SELECT COUNT(DISTINCT thread_id) FROM checkpoints"),
            ("keys", "SELECT COUNT(*) FROM web_keys"),
        ):
            try:
                out[label] = int(conn.execute(sql).fetchone()[0])
            except sqlite3.OperationalError:  # not this store's table
                continue
    finally:
        conn.close()
    return out


def create_backup(settings: Settings, reason: str = "manual", *, keep: int = KEEP_AUTOMATIC) -> BackupInfo:
    """Back up every healthy store file now; damaged ones are skipped and say so in the manifest."""
    if not _REASON.match(reason):
        raise ValueError(f"reason must match {_REASON.pattern}")
    root = backups_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    name = f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{reason}"
    tmp = root / f".{name}.tmp"
    tmp.mkdir()
    files: dict[str, dict[str, Any]] = {}
    try:
        for fname in STORE_FILES:
            src = settings.data_dir / fname
            if not src.exists():
                continue
            problem = check_sqlite(src)
            if problem is None and fname == "chengguo.db" and records_db_lost(src):
                # An empty copy of a lost store would push good backups out of the rotation and
                # be what `restore` picks first.
                problem = lost_records_problem(src)
            if problem is not None:
                files[fname] = {"skipped": problem.problem}
                continue
            _copy(src, tmp / fname)
            files[fname] = {"bytes": (tmp / fname).stat().st_size, **_counts(tmp / fname)}
        manifest = {
            "name": name,
            "created_at": now.isoformat(timespec="seconds"),
            "reason": reason,
            "automatic": reason != "manual",
            "files": files,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.rename(root / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if reason != "manual":
        _rotate(root, keep)
    return _info(root / name)


def _info(path: Path) -> BackupInfo:
    m = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    return BackupInfo(
        name=str(m["name"]),
        path=path,
        created_at=str(m["created_at"]),
        reason=str(m["reason"]),
        automatic=bool(m["automatic"]),
        files=dict(m["files"]),
    )


def list_backups(settings: Settings) -> list[BackupInfo]:
    """Complete backups, newest first (half-written `.tmp` folders are ignored)."""
    root = backups_dir(settings)
    if not root.is_dir():
        return []
    out = []
    for p in root.iterdir():
        if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).is_file():
            try:
                out.append(_info(p))
            except (ValueError, KeyError, OSError):
                continue
    return sorted(out, key=lambda b: b.name, reverse=True)


def _rotate(root: Path, keep: int) -> None:
    autos = [p for p in sorted(root.iterdir(), reverse=True) if p.is_dir() and not p.name.endswith("-manual")]
    for old in [p for p in autos if not p.name.startswith(".")][keep:]:
        shutil.rmtree(old, ignore_errors=True)


def find_backup(settings: Settings, name: str | None, file: str | None = None) -> BackupInfo | None:
    """The named backup, or the newest holding `file` (any file when None)."""
    for b in list_backups(settings):
        if name is not None:
            if b.name == name:
                return b
            continue
        if file is None or "bytes" in b.files.get(file, {}):
            return b
    return None


def restore_backup(settings: Settings, backup: BackupInfo, files: list[str] | None = None) -> list[str]:
    """Put the backup's copies of `files` (default: all it holds) back in place; returns what was restored.

    The caller makes sure no server is running on the data dir (`web.db` instances), since a
    process holding the old file open would keep writing to what it believes is current.
    """
    wanted = [f for f in (files or list(STORE_FILES)) if "bytes" in backup.files.get(f, {})]
    missing = [f for f in (files or []) if f not in wanted]
    if missing:
        raise FileNotFoundError(f"backup {backup.name} has no copy of {', '.join(missing)}")
    for f in wanted:
        problem = check_sqlite(backup.path / f)
        if problem is not None:
            raise ValueError(f"backup copy {backup.path / f} is damaged: {problem.problem}")
    create_backup(settings, "pre-restore")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for f in wanted:
        target = settings.data_dir / f
        if target.exists() and check_sqlite(target) is not None:
            # Unreadable: the backup API cannot write into it. Keep it for inspection, start fresh.
            for suffix in ("", "-wal", "-shm", "-journal"):
                side = target.with_name(target.name + suffix)
                if side.exists():
                    side.replace(side.with_name(f"{side.name}.damaged-{stamp}"))
        elif target.exists() and target.stat().st_size == 0:
            target.unlink()
        source = sqlite3.connect(f"file:{backup.path / f}?mode=ro", uri=True)
        dest = sqlite3.connect(str(target), timeout=30)
        try:
            source.backup(dest)  # one transaction on the target: old or new, never a mix
            dest.execute("PRAGMA journal_mode=WAL")
        finally:
            dest.close()
            source.close()
        forget_checked(target)
        if f == "chengguo.db":
            mark_records_db(target)
    return wanted
