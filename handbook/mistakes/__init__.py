"""Mistakes a new instructor makes that the loader alone would miss or misreport.

Each module takes what the loader already has (the folder, the raw front matter, the
loaded cases) and returns located problems (problems.py), so that the message names
the real cause on the real line: stray files in cases/, full-width punctuation in the
front matter, misnamed sections, bad image references, duplicate cases.
"""
