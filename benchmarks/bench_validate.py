"""Validate a generated 10,000-activity program (120,000 readings in XLSX) in a fresh process.

Reports wall time, peak memory and the ratio to the floor (harness.floor), and checks that every injected error is
reported at its location.
Usage: python benchmarks/bench_validate.py [--activities N] [--errors K] [--runs R] [--python PATH]
"""

from __future__ import annotations

import json
import sys

from harness import arguments, floor, generated, ratio_line, timed

TARGET_SECONDS = 5.0


def main() -> int:
    def own(parser) -> None:
        parser.add_argument("--errors", type=int, default=40)
        parser.add_argument(
            "--messy", action="store_true", help="dates and kWh typed as text (normalised, grouped warnings)"
        )

    args = arguments(__doc__, 10_000, own)

    project = generated(args.dir, args.activities, args.errors, args.messy)
    listed = project / "expected_errors.json"
    expected = json.loads(listed.read_text(encoding="utf-8")) if listed.exists() else []
    jcredit = [args.python, "-m", "toolkit", "validate", str(project), "--format", "json"]
    times, result, peak_mb = timed(jcredit, args.runs)

    report = json.loads(result.stdout)
    found = {(error["location"], error["path"]) for error in report["errors"]}
    missing = [e for e in expected if (e["location"], e["path"]) not in found]
    rows = args.activities * 12
    best = min(times)
    print(
        f"activities: {args.activities:,}  readings: {rows:,}  injected errors: {len(expected)}  "
        f"reported errors: {len(report['errors'])}  warnings: {len(report['warnings'])}"
    )
    print(
        f"validate wall time: best {best:.2f} s, runs {', '.join(f'{t:.2f}' for t in times)} "
        f"(target ≤ {TARGET_SECONDS} s)"
    )
    print(f"peak memory (max RSS of a run): {peak_mb:.0f} MB")
    print(ratio_line("validate", times, floor(args.python, project, args.runs)))
    if missing:
        print(f"NOT REPORTED: {missing}")
    return 0 if not missing and result.returncode == (1 if expected else 0) else 1


if __name__ == "__main__":
    sys.exit(main())
