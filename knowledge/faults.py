"""Named pause points for the crash tests: hold the process still at an exact spot so the test can
`kill -9` it there (mid-turn, between an approval and its write, inside an ingest transaction).

Off unless `CHENGGUO_FAULT_PAUSE` names points (comma-separated); then reaching one writes the
point's name to the file `CHENGGUO_FAULT_FLAG` (so the test knows where the process is) and sleeps
until killed. Unset, `pause_point` is one dict lookup. Never set in production.
"""

from __future__ import annotations

import os
import time

_POINTS = frozenset(p.strip() for p in os.environ.get("CHENGGUO_FAULT_PAUSE", "").split(",") if p.strip())


def pause_point(name: str) -> None:
    """Stop here (for the crash tests) when `CHENGGUO_FAULT_PAUSE` lists `name`."""
    if not _POINTS or name not in _POINTS:
        return
    flag = os.environ.get("CHENGGUO_FAULT_FLAG")
    if flag:
        with open(flag, "a", encoding="utf-8") as fh:
            fh.write(name + "\n")
    while True:  # until the test kills the process
        time.sleep(60)
