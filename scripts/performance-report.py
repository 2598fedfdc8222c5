#!/usr/bin/env python3
"""Writes docs/PERFORMANCE.md from the weight files one `scripts/benchmark.sh` run generated.

Every extrinsic's weight is evaluated at its worst case (each component at the top of its
benchmarked range) and given as a ratio to pallet_balances::transfer_allow_death measured in the
same run, both for execution alone and with storage access priced at ParityDb's weights (the
runtime's `DbWeight`).

A section between the SCALE_BEGIN and SCALE_END markers (the liquidation scale test's report,
written by scripts/scale-test.sh) is kept as it is.

Usage: performance-report.py RESULTS_DIR OUTPUT.md
"""

import re
import sys
from datetime import date
from pathlib import Path

# ParityDbWeight, in picoseconds (frame_support::weights::constants::ParityDbWeight).
DB_READ_PS = 8_000_000
DB_WRITE_PS = 50_000_000
YARDSTICK = ("pallet_balances", "transfer_allow_death")
# Benchmarks that cannot run on this chain report Weight::MAX (e.g. pallet-xcm's sends and
# transfers, with no XCM transport); anything this heavy is listed as unavailable.
UNAVAILABLE_PS = 2**63
SCALE_BEGIN = "<!-- scale-test: begin -->"
SCALE_END = "<!-- scale-test: end -->"


def kept_section(path):
    """The scale-test section of an existing report, markers included, or ''."""
    if not path.exists():
        return ""
    text = path.read_text()
    start, end = text.find(SCALE_BEGIN), text.find(SCALE_END)
    if start < 0 or end < start:
        return ""
    return text[start:end + len(SCALE_END)]


def number(text):
    return int(text.replace("_", ""))


def parse_weights(path):
    """{extrinsic: dict(ref_time, reads, writes, components)} at each component's maximum."""
    text = path.read_text()
    # Only the runtime implementation (the first `impl ... for WeightInfo<T>` block).
    body = text.split("for WeightInfo<T>", 1)[-1]
    results = {}
    for match in re.finditer(r"((?:\s*///[^\n]*\n)*)\s*fn (\w+)\(([^)]*)\) -> Weight \{(.*?)\n\t\}", body, re.S):
        docs, name, params, code = match.groups()
        ranges = {c: number(hi) for c, hi in re.findall(r"The range of component `(\w+)` is `\[[\d_]+, ([\d_]+)\]`", docs)}
        base = re.search(r"^\s*Weight::from_parts\(([\d_]+), ([\d_]+)\)", code, re.M)
        ref_time = number(base.group(1)) if base else 0
        for slope, component in re.findall(r"Weight::from_parts\(([\d_]+), 0\)\.saturating_mul\((\w+)\.into\(\)\)", code):
            ref_time += number(slope) * ranges.get(component, 0)
        reads = sum(number(n) for n in re.findall(r"reads\(([\d_]+)(?:_u64)?\)", code))
        writes = sum(number(n) for n in re.findall(r"writes\(([\d_]+)(?:_u64)?\)", code))
        for n, component in re.findall(r"reads\(\(([\d_]+)_u64\)\.saturating_mul\((\w+)\.into\(\)\)\)", code):
            reads += number(n) * ranges.get(component, 0)
        for n, component in re.findall(r"writes\(\(([\d_]+)_u64\)\.saturating_mul\((\w+)\.into\(\)\)\)", code):
            writes += number(n) * ranges.get(component, 0)
        results[name] = {"ref_time": ref_time, "reads": reads, "writes": writes, "components": ranges}
    return results


def main():
    results_dir, output = Path(sys.argv[1]), Path(sys.argv[2])
    pallets = {path.stem: parse_weights(path) for path in sorted(results_dir.glob("*.rs"))}
    yard = pallets[YARDSTICK[0]][YARDSTICK[1]]
    yard_total = yard["ref_time"] + yard["reads"] * DB_READ_PS + yard["writes"] * DB_WRITE_PS
    lines = [
        "# Performance",
        "",
        "Measured by `scripts/benchmark.sh` (frame-benchmarking v2, `lever-node benchmark pallet`) on",
        f"this project's reference machine (2 cores), {date.today().isoformat()}. Each extrinsic is",
        "taken at its worst case (every component at the top of its benchmarked range) and compared",
        "with `pallet_balances::transfer_allow_death` measured in the same run: execution alone, and",
        "with storage reads and writes priced at ParityDb's weights (the runtime's `DbWeight`).",
        "Extrinsics without components are benchmarked at a fixed worst case set up in their",
        "pallet's `benchmarking.rs`: for the lending pools, an account in `MaxMarketsPerAccount`",
        "(8) markets, so every health check values eight positions at oracle prices; for the",
        "vaults, `MaxCollateralTypes` (8) collateral types, so the global ceiling check, the",
        "shutdown, the fix and a redemption visit every type; for the liquidation engine, a partial",
        "vault liquidation shared by the backstop and an auction after the AMM's quote was refused",
        "(`execute_vault`), or by the backstop and the AMM (`execute_vault_swap`; a vault costs the",
        "larger of the two), both with the engine already holding the collateral, and the first",
        "receipt of a collateral apart (`execute_vault_unseeded`, charged only to the liquidation",
        "that makes it), a lending liquidation of an",
        "account in 8 markets, and pools paying `MaxGainAssets` (16) gains; for one-click leverage,",
        "a trader in all 8 lending markets, with the real lending pools, vaults and AMM, the flash",
        "loan, every lending or vault call and the swap inside the measured call.",
        "pallet-xcm's sends and transfers need a reachable destination, which Lever (no XCM",
        "transport yet) does not have: their weight is `Weight::MAX`, which keeps them out of blocks.",
        "",
        f"Yardstick: `transfer_allow_death` executes in {yard['ref_time'] / 1e6:.1f} µs with "
        f"{yard['reads']} reads and {yard['writes']} writes ({yard_total / 1e6:.1f} µs in all).",
        "",
        "| Pallet | Extrinsic | Worst case | Execution (µs) | Reads | Writes | × transfer (execution) | × transfer (with storage) |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for pallet, extrinsics in pallets.items():
        if pallet == YARDSTICK[0]:
            continue
        for name, w in extrinsics.items():
            total = w["ref_time"] + w["reads"] * DB_READ_PS + w["writes"] * DB_WRITE_PS
            case = ", ".join(f"{c} = {v}" for c, v in w["components"].items()) or "-"
            if w["ref_time"] >= UNAVAILABLE_PS:
                lines.append(f"| {pallet} | {name} | {case} | unavailable (`Weight::MAX`) | | | | |")
                continue
            lines.append(
                f"| {pallet} | {name} | {case} | {w['ref_time'] / 1e6:.1f} | {w['reads']} | {w['writes']} | "
                f"{w['ref_time'] / yard['ref_time']:.2f} | {total / yard_total:.2f} |"
            )
    scale = kept_section(output)
    if scale:
        lines += ["", scale]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines) + "\n")
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
