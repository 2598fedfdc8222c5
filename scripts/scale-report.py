#!/usr/bin/env python3
"""Writes the liquidation scale test's report (its SCALE lines) into docs/PERFORMANCE.md, between
the markers performance-report.py keeps, and prints it.

Usage: scale-report.py TEST_OUTPUT OUTPUT.md
"""

import re
import sys
from datetime import date
from pathlib import Path

SCALE_BEGIN = "<!-- scale-test: begin -->"
SCALE_END = "<!-- scale-test: end -->"


def fields(line):
    return dict(re.findall(r"(\w+)=(\S+)", line))


def tagged(lines, tag):
    """The fields of every line carrying `tag` (the test harness may print its own text first)."""
    return [fields(line.split(tag, 1)[1]) for line in lines if tag in line]


def report(lines):
    scale = tagged(lines, "SCALE ")
    summary = {}
    blocks = []
    for entry in scale:
        if "block" in entry:
            blocks.append(entry)
        else:
            summary.update(entry)
    if not blocks or "unsafe_vaults" not in summary:
        raise SystemExit("the test output has no SCALE report")
    out = [
        SCALE_BEGIN,
        "## Liquidation at scale",
        "",
        f"`scripts/scale-test.sh`, {date.today().isoformat()}: the runtime with the weights above, "
        f"{summary['vaults']} vaults and {summary['lending_accounts']} lending accounts of varied "
        "sizes, then DOT falls 50% in one block. The engine may use "
        f"{int(summary['budget']) / 1e6:.0f} ms of each block (a quarter); one vault costs "
        f"{int(summary['enqueue']) / 1e3:.0f} µs to queue and "
        + (
            f"at most {int(summary['execute_vault']) / 1e3:.0f} µs to liquidate (the backstop and the "
            "heavier of an auction and the AMM), over at most "
            f"{int(summary['execute_vault_type']) / 1e3:.0f} µs once a block for the items its type's "
            "liquidations share"
            if "execute_vault_type" in summary
            else f"{int(summary['execute_vault']) / 1e3:.0f} µs to liquidate"
        )
        + f"; one lending account {int(summary['execute_lending']) / 1e3:.0f} µs.",
        "",
        f"Unsafe at the crash: {summary['unsafe_vaults']} vaults and {summary['unsafe_accounts']} "
        f"lending accounts. All were liquidated in {summary['blocks']} blocks (the weights predict at "
        f"most {summary['predicted_max']}); the vaults alone in {summary['vault_blocks']} (predicted "
        f"at most {summary['predicted_vault_blocks']}): {summary['vaults_liquidated_whole']} whole "
        f"and {summary['vaults_liquidated_in_part']} in part, back to their target ratio. At most "
        f"{max(int(entry['liquidations']) for entry in blocks)} liquidations in a block. No block "
        "went over the budget and no safe position was touched. The first blocks queue the unsafe "
        "vaults; lending accounts are found by the offchain sweep, 200 a block "
        f"({summary['sweep_blocks']} blocks for all), and flagged in the next block.",
        "",
        "| Block after the crash | Liquidations | Budget used |",
        "|---:|---:|---:|",
    ]
    for entry in blocks:
        out.append(f"| {entry['block']} | {entry['liquidations']} | {entry['budget_used_percent']}% |")
    scarce = tagged(lines, "SCALE-SCARCE ")
    if not scarce:
        raise SystemExit("the test output has no SCALE-SCARCE report")
    run = scarce[0]
    out += [
        "",
        "### With scarce routes",
        "",
        f"The same {run['lending_accounts']} lending accounts alone, with DOT's cash fully lent out "
        "(no DOT can be paid or sold) and the USDC backstop holding half the debt DOT's 50% fall "
        f"makes unsafe: {run['unsafe_accounts']} accounts owing ${run['unsafe_debt_usd']} against "
        f"${run['backstop_usd']} of deposits. Every one was liquidated or written off in "
        f"{run['blocks']} blocks (the weights predict at most {run['predicted_max']}): "
        f"{run['backstop_liquidations']} liquidations by the backstop (in DOT supply shares), "
        f"{run['taken_over']} take-overs by the pairs' books once it was spent, and "
        f"{run['written_off']} write-offs. The busiest block used {run['max_budget_used_percent']}% "
        f"of the budget. Afterwards {run['books']} books owe ${run['book_debt_usd']}, backed by the "
        "DOT supply shares they took (with the bonus); they are liquidated as soon as the backstop "
        "gets deposits, the DOT market gets cash, or anyone repays for them.",
    ]
    out.append(SCALE_END)
    return "\n".join(out)


def main():
    log, output = Path(sys.argv[1]), Path(sys.argv[2])
    section = report(log.read_text().splitlines())
    text = output.read_text() if output.exists() else "# Performance\n"
    start, end = text.find(SCALE_BEGIN), text.find(SCALE_END)
    if 0 <= start < end:
        text = text[:start] + section + text[end + len(SCALE_END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    output.write_text(text)
    print(section)


if __name__ == "__main__":
    main()
