"""What the benchmarks share: a generated program (made once, kept in build/bench), timed fresh processes, and
the floor each job is measured against (a bare python-calamine read of the same workbooks).

Seconds vary a lot on shared machines; a job's ratio to the floor, measured in the same run, varies much less.
`--python` times another interpreter's `-m toolkit` (e.g. a frozen baseline install) on the same programs."""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH_DIR = HERE.parent / "build" / "bench"


def arguments(description: str, activities: int, extra=None) -> argparse.Namespace:
    """The options every benchmark takes (--activities, --runs, --dir, --python); `extra` adds its own to the parser."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--activities", type=int, default=activities)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=lambda path: Path(path).resolve(), default=BENCH_DIR)
    parser.add_argument(
        "--python",
        type=os.path.abspath,
        default=sys.executable,  # not resolved: keeps a venv's symlink
        help="interpreter whose `-m toolkit` is timed (default: this one); generate.py runs with this one",
    )
    if extra:
        extra(parser)
    return parser.parse_args()


def generated(
    folder: Path, activities: int, errors: int = 0, messy: bool = False, evidence: bool = False
) -> Path:
    """The generated program for these settings, made by generate.py the first time it is asked for.

    With `evidence`, the meter slips the readings name (and a few unreferenced ones) exist too, in a folder
    of its own (suffix -evidence), so the other settings keep theirs."""
    project = (
        folder / f"program-{activities}-{errors}{'-messy' if messy else ''}{'-evidence' if evidence else ''}"
    )
    stamp = project / ".generated-by"  # the generator's digest: a changed generator makes the program anew
    digest = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()
    fresh = stamp.is_file() and stamp.read_text() == digest
    if (
        not fresh or not (project / "monitoring" / "readings.xlsx").exists()
    ):  # the last file generate.py writes
        shutil.rmtree(project, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                str(project),
                "--activities",
                str(activities),
                "--errors",
                str(errors),
            ]
            + (["--messy"] if messy else [])
            + (["--evidence"] if evidence else []),
            check=True,
        )
        stamp.write_text(digest)
    return project


def timed(command: list[str], runs: int) -> tuple[list[float], subprocess.CompletedProcess, float]:
    """Wall times of `runs` fresh processes, the last one's result, and the peak memory (MB) of any child so far."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        # cwd: `python -m` puts the working directory first on sys.path, where a checkout's toolkit/ would shadow the
        # one installed for --python; benchmarks/ holds no package of that name
        result = subprocess.run(command, capture_output=True, text=True, cwd=HERE)
        times.append(time.perf_counter() - start)
    return times, result, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


FLOOR_SCRIPT = """\
import sys
from python_calamine import CalamineWorkbook
rows = []
for path in sys.argv[1:]:
    book = CalamineWorkbook.from_path(path)
    for name in book.sheet_names:
        rows.append(book.get_sheet_by_name(name).to_python())
"""


def floor(python: str, project: Path, runs: int) -> float:
    """Best wall time of a fresh `python` that only reads, with python-calamine, every sheet of every .xlsx under
    `project` into Python lists: start-up and reading, the part of any job on these workbooks it cannot skip.

    The workbooks are found here, untimed: walking 120,000 evidence files is not reading."""
    workbooks = [str(path) for path in sorted(project.rglob("*.xlsx"))]
    times, result, _ = timed([python, "-c", FLOOR_SCRIPT, *workbooks], runs)
    if result.returncode or not workbooks:
        sys.exit(f"floor read of {project} failed:\n{result.stderr[-2000:]}")
    return min(times)


def ratio_line(job: str, times: list[float], floor_seconds: float) -> str:
    """`job: best 2.81 s = 2.4× floor (floor 0.73 s)`: the job's best time over the floor's."""
    return f"{job}: best {min(times):.2f} s = {min(times) / floor_seconds:.1f}× floor (floor {floor_seconds:.2f} s)"


def rendered(
    python: str, document: str, project: Path, formats: str, runs: int
) -> tuple[list[float], int, float, dict]:
    """`runs` fresh renders of `document` into a new folder each: wall times, exit code, peak MB, output sizes."""
    times, code, peak, sizes = [], 0, 0.0, {}
    for _ in range(runs):
        out = Path(tempfile.mkdtemp(prefix="bench-render-")) / "out"
        run_times, result, peak = timed(
            [
                python,
                "-m",
                "toolkit",
                "render",
                document,
                str(project),
                "-o",
                str(out),
                "--format",
                formats,
                "-q",
            ],
            1,
        )
        times += run_times
        code = code or result.returncode
        if result.returncode:
            print(result.stderr[-2000:], file=sys.stderr)
        sizes = {path.name: path.stat().st_size for path in sorted(out.glob("*"))} if out.exists() else {}
        shutil.rmtree(out.parent, ignore_errors=True)
    return times, code, peak, sizes
