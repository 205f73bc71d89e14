"""`jcredit batch`: 10,000 generated members of samples/solar-program, each with its DOCX papers, and the activity list
XLSX; the peak memory of the whole process tree at 2,000 and 10,000 members; 1 worker against 2; and per-member PDF
for 1,000 members against a plain loop calling WeasyPrint on the same HTML in one process.

Goals (issue 11): 10,000 members ≤ 120 s with 2 workers; peak memory of the process tree < 500 MB and not growing
with the batch size; throughput with 2 workers ≥ 1.7× that with 1; PDF with 2 workers ≥ 1.7× faster than the loop.
Usage: python benchmarks/bench_batch.py [--members N] [--small N] [--pdf-members N] [--runs R] [--skip-pdf]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "samples" / "solar-program"
BENCH_DIR = HERE.parent / "build" / "bench"
EPOCH = "1775001600"  # 2026-04-01
HEADERS = [
    "活動ID",
    "名称",
    "都道府県",
    "設置住所",
    "設備容量(kW)",
    "運転開始日",
    "家庭用",
    "FIT/FIP",
    "蓄電池",
]
HEADERS += ["1kWあたり年間発電量の見込み(kWh/kW/年)", "自家消費率の見込み(%)"]
SURNAMES = "青木 石川 井上 岩田 上田 大野 岡本 加藤 川口 木村 小島 近藤 坂本 佐野 島田 杉山 高木 竹内 田村 中島".split()
CITIES = ["岐阜市", "各務原市", "羽島市", "瑞穂市", "羽島郡岐南町", "本巣郡北方町"]


def members_workbook(folder: Path, count: int) -> Path:
    """A members workbook of `count` distinct good members (no IDs: the batch gives them), made once."""
    from openpyxl import Workbook

    path = folder / f"members-{count}.xlsx"
    if path.is_file():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(count)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("活動一覧")
    sheet.append(HEADERS)
    for number in range(count):
        sheet.append(
            [
                None,
                f"{rng.choice(SURNAMES)} 会員{number:05d} 様邸",
                "岐阜県",
                f"{rng.choice(CITIES)}新町{number // 50 + 1}丁目{number % 50 + 1}番地{rng.randint(1, 20)}",
                round(rng.uniform(3.2, 9.8), 2),
                dt.date(2025, 4, 1) + dt.timedelta(days=rng.randrange(330)),
                "はい",
                "はい" if rng.random() < 0.6 else "いいえ",
                "いいえ",
                1200,
                30,
            ]
        )
    temporary = path.with_suffix(".part")
    book.save(temporary)
    os.replace(temporary, path)
    return path


def _memory(pid: int) -> int:
    """A process's proportional set size (bytes): pages shared with its forked workers counted once across them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(
        f"/proc/{pid}/statm"
    ) as handle:  # no smaps_rollup: resident pages, shared ones counted each time
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _tree_rss(pid: int) -> int:
    """Memory (bytes, PSS) of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            total += _memory(current)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_batch(python: str, members: Path, workers: int, formats: str) -> tuple[float, float, int]:
    """One fresh `jcredit batch`: wall seconds, peak MB of the whole process tree (sampled every 50 ms), exit code."""
    out = Path(tempfile.mkdtemp(prefix="bench-batch-")) / "out"
    project = out.parent / "solar-program"
    shutil.copytree(SAMPLE, project)
    command = [python, "-m", "toolkit", "batch", str(project), str(members), "-o", str(out)]
    command += ["--workers", str(workers), "--format", formats, "-q", "--summary-format", "json"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=HERE, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.returncode:
        print(process.stderr.read().decode()[-2000:], file=sys.stderr)
    shutil.rmtree(out.parent, ignore_errors=True)
    return seconds, peak / 1e6, process.returncode


PDF_LOOP = """\
import sys, datetime as dt
from pathlib import Path
from toolkit.pipeline import Run
from toolkit.batch import memberdocs
from toolkit.documents.assemble import build_time
from weasyprint import HTML
count, out = int(sys.argv[1]), Path(sys.argv[2])
run = Run(Path(sys.argv[3]))
prepared = memberdocs.prepare(run, ("pdf",), build_time(), dt.date(2026, 4, 1))
for number in range(count):
    member = {key: f"{key} {number}" for key in memberdocs.KEYS}
    for item in prepared:
        source = memberdocs.fill_html(item.html, member)
        HTML(string=source).write_pdf(out / f"{number}-{item.kind}.pdf")
"""


def pdf_loop(python: str, count: int) -> float:
    """A plain loop calling WeasyPrint on the same HTML, in one process: seconds for `count` members' papers."""
    out = Path(tempfile.mkdtemp(prefix="bench-pdf-loop-"))
    start = time.perf_counter()
    subprocess.run([python, "-c", PDF_LOOP, str(count), str(out), str(SAMPLE)], cwd=HERE, check=True)
    seconds = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument(
        "--small", type=int, default=2_000, help="the smaller batch, for the memory comparison"
    )
    parser.add_argument("--pdf-members", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--dir", type=lambda path: Path(path).resolve(), default=BENCH_DIR)
    parser.add_argument("--python", type=os.path.abspath, default=sys.executable)
    args = parser.parse_args()
    big = members_workbook(args.dir, args.members)
    small = members_workbook(args.dir, args.small)
    status = 0

    def best(members: Path, workers: int, formats: str) -> tuple[float, float]:
        nonlocal status
        results = [run_batch(args.python, members, workers, formats) for _ in range(args.runs)]
        status = status or max(code for _, _, code in results)
        return min(seconds for seconds, _, _ in results), max(peak for _, peak, _ in results)

    two, peak_big = best(big, 2, "docx,xlsx")
    one, _ = best(big, 1, "docx,xlsx")
    _, peak_small = best(small, 2, "docx,xlsx")
    print(
        f"batch docx+xlsx, {args.members:,} members: 2 workers {two:.1f} s (goal ≤ 120 s), "
        f"1 worker {one:.1f} s; throughput 2 vs 1 workers {one / two:.2f}× (goal ≥ 1.7×)"
    )
    print(
        f"peak memory of the process tree: {peak_small:.0f} MB at {args.small:,} members, "
        f"{peak_big:.0f} MB at {args.members:,} (goal < 500 MB, not growing)"
    )
    if not args.skip_pdf:
        pdf_members = members_workbook(args.dir, args.pdf_members)
        batch_pdf, _ = best(pdf_members, 2, "pdf")
        loop = pdf_loop(args.python, args.pdf_members)
        print(
            f"per-member PDF, {args.pdf_members:,} members (2 documents each): batch with 2 workers "
            f"{batch_pdf:.1f} s (the activity list PDF included), plain WeasyPrint loop {loop:.1f} s: "
            f"{loop / batch_pdf:.2f}× (goal ≥ 1.7×)"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
