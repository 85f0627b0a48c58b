"""Content in: case and pack files → typed values and located problems.

The bottom stage of the pipeline. Nothing here knows an output exists: the file
format (yamlfm), the case-format contract (schema), the wording of problems, the
taxonomy, the cases with their teaching notes cut out, the packs, the validation
rules. Everything above reads these values; nothing here imports from above.
"""
