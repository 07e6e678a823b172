"""Load test of `chengguo serve`: concurrent SSE chat sessions against the builtin planner.

Starts the server in a subprocess on a free loopback port over a data dir (a fresh temp dir by
default), creates a server key, warms the agent, then runs one or both load shapes (httpx async,
one chat thread per session, every turn read to its `done` event):

- open loop (the target): N sessions, each sending one turn every N/--rate seconds (+-20%
  jitter, random phase), i.e. an offered load of --rate turns/s for --duration seconds. A
  session never overlaps its own turns (a person waits for the answer); a turn that starts late
  because the previous one was slow is counted in "late starts". Reports achieved turns/s and
  p50/p95 latency from request to `done`.
- closed loop (max throughput): N sessions x T turns back to back.

The question mix covers the agent's read-only jobs in both languages: partner search,
availability check, policy question, record lookup, achievement / facility search.

    python bench/server_load.py                                    # both modes, 50 sessions, 20 turns/s
    python bench/server_load.py --mode open --rate 20 --duration 30 --workers 2
    python bench/server_load.py --mode closed --sessions 50 --turns 4
Targets (open loop, 50 sessions): achieved >= 20 turns/s, p95 < 1 s, 0 errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Read-only questions (no holds), zh and en, spread over the agent's jobs: partner search,
# availability, policy, record lookup, achievement and facility search.
QUESTIONS = [
    "ACH-0001 适合和哪些企业合作？",
    "Find industry partners for ACH-0002",
    "Check FAC-0001 for 5 free days in January",
    "FAC-0003 明年3月有没有连续7天的空档？",
    "What does Article 45 of the law on promoting the transformation of S&T achievements say?",
    "技术转让所得税有什么优惠政策？",
    "Show me ORG-0003",
    "查看 ACH-0010 的详细信息",
    "有哪些做锂电池材料的中试平台？",
    "Search achievements about hydrogen storage",
    "储能方向有哪些科技成果？",
    "为 ACH-0005 找合作伙伴，并查一下 FAC-0002 下个月有没有3天空档",
]


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    interrupted: int = 0
    late: int = 0  # open loop: turns that started > 0.5 s after their scheduled time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def one_turn(
    c: httpx.AsyncClient, tid: str, body: dict[str, object], path: str
) -> tuple[bool, str | None]:
    """POST and read the SSE stream to `done`. Returns (interrupted, error or None)."""
    async with c.stream("POST", f"/v1/threads/{tid}/{path}", json=body) as r:
        if r.status_code != 200:
            return False, f"HTTP {r.status_code}: {(await r.aread())[:200]!r}"
        error = None
        async for line in r.aiter_lines():
            if not line.startswith("data:"):
                continue
            ev = json.loads(line[5:])
            if ev["event"] == "error":
                error = f"error event: {ev['data'].get('code')}: {ev['data'].get('message')}"
            if ev["event"] == "done":
                return bool(ev["data"].get("interrupted")), error
        return False, "stream ended without done"


async def session(c: httpx.AsyncClient, n: int, turns: int, stats: Stats) -> None:
    r = await c.post("/v1/threads")
    if r.status_code != 201:
        stats.errors.append(f"create thread: HTTP {r.status_code}")
        return
    tid = r.json()["thread_id"]
    for t in range(turns):
        q = QUESTIONS[(n + t) % len(QUESTIONS)]
        t0 = time.perf_counter()
        try:
            interrupted, err = await one_turn(c, tid, {"text": q}, "runs")
        except httpx.HTTPError as exc:
            interrupted, err = False, f"{type(exc).__name__}: {exc}"
        stats.latencies.append(time.perf_counter() - t0)
        if err:
            stats.errors.append(err)
        if interrupted:  # not expected for these questions; clear it so the thread stays usable
            stats.interrupted += 1
            await one_turn(c, tid, {"action": "reject"}, "approval")


async def paced_session(
    c: httpx.AsyncClient, n: int, interval: float, t_start: float, t_end: float, stats: Stats, seed: int
) -> None:
    """Open loop: one turn every `interval` s (+-20% jitter, random phase) until `t_end`."""
    rng = random.Random(seed * 7919 + n)
    r = await c.post("/v1/threads")
    if r.status_code != 201:
        stats.errors.append(f"create thread: HTTP {r.status_code}")
        return
    tid = r.json()["thread_id"]
    due = t_start + rng.uniform(0, interval)
    t = 0
    while due < t_end:
        now = time.perf_counter()
        if due > now:
            await asyncio.sleep(due - now)
        elif now - due > 0.5:
            stats.late += 1
        q = QUESTIONS[(n + t) % len(QUESTIONS)]
        t0 = time.perf_counter()
        try:
            interrupted, err = await one_turn(c, tid, {"text": q}, "runs")
        except httpx.HTTPError as exc:
            interrupted, err = False, f"{type(exc).__name__}: {exc}"
        stats.latencies.append(time.perf_counter() - t0)
        if err:
            stats.errors.append(err)
        if interrupted:
            stats.interrupted += 1
            await one_turn(c, tid, {"action": "reject"}, "approval")
        t += 1
        due += interval * rng.uniform(0.8, 1.2)


def agent_baseline(settings: object, n: int) -> list[float]:
    """Seconds per turn of the agent itself: same questions, no HTTP, one thread."""
    from agent.runtime import Agent

    agent = Agent(settings)  # type: ignore[arg-type]
    for _ in agent.stream("baseline-warm", QUESTIONS[0]):
        pass
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        for _ in agent.stream(f"baseline-{i % 50}", QUESTIONS[i % len(QUESTIONS)]):
            pass
        out.append(time.perf_counter() - t0)
    return out


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--turns", type=int, default=4, help="closed loop: turns per session")
    ap.add_argument("--mode", choices=("open", "closed", "both"), default="both")
    ap.add_argument("--rate", type=float, default=20.0, help="open loop: offered turns/s over all sessions")
    ap.add_argument("--duration", type=float, default=30.0, help="open loop: seconds of offered load")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--data-dir", type=Path, default=None, help="default: a fresh temp dir (index built first)"
    )
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--deadline", type=float, default=300.0, help="seconds for the measured phase")
    ap.add_argument("--warmup-timeout", type=float, default=600.0)
    ap.add_argument(
        "--baseline",
        type=int,
        default=0,
        metavar="N",
        help="also run N turns serially through Agent.stream in this process (no HTTP), for comparison",
    )
    args = ap.parse_args()
    if not (1 <= args.sessions <= 500 and 1 <= args.turns <= 50):
        ap.error("--sessions 1..500 and --turns 1..50")
    if not (0 < args.rate <= 1000 and 1 <= args.duration <= 600):
        ap.error("--rate 0..1000 and --duration 1..600")

    tmp = None
    data_dir = args.data_dir
    if data_dir is None:
        tmp = tempfile.mkdtemp(prefix="chengguo-bench-")
        data_dir = Path(tmp) / "data"
    env = {**os.environ, "CHENGGUO_DATA_DIR": str(data_dir), "CHENGGUO_MODEL": "builtin"}
    os.environ["CHENGGUO_DATA_DIR"] = str(data_dir)

    from knowledge.config import Settings
    from web.db import WebDB, web_db_path
    from web.keys import KeyStore

    settings = Settings(data_dir=data_dir)
    settings.ensure_dirs()
    keys = KeyStore(WebDB(web_db_path(settings))).create(
        "bench", ["http://127.0.0.1"], "100000/min", label="bench"
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(args.workers), "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                print("server did not start", file=sys.stderr)
                return 2
            time.sleep(0.1)
        # every worker loads its agent and index at startup: wait until polls keep answering "ready"
        ready_in_a_row = 0
        deadline = time.monotonic() + args.warmup_timeout
        while ready_in_a_row < 5 * args.workers and time.monotonic() < deadline:
            with httpx.Client() as fresh:  # a new connection each time, so polls spread over workers
                ok = fresh.get(base + "/healthz", timeout=5).json().get("agent") == "ready"
            ready_in_a_row = ready_in_a_row + 1 if ok else 0
            time.sleep(0.05 if ok else 0.5)
        headers = {"Authorization": f"Bearer {keys.secret_key}"}

        async def run() -> tuple[dict[str, tuple[Stats, float]], float]:
            limits = httpx.Limits(
                max_connections=args.sessions + 10, max_keepalive_connections=args.sessions + 10
            )
            out: dict[str, tuple[Stats, float]] = {}
            async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120, limits=limits) as c:
                warm = Stats()
                t0 = time.perf_counter()
                # Every question once (per worker, roughly): first-use costs are not the steady state.
                await asyncio.wait_for(
                    asyncio.gather(*(session(c, n, len(QUESTIONS), warm) for n in range(2 * args.workers))),
                    args.warmup_timeout,
                )
                warm_s = time.perf_counter() - t0
                if warm.errors:
                    print("warm-up errors:", warm.errors[:3], file=sys.stderr)
                if args.mode in ("open", "both"):
                    stats = Stats()
                    interval = args.sessions / args.rate
                    t0 = time.perf_counter()
                    t_end = t0 + args.duration
                    await asyncio.wait_for(
                        asyncio.gather(
                            *(
                                paced_session(c, n, interval, t0, t_end, stats, args.seed)
                                for n in range(args.sessions)
                            )
                        ),
                        args.duration + args.deadline,
                    )
                    out["open"] = (stats, time.perf_counter() - t0)
                if args.mode in ("closed", "both"):
                    stats = Stats()
                    t0 = time.perf_counter()
                    await asyncio.wait_for(
                        asyncio.gather(*(session(c, n, args.turns, stats) for n in range(args.sessions))),
                        args.deadline,
                    )
                    out["closed"] = (stats, time.perf_counter() - t0)
            return out, warm_s

        results, warm_s = asyncio.run(run())
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        baseline = agent_baseline(settings, args.baseline) if args.baseline else None
    finally:
        if server.poll() is None:
            server.kill()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows: list[tuple[str, str]] = [
        ("sessions", str(args.sessions)),
        ("server workers", str(args.workers)),
        ("cpus / load avg (1 min, after)", f"{os.cpu_count()} / {load:.2f}"),
        ("warm-up", f"{warm_s:.1f} s"),
    ]
    errors: list[str] = []
    for mode, (stats, wall) in results.items():
        n = len(stats.latencies)
        label = (
            f"open loop ({args.rate:g} turns/s offered, {args.duration:g} s)"
            if mode == "open"
            else f"closed loop ({args.sessions} x {args.turns} back to back)"
        )
        rows += [
            (label, ""),
            ("  turns", str(n)),
            ("  wall time", f"{wall:.2f} s"),
            ("  achieved turns/s", f"{n / wall:.1f}" if wall else "-"),
            ("  p50 turn latency", f"{pct(stats.latencies, 50) * 1000:.0f} ms"),
            ("  p95 turn latency", f"{pct(stats.latencies, 95) * 1000:.0f} ms"),
            ("  max turn latency", f"{max(stats.latencies, default=0) * 1000:.0f} ms"),
            ("  mean turn latency", f"{statistics.fmean(stats.latencies) * 1000:.0f} ms" if n else "-"),
            *([("  late starts (> 0.5 s)", str(stats.late))] if mode == "open" else []),
            ("  interrupted turns", str(stats.interrupted)),
            ("  errors", str(len(stats.errors))),
        ]
        errors += stats.errors
    if baseline:
        rows += [
            ("agent alone, serial (turns/s)", f"{len(baseline) / sum(baseline):.1f}"),
            ("agent alone p50 / p95", f"{pct(baseline, 50) * 1000:.0f} / {pct(baseline, 95) * 1000:.0f} ms"),
        ]
    width = max(len(k) for k, _ in rows)
    print(f"{'metric':<{width}}  value")
    print(f"{'-' * width}  -----")
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    for e in sorted(set(errors))[:5]:
        print("error:", e)
    return 0 if not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
