"""One function per metric, applied to one question's result; then averages overall and per category.

Retrieval is scored apart from the answer (as ragas does): hit@k and MRR look only at the ranked
chunks, fact recall and citation checks only at the answer.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

from newsbot.evaluation.questions import EvalQuestion


@dataclass
class Result:
    """What one configuration did with one question, and its scores (``None``: not applicable)."""

    question: EvalQuestion
    answer: str
    refused: bool
    citations: list[dict]
    retrieved: list[str]  # file names of the ranked chunks' articles
    seconds: float
    mode: str = ""
    scores: dict[str, float | None] = field(default_factory=dict)
    error: str | None = None


def _has(text: str, alternatives: list[str]) -> bool:
    low = text.lower()
    return any(a.lower() in low for a in alternatives)


def hit_at_k(r: Result) -> float | None:
    if not r.question.answerable:
        return None
    return float(any(name in r.question.expected_sources for name in r.retrieved))


def mrr(r: Result) -> float | None:
    if not r.question.answerable:
        return None
    return next((1.0 / (i + 1) for i, name in enumerate(r.retrieved) if name in r.question.expected_sources), 0.0)


def fact_recall_text(r: Result) -> float | None:
    """Share of expected facts stated in the answer text itself."""
    facts = r.question.expected_facts
    if not facts:
        return None
    return sum(_has(r.answer, f) for f in facts) / len(facts)


def fact_recall_with_quotes(r: Result) -> float | None:
    """Share of expected facts in the answer text or its quoted passages."""
    facts = r.question.expected_facts
    if not facts:
        return None
    text = r.answer + " " + " ".join(c.get("quote", "") for c in r.citations)
    return sum(_has(text, f) for f in facts) / len(facts)


def citation_validity(r: Result, article_text) -> float | None:
    """Share of citations whose quote occurs verbatim in the cited article."""
    if not r.citations:
        return None
    return sum(1 for c in r.citations if c.get("quote") and c["quote"] in article_text(c["article_id"])) / len(r.citations)


def citation_precision(r: Result) -> float | None:
    """Share of cited articles that are expected, or whose quote states an expected fact."""
    if not r.citations:
        return None
    good = 0
    for c in r.citations:
        expected = os.path.basename(c.get("path", "")) in r.question.expected_sources
        supports = any(_has(c.get("quote", ""), f) for f in r.question.expected_facts)
        good += expected or supports
    return good / len(r.citations)


def refusal_correct(r: Result) -> float | None:
    """On questions the articles do not answer: 1 if refused."""
    return None if r.question.answerable else float(r.refused)


def false_refusal(r: Result) -> float | None:
    """On answerable questions: 1 if refused anyway."""
    return float(r.refused) if r.question.answerable else None


METRICS = {
    "hit_at_k": hit_at_k,
    "mrr": mrr,
    "fact_recall_text": fact_recall_text,
    "fact_recall_with_quotes": fact_recall_with_quotes,
    "citation_precision": citation_precision,
    "refusal_accuracy": refusal_correct,
    "false_refusal_rate": false_refusal,
}


def score(r: Result, article_text) -> Result:
    r.scores = {name: fn(r) for name, fn in METRICS.items()}
    r.scores["citation_validity"] = citation_validity(r, article_text)
    return r


def passed(r: Result) -> bool:
    """One verdict per question: refusals where due; otherwise every fact (text or quotes) and valid citations."""
    s = r.scores
    if not r.question.answerable:
        return bool(s.get("refusal_accuracy"))
    return not r.refused and (s.get("fact_recall_with_quotes") or 0) == 1.0 and s.get("citation_validity") in (None, 1.0)


def _mean(values) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = math.floor(k), math.ceil(k)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 3)


def aggregate(results: list[Result]) -> dict:
    """Overall means (with ``n``, pass rate, latency p50/p95) and the same per category."""
    def block(rs: list[Result]) -> dict:
        out = {"n": len(rs)}
        for name in list(METRICS) + ["citation_validity"]:
            out[name] = _mean(r.scores.get(name) for r in rs)
        out["pass_rate"] = _mean(float(passed(r)) for r in rs)
        secs = [r.seconds for r in rs]
        out["latency_p50_s"] = percentile(secs, 0.5)
        out["latency_p95_s"] = percentile(secs, 0.95)
        return out

    overall = block(results)
    cats = sorted({r.question.category for r in results})
    overall["per_category"] = {c: block([r for r in results if r.question.category == c]) for c in cats}
    overall["errors"] = sum(1 for r in results if r.error)
    return overall
