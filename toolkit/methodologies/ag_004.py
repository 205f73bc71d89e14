"""AG-004 バイオ炭の農地施用: carbon kept in soil by biochar applied to cropland or grassland (domain.md §5.5).

One activity is one field; one monitoring row is one application batch, dated by its application day.
The stored carbon is a removal, reported like FO-001's as a negative project emission so that
ER = EM_BL − EM_PJ is the net removal: EM_BL = 0, EM_PJ = E_transport − CO2_stored.

Fc (carbon content) by feedstock class and Fperm (permanence) by temperature band are rows of the factor
table ag004_biochar; a batch with a measured carbon content uses that instead of the default Fc.
The band comes from the pyrolysis temperature recorded for the batch (its production lot). A batch with
no temperature, or one made at 350 ℃ or less (not biochar), stores nothing here and is a blocking
finding of the checklist (R-AG4-TEMP) and a warning of the calculation; so is a field that is not on
mineral soil. No temperature is ever assumed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Iterator, Mapping

from toolkit.figures import Figure
from toolkit.methodologies import PERCENT, ZERO, Need, Parameter, defaults
from toolkit.methodologies.emissions import CO2_C, fuel_emission, fuel_needs
from toolkit.periods import Piece

if TYPE_CHECKING:
    from toolkit.calculate.factors import Factors
    from toolkit.checklist.findings import Finding
    from toolkit.checklist.scheme_rules import Context

CODE = "AG-004"
NAME = {"ja": "バイオ炭の農地施用", "en": "Application of biochar to farmland"}
VERSIONS = ("2.4",)  # domain.md §1: AG-004 2.4 [third-party]
SCHEMA = "AG-004.yaml"
FACTORS = (
    Need("ag004_biochar", {"parameter": "fc"}, {"class": ("monitoring", "feedstock")}),
    Need("ag004_biochar", {"parameter": "fperm"}, {"class": None}),
    *fuel_needs(("monitoring", "transport_fuel"), per="kL", optional=True),
)
FOREST = False
SEASONAL = True  # each batch is one event on one day: no gaps or overlaps between batches
ADDITIVE = ()  # one batch is one day: never split at 31 March
FORMULA = {
    "ja": "ER = EM_BL − EM_PJ（純吸収量）。EM_BL = 0、EM_PJ = E_運搬 − CO2_貯留。"
    "CO2_貯留 = Σ M_p（乾燥t）× Fc_p（原料区分の既定値、または実測の炭素含有率）"
    "× Fperm_p（炭化温度 600 ℃ 超 / 450 ℃ 超 600 ℃ 以下 / 350 ℃ 超 450 ℃ 以下）× 44/12、"
    "E_運搬 = 燃料使用量(L) / 1000 × 単位発熱量(GJ/kL) × 燃料の排出係数(t-CO2/GJ)。"
    "350 ℃ 以下のバイオ炭、鉱質土壌でないほ場は対象外",
    "en": "ER = EM_BL − EM_PJ (net removal); EM_BL = 0, EM_PJ = E_transport − CO2_stored; "
    "CO2_stored = Σ M_p (dry t) × Fc_p (default of the feedstock class, or measured) × Fperm_p "
    "(pyrolysis above 600 ℃ / above 450 up to 600 ℃ / above 350 up to 450 ℃) × 44/12; "
    "E_transport = fuel (L) / 1000 × heating value (GJ/kL) × emission factor (t-CO2/GJ); "
    "biochar made at 350 ℃ or less and fields not on mineral soil are not eligible",
}

# Excel templates over the Figure's inputs, keyed by the start of Figure.formula (methodologies.excel_formula).
# E_transport stands as a value: its fuel inputs (F, HV, CEF) are there only when the batch records fuel.
EXCEL: Mapping[str, str] = {
    "AG-004 EM_BL": "0",
    "AG-004 EM_PJ = E_transport（対象外": "{E_transport}",
    "AG-004 EM_PJ = E_transport − M_p": "{E_transport}-{M_p}*{Fc_p}*{Fperm_p}*44/12",
}

MONITORING = (
    Parameter(
        "M_p",
        "biochar_dry_t",
        {"ja": "バイオ炭の施用量（乾燥重量）", "en": "biochar applied (dry mass)"},
        "t",
        {"ja": "施用ごと", "en": "each application"},
        ("field_log", "delivery_note"),
    ),
    Parameter(
        "T_p",
        "pyrolysis_temp_c",
        {"ja": "炭化温度", "en": "pyrolysis temperature"},
        "℃",
        {"ja": "製造ロットごと", "en": "each production batch"},
        ("jba_certificate", "production_record"),
    ),
    Parameter(
        "Fc_p",
        "carbon_content_pct",
        {"ja": "炭素含有率（実測する場合）", "en": "carbon content (if measured)"},
        "%",
        {"ja": "製造ロットごと", "en": "each production batch"},
        ("analysis_certificate",),
    ),
    Parameter(
        "F_transport",
        "transport_fuel_l",
        {"ja": "運搬の燃料使用量", "en": "transport fuel used"},
        "L",
        {"ja": "運搬ごと", "en": "each delivery"},
        ("refuelling_log", "fuel_receipt"),
    ),
)
# Fperm bands of the IPCC 2019 Refinement, Vol.4 Ch.2 Appendix 4 (values in ag004_biochar):
# high > 600 ℃ (0.89), medium 450–600 ℃ (0.80), low 350–450 ℃ (0.65). The appendix defines biochar as made
# "in excess of 350 ℃", so 350 ℃ itself is not biochar. It writes the high band as "> 600", so 600 ℃ is
# medium; the same reading (lower edge open, upper edge closed) puts 450 ℃ in the low band, which is also
# the lower, cautious Fperm. This choice of edges is ours: the text gives the bands as ranges only.
ELIGIBLE_ABOVE_C = 350
BANDS = ((600, "above_600c"), (450, "450_600c"), (ELIGIBLE_ABOVE_C, "350_450c"))  # (above ℃, class)
BASELINE = Figure(ZERO, "t-CO2", "AG-004 EM_BL = 0（貯留量はプロジェクト側の負の排出量として計上）")


def reading_period(reading: Mapping) -> tuple[dt.date, dt.date] | None:
    """A batch is applied on one day: it belongs to the fiscal year of that day."""
    day = reading.get("applied_on")
    return (day, day) if day else None


def temperature_band(celsius: int | None) -> str | None:
    """The Fperm class of a pyrolysis temperature; None at 350 ℃ or less (or unknown): not eligible."""
    if celsius is None:
        return None
    return next((band for above, band in BANDS if celsius > above), None)


def reading_findings(
    activity: Mapping, reading: Mapping, factors: Factors
) -> list[tuple[str, str, str, dict]]:
    """A batch without an eligible pyrolysis temperature stores nothing: a warning at its row in the calculation
    (the checklist's R-AG4-TEMP makes it blocking)."""
    celsius = reading.get("pyrolysis_temp_c")
    if temperature_band(celsius) is not None:
        return []
    temp = {"ja": "空欄", "en": "empty"} if celsius is None else f"{celsius} ℃"
    return [("ag004_temp", "pyrolysis_temp_c", "warning", {"temp": temp, "above": ELIGIBLE_ABOVE_C})]


def not_eligible(reason: str, emission: Decimal, inputs: Mapping, refs: tuple) -> tuple[Figure, Figure]:
    """No stored carbon counted for an ineligible batch; its transport emissions still count."""
    return BASELINE, Figure(
        emission, "t-CO2", f"AG-004 EM_PJ = E_transport（対象外: {reason}、貯留量 0）", inputs, refs
    )


# the plan's estimate: the biochar planned per year, its feedstock and pyrolysis temperature
PLANNED = ("planned_biochar_dry_t", "planned_feedstock", "planned_pyrolysis_temp_c")


def planned_readings(activity: Mapping, years) -> list[dict]:
    """Per fiscal year: one application of the planned yearly mass, times the year's share of days in the
    crediting period (a part year plans part of a year's biochar)."""
    defaults.required(activity, *PLANNED)
    return defaults.yearly_rows(
        years,
        {
            "biochar_dry_t": activity["planned_biochar_dry_t"],
            "feedstock": activity["planned_feedstock"],
            "pyrolysis_temp_c": activity["planned_pyrolysis_temp_c"],
        },
        ("biochar_dry_t",),
    )


def calculate(
    activity: Mapping, reading: Mapping, piece: Piece, crediting: tuple[dt.date, dt.date], factors: Factors
) -> tuple[Figure, Figure]:
    """Baseline (0) and project emissions (transport − stored carbon, t-CO2) of one application batch."""
    emission, fuel_inputs, fuel_refs = fuel_emission(
        reading, ("transport_fuel", "transport_fuel_l"), piece.fiscal_year, factors
    )
    fuel_inputs = {**fuel_inputs, "E_transport": emission}
    band = temperature_band(reading.get("pyrolysis_temp_c"))
    if band is None:
        return not_eligible("炭化温度が 350 ℃ 以下または不明", emission, fuel_inputs, fuel_refs)
    if activity.get("mineral_soil") is False:
        return not_eligible("鉱質土壌でないほ場", emission, fuel_inputs, fuel_refs)
    if reading.get("carbon_content_pct") is not None:  # §5.5: a measured carbon content replaces the default
        carbon, source, refs = reading["carbon_content_pct"] / PERCENT, "Fc_p = 実測の炭素含有率 / 100", ()
    else:
        default = factors.get("ag004_biochar", parameter="fc", **{"class": reading.get("feedstock")})
        carbon, source, refs = default.value, "Fc_p = 原料区分の既定値", (default,)
    permanence = factors.get("ag004_biochar", parameter="fperm", **{"class": band})
    mass = reading.get("biochar_dry_t") or ZERO
    # §5.5: CO2 = M_p × Fc_p × Fperm_p × 44/12 (one division, last)
    stored = mass * carbon * permanence.value * CO2_C[0] / CO2_C[1]
    project = Figure(
        emission - stored,
        "t-CO2",
        f"AG-004 EM_PJ = E_transport − M_p × Fc_p × Fperm_p × 44/12; {source}",
        {"M_p": mass, "Fc_p": carbon, "Fperm_p": permanence.value, "CO2_stored": stored, **fuel_inputs},
        (*refs, permanence, *fuel_refs),
    )
    return BASELINE, project


# -- the methodology's own checklist rules (run by checklist/scheme_rules.py with the scheme's) ------
FIXED_CARBON_MIN = 55  # % (domain.md §5.5, §7 R-AG4-TEMP)


def biochar_evidence(context: Context) -> Iterator[Finding]:
    """AG-004: each batch has its pyrolysis temperature, its carbon content and the certificate that shows them."""
    for index, reading in enumerate(context.data.get("monitoring") or []):
        context.count("monitoring")
        celsius = reading.get("pyrolysis_temp_c")
        if celsius is None:  # the certificate showing it is an evidence file (checklist)
            yield context.finding(
                "R-AG4-TEMP",
                f"monitoring[{index}].pyrolysis_temp_c",
                "monitoring.B.2",
                "biochar_pyrolysis_temp_c",
                batch=reading.get("batch_id") or index + 1,
            )
        elif celsius <= ELIGIBLE_ABOVE_C:  # §5.5: biochar is made above 350 ℃; no band, nothing stored
            yield context.finding(
                "R-AG4-TEMP",
                f"monitoring[{index}].pyrolysis_temp_c",
                "monitoring.B.2",
                "biochar_pyrolysis_temp_low",
                batch=reading.get("batch_id") or index + 1,
                celsius=celsius,
                above=ELIGIBLE_ABOVE_C,
            )
        refinement, fixed = reading.get("refinement"), reading.get("fixed_carbon_pct")
        proven = (refinement is not None and 0 <= refinement <= 9) or (
            fixed is not None and fixed >= FIXED_CARBON_MIN
        )
        if (
            not proven
        ):  # §5.5: 精煉度 0–9 or fixed carbon ≥ 55 % makes it biochar; a carbon content alone does not
            yield context.finding(
                "R-AG4-TEMP",
                f"monitoring[{index}].{'fixed_carbon_pct' if fixed is not None else 'refinement'}",
                "monitoring.B.2",
                "biochar_carbon",
                batch=reading.get("batch_id") or index + 1,
                fixed=fixed if fixed is not None else "—",
                refinement=refinement if refinement is not None else "—",
            )


RULES = (("R-AG4-TEMP", ("registration", "verification"), biochar_evidence),)
