"""Where one answer's seconds went, measured in one place.

:class:`Stopwatch` fills the dict that becomes ``Answer.timings``: ``condense``, ``retrieve`` and
``llm`` (each step's seconds; the LLM's are summed over the rewrite and every streamed piece),
``first_token`` (until the first text a reader sees) and ``total``. The eval, the benchmarks
and the bot read these keys. It also keeps each timed piece as an interval (:attr:`Stopwatch.intervals`),
so the answer's trace (:mod:`rag.trace`) can draw the steps as spans where they happened.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Stopwatch:
    """The timings of one answer, started when the question arrives."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.started_ns = time.time_ns()
        """Wall-clock time of the start (nanoseconds since the epoch): where spans are placed."""
        self.timings: dict[str, float] = {}
        self.intervals: list[tuple[str, float, float]] = []
        """Every timed piece as (step, start, end), ``perf_counter`` seconds."""

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Add the seconds spent inside the ``with`` block to ``name``: a step may run in pieces (the
        LLM's stream is timed piece by piece, so verification between pieces is not counted as LLM time)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            end = time.perf_counter()
            self.intervals.append((name, start, end))
            self.add(name, end - start)

    def add(self, name: str, seconds: float) -> None:
        """Count ``seconds`` under ``name``; ``add(name, 0.0)`` records that a step took no time."""
        self.timings[name] = self.timings.get(name, 0.0) + seconds

    def first_text(self) -> None:
        """Mark the first text shown to the reader (later calls change nothing)."""
        self.timings.setdefault("first_token", time.perf_counter() - self.started)

    def finish(self) -> dict[str, float]:
        """Stop: record ``total`` and return the timings."""
        self.timings["total"] = time.perf_counter() - self.started
        return self.timings
