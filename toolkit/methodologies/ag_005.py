"""AG-005 水稲栽培における中干し期間の延長: longer mid-season drainage of paddy rice (domain.md §5.6)."""

from toolkit.methodologies import Parameter

CODE = "AG-005"
NAME = {"ja": "水稲栽培における中干し期間の延長", "en": "Extended mid-season drainage in paddy rice"}
VERSIONS = ("3.0", "3.1")
SCHEMA = "AG-005.yaml"

MONITORING = (
    Parameter("D_start", "drainage_start", {"ja": "中干し開始日", "en": "drainage start"}, "日付",
              {"ja": "作付けごと", "en": "each season"}, ("photo_start", "farm_diary")),
    Parameter("D_end", "drainage_end", {"ja": "中干し終了日", "en": "drainage end"}, "日付",
              {"ja": "作付けごと", "en": "each season"}, ("photo_end", "farm_diary")),
    Parameter("D_heading", "heading_date", {"ja": "出穂日", "en": "heading date"}, "日付",
              {"ja": "作付けごと", "en": "each season"}, ("farm_diary",)),
)
