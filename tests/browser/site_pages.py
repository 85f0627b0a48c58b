"""One page of every kind the site has, as paths under the site's root: the site checks
(test_site_checks.py: accessibility, valid HTML) run on each at every width. A new kind of page
(an instructor edition's page, ...) is one more line here."""
from __future__ import annotations

PAGES = {
    "home": "",
    "case": "cases/xiqiao-yueyuetan/",
    "finder": "cases/",
    "finder-query": "cases/?q=物业",
    "finder-filtered": "cases/?type=property-management&district=wuhan/citywide",
    "problem-type": "problems/property-management/",
    "problem-types": "problems/",
    "district": "districts/wuhan/jianghan/",
    "districts": "districts/",
    "finder-district": "cases/?district=wuhan/caidian",  # where a tile of the map leads (handbook/places/cartogram.py)
    "preface": "preface/",
    "guide": "guide/",
    "instructors": "instructors/",
    "packs": "packs/",
    "pack": "packs/jiazhuang-dianti/",
    "compare": "compare/?cases=yichang-caitao-pingceng-jiati,gongshu-liushuiyuan-gongxiang-dianti,putuo-lanyuan-guanguang-dianti",
    "data": "data/",
    "404": "no-such-page/",
    "offline": "offline/",
}

# (width, height) of a phone (touch, no hover) and of a desktop
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}

# the kinds of page the instructor edition changes (a banner on every page; the teaching-note panel; session notes)
INSTRUCTOR_PAGES = ("home", "case", "pack")
