"""Additionality (追加性): payback with the subsidy always deducted, the household presumption, exemptions (§4)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from toolkit.figures import Figure

PAYBACK_FORMULA = "payback = (capex − subsidy) / (annual saving − annual O&M cost)"


@dataclass(frozen=True)
class Additionality:
    """The assessment: the method, whether the project is additional (None: inputs missing), and why."""

    method: str | None
    additional: bool | None
    reason: str  # payback_ok, payback_short, no_net_cost, no_net_saving, household, exempt, exempt_no_reason, missing
    payback: Figure | None = None
    threshold_years: Decimal | None = None


def assess(inputs: Mapping | None, threshold_years: Decimal) -> Additionality:
    """Judge additionality from the project's `additionality` block."""
    inputs = inputs or {}
    method = inputs.get("method")
    if method == "household":
        return Additionality(method, True, "household")
    if method == "exempt":
        return (
            Additionality(method, True, "exempt")
            if inputs.get("exemption_reason")
            else Additionality(method, None, "exempt_no_reason")
        )
    if method != "payback":
        return Additionality(method, None, "missing")
    # the subsidy must be stated, 0 when none: taken as 0 it would lengthen the payback and flatter the project
    if any(inputs.get(name) is None for name in ("capex_jpy", "subsidy_jpy", "annual_saving_jpy")):
        return Additionality(method, None, "missing")
    # an empty O&M cost counts as none: that shortens the payback, the cautious side
    capex, subsidy, saving, om = (
        Decimal(inputs.get(name) or 0)
        for name in ("capex_jpy", "subsidy_jpy", "annual_saving_jpy", "annual_om_cost_jpy")
    )
    net_saving = saving - om
    values = {"capex": capex, "subsidy": subsidy, "annual_saving": saving, "annual_om_cost": om}
    if capex - subsidy <= 0:  # nothing left to recover: no investment barrier
        return Additionality(
            method, False, "no_net_cost", Figure(Decimal(0), "年", PAYBACK_FORMULA, values), threshold_years
        )
    if net_saving <= 0:  # never pays back: additional (domain.md §4, unverified)
        return Additionality(
            method,
            True,
            "no_net_saving",
            Figure(Decimal("Infinity"), "年", PAYBACK_FORMULA, values),
            threshold_years,
        )
    payback = Figure((capex - subsidy) / net_saving, "年", PAYBACK_FORMULA, values)
    additional = payback.value >= threshold_years
    return Additionality(
        method, additional, "payback_ok" if additional else "payback_short", payback, threshold_years
    )
