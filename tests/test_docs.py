"""The README documents every command, exit code and methodology that exists."""

import re
from pathlib import Path

from click.testing import CliRunner

from toolkit import methodologies
from toolkit.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_leads_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


def test_every_command_is_in_the_readme():
    for name in cli.commands:
        assert f"jcredit {name}" in README, name


def test_every_exit_code_is_in_the_readme():
    for code in range(4):
        assert re.search(rf"\*\*{code}\*\*", README), code


def test_every_methodology_is_in_the_readme():
    for code in methodologies.codes():
        assert f"| {code} |" in README


def test_every_validate_option_is_in_the_readme():
    help_text = CliRunner().invoke(cli, ["validate", "--help"]).stdout
    for option in re.findall(r"--(format|lang)", help_text):
        assert f"--{option}" in README
