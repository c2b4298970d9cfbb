"""A question's premise, checked against the articles before the question is answered.

"Why did a Russian parliamentary proposal seek to expel 300 US diplomats?" presumes an event. When
the passage that reports that event says otherwise (a U.S. congressional proposal, Russian
diplomats), quoting it as the answer would let the premise stand; the answer says instead that the
articles do not support it, and what they do say. The check is the verifier's own contradiction test
(rag/verify.py: negation, direction, attribution), applied to the premise as a claim.
"""

from __future__ import annotations

import re

from core.language import roles
from rag.verify import canonical, contradicts, content_terms

_WH = re.compile(r"^\s*(?:why|when|where|how|what|who|which \w+)\s+(?:did|does|do|was|were|is|are|has|have|had|will|would)\s+", re.I)
MIN_OVERLAP = 0.5
"""Share of the premise's content words a passage must hold to be the report of the same event."""


def premise_of(question: str) -> str | None:
    """The claim a wh-question takes for granted ("Why did X do Y?" → "X do Y"), if it states one."""
    m = _WH.match(question)
    if not m:
        return None
    rest = question[m.end():].strip().rstrip("?").strip()
    return rest if len(content_terms(rest)) >= 3 else None


def miscast(question: str, sentences: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The sentence that gives a person the question's office the other way round: "John Sullivan, the
    Russian ambassador to the US" against "US Ambassador to Russia John Sullivan" (the question
    swaps whose envoy he is). The same office, the same person, the countries on other sides; a
    sentence that binds them as the question does means there is nothing to deny."""
    mine = roles(canonical(question))
    if not mine:
        return None
    found = None
    for i, sentence in sentences:
        theirs = roles(canonical(sentence))
        for r in mine:
            for t in theirs:
                if r.office == t.office and r.same_person(t):
                    if r.stated_by(t):
                        return None
                    if found is None and (r.of & t.to or r.to & t.of):  # a country on the other side
                        found = (i, sentence)
    return found


def contradicted(question: str, sentences: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The candidate sentence that reports the question's event and contradicts its premise, if any:
    a person cast in another's office (:func:`miscast`), or the verifier's contradiction of the claim."""
    if found := miscast(question, sentences):
        return found
    claim = premise_of(question)
    if not claim:
        return None
    terms = content_terms(claim)
    scored = sorted(((len(terms & content_terms(s)) / len(terms), i, s) for i, s in sentences), reverse=True)
    for share, i, sentence in scored[:3]:
        if share >= MIN_OVERLAP and contradicts(claim, sentence):
            return i, sentence
    return None
