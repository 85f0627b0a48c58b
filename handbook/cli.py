"""The command line: parses arguments, calls the stages, prints, sets the exit code."""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Callable

from .config import ConfigError, Settings, load_settings
from .library import Library, select
from .pipeline import BuildLocked, CheckResult, build_all, build_lock, check
from .problems import WARNING
from .report import Reporter

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
PDF_NAME = "handbook.pdf"

COMMANDS = {
    "build": "check the cases, then build the site and the PDF into site/ / 检查案例，然后生成网站和 PDF 手册到 site/",
    "check": "check the case files only / 只检查案例文件，不生成",
    "pdf": "write a PDF handbook of selected cases, for one class / 生成只含所选案例的 PDF（用于一次培训）",
    "new": "start a new case file from cases/_template.md / 从模板新建一个案例文件",
    "serve": "preview the site, rebuilt on every save / 本地预览网站，保存后自动更新",
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
    for name in ("build", "check", "pdf"):
        subs[name].add_argument("--drafts", action="store_true", help="include draft cases / 包含草稿案例")
    subs["build"].add_argument("--no-pdf", action="store_true", help="build the site only / 只生成网站")
    pdf = subs["pdf"]
    pdf.add_argument("--problem-type", action="append", default=[], metavar="X",
                     help="a problem type, by name or slug; repeatable / 问题类型（名称或 slug），可重复")
    pdf.add_argument("--district", action="append", default=[], metavar="Y", help="a district; repeatable / 区，可重复")
    pdf.add_argument("--city", metavar="Z", help="a city / 城市")
    pdf.add_argument("-o", "--output", metavar="FILE", help="where to write the PDF (default: handout.pdf) / 输出文件")
    new = subs["new"]
    new.add_argument("id", help="the case id = file name, e.g. xiqiao-yueyuetan / 案例编号（即文件名）")
    new.add_argument("--title", help="title / 标题")
    new.add_argument("--district", help="district / 区")
    new.add_argument("--problem-type", action="append", default=[], metavar="X", help="problem type; repeatable / 问题类型")
    subs["serve"].add_argument("--port", type=int, default=8000, help="port (default 8000) / 端口")
    parser.add_argument("--strict", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--drafts", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-pdf", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    args = make_parser().parse_args(argv)
    root = (root or Path.cwd()).resolve()
    reporter = Reporter(root)
    try:
        settings = load_settings(root)
    except ConfigError as exc:
        reporter.say(f"handbook.yml:1: error: {exc}")
        return EXIT_CONTENT
    command = args.command or "build"
    if command == "new":
        return _new(settings, args, reporter)
    if command == "serve":
        return _serve(settings, args, reporter)
    result = _check(settings, args, reporter, include_drafts=getattr(args, "drafts", False))
    if result is None:
        return EXIT_CONTENT
    if command == "check":
        return EXIT_OK
    if command == "pdf":
        return _pdf_subset(settings, result.library, args, reporter)
    return _build(settings, result.library, reporter, with_pdf=not args.no_pdf)


def _check(settings: Settings, args, reporter: Reporter, include_drafts: bool,
           run: Callable[[], CheckResult] | None = None) -> CheckResult | None:
    reporter.stage("检查案例 / checking cases")
    result = run() if run else check(settings, include_drafts=include_drafts)
    reporter.problems(result.problems)
    reporter.summary(result.case_count, result.problems, args.strict)
    if not result.ok or (args.strict and any(p.severity == WARNING for p in result.problems)):
        return None
    return result


def site_step(settings: Settings, reporter: Reporter):
    from .site import build_site

    def step(library: Library, work: Path, out: Path) -> None:
        reporter.stage("生成网站 / building the site")
        build_site(library, settings, work, out)
    return step


def pdf_step(settings: Settings, reporter: Reporter):
    def step(library: Library, work: Path, out: Path) -> None:
        reporter.stage("生成 PDF / building the PDF")
        write_pdf_cached(library, settings, out / PDF_NAME)
    return step


def write_pdf_cached(library: Library, settings: Settings, target: Path, selection: str | None = None) -> None:
    """The PDF is rendered again only when one of its inputs changed (keyed by their hash)."""
    from .pdf import build_pdf, pdf_inputs_hash

    cache = settings.cache_dir / "pdf"
    key = pdf_inputs_hash(library, settings, selection)
    cached = cache / f"{key}.pdf"
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob("*.pdf"):
            old.unlink()
        partial = cache / f"{key}.partial"
        build_pdf(library, settings, partial, selection)
        partial.replace(cached)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)


def _build(settings: Settings, library: Library, reporter: Reporter, with_pdf: bool = True) -> int:
    from .site import SiteError

    steps = [site_step(settings, reporter)] + ([pdf_step(settings, reporter)] if with_pdf else [])
    try:
        with build_lock(settings):
            build_all(settings, library, steps)
    except BuildLocked:
        reporter.say("另一个生成过程正在运行，请等它结束后再试（another build is running; try again when it ends）")
        return EXIT_CONTENT
    except SiteError as exc:
        reporter.say(f"error: {exc}")
        return EXIT_CONTENT
    what = "网站和 PDF 手册" if with_pdf else "网站"
    reporter.say(f"已生成{what}：site/（{library.count} 个案例）(built site/ with {library.count} cases)")
    return EXIT_OK


def _pdf_subset(settings: Settings, library: Library, args, reporter: Reporter) -> int:
    chosen, problems, label = select(library, args.problem_type, args.district, args.city)
    if problems:
        for text in problems:
            reporter.say(f"error: {text}")
        return EXIT_USAGE
    if chosen.count == 0:
        reporter.say(f"error: 没有符合所选条件的案例（{label}），未生成 PDF (no case matches the selection: {label})")
        return EXIT_CONTENT
    target = Path(args.output or "handout.pdf")
    target = target if target.is_absolute() else Path.cwd() / target
    write_pdf_cached(chosen, settings, target, label or None)
    reporter.say(f"已生成 {target}：{chosen.count} 个案例（{label or '全部案例'}）(wrote {chosen.count} cases)")
    return EXIT_OK


def _new(settings: Settings, args, reporter: Reporter) -> int:
    from .scaffold import ScaffoldError, new_case

    try:
        path = new_case(settings.cases_dir, args.id, args.title, args.district, args.problem_type)
    except ScaffoldError as exc:
        reporter.say(f"error: {exc}")
        return EXIT_USAGE
    rel = path.relative_to(settings.root).as_posix()
    reporter.say(f"已新建 {rel}：请打开它，填写各字段和四个小节，然后运行 python build.py check "
                 f"(created {rel}: fill it in, then run python build.py check)")
    return EXIT_OK


def _serve(settings: Settings, args, reporter: Reporter) -> int:
    from .preview import Preview
    from .search import SearchIndexError
    from .serve import serve
    from .site import SiteError

    preview = Preview(settings)

    def rebuild() -> bool:
        result = _check(settings, args, reporter, include_drafts=True, run=preview.check)
        if result is None:
            return False
        reporter.stage("生成预览 / building the preview")
        try:
            preview.build(result.library)
        except (SiteError, SearchIndexError) as exc:
            reporter.say(f"error: {exc}")
            return False
        return True

    try:
        with build_lock(settings, "preview.lock"):
            serve(settings.root, preview.site_dir, args.port, rebuild, reporter.say)
    except BuildLocked:
        reporter.say("这个项目的预览已经在运行（另一个终端里的 serve）；请用那一个，或先停止它 "
                     "(a preview of this project is already running)")
        return EXIT_USAGE
    except OSError as exc:
        reporter.say(f"error: 无法使用端口 {args.port}（port {args.port}: {exc.strerror}）")
        return EXIT_USAGE
    finally:
        preview.close()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
