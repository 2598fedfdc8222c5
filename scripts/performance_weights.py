"""Reads the weight files `lever-node benchmark pallet` writes: each extrinsic at its worst case
(every component at the top of its benchmarked range), with ParityDb's storage weights, the
runtime's `DbWeight`. Shared by performance-report.py and median-weights.py."""

import re

# ParityDbWeight, in picoseconds (frame_support::weights::constants::ParityDbWeight).
DB_READ_PS = 8_000_000
DB_WRITE_PS = 50_000_000
YARDSTICK = ("pallet_balances", "transfer_allow_death")
# Benchmarks that cannot run on this chain report Weight::MAX (e.g. pallet-xcm's sends and
# transfers, with no XCM transport); anything this heavy is listed as unavailable.
UNAVAILABLE_PS = 2**63


def number(text):
    return int(text.replace("_", ""))


def parse_weights(path):
    """{extrinsic: dict(ref_time, reads, writes, components, base, per)}: the weight at each
    component's maximum, each component's range top, the weight with every component at zero
    (`base`) and what each unit of a component adds (`per`, by component), each as a dict of
    ref_time, reads and writes."""
    text = path.read_text()
    # Only the runtime implementation (the first `impl ... for WeightInfo<T>` block).
    body = text.split("for WeightInfo<T>", 1)[-1]
    results = {}
    for match in re.finditer(r"((?:\s*///[^\n]*\n)*)\s*fn (\w+)\(([^)]*)\) -> Weight \{(.*?)\n\t\}", body, re.S):
        docs, name, params, code = match.groups()
        ranges = {c: number(hi) for c, hi in re.findall(r"The range of component `(\w+)` is `\[[\d_]+, ([\d_]+)\]`", docs)}
        found = re.search(r"^\s*Weight::from_parts\(([\d_]+), ([\d_]+)\)", code, re.M)
        base = {
            "ref_time": number(found.group(1)) if found else 0,
            "reads": sum(number(n) for n in re.findall(r"reads\(([\d_]+)(?:_u64)?\)", code)),
            "writes": sum(number(n) for n in re.findall(r"writes\(([\d_]+)(?:_u64)?\)", code)),
        }
        per = {c: {"ref_time": 0, "reads": 0, "writes": 0} for c in ranges}
        patterns = {
            "ref_time": r"Weight::from_parts\(([\d_]+), 0\)\.saturating_mul\((\w+)\.into\(\)\)",
            "reads": r"reads\(\(([\d_]+)_u64\)\.saturating_mul\((\w+)\.into\(\)\)\)",
            "writes": r"writes\(\(([\d_]+)_u64\)\.saturating_mul\((\w+)\.into\(\)\)\)",
        }
        for key, pattern in patterns.items():
            for n, component in re.findall(pattern, code):
                per.setdefault(component, {"ref_time": 0, "reads": 0, "writes": 0})[key] += number(n)
        top = {
            key: base[key] + sum(per[c][key] * ranges.get(c, 0) for c in per)
            for key in ("ref_time", "reads", "writes")
        }
        results[name] = dict(top, components=ranges, base=base, per=per)
    return results


def total_ps(weight):
    """Execution plus storage at ParityDb's weights, in picoseconds."""
    return weight["ref_time"] + weight["reads"] * DB_READ_PS + weight["writes"] * DB_WRITE_PS
