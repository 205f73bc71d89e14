"""`jcredit calc` on a generated 10,000-activity EN-R-002 program (120,000 readings), reading included.

Reports wall time and peak memory of a fresh process. Usage: python benchmarks/bench_calc.py [--activities N] [--runs R]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_SECONDS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=HERE.parent / "build" / "bench")
    args = parser.parse_args()

    project = args.dir / f"program-{args.activities}-0"
    if not (project / "factors.yaml").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(project), "--activities", str(args.activities)],
                       check=True)
    base = [sys.executable, "-m", "toolkit", "calc", str(project)]
    text_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        text = subprocess.run(base, capture_output=True, text=True)
        text_times.append(time.perf_counter() - start)
    text_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = subprocess.run(base + ["--format", "json"], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = json.loads(result.stdout)
    exact = Decimal(report["total_reduction_exact_t"])
    periods = sum(len(activity["periods"]) for activity in report["activities"])
    print(f"activities: {len(report['activities']):,}  period results: {periods:,}  "
          f"total: {report['total_reduction_t']:,} t-CO2 (exact {exact})")
    for name, runs, peak in (("text", text_times, text_peak_mb), ("json", times, peak_mb)):
        print(f"calc ({name}) wall time: best {min(runs):.2f} s, runs {', '.join(f'{t:.2f}' for t in runs)} "
              f"(target ≤ {TARGET_SECONDS} s); peak memory so far {peak:.0f} MB")
    consistent = report["total_reduction_t"] == int(exact.to_integral_value(rounding=ROUND_DOWN))
    return 0 if result.returncode == text.returncode == 0 and consistent else 1


if __name__ == "__main__":
    sys.exit(main())
