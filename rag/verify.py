"""Citation verification: keep only answer sentences the given sources support, cite them right.

Why lexical support: a claim is supported when its content words are in the passage and every
name and number in it is there too. That is strict enough to catch the small model's inventions
(a new name, a wrong number) and cheap enough to run on every sentence as it streams. A sentence
whose cited source does not support it is re-cited to the source that does, or dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.chunking import split_sentences
from index.dates import date_label, human_date
from rag.models import RetrievedChunk

SUPPORT_THRESHOLD = 0.7
NEW_FACTS_THRESHOLD = 0.8
_MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_MARKER_AFTER_STOP = re.compile(r"([.!?][\"”’)]?)((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ž\u0400-\u04FF]+(?:['’][A-Za-z]+)?|\d+(?:[.,]\d+)*")
_REFUSAL = re.compile(
    r"(articles|sources|context|text)\s+(do|does)\s+not\s+(say|contain|mention|provide)|"
    r"\b(no|not enough) information\b|\bi (do not|don't|cannot|can't) (know|answer|find)\b|not (mentioned|stated|provided) in",
    re.I,
)
PRONOUNS = frozenset("he she it they him her them his hers their theirs its that this those these there then".split())
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my no nor not now of
    off on once only or other our ours out over own same she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours according said says say told tell reported reports report article
    articles source sources mentioned mention stated as per also however yes""".split()
)
# Capitalised words that start sentences or questions: not names.
_NOT_NAMES = frozenset(
    "The A An In On At As According It He She They This That These Those There Here What Who Whom Whose When Where "
    "Why How Which Did Does Do Is Are Was Were Will Would Can Could Should Has Have Had Also However But And Or If "
    "Yes No Mr Mrs Ms Dr".split()
)


def normalise_word(word: str) -> str:
    """Lower case, no possessive, and a light stem ("embassies" → "embassy", "recalled" → "recall")."""
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$|'$", "", w)
    if len(w) > 5 and w.endswith("ies"):
        return w[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix) and not w.endswith("ss"):
            return w[: -len(suffix)]
    return w


def content_terms(text: str) -> set[str]:
    """Normalised words that carry meaning (no stopwords, no one-letter words)."""
    return {normalise_word(w) for w in _WORD.findall(text) if len(w) > 1 or w.isdigit()} - STOPWORDS


def all_terms(text: str) -> set[str]:
    """Every normalised word, stopwords included: what a text mentions at all."""
    return {normalise_word(w) for w in _WORD.findall(text)}


def salient_terms(text: str) -> set[str]:
    """Names and numbers: capitalised words that do not just start a sentence, and digits."""
    terms = set()
    for w in _WORD.findall(text):
        if w.isdigit() or re.fullmatch(r"\d+(?:[.,]\d+)*", w):
            terms.add(w)
        elif w[0].isupper() and w not in _NOT_NAMES and w.isascii():
            terms.add(normalise_word(w))
    return terms


def strip_markers(sentence: str) -> tuple[str, list[int]]:
    """The sentence without ``[n]`` markers, and the numbers it cited, in order."""
    cited: list[int] = []
    for m in _MARKER.finditer(sentence):
        cited += [int(n) for n in re.split(r"\s*,\s*", m.group(1))]
    text = _MARKER.sub("", sentence).strip()
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return text, list(dict.fromkeys(cited))


def is_refusal(text: str) -> bool:
    return bool(_REFUSAL.search(text))


def date_words(date: str | None, source: str | None = None) -> str:
    """A source date as people write it, so "As of March 2021" is supported by 2021-03-30; an
    estimated date supports only "not before <year>"."""
    if not date:
        return ""
    if source == "estimate":
        return date_label(date, source)
    return f"{human_date(date)} {date}"


def header(chunk: RetrievedChunk) -> str:
    return f"{chunk.title} {chunk.source or ''} {date_words(chunk.date, chunk.date_source)}"


def windows(chunk: RetrievedChunk) -> list[str]:
    """What one claim may rest on: a sentence of the chunk, or two adjacent ones, with the header."""
    spans = split_sentences(chunk.text)
    head = header(chunk)
    out = [f"{head} {chunk.text[s:e]}" for s, e in spans]
    out += [f"{head} {chunk.text[a[0]:b[1]]}" for a, b in zip(spans, spans[1:])]
    return out or [head]


def support(claim: str, source_text: str, question: str = "") -> float:
    """How well ``source_text`` supports ``claim``, from 0 to 1.

    The share of the claim's content words found in the source, or, if lower, the share of its
    *new* words (those not already in the question) scaled so that 80% counts like 70% overall:
    echoing the question proves nothing, the added facts must be in the source. 0 if a name or
    number is missing.
    """
    terms = content_terms(claim)
    if not terms:
        return 0.0
    have = content_terms(source_text)
    every = all_terms(source_text)
    if any(n not in every and not _prefix_in(n, every) for n in salient_terms(claim)):
        return 0.0
    overall = len(terms & have) / len(terms)
    new = terms - content_terms(question) if question else set()
    if not new:
        return overall
    return min(overall, len(new & have) / len(new) * (SUPPORT_THRESHOLD / NEW_FACTS_THRESHOLD))


def chunk_support(claim: str, chunk: RetrievedChunk, question: str = "") -> float:
    """The best support any sentence window of ``chunk`` gives ``claim``: facts must sit together."""
    return max(support(claim, w, question) for w in windows(chunk))


def anchored(claim: str, question: str, chunk: RetrievedChunk) -> bool:
    """The claim's new facts (names, numbers the question did not contain) sit in one sentence of the
    source that is about the question (shares a word with it), not stitched from two unrelated ones.

    This is what catches "the chargé d'affaires is Anatoly Antonov" built from a sentence about the
    chargé and another about Antonov.
    """
    q_terms = content_terms(question)
    new = {n for n in salient_terms(claim) if n not in q_terms and n not in salient_terms(question)}
    if not new:
        return True
    head = all_terms(header(chunk))
    for s, e in split_sentences(chunk.text):
        sentence = chunk.text[s:e]
        have = all_terms(sentence) | head
        if all(n in have or _prefix_in(n, have) for n in new) and content_terms(sentence) & q_terms:
            return True
    return False


def relevant(claim: str, question: str, standalone: str = "") -> bool:
    """The claim answers this question: it shares two of the question's own content words (or all,
    if it has fewer), counting the standalone form's words only when the question has too few."""
    own = content_terms(question) - PRONOUNS
    if len(own) < 2 and standalone:
        own = content_terms(standalone) - PRONOUNS
    if not own:
        return True
    return len(own & content_terms(claim)) >= min(2, len(own))


def _prefix_in(term: str, have: set[str]) -> bool:
    """"Russian" in the claim is supported by "Russia" in the source (shared 6-letter stem)."""
    return len(term) >= 6 and any(h[:6] == term[:6] for h in have if len(h) >= 6)


def best_quote(claim: str, chunk_text: str) -> str:
    """The sentence of ``chunk_text`` (verbatim) that shares most content words with ``claim``."""
    terms = content_terms(claim)
    best, best_score = chunk_text, -1.0
    for s, e in split_sentences(chunk_text):
        sentence = chunk_text[s:e]
        score = len(terms & content_terms(sentence)) + (0.5 if salient_terms(claim) & content_terms(sentence) else 0)
        if score > best_score:
            best, best_score = sentence, score
    return best


@dataclass
class CheckedSentence:
    """One answer sentence after verification: its text (no markers) and the sources that support it."""

    text: str
    sources: list[int] = field(default_factory=list)  # 1-based indexes into the retrieved chunks
    supported: bool = False
    refusal: bool = False


def check_sentence(sentence: str, chunks: list[RetrievedChunk], question: str = "", final: bool = False,
                   standalone: str = "") -> CheckedSentence:
    """Verify one sentence of the model's answer against the retrieved chunks.

    A sentence must be complete (a cut-off last sentence is dropped when ``final``), say something
    (two content words or more), touch the question (a shared content word), and be supported by
    a source.
    """
    text, cited = strip_markers(sentence)
    if is_refusal(text):
        return CheckedSentence(text, refusal=True)
    if len(content_terms(text)) < 2 or (final and not re.search(r"[.!?][\"”’)]?$", text)):
        return CheckedSentence(text)
    if question and not relevant(text, question, standalone):
        return CheckedSentence(text)
    anchor = standalone or question
    scores = {
        i: chunk_support(text, c, anchor) if not anchor or anchored(text, anchor, c) else 0.0
        for i, c in enumerate(chunks, start=1)
    }
    valid = [n for n in cited if n in scores and scores[n] >= SUPPORT_THRESHOLD]
    if valid:
        return CheckedSentence(text, valid, True)
    best = max(scores, key=lambda i: scores[i], default=None)
    if best is not None and scores[best] >= SUPPORT_THRESHOLD:
        return CheckedSentence(text, [best], True)
    return CheckedSentence(text)


def move_markers_before_stop(text: str) -> str:
    """"…Washington. [1]" → "…Washington [1]." so a marker stays with its sentence."""
    return _MARKER_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)


_SOURCE_ECHO = re.compile(r"^\s*(?:\[\d+\]\s*)?.*\((?:[^()]*,\s*)?(?:\d{4}-\d{2}-\d{2}|undated|not before [^()]+)\)\s*$")


def split_answer(text: str) -> list[str]:
    """The model's answer as sentences: lines are kept apart, and lines that only echo a source's
    heading ("Title (Outlet, 2021-10-12)") are dropped."""
    out = []
    for line in move_markers_before_stop(text.strip()).split("\n"):
        if not line.strip() or _SOURCE_ECHO.match(line) or line.strip() in ('"""', "Sources:"):
            continue
        out += [line[s:e] for s, e in split_sentences(line)]
    return out
