"""What the benchmarks share: a generated program (made once, kept in build/bench) and timed fresh processes."""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH_DIR = HERE.parent / "build" / "bench"


def arguments(description: str, activities: int, extra=None) -> argparse.Namespace:
    """The options every benchmark takes (--activities, --runs, --dir); `extra` adds its own to the parser."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--activities", type=int, default=activities)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=BENCH_DIR)
    if extra:
        extra(parser)
    return parser.parse_args()


def generated(folder: Path, activities: int, errors: int = 0, messy: bool = False, evidence: bool = False) -> Path:
    """The generated program for these settings, made by generate.py the first time it is asked for.

    With `evidence`, the meter slips the readings name (and a few unreferenced ones) exist too, in a folder
    of its own (suffix -evidence), so the other settings keep theirs."""
    project = folder / f"program-{activities}-{errors}{'-messy' if messy else ''}{'-evidence' if evidence else ''}"
    if not (project / "monitoring" / "readings.xlsx").exists():  # the last file generate.py writes
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(project), "--activities", str(activities),
                        "--errors", str(errors)] + (["--messy"] if messy else [])
                       + (["--evidence"] if evidence else []), check=True)
    return project


def timed(command: list[str], runs: int) -> tuple[list[float], subprocess.CompletedProcess, float]:
    """Wall times of `runs` fresh processes, the last one's result, and the peak memory (MB) of any child so far."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
    return times, result, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
