"""Retrieval benchmark: quality (recall@10, MRR) and speed (search latency, ingest, first build).

    python -m bench.retrieval                 # bundled corpus: quality per mode and per language group
    python -m bench.retrieval --scale 10000   # also time search on 10,000 synthetic achievements
    python -m bench.retrieval --json          # machine-readable results

Every run uses temporary data dirs, so the first index build is a real cold build (the
embedding cache starts empty). Targets: hybrid recall@10 >= 0.90 and above dense-only; search
p50 <= 20 ms bundled and <= 40 ms at 10k; ingest >= 400 records/s; first build <= 15 s.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from knowledge.config import Settings
from knowledge.kb import DEFAULT_SAMPLE_DIR, KnowledgeBase
from knowledge.lang import text_lang
from knowledge.models import Achievement

MODES = ("dense", "bm25", "hybrid")
_console = Console(stderr=False)


# --- labelled set ------------------------------------------------------------------------------
def _first(entry: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in entry and entry[key] not in (None, ""):
            return entry[key]
    return None


def load_set(path: Path) -> list[dict[str, Any]]:
    """Queries with their relevant ids; tolerant of the generator's exact key names."""
    out: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        query = _first(raw, "query", "text", "q")
        relevant = _first(raw, "relevant_ids", "relevant", "expected_ids", "expected", "gold", "ids")
        if isinstance(relevant, str):
            relevant = [relevant]
        if not query or not relevant:
            continue
        out.append(
            {
                "id": _first(raw, "id", "qid") or str(len(out) + 1),
                "query": query,
                "relevant": list(relevant),
                "group": "cross-lingual"
                if raw.get("cross_lingual") is True
                else _first(raw, "group", "category", "lang_pair", "split", "lang"),
                "kind": _first(raw, "kind"),
                "filters": raw.get("filters") or {},
            }
        )
    return out


def _group(entry: dict[str, Any], kb: KnowledgeBase) -> str:
    g = str(entry.get("group") or "").lower()
    if g:
        if "cross" in g or g in ("zh-en", "en-zh", "zh->en", "en->zh", "xling"):
            return "cross-lingual"
        if g in ("zh", "en"):
            return g
    qlang = text_lang(entry["query"])
    langs = set()
    for rid in entry["relevant"]:
        rec = kb.get(rid)
        if rec is not None:
            langs.add(text_lang(rec.text()))
    return "cross-lingual" if langs and qlang not in langs else qlang


def _run_query(kb: KnowledgeBase, entry: dict[str, Any], mode: str, k: int = 10) -> list[str]:
    kind = entry.get("kind")
    if kind == "policy":
        hits = kb.search_policies(entry["query"], k=k)
        return [f"{h.doc_id}#{h.section_ref}" for h in hits]
    allowed = {"domain", "trl_min", "trl_max", "region"}
    filters = {key: v for key, v in entry["filters"].items() if key in allowed}
    return [h.id for h in kb.search(entry["query"], kind=kind, k=k, mode=mode, **filters)]  # type: ignore[arg-type]


def _matches(found: str, relevant: str) -> bool:
    # A policy label may name a document or "doc#section".
    return found == relevant or found.split("#", 1)[0] == relevant


def evaluate(
    kb: KnowledgeBase, queries: list[dict[str, Any]], modes: tuple[str, ...] = MODES
) -> dict[str, Any]:
    """recall@10, MRR and latency per mode, overall and per language group."""
    groups = {e["id"]: _group(e, kb) for e in queries}
    for e in queries[:5]:  # warm caches (query embeddings are memoised, so warm on other text)
        kb.search(e["query"] + " warmup", k=10)
    results: dict[str, Any] = {}
    for mode in modes:
        per: dict[str, list[tuple[float, float]]] = defaultdict(list)
        latencies: list[float] = []
        for e in queries:
            t0 = time.perf_counter()
            found = _run_query(kb, e, mode)
            latencies.append((time.perf_counter() - t0) * 1000)
            rel = e["relevant"]
            hit = sum(1 for r in rel if any(_matches(f, r) for f in found))
            recall = hit / len(rel)
            rr = next((1 / i for i, f in enumerate(found, start=1) if any(_matches(f, r) for r in rel)), 0.0)
            per["all"].append((recall, rr))
            per[groups[e["id"]]].append((recall, rr))
        results[mode] = {
            g: {
                "n": len(v),
                "recall@10": statistics.fmean(x[0] for x in v),
                "mrr": statistics.fmean(x[1] for x in v),
            }
            for g, v in per.items()
        }
        results[mode]["latency_ms"] = _pcts(latencies)
    return results


def _pcts(values: list[float]) -> dict[str, float]:
    s = sorted(values)
    return {"p50": s[len(s) // 2], "p95": s[min(len(s) - 1, int(len(s) * 0.95))], "n": len(s)}


def time_latency(kb: KnowledgeBase, queries: list[str], mode: str, rounds: int = 3) -> dict[str, float]:
    """End-to-end search latency, query embedding included (a suffix defeats the query memo)."""
    for q in queries[:3]:
        kb.search(f"{q} warm", k=10, mode=mode)  # type: ignore[arg-type]
    lat = []
    for r in range(rounds):
        for q in queries:
            text = f"{q} {mode}{r}"
            t0 = time.perf_counter()
            kb.search(text, k=10, mode=mode)  # type: ignore[arg-type]
            lat.append((time.perf_counter() - t0) * 1000)
    return _pcts(lat)


# --- synthetic corpora -------------------------------------------------------------------------
def synthetic_achievements(kb: KnowledgeBase, n: int, seed: int = 7) -> list[Achievement]:
    """`n` new achievements recombined from the corpus (title of one, summary of another)."""
    rng = random.Random(seed)
    base = kb.records("achievement")
    if not base:
        raise SystemExit("the corpus has no achievements to recombine")
    out = []
    for i in range(n):
        a, b = rng.choice(base), rng.choice(base)
        out.append(
            a.model_copy(
                update={
                    "id": f"ACH-SYN{i:06d}",
                    "summary": f"{b.summary} ({i})",
                    "keywords": list(dict.fromkeys(a.keywords[:2] + b.keywords[:2])),
                    "trl": rng.randint(1, 9),
                }
            )
        )
    return out


def write_jsonl(records: list[Achievement], path: Path) -> Path:
    path.write_text("\n".join(r.model_dump_json() for r in records) + "\n", encoding="utf-8")
    return path


# --- main --------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample-dir", type=Path, default=DEFAULT_SAMPLE_DIR)
    ap.add_argument(
        "--set", type=Path, default=None, help="labelled queries (default: <sample>/retrieval_set.jsonl)"
    )
    ap.add_argument(
        "--scale", type=int, default=0, help="also time search over this many synthetic achievements"
    )
    ap.add_argument("--ingest-n", type=int, default=2000, help="records in the ingest-throughput run")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data dirs")
    args = ap.parse_args(argv)

    from knowledge.ingest import ingest_files

    report: dict[str, Any] = {}
    tmp = Path(tempfile.mkdtemp(prefix="chengguo-bench-"))
    settings = Settings(data_dir=tmp / "bundled")

    t0 = time.perf_counter()
    kb = KnowledgeBase(settings, sample_dir=args.sample_dir, progress=False)
    report["first_build_s"] = time.perf_counter() - t0
    report["stats"] = kb.stats()
    t0 = time.perf_counter()
    KnowledgeBase(settings, sample_dir=args.sample_dir, progress=False).close()
    report["reopen_s"] = time.perf_counter() - t0

    set_path = args.set or args.sample_dir / "retrieval_set.jsonl"
    queries = load_set(set_path) if set_path.is_file() else []
    if queries:
        report["quality"] = evaluate(kb, queries)
        report["latency_bundled"] = {m: time_latency(kb, [q["query"] for q in queries], m) for m in MODES}
    else:
        print(f"no labelled set at {set_path}; quality skipped", file=sys.stderr)

    # Ingest throughput: new texts (recombined), so every record is really embedded.
    ingest_settings = Settings(data_dir=tmp / "ingest")
    ikb = KnowledgeBase(ingest_settings, sample_dir=args.sample_dir, progress=False)
    batch = synthetic_achievements(ikb, args.ingest_n, seed=11)
    path = write_jsonl(batch, tmp / "ingest.jsonl")
    ikb.close()
    from knowledge import embeddings as _emb
    from knowledge.kb import close_all

    t0 = time.perf_counter()
    res = ingest_files([path], settings=ingest_settings, sample_dir=args.sample_dir)
    dt = time.perf_counter() - t0
    from knowledge.kb import open_kb

    misses = open_kb(ingest_settings, sample_dir=args.sample_dir).cache.misses
    close_all(ingest_settings.data_dir)
    # Re-ingesting the same file (a corrected upload): every text is an embedding-cache hit.
    _emb._MEMO.clear()  # like a new process: only the disk cache helps
    t0 = time.perf_counter()
    res2 = ingest_files([path], settings=ingest_settings, sample_dir=args.sample_dir)
    dt2 = time.perf_counter() - t0
    misses2 = open_kb(ingest_settings, sample_dir=args.sample_dir).cache.misses
    close_all(ingest_settings.data_dir)
    report["ingest"] = {
        "records": res.files[0].loaded,
        "seconds": dt,
        "records_per_s": res.files[0].loaded / dt,
        "texts_embedded": misses,
        "reingest_seconds": dt2,
        "reingest_records_per_s": res2.files[0].loaded / dt2,
        "reingest_texts_embedded": misses2,
    }

    if args.scale:
        scale_settings = Settings(data_dir=tmp / "scale")
        skb = KnowledgeBase(scale_settings, sample_dir=args.sample_dir, progress=False)
        extra = max(0, args.scale - len(skb.records("achievement")))
        spath = write_jsonl(synthetic_achievements(skb, extra, seed=23), tmp / "scale.jsonl")
        t0 = time.perf_counter()
        sres = ingest_files([spath], settings=scale_settings, sample_dir=args.sample_dir)
        sdt = time.perf_counter() - t0
        skb = KnowledgeBase(scale_settings, sample_dir=args.sample_dir, progress=False)
        t_open = time.perf_counter()
        KnowledgeBase(scale_settings, sample_dir=args.sample_dir, progress=False).close()
        qs = [q["query"] for q in queries] or ["固态电池", "hydrogen electrolyser", "碳捕集"]
        report["scale"] = {
            "achievements": skb.stats()["achievement"],
            "ingest_records_per_s": sres.files[0].loaded / sdt,
            "reopen_s": time.perf_counter() - t_open,
            "latency": {m: time_latency(skb, qs, m) for m in MODES},
        }

    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print(report)
    if args.keep:
        print(f"data dirs kept under {tmp}", file=sys.stderr)
    else:
        from knowledge.kb import close_all as _close

        _close()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _print(report: dict[str, Any]) -> None:
    c = _console
    c.print(f"corpus: {report['stats']}")
    c.print(
        f"first index build (cold, empty embedding cache): {report['first_build_s']:.2f} s; reopen {report['reopen_s']:.2f} s"
    )
    if "quality" in report:
        q = report["quality"]
        groups = [g for g in ("all", "zh", "en", "cross-lingual") if g in q["hybrid"]]
        t = Table(title="Retrieval quality on the labelled set (bundled corpus, k=10)")
        t.add_column("mode")
        t.add_column("group")
        t.add_column("n", justify="right")
        t.add_column("recall@10", justify="right")
        t.add_column("MRR", justify="right")
        for mode in MODES:
            for g in groups:
                t.add_row(
                    mode,
                    g,
                    str(q[mode][g]["n"]),
                    f"{q[mode][g]['recall@10']:.3f}",
                    f"{q[mode][g]['mrr']:.3f}",
                )
        c.print(t)
        t = Table(title="Search latency, bundled corpus (ms, query embedding included)")
        t.add_column("mode")
        t.add_column("p50", justify="right")
        t.add_column("p95", justify="right")
        for mode in MODES:
            lat = report["latency_bundled"][mode]
            t.add_row(mode, f"{lat['p50']:.1f}", f"{lat['p95']:.1f}")
        c.print(t)
    ing = report["ingest"]
    c.print(
        f"ingest: {ing['records']} achievements in {ing['seconds']:.2f} s = {ing['records_per_s']:.0f} records/s "
        f"({ing['texts_embedded']} texts embedded)"
    )
    c.print(
        f"re-ingest of the same file: {ing['reingest_seconds']:.2f} s = {ing['reingest_records_per_s']:.0f} records/s "
        f"({ing['reingest_texts_embedded']} texts embedded)"
    )
    if "scale" in report:
        s = report["scale"]
        t = Table(title=f"Search latency at {s['achievements']} achievements")
        t.add_column("mode")
        t.add_column("p50 ms", justify="right")
        t.add_column("p95 ms", justify="right")
        for mode in MODES:
            t.add_row(mode, f"{s['latency'][mode]['p50']:.1f}", f"{s['latency'][mode]['p95']:.1f}")
        c.print(t)
        c.print(f"scale ingest: {s['ingest_records_per_s']:.0f} records/s; reopen {s['reopen_s']:.2f} s")


if __name__ == "__main__":
    raise SystemExit(main())
