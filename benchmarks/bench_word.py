"""How long importing Word files takes: the shipped cases exported to .docx, then imported.

Prints a Markdown table of wall times and ratios against two references measured in the same run:
`check` of the same cases (loading and validating the Markdown files: what an import adds to) and
mammoth's bare .docx → HTML conversion of the same files (what a user would run without this project).

    .venv/bin/python benchmarks/bench_word.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import mammoth  # noqa: E402

from handbook.content.cases import load_cases  # noqa: E402
from handbook.content.taxonomy import load_taxonomy  # noqa: E402
from handbook.content.validate import validate_cases  # noqa: E402
from handbook.word.exporter import export_bytes  # noqa: E402
from handbook.word.importer import Shelf, convert  # noqa: E402


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases_dir = ROOT / "cases"
    files = sorted(p for p in cases_dir.glob("*.md") if not p.name.startswith(("_", ".")))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        docs = []
        for path in files:
            target = Path(tmp) / f"{path.stem}.docx"
            target.write_bytes(export_bytes(path, cases_dir))
            docs.append((path, target))
        exported = time.perf_counter() - start
        identical = 0

        def import_all():
            nonlocal identical
            shelf = Shelf.of(cases_dir)
            identical = sum(convert(doc, shelf).text == path.read_text(encoding="utf-8") for path, doc in docs)

        def check_all():
            taxonomy, _ = load_taxonomy(cases_dir / "taxonomy.yml")
            cases, _ = load_cases(cases_dir)
            validate_cases(cases, taxonomy, cases_dir)

        def mammoth_all():
            for _, doc in docs:
                mammoth.convert_to_html(io.BytesIO(doc.read_bytes()))

        imported = best(import_all, args.repeat)
        checked = best(check_all, args.repeat)
        bare = best(mammoth_all, args.repeat)
    n = len(files)
    print(f"| {n} shipped cases | s | per case ms | ratio |")
    print("|---|---|---|---|")
    print(f"| export-docx (once) | {exported:.2f} | {1000 * exported / n:.0f} | |")
    print(f"| import | {imported:.2f} | {1000 * imported / n:.0f} | 1 |")
    print(f"| reference: mammoth .docx → HTML alone | {bare:.2f} | {1000 * bare / n:.0f} | {imported / bare:.2f}× |")
    print(f"| reference: check of the Markdown files | {checked:.2f} | {1000 * checked / n:.0f} | {imported / checked:.1f}× |")
    print(f"\nbyte-identical after the round trip: {identical} of {n}")
    return 0 if identical == n else 1


if __name__ == "__main__":
    sys.exit(main())
