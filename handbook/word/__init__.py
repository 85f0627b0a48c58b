"""Cases from Word and WPS, and back (issue 24).

template.py  the Word template site/downloads/case-template.docx, made from FIELDS (a Writer)
form.py      what the template, the importer and the exporter agree on: rows, rules, cell text ⇄ values
reading.py   a .docx → its field table (python-docx) and its body as HTML (mammoth)
markdown.py  that HTML → case Markdown (markdownify)
importer.py  one Word file → canonical case text, or its problems in the author's terms
saving.py    all files written or none, with backups; undone if a write fails
exporter.py  a case file → .docx in the template's layout (docx_body.py writes the body)
commands.py  `build.py import` and `build.py export-docx`
"""
