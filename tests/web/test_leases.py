"""Run leases name their owner; a dead owner's lease is taken over at once."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from knowledge.config import Settings
from web.db import WebDB, web_db_path
from web.lease import Instance
from web.threads import ThreadStore


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_a_killed_servers_lease_is_taken_over_at_once(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path / "d")
    s.ensure_dirs()
    db = WebDB(web_db_path(s))
    me = Instance.current()
    dead = ThreadStore(db, instance=Instance("inst_dead", _dead_pid(), me.host))
    from web.lease import mark_live

    mark_live("inst_dead", False)  # as if that process had been killed
    assert dead.acquire_run("th_1", "run-a") and dead.acquire_run("th_2", "run-b")
    live = ThreadStore(db, instance=me)
    assert live.run_active("th_1") is False  # no waiting for 15 minutes
    assert live.acquire_run("th_1", "run-c")
    assert live.reap_dead() == ["th_2"]
    assert live.acquire_run("th_2", "run-d")


def test_a_live_owners_lease_holds_and_a_silent_host_loses_it(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path / "d")
    s.ensure_dirs()
    db = WebDB(web_db_path(s))
    other = ThreadStore(db)  # same process: alive
    assert other.acquire_run("th_1", "run-a")
    mine = ThreadStore(db)
    assert mine.acquire_run("th_1", "run-b") is False and mine.run_active("th_1")
    # a lease held by a server on another host whose heartbeat stopped 10 s ago
    remote = ThreadStore(db, instance=Instance("inst_remote", 4242, "other-host"))
    from web.lease import mark_live

    mark_live("inst_remote", False)
    assert remote.acquire_run("th_2", "run-c")
    assert mine.run_active("th_2")  # fresh heartbeat: alive
    db.connect().execute(
        "UPDATE web_instances SET heartbeat = ? WHERE instance = 'inst_remote'", (time.time() - 10,)
    )
    assert mine.run_active("th_2") is False and mine.acquire_run("th_2", "run-d")
