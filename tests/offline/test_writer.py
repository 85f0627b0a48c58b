"""handbook/offline/writer.py: the build id, the manifest, and the service worker workbox-build writes."""
from __future__ import annotations

import re
from pathlib import Path

from handbook.config import load_settings
from handbook.offline.writer import PRECACHE, build_id, cache_prefix, generate_sw, manifest

ROOT = Path(__file__).resolve().parents[2]


def fake_site(folder: Path) -> Path:
    folder = folder / "site"
    for rel, text in {"index.html": "<h1>首页</h1>", "cases/index.html": "finder", "offline/index.html": "没有网络",
                      "offline/saved.json": "{}", "assets/search.js": "1", "pagefind/pagefind.js": "pf",
                      "pagefind/pagefind-entry.json": "{}", "pagefind/pagefind-ui.js": "ui", "guide/index.html": "guide",
                      "cases/a/index.html": "a case"}.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def test_build_id_follows_every_byte(tmp_path):
    site = fake_site(tmp_path)
    first = build_id(site)
    assert build_id(site) == first
    (site / "cases" / "a" / "index.html").write_text("a case, changed", encoding="utf-8")
    assert build_id(site) != first


def test_manifest_is_chinese_and_per_edition():
    settings = load_settings(ROOT)
    trainee, instructor = manifest(settings, "trainee"), manifest(settings, "instructor")
    assert trainee["name"] == settings.title and trainee["lang"] == "zh-CN"
    assert instructor["name"].endswith("（教师版）") and instructor["short_name"] != trainee["short_name"]
    assert {i["sizes"] for i in trainee["icons"]} == {"192x192", "512x512"}
    assert any(i["purpose"] == "maskable" for i in trainee["icons"])
    assert cache_prefix("trainee") != cache_prefix("instructor")
    assert not cache_prefix("instructor").startswith(cache_prefix("trainee"))


def test_service_worker_precaches_the_shell_and_ignores_pagefinds_ts(tmp_path):
    site = fake_site(tmp_path)
    done = generate_sw(site, "handbook-trainee-abc", tmp_path / "cache")
    sw = (site / "sw.js").read_text(encoding="utf-8")
    urls = set(re.findall(r'url:"([^"]+)"', sw))
    assert urls == {"index.html", "cases/index.html", "offline/index.html", "offline/saved.json", "assets/search.js",
                    "pagefind/pagefind.js", "pagefind/pagefind-entry.json"} and done["count"] == len(urls)
    assert "ignoreURLParametersMatching:[/^ts$/," in sw  # Pagefind 1.4's ?ts= on pagefind-entry.json
    assert '{prefix:"handbook-trainee-abc"}' in sw and 'cacheName:"handbook-trainee-abc-pages"' in sw
    assert "importScripts(\"sw-handbook.js\")" in sw
    assert "workbox" in sw and "googleapis" not in sw and "cdn" not in sw.lower()  # the runtime is inlined
    assert all(not p.startswith("/") for p in PRECACHE)


def test_the_bundled_template_is_made_once_and_each_build_fills_its_slots(tmp_path, monkeypatch):
    from handbook.offline import writer

    steps = []
    real = writer.run_generator
    monkeypatch.setattr(writer, "run_generator", lambda args: steps.append(args["step"]) or real(args))
    site, cache = fake_site(tmp_path), tmp_path / "cache"
    generate_sw(site, "handbook-trainee-one", cache)
    first = (site / "sw.js").read_text(encoding="utf-8")
    (site / "cases" / "a" / "index.html").write_text("a case, changed", encoding="utf-8")
    generate_sw(site, "handbook-instructor-two", cache)
    second = (site / "sw.js").read_text(encoding="utf-8")
    assert steps == ["template", "manifest", "manifest"]
    assert len(list(cache.glob("*.js"))) == 1
    for sw, cache_id in ((first, "handbook-trainee-one"), (second, "handbook-instructor-two")):
        assert writer.PRECACHE_SLOT not in sw and writer.CACHE_ID_SLOT not in sw
        assert f'{{prefix:"{cache_id}"}}' in sw and f'cacheName:"{cache_id}-pages"' in sw
    revisions = [dict(re.findall(r'url:"([^"]+)",revision:"([0-9a-f]+)"', sw)) for sw in (first, second)]
    assert revisions[0].keys() == revisions[1].keys()
    assert [u for u in revisions[0] if revisions[0][u] != revisions[1][u]] == []  # cases/a is not precached
    (site / "index.html").write_text("<h1>新首页</h1>", encoding="utf-8")
    generate_sw(site, "handbook-trainee-one", cache)
    third = dict(re.findall(r'url:"([^"]+)",revision:"([0-9a-f]+)"', (site / "sw.js").read_text(encoding="utf-8")))
    assert [u for u in third if third[u] != revisions[0][u]] == ["index.html"]
