"""Tool benchmarks on the bundled sample corpus; prints a table.

    python bench/tools.py [--calls 200] [--race-processes 4]

Rows: find_partners latency (by achievement id and by free text) after the per-process
warm-up, find_achievements_for_need, check_availability over every facility for a one-year
range, and the multi-process hold race (attempts, winners, overlaps).
Targets: find_partners p95 <= 100 ms; availability (all facilities, one year) <= 50 ms; 0 overlaps.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console
from rich.table import Table


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _time(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=200, help="timed calls per row")
    parser.add_argument("--race-processes", type=int, default=4)
    parser.add_argument("--data-dir", type=Path, default=None, help="default: a fresh temporary dir")
    opts = parser.parse_args()

    data_dir = opts.data_dir or Path(tempfile.mkdtemp(prefix="chengguo-bench-tools-"))
    os.environ["CHENGGUO_DATA_DIR"] = str(data_dir)

    import tools.registry  # noqa: F401
    from bench.booking_race import run_race
    from knowledge.config import Settings
    from knowledge.kb import open_kb
    from tools.base import REGISTRY, ToolContext

    settings = Settings(data_dir=data_dir)
    t0 = time.perf_counter()
    kb = open_kb(settings)
    open_s = time.perf_counter() - t0
    today = date.today()
    ctx = ToolContext(settings=settings, today=today)
    achievements = kb.records("achievement")
    orgs = kb.records("organisation")
    facilities = kb.records("facility")
    rows: list[tuple[str, str, str, str, str]] = []
    console = Console()
    console.print(
        f"corpus: {len(achievements)} achievements, {len(orgs)} organisations, {len(facilities)} facilities "
        f"(KB open {open_s:.1f} s, data dir {data_dir})"
    )

    def run(name: str, args: dict[str, object]) -> object:
        out = REGISTRY[name].run(args, ctx)
        if not getattr(out, "ok", False):
            raise SystemExit(f"{name}({args}) failed: {out}")
        return out

    if achievements and orgs:
        ids = [a.id for a in achievements]
        t0 = time.perf_counter()
        run("find_partners", {"achievement_id": ids[0]})
        warm = (time.perf_counter() - t0) * 1000
        i = iter(range(10**9))
        lat = _time(lambda: run("find_partners", {"achievement_id": ids[next(i) % len(ids)]}), opts.calls)
        rows.append(
            (
                "find_partners (achievement id)",
                f"{_pct(lat, 0.5):.1f}",
                f"{_pct(lat, 0.95):.1f}",
                "<= 100",
                f"warm-up {warm:.0f} ms",
            )
        )
        needs = [
            "硫化物固态电解质",
            "low-cost PEM electrolyser membrane",
            "工业机器人视觉检测",
            "carbon capture solvent",
        ]
        j = iter(range(10**9))
        lat = _time(
            lambda: run("find_partners", {"need": f"{needs[next(j) % len(needs)]} {next(j)}"}), opts.calls
        )
        rows.append(
            (
                "find_partners (free text)",
                f"{_pct(lat, 0.5):.1f}",
                f"{_pct(lat, 0.95):.1f}",
                "<= 100",
                "uncached query text",
            )
        )
        org_ids = [o.id for o in orgs]
        run("find_achievements_for_need", {"org_id": org_ids[0]})
        k = iter(range(10**9))
        lat = _time(
            lambda: run("find_achievements_for_need", {"org_id": org_ids[next(k) % len(org_ids)]}), opts.calls
        )
        rows.append(
            ("find_achievements_for_need (org id)", f"{_pct(lat, 0.5):.1f}", f"{_pct(lat, 0.95):.1f}", "", "")
        )
    else:
        rows.append(("find_partners", "n/a", "n/a", "<= 100", "no sample corpus"))

    if facilities:
        args = {
            "days": 5,
            "earliest_start": str(today),
            "latest_end": str(today + timedelta(days=365)),
            "max_windows": 5,
        }
        run("check_availability", args)
        lat = _time(lambda: run("check_availability", args), max(20, opts.calls // 4))
        rows.append(
            (
                f"check_availability ({len(facilities)} facilities, 1 year)",
                f"{_pct(lat, 0.5):.1f}",
                f"{_pct(lat, 0.95):.1f}",
                "<= 50",
                "",
            )
        )
    else:
        rows.append(("check_availability", "n/a", "n/a", "<= 50", "no facilities"))

    race = run_race(data_dir / "race", windows=20, per_window=10, processes=opts.race_processes)
    table = Table(title="tools benchmark (ms)")
    for col in ("what", "p50", "p95", "target", "note"):
        table.add_column(col)
    for r in rows:
        table.add_row(*r)
    table.add_row(
        f"hold race ({race.processes} processes)",
        f"{race.attempts} attempts",
        f"{race.winners} winners",
        "0 overlaps",
        f"{race.overlapping_pairs} overlaps, {race.windows_with_two_winners} double wins, "
        f"{race.unexplained_losses} unexplained losses, {race.seconds:.2f} s",
    )
    console.print(table)
    if not race.ok:
        raise SystemExit("race check failed")


if __name__ == "__main__":
    main()
