"""Index-time and query-time segmentation agree: Python (handbook/site/search.py) and the browser (search.js);
a Pagefind run that a newer build cancels while another thread waits for it stops cleanly."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from handbook.site.search import SearchIndexError, char_code, index_text, start_index, to_pairs, token

SEARCH_JS = Path(__file__).resolve().parent.parent / "templates" / "site" / "assets" / "search.js"
SAMPLES = ["老旧小区加装电梯", "531打分法", "红色物业 ABC-def", "测", "“月月谈”：居民议事", "", "Ünïcode 居民 x1"]


def test_pairs():
    assert to_pairs("老旧小区") == ["老旧", "旧小", "小区", "区"]
    assert to_pairs("531打分法") == ["531", "打分", "分法", "法"]
    assert token("邻里") == "hi9nih8" and token("ABC") == "abc" and token("Ünïcode") == "ünïcode"


def test_char_codes_are_distinct_three_digit_words():
    chars = [chr(o) for start, end in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for o in range(start, end)]
    codes = [char_code(ch) for ch in chars]
    assert len(set(codes)) == len(chars) == 28096
    assert all(len(c) == 3 and c.isalnum() and c.isascii() for c in codes)
    assert (char_code("\u3400"), char_code("\ufaff")) == ("000", "lof")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("老旧小区加装电梯停车物业 abcÜ123，。“”-")), max_size=40))
def test_index_text_is_tokens_of_pairs_each_once(text):
    once = list(dict.fromkeys(token(w) for w in to_pairs(text)))
    assert index_text(text) == " ".join(once)


def test_index_text_leaves_out_words_already_seen():
    seen: set[str] = set()
    assert index_text("加装电梯", seen) == "h600gp1 hgp1ctx hctxacv hacv"
    assert index_text("电梯加装", seen) == "hacv600 hgp1"  # 电梯 and 加装 were indexed above



RECORDS = [{"url": f"cases/c{i}/",
            "content": f'<html lang="zh"><body data-pagefind-body><p>居民议事{i}</p></body></html>'} for i in range(40)]


def test_a_cancel_while_finish_waits_on_another_thread_stops_pagefind_cleanly(tmp_path):
    """As the preview does: finish() waits on its own thread, and the next save cancels. Both used to read the
    process's pipes, and the cancel failed with "Bad file descriptor" (2 of 2 closes of the desk's preview right
    after a rebuild, measured)."""
    for attempt in range(8):
        indexer = start_index(RECORDS, tmp_path / str(attempt))
        outcome = []

        def finish():
            try:
                indexer.finish(tmp_path / str(attempt) / "site")
                outcome.append("finished")
            except SearchIndexError:
                outcome.append("stopped")

        waiting = threading.Thread(target=finish)
        waiting.start()
        indexer.cancel()
        waiting.join(timeout=30)
        assert outcome in (["finished"], ["stopped"])
        assert indexer.process.returncode is not None and indexer.process.stdout.closed


def test_a_cancel_with_no_one_waiting_reaps_pagefind(tmp_path):
    indexer = start_index(RECORDS, tmp_path)
    indexer.cancel()
    assert indexer.process.returncode is not None and indexer.process.stdout.closed
    indexer.cancel()  # twice is harmless
    with pytest.raises(SearchIndexError):
        indexer.finish(tmp_path / "site")
