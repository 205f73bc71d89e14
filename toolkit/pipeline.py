"""The one way through: load -> validate -> factors -> calculate -> documents -> checklist -> render/bundle.

Every command makes one `Run` and asks it for what it needs; each step is done at most once, when
first asked for, and kept: `render plan` builds the plan once and the checklist reads its gaps from
that same document.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import errors
from toolkit.errors import ToolkitError, ValidationFailed
from toolkit.forked import both
from toolkit.problems import Location, Problem
from toolkit.project import Project
from toolkit.read import overrides
from toolkit.read.folder import load_project
from toolkit.validate.validation import Validation, validate

# The later stages are imported where they are first needed: `validate` uses none of them, and their
# imports (engine, documents, checklist) are a tenth of its time on a large program.
if TYPE_CHECKING:
    from toolkit.calculate import factors as factor_tables
    from toolkit.calculate.engine import Calculation
    from toolkit.checklist.findings import Checklist
    from toolkit.diff.compare import Diff
    from toolkit.documents.model import Document

Window = tuple[dt.date | None, dt.date | None]


class Run:
    """One command's way through the pipeline, for one project folder."""

    def __init__(self, target: Path, monitoring: Path | None = None, period: Window | None = None):
        self.target, self.monitoring, self.period = Path(target), monitoring, period
        self._documents: dict[tuple[str, str], Document] = {}
        self._checklists: dict[str, Checklist] = {}

    @cached_property
    def validation(self) -> Validation:
        """Every problem of the inputs, factors.yaml's too, and the Project they make."""
        found = validate(load_project(self.target, monitoring=self.monitoring))
        root = found.project.root
        if (root / "factors.yaml").is_file():  # its reader belongs to the factors stage
            from toolkit.calculate import factors as factor_tables

            found.extend(factor_tables.override_problems(root))
        if found.project.type == "program" and (root / "other_programs.csv").is_file():
            from toolkit.read.csvfile import read_csv

            try:
                found.extend(read_csv(root / "other_programs.csv", "other_programs.csv")[2])
            except OSError as error:
                where = Location("other_programs.csv")
                found.extend([Problem("not_readable", "", where, {"reason": error.strerror or str(error)})])
        return found

    @property
    def project(self) -> Project:
        """The validated project; ValidationFailed while the inputs have errors."""
        if not self.validation.valid:
            raise ValidationFailed(f"{len(self.validation.errors)} errors", self.validation.errors)
        return self.validation.project

    @cached_property
    def factors(self) -> factor_tables.Factors:
        """The factor tables of the project's rules version, with its own overrides."""
        from toolkit.calculate import factors as factor_tables

        project = self.validation.project  # valid or not yet known: `calculation` waits for the verdict
        if project.methodology is None:  # a draft may leave the code empty; a calculation cannot
            path = "project.methodology.code"
            raise ValidationFailed(
                "no methodology", [Problem("methodology_missing", path, project.locate(path))]
            )
        return factor_tables.load(
            project.data.get("rules_version"),
            project.root,
            project.sources.locate("rules_version"),
            project.data["project"].get("methodology"),
            project.project_file,  # a project.xlsx may hold the factor rows in its 「係数」 sheet
        )

    @cached_property
    def calculation(self) -> Calculation:
        """Every reduction, over --period or the report period the project states.

        Computed while the rows of a large program may still be being checked (see `Validation`): what it
        makes is kept once they turn out valid; with errors, it is those errors that are reported."""
        from toolkit.calculate.engine import calculate_project

        try:
            calculated = calculate_project(self.validation.project, self.factors, self.period)
        except Exception:
            self.project  # noqa: B018 - errors in the inputs are what to report, not what computing them met
            raise
        self.project  # noqa: B018 - raises ValidationFailed while the inputs have errors
        return calculated

    @cached_property
    def estimate(self) -> Calculation:
        """The plan's ex-ante estimate from the planned inputs: monitoring readings never feed it."""
        from toolkit.calculate.engine import calculate_plan

        return calculate_plan(self.project, self.factors)

    def figures(self, kind: str) -> Calculation:
        """The calculation a document shows: the estimate for the registration documents (written before
        any reading), the monitored reductions for the report."""
        from toolkit.documents import assemble

        return self.estimate if assemble.stage_of(kind) == "registration" else self.calculation

    def document(self, kind: str, stage: str | None = None, complete: bool = True) -> Document:
        """Document `kind` checked at `stage` (its own by default); a complete one serves a quick request too."""
        from toolkit.documents import assemble

        stage = stage or assemble.stage_of(kind)
        kept = self._documents.get((kind, stage))
        if kept is None or (complete and not kept.complete):
            project = self.project
            kept = assemble.build(
                kind,
                self.figures(kind),
                project.root,
                overrides.folder(project.root),
                stage=stage,
                with_evidence=complete,
            )
            self._documents[(kind, stage)] = kept
        return kept

    def checklist(self, stage: str) -> Checklist:
        """Every finding at `stage`: input errors alone while there are any, else fields, rules and evidence."""
        if stage not in self._checklists:
            self._checklists[stage] = self._checked(stage)
        return self._checklists[stage]

    def _checked(self, stage: str) -> Checklist:
        from toolkit.checklist import readiness

        if not self.validation.valid:
            return readiness.of_invalid(self.validation, stage)
        project, calculation, findings, also = self.project, None, [], []
        if project.methodology is not None:  # else: the specs' own fields still tell what is missing
            try:
                # registration checks the estimate the plan shows; verification the monitored figures,
                # and the estimate's errors too, since the plan it also checks cannot be final with them
                calculation = self.estimate if stage == "registration" else self.calculation
                also = [] if stage == "registration" else self.estimate.errors
            except ToolkitError as error:
                findings = [readiness.from_problem(problem, "C-CALC") for problem in error.problems]
        document = (lambda kind, at: self.document(kind, at, complete=False)) if calculation else None
        return readiness.of_project(project, calculation, stage, findings, document, also)

    def render(
        self,
        kind: str,
        outdir: Path,
        formats: tuple[str, ...],
        final: bool,
        force: bool,
        ignore_comments: bool = False,
    ) -> tuple[Document, list[Path]]:
        """Document `kind` written to `outdir` with its manifest; --final refuses while anything blocks, open
        review comments included (unless `ignore_comments`); a draft carries them beside their fields."""
        from toolkit import bundle
        from toolkit.checklist import readiness
        from toolkit.documents import assemble
        from toolkit.review import comments, notes, store

        calculation = self.figures(kind)
        if calculation.errors:
            raise ValidationFailed(f"{len(calculation.errors)} calculation errors", calculation.errors)
        document = self.document(kind)
        found = self.checklist(assemble.stage_of(kind))
        review = comments.follow(store.read_valid(self.project.root), self.project.data)
        held = [  # every reason at once: the empty fields and blocking findings, then the open comments
            Problem(
                "review_open_comment",
                comment.path,
                comment.location,
                {"id": comment.id, "author": comment.author or "—", "text": comment.text},
            )
            for comment in review.comments
            if final and not ignore_comments and comment.open
        ]
        try:
            assemble.finish(document, readiness.remarks(found, kind, "ja"), final, self.project.sources)
        except assemble.NotReady as error:
            raise assemble.NotReady(str(error), [*error.problems, *held]) from None
        if held:
            raise assemble.NotReady(f"{len(held)} open review comments", held)
        document.notes = [] if final else notes.for_document(document, review, self.project.data)
        written = bundle.publish(
            document, calculation, outdir, formats, overrides.folder(self.project.root), force
        )
        return document, written


def calculate(target: Path, monitoring: Path | None = None, period: Window | None = None) -> Calculation:
    """Validate the project folder, then compute every reduction; ValidationFailed on invalid input."""
    return Run(target, monitoring, period).calculation


def check(target: Path, stage: str = "registration", monitoring: Path | None = None) -> Checklist:
    """The readiness checklist of a project folder at `stage`."""
    return Run(target, monitoring).checklist(stage)


def diff(old: Path, new: Path, stage: str = "registration") -> Diff:
    """Two versions of a project compared: inputs, evidence, results with their causes, findings at `stage`.

    Each side is read, validated, calculated and checked once; on a machine with two cores the old side is
    taken in a forked process while this one takes the new (a 10,000-activity program: half the time).
    ValidationFailed names the problems of both sides, each placed under the folder it was found in."""
    from toolkit.diff.compare import compare

    sides = both(_snapshot, (Path(old), stage), (Path(new), stage))
    problems = [problem for side in sides if isinstance(side, _Failed) for problem in side.problems]
    failed = [side for side in sides if isinstance(side, _Failed)]
    if failed:
        kind = next((side.kind for side in failed if side.kind != "ValidationFailed"), "ValidationFailed")
        error = getattr(errors, kind, None)
        error = error if isinstance(error, type) and issubclass(error, ToolkitError) else ToolkitError
        raise error("; ".join(side.message for side in failed), problems)
    return compare(*sides)


class _Failed:
    """One side's refusal (a ToolkitError), as it crosses back from the forked process: picklable."""

    def __init__(self, kind: str, message: str, problems: list[Problem]):
        self.kind, self.message, self.problems = kind, message, problems


def _snapshot(target: Path, stage: str):
    """One side of a diff; a refusal becomes _Failed with its problems placed under `target`."""
    from toolkit.diff import snapshot

    try:
        return snapshot.take(_side(target), stage, str(target))
    except ToolkitError as error:
        folder = target if target.is_dir() else target.parent
        placed = [_under(problem, folder, target) for problem in error.problems]
        return _Failed(type(error).__name__, f"{target}: {error}", placed)


def _side(target: Path) -> Run:
    """The Run of one side: a project folder or file, or a readings workbook in a project's monitoring/ folder
    (its 2025.xlsx, or a revised copy beside it), read with that project instead of the whole folder."""
    from toolkit.read.folder import PROJECT_FILES

    folder = target.parent.parent
    if target.parent.name == "monitoring" and target.suffix.lower() == ".xlsx" and target.is_file():
        if any((folder / name).is_file() for name in PROJECT_FILES):
            return Run(folder, monitoring=target)
    return Run(target)


def _under(problem: Problem, folder: Path, target: Path) -> Problem:
    """The problem with its location under the side's folder (old/project.yaml:14), so two sides' read apart."""
    import dataclasses

    if problem.location is None:
        return dataclasses.replace(problem, location=Location(str(target)))
    place = Path(problem.location.file)
    file = str(place) if place.is_absolute() else (folder / place).as_posix()
    return dataclasses.replace(problem, location=dataclasses.replace(problem.location, file=file))
