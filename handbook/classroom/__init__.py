"""The classroom kit of every course pack: a slide deck, a pre-class reading, a worksheet, a comparison.

material.py derives once what all of them show of a case (its neutral title, 背景 as paragraphs, the
dilemma, 做法, 成效, 启示); measure.py fits text into frames with the installed font's metrics;
slides.py, reading.py and worksheet.py are the writers; compare.py the comparison rows of the site.
Every writer works from `library.for_edition(edition)`, so a trainee file cannot hold a note.
"""
