"""Who holds a run lease, and whether that holder is still alive.

A lease names its owner: the server instance (a random id per process start), its pid and its
host. Each instance heartbeats one row in `web_instances`; a lease is dead as soon as its owner
is: the instance row is gone (shut down cleanly), the pid no longer exists on this host (killed),
or the heartbeat is older than `stale_seconds` (another host went silent). So a thread locked by
a crashed server is free at the next restart or request, not after a fixed timeout.

The liveness rule is a pure function (`owner_alive`) over a row, so a PostgreSQL store can apply
the same rule to its own rows.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass

HEARTBEAT_SECONDS = 1.0
"""How often an instance refreshes its heartbeat."""

STALE_SECONDS = 5.0
"""A heartbeat older than this means the instance is gone (5 heartbeats missed: survives a loaded box)."""

_LIVE: set[str] = set()
_LIVE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Instance:
    """This server process as a lease owner."""

    instance_id: str
    pid: int
    host: str

    @classmethod
    def current(cls) -> Instance:
        return cls("inst_" + secrets.token_hex(8), os.getpid(), socket.gethostname())


def mark_live(instance_id: str, live: bool) -> None:
    """Instances of this process that are running (tests build several apps in one process)."""
    with _LIVE_LOCK:
        (_LIVE.add if live else _LIVE.discard)(instance_id)


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this host (signal 0 checks without sending)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def owner_alive(
    *,
    instance_id: str,
    pid: int | None,
    host: str | None,
    heartbeat: float | None,
    now: float | None = None,
    stale_seconds: float = STALE_SECONDS,
) -> bool:
    """The liveness rule for one lease owner (`heartbeat` None = no instance row: shut down)."""
    with _LIVE_LOCK:
        if instance_id in _LIVE:
            return True
    if heartbeat is None:
        return False
    if host == socket.gethostname() and pid is not None:
        if pid == os.getpid():
            return False  # our own pid but not a live instance of ours: a previous run of this process
        if not pid_alive(pid):
            return False
    now = time.time() if now is None else now
    return now - heartbeat <= stale_seconds
