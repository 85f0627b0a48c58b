#!/usr/bin/env python3
"""The handbook's one command line: `python build.py --help`."""
import sys
from pathlib import Path

from handbook.commands.cli import main

if __name__ == "__main__":
    sys.exit(main(root=Path(__file__).resolve().parent))
