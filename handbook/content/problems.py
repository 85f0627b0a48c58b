"""Content problems as values: every stage returns them, only report.py prints them.

Each problem has a code; its wording (Chinese and English) lives in MESSAGES so
that the instructors' interface is in one place and tested word for word.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"

MESSAGES: dict[str, tuple[str, str]] = {
    # file level
    "not-utf8": ("文件不是 UTF-8 编码（看起来像 {guess}），请在编辑器中“另存为 UTF-8”",
                 "file is not UTF-8 (it looks like {guess}); save it as UTF-8"),
    "empty-file": ("文件是空的，请从 cases/_template.md 复制模板", "file is empty; copy cases/_template.md"),
    "too-large": ("文件有 {size} 字节，超过上限 {limit} 字节，请拆分或删减",
                  "file is {size} bytes, over the limit of {limit} bytes"),
    "no-front-matter": ("文件没有以 --- 开头的前言信息（front matter），请从 cases/_template.md 复制模板",
                        "no front matter: the file must start with a line '---'"),
    "unclosed-front-matter": ("前言信息（front matter）没有结束行 ---", "front matter is not closed by a line '---'"),
    "yaml-syntax": ("前言信息（YAML）格式错误：{detail}", "YAML syntax error: {detail}"),
    "fullwidth-colon": ("字段 {field} 后面用了中文冒号“：”，请改成英文冒号“:”加一个空格（切换到英文输入法再输入）",
                        "field '{field}' is followed by a full-width colon '：'; type ': ' instead"),
    "fullwidth-indent": ("这一行用全角空格（中文输入法下的空格）缩进，请改用半角空格（切换到英文输入法再输入）",
                         "this line is indented with full-width spaces (U+3000); use ordinary spaces"),
    "chinese-comma-list": ("字段 {field} 的列表用了中文逗号“，”或顿号“、”分隔，请改用英文逗号：{fixed}",
                           "the list of '{field}' is separated by Chinese commas; use ASCII commas: {fixed}"),
    "yaml-tab": ("前言信息中使用了制表符（Tab）缩进，请改用空格", "tab character used for indentation; use spaces"),
    "yaml-alias": ("前言信息中不允许使用 YAML 锚点或别名（& 和 *）", "YAML anchors and aliases (& and *) are not allowed"),
    "yaml-duplicate-key": ("字段 {field} 出现了两次", "field '{field}' appears twice"),
    "front-matter-not-mapping": ("前言信息必须是“字段: 值”的形式，现在是{kind}",
                                 "front matter must be a mapping of fields, not {kind_en}"),
    "bad-id": ("文件名“{name}”不符合规则：只能用小写英文字母、数字和单个连字符，长度 3 到 80，例如 xiqiao-yueyuetan.md",
               "bad file name '{name}': use lowercase letters, digits and single hyphens, 3 to 80 characters"),
    "duplicate-id": ("案例编号“{id}”与 {other} 重复（只有大小写不同也算重复）",
                     "case id '{id}' duplicates {other} (ids differing only in case clash)"),
    # fields
    "unknown-field": ("未知字段 {field}{hint}", "unknown field '{field}'{hint_en}"),
    "missing-field": ("缺少必填字段 {field}（{label}），请填写", "required field '{field}' is missing"),
    "wrong-type": ("字段 {field} 应为{expected}，现在是{actual}", "field '{field}' must be {expected_en}, not {actual_en}"),
    "length": ("字段 {field} 应为 {min} 到 {max} 个字，现在是 {n} 个字",
               "field '{field}' must be {min} to {max} characters long, it is {n}"),
    "count": ("字段 {field} 应有 {min} 到 {max} 项，现在有 {n} 项", "field '{field}' must have {min} to {max} entries, it has {n}"),
    "empty-value": ("字段 {field} 中有空值", "field '{field}' has an empty entry"),
    "repeat": ("字段 {field} 中“{value}”重复出现", "field '{field}' repeats '{value}'"),
    "out-of-range": ("字段 {field} 应在 {min} 到 {max} 之间，现在是 {value}", "{field} must be between {min} and {max}, it is {value}"),
    "bad-date": ("字段 {field} 的日期“{value}”无效，应写成 {formats}", "field '{field}': bad date '{value}', use {formats_en}"),
    "bad-url": ("字段 {field} 的网址“{value}”无效，只允许 http:// 或 https:// 开头的网址",
                "field '{field}': bad URL '{value}', only http and https URLs are allowed"),
    "bad-status": ("字段 status 只能是 published 或 draft，现在是“{value}”", "status must be 'published' or 'draft', not '{value}'"),
    "bad-case-kind": ("字段 case_kind 只能是 决策案例 或 经验材料，现在是“{value}”",
                      "case_kind must be '决策案例' (decision case) or '经验材料' (practice briefing), not '{value}'"),
    "source-missing": ("sources 第 {n} 项缺少 {field}", "sources entry {n} has no '{field}'"),
    "source-unknown": ("sources 第 {n} 项有未知字段 {field}{hint}", "sources entry {n} has an unknown field '{field}'{hint_en}"),
    "teaching-note-twice": ("教学说明只能有一节，这里又出现了“{heading}”，请把两节合并",
                            "a second '{heading}' section: a case has at most one teaching note"),
    "teaching-note-heading": ("“{found}”看起来是教学说明的标题，但写法不对：请写成“{heading}”（两个井号、一个空格），"
                              "否则这段内容会被学员看到",
                              "'{found}' looks like a teaching-note heading: write it exactly '{heading}', "
                              "or trainees will see it"),
    "teaching-note-part-outside": ("“{found}”是教学说明里的小标题，但它不在“{heading}”一节里：请把它移到“{heading}”下面，"
                                   "否则这段内容会被学员看到",
                                   "'{found}' is a teaching-note sub-heading outside the '{heading}' section: move it "
                                   "under '{heading}', or trainees will see it"),
    "teaching-note-missing": ("这个案例还没有教学说明（“{heading}”一节），教师版中它没有教学建议",
                              "no teaching note ('{heading}'): the instructor edition has no guidance for this case"),
    "pack-unknown-case": ("课程包里的案例“{id}”不存在{hint}", "pack lists a case that does not exist: '{id}'{hint_en}"),
    "pack-broken-case": ("案例 {id} 本身有错误，见上方；改好后这个课程包就能使用它",
                         "case '{id}' has errors of its own, see above"),
    "pack-title-case": ("“{title}”是案例的标题，课程包里要写案例编号：请改为 {id}",
                        "'{title}' is a case title; a pack lists case ids: write {id}"),
    "pack-draft-case": ("案例“{id}”还是草稿（status: draft），不能放进课程包", "case '{id}' is a draft and cannot be in a pack"),
    "pack-repeat-case": ("案例“{id}”在这个课程包里出现了两次", "case '{id}' appears twice in this pack"),
    "reserved-id": ("{kind_zh}编号“{id}”与自动生成的页面冲突：{page} 已用于{owner}，请给文件换一个名字",
                    "{kind_en} id '{id}' collides with a generated page: {page} is {owner_en}; rename the file"),
    # files in cases/ that the build would skip (mistakes/stray.py)
    "stray-docx": ("这是 Word 文件，网站不会收录：请运行 python build.py import {file} 导入",
                   "a Word file is not a case: run python build.py import {file} to import it"),
    "stray-doc": ("这是旧版 Word 文件（.doc），网站不会收录：请在 Word 中另存为 {docx}，再运行 python build.py import {docx} 导入",
                  "an old Word file is not a case: save it as {docx} in Word, then run python build.py import {docx}"),
    "stray-word-original": ("Word 原稿 {name} 不会被网站使用（案例是 {case}）；可以把它移出 cases/",
                            "the Word original {name} is not used (the case is {case}); it may be moved out of cases/"),
    "stray-text": ("文件名以 .md 以外的扩展名结尾，网站不会收录：请把 {name} 改名为 {new}"
                   "（记事本保存时请把“保存类型”选为“所有文件”）",
                   "not a .md file, so it is not on the site: rename {name} to {new}"),
    "stray-folder-case": ("案例文件放在了子文件夹 {folder} 里，网站不会收录：请把 {name} 移到 cases/ 下",
                          "a case in the subfolder {folder} is not on the site: move {name} into cases/"),
    "stray-folder": ("子文件夹 {folder} 里没有案例，网站不使用它；图片请放在 cases/images/ 下",
                     "the subfolder {folder} is not used; images go under cases/images/"),
    "stray-image": ("图片 {name} 没有放在 cases/images/ 下，网站不使用它：请把它移到 cases/images/",
                    "the image {name} is not under cases/images/ and is not used: move it there"),
    "stray-file": ("文件 {name} 不是案例（案例文件以 .md 结尾），网站不使用它；请把它移出 cases/",
                   "{name} is not a case (case files end in .md) and is not used; move it out of cases/"),
    "duplicate-title": ("标题与 {other} 相同：是不是同一个案例存了两份？如果是，请删掉其中一份；如果不是，请改得能区分开",
                        "same title as {other}: the same case twice? delete one copy, or tell them apart"),
    "duplicate-sources": ("来源、地区、标题和摘要都与 {other} 相近：是不是同一个案例存了两份？如果是，请删掉其中一份",
                          "the same sources and district, a similar title and summary as {other}: the same case twice? delete one copy"),
    # taxonomy
    "unknown-value": ("未知的{kind_zh}“{value}”。{hint}新的{kind_zh}请先添加到 cases/taxonomy.yml",
                      "unknown {kind_en} '{value}'.{hint_en} New values are added to cases/taxonomy.yml"),
    "district-other-city": ("{value}属于{other_city}：请把 city 改为 {other_city}（现在是 {city}），或者改正 district",
                            "'{value}' is a district of {other_city}: change city to {other_city} (it is {city})"),
    "district-other-cities": ("{value}不在{city}，而在{other_cities}：请把 city 改为其中一个，或者改正 district",
                              "'{value}' is not in {city} but in {other_cities}: change city to one of them"),
    "unknown-district": ("{city}没有“{value}”这个区。{hint}如果案例不在{city}，请把 city 改为案例所在的城市；"
                         "如果是{city}新的区，请先添加到 cases/taxonomy.yml",
                         "{city} has no district '{value}'.{hint_en} If the case is in another city, change city; "
                         "a new district is added to cases/taxonomy.yml"),
    "image-web": ("图片“{target}”是网上的地址：网站不能从别的网站取图片，PDF 里也会缺这张图。请把图片下载保存到 "
                  "cases/images/{name}，写成 images/{name}，并在图片说明里注明来源",
                  "image '{target}' is a web address: save it as cases/images/{name} and write images/{name}"),
    "image-absolute": ("图片“{target}”是你电脑上的路径，别人的电脑和网站上都没有这个文件：请把图片复制到 "
                       "cases/images/{name}，写成 images/{name}",
                       "image '{target}' is a path on your computer: copy it to cases/images/{name} "
                       "and write images/{name}"),
    "image-space": ("图片路径“{target}”中有空格，网页上会显示不出来：请把文件改名为不带空格的名字，例如 {new}，"
                    "并把这里改成同样的名字",
                    "image path '{target}' has a space: rename the file, e.g. {new}, and write that name here"),
    "image-heavy": ("图片“{target}”有 {mb} MB（超过 {limit} MB）：网站和 PDF 会自动使用缩小的副本，原图保留；"
                    "但这么大的原图会让资料库变大，建议先缩小到 2000 像素宽左右再放进来",
                    "image '{target}' is {mb} MB (over {limit} MB): the outputs use a scaled copy; "
                    "consider scaling the original to about 2000 px"),
    # places (handbook/places/check.py)
    "street-citywide": ("district 写的是“全市”，但案例写明了街道“{street}”，按统计用区划代码它属于{where}："
                        "请把 district 改为{choices}（“全市”只用于全市范围的做法）",
                        "district is 全市 but the case names the street '{street}', which lies in {where}; "
                        "write district: {choices} (全市 is for city-wide programmes only)"),
    "street-other-district": ("街道“{street}”按统计用区划代码属于{where}，不在{district}：请核对 district 和 street",
                              "the street '{street}' lies in {where} by the statistical division codes, "
                              "not in {district}; check district and street"),
    "street-unknown": ("统计用区划代码中{city}没有街道“{street}”，请核对写法（对照表：content/places.yml）",
                       "the statistical division codes list no street '{street}' in {city}; check its spelling "
                       "(table: content/places.yml)"),
    "places-city-missing": ("街道对照表 content/places.yml 中还没有{city}，请运行 python scripts/update_places.py",
                            "the street table content/places.yml has no {city} yet; run python scripts/update_places.py"),
    "places": ("街道对照表错误：{detail}", "street table error"),
    # body
    "missing-section": ("缺少推荐的小节“## {section}”", "recommended section '## {section}' is missing"),
    "section-misnamed": ("“{found}”不是推荐小节的写法：是否应为“## {section}”？（两个半角井号、一个空格，再写小节名）",
                         "'{found}' is not a section heading: did you mean '## {section}'?"),
    "broken-case-link": ("链接指向不存在的案例“{target}”", "link to a case that does not exist: '{target}'"),
    "missing-image": ("图片“{target}”不存在（图片应放在 cases/images/ 下）", "image '{target}' does not exist (put images under cases/images/)"),
    # taxonomy file
    "taxonomy": ("分类表错误：{detail}", "taxonomy error"),
    # synonym table (content/synonyms.yml, handbook/content/synonyms.py)
    "synonyms-yaml": ("同义词表格式错误：{detail}", "synonym table: YAML error: {detail_en}"),
    "synonyms-not-mapping": ("同义词表应有 one_way（单向）和/或 two_way（双向）两部分",
                             "the synonym table needs one_way and/or two_way"),
    "synonyms-unknown-key": ("同义词表中未知的部分“{key}”，只能是 one_way 或 two_way",
                             "unknown section '{key}' in the synonym table: use one_way or two_way"),
    "synonyms-one-way": ("one_way 的每一项应写成“全称: [简称, 简称]”，如 加装电梯: [加梯, 增设电梯]",
                         "each one_way entry must be 'long form: [short forms]'"),
    "synonyms-two-way": ("two_way 的每一项应是两个或更多词的列表，如 [物业费, 物业收费]",
                         "each two_way entry must be a list of two or more words"),
    "synonyms-bad-word": ("同义词“{word}”只能由汉字、字母和数字组成，至少两个字",
                          "synonym '{word}' must be letters, digits or Chinese characters, at least two"),
    "synonyms-repeat": ("同义词“{word}”在这一项里出现了两次", "synonym '{word}' appears twice in this entry"),
}


@dataclass(frozen=True)
class Problem:
    """One content problem at a place in a source file."""

    path: Path
    line: int
    code: str
    severity: str = ERROR
    params: dict = field(default_factory=dict, compare=False)

    @property
    def text(self) -> str:
        zh, en = MESSAGES[self.code]
        return f"{zh.format(**self.params)} ({en.format(**self.params)})"

    def format(self, root: Path | None = None) -> str:
        path = self.path
        if root is not None:
            try:
                path = path.relative_to(root)
            except ValueError:
                pass
        return f"{path.as_posix()}:{self.line}: {self.severity}: {self.text}"


def error(path, line, code, **params) -> Problem:
    return Problem(Path(path), line, code, ERROR, params)


def warning(path, line, code, **params) -> Problem:
    return Problem(Path(path), line, code, WARNING, params)


def has_errors(problems) -> bool:
    return any(p.severity == ERROR for p in problems)
