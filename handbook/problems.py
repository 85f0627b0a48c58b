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
    "source-missing": ("sources 第 {n} 项缺少 {field}", "sources entry {n} has no '{field}'"),
    "source-unknown": ("sources 第 {n} 项有未知字段 {field}{hint}", "sources entry {n} has an unknown field '{field}'{hint_en}"),
    "teaching-note-twice": ("教学说明只能有一节，这里又出现了“{heading}”，请把两节合并",
                            "a second '{heading}' section: a case has at most one teaching note"),
    "teaching-note-heading": ("“{found}”看起来是教学说明的标题，但写法不对：请写成“{heading}”（两个井号、一个空格），"
                              "否则这段内容会被学员看到",
                              "'{found}' looks like a teaching-note heading: write it exactly '{heading}', "
                              "or trainees will see it"),
    "teaching-note-missing": ("这个案例还没有教学说明（“{heading}”一节），教师版中它没有教学建议",
                              "no teaching note ('{heading}'): the instructor edition has no guidance for this case"),
    "pack-unknown-case": ("课程包里的案例“{id}”不存在{hint}", "pack lists a case that does not exist: '{id}'{hint_en}"),
    "pack-draft-case": ("案例“{id}”还是草稿（status: draft），不能放进课程包", "case '{id}' is a draft and cannot be in a pack"),
    "pack-repeat-case": ("案例“{id}”在这个课程包里出现了两次", "case '{id}' appears twice in this pack"),
    "reserved-id": ("{kind_zh}编号“{id}”与自动生成的页面冲突：{page} 已用于{owner}，请给文件换一个名字",
                    "{kind_en} id '{id}' collides with a generated page: {page} is {owner_en}; rename the file"),
    # taxonomy
    "unknown-value": ("未知的{kind_zh}“{value}”。{hint}新的{kind_zh}请先添加到 cases/taxonomy.yml",
                      "unknown {kind_en} '{value}'.{hint_en} New values are added to cases/taxonomy.yml"),
    "district-other-city": ("“{value}”不是{city}的区，而是{other_city}的区", "'{value}' is a district of {other_city}, not of {city}"),
    # body
    "missing-section": ("缺少推荐的小节“## {section}”", "recommended section '## {section}' is missing"),
    "broken-case-link": ("链接指向不存在的案例“{target}”", "link to a case that does not exist: '{target}'"),
    "missing-image": ("图片“{target}”不存在（图片应放在 cases/images/ 下）", "image '{target}' does not exist (put images under cases/images/)"),
    # taxonomy file
    "taxonomy": ("分类表错误：{detail}", "taxonomy error"),
    # synonym table (content/synonyms.yml, handbook/synonyms.py)
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
