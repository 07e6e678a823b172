"""Opt-in: the LLM planner on a real small model, against the builtin planner, on the same eval tasks.

Starts llama.cpp's OpenAI-compatible server (bench/llama_server.py, run by the Python that has the
`xllamacpp` wheel) on a local GGUF, runs the core and understanding suites with `--model openai:local`
and with the builtin planner, stops the server, and prints: pass rates, turns ending in a planner
error, p50/p95 time per turn, prompt tokens per call (max), and how each model call ended.

    python -m bench.llm --gguf /work/llm/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \\
        --server-python /work/llm/venv/bin/python --core-every 1 --understanding-every 4

Not a dependency and not in CI; the model runs only while this script measures. On a shared 2-core box a
full run takes hours: `--*-every N` runs every Nth task (the output says which sample ran).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"core": 0.85, "p95_s": 60.0, "prompt_tokens": 2000}


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    import httpx

    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"llama.cpp server exited with {proc.returncode}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except Exception:
            pass
        time.sleep(1)
    raise SystemExit(f"llama.cpp server not ready after {timeout:.0f} s")


def _sample(suite: str, every: int, limit: int | None) -> list[str]:
    from evals.runner import load_suites

    tasks = load_suites([suite])[0].suite.tasks  # type: ignore[union-attr]
    ids = [t.id for t in tasks][::every]
    return ids[:limit] if limit else ids


def _run(suite: str, ids: list[str], model: str) -> list[Any]:
    from evals.runner import RunOptions, load_suites, run_suites

    opts = RunOptions(model=model, filter=",".join(ids), out_dir=Path(tempfile.mkdtemp(prefix="bench-llm-")))
    return list(run_suites(load_suites([suite]), opts).records)


def _turns(rec: Any) -> int:
    return max(1, len({e.get("turn") for e in rec.events if e.get("turn") is not None}))


def _planner_errors(rec: Any) -> int:
    return sum(
        1
        for e in rec.events
        if e.get("event") == "error" and "planner" in str((e.get("data") or {}).get("code", ""))
    )


def _pct(xs: list[float], q: float) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def _summary(records: list[Any]) -> dict[str, Any]:
    per_turn = [r.duration_s / _turns(r) for r in records for _ in range(_turns(r))]
    passed = sum(1 for r in records if r.passed)
    return {
        "tasks": len(records),
        "passed": passed,
        "rate": passed / len(records) if records else 0.0,
        "turns": sum(_turns(r) for r in records),
        "planner_errors": sum(_planner_errors(r) for r in records),
        "p50_s": statistics.median(per_turn) if per_turn else 0.0,
        "p95_s": _pct(per_turn, 0.95),
        "failed": [r.task_id for r in records if not r.passed],
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gguf", default=os.environ.get("CHENGGUO_LLM_GGUF"), help="the model file (.gguf)")
    ap.add_argument(
        "--server-python",
        default=os.environ.get("CHENGGUO_LLM_SERVER_PYTHON", sys.executable),
        help="a Python with the xllamacpp wheel",
    )
    ap.add_argument("--port", type=int, default=18300)
    ap.add_argument("--ctx", type=int, default=4096, help="context window the server is started with")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=45.0, help="model seconds per turn before the fallback")
    ap.add_argument("--core-every", type=int, default=1)
    ap.add_argument("--understanding-every", type=int, default=4)
    ap.add_argument("--limit", type=int, default=None, help="at most this many tasks per suite")
    ap.add_argument("--suites", default="core,understanding")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    args = ap.parse_args(argv)
    if not args.gguf or not Path(args.gguf).is_file():
        raise SystemExit("give the model file with --gguf or CHENGGUO_LLM_GGUF")

    log = Path(tempfile.mkdtemp(prefix="bench-llm-")) / "calls.jsonl"
    samples = {
        s: _sample(s, args.core_every if s == "core" else args.understanding_every, args.limit)
        for s in args.suites.split(",")
    }
    out: dict[str, Any] = {"gguf": args.gguf, "ctx": args.ctx, "threads": args.threads, "suites": {}}
    for suite, ids in samples.items():
        out["suites"][suite] = {"sample": len(ids), "builtin": _summary(_run(suite, ids, "builtin"))}
        print(f"{suite}: builtin done ({len(ids)} tasks)", flush=True)

    url = f"http://127.0.0.1:{args.port}"
    cmd = [
        args.server_python,
        str(ROOT / "bench" / "llama_server.py"),
        "--model",
        args.gguf,
        "--port",
        str(args.port),
        "--ctx",
        str(args.ctx),
        "--threads",
        str(args.threads),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # SIGTERM ends the run through `finally`, so the server never outlives the measurement.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        _wait(url, proc, 180)
        os.environ["CHENGGUO_OPENAI_BASE_URL"] = url + "/v1"
        os.environ["CHENGGUO_LLM_TIMEOUT_S"] = str(args.timeout)
        os.environ["CHENGGUO_LLM_LOG"] = str(log)
        # Prefill the static system prompt once (llama.cpp keeps it in the slot's prompt cache), timed apart.
        from agent.llm_call import ReadingCaller
        from agent.models import build_chat_model
        from knowledge.config import Settings

        t0 = time.perf_counter()
        warm = ReadingCaller(
            build_chat_model("openai:local", Settings(), timeout=900, max_retries=0),
            timeout_s=900,
            attempts=1,
        )
        try:
            warm.read("hello", "2026-12-05")
        except Exception as exc:  # the warm-up only fills the cache; its outcome is not measured
            print(f"warm-up: {exc}", flush=True)
        out["warmup_s"] = round(time.perf_counter() - t0, 1)
        print(f"warm-up (system prompt prefill): {out['warmup_s']} s", flush=True)
        for suite, ids in samples.items():
            out["suites"][suite]["llm"] = _summary(_run(suite, ids, "openai:local"))
            s = out["suites"][suite]["llm"]
            print(f"{suite}: llm done: {s['passed']}/{s['tasks']}, p95 {s['p95_s']:.1f} s", flush=True)
            if args.json:  # partial numbers survive an interrupted run
                args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()

    calls = [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []
    out["calls"] = {
        "n": len(calls),
        "prompt_tokens_max": max((c["prompt_tokens"] for c in calls), default=0),
        "completion_tokens_max": max((c["completion_tokens"] for c in calls), default=0),
        "seconds_p50": statistics.median([c["seconds"] for c in calls]) if calls else 0.0,
        "outcomes": dict(Counter(c["outcome"] for c in calls)),
    }
    _print(out, args)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False))


def _print(out: dict[str, Any], args: argparse.Namespace) -> None:
    print(
        f"\nmodel {Path(out['gguf']).name}, ctx {out['ctx']}, {out['threads']} threads, timeout {args.timeout:g} s"
    )
    print(f"{'suite (sample)':<26}{'planner':<10}{'pass':>12}{'planner err':>13}{'p50 s':>9}{'p95 s':>9}")
    for suite, d in out["suites"].items():
        every = args.core_every if suite == "core" else args.understanding_every
        name = f"{suite} ({d['sample']}, every {every})"
        for who in ("builtin", "llm"):
            s = d.get(who)
            if s:
                rate = f"{s['passed']}/{s['tasks']} {s['rate']:.0%}"
                print(
                    f"{name:<26}{who:<10}{rate:>12}{s['planner_errors']:>13}{s['p50_s']:>9.1f}{s['p95_s']:>9.1f}"
                )
    c = out["calls"]
    print(
        f"model calls: {c['n']}, prompt tokens max {c['prompt_tokens_max']}, completion max "
        f"{c['completion_tokens_max']}, p50 {c['seconds_p50']:.1f} s/call, outcomes {c['outcomes']}"
    )
    core = out["suites"].get("core", {}).get("llm")
    und = out["suites"].get("understanding", {})
    print("targets:")
    if core:
        print(f"  core >= 85%: {core['rate']:.0%} {'met' if core['rate'] >= TARGETS['core'] else 'NOT met'}")
    if und.get("llm"):
        ok = und["llm"]["rate"] >= und["builtin"]["rate"]
        print(
            f"  understanding >= builtin: {und['llm']['rate']:.0%} vs {und['builtin']['rate']:.0%} {'met' if ok else 'NOT met'}"
        )
    llm = [d["llm"] for d in out["suites"].values() if d.get("llm")]
    errs = sum(s["planner_errors"] for s in llm)
    p95 = max((s["p95_s"] for s in llm), default=0.0)
    print(f"  0 planner errors: {errs} {'met' if errs == 0 else 'NOT met'}")
    print(f"  p95 <= 60 s per turn: {p95:.1f} s {'met' if p95 <= TARGETS['p95_s'] else 'NOT met'}")
    pt = c["prompt_tokens_max"]
    print(f"  prompt <= 2000 tokens: {pt} {'met' if pt <= TARGETS['prompt_tokens'] else 'NOT met'}")


if __name__ == "__main__":
    main()
