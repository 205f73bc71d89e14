"""The registry of methodologies: one module each, looked up by code in one place."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from types import ModuleType
from typing import Mapping, Protocol

from toolkit.errors import UnknownMethodology


@dataclass(frozen=True)
class Parameter:
    """A monitored parameter: its symbol, label, unit, frequency and the evidence that proves it."""

    symbol: str
    field: str
    label: Mapping[str, str]
    unit: str
    frequency: Mapping[str, str]
    evidence: tuple[str, ...]


class Methodology(Protocol):
    CODE: str
    NAME: Mapping[str, str]
    VERSIONS: tuple[str, ...]
    SCHEMA: str  # file in schemas/methodologies/ declaring the tables and their row schemas
    MONITORING: tuple[Parameter, ...]


def _modules() -> tuple[ModuleType, ...]:
    from toolkit.methodologies import ag_005, en_r_002

    return (en_r_002, ag_005)


def codes() -> tuple[str, ...]:
    """The supported methodology codes, sorted."""
    return tuple(sorted(module.CODE for module in _modules()))


def get(code: str) -> Methodology:
    """The methodology module for `code`; UnknownMethodology names the closest known code."""
    for module in _modules():
        if module.CODE == code:
            return module
    close = closest(code)
    hint = f" (did you mean {close}?)" if close else ""
    raise UnknownMethodology(f"unknown methodology {code!r}{hint}; supported: {', '.join(codes())}")


def closest(code: str) -> str | None:
    """The known code nearest to a mistyped one (`EN-R-02` -> `EN-R-002`)."""
    upper = code.strip().upper().replace("_", "-").replace("ー", "-").replace("－", "-")
    matches = difflib.get_close_matches(upper, codes(), n=1, cutoff=0.6)
    return matches[0] if matches else None
