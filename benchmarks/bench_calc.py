"""`jcredit calc` (text, JSON, JSON --detail) on a generated 10,000-activity EN-R-002 program (120,000 readings),
reading included.

Reports wall time and peak memory of a fresh process, and the ratio to the floor (harness.floor).
Usage: python benchmarks/bench_calc.py [--activities N] [--runs R] [--python PATH]
"""

from __future__ import annotations

import json
import sys
from decimal import ROUND_DOWN, Decimal

from harness import arguments, floor, generated, ratio_line, timed

TARGET_SECONDS = 5.0


def main() -> int:
    args = arguments(__doc__, 10_000)

    project = generated(args.dir, args.activities)
    base = [args.python, "-m", "toolkit", "calc", str(project)]
    text_times, text, text_peak_mb = timed(base, args.runs)
    times, result, peak_mb = timed(base + ["--format", "json"], args.runs)
    detail_times, detail, detail_peak_mb = timed(base + ["--format", "json", "--detail"], args.runs)
    report = json.loads(result.stdout)
    exact = Decimal(report["total_reduction_exact_t"])
    periods = sum(len(activity["periods"]) for activity in report["activities"])
    print(
        f"activities: {len(report['activities']):,}  period results: {periods:,}  "
        f"total: {report['total_reduction_t']:,} t-CO2 (exact {exact})"
    )
    jobs = (
        ("text", text_times, text_peak_mb),
        ("json", times, peak_mb),
        ("json --detail", detail_times, detail_peak_mb),
    )
    for name, runs, peak in jobs:
        print(
            f"calc ({name}) wall time: best {min(runs):.2f} s, runs {', '.join(f'{t:.2f}' for t in runs)} "
            f"(target ≤ {TARGET_SECONDS} s); peak memory so far {peak:.0f} MB"
        )
    floor_seconds = floor(args.python, project, args.runs)
    for name, runs, _ in jobs:
        print(ratio_line(f"calc ({name})", runs, floor_seconds))
    consistent = report["total_reduction_t"] == int(exact.to_integral_value(rounding=ROUND_DOWN))
    return 0 if result.returncode == text.returncode == detail.returncode == 0 and consistent else 1


if __name__ == "__main__":
    sys.exit(main())
