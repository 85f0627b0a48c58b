"""The case handbook: case files in, a website and a PDF handbook out."""
