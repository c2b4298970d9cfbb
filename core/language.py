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
several many much s t
according said says say told tell mentioned mention stated article articles
""".split())
"""One stopword list for every comparison of words. Based on the Lucene/Elasticsearch English list that
bm25s ships as ``"en"`` (first two lines), with the function words of common English lists and the
verbs of reporting ("said", "according"): a claim made of these states no fact, and a question's
"according to the articles" is not a search term. Left out: "may" (also a month), and "source",
"report", "news", which are news content ("sources said", "the report"; measured: as stopwords they
cost BM25 the passage that answers "How many sources did CNN rely on?")."""

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
    w = word.lower().replace("’", "'")
    if w[:1].isdigit():
        return w
    w = re.sub(r"'s$|'$", "", w.replace(".", ""))
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
    w = re.sub(r"'s$|'$", "", word.lower().replace("’", "'").replace(".", "")) if not word[:1].isdigit() else word
    nouns = _lemmatizer()[0](w, upos="NOUN").get("NOUN") if w else None
    return nouns[0] if nouns else w


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
critics""".split())
"""Words that are capitalised because they start a sentence, a question or an answer's lead
("However", "According", "Officials said"), or are titles and common nouns: never a name, lower case."""


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
