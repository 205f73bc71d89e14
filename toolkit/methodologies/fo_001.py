"""FO-001 森林経営活動: removals by the growth of managed stands under a 森林経営計画 (domain.md §5.4).

One activity is one stand (林小班); one monitoring row gives its annual growth over a reading period.
Removals are reported as a negative project emission, so that ER = EM_BL − EM_PJ is the net removal:
EM_BL = 0 and EM_PJ = E_PJ − R_PJ (work fuel emitted minus carbon taken up).

The species parameters BEF, R and D are regulatory data, not code and not activity columns: they are
rows of the factor table `forest_species` (keys parameter, species), which ships empty and is filled by
the project's factors.yaml with the source and status of each value, so that the result lists them
and an unverified value is reported. Only the carbon fraction 0.5 and 44/12 are physics here.
The methodology version 3.0 is recalled, not verified: domain.md names no FO-001 version.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, Iterator, Mapping

from toolkit.figures import FactorRef, Figure
from toolkit.methodologies import ZERO, Need, Parameter, defaults
from toolkit.methodologies.emissions import CO2_C, fuel_emission, fuel_needs
from toolkit.periods import Piece

if TYPE_CHECKING:
    from toolkit.calculate.factors import Factors
    from toolkit.checklist.findings import Finding
    from toolkit.checklist.scheme_rules import Context

CODE = "FO-001"
NAME = {"ja": "森林経営活動", "en": "Forest management"}
VERSIONS = ("3.0",)
SCHEMA = "FO-001.yaml"
FACTORS = (
    Need("forest_species", {"parameter": "bef"}, {"species": ("activities", "species")}),
    Need("forest_species", {"parameter": "root_ratio"}, {"species": ("activities", "species")}),
    Need(
        "forest_species", {"parameter": "wood_density"}, {"species": ("activities", "species")}, unit="t/m3"
    ),
    *fuel_needs(("monitoring", "fuel"), per="kL", optional=True),
)
FOREST = True
ADDITIVE = ("fuel_l",)  # fuel is used over the period; growth is a rate per year, prorated in calculate()
FORMULA = {
    "ja": "純吸収量 ER = R_PJ − E_PJ（吸収量 − 排出量）。"
    "R_PJ = Σ 面積(ha) × 年間成長量(m3/ha/年) × 日数/年度の日数 × BEF × (1 + R) × D(t/m3) × 0.5 × 44/12、"
    "E_PJ = 施業の燃料使用量(L) / 1000 × 単位発熱量(GJ/kL) × 燃料の排出係数(t-CO2/GJ)",
    "en": "net removal ER = R_PJ − E_PJ (uptake − emissions); "
    "R_PJ = Σ area (ha) × annual growth (m3/ha/yr) × days / days in the fiscal year × BEF × (1 + R) × D (t/m3) "
    "× 0.5 × 44/12; E_PJ = work fuel (L) / 1000 × heating value (GJ/kL) × emission factor (t-CO2/GJ)",
}

# Excel templates over the Figure's inputs, keyed by the start of Figure.formula (methodologies.excel_formula).
# E_PJ stands as a value: its fuel inputs (F, HV, CEF) are there only when the reading records fuel.
EXCEL: Mapping[str, str] = {
    "FO-001 EM_BL": "0",
    "FO-001 EM_PJ": "{E_PJ}-{A}*{G}*{days}/{days_FY}*{BEF}*(1+{R})*{D}*{CF}*44/12",
}

MONITORING = (
    Parameter(
        "A",
        "area_ha",
        {"ja": "林小班の面積", "en": "stand area"},
        "ha",
        {"ja": "森林簿の更新ごと", "en": "at each forest-register update"},
        ("forest_register",),
    ),
    Parameter(
        "G",
        "growth_m3_per_ha",
        {"ja": "年間成長量", "en": "annual growth"},
        "m3/ha/年",
        {"ja": "年度ごと（林齢に応じ収穫表から）", "en": "each fiscal year (yield table for the age)"},
        ("yield_table", "forest_register"),
    ),
    Parameter(
        "F_work",
        "fuel_l",
        {"ja": "施業の燃料使用量", "en": "work fuel used"},
        "L",
        {"ja": "施業ごと", "en": "each treatment"},
        ("refuelling_log", "fuel_receipt"),
    ),
)
CARBON_FRACTION = Decimal("0.5")  # carbon per dry biomass: physics, as the domain formula states (§5.4)


def species_parameters(species: str | None, factors: Factors) -> tuple[FactorRef, FactorRef, FactorRef]:
    """BEF, R and D of a species from the factor table forest_species; FactorError names the missing row."""
    return tuple(
        factors.get("forest_species", unit=unit, parameter=name, species=species)  # type: ignore[return-value]
        for name, unit in (("bef", "1"), ("root_ratio", "1"), ("wood_density", "t/m3"))
    )


# the plan's estimate: the stand's area (activity list) and its expected annual growth
PLANNED = ("planned_growth_m3_per_ha",)


def planned_readings(activity: Mapping, years) -> list[dict]:
    """Per fiscal year: G = the expected growth per year; `calculate` prorates it by the piece's days."""
    defaults.required(activity, "area_ha", *PLANNED)
    return defaults.yearly_rows(years, {"growth_m3_per_ha": activity["planned_growth_m3_per_ha"]})


def calculate(
    activity: Mapping, reading: Mapping, piece: Piece, crediting: tuple[dt.date, dt.date], factors: Factors
) -> tuple[Figure, Figure]:
    """Baseline (0) and project emissions (work fuel − removal, t-CO2) of one stand in one fiscal-year piece."""
    bef, root, density = species_parameters(activity.get("species"), factors)
    area = activity.get("area_ha") or ZERO
    growth = reading.get("growth_m3_per_ha") or ZERO
    # §5.4: ΔC = A × G × BEF × (1 + R) × D × 0.5 × 44/12, with the annual growth prorated by days (§4, §2.5):
    # the piece's days out of the days of its fiscal year. One division, last, so nothing is rounded before it.
    removal = (
        area
        * growth
        * bef.value
        * (1 + root.value)
        * density.value
        * CARBON_FRACTION
        * CO2_C[0]
        * piece.days
        / (CO2_C[1] * piece.days_in_fiscal_year)
    )
    emission, fuel_inputs, fuel_refs = fuel_emission(reading, ("fuel", "fuel_l"), piece.fiscal_year, factors)
    inputs = {
        "A": area,
        "G": growth,
        "days": Decimal(piece.days),
        "days_FY": Decimal(piece.days_in_fiscal_year),
        "BEF": bef.value,
        "R": root.value,
        "D": density.value,
        "CF": CARBON_FRACTION,
        "R_PJ": removal,
        **fuel_inputs,
        "E_PJ": emission,
    }
    baseline = Figure(ZERO, "t-CO2", "FO-001 EM_BL = 0（吸収量はプロジェクト側の負の排出量として計上）", {})
    project = Figure(
        emission - removal,
        "t-CO2",
        "FO-001 EM_PJ = E_PJ − R_PJ; R_PJ = A × G × days/days_FY × BEF × (1 + R) × D × 0.5 × 44/12",
        inputs,
        (bef, root, density, *fuel_refs),
    )
    return baseline, project


# -- the methodology's own checklist rules (run by checklist/scheme_rules.py with the scheme's) ------


def _an_id(text: str) -> bool:
    """An identifier carries a number (鹿沼市指令環第2024-118号); a word alone (なし, 未定, 申請中) names nothing."""
    return any(character.isdigit() for character in unicodedata.normalize("NFKC", text))


def forest_plan(context: Context) -> Iterator[Finding]:
    """FO-001: every compartment is under an approved forest management plan; permanence filings by 30 June."""
    for index, activity in context.activities():
        context.count("activity-list")
        plan_id = str(activity.get("plan_id") or "").strip()
        if context.names_nothing(plan_id) or not _an_id(plan_id):  # 「なし」, 「未定」: no number, no plan
            yield context.finding(
                "R-FO-PLAN",
                f"activities[{index}].plan_id",
                "activity_list",
                "forest_plan",
                activity=activity.get("id", ""),
            )
    yield context.finding("R-FO-PERM", "", "monitoring.B.4", "forest_permanence", "info")


RULES = (("R-FO-PLAN", ("registration", "verification"), forest_plan),)
