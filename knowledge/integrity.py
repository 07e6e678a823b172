"""Damaged state: check each SQLite store on open, name the file and the way back when one fails.

Every store file (`chengguo.db`, `checkpoints.db`, `web.db`) is checked once per process when
it is first opened (`PRAGMA quick_check`, milliseconds at our sizes) and whenever `/healthz`
asks. A failure raises `StoreDamaged`, whose text names the file and the recovery command in
both languages; the CLI prints exactly that and the server reports it as not ready.

The records store also must never be re-seeded silently: once `chengguo.db` has been created a
marker file sits beside it, and a `chengguo.db` that is missing or empty while its marker exists
was lost (truncated, deleted), not new — opening it is refused instead of filling it with the
sample corpus over the ingested records and bookings it held.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

_CHECKED: set[str] = set()
_CHECKED_LOCK = threading.Lock()


@dataclass(frozen=True)
class StoreProblem:
    """One damaged file: what is wrong and how to get back (both languages)."""

    file: Path
    problem: str
    recover_en: str
    recover_zh: str

    def describe(self) -> str:
        return (
            f"{self.file}: {self.problem}\n  how to recover: {self.recover_en}\n  恢复方法：{self.recover_zh}"
        )


class StoreDamaged(Exception):
    """A store file failed its check. `str()` is the operator's message (file + recovery)."""

    def __init__(self, problem: StoreProblem) -> None:
        super().__init__(problem.describe())
        self.problem = problem


def recovery_for(path: Path) -> tuple[str, str]:
    """The way back for a damaged file, by which store it is."""
    name = path.name
    if name == "embeddings.sqlite":
        return (
            f"delete {path} (a cache; it is rebuilt on the next command)",
            f"删除 {path}（仅为缓存，下次运行时自动重建）",
        )
    return (
        f"stop the server, then `chengguo restore --file {name}` (latest automatic backup; "
        "`chengguo backup list` shows them)",
        f"先停止服务，再运行 `chengguo restore --file {name}`（恢复最近的自动备份；"
        "`chengguo backup list` 可查看全部备份）",
    )


def check_sqlite(path: Path) -> StoreProblem | None:
    """None when `path` is absent or a healthy SQLite database; else what is wrong with it."""
    if not path.exists():
        return None
    problem: str | None = None
    # Never open a live database file with plain open(): closing that descriptor drops every POSIX
    # lock this process holds on it (SQLite's own connections included), and another connection
    # may then checkpoint and delete the -wal/-shm under them ("disk I/O error"). SQLite reads the
    # header itself and reports a bad one as "file is not a database".
    try:
        if path.stat().st_size > 0:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
            try:
                rows = conn.execute("PRAGMA quick_check").fetchall()
            finally:
                conn.close()
            if [r[0] for r in rows] != ["ok"]:
                problem = f"integrity check failed ({rows[0][0]})"
    except sqlite3.DatabaseError as exc:
        problem = f"cannot be read as a database ({exc})"
    except OSError as exc:
        problem = f"cannot be read ({exc.strerror or exc})"
    if problem is None:
        return None
    en, zh = recovery_for(path)
    return StoreProblem(path, problem, en, zh)


STORE_NAMES = ("chengguo.db", "checkpoints.db", "web.db", "embeddings.sqlite")


def check_data_dir(data_dir: Path) -> list[StoreProblem]:
    """Every damaged store file in the data dir (what `/healthz` and the CLI report)."""
    out = []
    for name in STORE_NAMES:
        problem = check_sqlite(data_dir / name)
        if problem is not None:
            out.append(problem)
    db = data_dir / "chengguo.db"
    if records_db_lost(db):
        out.append(lost_records_problem(db))
    return out


def ensure_healthy(path: Path) -> None:
    """Check `path` once per process (on first open); raise `StoreDamaged` when it fails."""
    key = str(path.resolve())
    with _CHECKED_LOCK:
        if key in _CHECKED:
            return
    problem = check_sqlite(path)
    if problem is not None:
        raise StoreDamaged(problem)
    with _CHECKED_LOCK:
        _CHECKED.add(key)


def forget_checked(path: Path | None = None) -> None:
    """Check again on the next open (after a restore replaced the file)."""
    with _CHECKED_LOCK:
        if path is None:
            _CHECKED.clear()
        else:
            _CHECKED.discard(str(path.resolve()))


# -- the records store must not be re-seeded over lost data ----------------------------------------


def marker_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".initialised")


def _is_fresh(db_path: Path) -> bool:
    """No tables at all: a missing or zero-length file, or one that was just created."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return True
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
        try:
            return bool(conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False  # damaged, not fresh: the integrity check names it


def guard_records_db(db_path: Path) -> None:
    """Before opening `chengguo.db`: refuse a lost one, check a present one; then mark it created."""
    if records_db_lost(db_path):
        raise StoreDamaged(lost_records_problem(db_path))
    ensure_healthy(db_path)


def records_db_lost(db_path: Path) -> bool:
    """`chengguo.db` existed here (marker) but is now missing or empty."""
    return marker_path(db_path).exists() and _is_fresh(db_path)


def lost_records_problem(db_path: Path) -> StoreProblem:
    return StoreProblem(
        db_path,
        "is missing or empty, but this data dir had a records store (ingested records and "
        "bookings would be lost: it is not re-seeded from the sample corpus)",
        f"`chengguo restore --file {db_path.name}` (latest automatic backup; `chengguo backup list`); "
        f"or, to start over with the sample corpus only, delete {marker_path(db_path)}",
        f"运行 `chengguo restore --file {db_path.name}`（恢复最近的自动备份；`chengguo backup list`）；"
        f"如确需只用样例语料重新开始，请删除 {marker_path(db_path)}",
    )


def mark_records_db(db_path: Path) -> None:
    """Remember that `chengguo.db` exists from now on (called once its schema is created)."""
    marker = marker_path(db_path)
    if not marker.exists():
        marker.write_text("chengguo.db was created here; see knowledge/integrity.py\n", encoding="utf-8")
