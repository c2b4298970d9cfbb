"""One function per metric, applied to one question's result; then averages overall and per category.

Retrieval is scored apart from the answer (as ragas does): hit@k and MRR look only at the ranked
chunks, fact recall and citation checks only at the answer. The headline is *strict* fact recall:
a fact counts only when the answer states it outside quoted passages, because a quote shows that
retrieval found the fact, not that the answer gave it to the reader.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field

from newsbot.evaluation.questions import EvalQuestion
from rag.answer_text import JUNK_KINDS, junk_kinds, strip_quotes

PREMISE_DENIED = re.compile(
    r"\b(?:do(?:es)? not|don['’]t|doesn['’]t) (?:say|support|report|state)\b|\bnot supported\b"
    r"|\bnot what the articles\b|\bno, \b", re.I)
"""How an answer says a question's premise is wrong (the one place this wording is defined)."""
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
    junk: list[tuple[str, str]] = field(default_factory=list)  # (kind, sentence), for the report


def _has(text: str, alternatives: list[str]) -> bool:
    """Case-insensitive containment of any wording; a number must not run on into more digits
    ("March 20" is not in "March 2021", "300" is not in "1300"), words may ("expel" in "expelled")."""
    low = text.lower()
    for a in alternatives:
        a = a.lower().strip()
        if a and re.search(("(?<!\\d)" if a[0].isdigit() else "") + re.escape(a) + ("(?!\\d)" if a[-1].isdigit() else ""), low):
            return True
    return False


def hit_at_k(r: Result) -> float | None:
    if not r.question.answerable:
        return None
    return float(any(name in r.question.expected_sources for name in r.retrieved))


def mrr(r: Result) -> float | None:
    if not r.question.answerable:
        return None
    return next((1.0 / (i + 1) for i, name in enumerate(r.retrieved) if name in r.question.expected_sources), 0.0)


def fact_recall_text(r: Result) -> float | None:
    """Share of expected facts anywhere in the answer text, quoted passages included (the older measure)."""
    facts = r.question.expected_facts
    if not facts:
        return None
    return sum(_has(r.answer, f) for f in facts) / len(facts)


def fact_recall_strict(r: Result) -> float | None:
    """Share of expected facts stated in the answer text outside quoted passages (the headline)."""
    facts = r.question.expected_facts
    if not facts:
        return None
    text = strip_quotes(r.answer)
    return sum(_has(text, f) for f in facts) / len(facts)


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


def fact_cited(r: Result, article_text) -> float | None:
    """Share of expected facts the answer states (outside quotes) AND that a cited article contains.

    Why: on real news an answer can state the right fact while citing an article that does not hold
    it; the reader then cannot check it.
    """
    facts = r.question.expected_facts
    if not facts:
        return None
    text = strip_quotes(r.answer)
    articles = [article_text(c["article_id"]) for c in r.citations if c.get("article_id")]
    return sum(_has(text, f) and any(_has(a, f) for a in articles) for f in facts) / len(facts)


def false_premise_correct(r: Result) -> float | None:
    """On false-premise questions: 1 when the answer is not a flat refusal, says the premise is not
    supported (:data:`PREMISE_DENIED`, outside quotes) and states every true fact (strict)."""
    if not r.question.false_premise:
        return None
    text = strip_quotes(r.answer)
    states = (fact_recall_strict(r) or 0.0) == 1.0 if r.question.expected_facts else True
    return float(not r.refused and bool(PREMISE_DENIED.search(text)) and states)


def refusal_correct(r: Result) -> float | None:
    """On questions whose right answer declines: out of corpus, near misses and periods with no
    articles must be refused; a false premise must be corrected (:func:`false_premise_correct`)."""
    if r.question.false_premise:
        return false_premise_correct(r)
    return None if r.question.answerable else float(r.refused)


def false_refusal(r: Result) -> float | None:
    """On answerable questions (false premises aside: they are scored above): 1 if refused anyway."""
    return float(r.refused) if r.question.answerable and not r.question.false_premise else None


def junk_sentences(answer_text: str, question: str) -> list[str]:
    """The sentences of ``answer_text`` that are junk (see :func:`junk_kinds`)."""
    return [s for _, s in junk_kinds(answer_text, question)]


def junk(r: Result) -> float | None:
    """1 if the answer holds a junk sentence; ``None`` for refusals and errors (not answers)."""
    if r.refused or r.error:
        return None
    r.junk = junk_kinds(r.answer, r.question.question)
    return float(bool(r.junk))


METRICS = {
    "hit_at_k": hit_at_k,
    "mrr": mrr,
    "fact_recall_strict": fact_recall_strict,
    "fact_recall_text": fact_recall_text,
    "fact_recall_with_quotes": fact_recall_with_quotes,
    "citation_precision": citation_precision,
    "refusal_accuracy": refusal_correct,
    "false_refusal_rate": false_refusal,
    "junk_rate": junk,
}
"""Metrics of the result alone; :func:`score` adds those that read the cited articles and the junk kinds."""
SCORES = ["hit_at_k", "mrr", "fact_recall_strict", "fact_cited", "fact_recall_text", "fact_recall_with_quotes",
          "citation_validity", "citation_precision", "refusal_accuracy", "false_refusal_rate", "junk_rate",
          *(f"junk_{k}" for k in JUNK_KINDS)]
"""Every per-question score, in the order tables show them."""


def score(r: Result, article_text) -> Result:
    """Fill ``r.scores`` (``None`` where a metric does not apply); ``article_text(article_id)`` reads a cited article."""
    r.scores = {name: fn(r) for name, fn in METRICS.items()}
    r.scores["citation_validity"] = citation_validity(r, article_text)
    r.scores["fact_cited"] = fact_cited(r, article_text)
    found = {k for k, _ in r.junk}
    for kind in JUNK_KINDS:
        r.scores[f"junk_{kind}"] = None if r.scores["junk_rate"] is None else float(kind in found)
    return r


def passed(r: Result) -> bool:
    """One verdict per question, on what the reader gets.

    Refusals where due; a false premise corrected with the true fact; otherwise every fact stated
    outside quotes (strict recall 1.0), not refused, and every citation verbatim.
    """
    s = r.scores
    valid = s.get("citation_validity") in (None, 1.0)
    if r.question.false_premise:
        return bool(s.get("refusal_accuracy")) and valid
    if not r.question.answerable:
        return bool(s.get("refusal_accuracy"))
    return not r.refused and (s.get("fact_recall_strict") or 0) == 1.0 and valid


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
        for name in SCORES:
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
