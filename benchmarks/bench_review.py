"""Review comments on a generated 10,000-activity EN-R-002 program: what N open comments cost each command.

A copy of the program gets a review.yaml of --comments open comments (fields of the plan and activity rows,
a tenth blocking); then fresh processes time `review add` (one more comment: reads the project to check the
path), `review list`, `review export`, `check`, and `render plan` as DOCX and as PDF, each with the comments
and, for the render and check, without them (the overhead is the difference).
Usage: python benchmarks/bench_review.py [--activities N] [--comments C] [--runs R] [--python PATH]
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

from harness import arguments, generated, rendered, timed

FIELDS = ("proponent.postal_code", "project.name", "proponent.name", "proponent.representative.name")


def review_file(project: Path, comments: int, activities: int) -> None:
    """Write `comments` open comments into project/review.yaml with the toolkit's own writer."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from toolkit.review import store

    day = dt.date(2026, 12, 4)
    made = []
    for number in range(1, comments + 1):
        path = (
            FIELDS[number % len(FIELDS)]
            if number % 2
            else f"activities[{(number * 7919) % activities}].capacity_kw"
        )
        text = f"コメント {number}: 値を確認してください（根拠資料の頁も）"
        made.append(store.Comment(f"C{number}", path, "coach", day, text, blocking=number % 10 == 0))
    store.write(store.Review(project, made))


def main() -> int:
    args = arguments(__doc__, 10_000, lambda parser: parser.add_argument("--comments", type=int, default=200))
    source = generated(args.dir, args.activities)
    work = Path(tempfile.mkdtemp(prefix="bench-review-"))
    try:
        project = work / "program"
        shutil.copytree(source, project)
        bare = [args.python, "-m", "toolkit"]
        results = {}
        for with_comments in (False, True):
            if with_comments:
                review_file(project, args.comments, args.activities)
            label = f"{args.comments} comments" if with_comments else "no comments"
            times, result, _ = timed([*bare, "check", str(project), "--format", "json"], args.runs)
            results[f"check ({label})"] = times
            for formats in ("docx", "pdf"):
                times, code, _, _ = rendered(args.python, "plan", project, formats, args.runs)
                if code:
                    return 1
                results[f"render plan --format {formats} ({label})"] = times
        add = [*bare, "review", "add", str(project), "proponent.postal_code", "one more", "--author", "bench"]
        results["review add"] = timed(add, 1)[0]
        results["review list"] = timed([*bare, "review", "list", str(project)], args.runs)[0]
        out = work / "review.xlsx"
        export = [*bare, "review", "export", str(project), "-o", str(out), "--force"]
        times, result, peak = timed(export, args.runs)
        if result.returncode:
            print(result.stderr[-2000:], file=sys.stderr)
            return 1
        results["review export"] = times
        for job, times in results.items():
            print(f"{job}: best {min(times):.2f} s, runs {', '.join(f'{t:.2f}' for t in times)}")
        print(f"peak memory so far {peak:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
