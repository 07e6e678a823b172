"""Crash bench: `kill -9` a real `chengguo serve` at each point of a run, restart, and time recovery.

    python -m bench.crash [--data-dir BUILT_DIR] [--rounds 3]

For each kill point (mid-turn inside a READ tool; between an approval and its write; after the
write, before the answer) and each round: copy an indexed data dir, start a server that pauses
at the point, drive a thread there, SIGKILL the server, start a fresh one and measure

- restart -> listening: the new process answers /healthz;
- restart -> usable: the thread is free (recovered) and a new turn is accepted and streams `done`;
- the decision applied exactly once: holds made by the agent after recovery (must be 1 for the
  approval points).

Target (issue 14): usable within 5 s of restart, decisions applied exactly once.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench import crashlab as cl

HOLD = "Please hold FAC-0001 for 7 days in March 2027."
POINTS = {
    "mid-turn": ("before:find_partners", "为ACH-0001寻找合适的合作伙伴"),
    "approval->write": ("before:hold_slot", HOLD),
    "write->answer": ("after:hold_slot", HOLD),
}


def one(built: Path, work: Path, point: str, text: str) -> tuple[float, float, int, bool]:
    data = work / "data"
    shutil.copytree(built, data, ignore=shutil.ignore_patterns("backups", "web.db*", "checkpoints.db*"))
    key = cl.make_key(data)
    flag = work / "flag"
    with cl.serving(data, pause=point, flag=flag) as a:
        tid = cl.new_thread(a.base, key)
        if point.endswith("hold_slot"):
            cl.run_turn(a.base, key, tid, text)
            cl.in_background(cl.decide, a.base, key, tid)
        else:
            cl.in_background(cl.run_turn, a.base, key, tid, text)
        cl.wait_flag(flag, point)
        a.kill9()
    t0 = time.perf_counter()
    with cl.serving(data) as b:
        listening = time.perf_counter() - t0
        detail = cl.wait_usable(b.base, key, tid, timeout=120)
        status, events = cl.run_turn(b.base, key, tid, "thanks")
        usable = time.perf_counter() - t0
        ok = status == 200 and events[-1]["event"] == "done"
        msgs = cl.get_thread(b.base, key, tid)["messages"]
        answered = all(
            i + 1 < len(msgs) and msgs[i + 1]["role"] == "assistant"
            for i, m in enumerate(msgs)
            if m["role"] == "user"
        )
        del detail
    return listening, usable, len(cl.tool_holds(data)), ok and answered


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, help="an indexed data dir (default: build one in a temp dir)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="chengguo-crash-"))
    built = args.data_dir
    if built is None:
        from knowledge.config import Settings
        from knowledge.kb import open_kb

        built = root / "built"
        open_kb(Settings(data_dir=built), progress=False)
    print(
        f"{'kill point':<16} {'round':>5} {'listening s':>12} {'usable s':>9} {'after listening s':>18} "
        f"{'holds':>6} {'answered':>9}"
    )
    usable_all: list[float] = []
    after_all: list[float] = []
    once = True
    for name, (point, text) in POINTS.items():
        for r in range(args.rounds):
            work = root / f"{name.replace('>', '')}-{r}"
            work.mkdir(parents=True)
            listening, usable, holds, ok = one(built, work, point, text)
            usable_all.append(usable)
            after_all.append(usable - listening)
            if point.endswith("hold_slot"):
                once = once and holds == 1
            print(
                f"{name:<16} {r:>5} {listening:>12.2f} {usable:>9.2f} {usable - listening:>18.2f} {holds:>6} {ok!s:>9}"
            )
    print(
        f"\nrestart -> usable (from process start): p50 {statistics.median(usable_all):.2f} s, "
        f"max {max(usable_all):.2f} s (target <= 5 s: {'met' if max(usable_all) <= 5 else 'NOT met'})"
        f"\nserver listening -> thread usable (recovery + one turn): p50 {statistics.median(after_all):.2f} s, "
        f"max {max(after_all):.2f} s\ndecisions applied exactly once: {'yes' if once else 'NO'}"
    )
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
