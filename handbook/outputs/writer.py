"""What every output of the build is: a Writer with one entry point.

A writer owns its state (scratch space, caches, running helpers), says which
paths it will produce (claims, checked by outputs.py before anything is written),
and writes everything it produces into the folder it is given. pipeline.build is
the only caller: it locks, hands each writer the same fresh folder, and swaps it
into place when all succeeded. Editions are a parameter of the writers, not copies.

A writer of the trainee edition is handed library.for_edition("trainee"): cases without teaching notes,
packs without session notes. It cannot show a note it never receives; `edition` is left to a writer only
for the 教师版 mark.
"""
from __future__ import annotations

from pathlib import Path

from ..library import Library
from .claims import Claim


class Writer:
    name = "writer"
    edition = "trainee"  # whose Library pipeline.build hands this writer: library.for_edition(edition)

    def claims(self, library: Library) -> list[Claim]:
        """Every path this writer will write under the output folder ("x/" for a whole folder)."""
        raise NotImplementedError

    def write(self, library: Library, out: Path, *, incremental: bool = False) -> None:
        """Write this output into out. incremental: out holds this writer's last output; update it in place."""
        raise NotImplementedError

    def can_update(self, out: Path) -> bool:
        """Whether write(incremental=True) can bring out up to date (a long-lived writer with its state)."""
        return False

    def close(self) -> None:
        """Stop whatever this writer still runs in the background."""
