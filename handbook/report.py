"""Turns problems into the lines an instructor reads: the one place that prints them."""
from __future__ import annotations

import sys
from pathlib import Path

from .problems import ERROR, WARNING, Problem

_COLOURS = {ERROR: "\033[31m", WARNING: "\033[33m"}
_RESET = "\033[0m"


class Reporter:
    def __init__(self, root: Path, stream=None, colour: bool | None = None):
        self.root = root
        self.stream = stream or sys.stderr
        self.colour = self.stream.isatty() if colour is None else colour

    def problems(self, problems: list[Problem]) -> None:
        for p in problems:
            line = p.format(self.root)
            if self.colour:
                head, sev, rest = line.partition(f" {p.severity}:")
                line = f"{head} {_COLOURS[p.severity]}{p.severity}:{_RESET}{rest}"
            print(line, file=self.stream)

    def summary(self, cases: int, problems: list[Problem], strict: bool = False) -> None:
        errors = sum(p.severity == ERROR for p in problems)
        warnings = sum(p.severity == WARNING for p in problems)
        text = f"{cases} 个案例，{errors} 个错误，{warnings} 个警告（{cases} cases, {errors} errors, {warnings} warnings）"
        if strict and warnings:
            text += "；--strict：警告也视为错误（--strict: warnings count as errors）"
        print(text, file=self.stream)

    def say(self, text: str) -> None:
        print(text, file=self.stream)

    def stage(self, text: str) -> None:
        """Progress of a long build: shown only on a terminal."""
        if self.colour:
            print(f"\033[2m… {text}\033[0m", file=self.stream)
