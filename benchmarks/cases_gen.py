"""Generated cases: N valid cases drawn deterministically from real community-governance words, in a
throwaway copy of the project (handbook/ symlinked); the command line's features; output clean-up.
"""
from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from measure import PY, ROOT


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


def cli_features(project: Path) -> dict:
    def helptext(*args):
        out = subprocess.run([PY, "build.py", *args, "--help"], cwd=project, capture_output=True, text=True)
        return out.stdout + out.stderr if out.returncode == 0 else ""

    top = helptext()
    build = helptext("build")
    commands = set(re.findall(r"^\s{4}([a-z][a-z-]+)\s", top, re.M))
    return {"pdf": "pdf" in commands, "serve": "serve" in commands,
            "no_pdf": "--no-pdf" in build or "--no-pdf" in top, "help": top}


def clean_build_outputs(project: Path) -> None:
    shutil.rmtree(project / "site", ignore_errors=True)
    shutil.rmtree(project / ".cache", ignore_errors=True)


def shipped_project(parent: Path) -> Path:
    """A throwaway copy of the project with the shipped cases and packs (the code is linked, not copied)."""
    project = Path(tempfile.mkdtemp(prefix="shipped-", dir=parent))
    for name in ("templates", "content", "cases", "packs"):
        shutil.copytree(ROOT / name, project / name)
    for name in ("mkdocs.yml", "handbook.yml", "build.py"):
        shutil.copy(ROOT / name, project / name)
    (project / "handbook").symlink_to(ROOT / "handbook")
    return project
