"""What every piece's fresh fork would otherwise make again, made once in the fork server.

handbook/pdf/pieces.py lays out each piece in a process forked for it alone from a server that has WeasyPrint
imported (run_jobs), so whatever a piece makes on first use is made once per piece: cffi parsing the HarfBuzz
declarations of fonts.py, and WeasyPrint's own first-layout set-up (its user-agent stylesheet's computed values,
Pango's font map). The server imports this module and lays out one line of Chinese and Latin text in the book's
language, with the pieces' subsetting, so that each fork inherits all of it. Measured on three pieces of the
shipped book laid out three times each, a fork per piece: a "see also" page 0.18-0.22 s of CPU without it,
0.14-0.18 s with it; a chapter about 0.98 s either way. It costs the server about 0.15 s, so run_jobs
preloads it only for a build that lays out pieces.WARM_FROM pieces or more. Should it fail, nothing is lost
but the head start.
"""
from __future__ import annotations


def warm_up() -> bool:
    """Whether the head start was made."""
    try:
        from weasyprint import HTML

        from .fonts import _harfbuzz, quick_subsets

        _harfbuzz()
        with quick_subsets():
            HTML(string='<html lang="zh-CN"><p>手册 handbook 1</p></html>').write_pdf()
    except Exception:  # a head start only: the pieces make whatever this did not
        return False
    return True


warm_up()
