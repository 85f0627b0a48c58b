"""Index-time and query-time segmentation agree: Python (handbook/search.py) and the browser (search.js)."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from handbook.search import index_text, to_pairs, token

SEARCH_JS = Path(__file__).resolve().parent.parent / "templates" / "site" / "assets" / "search.js"
SAMPLES = ["老旧小区加装电梯", "531打分法", "红色物业 ABC-def", "测", "“月月谈”：居民议事", "", "Ünïcode 居民 x1"]


def test_pairs():
    assert to_pairs("老旧小区") == ["老旧", "旧小", "小区", "区"]
    assert to_pairs("531打分法") == ["531", "打分", "分法", "法"]
    assert token("邻里") == "h090bb091cc" and token("ABC") == "abc"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("老旧小区加装电梯停车物业 abc123，。“”-")), max_size=40))
def test_index_text_is_tokens_of_pairs(text):
    assert index_text(text) == " ".join(token(w) for w in to_pairs(text))
