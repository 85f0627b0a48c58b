"""The website: pages → mkdocs-material → Pagefind, the only package that knows MkDocs.

An output beside pdf/: it imports the Library, outputs/ and data/, never pdf/.
"""
