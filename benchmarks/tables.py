"""The benchmark's Markdown tables and notes, from the measured rows.
"""
from __future__ import annotations

from measure import NA


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
