#!/usr/bin/env python3
"""Benchmark of the handbook build: generated cases → site (+ PDF), stages, memory, size, browser, reference.

    .venv/bin/python benchmarks/bench.py --cases 100 1000 5000 --pdf-cases 200
    .venv/bin/python benchmarks/bench.py --quick            # 100 and 300 cases, PDF of 50

Progress goes to stderr, the result tables (Markdown) to stdout. See benchmarks/README.md.
Needs, beyond the project's requirements: jieba (for the reference build only: mkdocs-material's
Chinese search segments with jieba when it is installed) — `.venv/bin/pip install jieba`.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT = 4 * 3600
NA = "n/a"
T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[{time.perf_counter() - T0:7.1f}s] {msg}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------- generated cases

# who acts (subjects) and general words of community governance, used in every case
SUBJECTS = ["居民", "社区党委", "居委会", "网格员", "志愿者", "党员", "楼栋长", "街道", "居民代表", "驻区单位", "业委会",
            "社区工作者", "社会组织", "在职党员", "议事会"]
GENERAL = ["社区", "网格", "协商", "共驻共建", "入户走访", "民情日记", "党群服务中心", "小区", "红色引擎", "基层治理",
           "为民办实事", "问需于民", "共建共治共享", "公开透明", "群众满意度", "诉求", "服务清单", "需求清单", "资源清单"]
# words of each problem type (by slug); they dominate the cases of that type
TOPICAL = {
    "elevator": ["加装电梯", "电梯", "低层住户", "高层住户", "出资比例", "意见征询", "住建部门", "施工方", "采光", "噪音",
                 "电梯维保", "老旧楼栋", "爬楼难", "补贴资金", "一楼住户"],
    "parking": ["停车", "停车位", "乱停乱放", "共享停车", "错时停车", "充电桩", "电动车", "消防通道", "停车收费",
                "交管部门", "车位划线", "停车难", "道闸", "夜间停车"],
    "property-management": ["物业", "物业企业", "物业费", "业委会", "红色物业", "弃管小区", "无物业小区", "物业服务",
                            "收费标准", "维修基金", "保洁", "物业公司", "业主大会", "服务质量测评"],
    "neighbor-disputes": ["邻里纠纷", "调解", "人民调解员", "噪音扰民", "漏水", "楼道堆物", "占道", "矛盾化解",
                          "调解室", "邻里和睦", "以案释法", "纠纷排查"],
    "old-compound-renewal": ["老旧小区改造", "管网改造", "外墙", "雨污分流", "环境整治", "长效管理", "飞线充电",
                             "改造方案", "居民意愿", "楼道照明", "绿化", "物业"],
    "deliberation": ["协商议事", "议事厅", "居民议事会", "月月谈", "议题征集", "表决", "共识", "议事规则", "民主协商",
                     "恳谈会", "听证会", "531打分法"],
    "new-employment": ["新就业群体", "外卖骑手", "快递员", "网约车司机", "骑手驿站", "小哥", "暖心驿站", "爱心驿站",
                       "流动党员", "平台企业", "兼职网格员"],
    "elderly-care": ["为老服务", "老年人", "助餐", "老年食堂", "空巢老人", "独居老人", "居家养老", "助浴", "适老化改造",
                     "上门探访", "银发", "日间照料"],
    "public-space": ["公共空间", "闲置场地", "共享花园", "口袋公园", "活动室", "党群驿站", "微改造", "议事亭", "儿童乐园",
                     "健身步道", "阵地"],
    "digital-governance": ["数字治理", "信息平台", "小程序", "微信群", "网格数据", "线上议事", "智慧社区", "数据共享",
                           "一网统管", "民情地图", "线上报事"],
    "workforce": ["社区工作者", "网格员队伍", "四岗十八级", "职业体系", "培训", "激励", "社区干部", "考核", "薪酬",
                  "社工", "后备力量", "传帮带"],
    "volunteering": ["志愿服务", "志愿者队伍", "时间银行", "积分兑换", "在职党员", "双报到", "志愿服务队", "公益",
                     "小巷管家", "爱心", "服务积分"],
}
VERBS = ["牵头组织", "广泛征求", "多次召开", "逐户上门", "反复协商", "统筹协调", "推动解决", "建立健全", "持续跟进",
         "及时回应", "集中研究", "分类梳理", "公开公示", "共同商定", "认真听取", "整合", "引入", "发动", "动员"]
CONNECT = ["在此基础上", "与此同时", "为此", "随后", "此外", "经过多轮讨论", "针对这一问题", "截至目前", "实践中",
           "从一开始", "具体来说", "在街道指导下"]
QUALIFY = ["意见", "方案", "机制", "台账", "清单", "制度", "办法", "协议", "公约", "流程"]
NAME_A = ["幸福", "和平", "东湖", "南湖", "百步", "汉兴", "民族", "振兴", "花园", "紫阳", "长丰", "新华", "滨江", "水果湖",
          "友谊", "复兴", "晴川", "青和", "鹦鹉", "白沙", "徐东", "车站", "唐家墩", "常青", "古田", "二七", "塔子湖"]
NAME_B = ["新村", "花园", "小区", "家园", "里", "苑", "湾", "路", "坊"]
MECHANISMS = ["月月谈", "531打分法", "红色物业", "楼栋议事会", "网格员包保", "时间银行", "共享停车", "居民议事厅",
              "小巷管家", "三方联动", "民情恳谈会", "双报到", "党员责任区", "物业服务评议", "议事规则十条", "骑手驿站",
              "积分超市", "微心愿", "邻里节", "楼道自治"]
ACTORS = ["社区党委", "居委会", "业委会", "物业企业", "网格员", "志愿者", "街道办事处", "区住建局", "驻区单位",
          "居民代表", "在职党员", "社会组织", "平台企业", "人民调解员", "楼栋长"]
PUBLISHERS = ["长江日报", "湖北日报", "武汉晚报", "楚天都市报", "人民网", "新华网", "《瞭望》", "中国社会报", "武汉市民政局"]
SECTION_CHARS = (("背景", 420), ("做法", 760), ("成效", 420), ("启示", 400))


class Gen:
    """Deterministic Chinese case text: seeded choices over real community-governance words."""

    def __init__(self, taxonomy: dict, seed: int = 20250101):
        self.types = [(p["name"], p["slug"]) for p in taxonomy["problem_types"]]
        wuhan = next(c for c in taxonomy["cities"] if c["slug"] == "wuhan")
        self.districts = [d["name"] for d in wuhan["districts"] if d["slug"] != "citywide"]
        self.city = wuhan["name"]
        self.seed = seed

    def sentence(self, r: random.Random, topical: list[str]) -> str:
        s = lambda: r.choice(SUBJECTS)  # noqa: E731
        g = lambda: r.choice(GENERAL)  # noqa: E731
        t = lambda: r.choice(topical)  # noqa: E731
        asked = r.randint(12, 480)
        forms = [
            lambda: f"{r.choice(CONNECT)}，{s()}{r.choice(VERBS)}{t()}{r.choice(QUALIFY)}，{s()}和{s()}积极参与",
            lambda: f"围绕{t()}问题，{s()}结合{g()}{r.choice(VERBS)}各方{r.choice(QUALIFY)}，形成{t()}的{r.choice(QUALIFY)}",
            lambda: f"{r.choice(CONNECT)}，{s()}把{t()}纳入{g()}{r.choice(QUALIFY)}，做到{t()}有人管、有人问",
            lambda: f"不少{s()}反映{t()}和{t()}长期没有解决，{s()}于是{r.choice(VERBS)}",
            lambda: f"通过{g()}共收集{t()}相关诉求{asked}条，已解决{r.randint(asked // 3, asked)}条",
            lambda: f"{s()}与{s()}{r.choice(VERBS)}，先后召开{t()}协调会{r.randint(2, 30)}次",
            lambda: f"{t()}事关{s()}切身利益，{r.choice(CONNECT)}必须依靠{g()}和{s()}",
        ]
        return r.choice(forms)() + "。"

    def paragraph(self, r: random.Random, topical: list[str], chars: int) -> str:
        out = ""
        while len(out) < chars:
            out += self.sentence(r, topical)
        return out

    def case(self, i: int) -> tuple[str, str]:
        """(case id, file text) of the i-th generated case."""
        r = random.Random(self.seed * 100003 + i)
        types = r.sample(self.types, r.choice([1, 1, 2, 2, 2, 3]))
        topical = [w for _, slug in types for w in TOPICAL.get(slug, [])] or GENERAL
        district = r.choice(self.districts)
        community = r.choice(NAME_A) + r.choice(NAME_B) + "社区"
        street = r.choice(NAME_A) + "街道"
        mechanisms = r.sample(MECHANISMS, r.randint(1, 3))
        year = r.randint(2015, 2025)
        title = f"{community}{mechanisms[0]}：{r.choice(topical)}的{r.choice(['新路', '破题之道', '实践', '探索', '经验'])}"
        pair = r.sample(topical, 2) if len(topical) > 1 else topical * 2
        summary = (f"{district}{community}针对{pair[0]}和{pair[1]}问题，"
                   f"{r.choice(SUBJECTS)}{r.choice(VERBS)}{mechanisms[0]}{r.choice(QUALIFY)}，"
                   f"居民满意度明显提升。")
        sections = []
        for name, chars in SECTION_CHARS:
            paras = [self.paragraph(r, topical, chars // 3) for _ in range(3)]
            if name == "做法":
                items = [f"- **{r.choice(topical)}{r.choice(QUALIFY)}**：{self.sentence(r, topical)}" for _ in range(3)]
                paras.insert(1, "\n".join(items))
            sections.append(f"## {name}\n\n" + "\n\n".join(paras))
        meta = {
            "title": title[:60],
            "summary": summary[:200],
            "city": self.city,
            "district": district,
            "street": street,
            "community": community,
            "problem_types": [name for name, _ in types],
            "mechanisms": mechanisms,
            "actors": r.sample(ACTORS, r.randint(2, 5)),
            "year": year,
            "outcomes": [f"新增{r.choice(topical)}相关服务{r.randint(3, 90)}项",
                         f"居民满意度由{r.randint(55, 75)}%提升至{r.randint(85, 99)}%"],
            "sources": [{"title": f"{community}：{r.choice(topical)}这样办", "publisher": r.choice(PUBLISHERS),
                         "date": f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
                         "url": f"https://example.org/news/{year}/{i:06d}.html"}],
            "discussion_questions": [f"{community}在推动{r.choice(topical)}时，怎样让{r.choice(ACTORS)}看到参与的理由？",
                                     f"如果没有{mechanisms[0]}，{r.choice(topical)}问题会卡在哪里？"],
        }
        import yaml
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
        return f"case-{i:05d}", f"---\n{front}---\n\n" + "\n\n".join(sections) + "\n"


def load_taxonomy() -> dict:
    import yaml
    return yaml.safe_load((ROOT / "cases" / "taxonomy.yml").read_text(encoding="utf-8"))


def make_project(n: int, parent: Path) -> Path:
    """A throwaway copy of the project with n generated cases (handbook/ is a symlink to the real code)."""
    project = Path(tempfile.mkdtemp(prefix=f"n{n}-", dir=parent))
    for name in ("templates", "content"):
        shutil.copytree(ROOT / name, project / name)
    for name in ("mkdocs.yml", "handbook.yml", "build.py"):
        shutil.copy(ROOT / name, project / name)
    (project / "cases").mkdir()
    shutil.copy(ROOT / "cases" / "taxonomy.yml", project / "cases" / "taxonomy.yml")
    (project / "handbook").symlink_to(ROOT / "handbook")
    gen = Gen(load_taxonomy())
    for i in range(n):
        cid, text = gen.case(i)
        (project / "cases" / f"{cid}.md").write_text(text, encoding="utf-8")
    return project


# ----------------------------------------------------------------- measuring a child process

def _tree_rss(pid: int) -> tuple[int, int]:
    """(resident bytes now of pid and all its descendants, largest high-water mark of any one of them)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2:].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
        rss[int(d)] = pages * page
    total, hwm, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        try:
            with open(f"/proc/{p}/status") as f:
                m = re.search(r"^VmHWM:\s+(\d+) kB", f.read(), re.M)
            hwm = max(hwm, int(m.group(1)) * 1024 if m else 0)
        except OSError:
            pass
        todo += children.get(p, [])
    return total, hwm


def _shmem() -> int:
    """Bytes in shared memory (tmpfs such as /dev/shm, where the build keeps its scratch files)."""
    try:
        with open("/proc/meminfo") as f:
            m = re.search(r"^Shmem:\s+(\d+) kB", f.read(), re.M)
        return int(m.group(1)) * 1024 if m else 0
    except OSError:
        return 0


def run_measured(cmd: list[str], cwd: Path, timeout: float = TIMEOUT, env: dict | None = None) -> dict:
    """Run cmd: wall seconds; peak memory in MB: the larger of the polled process-tree RSS sum plus the growth of
    shared memory (the build's scratch files in /dev/shm) and any one process's VmHWM."""
    shmem0 = _shmem()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    peak = [0, 0, 0]
    done = threading.Event()

    def poll():
        while not done.is_set():
            tree, hwm = _tree_rss(proc.pid)
            shm = max(0, _shmem() - shmem0)
            peak[0], peak[1], peak[2] = max(peak[0], tree + shm), max(peak[1], hwm), max(peak[2], shm)
            done.wait(0.1)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    out, err = proc.communicate(timeout=timeout)
    seconds = time.perf_counter() - t0
    done.set()
    poller.join()
    # the polled sum over the process tree can miss a short spike; a process's own high-water mark cannot
    return {"seconds": seconds, "rss_mb": max(peak[:2]) / 2**20, "tree_rss_mb": peak[0] / 2**20,
            "max_process_hwm_mb": peak[1] / 2**20, "scratch_shmem_mb": peak[2] / 2**20,
            "rc": proc.returncode, "stdout": out, "stderr": err}


def cli_features(project: Path) -> dict:
    def helptext(*args):
        out = subprocess.run([PY, "build.py", *args, "--help"], cwd=project, capture_output=True, text=True)
        return out.stdout + out.stderr if out.returncode == 0 else ""

    top = helptext()
    build = helptext("build")
    commands = set(re.findall(r"^\s{4}([a-z][a-z-]+)\s", top, re.M))
    return {"pdf": "pdf" in commands, "serve": "serve" in commands,
            "no_pdf": "--no-pdf" in build or "--no-pdf" in top, "help": top}


def dir_size(path: Path, exclude: tuple[str, ...] = ()) -> tuple[int, int]:
    size = files = 0
    for p in path.rglob("*"):
        if p.is_file() and p.name not in exclude:
            size += p.stat().st_size
            files += 1
    return size, files


def clean_build_outputs(project: Path) -> None:
    shutil.rmtree(project / "site", ignore_errors=True)
    shutil.rmtree(project / ".cache", ignore_errors=True)


# ----------------------------------------------------------------- stages, in a child process

def stages_child(project: Path, with_pdf: bool) -> None:
    """Time each stage in-process; print one JSON object on stdout."""
    sys.path.insert(0, str(ROOT))
    res: dict = {"stages": {}, "maxrss_mb": {}, "errors": {}}

    def maxrss():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def children_maxrss():
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    def stage(name, fn):
        t0 = time.perf_counter()
        try:
            value = fn()
        except Exception as exc:  # a stage that fails is reported, not fatal
            res["errors"][name] = f"{type(exc).__name__}: {exc}"
            value = None
        res["stages"][name] = time.perf_counter() - t0
        res["maxrss_mb"][name] = maxrss()
        return value

    from handbook.config import load_settings
    from handbook.pdf.book import PdfWriter
    from handbook.pipeline import build, check
    from handbook.site.writer import SiteWriter

    settings = load_settings(project)
    work = Path(tempfile.mkdtemp(prefix=".bench-stages-", dir=project))
    result = stage("check", lambda: check(settings))
    library = result.library if result else None
    if library is None:
        res["errors"]["check"] = res["errors"].get("check", "cases did not validate")
    else:
        # the writers through the one orchestrator, as build.py runs them; the instructor edition second,
        # in the same process, as `build --edition instructor` after a trainee build would share caches
        stage("site", lambda: build(settings, library, [SiteWriter(settings)], work / "site"))
        stage("instructor", lambda: build(settings, library, [SiteWriter(settings, "instructor")], work / "site-i"))
        res["index_children_maxrss_mb"] = children_maxrss()
        if with_pdf:
            stage("pdf", lambda: build(settings, library, [PdfWriter(settings)], work / "pdf"))
    shutil.rmtree(work, ignore_errors=True)
    res["children_maxrss_mb"] = children_maxrss()
    print(json.dumps(res))


def measure_stages(project: Path, with_pdf: bool) -> dict:
    r = run_measured([PY, __file__, "--_stages", str(project)] + (["--_stages-pdf"] if with_pdf else []), ROOT)
    try:
        data = json.loads(r["stdout"].strip().splitlines()[-1])
    except (ValueError, IndexError):
        log(f"stages child failed (rc {r['rc']}): {r['stderr'][-2000:]}")
        return {"stages": {}, "errors": {"child": r["stderr"][-500:]}, "rss_mb": r["rss_mb"]}
    data["rss_mb"] = r["rss_mb"]
    for name, err in data["errors"].items():
        log(f"stage {name} failed: {err}")
    return data


# ----------------------------------------------------------------- browser

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_dir(site: Path):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# ms from the input event to the first cards shown (data-first) and to the whole first step of 20 (data-ready)
KEYSTROKE_JS = """term => new Promise(resolve => {
    const input = document.getElementById('hb-q'), f = document.querySelector('.hb-finder');
    const before = [f.dataset.first, f.dataset.ready]; const t0 = performance.now(); let first = null;
    new MutationObserver(() => {
        if (first === null && f.dataset.first !== before[0]) first = performance.now() - t0;
        if (f.dataset.ready !== before[1]) resolve([first === null ? performance.now() - t0 : first, performance.now() - t0]);
    }).observe(f, {attributes: true});
    input.value = term; input.dispatchEvent(new Event('input'));
})"""

# tells the benchmark when the finder first shows cards, to count the bytes fetched before that
FIRST_CARDS_JS = """new MutationObserver((records, obs) => {
    if (document.querySelector('.hb-finder[data-first]')) { window.__hbFirstCards(); obs.disconnect(); }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-first']});"""

COMPRESSED = (".gz", ".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter", ".png", ".jpg", ".woff2", ".wasm")


def _kind(path: str) -> str:
    """A label for what a fetched file is, to show where the finder's bytes go."""
    name = path.rsplit("/", 1)[-1]
    if "/pagefind/" in path:
        for ext in ("pf_fragment", "pf_index", "pf_meta", "pf_filter", "wasm", "js"):
            if ext in name:
                return f"pagefind {ext}"
        return "pagefind other"
    if "/assets/javascripts/" in path:
        return "theme js"
    if "/assets/stylesheets/" in path:
        return "theme css"
    if path.endswith(".js"):
        return "site js"
    if path.endswith(".css"):
        return "site css"
    if path.endswith("/") or path.endswith(".html"):
        return "html"
    return "other"


def measure_browser(site: Path, query: str = "物业") -> dict:
    """Bytes fetched until the finder shows its first result for ?q=query; keystroke → results ms."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    server, url = serve_dir(site)
    res: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                # 1. cold load of the finder with a query, bytes until the first result
                ctx = browser.new_context()
                page = ctx.new_page()
                finished: list = []
                problems: list = []
                page.on("requestfinished", lambda req: finished.append(req))
                page.on("requestfailed", lambda req: problems.append(f"failed {req.url}: {req.failure}"))
                page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                        if m.type in ("error", "warning") else None)
                page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
                first_seen: list[int] = []  # how many requests had finished when the first cards appeared
                page.expose_function("__hbFirstCards", lambda: first_seen.append(len(finished)))
                page.add_init_script(FIRST_CARDS_JS)
                t0 = time.perf_counter()
                page.goto(f"{url}cases/?q={quote(query)}")
                try:
                    page.wait_for_selector(".hb-finder[data-first]", timeout=120_000)
                except Exception as exc:
                    status = page.eval_on_selector(".hb-results__status", "e => e.textContent") \
                        if page.query_selector(".hb-results__status") else ""
                    raise RuntimeError(f"finder not ready after 120 s ({len(finished)} requests finished; "
                                       f"status {status!r}; {problems[:5]}): {exc}") from None
                res["load_to_ready_s"] = time.perf_counter() - t0
                # only what had arrived when the first cards appeared (the rest of the step follows them)
                cut = first_seen[0] if first_seen else len(finished)
                snapshot = finished[:cut]
                raw = gz = 0
                kinds: dict[str, int] = {}
                for req in snapshot:
                    try:
                        sizes = req.sizes()
                        body = sizes["responseBodySize"]
                        head = sizes["responseHeadersSize"]
                    except Exception:
                        body = head = 0
                    raw += max(body, 0) + max(head, 0)
                    path = req.url.split("?")[0]
                    kind = _kind(path)
                    kinds[kind] = kinds.get(kind, 0) + max(body, 0) + max(head, 0)
                    if path.endswith(COMPRESSED) or body <= 0:
                        gz += max(body, 0)
                    else:
                        try:
                            gz += len(gzip.compress(req.response().body(), 6))
                        except Exception:
                            gz += body
                res["requests"] = len(snapshot)
                res["kb_by_kind"] = {k: round(v / 1024) for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])}
                res["first_result_kb"] = raw / 1024
                res["first_result_kb_gzip"] = gz / 1024
                res["results_shown"] = page.eval_on_selector_all(".hb-results__list li", "els => els.length")
                ctx.close()
                # 2. keystroke → results, on a fresh page (index chunks for the term not yet fetched)
                ctx = browser.new_context()
                page = ctx.new_page()
                page.goto(f"{url}cases/")
                page.wait_for_selector(".hb-finder[data-ready]", timeout=120_000)
                res["keystroke_ms"], res["keystroke_all_ms"] = page.evaluate(KEYSTROKE_JS, query)
                warm = [page.evaluate(KEYSTROKE_JS, term) for term in ("电梯", "停车", "居民议事", "加装电梯", "物业")]
                res["keystroke_ms_warm"] = statistics.median(w[0] for w in warm)
                res["keystroke_all_ms_warm"] = statistics.median(w[1] for w in warm)
                ctx.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
    return res


# ----------------------------------------------------------------- edit → reload while serving

def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 5) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except Exception:
        return 0, ""


def measure_edit_reload(project: Path, timeout: float = 1800) -> dict:
    port = free_port()
    case = sorted((project / "cases").glob("case-*.md"))[0]
    cid = case.stem
    proc = subprocess.Popen([PY, "build.py", "serve", "--port", str(port)], cwd=project, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    res: dict = {}
    try:
        deadline = time.monotonic() + timeout
        page_url = None
        t0 = time.perf_counter()
        while time.monotonic() < deadline and proc.poll() is None:
            for candidate in (f"http://127.0.0.1:{port}/cases/{cid}/",):
                status, _ = fetch(candidate, 2)
                if status == 200:
                    page_url = candidate
                    break
            if page_url:
                break
            time.sleep(0.2)
        if not page_url:
            res["error"] = "serve did not come up" + (f": {proc.stderr.read()[-500:]}" if proc.poll() is not None else "")
            return res
        res["first_build_s"] = time.perf_counter() - t0
        time.sleep(1.0)  # let the watcher settle
        text = case.read_text(encoding="utf-8")
        new_title = "基准测试修改后的标题" + str(int(time.time()) % 100000)
        text = re.sub(r"^title: .*$", f"title: {new_title}", text, count=1, flags=re.M)
        t0 = time.perf_counter()
        case.write_text(text, encoding="utf-8")
        while time.monotonic() < deadline and proc.poll() is None:
            _, body = fetch(page_url, 5)
            if new_title in body:
                res["edit_reload_s"] = time.perf_counter() - t0
                break
            time.sleep(0.1)
        else:
            res["error"] = "edited title never appeared"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the serve process and its own children only
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return res


# ----------------------------------------------------------------- reference: plain mkdocs-material

REFERENCE_MKDOCS = """site_name: 社区治理案例手册
docs_dir: docs
theme:
  name: material
  language: zh
  font: false
plugins:
  - search:
      lang: zh
nav:
  - index.md
"""


def _front_and_body(text: str) -> tuple[dict, str]:
    import yaml
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def measure_reference(project: Path, parent: Path) -> dict:
    ref = Path(tempfile.mkdtemp(prefix="ref-", dir=parent))
    docs = ref / "docs"
    (docs / "cases").mkdir(parents=True)
    (docs / "index.md").write_text("# 社区治理案例手册\n\n案例见搜索。\n", encoding="utf-8")
    for path in sorted((project / "cases").glob("*.md")):
        meta, body = _front_and_body(path.read_text(encoding="utf-8"))
        (docs / "cases" / path.name).write_text(f"# {meta['title']}\n\n{meta['summary']}\n\n{body}", encoding="utf-8")
    (ref / "mkdocs.yml").write_text(REFERENCE_MKDOCS, encoding="utf-8")
    r = run_measured([PY, "-m", "mkdocs", "build", "-q"], ref)
    res = {"seconds": r["seconds"], "rss_mb": r["rss_mb"], "rc": r["rc"], "dir": str(ref)}
    if r["rc"] != 0:
        log(f"reference build failed: {r['stderr'][-1500:]}")
        return res
    size, files = dir_size(ref / "site")
    res["site_mb"], res["site_files"] = size / 2**20, files
    index = ref / "site" / "search" / "search_index.json"
    if index.exists():
        res["search_index_mb"] = index.stat().st_size / 2**20
        data = json.loads(index.read_text(encoding="utf-8"))
        sep = data.get("config", {}).get("separator", "")
        text = "".join(d.get("text", "") for d in data.get("docs", [])[:50])
        res["separator"] = sep
        res["jieba_used"] = "\u200b" in text
        res["separator_splits_zwsp"] = bool(re.search(sep, "a\u200bb")) if sep else False
    return res


# ----------------------------------------------------------------- PDF

def pdf_pages(path: Path) -> int | None:
    try:
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else None


PDF_CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from handbook.config import load_settings
from handbook.pipeline import check
from handbook.pdf.book import build_pdf
settings = load_settings(Path({project!r}))
result = check(settings)
assert result.library is not None, [str(p) for p in result.problems][:5]
build_pdf(result.library, settings, Path({out!r}))
"""


def measure_pdf(n: int, parent: Path) -> dict:
    project = make_project(n, parent)
    feats = cli_features(project)
    out = project / "bench.pdf"
    res: dict = {"n": n, "project": str(project)}
    if feats["pdf"]:
        cmd = [PY, "build.py", "pdf", "-o", str(out)]
        res["how"] = "build.py pdf -o FILE"
    elif (ROOT / "handbook" / "pdf" / "book.py").exists():
        cmd = [PY, "-c", PDF_CHILD.format(root=str(ROOT), project=str(project), out=str(out))]
        res["how"] = "handbook.pdf.build_pdf (no `pdf` command yet)"
    else:
        res["how"] = NA
        return res
    log(f"PDF of {n} cases ({res['how']}) ...")
    first = run_measured(cmd, project)
    if first["rc"] != 0 or not out.exists():
        log(f"PDF build failed: {first['stderr'][-1500:]}")
        res["error"] = first["stderr"][-300:]
        return res
    res.update(seconds=first["seconds"], rss_mb=first["rss_mb"], mb=out.stat().st_size / 2**20, pages=pdf_pages(out))
    log(f"PDF: {first['seconds']:.1f} s, {res['pages']} pages; second run ...")
    if feats["pdf"]:
        second = run_measured(cmd, project)
        res["second_seconds"] = second["seconds"] if second["rc"] == 0 else None
    else:
        res["second_seconds"] = None  # build_pdf has no skip path; the second run is measured only through the CLI
    return res


# ----------------------------------------------------------------- PDF parts: tags, completeness gate, case PDFs

def pdf_parts_child(project: Path, tag_cost: bool) -> None:
    """In a child process: the book (tagged, and untagged with --tag-cost), its completeness check, the case PDFs
    (cold, then from the cache). Prints one JSON line."""
    sys.path.insert(0, str(ROOT))
    from handbook.config import load_settings
    from handbook.pdf.book import build_pdf, PdfWriter
    from handbook.pdf.cases import case_pdfs
    from handbook.pdf.gate import check_book
    from handbook.pipeline import check

    settings = load_settings(project)
    library = check(settings).library
    res: dict = {"cases": library.count}

    def timed(fn):
        w, c = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - w, time.process_time() - c

    shutil.rmtree(settings.cache_dir / "pdf", ignore_errors=True)
    if tag_cost:  # a first render pays for loading fonts and code: warm up, so that both timed renders are warm
        build_pdf(library, settings, project / "warm-up.pdf", tagged=False)
    writer = PdfWriter(settings)
    box = {}
    res["book_s"], res["book_cpu_s"] = timed(lambda: box.setdefault("book", writer.cached(library)))
    book = box["book"]
    res["book_mb"] = book.stat().st_size / 2**20
    res["pages"] = pdf_pages(book)
    res["gate_s"], res["gate_cpu_s"] = timed(lambda: check_book(book, library))
    if tag_cost:
        plain = project / "untagged.pdf"
        res["untagged_s"], res["untagged_cpu_s"] = timed(lambda: build_pdf(library, settings, plain, tagged=False))
        res["untagged_mb"] = plain.stat().st_size / 2**20
    cache, out = settings.cache_dir / "case-pdf" / "bench", project / "case-out"
    shutil.rmtree(cache, ignore_errors=True)
    res["case_pdfs_s"], _ = timed(lambda: case_pdfs(book, library, settings, cache, out))
    sizes = [p.stat().st_size for p in (out / "cases").glob("*.pdf")]
    res["case_pdfs"], res["case_pdfs_mb"] = len(sizes), sum(sizes) / 2**20
    res["case_pdf_kb_max"] = max(sizes) / 1024 if sizes else 0
    res["case_pdfs_cached_s"], _ = timed(lambda: case_pdfs(book, library, settings, cache, out))
    print(json.dumps(res))


def measure_pdf_parts(n: int, parent: Path, tag_cost: bool) -> dict:
    """The PDF parts for n generated cases, or for the shipped cases when n is 0."""
    if n:
        project = make_project(n, parent)
    else:
        project = Path(tempfile.mkdtemp(prefix="shipped-", dir=parent))
        for name in ("templates", "content", "cases"):
            shutil.copytree(ROOT / name, project / name)
        shutil.copy(ROOT / "handbook.yml", project / "handbook.yml")
    log(f"PDF parts of {'the shipped cases' if not n else f'{n} cases'} ...")
    r = run_measured([PY, __file__, "--_pdf-parts", str(project)] + (["--_tag-cost"] if tag_cost else []), ROOT)
    if r["rc"] != 0:
        log(f"PDF parts failed: {r['stderr'][-1500:]}")
        return {"n": n, "error": r["stderr"][-300:]}
    res = json.loads(r["stdout"].strip().splitlines()[-1])
    res.update(n=n, rss_mb=r["rss_mb"])
    log(f"PDF parts: {res}")
    return res


def pdf_parts_table(rows: list[dict]) -> str:
    head = ["cases", "book s (CPU s)", "pages", "book MB", "untagged s (CPU s)", "untagged MB", "tags: CPU / size",
            "gate s", "case PDFs cold s (×book)", "case PDFs MB (max KB)", "case PDFs cached s", "peak RSS MB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['n'] or 'shipped'} | error |" + " |" * (len(head) - 2))
            continue
        tags = (f"+{100 * (r['book_cpu_s'] / r['untagged_cpu_s'] - 1):.0f}% / +{100 * (r['book_mb'] / r['untagged_mb'] - 1):.0f}%"
                if "untagged_s" in r else NA)
        lines.append("| " + " | ".join([
            f"{r['cases']}" + (" (shipped)" if not r["n"] else ""), f"{r['book_s']:.1f} ({r['book_cpu_s']:.1f})",
            str(r.get("pages")), f"{r['book_mb']:.2f}",
            f"{r['untagged_s']:.1f} ({r['untagged_cpu_s']:.1f})" if "untagged_s" in r else NA,
            fmt(r.get("untagged_mb"), 2), tags, f"{r['gate_s']:.1f}",
            f"{r['case_pdfs_s']:.1f} ({r['case_pdfs_s'] / r['book_s']:.2f})",
            f"{r['case_pdfs_mb']:.1f} ({r['case_pdf_kb_max']:.0f})", f"{r['case_pdfs_cached_s']:.1f}",
            fmt(r.get("rss_mb"), 0)]) + " |")
    return "\n".join(lines)


# ----------------------------------------------------------------- the book at library scale: pieces against one document

def pdf_scale_child(project: Path, mode: str) -> None:
    """In a child process, one of: "single" (the book as one WeasyPrint document, the reference), "pieces" (in
    pieces, cache emptied first: cold), "edit" (one case in the middle of the book gets a sentence more, then the
    book in pieces again), "again" (nothing changed: every piece from cache). Prints one JSON line."""
    sys.path.insert(0, str(ROOT))
    from handbook.config import load_settings
    from handbook.pdf.book import build_pdf, build_pdf_in_pieces
    from handbook.pipeline import check

    settings = load_settings(project)
    out = project / f"book-{mode}.pdf"
    if mode == "edit":
        case = sorted((project / "cases").glob("case-*.md"))[len(list((project / "cases").glob("case-*.md"))) // 2]
        text = case.read_text(encoding="utf-8")
        case.write_text(text.rstrip("\n") + "\n\n这次修订补充了一段说明，记录居民议事会后来的回访情况。\n", encoding="utf-8")
    library = check(settings).library
    w, c = time.perf_counter(), time.process_time()
    res: dict = {"mode": mode, "cases": library.count}
    if mode == "single":
        build_pdf(library, settings, out)
    else:
        if mode == "pieces":
            shutil.rmtree(settings.cache_dir / "pdf", ignore_errors=True)
        renderer = build_pdf_in_pieces(library, settings, out)
        res["laid_out"] = renderer.laid_out
        res["pieces"] = len(renderer.used)
    res["seconds"], res["cpu_s"] = time.perf_counter() - w, time.process_time() - c
    res["pages"], res["mb"] = pdf_pages(out), out.stat().st_size / 2**20
    print(json.dumps(res))


def measure_pdf_scale(n: int, parent: Path, reference_max: int) -> dict:
    """The n-case book: one document (up to reference_max cases) against pieces cold, after an edit, unchanged."""
    project = make_project(n, parent)
    res: dict = {"n": n}
    for mode in (["single"] if n <= reference_max else []) + ["pieces", "edit", "again"]:
        log(f"book of {n} cases: {mode} ...")
        r = run_measured([PY, __file__, "--_pdf-scale", str(project), mode], ROOT)
        if r["rc"] != 0:
            log(f"book of {n} cases, {mode}: failed: {r['stderr'][-1500:]}")
            res[mode] = {"error": r["stderr"][-300:]}
            continue
        one = json.loads(r["stdout"].strip().splitlines()[-1])
        one["rss_mb"] = r["rss_mb"]
        res[mode] = one
        log(f"book of {n} cases, {mode}: {one}")
    return res


def pdf_scale_table(rows: list[dict]) -> str:
    head = ["cases", "pages", "one document s (peak MB)", "pieces cold s (× one document)", "peak MB",
            "one case edited s (× cold)", "pieces laid out again", "unchanged s", "book MB (one document)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        single, cold, edit, again = (r.get(k, {}) for k in ("single", "pieces", "edit", "again"))
        ok = lambda d: d and "error" not in d  # noqa: E731
        lines.append("| " + " | ".join([
            str(r["n"]), str(cold.get("pages", NA)),
            f"{single['seconds']:.1f} ({single['rss_mb']:.0f})" if ok(single) else NA,
            (f"{cold['seconds']:.1f}" + (f" ({cold['seconds'] / single['seconds']:.2f})" if ok(single) else ""))
            if ok(cold) else "error",
            f"{cold['rss_mb']:.0f}" if ok(cold) else NA,
            f"{edit['seconds']:.1f} ({edit['seconds'] / cold['seconds']:.2f})" if ok(edit) and ok(cold) else NA,
            f"{edit.get('laid_out', NA)} of {edit.get('pieces', NA)}" if ok(edit) else NA,
            f"{again['seconds']:.1f}" if ok(again) else NA,
            f"{cold['mb']:.1f}" + (f" ({single['mb']:.1f})" if ok(single) else "") if ok(cold) else NA,
        ]) + " |")
    return "\n".join(lines)


# ----------------------------------------------------------------- one N

def measure_n(n: int, parent: Path, args) -> dict:
    log(f"N={n}: generating cases ...")
    t0 = time.perf_counter()
    project = make_project(n, parent)
    size, _ = dir_size(project / "cases")
    row: dict = {"n": n, "project": str(project), "cases_mb": size / 2**20}
    log(f"N={n}: generated in {time.perf_counter() - t0:.1f} s ({size / 2**20:.1f} MB of case files) in {project}")
    feats = cli_features(project)
    row["features"] = {k: v for k, v in feats.items() if k != "help"}
    pdf_wanted = args.pdf_per_n and n <= args.full_pdf_max
    row["load_before"] = os.getloadavg()

    # 2. full builds
    if feats["no_pdf"]:
        clean_build_outputs(project)
        log(f"N={n}: build.py --no-pdf ...")
        r = run_measured([PY, "build.py", "build", "--no-pdf"], project)
        row["site_build"] = r if r["rc"] == 0 else None
        if r["rc"] != 0:
            log(f"build --no-pdf failed: {r['stderr'][-1500:]}")
    if pdf_wanted or not feats["no_pdf"]:
        clean_build_outputs(project)
        log(f"N={n}: build.py ...")
        r = run_measured([PY, "build.py"], project)
        if r["rc"] != 0:
            log(f"build failed: {r['stderr'][-1500:]}")
            r = None
        has_pdf = bool(r) and any((project / "site").glob("*.pdf"))
        if has_pdf:
            row["full_build"] = r
        elif not feats["no_pdf"]:
            row["site_build"] = r  # the build makes no PDF yet: it is the site alone
    for key in ("site_build", "full_build"):
        if row.get(key):
            log(f"N={n}: {key}: {row[key]['seconds']:.1f} s, {row[key]['rss_mb']:.0f} MB")
            row[key] = {k: v for k, v in row[key].items() if k not in ("stdout", "stderr")}

    site = project / "site"
    if site.is_dir():
        size, files = dir_size(site, exclude=("handbook.pdf",))
        row["site_mb"], row["site_files"] = size / 2**20, files

    # 3. stages in a child process
    log(f"N={n}: stages in a child process ...")
    row["stages"] = measure_stages(project, with_pdf=pdf_wanted and n <= args.stage_pdf_max)
    log(f"N={n}: stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in row["stages"].get("stages", {}).items()))

    # 4. browser
    if not args.no_browser and site.is_dir():
        log(f"N={n}: browser ...")
        try:
            row["browser"] = measure_browser(site)
            log(f"N={n}: browser: {row['browser']}")
        except Exception as exc:
            log(f"browser measurement failed: {type(exc).__name__}: {exc}")
            row["browser"] = {"error": str(exc)}

    # 5. edit → reload
    if feats["serve"] and not args.no_serve:
        log(f"N={n}: build.py serve, edit → reload ...")
        row["serve"] = measure_edit_reload(project)
        log(f"N={n}: serve: {row['serve']}")

    # 6. reference
    if not args.no_reference:
        log(f"N={n}: reference (plain mkdocs-material + search lang zh + jieba) ...")
        row["reference"] = measure_reference(project, parent)
        log(f"N={n}: reference: {row['reference'].get('seconds', 0):.1f} s")
    row["load_after"] = os.getloadavg()
    return row


# ----------------------------------------------------------------- output

def fmt(v, digits=1, unit=""):
    if v is None or v == NA:
        return NA
    if isinstance(v, str):
        return v
    return f"{v:.{digits}f}{unit}"


def table(rows: list[dict]) -> str:
    head = ["N", "site build s", "site+PDF build s", "check s", "site writer s", "instructor site s (×trainee)", "PDF s",
            "peak RSS MB (site / site+PDF / stages)", "site MB (files)", "finder KB to 1st result (gzip)",
            "keystroke→results ms (first / 20)", "edit→reload s", "reference s (RSS MB)", "ours/reference"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        st = r.get("stages", {}).get("stages", {})
        errs = r.get("stages", {}).get("errors", {})
        sb, fb = r.get("site_build"), r.get("full_build")
        b = r.get("browser") or {}
        ref = r.get("reference") or {}
        srv = r.get("serve")

        def stage(name):
            if name in errs:
                return "error"
            return fmt(st.get(name))

        def instructor():
            if "instructor" in errs:
                return "error"
            a, b2 = st.get("site"), st.get("instructor")
            return f"{b2:.1f} ({b2 / a:.2f})" if a and b2 else NA

        rss = " / ".join(fmt(x.get("rss_mb"), 0) if x else NA for x in (sb, fb, r.get("stages")))
        if "error" in b:
            finder = keystroke = "error"
        else:
            finder = (f"{b['first_result_kb']:.0f} ({b['first_result_kb_gzip']:.0f})"
                      if "first_result_kb" in b else NA)
            keystroke = f'{fmt(b.get("keystroke_ms"), 0)} / {fmt(b.get("keystroke_all_ms"), 0)}' \
                if "keystroke_all_ms" in b else fmt(b.get("keystroke_ms"), 0)
        if srv is None:
            edit = NA
        else:
            edit = fmt(srv.get("edit_reload_s")) if "edit_reload_s" in srv else "error"
        if "pdf" in st or "pdf" in errs:
            pdf_s = stage("pdf")
        elif sb and fb:
            pdf_s = f"≈{fb['seconds'] - sb['seconds']:.1f}"
        else:
            pdf_s = NA
        ours = (sb or {}).get("seconds")
        refs = ref.get("seconds") if ref.get("rc") == 0 else None
        ratio = f"{ours / refs:.2f}" if ours and refs else NA
        site = f"{r['site_mb']:.1f} ({r['site_files']})" if "site_mb" in r else NA
        lines.append("| " + " | ".join([
            str(r["n"]), fmt((sb or {}).get("seconds")), fmt((fb or {}).get("seconds")),
            stage("check"), stage("site"), instructor(), pdf_s,
            rss, site, finder, keystroke, edit,
            f"{refs:.1f} ({ref['rss_mb']:.0f})" if refs else NA, ratio]) + " |")
    return "\n".join(lines)


def pdf_table(p: dict) -> str:
    head = ["PDF cases", "seconds", "peak RSS MB", "pages", "MB", "second run s", "how"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines.append("| " + " | ".join([str(p["n"]), fmt(p.get("seconds")), fmt(p.get("rss_mb"), 0),
                                    str(p.get("pages") or NA), fmt(p.get("mb"), 2), fmt(p.get("second_seconds")),
                                    p.get("how", NA) if "error" not in p else "error"]) + " |")
    return "\n".join(lines)


def notes(rows: list[dict]) -> str:
    out = []
    for r in rows:
        f = r.get("features", {})
        if f.get("no_pdf") and not r.get("full_build"):
            out.append(f"- N={r['n']}: site+PDF build not timed for this N (`--quick`, `--no-pdf` or above "
                       f"`--full-pdf-max`); see the PDF table.")
        elif not f.get("no_pdf") and r.get("site_build") and not r.get("full_build"):
            out.append(f"- N={r['n']}: `python build.py` made no PDF (no PDF stage in the build yet): "
                       "the full-build figure is the site alone.")
        elif not f.get("no_pdf") and r.get("full_build"):
            out.append(f"- N={r['n']}: no `--no-pdf` option: only the full build (site + PDF) was timed.")
        if "load_before" in r:
            out.append(f"- N={r['n']}: load average (1 min) {r['load_before'][0]:.1f} before, "
                       f"{r.get('load_after', [0])[0]:.1f} after (2 cores; other work running makes figures noisy).")
        ref = r.get("reference") or {}
        if "separator" in ref:
            out.append(f"- N={r['n']}: reference search index {ref.get('search_index_mb', 0):.1f} MB, separator "
                       f"`{ref['separator']}`, jieba segmentation {'on' if ref.get('jieba_used') else 'OFF'}, "
                       f"separator splits on U+200B: {ref.get('separator_splits_zwsp')}; "
                       f"reference site {ref.get('site_mb', 0):.1f} MB ({ref.get('site_files')} files).")
        b = r.get("browser") or {}
        if "requests" in b:
            out.append(f"- N={r['n']}: finder `?q=物业`: {b['requests']} requests until the first result, "
                       f"{b.get('results_shown')} results shown, {b['load_to_ready_s']:.2f} s load→ready; KB by kind: "
                       + ", ".join(f"{k} {v}" for k, v in b.get("kb_by_kind", {}).items())
                       + f"; keystroke→first cards / all 20 warm (median of 5 terms) {b['keystroke_ms_warm']:.0f} / "
                       f"{b['keystroke_all_ms_warm']:.0f} ms.")
        srv = r.get("serve")
        if srv and "error" in srv:
            out.append(f"- N={r['n']}: serve: {srv['error']}")
        if "stages" in r:
            st = r["stages"]
            if st.get("maxrss_mb"):
                out.append(f"- N={r['n']}: stage child maxrss after each stage (MB): "
                           + ", ".join(f"{k} {v:.0f}" for k, v in st["maxrss_mb"].items())
                           + f"; Pagefind child {st.get('index_children_maxrss_mb', 0):.0f}")
    return "\n".join(out)


def code_stamp() -> dict:
    """Modification times of the project's code, templates and config: a change during a run skews its figures
    (and invalidates the PDF cache, whose key covers handbook/pdf/book.py and the templates)."""
    stamp = {}
    for folder in ("handbook", "templates"):
        for p in (ROOT / folder).rglob("*"):
            if p.is_file():
                stamp[p.relative_to(ROOT).as_posix()] = p.stat().st_mtime_ns
    for name in ("mkdocs.yml", "handbook.yml", "build.py"):
        if (ROOT / name).exists():
            stamp[name] = (ROOT / name).stat().st_mtime_ns
    return stamp


def measure_alone(ns: list[int], measure, keep: bool) -> list[dict]:
    """measure(n, parent) for each n, in a temporary folder removed afterwards unless keep."""
    parent = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    try:
        return [measure(n, parent) for n in ns]
    finally:
        if not keep:
            shutil.rmtree(parent, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, nargs="+", metavar="N", help="numbers of generated cases (default 100 1000 5000)")
    ap.add_argument("--pdf-cases", type=int, metavar="N", help="cases in the PDF benchmark (default 200; 0 skips it)")
    ap.add_argument("--quick", action="store_true",
                    help="100 and 300 cases, site only per N, PDF of 50 (a few minutes)")
    ap.add_argument("--no-reference", action="store_true", help="skip the plain mkdocs-material reference build")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    ap.add_argument("--no-serve", action="store_true", help="skip edit → reload with build.py serve")
    ap.add_argument("--no-pdf", action="store_true", help="skip every PDF measurement (site builds only)")
    ap.add_argument("--stage-pdf-max", type=int, default=300, metavar="N",
                    help="time the PDF stage in-process only up to N cases (default 300); above, the PDF column "
                         "shows ≈ (site+PDF build) − (site build)")
    ap.add_argument("--full-pdf-max", type=int, default=1000, metavar="N",
                    help="time the site+PDF build only up to N cases (default 1000: a 5,000-case book is "
                         "~16,000 pages and takes a quarter of an hour)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary projects")
    ap.add_argument("--json", metavar="FILE", help="also write every measurement as JSON")
    ap.add_argument("--pdf-parts", type=int, nargs="+", metavar="N",
                    help="measure the book, its completeness check and the case PDFs for N generated cases "
                         "(0: the shipped cases); alone, nothing else is measured")
    ap.add_argument("--tag-cost", action="store_true", help="with --pdf-parts: also render the book untagged")
    ap.add_argument("--pdf-scale", type=int, nargs="+", metavar="N",
                    help="the book of N generated cases laid out in pieces (cold, one case edited, unchanged) "
                         "against one WeasyPrint document; alone, nothing else is measured")
    ap.add_argument("--pdf-scale-reference-max", type=int, default=1000, metavar="N",
                    help="with --pdf-scale: lay the book out as one document only up to N cases (default 1000)")
    ap.add_argument("--_stages", metavar="PROJECT", help=argparse.SUPPRESS)
    ap.add_argument("--_stages-pdf", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--_pdf-parts", metavar="PROJECT", help=argparse.SUPPRESS)
    ap.add_argument("--_tag-cost", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--_pdf-scale", nargs=2, metavar=("PROJECT", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._stages:
        stages_child(Path(args._stages), args._stages_pdf)
        return 0
    if args._pdf_parts:
        pdf_parts_child(Path(args._pdf_parts), args._tag_cost)
        return 0
    if args._pdf_scale:
        pdf_scale_child(Path(args._pdf_scale[0]), args._pdf_scale[1])
        return 0
    if args.pdf_scale and not args.cases:
        print(pdf_scale_table(measure_alone(
            args.pdf_scale, lambda n, parent: measure_pdf_scale(n, parent, args.pdf_scale_reference_max), args.keep)))
        return 0
    if args.pdf_parts and not args.cases:
        print(pdf_parts_table(measure_alone(
            args.pdf_parts, lambda n, parent: measure_pdf_parts(n, parent, args.tag_cost), args.keep)))
        return 0
    cases = args.cases or ([100, 300] if args.quick else [100, 1000, 5000])
    pdf_cases = args.pdf_cases if args.pdf_cases is not None else (50 if args.quick else 200)
    if args.no_pdf:
        pdf_cases = 0
    # --quick times the PDF once (the PDF table), not per N: site+PDF builds of 100 and 300 cases take minutes
    args.pdf_per_n = not args.no_pdf and not args.quick
    if not args.no_reference:
        try:
            import jieba  # noqa: F401
        except ImportError:
            log("warning: jieba is not installed: the reference search would not segment Chinese "
                "(`.venv/bin/pip install jieba`)")
    stamp = code_stamp()
    parent = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    log(f"temporary projects in {parent}")
    rows, pdf = [], None
    try:
        for n in cases:
            rows.append(measure_n(n, parent, args))
        if pdf_cases:
            pdf = measure_pdf(pdf_cases, parent)
    finally:
        if args.keep:
            log(f"kept {parent}")
        else:
            shutil.rmtree(parent, ignore_errors=True)
    print(table(rows))
    if pdf:
        print()
        print(pdf_table(pdf))
    text = notes(rows)
    after = code_stamp()
    changed = sorted(k for k in stamp.keys() | after.keys() if stamp.get(k) != after.get(k))
    if changed:
        text += ("\n- warning: project files changed while the benchmark ran (figures may mix two versions; "
                 "the PDF cache key covers the PDF code): " + ", ".join(changed[:10]))
        log("warning: code changed during the run: " + ", ".join(changed[:10]))
    if text:
        print()
        print(text)
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "pdf": pdf}, ensure_ascii=False, indent=1, default=str),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
