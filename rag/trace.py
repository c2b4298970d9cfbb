"""One answer's trace: what each step decided, kept so a wrong or refused answer can be explained later.

Why: an answer is the end of a chain of decisions (the standalone question, the passages retrieved,
the refusal gate, the answer mode, the model's sentences verification dropped). When an answer is
wrong or a refusal surprising, the operator needs those decisions, not a re-run that may differ.

The assistant fills one :class:`Trace` per question at the named steps (:mod:`rag.assistant`) and
the :class:`~rag.models.Answer` carries it (``answer.trace``). :func:`deliver` finishes it when the
answer is delivered and, as configured:

- ``NEWSBOT_TRACE_FILE``: appends it as one JSON line (:meth:`Trace.to_record`); ``newsbot trace``
  reads it back (:func:`read_records`, :func:`find_record`).
- ``NEWSBOT_OTEL_ENDPOINT``: sends it as OpenTelemetry spans (:mod:`rag.telemetry`, imported only then).

Privacy by default: what a user typed (the question, its standalone form, and the model's sentences,
which may echo it) is written only with ``NEWSBOT_TRACE_QUESTIONS=true``; otherwise a SHA-256 prefix
(to tell repeats apart; a short question can be guessed from it, so it is not anonymisation) and a length.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: rag.models imports this module
    from core.settings import Settings
    from rag.models import Answer, RetrievedChunk
    from rag.timing import Stopwatch

log = logging.getLogger(__name__)
_write_lock = threading.Lock()
_warned: set[str] = set()
HELD = "held back: no verified sentence named the asked item, so this background was not shown"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Dropped:
    """A sentence of the model's reply that verification did not let through, and why."""

    sentence: str
    reason: str
    detail: str = ""
    """The sentence's own words behind the reason: written only with the sentence."""


@dataclass
class Trace:
    """The decisions behind one answer, filled step by step (see the module docstring)."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    question: str = ""
    standalone: str = ""
    searched: bool = False
    chunks: list[RetrievedChunk] = field(default_factory=list)
    best: float | None = None
    gate: str | None = None
    """The gate's reason to refuse; ``None`` while it has not refused (see :attr:`gate_passed`)."""
    gate_passed: bool = False
    refusal: str | None = None
    """Why an answer that passed the gate was still refused."""
    verified: bool = False
    checked: int = 0
    kept: int = 0
    dropped: list[Dropped] = field(default_factory=list)
    verifying: list[tuple[float, float]] = field(default_factory=list)
    mode: str = ""
    refused: bool = False
    citations: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    # --- filled by the assistant's steps, in order -----------------------------------------------
    def retrieval(self, question: str, standalone: str, chunks: list[RetrievedChunk], best: float) -> None:
        """The standalone question and the passages ranked for it (best first, as the prompt numbers them)."""
        self.question, self.standalone, self.chunks, self.best, self.searched = question, standalone, list(chunks), best, True

    def gated(self, refuse_because: str | None) -> None:
        """The refusal gate's decision: ``None`` lets the question through, a reason refuses it."""
        self.gate, self.gate_passed = refuse_because, refuse_because is None

    def refuse(self, because: str) -> None:
        """An answer that passed the gate is refused all the same, for this reason."""
        self.refusal = because

    def verification(self, reply) -> None:
        """What verification made of the model's reply (a :class:`~rag.reply.VerifiedReply`): each
        sentence it dropped with the reason, and sentences held back that never got shown."""
        held = {id(s) for s in reply.held}
        self.verified, self.checked, self.verifying = True, len(reply.checked), list(reply.verifying)
        self.kept = sum(1 for s in reply.checked if s.supported and id(s) not in held)
        self.dropped = [Dropped(s.text, HELD, "") if id(s) in held else Dropped(s.text, s.reason or "unsupported", s.detail)
                        for s in reply.checked if not s.supported or id(s) in held]

    def finish(self, answer: Answer) -> None:
        """What was delivered: the mode, the citations (by chunk) and the timings."""
        self.mode, self.refused, self.timings = answer.mode, answer.refused, dict(answer.timings)
        self.citations = [{"n": c.n, "chunk_id": c.chunk_id, "article_id": c.article_id} for c in answer.citations]
        if not self.question:
            self.question = answer.question
        if not self.searched and self.gate is None:
            self.gate = ("not searched: " + (f"the question is too long ({len(answer.question)} characters)"
                                             if answer.question else "no question"))

    # --- reading it -------------------------------------------------------------------------------
    @property
    def gate_decision(self) -> str:
        return "pass" if self.gate_passed else "refuse" if self.gate else "not reached"

    def to_record(self, keep_questions: bool = False) -> dict[str, Any]:
        """The trace as one JSON-ready dict; user text only with ``keep_questions`` (module docstring)."""
        def said(text: str) -> dict[str, Any]:
            return {"text": text} if keep_questions else {"sha256": _digest(text), "chars": len(text)}

        verify_s = sum(end - start for start, end in self.verifying)
        return {
            "id": self.id,
            "at": self.at,
            "question": said(self.question),
            "standalone": said(self.standalone) | {"condensed": self.standalone != self.question} if self.searched else None,
            "retrieved": [{"n": n, "chunk_id": c.id, "article_id": c.article_id, "score": round(c.score, 4),
                           "dense": None if c.dense is None else round(c.dense, 4),
                           "keyword": None if c.keyword is None else round(c.keyword, 4)}
                          for n, c in enumerate(self.chunks, start=1)],
            "best_similarity": None if self.best is None else round(self.best, 4),
            "gate": {"decision": self.gate_decision, "reason": self.gate},
            "mode": self.mode,
            "refused": self.refused,
            "refusal": self.gate if self.refused and self.gate else self.refusal if self.refused else None,
            "verification": {"checked": self.checked, "kept": self.kept, "seconds": round(verify_s, 4),
                             "dropped": [said(d.sentence) | {"reason": d.reason}
                                         | ({"detail": d.detail} if keep_questions and d.detail else {})
                                         for d in self.dropped]}
            if self.verified else None,
            "citations": self.citations,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }


def deliver(answer: Answer, clock: Stopwatch, settings: Settings) -> None:
    """Finish ``answer``'s trace (one is made if no step started it) and write and export it as configured.

    Never fails the answer: a trace file that cannot be written, or an OpenTelemetry SDK that is not
    installed, is logged once and the answer goes out as usual.
    """
    trace = answer.trace = answer.trace or Trace()
    trace.finish(answer)
    if settings.trace_file is not None:
        try:
            append(settings.trace_file, trace.to_record(settings.trace_questions))
        except OSError as exc:
            _warn_once("file", "cannot write the trace to %s (%s); answers go on without it", settings.trace_file, exc)
    if settings.otel_endpoint:
        try:
            from rag import telemetry
        except ImportError as exc:
            _warn_once("otel", "NEWSBOT_OTEL_ENDPOINT is set but OpenTelemetry is not installed "
                       "(pip install 'newsbot[otel]'): %s", exc)
            return
        try:
            telemetry.export(trace, clock, settings.otel_endpoint)
        except Exception as exc:  # noqa: BLE001 - telemetry must never cost an answer
            _warn_once("otel-export", "could not export the answer's spans to %s: %s", settings.otel_endpoint, exc)


def _warn_once(key: str, message: str, *args: object) -> None:
    if key not in _warned:
        _warned.add(key)
        log.warning(message, *args)


def append(path: Path, record: dict) -> None:
    """Append ``record`` as one line: one ``write`` per record under a lock, so lines never interleave."""
    line = json.dumps(record, ensure_ascii=False) + "\n"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _write_lock, open(path, "a", encoding="utf-8") as f:
        f.write(line)


class TraceNotFoundError(LookupError):
    """No trace file, or no record with the asked id (the message says what to do)."""


def read_records(path: Path) -> Iterator[dict]:
    """The records of a trace file, oldest first; a damaged line (a crash mid-write) is skipped."""
    try:
        f = open(path, encoding="utf-8")
    except FileNotFoundError:
        raise TraceNotFoundError(f"No trace file at {path} yet: it is written when the first question is answered.") from None
    with f:
        for line in f:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and "id" in record:
                yield record


def find_record(path: Path, which: str = "last") -> dict:
    """The last record (``which="last"``), or the one whose id is or starts with ``which``."""
    found = None
    matches: set[str] = set()
    for record in read_records(path):
        if which == "last" or str(record["id"]).startswith(which):
            found = record
            matches.add(str(record["id"]))
    if found is None:
        raise TraceNotFoundError(f"No trace {which!r} in {path}." if which != "last" else f"{path} holds no trace yet.")
    if which != "last" and len(matches) > 1:
        raise TraceNotFoundError(f"{which!r} is the start of {len(matches)} trace ids; give more of it.")
    return found
