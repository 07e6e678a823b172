"""Search latency through a Chroma server at scale (used by bench/multi_instance.py).

Builds a data dir whose knowledge base lives on the Chroma server at `chroma_url`: the bundled
corpus plus synthetic achievements up to `scale` (the recombination of bench/retrieval.py, same
seed, so a kept embedding cache — `--cache-from` — makes a rebuild cheap), then times
`KnowledgeBase.search` from a fresh reader (server mode: no dense matrix in the process), query
embedding included, as bench/retrieval.py does.

    python -m bench.chroma_scale --chroma-url http://127.0.0.1:18202 --scale 10000
    python -m bench.chroma_scale --chroma-url http://127.0.0.1:18202 --quality   # recall, server vs embedded
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase

QUERIES = [
    "固态电池电解质",
    "hydrogen electrolyser low iridium",
    "碳捕集与封存",
    "offshore wind power converter",
    "芯片先进封装",
    "membrane for seawater desalination",
    "储能电站安全监测",
    "biodegradable medical implant",
    "高铁轴承故障诊断",
    "satellite attitude control",
    "钙钛矿太阳能电池",
    "industrial robot vision inspection",
]


def new_database(chroma_url: str) -> str:
    """A fresh Chroma database on the server (`?database=…`), so runs never share collections."""
    import chromadb

    host, port = chroma_url.rstrip("/").rsplit(":", 1)
    admin = chromadb.AdminClient(
        chromadb.Settings(
            chroma_api_impl="chromadb.api.fastapi.FastAPI",
            chroma_server_host=host.split("//", 1)[1],
            chroma_server_http_port=int(port),
            anonymized_telemetry=False,
        )
    )
    name = f"bench{uuid.uuid4().hex[:10]}"
    admin.create_database(name)
    return f"{chroma_url.rstrip('/')}?database={name}"


def build(data_dir: Path, chroma_url: str, scale: int, cache_from: Path | None) -> dict[str, Any]:
    from bench.retrieval import synthetic_achievements, write_jsonl
    from knowledge.ingest import ingest_files

    data_dir.mkdir(parents=True, exist_ok=True)
    if cache_from is not None and (cache_from / "embeddings.sqlite").is_file():
        shutil.copy(cache_from / "embeddings.sqlite", data_dir / "embeddings.sqlite")
    settings = Settings(data_dir=data_dir, chroma_url=chroma_url)
    t0 = time.perf_counter()
    kb = KnowledgeBase(settings, progress=False)
    extra = max(0, scale - len(kb.records("achievement")))
    path = write_jsonl(synthetic_achievements(kb, extra, seed=23), data_dir / "scale.jsonl")
    kb.close()
    res = ingest_files([path], settings=settings)
    return {"build_s": time.perf_counter() - t0, "ingested": res.files[0].loaded}


def time_search(data_dir: Path, chroma_url: str, rounds: int = 5) -> dict[str, Any]:
    from bench.retrieval import _pcts

    kb = KnowledgeBase(Settings(data_dir=data_dir, chroma_url=chroma_url), progress=False)
    snap = kb._fresh()
    out: dict[str, Any] = {
        "achievements": kb.stats()["achievement"],
        "matrix_in_process": snap.index.matrix is not None,
        "server_count": kb.chroma.count("achievement"),
    }
    for mode in ("hybrid", "dense"):
        for q in QUERIES[:3]:
            kb.search(f"{q} warm", k=10, mode=mode)
        lat = []
        for r in range(rounds):
            for q in QUERIES:
                t0 = time.perf_counter()
                kb.search(f"{q} {mode}{r}", k=10, mode=mode)
                lat.append((time.perf_counter() - t0) * 1000)
        out[mode] = _pcts(lat)
    kb.close()
    return out


def quality(chroma_url: str, cache_from: Path | None) -> dict[str, Any]:
    """Recall@10 / MRR of the labelled set (bundled corpus) through the Chroma server's index
    next to the embedded (numpy) mode, on the same vectors: what the approximate index costs."""
    from bench.retrieval import evaluate, load_set
    from knowledge.kb import DEFAULT_SAMPLE_DIR

    tmp = Path(tempfile.mkdtemp(prefix="chengguo-chroma-quality-"))
    try:
        out: dict[str, Any] = {}
        queries = load_set(DEFAULT_SAMPLE_DIR / "retrieval_set.jsonl")
        for name, url in (("embedded", None), ("server", new_database(chroma_url))):
            d = tmp / name
            d.mkdir()
            if cache_from is not None and (cache_from / "embeddings.sqlite").is_file():
                shutil.copy(cache_from / "embeddings.sqlite", d / "embeddings.sqlite")
            kb = KnowledgeBase(Settings(data_dir=d, chroma_url=url), progress=False)
            res = evaluate(kb, queries, modes=("dense", "hybrid"))
            out[name] = {
                m: {"recall@10": res[m]["all"]["recall@10"], "mrr": res[m]["all"]["mrr"]} for m in res
            }
            kb.close()
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chroma-url", required=True)
    ap.add_argument("--scale", type=int, default=10_000)
    ap.add_argument(
        "--cache-from", type=Path, default=None, help="a data dir whose embeddings.sqlite to reuse"
    )
    ap.add_argument("--keep", type=Path, default=None, help="build here and keep it (reused when present)")
    ap.add_argument("--quality", action="store_true", help="only compare recall@10 / MRR, server vs embedded")
    args = ap.parse_args(argv)
    if args.quality:
        print(json.dumps(quality(args.chroma_url, args.cache_from), indent=2))
        return 0
    tmp = None
    data_dir = args.keep
    if data_dir is None:
        tmp = Path(tempfile.mkdtemp(prefix="chengguo-chroma-scale-"))
        data_dir = tmp / "data"
    url_file = data_dir / "chroma_url.txt"
    report: dict[str, Any] = {}
    if url_file.is_file():
        url = url_file.read_text().strip()
    else:
        url = new_database(args.chroma_url)
        report["build"] = build(data_dir, url, args.scale, args.cache_from)
        url_file.write_text(url)
    report["search"] = time_search(data_dir, url)
    print(json.dumps(report, indent=2))
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
