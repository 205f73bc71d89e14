"""EN-R-002 太陽光発電設備の導入: self-consumed solar power replacing grid power (domain.md §5.1)."""

from toolkit.methodologies import Parameter

CODE = "EN-R-002"
NAME = {"ja": "太陽光発電設備の導入", "en": "Installation of solar PV systems"}
VERSIONS = ("3.0",)
SCHEMA = "EN-R-002.yaml"

MONITORING = (
    Parameter("EL_gen", "generation_kwh", {"ja": "発電量", "en": "generation"}, "kWh",
              {"ja": "毎月（検針ごと）", "en": "monthly (each meter reading)"},
              ("inverter_display", "generation_meter")),
    Parameter("EL_sold", "sold_kwh", {"ja": "売電量", "en": "power sold"}, "kWh",
              {"ja": "毎月（検針ごと）", "en": "monthly (each meter reading)"},
              ("buyback_notice",)),
    Parameter("EL_PJ,self", "self_consumption_kwh", {"ja": "自家消費量", "en": "self-consumption"}, "kWh",
              {"ja": "毎月（発電量−売電量、または計測）", "en": "monthly (generation − sold, or metered)"},
              ("self_consumption_meter",)),
)
