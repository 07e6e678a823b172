"""Many processes racing to hold overlapping windows of one facility (used by tests and bench/tools.py).

Windows W_i = [base + 3i, base + 3i + 5) overlap their neighbours by two days; each window is
attempted `per_window` times with distinct idempotency keys, shuffled over `processes` workers
that start together behind a barrier. Afterwards the store must hold no overlapping live rows,
at most one winner per window, and every lost attempt must clash with a winning window.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from knowledge.bookings import BookingConflict, BookingStore
from knowledge.config import Settings

FACILITY = "FAC-RACE"
BASE = date(2027, 1, 4)
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def window(i: int) -> tuple[date, date]:
    return BASE + timedelta(days=3 * i), BASE + timedelta(days=3 * i + 5)


def _settings(data_dir: str | Path, database_url: str | None) -> Settings:
    return Settings(data_dir=Path(data_dir), database_url=database_url)


def _worker(
    data_dir: str, database_url: str | None, jobs: list[tuple[int, int]], barrier: Any, out: Any
) -> None:
    store = BookingStore(_settings(data_dir, database_url), seed=False)
    results: list[tuple[int, int, str | None]] = []
    barrier.wait()
    for i, j in jobs:
        start, end = window(i)
        try:
            row = store.hold(FACILITY, start, end, f"racer-{i}-{j}", idempotency_key=f"race:{i}:{j}", now=NOW)
            results.append((i, j, row.reference))
        except BookingConflict:
            results.append((i, j, None))
    store.close()
    out.put(results)


@dataclass
class RaceResult:
    attempts: int
    processes: int
    winners: int
    conflicts: int
    overlapping_pairs: int
    windows_with_two_winners: int
    unexplained_losses: int
    seconds: float
    winners_by_window: dict[int, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return (
            self.overlapping_pairs == 0
            and self.windows_with_two_winners == 0
            and self.unexplained_losses == 0
            and self.winners + self.conflicts == self.attempts
            and self.winners > 0
        )


def run_race(
    data_dir: Path,
    *,
    windows: int = 20,
    per_window: int = 10,
    processes: int = 4,
    seed: int = 7,
    database_url: str | None = None,
) -> RaceResult:
    """Run the race against the store in `data_dir` (or the PostgreSQL database at
    `database_url`) and check the outcome."""
    BookingStore(_settings(data_dir, database_url), seed=False).close()  # create the schema once, up front
    jobs = [(i, j) for i in range(windows) for j in range(per_window)]
    random.Random(seed).shuffle(jobs)
    chunks = [jobs[p::processes] for p in range(processes)]
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(processes)
    out: Any = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(str(data_dir), database_url, chunk, barrier, out))
        for chunk in chunks
    ]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    results: list[tuple[int, int, str | None]] = []
    for _ in procs:
        results.extend(out.get(timeout=120))
    for p in procs:
        p.join(timeout=60)
    seconds = time.perf_counter() - t0
    store = BookingStore(_settings(data_dir, database_url), seed=False)
    try:
        pairs = store.overlapping_live_pairs(now=NOW)
        live = {r.reference for r in store.list(FACILITY, ["held", "confirmed"], now=NOW)}
    finally:
        store.close()
    winners: dict[int, list[str]] = {}
    for i, _, ref in results:
        if ref is not None:
            winners.setdefault(i, []).append(ref)
    won = set(winners)

    def clashes(i: int, k: int) -> bool:
        a, b = window(i), window(k)
        return a[0] < b[1] and b[0] < a[1]

    unexplained = sum(1 for i, _, ref in results if ref is None and not any(clashes(i, k) for k in won))
    return RaceResult(
        attempts=len(results),
        processes=processes,
        winners=sum(len(v) for v in winners.values()),
        conflicts=sum(1 for r in results if r[2] is None),
        overlapping_pairs=len(pairs) + sum(1 for v in winners.values() for ref in v if ref not in live),
        windows_with_two_winners=sum(1 for v in winners.values() if len(v) > 1),
        unexplained_losses=unexplained,
        seconds=seconds,
        winners_by_window=winners,
    )
