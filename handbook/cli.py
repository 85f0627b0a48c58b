"""The command line: parses arguments, calls the stages, prints, sets the exit code."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import ConfigError, load_settings
from .pipeline import BuildLocked, build_all, build_lock, check
from .problems import WARNING
from .report import Reporter

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

COMMANDS = {
    "build": "check the cases, then build the site and the PDF into site/ / 检查案例，然后生成网站和 PDF 手册到 site/",
    "check": "check the case files only / 只检查案例文件，不生成",
}


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the community-governance case handbook (website and PDF). / 生成社区治理案例手册（网站和 PDF）。",
        epilog="Without a command, build.py builds everything. / 不带命令时等同于 build。",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands / 命令")
    for name in ("build", "check"):
        p = sub.add_parser(name, help=COMMANDS[name], description=COMMANDS[name])
        p.add_argument("--strict", action="store_true", help="treat warnings as errors / 警告也视为错误")
        p.add_argument("--drafts", action="store_true", help="include draft cases / 包含草稿案例")
    parser.add_argument("--strict", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--drafts", action="store_true", help=argparse.SUPPRESS)
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
    result = check(settings, include_drafts=args.drafts)
    reporter.problems(result.problems)
    reporter.summary(result.case_count, result.problems, args.strict)
    failed = not result.ok or (args.strict and any(p.severity == WARNING for p in result.problems))
    if failed:
        return EXIT_CONTENT
    if command == "check":
        return EXIT_OK
    return _build(settings, result.library, reporter)


def _build(settings, library, reporter) -> int:
    from .site import SiteError, build_site

    def site_step(lib, work, out):
        reporter.stage("网站 / site")
        build_site(lib, settings, work, out)

    try:
        with build_lock(settings):
            build_all(settings, library, [site_step])
    except BuildLocked:
        reporter.say("另一个生成过程正在运行，请稍后再试（another build is running; try again when it ends）")
        return EXIT_CONTENT
    except SiteError as exc:
        reporter.say(f"error: {exc}")
        return EXIT_CONTENT
    reporter.say(f"已生成 {settings.site_dir.relative_to(settings.root)}/（site built: {library.count} cases）")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
