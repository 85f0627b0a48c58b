"""Data out: cases.json/cases.csv with their codebook, and the GB/T 7714 citation.

The lowest of the output packages: the site shows the codebook and the site and
the PDF both cite cases, so both import from here and this imports from neither.
"""
