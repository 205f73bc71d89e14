"""`jcredit diff` of two versions of a generated 10,000-activity EN-R-002 program (120,000 readings each).

The second version is the generated program with, as a proponent would send it back: one reading changed
(the first row's generation 10 kWh higher), the factor override changed (0.000441 -> 0.000450), one
activity's capacity changed and one activity added (with evidence, one meter slip edited too). It is made
once, next to the program, and made anew when generate.py or this file changes.

Times, in fresh processes: the diff (both sides read, validated, calculated and checked, then compared)
and, for the split, `calc` of one side (the expensive part of each side). Checks that the diff lists
exactly the changes made. Goal: diff ≤ 5 s.
Usage: python benchmarks/bench_diff.py [--activities N] [--runs R] [--python PATH] [--evidence]
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

from harness import HERE, arguments, floor, generated, ratio_line, timed

TARGET_SECONDS = 5.0
NEW_ID = "PV-NEW-01"


def second_version(project: Path) -> Path:
    """The program with the changes above, in a folder of its own beside it (made once per generator)."""
    target = project.with_name(project.name + "-v2")
    stamp = target / ".generated-by"
    digest = hashlib.sha256((HERE / "generate.py").read_bytes() + Path(__file__).read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text() == digest:
        return target
    from openpyxl import Workbook, load_workbook

    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(project, target, ignore=shutil.ignore_patterns(".generated-by"))
    factors = target / "factors.yaml"
    factors.write_text(
        factors.read_text(encoding="utf-8").replace("0.000441", "0.000450", 1), encoding="utf-8"
    )
    # streamed: a normal openpyxl load of 120,000 rows takes minutes
    for name, change in (("activities.xlsx", _activities), ("monitoring/readings.xlsx", _readings)):
        path = target / name
        source = load_workbook(path, read_only=True)
        book = Workbook(write_only=True)
        for sheet in source.worksheets:
            out = book.create_sheet(sheet.title)
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            for row in change(sheet.title, rows):
                out.append(row)
        source.close()
        book.save(path)
    slips = sorted((target / "evidence").rglob("*.pdf")) if (target / "evidence").is_dir() else []
    if slips:
        slips[0].write_bytes(slips[0].read_bytes() + b"\n% corrected\n")
    stamp.write_text(digest)
    return target


def _activities(sheet: str, rows: list[list]) -> list[list]:
    header = rows[0]
    capacity = header.index("設備容量(kW)")
    rows[1][capacity] = (rows[1][capacity] or 0) + 1  # the first activity: 1 kW more
    added = list(rows[-1])
    added[header.index("活動ID")] = NEW_ID
    return [*rows, added]


def _readings(sheet: str, rows: list[list]) -> list[list]:
    header = rows[0]
    generation = next(
        index for index, title in enumerate(header) if title and str(title).startswith("発電量")
    )
    rows[1][generation] = (rows[1][generation] or 0) + 10
    return rows


def main() -> int:
    args = arguments(__doc__, 10_000, lambda parser: parser.add_argument("--evidence", action="store_true"))

    old = generated(args.dir, args.activities, evidence=args.evidence)
    new = second_version(old)
    command = [args.python, "-m", "toolkit", "diff", str(old), str(new), "--format", "json"]
    times, result, peak_mb = timed(command, args.runs)
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        return 1
    report = json.loads(result.stdout)
    monitored = next(item for item in report["results"] if item["kind"] == "monitored")
    print(
        f"diff ({args.activities:,} activities{', evidence files hashed' if args.evidence else ''}): "
        f"best {min(times):.2f} s, runs {', '.join(f'{t:.2f}' for t in times)} (target ≤ {TARGET_SECONDS} s); "
        f"peak memory so far {peak_mb:.0f} MB; changes {report['counts']}; activities added "
        f"{report['activities']['added']}; monitored total {monitored['old_total']} -> {monitored['new_total']}"
    )
    expected = {"fields": 2, "rows": 1, "factors": 1}
    wrong = {key: report["counts"][key] for key in expected if report["counts"][key] != expected[key]}
    if wrong or report["activities"]["added"] != [NEW_ID]:
        print(f"the diff does not list the changes made: {wrong or report['activities']}", file=sys.stderr)
        return 1
    calc_times, calc, _ = timed([args.python, "-m", "toolkit", "calc", str(new), "-q"], args.runs)
    print(f"calc of one side, for the split: best {min(calc_times):.2f} s (exit {calc.returncode})")
    floor_seconds = floor(args.python, old, args.runs)
    print(ratio_line("diff", times, floor_seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
