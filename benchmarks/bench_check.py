"""`jcredit check` on a generated 10,000-activity EN-R-002 program with 12 months of readings and their evidence files.

Fresh processes, reading, validation, calculation, rule checks and SHA-256 of every evidence file included.
Reports wall time, peak memory and the ratio to the floor (harness.floor).
Usage: python benchmarks/bench_check.py [--activities N] [--runs R] [--python PATH]
"""

from __future__ import annotations

import json
import sys

from harness import arguments, floor, generated, ratio_line, timed

TARGET_SECONDS = 10.0


def main() -> int:
    args = arguments(__doc__, 10_000)

    project = generated(args.dir, args.activities, evidence=True)
    stage_times = {}
    for stage in ("registration", "verification"):
        command = [args.python, "-m", "toolkit", "check", str(project), "--stage", stage, "--format", "json"]
        times, result, peak_mb = timed(command, args.runs)
        stage_times[stage] = times
        if result.returncode not in (0, 1):
            print(result.stderr[-2000:], file=sys.stderr)
            return 1
        report = json.loads(result.stdout)
        print(
            f"check --stage {stage}: best {min(times):.2f} s, runs {', '.join(f'{t:.2f}' for t in times)} "
            f"(target ≤ {TARGET_SECONDS} s); peak memory so far {peak_mb:.0f} MB; ready {report['ready']}, "
            f"findings {report['counts']}, evidence files hashed {len(report['evidence']):,}"
        )
    floor_seconds = floor(args.python, project, args.runs)
    for stage, times in stage_times.items():
        print(ratio_line(f"check --stage {stage}", times, floor_seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
