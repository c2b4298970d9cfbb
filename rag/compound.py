"""A question that asks two things ("Which officials met in Moscow, and what did they discuss?"), split
into a question and its follow-up, and the two answers joined into one.

Why: a sentence answer leads with one asked item, and a reply the model writes is verified sentence by
sentence against the question it answers; asked as one, the second half is lost. Asked as a question
and a follow-up, the second half gets the conversation machinery that already resolves "they" and bare
"and why?" (:mod:`rag.condense`), and each half is answered, cited and refused on its own.

Only two shapes are split, both unambiguous: a second clause that opens with its own question word
(", and what did they discuss?", "and why?"), and one verb asked about two things ("What did Lavrov say
about Western countries and about western companies?"). "Which Russian and US officials …" and "between
2021 and 2025" are one question.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rag.models import Answer, Citation

_WH = r"(?:who|whom|whose|what|which|when|where|why|how)"
_SECOND_QUESTION = re.compile(rf"^(?P<a>{_WH}\b.+?|(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could)\b.+?)"
                              rf",?\s+and\s+(?P<b>{_WH}\b[^?]*)\?\s*$", re.I)
_TWO_OBJECTS = re.compile(r"^(?P<head>.+?\babout)\s+(?P<a>[^?]+?),?\s+and\s+about\s+(?P<b>[^?]+?)\?\s*$", re.I)


def parts(question: str) -> list[str]:
    """The questions ``question`` asks, in order: two for the shapes above, else ``[question]``. The
    second of a ", and what …" pair is a follow-up to the first (its "they" is the first's answer)."""
    q = " ".join(question.split())
    if m := _TWO_OBJECTS.match(q):
        return [f"{m['head']} {m['a']}?", f"{m['head']} {m['b']}?"]
    if (m := _SECOND_QUESTION.match(q)) and len(m["a"].split()) >= 3:
        second = m["b"].strip()
        return [f"{m['a'].rstrip(' ,')}?", f"{second[0].upper()}{second[1:]}?"]
    return [question]


def joined(question: str, answers: list[Answer]) -> Answer:
    """One answer to ``question`` from its parts' answers, in order: each answered part's text with its
    sources renumbered after the ones before (a source two parts share keeps one number); a refused
    part is named as not answered. All refused: the first refusal."""
    answered = [a for a in answers if not a.refused]
    if not answered:
        return replace(answers[0], question=question)
    citations: list[Citation] = []
    texts = []
    for a in answers:
        if a.refused:
            texts.append(f"The articles do not say: “{a.question}”")
            continue
        text = _without_shown_quotes(a, " ".join(texts), {(c.chunk_id, c.quote) for c in citations})
        number = {}
        for c in a.citations:
            same = next((d for d in citations if (d.chunk_id, d.quote) == (c.chunk_id, c.quote)), None)
            if same is None:
                same = replace(c, n=len(citations) + 1)
                citations.append(same)
            number[c.n] = same.n
        texts.append(re.sub(r"\[(\d+)\]", lambda m: f"[{number.get(int(m[1]), m[1])}]", text))
    return Answer(" ".join(texts), citations=citations, question=question,
                  standalone_question=" / ".join(a.standalone_question or a.question for a in answers),
                  mode="generated" if any(a.mode == "generated" for a in answered) else answered[0].mode,
                  trace=answered[0].trace)


def _without_shown_quotes(answer: Answer, shown: str, cited: set[tuple[str, str]]) -> str:
    """``answer``'s text without the quotations an earlier part's text already shows: its lead keeps its
    source ("…, according to TASS, 30 March 2021 [1].") and an "also" point that only repeats one is left
    out. Only a quotation of a source already cited (``cited``: chunk and quote) goes, so every source
    kept is still cited in the text. Why: "When did Antonov leave Washington, and why?" is answered by one
    sentence twice."""
    text = answer.text.strip()
    for c in answer.citations:
        quote = f"“{c.quote}”"
        if quote not in shown or (c.chunk_id, c.quote) not in cited:
            continue
        text = re.sub(rf"\s*(?<![^.\s])[^“”.]*?, also: {re.escape(quote)} \[{c.n}\]\.", "", text)
        text = text.replace(f": {quote} [{c.n}]", f" [{c.n}]", 1)
    return text.strip()
