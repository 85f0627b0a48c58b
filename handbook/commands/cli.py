"""The command line: parses arguments, calls the stages, prints, sets the exit code."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from ..config import EDITIONS, Settings, load_settings
from ..errors import EXIT_CONTENT, EXIT_USAGE, BuildLocked, HandbookError, UsageError
from ..library import select
from ..pipeline import CheckResult, build, build_file, build_lock, check, default_writers
from ..content.problems import WARNING
from ..report import STAGES, Reporter
from . import word as word_commands

EXIT_OK = 0

COMMANDS = {
    "build": "check the cases, then build the site and the PDF into site/ / 检查案例，然后生成网站和 PDF 手册到 site/",
    "check": "check the case files only / 只检查案例文件，不生成",
    "pdf": "write a PDF handbook of selected cases, for one class / 生成只含所选案例的 PDF（用于一次培训）",
    "new": "start a new case file from cases/_template.md / 从模板新建一个案例文件",
    "serve": "preview the site, rebuilt on every save / 本地预览网站，保存后自动更新",
    "new-pack": "start a new course pack packs/<id>.yml / 新建一个课程包文件",
    "desk": "open the case desk: write, check and preview cases in the browser / 打开案例编辑台：在浏览器里写案例、检查、预览",
    "import": "import cases from Word files (.docx) into cases/ / 把 Word 文件（.docx）导入为案例",
    "export-docx": "write a case into the Word template, to revise it in Word / 把一个案例导出为 Word 文件",
    "publish-config": "print a sample nginx configuration for both editions / 显示发布两个版本用的 nginx 配置示例",
}


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the community-governance case handbook (website and PDF). / 生成社区治理案例手册（网站和 PDF）。",
        epilog="Without a command, build.py runs `build`. / 不带命令时等同于 build。",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands / 命令")
    subs = {name: sub.add_parser(name, help=help_, description=help_) for name, help_ in COMMANDS.items()}
    for name in ("build", "check", "pdf", "serve"):
        subs[name].add_argument("--strict", action="store_true", help="treat warnings as errors / 警告也视为错误")
    for name in ("build", "check", "pdf", "serve"):
        subs[name].add_argument("--quiet", action="store_true", help="no progress display (it shows only on a "
                                "terminal anyway) / 不显示进度（进度只在终端中显示）")
    for name in ("build", "check", "pdf"):
        subs[name].add_argument("--drafts", action="store_true", help="include draft cases / 包含草稿案例")
    for name in ("build", "check", "pdf", "serve"):
        subs[name].add_argument("--edition", choices=EDITIONS + (("both",) if name == "build" else ()),
                                default="trainee",
                                help="trainee (default, into site/) or instructor (with teaching notes, into "
                                     "site-instructor/); build also takes both / 学员版（默认）或教师版（含教学说明）；"
                                     "build 还可以用 both 一次生成两个版本")
    subs["build"].add_argument("--no-pdf", action="store_true", help="build the site only / 只生成网站")
    pdf = subs["pdf"]
    pdf.add_argument("--problem-type", action="append", default=[], metavar="X",
                     help="a problem type, by name or slug; repeatable / 问题类型（名称或 slug），可重复")
    pdf.add_argument("--district", action="append", default=[], metavar="Y", help="a district; repeatable / 区，可重复")
    pdf.add_argument("--city", metavar="Z", help="a city / 城市")
    pdf.add_argument("--case", nargs="+", action="extend", default=[], metavar="ID",
                     help="these cases only, by id (file name without .md) / 只要这几个案例（编号）")
    pdf.add_argument("--sections", nargs="+", action="extend", default=[], metavar="NAME",
                     help="only these sections of each case, e.g. 背景 for a pre-class handout / 只要这几个小节，"
                          "例如 背景（课前阅读材料）")
    pdf.add_argument("-o", "--output", metavar="FILE", help="where to write the PDF (default: handout.pdf) / 输出文件")
    new = subs["new"]
    new.add_argument("id", help="the case id = file name, e.g. xiqiao-yueyuetan / 案例编号（即文件名）")
    new.add_argument("--title", help="title / 标题")
    new.add_argument("--district", help="district / 区")
    new.add_argument("--city", help="city (default: the template's, or the one city the district is in) / "
                                    "城市（默认为模板里的城市；只填了区时，用这个区所在的城市）")
    new.add_argument("--problem-type", action="append", default=[], metavar="X", help="problem type; repeatable / 问题类型")
    subs["publish-config"].add_argument("-o", "--output", metavar="FILE",
                                        help="write it to FILE instead of printing it / 写入文件而不是显示")
    subs["new-pack"].add_argument("id", help="the pack id = file name, e.g. jiazhuang-dianti / 课程包编号（即文件名）")
    word_commands.add_arguments(subs)
    subs["serve"].add_argument("--port", type=int, default=8000, help="port (default 8000) / 端口")
    desk = subs["desk"]
    desk.add_argument("--port", type=int, default=8000, help="port (default 8000) / 端口")
    desk.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine "
                      "only; any other needs --set-password first) / 监听地址（默认只有本机）")
    desk.add_argument("--no-browser", action="store_true", help="do not open a browser / 不自动打开浏览器")
    desk.add_argument("--set-password", action="store_true", help="set the desk's password (kept hashed outside "
                      "the project), then stop / 设置编辑台密码（只保存散列值，不在项目里）")
    subs["serve"].add_argument("--host", nargs="?", const="0.0.0.0", default="127.0.0.1", metavar="ADDRESS",
                               help="open the preview to the network (e.g. a phone on the same Wi-Fi); default "
                                    "127.0.0.1, this computer only / 让同一网络里的设备（例如手机）也能打开预览")
    parser.add_argument("--strict", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--drafts", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-pdf", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quiet", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--edition", choices=EDITIONS, default="trainee", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    args = make_parser().parse_args(argv)
    root = (root or Path.cwd()).resolve()
    reporter = Reporter(root, quiet=args.quiet)
    try:
        return _run(args, root, reporter)
    except HandbookError as exc:
        reporter.say(exc.line())
        return exc.exit_code


def _run(args, root: Path, reporter: Reporter) -> int:
    settings = load_settings(root)
    command = args.command or "build"
    if command == "new":
        return _new(settings, args, reporter)
    if command == "new-pack":
        from .scaffold import new_pack

        path = new_pack(settings.packs_dir, args.id)
        rel = path.relative_to(settings.root).as_posix()
        reporter.say(f"已新建 {rel}：请填写标题和各次课的案例，然后运行 python build.py check "
                     f"(created {rel}: fill it in, then run python build.py check)")
        return EXIT_OK
    if command == "serve":
        return _serve(settings, args, reporter)
    if command == "desk":
        from ..desk.server import run_desk, set_password_interactively

        if args.set_password:
            return set_password_interactively(reporter.say)
        return run_desk(settings, args.host, args.port, not args.no_browser, reporter.say)
    if command == "import":
        return word_commands.run_import(settings, args, reporter)
    if command == "export-docx":
        return word_commands.run_export(settings, args, reporter)
    if command == "publish-config":
        from .publish_config import nginx_config

        text = nginx_config(settings)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
            reporter.say(f"已写入 {args.output} (wrote {args.output})")
        else:
            sys.stdout.write(text)
        return EXIT_OK
    editions = list(EDITIONS) if args.edition == "both" else [args.edition]
    with_pdf = not getattr(args, "no_pdf", False)
    writers = {edition: default_writers(settings, edition, with_pdf=with_pdf) for edition in editions}
    result = _check(args, reporter, lambda: check(settings, include_drafts=getattr(args, "drafts", False),
                                                   writers=writers[editions[-1]], edition=editions[-1]))
    if result is None:
        return EXIT_CONTENT
    if command == "check":
        return EXIT_OK
    if command == "pdf":
        return _pdf_subset(settings, result, args, reporter)
    for edition in editions:  # in one process, the second edition reuses the first one's public bodies
        target = settings.edition_dir(edition)
        build(settings, result.library, writers[edition], target,
              stage=lambda name: reporter.stage(STAGES.get(name, name)))
        what = "网站和 PDF 手册" if with_pdf else "网站"
        where = target.relative_to(settings.root).as_posix() + "/"
        reporter.say(f"已生成{what}：{where}（{result.library.count} 个案例）(built {where} with {result.library.count} cases)")
    return EXIT_OK


def _check(args, reporter: Reporter, run: Callable[[], CheckResult]) -> CheckResult | None:
    reporter.stage("检查案例 / checking cases")
    result = run()
    reporter.problems(result.problems)
    reporter.summary(result.case_count, result.problems, args.strict)
    if not result.ok or (args.strict and any(p.severity == WARNING for p in result.problems)):
        return None
    return result


def _pdf_subset(settings: Settings, result: CheckResult, args, reporter: Reporter) -> int:
    from ..pdf.handout import choose_cases, handout, section_problems
    from ..pdf.book import PdfWriter

    chosen, problems, label = select(result.library, args.problem_type, args.district, args.city)
    picked, more = choose_cases(result.library, args.case)
    problems += more + section_problems(args.sections)
    if not problems and (args.case or args.sections):
        ids = {e.id for e in picked} if args.case else None
        entries = [e for e in chosen.entries if ids is None or e.id in ids]
        label = "；".join([label] * bool(label) + ["案例：" + "、".join(e.case.title for e in picked)] * bool(picked)
                         + ["小节：" + "、".join(args.sections)] * bool(args.sections))
        chosen = handout(result.library, entries, args.sections)
    elif label:
        chosen = handout(result.library, chosen.entries, None)
    if problems:
        for text in problems:
            reporter.say(f"error: {text}")
        return EXIT_USAGE
    if chosen.count == 0:
        reporter.say(f"error: 没有符合所选条件的案例（{label}），未生成 PDF (no case matches the selection: {label})")
        return EXIT_CONTENT
    target = Path(args.output or "handout.pdf")
    target = target if target.is_absolute() else Path.cwd() / target
    build_file(settings, chosen, PdfWriter(settings, args.edition, label or None), target,
               stage=lambda name: reporter.stage(STAGES.get(name, name)))
    reporter.say(f"已生成 {target}：{chosen.count} 个案例（{label or '全部案例'}）(wrote {chosen.count} cases)")
    return EXIT_OK


def _new(settings: Settings, args, reporter: Reporter) -> int:
    from .scaffold import new_case

    path = new_case(settings.cases_dir, args.id, args.title, args.district, args.problem_type,
                    args.city or _city_of(settings, args.district))
    rel = path.relative_to(settings.root).as_posix()
    reporter.say(f"已新建 {rel}：请打开它，填写各字段和四个小节，然后运行 python build.py check "
                 f"(created {rel}: fill it in, then run python build.py check)")
    return EXIT_OK


def _city_of(settings: Settings, district: str | None) -> str | None:
    """The one city of the taxonomy that has this district (雨花区 → 长沙市), so that `new` needs no --city for it."""
    from ..content.taxonomy import load_taxonomy

    if not district:
        return None
    taxonomy, _ = load_taxonomy(settings.taxonomy_file)
    cities = {d.city_name for d in taxonomy.find_district(district)} if taxonomy else set()
    return cities.pop() if len(cities) == 1 else None


NETWORK_RISK = ("注意：--host 让同一网络（同一个 Wi-Fi 或单位内网）里的任何人都能打开这个预览，包括草稿案例，"
                "而且没有密码；只在信任的网络里使用，看完就按 Ctrl+C 停止。预览只提供网页，不能修改文件 "
                "(--host: anyone on this network can open the preview, drafts included, with no password; "
                "use it on a trusted network only and stop it when done)")
INSTRUCTOR_RISK = ("。这是教师版：教学说明也会被同一网络里的人看到 "
                   "(this is the instructor edition: its teaching notes are visible on the network too)")


def _serve(settings: Settings, args, reporter: Reporter) -> int:
    from .preview import Preview
    from .serve import serve

    preview = Preview(settings, args.edition)
    shown: list[str] = []  # the last failed save's lines, for the browser's banner

    def rebuild() -> bool:
        shown.clear()
        result = _check(args, reporter, preview.check)
        if result is None:
            shown.extend(p.format(settings.root) for p in preview.last_problems)
            return False
        reporter.stage("生成预览 / building the preview")
        try:
            preview.build(result.library)
        except HandbookError as exc:
            reporter.say(exc.line())
            shown.append(exc.line())
            return False
        return True

    if args.host != "127.0.0.1":
        reporter.say(NETWORK_RISK + (INSTRUCTOR_RISK if args.edition == "instructor" else ""))
    try:
        with build_lock(settings, "preview.lock"):
            serve(settings.root, preview.site_dir, args.port, rebuild, reporter.say, problems=lambda: list(shown),
                  host=args.host)
    except BuildLocked:
        raise UsageError("这个项目的预览已经在运行（另一个终端里的 serve）；请用那一个，或先停止它 "
                         "(a preview of this project is already running)") from None
    except OSError as exc:
        raise UsageError(f"无法使用端口 {args.port}（port {args.port}: {exc.strerror}）") from None
    finally:
        preview.close()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
