"""Two `chengguo serve` instances sharing PostgreSQL and a Chroma server: a hold race, throughput,
and search latency through the Chroma server.

    python -m bench.multi_instance                       # throwaway PostgreSQL + Chroma servers
    python -m bench.multi_instance --database-url postgresql://postgres@127.0.0.1:18201/postgres \\
        --chroma-url http://127.0.0.1:18202 --holds 200 --processes 4
    python -m bench.multi_instance --skip-race --skip-throughput --search-scale 10000

1. Race: `--holds` hold requests from `--processes` client processes (started together) for
   overlapping windows of one facility, through the HTTP API: the request goes to one instance
   ("Hold FAC-… from … for … days for ORG-…", the builtin planner checks the calendar and asks
   for approval) and the approval to the *other* one, so every hold crosses instances through the
   shared checkpoints and bookings. The clients move through the windows together, so requests
   for one window (and its overlapping neighbours) arrive at the same time. Reported: holds won, lost to a conflict at the write, declined
   because the calendar check already showed the window taken, errors (HTTP, `error` events,
   anything unexpected), and overlapping live bookings in the database afterwards (must be 0).
2. Throughput: closed-loop turns/s of the read-only question mix of bench/server_load.py against
   one instance, then the same sessions spread over both. Both instances run on this machine's
   cores, so the ratio is bounded by the CPUs the box really has free (reported with the load).
3. Search p50 through the Chroma server at `--search-scale` achievements (bench/chroma_scale.py).

Each run uses a fresh PostgreSQL database and a fresh Chroma database, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FACILITY = "FAC-0001"  # min 5 days, 14 days' lead time: the windows below are years ahead
HOLDER = "ORG-0002"
BASE = date(2030, 1, 7)
DAYS = 5


def window(i: int) -> tuple[date, int]:
    """Window i starts 3 days after window i-1 and lasts 5: neighbours overlap by 2 days."""
    return BASE + timedelta(days=3 * i), DAYS


# ------------------------------------------------------------------------------------ servers


def free_port() -> int:
    from bench.servers import free_port as fp

    return fp()


def start_instance(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--log-level", "warning"]  # fmt: skip
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server {base} exited with {proc.returncode}")
        try:
            if httpx.get(base + "/healthz", timeout=2).json().get("agent") == "ready":
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server {base} not ready within {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


@dataclass
class Deployment:
    """A data dir (records, web keys) + one PostgreSQL database + one Chroma database."""

    data_dir: Path
    database_url: str
    chroma_url: str | None
    secret: str
    env: dict[str, str]
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)

    def start(self, n: int, timeout: float = 600) -> list[str]:
        """Start instances until `n` run; returns their base URLs."""
        while len(self.procs) < n:
            port = free_port()
            log = self.data_dir / f"serve-{port}.log"
            self.procs.append(start_instance(port, self.env, log))
            self.bases.append(f"http://127.0.0.1:{port}")
        for base, proc in zip(self.bases, self.procs, strict=True):
            wait_ready(base, proc, timeout)
        return self.bases[:n]

    def stop(self) -> None:
        for p in self.procs:
            stop(p)
        self.procs, self.bases = [], []


def prepare(data_dir: Path, database_url: str, chroma_url: str | None, cache_from: Path | None) -> Deployment:
    """Build the knowledge base (and push it to the Chroma server) and a server key, before any
    instance starts, so the instances only open what exists."""
    from knowledge.bookings import BookingStore
    from knowledge.config import Settings
    from knowledge.kb import KnowledgeBase
    from web.db import WebDB, web_db_path
    from web.keys import KeyStore

    data_dir.mkdir(parents=True, exist_ok=True)
    if cache_from is not None and (cache_from / "embeddings.sqlite").is_file():
        shutil.copy(cache_from / "embeddings.sqlite", data_dir / "embeddings.sqlite")
    settings = Settings(data_dir=data_dir, database_url=database_url, chroma_url=chroma_url)
    KnowledgeBase(settings, progress=False).close()
    BookingStore(settings).close()  # migrations + the sample calendar, once
    keys = KeyStore(WebDB(web_db_path(settings))).create(
        "bench", ["http://127.0.0.1"], "100000/min", label="bench"
    )
    assert keys.secret_key
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CHENGGUO_DATA_DIR": str(data_dir),
        "CHENGGUO_DATABASE_URL": database_url,
        "CHENGGUO_MODEL": "builtin",
    }
    env.pop("CHENGGUO_CHROMA_URL", None)
    if chroma_url:
        env["CHENGGUO_CHROMA_URL"] = chroma_url
    return Deployment(data_dir, database_url, chroma_url, keys.secret_key, env)


# --------------------------------------------------------------------------------------- race


def _sse(c: httpx.Client, url: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    with c.stream("POST", url, json=body) as r:
        if r.status_code != 200:
            raise RuntimeError(f"HTTP {r.status_code} {url}: {r.read()[:200]!r}")
        events = [json.loads(line[5:]) for line in r.iter_lines() if line.startswith("data:")]
    if not events or events[-1]["event"] != "done":
        raise RuntimeError(f"{url}: stream ended without done")
    errors = [e for e in events if e["event"] == "error"]
    if errors:
        raise RuntimeError(f"{url}: error event {errors[0]['data']}")
    return events


def _hold_step(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    for e in events:
        d = e["data"]
        if e["event"] == "step" and d.get("tool") == "hold_slot" and d.get("status") in ("done", "error"):
            return dict(d)
    return None


def hold_once(c: httpx.Client, ask: str, approve: str, i: int) -> tuple[str, int, str | None, str]:
    """One hold request on instance `ask`, approved on `approve`: (outcome, window, reference, detail)."""
    start, days = window(i)
    r = c.post(f"{ask}/v1/threads")
    if r.status_code != 201:
        return "error", i, None, f"create thread: HTTP {r.status_code}"
    tid = r.json()["thread_id"]
    text = f"Hold {FACILITY} from {start.isoformat()} for {days} days for {HOLDER}"
    try:
        first = _sse(c, f"{ask}/v1/threads/{tid}/runs", {"text": text})
        if not any(e["event"] == "approval" for e in first):
            # The calendar check already saw the window taken: the agent offered another, held nothing.
            return "declined", i, None, ""
        step = _hold_step(_sse(c, f"{approve}/v1/threads/{tid}/approval", {"action": "approve"}))
    except (RuntimeError, httpx.HTTPError) as exc:
        return "error", i, None, str(exc)[:300]
    if step is None:
        return "error", i, None, "no hold_slot step after the approval"
    result = step.get("result") or {}
    if step["status"] == "done" and result.get("reference"):
        if result.get("holder_id") != HOLDER:
            return "error", i, result["reference"], f"holder_id {result.get('holder_id')}"
        return "won", i, str(result["reference"]), ""
    if result.get("code") == "conflict":
        return "conflict", i, None, ""
    return "error", i, None, f"hold_slot error {result.get('code')}: {result.get('message')}"


def _race_worker(bases: list[str], secret: str, jobs: list[int], barrier: Any, out: Any) -> None:
    results = []
    with httpx.Client(headers={"Authorization": f"Bearer {secret}"}, timeout=300) as c:
        barrier.wait()
        for n, i in enumerate(jobs):
            ask, approve = bases[n % len(bases)], bases[(n + 1) % len(bases)]
            results.append(hold_once(c, ask, approve, i))
    out.put(results)


@dataclass
class RaceReport:
    requests: int
    processes: int
    outcomes: dict[str, int]
    overlapping_pairs: int
    windows_with_two_winners: int
    winners_not_live: int
    seconds: float
    errors: list[str]

    @property
    def ok(self) -> bool:
        return (
            self.outcomes.get("error", 0) == 0
            and self.overlapping_pairs == 0
            and self.windows_with_two_winners == 0
            and self.winners_not_live == 0
            and self.outcomes.get("won", 0) > 0
        )


def run_race(dep: Deployment, bases: list[str], *, holds: int, processes: int, windows: int) -> RaceReport:
    """`holds` requests over `windows` overlapping windows, dealt to `processes` clients in order
    (window 0's requests first, then window 1's, …): at any moment the clients ask for the same
    or neighbouring windows, so holds really meet at the database, not only at the calendar check."""
    from knowledge.bookings import BookingStore
    from knowledge.config import Settings

    jobs = sorted(n % windows for n in range(holds))
    chunks = [jobs[p::processes] for p in range(processes)]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(processes)
    out: Any = ctx.Queue()
    procs = [ctx.Process(target=_race_worker, args=(bases, dep.secret, ch, barrier, out)) for ch in chunks]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    results: list[tuple[str, int, str | None, str]] = []
    for _ in procs:
        results.extend(out.get(timeout=3600))
    for p in procs:
        p.join(60)
    seconds = time.perf_counter() - t0
    with BookingStore(Settings(data_dir=dep.data_dir, database_url=dep.database_url), seed=False) as store:
        pairs = store.overlapping_live_pairs()
        live = {r.reference for r in store.list(FACILITY, ["held", "confirmed"])}
    winners: dict[int, list[str]] = {}
    for outcome, i, ref, _ in results:
        if outcome == "won" and ref:
            winners.setdefault(i, []).append(ref)
    return RaceReport(
        requests=len(results),
        processes=processes,
        outcomes=dict(Counter(r[0] for r in results)),
        overlapping_pairs=len(pairs),
        windows_with_two_winners=sum(1 for v in winners.values() if len(v) > 1),
        winners_not_live=sum(1 for v in winners.values() for ref in v if ref not in live),
        seconds=seconds,
        errors=[r[3] for r in results if r[0] == "error"][:5],
    )


# --------------------------------------------------------------------------------- throughput


def closed_loop(bases: list[str], secret: str, sessions: int, turns: int) -> tuple[int, float, list[str]]:
    """`sessions` x `turns` read-only turns back to back, sessions spread over `bases`."""
    from bench.server_load import Stats, session

    async def run() -> tuple[int, float, list[str]]:
        stats = Stats()
        limits = httpx.Limits(max_connections=sessions + 10, max_keepalive_connections=sessions + 10)
        headers = {"Authorization": f"Bearer {secret}"}
        clients = [httpx.AsyncClient(base_url=b, headers=headers, timeout=300, limits=limits) for b in bases]
        try:
            # warm every instance on the whole question mix first (first-use costs are not the steady state)
            await asyncio.gather(*(session(c, n, 12, Stats()) for n, c in enumerate(clients)))
            t0 = time.perf_counter()
            await asyncio.gather(
                *(session(clients[n % len(clients)], n, turns, stats) for n in range(sessions))
            )
            wall = time.perf_counter() - t0
        finally:
            for c in clients:
                await c.aclose()
        return len(stats.latencies), wall, stats.errors

    return asyncio.run(run())


# --------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", help="a PostgreSQL server (a fresh database is created on it)")
    ap.add_argument("--chroma-url", help="a Chroma server (a fresh database is created on it)")
    ap.add_argument("--holds", type=int, default=200)
    ap.add_argument("--processes", type=int, default=4)
    ap.add_argument("--windows", type=int, default=50, help="overlapping windows the holds compete for")
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--turns", type=int, default=4)
    ap.add_argument("--search-scale", type=int, default=0, help="also time search at this many achievements")
    ap.add_argument("--cache-from", type=Path, default=None, help="reuse this data dir's embeddings.sqlite")
    ap.add_argument("--skip-race", action="store_true")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from bench.chroma_scale import new_database
    from bench.servers import ChromaServer, PostgresServer, create_database, drop_database

    tmp = Path(tempfile.mkdtemp(prefix="chengguo-multi-"))
    started: list[Any] = []
    report: dict[str, Any] = {"cpus": os.cpu_count()}
    try:
        pg_server = args.database_url
        if not pg_server:
            started.append(PostgresServer().start())
            pg_server = started[-1].url
        chroma_server = args.chroma_url
        if not chroma_server:
            started.append(ChromaServer().start())
            chroma_server = started[-1].url
        db_name = f"bench_{uuid.uuid4().hex[:10]}"
        db_url = create_database(pg_server, db_name)
        chroma_db = new_database(chroma_server)
        dep = prepare(tmp / "data", db_url, chroma_db, args.cache_from)
        try:
            if not args.skip_race:
                bases = dep.start(2)
                race = run_race(dep, bases, holds=args.holds, processes=args.processes, windows=args.windows)
                report["race"] = {**race.__dict__, "ok": race.ok}
            if not args.skip_throughput:
                dep.stop()
                one = closed_loop(dep.start(1), dep.secret, args.sessions, args.turns)
                dep.stop()
                two = closed_loop(dep.start(2), dep.secret, args.sessions, args.turns)
                report["throughput"] = {
                    "sessions": args.sessions,
                    "turns_per_session": args.turns,
                    "one_instance_turns_per_s": one[0] / one[1],
                    "two_instances_turns_per_s": two[0] / two[1],
                    "ratio": (two[0] / two[1]) / (one[0] / one[1]),
                    "errors": len(one[2]) + len(two[2]),
                    "load_avg_1min_after": os.getloadavg()[0],
                }
        finally:
            dep.stop()
            drop_database(pg_server, db_name)
        if args.search_scale:
            from bench import chroma_scale

            sdir = tmp / "scale"
            url = new_database(chroma_server)
            report["search_build"] = chroma_scale.build(sdir, url, args.search_scale, args.cache_from)
            report["search"] = chroma_scale.time_search(sdir, url)
    finally:
        for s in started:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        _print(report)
    race_ok = report.get("race", {}).get("ok", True)
    return 0 if race_ok else 1


def _print(report: dict[str, Any]) -> None:
    rows: list[tuple[str, str]] = [("cpus", str(report["cpus"]))]
    if "race" in report:
        r = report["race"]
        o = r["outcomes"]
        rows += [
            ("race: hold requests / client processes", f"{r['requests']} / {r['processes']}"),
            ("  won / lost at the write (conflict) / declined by the check", f"{o.get('won', 0)} / {o.get('conflict', 0)} / {o.get('declined', 0)}"),
            ("  errors", str(o.get("error", 0))),
            ("  overlapping live bookings", str(r["overlapping_pairs"])),
            ("  windows with two winners / winners not live", f"{r['windows_with_two_winners']} / {r['winners_not_live']}"),
            ("  seconds", f"{r['seconds']:.1f}"),
        ]  # fmt: skip
    if "throughput" in report:
        t = report["throughput"]
        rows += [
            (f"closed loop, {t['sessions']} sessions x {t['turns_per_session']} turns", ""),
            ("  one instance turns/s", f"{t['one_instance_turns_per_s']:.2f}"),
            ("  two instances turns/s", f"{t['two_instances_turns_per_s']:.2f}"),
            ("  ratio (target >= 1.6)", f"{t['ratio']:.2f}x"),
            ("  errors", str(t["errors"])),
            ("  load avg (1 min) after", f"{t['load_avg_1min_after']:.1f}"),
        ]
    if "search" in report:
        s = report["search"]
        rows += [
            (f"search through the Chroma server, {s['achievements']} achievements", ""),
            ("  hybrid p50 / p95 ms (target p50 <= 30)", f"{s['hybrid']['p50']:.1f} / {s['hybrid']['p95']:.1f}"),
            ("  dense p50 / p95 ms", f"{s['dense']['p50']:.1f} / {s['dense']['p95']:.1f}"),
            ("  dense matrix in the process", str(s["matrix_in_process"])),
        ]  # fmt: skip
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    sys.exit(main())
