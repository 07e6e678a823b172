"""Serve a GGUF through llama.cpp's OpenAI-compatible server (the `xllamacpp` wheel) until killed.

Run with the Python that has xllamacpp installed (not a project dependency), e.g.
`/work/llm/venv/bin/python bench/llama_server.py --model M.gguf --port 18300`. `bench/llm.py` starts
and stops it around a measurement; nothing else should leave it running (the box's cores are shared).
"""

from __future__ import annotations

import argparse
import signal
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", required=True, help="path of the .gguf file")
    ap.add_argument("--port", type=int, default=18300)
    ap.add_argument("--ctx", type=int, default=4096, help="context window (tokens)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--alias", default="local")
    args = ap.parse_args()

    import xllamacpp as xl  # type: ignore[import-not-found,unused-ignore]

    p = xl.CommonParams()
    p.model.path = args.model
    p.model_alias = {args.alias}  # a set of names (a bare string would be split into letters)
    p.hostnames = ["127.0.0.1"]
    p.port = args.port
    p.n_ctx = args.ctx
    p.n_parallel = 1  # one slot: the whole window for one request, and its prompt cache kept warm
    p.cpuparams.n_threads = args.threads
    p.cpuparams_batch.n_threads = args.threads
    p.cache_prompt = True  # the system prompt is byte-identical across calls: prefilled once
    p.endpoint_props = True
    server = xl.Server(p)
    print(f"listening on {server.listening_address}", flush=True)
    stop = False

    def _stop(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    while not stop:
        time.sleep(0.5)


if __name__ == "__main__":
    main()
