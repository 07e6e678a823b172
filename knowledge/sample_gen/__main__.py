"""`python -m knowledge.sample_gen [--out DIR]` rewrites the sample corpus files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge.sample_gen.build import SAMPLE_DIR, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge.sample_gen", description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=SAMPLE_DIR, help=f"output directory (default {SAMPLE_DIR})"
    )
    args = parser.parse_args(argv)
    counts = generate(args.out)
    for name, n in counts.items():
        print(f"{name:24} {n:5d} lines", file=sys.stderr)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
