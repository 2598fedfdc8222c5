// Written by scripts/benchmark.sh.
