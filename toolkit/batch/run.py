"""`jcredit batch`: check every member row, then make every output, the members' papers in worker processes.

The work goes through the standard `concurrent.futures.Executor` interface: a ProcessPoolExecutor of
`workers` processes by default, or any executor given (a `dask.distributed` Client implements it). Each
job is a chunk of members and writes their files whole; a file already there is skipped, which is how
`resume` finishes only what is missing. Outputs never depend on the number of workers.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import logging
import os
import signal
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping

from toolkit import __version__
from toolkit.batch import memberdocs, outputs, workfolder
from toolkit.batch.members import Packed, check, unpack
from toolkit.errors import InputError, ToolkitError
from toolkit.problems import Location, Problem
from toolkit.read.hashing import sha256

log = logging.getLogger(__name__)
# members per job, whatever the workers (so the outputs are too): a DOCX takes about 2 ms, a PDF about 200 ms,
# and a job should take a second or so: little lost on a kill, the last jobs spread over every worker
CHUNK = {"docx": 200, "pdf": 5}
IN_FLIGHT = 2  # member jobs submitted per worker at a time: one running, one ready to start
MEMBER_FORMATS = ("docx", "pdf")


class Interrupted(ToolkitError):
    """Raised when a batch is stopped (Ctrl-C): what is finished stays in the work folder for --resume."""

    exit_code = 130


@dataclass
class Result:
    """A finished batch: the checked rows (the rejected ones, the accepted counted: the file of their packed
    values went with the work folder), the summary written and the output folder."""

    checked: Packed
    summary: dict
    outdir: Path


Progress = Callable[[int, int], None]


def batch(
    project_dir: Path,
    members: Path,
    outdir: Path,
    workers: int | None = None,
    resume: bool = False,
    formats: tuple[str, ...] = ("pdf", "docx", "xlsx"),
    joined_on: dt.date | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    lang: str = "ja",
) -> Result:
    """Check every row of `members` against the program in `project_dir` and write every output to `outdir`."""
    from toolkit.bundle import refuse_inputs
    from toolkit.documents.assemble import build_time
    from toolkit.pipeline import Run

    members = Path(members)
    if not members.is_file():
        raise InputError(
            str(members),
            [Problem("file_not_found", location=Location(str(members)), params={"found": str(members)})],
        )
    run = Run(Path(project_dir))
    project = run.project  # ValidationFailed while the project itself has errors
    if not project.program:
        raise InputError(
            str(project_dir),
            [
                Problem(
                    "batch_not_program",
                    "project.type",
                    project.locate("project.type"),
                    {"found": project.type or "—"},
                )
            ],
        )
    outdir = Path(outdir)
    refuse_inputs(
        outdir, project.root, [project.project_file, *project.files, members.resolve()], folder=True
    )
    workfolder.recover(outdir)
    workfolder.refuse_foreign(outdir)
    built = build_time()
    on = joined_on or built.date()
    state = {
        "members_sha256": sha256(members),
        "inputs": input_hashes(project),
        "formats": sorted(formats),
        "joined_on": on.isoformat(),
        "version": __version__,
    }
    # a members file that cannot be read leaves nothing behind; checked before the workers start, so that no
    # thread of ours runs when the check's own process is forked
    spill = _spill()
    try:
        checked = _checked(project, members, on, chunk_size(formats), spill)
        work = workfolder.start(outdir, state, resume)
        checked.chunks = checked.chunks.moved(work / workfolder.MEMBERS)  # where every job can read them
    finally:
        spill.unlink(missing_ok=True)
    own = executor is None
    pool = executor or _pool(workers)
    try:
        summary = _locked(
            run, checked, work, formats, built, on, (pool, own, workers), progress, lang, state, members
        )
    except KeyboardInterrupt:  # before the jobs started: what is there stays for --resume all the same
        raise Interrupted("interrupted", [Problem("batch.interrupted", severity="warning")]) from None
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
    workfolder.commit(work, outdir)
    return Result(checked, summary, outdir)


def _locked(run, checked, work, formats, built, on, executor, progress, lang, state, members) -> dict:
    from toolkit.bundle import folder_lock

    with folder_lock(work, wait=0):
        summary = _make(run, checked, work, formats, built, on, executor, progress, lang)
        summary["inputs"] = state["inputs"] | {
            "members": {"path": str(members), "sha256": state["members_sha256"]}
        }
        workfolder.write_json(work / workfolder.SUMMARY, summary)
    return summary


def _spill() -> Path:
    """A temporary file for the accepted members the check packs, until the work folder takes it."""
    import tempfile

    handle, name = tempfile.mkstemp(prefix="jcredit-batch-", suffix=".members")
    os.close(handle)
    return Path(name)


def _checked(project, members: Path, on: dt.date, size: int, spill: Path) -> Packed:
    """`members.check` in a forked process of its own, which ends with it: the sheet as read (the workbook
    reader's XML and grid, about 3 KB a row) stays with it, and what a process keeps once freed. What comes back
    is packed (`members.Packed`): the accepted rows in chunks of `size` (one job each), pickled into the
    file `spill` until a job or a list unpacks them. The child has the validated project already: it is not
    read again."""
    from toolkit.forked import in_child

    return in_child(check, project, members, on, size, spill)


def input_hashes(project) -> dict[str, str]:
    """The project's input files (project file, tables, factors, other programs) and their SHA-256."""
    files = {project.project_file, *project.files}
    for name in ("factors.yaml", "other_programs.csv"):
        if (project.root / name).is_file():
            files.add(project.root / name)
    return {project.relative(path): sha256(path) for path in sorted(files) if path.is_file()}


def _make(run, checked, work, formats, built, on, executor, progress, lang) -> dict:
    from toolkit import schema
    from toolkit.batch.members import as_standard, factors_of
    from toolkit.read import overrides

    project = run.project
    code = project.methodology.CODE
    table = schema.tables(code)["activities"]
    member_formats = tuple(fmt for fmt in MEMBER_FORMATS if fmt in formats)
    accepted = checked.accepted
    prepared = memberdocs.prepare(run, member_formats, built, on) if accepted and member_formats else []
    # each chunk computes its members' estimate itself: the program's fields and factors travel with it
    base = as_standard({**project.data, "activities": [], "monitoring": []})
    factors = factors_of(project)
    written = {}
    pool, own, count = executor  # the executor, whether it is ours, the workers asked for
    try:
        # the long lists first, each a job of its own, then the members' papers: every worker stays busy
        lists = [
            pool.submit(
                outputs.activity_list_job,
                project.root,
                checked.chunks,
                accepted,
                built,
                tuple(fmt for fmt in ("xlsx", "pdf") if fmt in formats),
                work,
                overrides.folder(project.root),
            ),
            pool.submit(
                outputs.monitoring_job, work / "monitoring-skeleton.xlsx", code, checked.chunks, on, built
            ),
        ]
        calls = ((prepared, base, factors, chunk, str(work / "members")) for chunk in checked.chunks)
        jobs = _Jobs(pool, write_chunk, calls, IN_FLIGHT * max(1, count or os.cpu_count() or 1))
        outputs.write_rejected(work / "rejected.xlsx", table, checked, built, lang)
        outputs.write_accepted(work / "accepted.xlsx", table, checked.accepted_rows(), built)
        sums = jobs.wait(accepted, progress)
        written["expected_by_fiscal_year"] = outputs.write_expected(work / "expected-reductions.csv", sums)
        for job in lists:
            job.result()
    except KeyboardInterrupt:
        if own:
            pool.shutdown(wait=False, cancel_futures=True)
        raise Interrupted("interrupted", [Problem("batch.interrupted", severity="warning")]) from None
    files = sorted(
        name
        for name in (
            "activity-list.pdf",
            "activity-list.xlsx",
            "rejected.xlsx",
            "accepted.xlsx",
            "monitoring-skeleton.xlsx",
            "expected-reductions.csv",
        )
        if (work / name).is_file()
    )
    return {
        "toolkit": "jcredit-toolkit batch",
        "version": __version__,
        "input_rows": checked.input_rows,
        "accepted": accepted,
        "rejected": len(checked.rejected),
        "rejections": [
            {
                "row": row.number,
                "id": row.data.get("id") or row.raw.get("id") or "",
                "reasons": [reason.as_json(lang) for reason in row.reasons],
            }
            for row in checked.rejected
        ],
        "accepted_ids": list(checked.accepted_ids()),
        "joined_on": on.isoformat(),
        "notes": [note.message(lang) for note in checked.notes],
        "outputs": {"files": files, "members": accepted * sum(len(item.files) for item in prepared)},
        **written,
    }


def chunk_size(formats: tuple[str, ...]) -> int:
    """Members per job: that of the slowest member format asked for (CHUNK), whatever the workers."""
    return min((CHUNK[fmt] for fmt in MEMBER_FORMATS if fmt in formats), default=CHUNK["docx"])


def _pool(workers: int | None) -> Executor:
    """The worker processes, started at once. What they inherit from the command (its objects, the packed
    rows) is frozen out of their cycle collector while they are forked: a collection would write to every
    object it looks at and so copy, page by page, what they share with the command (gc.freeze)."""
    from concurrent.futures import ProcessPoolExecutor

    gc.freeze()
    try:
        pool = ProcessPoolExecutor(
            max_workers=max(1, workers or os.cpu_count() or 1), initializer=_worker_start
        )
        pool.submit(int).result()  # the first job starts every worker (fork)
    finally:
        gc.unfreeze()  # in the command only: the workers keep theirs frozen
    return pool


def _worker_start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides: Ctrl-C stops it, and it stops the pool
    # a worker forked from the command line inherits its disabled cycle collector (cli.main), and WeasyPrint's
    # boxes of every member PDF refer to each other: without it they would stay until the pool ends
    gc.enable()


class _Jobs:
    """The member chunks, submitted a few at a time (IN_FLIGHT per worker): the rest wait as slices not yet
    taken, not as pickled jobs in the executor's queue. Their results come back in submission order, so the
    outputs are the same whatever the workers."""

    def __init__(self, pool: Executor, function: Callable, calls: Iterator[tuple], limit: int):
        self.pool, self.function, self.calls, self.limit = pool, function, calls, limit
        self.running: dict[Future, int] = {}
        self.results: dict[int, dict] = {}
        self.submitted = 0
        self.top_up()

    def top_up(self) -> None:
        """Submit jobs until `limit` are running or none is left."""
        for args in itertools.islice(self.calls, max(0, self.limit - len(self.running))):
            self.running[self.pool.submit(self.function, *args)] = self.submitted
            self.submitted += 1

    def wait(self, total: int, progress: Progress | None) -> list[dict]:
        """Wait for every job, reporting progress; their expected reductions in submission order."""
        done = 0
        if progress:
            progress(done, total)
        while self.running:
            finished, _ = wait(self.running, return_when=FIRST_COMPLETED)
            for future in finished:
                count, sums = future.result()
                self.results[self.running.pop(future)] = sums
                done += count
            self.top_up()
            if progress:
                progress(done, total)
        return [self.results[index] for index in range(self.submitted)]


def write_chunk(prepared: list, base: Mapping, factors, chunk: bytes, folder: str) -> tuple[int, dict]:
    """Write the papers of a chunk of members (`members.Packed.chunks`, in a worker); a file already there is
    left (--resume).

    Returns how many members and their expected reductions by fiscal year ({year: (t-CO2, members)})."""
    from toolkit.calculate.engine import calculate_data
    from toolkit.methodologies import get

    module = get(base["project"]["methodology"]["code"])
    rows = unpack(chunk)
    estimate = calculate_data({**base, "activities": list(rows)}, factors, plan=True)
    results = {result.activity_id: result for result in estimate.activities}
    folder_path = Path(folder)
    for row in rows:
        member = memberdocs.values(row, results.get(row["id"]), module)
        for item in prepared:
            for fmt, name in item.files.items():
                path = folder_path / f"{row['id']}-{name}"
                if not path.exists():
                    memberdocs.write_member(item, fmt, path, member)
    return len(rows), outputs.by_fiscal_year(results.values())
