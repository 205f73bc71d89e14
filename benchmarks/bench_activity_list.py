"""`jcredit render activity-list`: the activity list of a generated 10,000-activity program as PDF.

Fresh process, reading and calculation included. Reports wall time, peak memory, pages and size: the list is
the longest document a program renders (issue 14 measured 10 min 31 s and 14.5 GB for 50,000 activities).
Usage: python benchmarks/bench_activity_list.py [--activities N] [--runs R] [--python PATH]
"""

from __future__ import annotations

import sys

from harness import arguments, generated, rendered

TARGET_SECONDS = 300.0


def main() -> int:
    args = arguments(__doc__, 10_000)
    project = generated(args.dir, args.activities)
    times, code, peak, sizes = rendered(args.python, "activity-list", project, "pdf", args.runs)
    print(
        f"activity list PDF ({args.activities:,} activities): best {min(times):.2f} s, "
        f"runs {', '.join(f'{t:.2f}' for t in times)} (target ≤ {TARGET_SECONDS:.0f} s); peak memory {peak:.0f} MB; "
        + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sizes.items() if not name.startswith("."))
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
