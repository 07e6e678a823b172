"""Agent latency: a warm turn (plan + three tools + answer) and `chengguo ask` from a cold process.

    python -m bench.agent [--runs 30] [--data-dir DIR] [--query TEXT]

Rows:
- fixed plan: the graph with real tools and a fixed three-step plan (search_achievements,
  find_facilities, check_availability) — graph, checkpoints and tools, no planner logic;
- builtin: a full builtin-planner turn on `--query` (steps counted);
- cold ask: wall time of `chengguo ask --json` in a fresh process (the index already built) for
  the query above and for a calendar-only question, and `chengguo --help` for the import floor.

Targets: warm turn p50 <= 300 ms; cold ask <= 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from agent.plan import Plan, PlanStep
from agent.planner import PlannerInput, RespondInput, Response
from agent.results import gather_citations

DEFAULT_QUERY = "为 ACH-0001 找合作伙伴，查一下 FAC-0001 明年1月有没有5天空档，并说明技术转让所得税优惠"
CALENDAR_QUERY = "Check FAC-0001 for 5 free days in January"
TODAY = date(2026, 11, 22)


class FixedPlanner:
    """search_achievements -> find_facilities -> check_availability (first facility found), then answer."""

    def plan(self, inp: PlannerInput) -> Plan:
        done = {r.tool: r for r in inp.results}
        if "search_achievements" not in done:
            return Plan(
                steps=[
                    PlanStep(id="", tool="search_achievements", args={"query": "solid-state battery", "k": 5})
                ]
            )
        if "find_facilities" not in done:
            return Plan(
                steps=[PlanStep(id="", tool="find_facilities", args={"query": "battery pilot line", "k": 5})]
            )
        if "check_availability" not in done:
            facs = done["find_facilities"].result.get("facilities") or []
            fid = facs[0]["id"] if facs else "FAC-0001"
            return Plan(
                steps=[PlanStep(id="", tool="check_availability", args={"facility_id": fid, "days": 5})]
            )
        return Plan(answer_now=True)

    def respond(self, inp: RespondInput) -> Response:
        text = "; ".join(f"{r.tool}: {'ok' if r.ok else r.result.get('code')}" for r in inp.results)
        return Response(text=text, citations=gather_citations(inp.results))


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def _turns(agent: Any, text: str, runs: int, prefix: str) -> tuple[list[float], int, list[str]]:
    times: list[float] = []
    n_steps = 0
    errors: list[str] = []
    for i in range(runs):
        t0 = time.perf_counter()
        events = list(agent.stream(f"{prefix}-{i}", text))
        times.append((time.perf_counter() - t0) * 1000)
        n_steps = sum(1 for e in events if e.event == "step" and e.data.get("status") != "started")
        errors += [str(e.data.get("code")) for e in events if e.event == "error"]
    return times, n_steps, errors


def _cold(cmd: list[str], env: dict[str, str], runs: int) -> tuple[list[float], int]:
    times: list[float] = []
    code = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - t0)
        code = code or proc.returncode
    return times, code


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--data-dir", type=Path, default=None, help="default: a temporary dir (index built once)")
    ap.add_argument("--query", default=DEFAULT_QUERY)
    args = ap.parse_args()

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="chengguo-bench-"))
    os.environ["CHENGGUO_DATA_DIR"] = str(data_dir)
    from agent.runtime import Agent
    from knowledge.config import Settings

    settings = Settings(data_dir=data_dir)
    rows: list[tuple[str, str, str, str]] = []

    t0 = time.perf_counter()
    with Agent(settings, planner=FixedPlanner(), today=TODAY) as agent:
        _turns(agent, "warm up", 1, "warm")  # builds / opens the index, embeds once
        first = time.perf_counter() - t0
        times, n, errs = _turns(agent, "fixed plan", args.runs, "fixed")
    rows.append(("first turn (open/build index)", f"{first * 1000:.0f} ms", "", ""))
    rows.append(
        (
            f"warm turn, fixed plan ({n} steps)",
            f"{statistics.median(times):.1f} ms",
            f"{_pct(times, 0.95):.1f} ms",
            ",".join(sorted(set(errs))) or "-",
        )
    )

    try:
        with Agent(settings, model="builtin", today=TODAY) as agent:
            _turns(agent, args.query, 1, "bwarm")
            times, n, errs = _turns(agent, args.query, args.runs, "builtin")
        rows.append(
            (
                f"warm turn, builtin ({n} steps)",
                f"{statistics.median(times):.1f} ms",
                f"{_pct(times, 0.95):.1f} ms",
                ",".join(sorted(set(errs))) or "-",
            )
        )
    except Exception as exc:  # the builtin planner may not be installed yet
        rows.append(("warm turn, builtin", "n/a", "", f"{type(exc).__name__}: {exc}"[:60]))

    exe = Path(sys.executable).with_name("chengguo")
    base = [str(exe)] if exe.exists() else [sys.executable, "-c", "from cli import main; main()"]
    env = {**os.environ, "CHENGGUO_DATA_DIR": str(data_dir)}
    times, code = _cold([*base, "--help"], env, args.cold_runs)
    rows.append(
        ("cold `chengguo --help`", f"{statistics.median(times):.2f} s", f"{max(times):.2f} s", f"exit {code}")
    )
    for label, query in (("query above", args.query), ("calendar only", CALENDAR_QUERY)):
        times, code = _cold([*base, "ask", query, "--json"], env, args.cold_runs)
        rows.append(
            (
                f"cold `chengguo ask --json` ({label})",
                f"{statistics.median(times):.2f} s",
                f"{max(times):.2f} s",
                f"exit {code}",
            )
        )

    width = max(len(r[0]) for r in rows)
    print(f"\nagent bench — data dir {data_dir}, {args.runs} warm runs, query: {args.query!r}\n")
    print(f"{'case':<{width}}  {'p50':>10}  {'p95/max':>10}  notes")
    print("-" * (width + 40))
    for name, p50, p95, note in rows:
        print(f"{name:<{width}}  {p50:>10}  {p95:>10}  {note}")
    print("\ntargets: warm turn p50 <= 300 ms; cold ask <= 3 s")
    print(json.dumps({"rows": rows}, ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    main()
