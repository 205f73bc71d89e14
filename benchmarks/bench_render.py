"""`jcredit render`: the solar-program plan as PDF, and a 1,000-activity monitoring report as PDF + DOCX + XLSX.

Fresh processes, reading and calculation included. Reports wall time, peak memory, output sizes and, for the
monitoring report, the ratio to the floor (harness.floor).
Usage: python benchmarks/bench_render.py [--activities N] [--runs R] [--python PATH]
"""

from __future__ import annotations

import sys

from harness import HERE, arguments, floor, generated, ratio_line, rendered

PLAN_TARGET_SECONDS = 3.0
REPORT_TARGET_SECONDS = 60.0


def main() -> int:
    args = arguments(__doc__, 1_000)

    plan_times, plan_code, plan_peak, plan_sizes = rendered(
        args.python, "plan", HERE.parent / "samples" / "solar-program", "pdf", args.runs
    )
    print(
        f"plan PDF (solar-program): best {min(plan_times):.2f} s, runs {', '.join(f'{t:.2f}' for t in plan_times)} "
        f"(target ≤ {PLAN_TARGET_SECONDS} s); peak memory {plan_peak:.0f} MB; {plan_sizes}"
    )
    project = generated(args.dir, args.activities)
    report_times, report_code, report_peak, report_sizes = rendered(
        args.python, "monitoring", project, "pdf,docx,xlsx", max(1, args.runs - 1)
    )
    print(
        f"monitoring report PDF+DOCX+XLSX ({args.activities:,} activities, {args.activities * 12:,} readings): "
        f"best {min(report_times):.2f} s, runs {', '.join(f'{t:.2f}' for t in report_times)} "
        f"(target ≤ {REPORT_TARGET_SECONDS} s); peak memory {report_peak:.0f} MB"
    )
    print("  outputs: " + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in report_sizes.items()))
    print(ratio_line("monitoring report", report_times, floor(args.python, project, args.runs)))
    return 0 if plan_code == report_code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
