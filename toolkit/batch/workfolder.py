"""A batch's output folder, always whole: the work happens in a sibling folder, swapped in when complete.

`OUTDIR` keeps its previous state until the batch is done. The work folder (`.OUTDIR.jcredit-batch`) holds
what is finished so far and `state.json` (the inputs' hashes and the options): `--resume` continues it
only when both are unchanged, so the result is the one an uninterrupted run gives.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path
from typing import Any, Mapping

from toolkit.bundle import not_writable
from toolkit.errors import OutputError
from toolkit.problems import Location, Problem

STATE = "state.json"
SUMMARY = "summary.json"
MEMBERS = ".members.pickle"  # the accepted members packed by the check, read by the jobs (members.Chunks)


def work_folder(outdir: Path) -> Path:
    """Where a batch into `outdir` works until it is complete."""
    return outdir.parent / f".{outdir.name}.jcredit-batch"


def _old_folder(outdir: Path) -> Path:
    return outdir.parent / f".{outdir.name}.jcredit-previous"


def recover(outdir: Path) -> None:
    """A crash between the two renames of `commit` left the previous folder aside: put it back."""
    old = _old_folder(outdir)
    if old.is_dir() and not outdir.exists():
        os.replace(old, outdir)
    elif old.is_dir():
        shutil.rmtree(old, ignore_errors=True)


def is_batch_output(folder: Path) -> bool:
    """Whether `folder` holds a finished batch (its summary.json is ours)."""
    try:
        found = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and found.get("toolkit") == "jcredit-toolkit batch"


def refuse_foreign(outdir: Path) -> None:
    """OutputError when `outdir` exists with files that are not a batch's: a batch replaces only its own."""
    try:
        if outdir.exists() and (
            not outdir.is_dir() or (any(outdir.iterdir()) and not is_batch_output(outdir))
        ):
            raise OutputError(str(outdir), [Problem("exists", location=Location(str(outdir)))])
    except OSError as error:
        raise not_writable(outdir, error) from error


def start(outdir: Path, state: Mapping[str, Any], resume: bool) -> Path:
    """The work folder, fresh or (with `resume`) the interrupted one if its state matches `state`."""
    work = work_folder(outdir)
    try:
        outdir.parent.mkdir(parents=True, exist_ok=True)
        if resume:
            try:
                found = json.loads((work / STATE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise OutputError(
                    str(work),
                    [Problem("batch_no_work", location=Location(str(outdir)), params={"found": str(work)})],
                ) from None
            differing = [key for key in state if found.get(key) != state[key]]
            if differing:
                raise OutputError(
                    str(work),
                    [
                        Problem("batch_resume_differs", location=Location(str(outdir)), params={"what": key})
                        for key in differing
                    ],
                )
            (work / "members").mkdir(exist_ok=True)
            return work
        if work.exists():
            shutil.rmtree(work)
        (work / "members").mkdir(parents=True)
        write_json(work / STATE, dict(state))
        return work
    except OSError as error:
        raise not_writable(work, error) from error


def write_json(path: Path, data: Any) -> None:
    """JSON with sorted keys, written whole (a temporary file renamed)."""
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    os.replace(temporary, path)


def commit(work: Path, outdir: Path) -> None:
    """Swap the finished work folder in for `outdir` (its previous state kept aside until then)."""
    old = _old_folder(outdir)
    try:
        (work / STATE).unlink(missing_ok=True)
        (work / MEMBERS).unlink(missing_ok=True)
        (work / ".jcredit.lock").unlink(missing_ok=True)  # held while the batch worked on it
        if outdir.exists():
            os.replace(outdir, old)
        os.replace(work, outdir)
        with contextlib.suppress(OSError):
            shutil.rmtree(old)
    except OSError as error:
        raise not_writable(outdir, error) from error
