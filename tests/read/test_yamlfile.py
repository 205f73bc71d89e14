"""read/yamlfile.py: folded Japanese text is joined as Japanese reads it."""

from __future__ import annotations

import pytest

from toolkit.read.yamlfile import read_yaml


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (
            "purpose: >-\n  一般家庭が設置した\n  住宅用太陽光発電設備\n",
            "一般家庭が設置した住宅用太陽光発電設備",
        ),
        (
            "purpose: >-\n  使用を代替して、\n  CO2 排出量を削減する。\n",
            "使用を代替して、CO2 排出量を削減する。",
        ),
        ("purpose: >-\n  照明器具を\n  LED 照明に\n", "照明器具を LED 照明に"),  # next to Latin: a space
        ("purpose: >-\n  solar panels\n  on roofs\n", "solar panels on roofs"),
        (
            "purpose: 東濃精工株式会社 本社工場\n",
            "東濃精工株式会社 本社工場",
        ),  # a space typed on one line stays
        (
            "purpose: 一般家庭が設置した\n  住宅用の設備\n",
            "一般家庭が設置した住宅用の設備",
        ),  # plain, over two lines
        ("purpose: |-\n  一行目\n  二行目\n", "一行目\n二行目"),  # a literal block keeps its breaks
        ("purpose: >-\n  第一段落の\n  文。\n\n  第二段落\n", "第一段落の文。\n第二段落"),
    ],
)
def test_folded_japanese_lines_are_joined_without_a_space(tmp_path, written, read):
    path = tmp_path / "project.yaml"
    path.write_text(written, encoding="utf-8")
    problems: list = []
    assert read_yaml(path, "project.yaml", {}, problems) == {"purpose": read}
    assert problems == []
