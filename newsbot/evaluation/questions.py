"""The test question set: data in ``data/eval/questions.jsonl``, one JSON object a line.

Fields: ``id``, ``category``, ``question``, ``expected_facts`` (a list of facts, each a list of
accepted wordings), ``expected_sources`` (article file names; empty means the articles do not say
and the right answer is a refusal), optional ``history`` (earlier ``[question, answer]`` pairs) and
optional ``premise`` (``"false"``: the question assumes something the articles contradict; the right
answer corrects it and states the true fact in ``expected_facts``).

The real-news set (``questions.yaml``, another format) is read by :mod:`newsbot.evaluation.realnews`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from core.settings import REPO_ROOT

DEFAULT_QUESTIONS = REPO_ROOT / "data" / "eval" / "questions.jsonl"
"""The sample corpus' question set (in a checkout; `newsbot eval` and the benchmarks read it)."""

CATEGORIES = ("factoid", "person", "place", "organisation", "date", "number", "list", "yesno", "why", "multi", "change",
              "period", "latest", "timeline", "followup", "unanswerable", "near_miss", "false_premise", "russian")


class QuestionSetError(ValueError):
    """The question file is malformed; the message names the line."""


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    category: str
    question: str
    expected_facts: list[list[str]] = field(default_factory=list)
    expected_sources: list[str] = field(default_factory=list)
    history: list[tuple[str, str]] = field(default_factory=list)
    premise: str | None = None

    @property
    def answerable(self) -> bool:
        return bool(self.expected_sources)

    @property
    def false_premise(self) -> bool:
        """Scored on correcting the premise (not on a refusal, and not as an ordinary answer)."""
        return self.premise == "false" or self.category == "false_premise"


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read and check the question file.

    Raises:
        QuestionSetError: unreadable file, bad JSON, missing fields or duplicate ids (with the line).
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QuestionSetError(f"cannot read question file {path}: {exc.strerror}") from exc
    out, seen = [], set()
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            q = EvalQuestion(
                id=str(row["id"]), category=str(row["category"]), question=str(row["question"]),
                expected_facts=[list(map(str, f)) for f in row.get("expected_facts", [])],
                expected_sources=list(map(str, row.get("expected_sources", []))),
                history=[(str(a), str(b)) for a, b in row.get("history", [])],
                premise=str(row["premise"]) if row.get("premise") is not None else None,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise QuestionSetError(f"{path}:{n}: not a valid question ({exc.__class__.__name__}: {exc})") from exc
        if q.id in seen:
            raise QuestionSetError(f"{path}:{n}: duplicate id {q.id!r}")
        seen.add(q.id)
        out.append(q)
    if not out:
        raise QuestionSetError(f"{path} holds no questions")
    return out
