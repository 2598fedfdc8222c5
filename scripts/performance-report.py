#!/usr/bin/env python3
"""Writes docs/PERFORMANCE.md from the weight files of the runs one `scripts/benchmark.sh` made.

Every extrinsic's weight is evaluated at its worst case (each component at the top of its
benchmarked range) and given as a ratio to pallet_balances::transfer_allow_death measured in the
same run, both for execution alone and with storage access priced at ParityDb's weights (the
runtime's `DbWeight`). With several runs (RESULTS_DIR/run1, run2, ...) each ratio is the median
of the runs' ratios, and the spread column gives how far the runs' ratios with storage lie apart,
as a share of that median. Each ratio is taken against the yardstick measured around its pallet
in its own run (see `yardsticks`).

With BEFORE_DIR (the results of the same benchmarks on an earlier revision, RUNTIME_WASM in
scripts/benchmark.sh), a second table gives, for every extrinsic whose reads, writes or ratio
changed, the earlier and the current figures, each the median of its own runs against its own
runs' yardstick. Each results directory may hold a `revision` file naming the code it measured.

A section between the SCALE_BEGIN and SCALE_END markers (the liquidation scale test's report,
written by scripts/scale-test.sh) is kept as it is.

Usage: performance-report.py RESULTS_DIR OUTPUT.md [BEFORE_DIR]
"""

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from performance_weights import (  # noqa: E402
    UNAVAILABLE_PS, YARDSTICK, parse_weights, total_ps,
)

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


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def yardsticks(run_dir, run):
    """Each pallet's yardstick in one run, and every measurement of it the run made.

    A run of scripts/benchmark.sh measures the yardstick before each pallet and after the last
    (run_dir/yardstick/, in the order its `order` file lists): a pallet's yardstick is the mean
    of the two measurements around it. Results of earlier versions of the script hold one
    measurement per run (run_dir/pallet_balances.rs), every pallet's yardstick.
    """
    folder = run_dir / "yardstick"
    if not folder.is_dir():
        yard = run[YARDSTICK[0]][YARDSTICK[1]]
        return (lambda pallet: yard), [yard]
    order = (folder / "order").read_text().split()
    files = [f"before-{pallet}.rs" for pallet in order] + ["end.rs"]
    samples = [parse_weights(folder / name)[YARDSTICK[1]] for name in files]
    around = {
        pallet: dict(samples[i], ref_time=(samples[i]["ref_time"] + samples[i + 1]["ref_time"]) / 2)
        for i, pallet in enumerate(order)
    }
    return around.__getitem__, samples


class Measurement:
    """The runs of one results directory, with each run's yardsticks."""

    def __init__(self, results_dir):
        run_dirs = sorted(p for p in results_dir.glob("run*") if p.is_dir()) or [results_dir]
        self.runs = [{p.stem: parse_weights(p) for p in sorted(d.glob("*.rs"))} for d in run_dirs]
        measured = [yardsticks(d, run) for d, run in zip(run_dirs, self.runs)]
        self.yards = [yard for yard, _ in measured]
        self.samples = [samples for _, samples in measured]
        every = [y for samples in self.samples for y in samples]
        times = [y["ref_time"] for y in every]
        self.yard = every[times.index(median(times))]
        self.yard_spread = (max(times) - min(times)) / median(times)
        revision = results_dir / "revision"
        self.revision = revision.read_text().strip() if revision.exists() else "unrecorded"

    def yard_summary(self):
        """Each run's yardstick measurements, in µs: 'min–max (n)' or the one value."""
        parts = []
        for samples in self.samples:
            times = [y["ref_time"] / 1e6 for y in samples]
            parts.append(
                f"{min(times):.1f}–{max(times):.1f} ({len(times)})" if len(times) > 1 else f"{times[0]:.1f}"
            )
        return "; ".join(parts)

    def extrinsics(self):
        """(pallet, extrinsic, first run's weight) in the first run's order, yardstick left out."""
        for pallet, extrinsics in self.runs[0].items():
            if pallet != YARDSTICK[0]:
                for name, first in extrinsics.items():
                    yield pallet, name, first

    def figures(self, pallet, name):
        """Median weight, median ratios (execution, with storage) and spread, or None if absent."""
        if any(name not in run.get(pallet, {}) for run in self.runs):
            return None
        ws = [run[pallet][name] for run in self.runs]
        yards = [yard(pallet) for yard in self.yards]
        execution = [w["ref_time"] / y["ref_time"] for w, y in zip(ws, yards)]
        with_storage = [total_ps(w) / total_ps(y) for w, y in zip(ws, yards)]
        mid = median(with_storage)
        spread = (max(with_storage) - min(with_storage)) / mid if mid else 0
        w = ws[[x["ref_time"] for x in ws].index(median([x["ref_time"] for x in ws]))]
        return w, median(execution), mid, spread


ENGINE = "pallet_liquidation"
VAULT_ROUTES = {
    "the backstop": ("execute_vaults_backstop",),
    "an auction": ("execute_vaults_auction",),
    "the AMM": ("execute_vaults_swap",),
    "the backstop and the AMM": ("execute_vaults_backstop", "execute_vaults_swap"),
}
SEED_READ = {"ref_time": 0, "reads": 1, "writes": 0}


def add(*weights):
    return {key: sum(w[key] for w in weights) for key in ("ref_time", "reads", "writes")}


def vault_charges(run, benchmarks):
    """What the engine charges a vault liquidated by the routes of `benchmarks` in one run's
    weights (pallets/liquidation/src/vault_weight.rs): each route's slope and the read of the
    engine's seed for each vault; and beyond that, the route's intercept once a block for the
    collateral type."""
    weights = run[ENGINE]
    each = add(SEED_READ, *(weights[name]["per"]["n"] for name in benchmarks))
    first = add(*(weights[name]["base"] for name in benchmarks))
    return each, add(each, first)


def vault_batches(now):
    """The lines on what a vault liquidation is charged, by route, as the first of its type in
    a block and next to others, or nothing when the engine's batch benchmarks were not measured."""
    names = {name for benchmarks in VAULT_ROUTES.values() for name in benchmarks}
    if any(name not in run.get(ENGINE, {}) for run in now.runs for name in names):
        return []
    lines = [
        "### Vault liquidations, alone and in numbers",
        "",
        "The engine charges each vault liquidation the work of the routes it used, and the first",
        "use of a route for a collateral type in a block also the items its liquidations share",
        "(read and committed once a block), both taken from the routes' benchmarks of `n` vaults",
        "of one type in one block (docs/LIQUIDATION.md, the queue): the slope, and the intercept.",
        "As charged, medians of the runs, × transfer with storage (spread):",
        "",
        "| Liquidated by | Each vault: execution (µs) | Reads | Writes | × transfer | The first of its type in a block: × transfer |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for route, benchmarks in VAULT_ROUTES.items():
        measured = []
        for run, yard in zip(now.runs, now.yards):
            each, first = vault_charges(run, benchmarks)
            total = total_ps(yard(ENGINE))
            measured.append((each, total_ps(each) / total, total_ps(first) / total))
        ratios = [ratio for _, ratio, _ in measured]
        mid = median(ratios)
        each = measured[ratios.index(mid)][0]
        spread = (max(ratios) - min(ratios)) / mid if mid else 0
        firsts = [first for _, _, first in measured]
        first_spread = (max(firsts) - min(firsts)) / median(firsts)
        lines.append(
            f"| {route} | {each['ref_time'] / 1e6:.1f} | {each['reads']} | {each['writes']} | "
            f"{mid:.2f} ({spread:.0%}) | {median(firsts):.2f} ({first_spread:.0%}) |"
        )
    return lines


def before_after(now, before):
    """The lines of the before/after table: every extrinsic measured in both whose figures moved."""
    lines = [
        "## Before and after",
        "",
        f"Before: revision {before.revision}, {len(before.runs)} runs (yardstick "
        f"{before.yard_summary()} µs). After: revision {now.revision},",
        f"{len(now.runs)} runs, the table above. Each side is the median of its own runs against its own",
        "runs' yardstick; spread as above. Only extrinsics whose reads, writes or ratio with storage",
        "moved by more than the larger of the two spreads are listed.",
        "",
        "| Pallet | Extrinsic | Reads before → after | Writes before → after | × transfer with storage, before (spread) | after (spread) | Change |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for pallet, name, first in now.extrinsics():
        if first["ref_time"] >= UNAVAILABLE_PS:
            continue
        old, new = before.figures(pallet, name), now.figures(pallet, name)
        if old is None or new is None:
            continue
        (wb, _, rb, sb), (wa, _, ra, sa) = old, new
        moved = abs(ra - rb) / rb > max(sb, sa) if rb else False
        if wb["reads"] == wa["reads"] and wb["writes"] == wa["writes"] and not moved:
            continue
        lines.append(
            f"| {pallet} | {name} | {wb['reads']} → {wa['reads']} | {wb['writes']} → {wa['writes']} | "
            f"{rb:.2f} ({sb:.0%}) | {ra:.2f} ({sa:.0%}) | {(ra - rb) / rb:+.0%} |"
        )
    return lines


def main():
    results_dir, output = Path(sys.argv[1]), Path(sys.argv[2])
    now = Measurement(results_dir)
    runs, yard = now.runs, now.yard
    yard_total = total_ps(yard)
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
        "shutdown, the fix and a redemption visit every type; for the liquidation engine, `n` vaults",
        "of one type liquidated in one block by each route (`execute_vaults_backstop`, `_auction`",
        "after the AMM's quote was refused, `_swap`; what the engine charges is below the table), the",
        "first receipt of a collateral apart (`execute_vault_unseeded`), a lending liquidation of an",
        "account in 8 markets, and pools paying `MaxGainAssets` (16) gains; for one-click leverage,",
        "a trader in all 8 lending markets, with the real lending pools, vaults and AMM, the flash",
        "loan, every lending or vault call and the swap inside the measured call.",
        "pallet-xcm's sends and transfers need a reachable destination, which Lever (no XCM",
        "transport yet) does not have: their weight is `Weight::MAX`, which keeps them out of blocks.",
        "",
        f"Revision: {now.revision}. Runs: {len(runs)}, each benchmarking every pallet in turn with the yardstick",
        "measured before each pallet and after the last; every figure below is the median of the",
        "runs, each ratio taken against the mean of the two yardstick measurements around its",
        "pallet in its own run. Spread: the largest minus the smallest of the runs' ratios with",
        "storage, as a share of their median.",
        "",
        f"Yardstick: `transfer_allow_death` executes in {yard['ref_time'] / 1e6:.1f} µs, the median of",
        f"every measurement (each the median of its own samples; per run, least–most and how many:",
        f"{now.yard_summary()} µs; spread {now.yard_spread:.0%}), with {yard['reads']} reads and",
        f"{yard['writes']} writes ({yard_total / 1e6:.1f} µs in all).",
        "",
        "| Pallet | Extrinsic | Worst case | Execution (µs) | Reads | Writes | × transfer (execution) | × transfer (with storage) | Spread |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for pallet, name, first in now.extrinsics():
        case = ", ".join(f"{c} = {v}" for c, v in first["components"].items()) or "-"
        if first["ref_time"] >= UNAVAILABLE_PS:
            lines.append(f"| {pallet} | {name} | {case} | unavailable (`Weight::MAX`) | | | | | |")
            continue
        w, execution, mid, spread = now.figures(pallet, name)
        lines.append(
            f"| {pallet} | {name} | {case} | {w['ref_time'] / 1e6:.1f} | {w['reads']} | {w['writes']} | "
            f"{execution:.2f} | {mid:.2f} | {spread:.0%} |"
        )
    batches = vault_batches(now)
    if batches:
        lines += [""] + batches
    if len(sys.argv) > 3:
        lines += [""] + before_after(now, Measurement(Path(sys.argv[3])))
    scale = kept_section(output)
    if scale:
        lines += ["", scale]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines) + "\n")
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
