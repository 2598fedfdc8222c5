#!/usr/bin/env python3
"""Merges the weight files of several `scripts/benchmark.sh` runs into one, extrinsic by extrinsic.

For every pallet, each extrinsic's weight function (with its storage comments) is taken from the
run whose execution time at the extrinsic's worst case is the median of the runs, so a single
noisy run moves no committed weight. The file's header and order are the first run's.

Usage: median-weights.py RUNS_DIR OUT_DIR   (RUNS_DIR holds run1/, run2/, ... of <pallet>.rs)
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from performance_weights import parse_weights  # noqa: E402

FUNCTION = re.compile(r"((?:\t///[^\n]*\n)*)\tfn (\w+)\([^)]*\) -> Weight \{.*?\n\t\}", re.S)


def functions(text):
    """{name: full text of the function with its doc comments} in the runtime implementation."""
    head, body = text.split("for WeightInfo<T>", 1)
    return {m.group(2): m.group(0) for m in FUNCTION.finditer(body)}


def main():
    runs_dir, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    runs = sorted(p for p in runs_dir.glob("run*") if p.is_dir())
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(runs[0].glob("*.rs")):
        texts = [(run / path.name).read_text() for run in runs]
        weights = [parse_weights(run / path.name) for run in runs]
        merged = texts[0]
        for name, text in functions(texts[0]).items():
            times = sorted(range(len(runs)), key=lambda i: weights[i][name]["ref_time"])
            median = times[len(times) // 2]
            merged = merged.replace(text, functions(texts[median])[name], 1)
        (out_dir / path.name).write_text(merged)
    print(f"merged {len(runs)} runs into {out_dir}")


if __name__ == "__main__":
    main()
