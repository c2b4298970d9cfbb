"""The part of a sentence that answers a question, stated in words.

Why: when a question asks for more than one item ("What did the nationalists do?", "What did Peskov
say could make the path quick?", a follow-up "Why?"), the best sentence of an article usually carries
the answer in one of its clauses, wrapped in who-said-it frames and in words the question already
has. A reader wants that clause first, as a statement, with the verbatim sentence after it as the
quote that proves it. The clause is cut out of the sentence (never reworded), so it is as supported
as the sentence, and it must add facts the question does not already give (no echo).

How: the sentence is cut at its clause boundaries (commas, semicolons, dashes, and the words that open
a clause: "because", "who", "which" …); attribution-only pieces ("Ryabkov said", "according to
TASS") are left out; every run of up to three neighbouring pieces is scored by the question's words
it holds (it must be about the question) and the new content words it adds (it must answer it); a
clause that opens with "who"/"which" gets its antecedent back ("some Russian nationalists who
ransacked …" → "Some Russian nationalists ransacked …").
"""

from __future__ import annotations

import re

from core.language import REPORTING, may_be_verb, reporting_forms
from rag.answer_types import ASKS_SAID, AskedFor, lemma_set
from rag.verify import content_terms, salient_terms

MIN_WORDS = 5
"""A shown sentence has at least five words (shorter ones are junk, see :mod:`rag.answer_text`)."""
MIN_NEW_TERMS = 2
"""Content words the clause adds beyond the question: fewer, and it only restates the question."""

_SAYING = reporting_forms("say", "state", "note", "add", "stress", "warn", "argue", "claim", "point out", "explain",
                          "emphasise", "insist", "reiterate", "suggest", "believe", "think")
"""The verbs that frame a reported clause ("the ministry said [that] …"): the frame is cut away."""
_CUT = re.compile(r"\s*[;:]\s+|,[\"”]?\s+|\s+[—–]\s+|\s+-\s+|\s+(?=[\"“]?(?:because|since|although|though|whereas|while|who|which|"
                  r"but|so that|in order to)\b)|"
                  # a reported clause: "the ministry said [that] a proposal would lead to …" (the frame is left out)
                  rf"\s+(?:{_SAYING})\s+(?:that\s+)?(?=[\w“\"])", re.I)
_FRAME_AFTER = re.compile(rf"\s+(?:{_SAYING})\b", re.I)
"""A piece followed by "said …" is the frame's speaker ("Last week the Russian foreign ministry"), never an answer."""
_OPENER = re.compile(r"^(?:and|but|so|also|however|meanwhile|moreover|still|yet|then|in addition|at the same time|"
                     r"that|which is why)\b,?\s*", re.I)
_SUBJECTLESS = re.compile(r"^(?:was|were|is|are|am|be|been|being|has|have|had|did|does|do|will|would|shall|should|can|"
                          r"could|may|might|must|to|and|or|nor)\b", re.I)
_RELATIVE = re.compile(r"^(?:who|which)\s+", re.I)
_DETERMINER = frozenset("the a an some many several most few its their his her our these those this that all both "
                        "two three four five ten dozens hundreds".split())
_STOP_BACK = frozenset("of in on at to for from by with about into over after before between under during and or "
                       "is are was were be been has have had did does do will would can could should may might "
                       "that than as said says told".split())
_QUOTE_MARKS = re.compile(r"[“”\"]|(?<!\w)[‘’']|(?<!s)[‘’'](?!\w)")  # a plural's possessive ("parties' ") stays


def answer_span(question: str, sentence: str, asked: AskedFor | None = None) -> str | None:
    """The clause of ``sentence`` that answers ``question``, as a sentence ("Some Russian nationalists
    ransacked a makeshift memorial …"), or ``None`` when no clause both speaks of the question and adds
    at least :data:`MIN_NEW_TERMS` content words to it, or when the best clause is the whole sentence.

    A piece inside quotation marks that speaks in the first or second person ("we have achieved …")
    is never stated: without its marks it would read as the outlet's words or the bot's.
    """
    text = sentence.strip().rstrip(".!…").strip()
    pieces = [p for p in _pieces(text) if not _first_person_quote(text, *p)]
    if not pieces:
        return None
    asked_terms = content_terms(question) | salient_terms(question)
    names = salient_terms(question)
    focus = set(asked.focus_words) if asked else set()
    why = asked is not None and asked.kind == "why"
    asks_said = bool(ASKS_SAID.search(question))  # "What did X say …?": what was said answers, not that it was
    best, best_score = None, 0.0
    for i in range(len(pieces)):
        for j in range(i, min(i + 3, len(pieces))):
            window = pieces[i:j + 1]
            if j > i and window[-1][0] - window[-2][1] > 4:
                break  # a left-out piece lies between: the run would skip words
            if any(_attribution(_unquoted(text[a:b]), asked_terms) or (asks_said and REPORTING.search(text[a:b]))
                   for a, b in window):
                break  # a frame ends the run: "…, Ryabkov said, …" does not join two clauses
            start, end = window[0][0], window[-1][1]
            if _FRAME_AFTER.match(text, end):
                continue
            if start == 0 and end >= len(text) - 1:
                continue  # the whole sentence: nothing cut, the quote says it
            clause = _with_antecedent(text, start, end, names)
            if clause is None:
                continue
            clause = _tidy(clause)
            if _SUBJECTLESS.match(clause) or re.match(r"[a-z]+ed\b", text[start:end].strip()):
                continue  # "was recalled …", "acknowledged that …": a predicate whose subject was cut off
            piece = _unquoted(text[start:end])
            # the question's name was put before it (not just an opener like "also" taken off)
            apposition = not _RELATIVE.match(piece) and clause != _tidy(text[start:end])
            if not apposition and not any(may_be_verb(w) for w in re.findall(r"\b[a-z]+\b", clause)):
                continue  # "About three months ago, Russia's ambassador to the United States": no verb, no statement
                # (an apposition needs none: "Alexander Darchiyev, director of the Department …")
            words = clause.split()
            terms = content_terms(clause)
            new = terms - asked_terms
            if len(words) < MIN_WORDS or len(new) < MIN_NEW_TERMS:
                continue
            about = len(terms & asked_terms) + (len(focus & lemma_set(clause)) if focus else 0)
            cause = why and re.match(r"(?i)(?:because|since|due to|as a result|in order to|so that)\b", clause)
            if (why and not cause) or (not about and not cause):
                continue  # a why-question is answered by a reason, not by a restatement of its event
            if apposition and j > i:
                continue  # an apposition ends at its comma: "X, head of Y, to the post of Z" is about Z
            score = min(about, 2) + 0.5 * min(len(new), 6) - 0.04 * len(words) + (2.0 if cause else 0.0) + 0.5 * apposition
            if score > best_score:
                best, best_score = (start, end, clause), score
    if best is None:
        return None
    clause = best[2].rstrip(" .!")  # a stop inside the closing mark ('… equal terms."') is the sentence's
    return clause[0].upper() + clause[1:] + "."


def _tidy(text: str) -> str:
    """A piece as it would be stated: no quotation marks, no opener ("also", "but"), no edge punctuation."""
    return _OPENER.sub("", _unquoted(text)).strip(" ,;:—–-")


def _unquoted(text: str) -> str:
    return re.sub(r"\s{2,}", " ", _QUOTE_MARKS.sub("", text)).strip()


FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Oo]urs?|us|[Mm]y|[Mm]e|[Yy]ou|[Yy]our)\b")
"""A speaker's own person ("we", "our", "I", "you"); "US" (the country) is not "us"."""


def _first_person_quote(text: str, start: int, end: int) -> bool:
    """Whether the piece lies inside a quotation (an odd number of marks before it) and speaks as "I"/"we"/"you"."""
    # A sentence may open inside a quotation begun in the one before ('But that said, we do have …,"
    # Rood said'): any quotation mark in the sentence makes a first-person piece someone's own words.
    quoted = bool(re.search(r"[“”\"]", text))
    return quoted and bool(FIRST_PERSON.search(text[start:end].replace("U.S.", "")))


def _pieces(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause-like piece of ``text``."""
    out, pos = [], 0
    for m in _CUT.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _attribution(piece: str, asked_terms: set[str]) -> bool:
    """A who-said-it frame ("Ryabkov said", "according to TASS", "the source pointed out"): a short
    piece with a reporting verb and at most one content word besides names and the question's words."""
    if not REPORTING.search(piece) or len(piece.split()) > 8:
        return False
    rest = content_terms(REPORTING.sub(" ", piece)) - salient_terms(piece) - asked_terms
    return len(rest) <= 1


def _with_antecedent(text: str, start: int, end: int, names: set[str] = frozenset()) -> str | None:
    """``text[start:end]``; a clause opening with "who"/"which" takes the noun phrase before it as its
    subject (back to a determiner, at most five words), or ``None`` when there is none to take. A piece
    right after a name the question gives is that name's apposition ("Alexander Darchiyev, director of
    the Department …"): the name leads it."""
    clause = text[start:end].strip()
    m = _RELATIVE.match(clause)
    if not m:
        before = text[:start].rstrip()
        if before.endswith(",") and names:
            run = re.search(r"((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'.-]*),$", before)
            if run and salient_terms(run.group(1)) & names and not clause[:1].isupper() and not REPORTING.search(before):
                return f"{run.group(1)}, {clause}"
        return clause
    before = text[:start].rstrip(" ,").split()
    phrase: list[str] = []
    for w in reversed(before):
        low = w.lower().strip(",.")
        if low in _STOP_BACK or len(phrase) >= 5:
            break
        phrase.insert(0, w)
        if low in _DETERMINER:
            break
    if not phrase or not (phrase[0].lower() in _DETERMINER or phrase[0][:1].isupper()):
        return None
    return " ".join(phrase) + " " + clause[m.end():]


_DESCRIBE_ASKED = re.compile(r"\bhow (?:did|does|do|has|have|had|would|will|was|were|is|are)\b.*?\b(?:describ|call|characteri[sz]|"
                             r"term|label|dub|portray|refer(?:red|s)? to|sum(?:med)? up)\w*", re.I)
_QUOTED = re.compile(r"[“\"‘]([^“”\"‘’]{2,80}?)[”\"’](?!\w)")
_DESCRIBED_AS = re.compile(r"\b[a-z]+(?:ed|ised|ized)\s+(?:[\w’'-]+\s+){0,4}?as\s+(?P<p>(?:an?|the)\s+[^,.;:“”\"]+)")
"""A description given in words: "Putin crystallised the interaction as an essential strategic breakthrough"."""
MAX_CHARACTERIZATION_WORDS = 8


def characterization(question: str, sentence: str) -> str | None:
    """For "How did the Kremlin describe relations …?", the words the sentence quotes as the description
    ("… described relations as “below zero” …" → "below zero"), without their marks, or gives after a
    verb's "as a/an/the" ("… crystallised the interaction as an essential strategic breakthrough"): the asked thing
    is those words, and a reader wants them first. ``None`` when the question asks no such thing, or the
    sentence quotes no short phrase that adds a word to the question."""
    if not _DESCRIBE_ASKED.search(question):
        return None
    q_terms = content_terms(question) | salient_terms(question)
    phrases = [m.group(1) for m in _QUOTED.finditer(sentence)] + [m.group("p") for m in _DESCRIBED_AS.finditer(sentence)]
    for phrase in phrases:
        phrase = phrase.strip(" ,.")
        if 1 <= len(phrase.split()) <= MAX_CHARACTERIZATION_WORDS and content_terms(phrase) - q_terms:
            return phrase
    return None

