"""`jcredit check --stage verification` as text, JSON, HTML and XLSX when every reading's evidence file is missing.

The generated 10,000-activity EN-R-002 program without its evidence folder: 120,000 R-EVID-FILE findings, the
worst case of one rule over many rows. The terminal shows them as one line (count and first rows); JSON, the
sheet and the page's expandable list carry all of them. Fresh processes, reading to writing included.
Reports wall time, peak memory, the text's line count and the output sizes.
Usage: python benchmarks/bench_check_forms.py [--activities N] [--runs R] [--python PATH]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from harness import arguments, generated, timed

TARGET_SECONDS = 30.0  # per form, on the 10,000-activity program
FORMS = ("text", "json", "html", "xlsx")


def main() -> int:
    args = arguments(__doc__, 10_000)
    project = generated(args.dir, args.activities)  # no evidence files: every reading's is missing
    with tempfile.TemporaryDirectory(prefix="bench-check-forms-") as folder:
        for form in FORMS:
            out = Path(folder) / f"check.{form}"
            command = [args.python, "-m", "toolkit", "check", str(project), "--stage", "verification"]
            command += ["--format", form] + (["-o", str(out), "--force"] if form in ("html", "xlsx") else [])
            times, result, peak_mb = timed(command, args.runs)
            if result.returncode not in (0, 1):
                print(result.stderr[-2000:], file=sys.stderr)
                return 1
            if form in ("text", "json"):
                out.write_text(result.stdout, encoding="utf-8")
            size = out.stat().st_size
            shown = f"{len(result.stdout.splitlines())} lines, " if form == "text" else ""
            print(
                f"check --format {form} ({args.activities:,} activities, every evidence file missing): "
                f"best {min(times):.2f} s, runs {', '.join(f'{t:.2f}' for t in times)} (target ≤ {TARGET_SECONDS} s); "
                f"peak memory so far {peak_mb:.0f} MB; {shown}{size / 1e6:.1f} MB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
