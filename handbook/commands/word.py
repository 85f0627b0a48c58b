"""The `import` and `export-docx` commands: arguments in, lines an instructor reads out, an exit status.

Kept apart from cli.py so that the command line only names them. Progress (one step per
Word file) shows on a terminal through report.task and stays quiet in CI.
"""
from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..errors import UsageError
from ..report import Reporter, task

EXIT_OK, EXIT_CONTENT = 0, 1


def add_arguments(subs: dict) -> None:
    imp = subs["import"]
    imp.add_argument("files", nargs="+", metavar="FILE", help="Word files (.docx) or folders of them / Word 文件或文件夹")
    imp.add_argument("--id", help="the case id (file name) when importing one file / 案例编号（只导入一个文件时）")
    imp.add_argument("--replace", action="store_true",
                     help="replace an existing case; the old file is kept as cases/<id>.md.bak / 替换已有案例，原文件保存为 .bak")
    imp.add_argument("--quiet", action="store_true", help="no progress display / 不显示进度")
    exp = subs["export-docx"]
    exp.add_argument("id", help="the case id, e.g. xiqiao-yueyuetan / 案例编号")
    exp.add_argument("-o", "--output", metavar="FILE", help="where to write (default: <id>.docx) / 输出文件")
    exp.add_argument("--replace", action="store_true", help="overwrite FILE if it exists / 覆盖已有文件")


def run_import(settings: Settings, args, reporter: Reporter) -> int:
    from ..pipeline import check
    from ..word.importer import docx_files
    from ..word.saving import import_files

    paths = [Path(f) if Path(f).is_absolute() else Path.cwd() / f for f in args.files]
    if args.id and (len(paths) > 1 or paths[0].is_dir()):
        raise UsageError("--id 只能在导入一个文件时使用 (--id is for one file only)")
    reporter.stage("读取 Word 文件 / reading the Word files")
    with task("读取 / reading", len(docx_files(paths))) as advance:
        result = import_files(settings.cases_dir, paths, args.id, args.replace, on_file=advance)
    for problem in result.problems:
        reporter.say(problem.text)
    if not result.ok:
        errors = sum(p.severity == "error" for p in result.problems)
        reporter.say(f"导入失败：{errors} 个错误，没有写入任何文件 (import failed: {errors} errors; nothing was written)")
        return EXIT_CONTENT
    for saved in result.saved:
        rel = saved.path.relative_to(settings.root).as_posix()
        images = "".join(f"，图片 {p.relative_to(settings.root).as_posix()}" for p in saved.images)
        if saved.unchanged:
            reporter.say(f"{rel} 没有变化{images} ({rel} is unchanged)")
        elif saved.backup is not None:
            bak = saved.backup.relative_to(settings.root).as_posix()
            reporter.say(f"已替换 {rel}{images}；原来的文件保存为 {bak}，要恢复它，运行 mv {bak} {rel} "
                         f"(replaced {rel}; the previous file is {bak}: mv {bak} {rel} restores it)")
        else:
            reporter.say(f"已导入 {rel}{images} (imported {rel})")
    reporter.stage("检查案例 / checking cases")
    checked = check(settings)
    reporter.problems(checked.problems)
    reporter.summary(checked.case_count, checked.problems)
    return EXIT_OK if checked.ok else EXIT_CONTENT


def run_export(settings: Settings, args, reporter: Reporter) -> int:
    from ..word.exporter import export_docx

    target = Path(args.output or f"{args.id}.docx")
    target = target if target.is_absolute() else Path.cwd() / target
    path = export_docx(settings.cases_dir, args.id, target, args.replace)
    reporter.say(f"已导出 {path}：在 Word/WPS 中修改后，运行 python build.py import {path.name} --replace 导回 "
                 f"(wrote {path}; after editing, import it back with --replace)")
    return EXIT_OK
