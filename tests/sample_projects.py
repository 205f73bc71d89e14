"""The shipped samples as tests use them: the folder, the working ones, and what the first-run tests (YAML
and Excel) fill a new project with (a sample per methodology, the value a user copies from each table)."""

from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# every sample a command should run through; broken-project is invalid on purpose (the README's example)
WORKING_SAMPLES = sorted(
    path.name
    for path in SAMPLES.iterdir()
    if (path / "project.yaml").is_file() and path.name != "broken-project"
)

# methodology -> the sample whose data fills the new project
FIRST_PROJECTS = {
    "EN-R-002": "solar-program",
    "EN-S-001": "boiler",
    "EN-S-002": "heat-pump",
    "EN-S-006": "led-factory",
    "FO-001": "forest",
    "AG-004": "biochar",
    "AG-005": "rice-drainage",
}

# a plausible value per table (and parameter), as typed: what a user copies from the official table
TEST_VALUES = {
    "grid_electricity": "0.441",
    "fuels": "0.0187",
    "heating_values": "38.0",
    "ag005_straw_production": "649.2",
    "ag004_biochar": "0.7",
    ("forest_species", "bef"): "1.23",
    ("forest_species", "root_ratio"): "0.25",
    ("forest_species", "wood_density"): "0.314",
}
