"""A question's premise, checked against the articles before the question is answered.

"Why did a Russian parliamentary proposal seek to expel 300 US diplomats?" presumes an event. When
the passage that reports that event says otherwise (a U.S. congressional proposal, Russian
diplomats), quoting it as the answer would let the premise stand; the answer says instead that the
articles do not support it, and what they do say. The check is the verifier's own contradiction test
(rag/verify.py: negation, direction, attribution), applied to the premise as a claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.language import PLACE_ALIASES, is_city, is_name, is_place, place_key, roles
from rag.answer_types import person_names, person_surnames
from rag.verify import canonical, contradicts, content_terms, roles_of

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
        theirs = roles_of(sentence)
        for r in mine:
            for t in theirs:
                if r.office == t.office and r.same_person(t):
                    if r.stated_by(t):
                        return None
                    if found is None and (r.of & t.to or r.to & t.of):  # a country on the other side
                        found = (i, sentence)
    return found


_PLACE = r"(?P<place>[A-Z][\w.'’-]*(?:\s+(?:of\s+)?[A-Z][\w.'’-]*){0,3})"
_TRAVEL = (r"(?:travel(?:l?ed|s|l?ing)?|trips?|visit(?:ed|s|ing)?|went|go(?:es|ing)?|flew|fl(?:y|ies|ying)|"
           r"c(?:a|o)me|arrived?|arrives|arriving|return(?:ed|s|ing)?|head(?:ed|s)?)")
_GOES_TO = re.compile(_TRAVEL + r"\b(?:\s+(?:back|home|abroad|on\s+to))?\s+(?:to\s+|in\s+|for\s+)?(?:the\s+)?" + _PLACE)
_WHO_GOES = re.compile(r"\b(?P<who>[A-Z][\w-]+)(?:['’]s)?\s+(?:[a-z]+\s+){0,3}?\b" + _TRAVEL
                       + r"\b(?:\s+(?:back|home|abroad|on\s+to))?\s+(?:to\s+|in\s+)?(?:the\s+)?" + _PLACE)


def _a_place(phrase: str) -> bool:
    return phrase.lower() in PLACE_ALIASES or is_place(phrase) or is_city(phrase)


def _journeys(sentence: str) -> list[tuple[str, str]]:
    """Who goes where in ``sentence``, as (the traveller's last name, the destination's place key):
    "Nuland's visit to Moscow" → ("nuland", "russia"); "Ryabkov flew to Geneva" → ("ryabkov", "geneva")."""
    out = []
    for m in _WHO_GOES.finditer(sentence):
        place = m.group("place").removesuffix("'s").removesuffix("’s")
        if _a_place(place) and not _a_place(m.group("who")):
            out.append((m.group("who").lower(), place_key(place)))
    return out


def misdirected(question: str, sentences: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The sentence that sends the question's people elsewhere, when the question has someone travel
    ("Why did Ryabkov travel to Washington for talks with Nuland?") and no passage has that traveller
    in that place: "Nuland's visit to Moscow this week …" (the question turns the journey round).

    Why: the question names the people and the place the articles do, so retrieval and the name check
    find them; only who went where is wrong, and a quote about the talks would let it stand."""
    m = _GOES_TO.search(question)
    if not m or not _a_place(m.group("place")):
        return None
    place = m.group("place")
    before = question[:m.start()]
    travellers = person_names(before) or [w for w in re.findall(r"\b[A-Z][\w-]+\b", before)[1:]
                                          if is_name(w) and not _a_place(w)]  # "Why did Ryabkov travel …"
    if len(travellers) != 1:
        return None
    traveller = travellers[0].split()[-1].lower()
    people = {traveller} | person_surnames(question[m.end():])
    key = place_key(place)
    found = None
    for i, sentence in sentences:
        low = sentence.lower()
        if traveller in low and place.lower() in low:
            return None  # the traveller and the place in one sentence: nothing to deny
        for who, where in _journeys(sentence):
            if who == traveller and where == key:
                return None
            if found is None and who in people and where != key:
                found = (i, sentence)
    return found


_LABEL_VERB = r"\b(?:call(?:s|ed|ing)?|consider(?:s|ed|ing)?|label(?:l?ed|s)?|brand(?:ed|s)?|describe[sd]?)"
_NAME = r"[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2}"
_CALLS = re.compile(r"\b(?P<a>" + _NAME + r")\s+" + _LABEL_VERB + r"\s+(?P<b>" + _NAME + r")\s+(?:as\s+)?an?\s+[“\"‘']?"
                    r"(?P<n>[a-z][\w-]+)")


def _surname(name: str) -> str:
    return name.split()[-1].lower()


def _labelled(sentence: str, noun: str) -> set[str]:
    """Whom ``sentence`` calls ``noun``, by surname: "asked whether he considered Putin to be a “killer”"
    → {"putin"}."""
    pattern = (_LABEL_VERB + r"\s+(?P<who>" + _NAME + r")(?:['’]s)?\s+(?:(?:to\s+be|as)\s+)?an?\s+[“\"‘']?"
               + re.escape(noun) + r"\b")
    return {_surname(m.group("who")) for m in re.finditer(pattern, sentence)}


def mislabelled(question: str, sentences: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The sentence that gives the question's label the other way round: "Why did Putin call Biden a
    killer?" against "asked whether he considered Putin to be a “killer,” Biden answered that he did".
    Both names and the word are in the articles, so retrieval and the name check let the question
    through; only who called whom is turned round. A sentence that calls the question's own target
    that word means there is nothing to deny. People are compared by surname ("Joe Biden", "Biden")."""
    m = _CALLS.search(question)
    if not m:
        return None
    caller, target, noun = _surname(m.group("a")), _surname(m.group("b")), m.group("n").lower()
    found = None
    for i, sentence in sentences:
        labelled = _labelled(sentence, noun)
        if target in labelled:
            return None
        if found is None and caller in labelled and re.search(rf"\b{re.escape(target)}\b", sentence, re.I):
            found = (i, sentence)
    return found


def contradicted(question: str, sentences: list[tuple[int, str]],
                 whole: Callable[[], list[tuple[int, str]]] | None = None) -> tuple[int, str] | None:
    """The candidate sentence that reports the question's event and contradicts its premise, if any:
    a person cast in another's office (:func:`miscast`), a journey the other way (:func:`misdirected`), a
    label given the other way round (:func:`mislabelled`), or the verifier's contradiction of the claim."""
    if found := miscast(question, sentences):
        return found
    if _CALLS.search(question) and (found := mislabelled(question, whole() if whole else sentences)):
        return found
    if _GOES_TO.search(question) and (found := misdirected(question, whole() if whole else sentences)):
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
