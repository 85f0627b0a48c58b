"""The PDFs: the book, its pieces and their join, the per-case and pack PDFs, the gate.

Shared machinery (WeasyPrint url fetching, font subsetting, /W and ToUnicode,
tagging) sits at the bottom of the package; the book, the case PDFs and the pack
PDFs stand on it, and nothing in it imports the site.
"""
