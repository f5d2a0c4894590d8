"""A progress line for long work on a terminal: sentences done, sentences/s, time left.

Written to stderr and only when stderr is a terminal, so pipes, files and ``--json`` output
never see it. (Keras' ``Progbar`` writes to stdout, where translations go, and reports time per
unit, not units per second.)
"""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    """One line, rewritten in place: ``120/534 sentences  85.3 sentences/s  5s left``."""

    def __init__(self, stream: TextIO, unit: str = "sentences", interval: float = 0.1):
        self.stream, self.unit, self.interval = stream, unit, interval
        self.total: int | None = None
        self.started = self.shown = time.perf_counter()
        self.done = 0

    @classmethod
    def on_terminal(cls, stream: TextIO, unit: str = "sentences") -> Progress | None:
        """A Progress on ``stream`` when it is a terminal, else None (nothing to show)."""
        isatty = getattr(stream, "isatty", None)
        return cls(stream, unit) if isatty and isatty() else None

    def start(self, total: int | None = None) -> None:
        self.total, self.done = total, 0
        self.started = self.shown = time.perf_counter()

    def update(self, done: int) -> None:
        self.done = done
        now = time.perf_counter()
        if now - self.shown >= self.interval or done == self.total:
            self.shown = now
            self._show(now)

    def close(self) -> None:
        self._show(time.perf_counter())
        self.stream.write("\n")
        self.stream.flush()

    def _show(self, now: float) -> None:
        rate = self.done / max(now - self.started, 1e-9)
        count = f"{self.done}/{self.total}" if self.total is not None else f"{self.done}"
        line = f"{count} {self.unit}  {rate:.1f} {self.unit}/s"
        if self.total is not None and self.done < self.total and rate > 0:
            line += f"  {(self.total - self.done) / rate:.0f}s left"
        self.stream.write(f"\r{line}\x1b[K")  # \x1b[K: clear what a longer line left behind
        self.stream.flush()
