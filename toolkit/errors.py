"""One exception hierarchy: the CLI catches `ToolkitError` once and maps it to an exit code."""

from __future__ import annotations

from typing import Sequence

from toolkit.problems import Problem


class ToolkitError(Exception):
    """Raised when the toolkit refuses to go on for a reason the user can fix."""

    exit_code = 1

    def __init__(self, message: str = "", problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.problems = tuple(problems)


class InputError(ToolkitError):
    """Raised when a project folder cannot be read at all (no project file, unreadable file)."""


class ValidationFailed(ToolkitError):
    """Raised when validation found problems and the caller asked for valid data only."""


class UnknownMethodology(ToolkitError):
    """Raised when a methodology code is not in the registry."""


class OutputError(ToolkitError):
    """Raised when an output would overwrite user files or cannot be written."""


class TemplateError(OutputError):
    """Raised when a document spec or template (packaged or a project's override) cannot be used."""


class UsageError(ToolkitError):
    """Raised when the command line asks for something impossible (exit code 2)."""

    exit_code = 2


class FactorError(ToolkitError):
    """Raised when a factor row or a rule version the calculation needs is missing or malformed."""


class InputMissing(ToolkitError):
    """Raised by a methodology when a value its formula needs is empty; calc reports it at that field."""

    code = "calc_input_missing"

    def __init__(self, *fields: str, in_activity: bool = True, **params):
        super().__init__(", ".join(fields))
        self.fields = fields
        self.in_activity = in_activity
        self.params = params


class InputConflict(InputMissing):
    """Raised by a methodology when values contradict each other (self-consumption above generation − sold)."""

    code = "calc_input_conflict"
