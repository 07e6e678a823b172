"""Integrity checks on open, the no-silent-reseed guard, backups and restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from knowledge.backup import create_backup, list_backups, restore_backup
from knowledge.bookings import BookingStore
from knowledge.config import Settings
from knowledge.integrity import StoreDamaged, check_data_dir, forget_checked
from knowledge.records_store import RecordStore, StoredItem


def _settings(tmp_path: Path) -> Settings:
    s = Settings(data_dir=tmp_path / "data")
    s.ensure_dirs()
    return s


def _ingest(s: Settings, n: int) -> None:
    store = RecordStore(s.db_path)
    store.upsert(
        [StoredItem(f"ACH-9{i:03d}", "achievement", "ingest", {"id": f"ACH-9{i:03d}"}, {}) for i in range(n)]
    )
    store.close()


def _count(s: Settings) -> int:
    conn = sqlite3.connect(s.db_path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM kb_items WHERE source = 'ingest'").fetchone()[0])
    finally:
        conn.close()


def test_a_lost_records_store_is_refused_not_reseeded(tmp_path: Path) -> None:
    s = _settings(tmp_path)
    _ingest(s, 3)
    for name in ("chengguo.db", "chengguo.db-wal", "chengguo.db-shm"):
        (s.data_dir / name).unlink(missing_ok=True)
    s.db_path.write_bytes(b"")  # truncated to nothing
    forget_checked()
    for open_store in (lambda: RecordStore(s.db_path), lambda: BookingStore(s)):
        with pytest.raises(StoreDamaged) as err:
            open_store()
        text = str(err.value)
        assert "chengguo.db" in text and "chengguo restore --file chengguo.db" in text and "恢复" in text
    assert s.db_path.stat().st_size == 0  # nothing was written: no sample corpus over lost data
    (problem,) = check_data_dir(s.data_dir)
    assert problem.file == s.db_path and "missing or empty" in problem.problem
    # an automatic backup taken now does not copy the empty file (it would push good ones out)
    assert "skipped" in create_backup(s, "ingest").files["chengguo.db"]


def test_a_damaged_file_is_named_on_open(tmp_path: Path) -> None:
    s = _settings(tmp_path)
    _ingest(s, 200)
    raw = s.db_path.read_bytes()
    s.db_path.write_bytes(raw[:4096] + b"\x00garbage" * 2000)
    forget_checked()
    with pytest.raises(StoreDamaged) as err:
        RecordStore(s.db_path)
    assert str(s.db_path) in str(err.value)


def test_backup_then_restore_a_damaged_store(tmp_path: Path) -> None:
    s = _settings(tmp_path)
    _ingest(s, 5)
    b = create_backup(s, "manual")
    assert b.files["chengguo.db"]["ingested"] == 5 and not b.automatic
    assert [x.name for x in list_backups(s)] == [b.name]
    s.db_path.write_bytes(b"not a database at all" * 100)
    forget_checked()
    assert check_data_dir(s.data_dir)[0].file == s.db_path
    assert restore_backup(s, b, ["chengguo.db"]) == ["chengguo.db"]
    assert _count(s) == 5 and check_data_dir(s.data_dir) == []
    assert list(s.data_dir.glob("chengguo.db.damaged-*"))  # kept for inspection
    # the damaged file could not be backed up before the restore, and says so
    pre = next(x for x in list_backups(s) if x.reason == "pre-restore")
    assert "skipped" in pre.files["chengguo.db"]
    RecordStore(s.db_path).close()  # opens cleanly again


def test_automatic_backups_rotate_manual_ones_stay(tmp_path: Path) -> None:
    s = _settings(tmp_path)
    _ingest(s, 1)
    manual = create_backup(s, "manual")
    for _ in range(4):
        create_backup(s, "ingest", keep=2)
    names = [b.name for b in list_backups(s)]
    assert len(names) == 3 and manual.name in names
