"""`jcredit check` on a generated 10,000-activity EN-R-002 program with 12 months of readings and their evidence files.

Fresh processes, reading, validation, calculation, rule checks and SHA-256 of every evidence file included.
Usage: python benchmarks/bench_check.py [--activities N] [--runs R]
"""

from __future__ import annotations

import json
import sys

from harness import arguments, generated, timed

TARGET_SECONDS = 10.0


def main() -> int:
    args = arguments(__doc__, 10_000)

    project = generated(args.dir, args.activities, evidence=True)
    for stage in ("registration", "verification"):
        command = [sys.executable, "-m", "toolkit", "check", str(project), "--stage", stage, "--format", "json"]
        times, result, peak_mb = timed(command, args.runs)
        if result.returncode not in (0, 1):
            print(result.stderr[-2000:], file=sys.stderr)
            return 1
        report = json.loads(result.stdout)
        print(f"check --stage {stage}: best {min(times):.2f} s, runs {', '.join(f'{t:.2f}' for t in times)} "
              f"(target ≤ {TARGET_SECONDS} s); peak memory so far {peak_mb:.0f} MB; ready {report['ready']}, "
              f"findings {report['counts']}, evidence files hashed {len(report['evidence']):,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
