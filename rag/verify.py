"""Citation verification: keep only answer sentences the given sources support, cite them right.

Why lexical support: a claim is supported when its content words are in the passage and every
name and number in it is there too. That is strict enough to catch inventions (a new name, a wrong
number) and cheap enough to run on every sentence as it streams. A sentence whose cited source
does not support it is re-cited to the source that does, or dropped.

A strong model paraphrases, so the words may differ while the facts may not. Claim and passage are
read in one canonical form (numbers as digits, dates as "20 March 2021") and compared by the
words, stems and stopwords of :mod:`core.language`, the ones BM25 and the refusal gate use; most
of the claim's new words must be in the passage, and every one of these must hold: each name,
number, date and length of time is there (a day with its month); a fact the claim puts in one
clause stands in one source sentence; no side negates what the other states ("not", "failed to",
"refused", "decided against"); a quantity does not go the other way ("high"
against "low", "normal size" against "reduced"); a noun is not tied to another name ("U.S.
diplomats" against "Russian diplomats"); and the claim's new facts sit in sentences about the
question. Measured on 128 labeled sentences by ``python -m benchmarks.verifier``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import timedelta
from functools import lru_cache

from core.language import MONTH_NUMBER, MONTHS, WEEKDAYS, WORD, Role, is_stopword, may_be_noun, may_be_verb, name_terms, noun_lemma, roles, \
    split_sentences, stem, tokens
from index.dates import date_label, human_date, parse_date
from rag.models import RetrievedChunk

SUPPORT_THRESHOLD = 0.72
"""Share of a claim's content stems the source must hold. 0.72, not 0.7, since stems are Snowball's:
more forms of a word match ("workings" / "work"), and at 0.7 a wrong claim holding 5 of 7 passed
(``python -m benchmarks.verifier``: 0.72 keeps as many correct sentences and drops every wrong one)."""
NEW_FACTS_THRESHOLD = 0.6
_MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_MARKER_AFTER_STOP = re.compile(r"([.!?][\"”’)]?)((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)")
_REFUSAL = re.compile(
    r"(articles|sources|context|text)\s+(do|does)\s+not\s+(say|contain|mention|provide)|"
    r"\b(no|not enough) information\b|\bi (do not|don't|cannot|can't) (know|answer|find)\b|not (mentioned|stated|provided) in",
    re.I,
)
PRONOUNS = frozenset("he she it they him her them his hers their theirs its that this those these there then".split())
# Words of a question that ask rather than say ("how many"): not what a claim must share with it.
_NOT_OWN = frozenset(PRONOUNS | {"many", "much", "matter", "happen", "mean"})


def content_terms(text: str) -> set[str]:
    """Stems of the words that carry meaning (:func:`core.language.tokens`: no stopwords, no one-letter words)."""
    return set(tokens(text))


def all_terms(text: str) -> set[str]:
    """Every word's stem, stopwords included: what a text mentions at all."""
    return {stem(w) for w in WORD.findall(text)}


def salient_terms(text: str) -> set[str]:
    """Names and numbers (:func:`core.language.name_terms`): capitalised words that do not just start a
    sentence, and digits."""
    return name_terms(text)


# --- Reading a claim and a passage the same way ------------------------------------------------
# A strong model paraphrases: "three hundred" for "300", "20/3" for "March 20", "held" for "hold".
# Both sides are rewritten to one canonical form before words are compared, so only the facts differ.

_MONTH_WORD = r"(?:" + "|".join(sorted(MONTH_NUMBER, key=len, reverse=True)) + r")"
# "Feb 2022", "Mar. 30", "30 Mar": a short month name counts only beside a number.
_SHORT_MONTH = re.compile(rf"\b({_MONTH_WORD})\.?(?=,?\s+\d)|(?<=\d\s)({_MONTH_WORD})\b\.?", re.I)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC_DATE = re.compile(r"(?<![\d.,/])(\d{1,2})(?:/(\d{1,2})(?:/(\d{4}|\d{2}))?|\.(\d{1,2})\.(\d{4}))(?![\d/]|\.\d)")
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:\s*[-–]\s*(\d{{1,2}}))?\s+({_MONTH_WORD})\b"
                        rf"|\b({_MONTH_WORD})\s+(\d{{1,2}})(?:\s*[-–]\s*(\d{{1,2}}))?(?![\d:])", re.I)
_ACRONYM = re.compile(r"\b((?:[A-Z]\.){2,})(?=\W|$)")
_THOUSANDS = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
_ONES = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
_NUMBER_WORD = r"(?:" + "|".join(list(_ONES) + list(_TENS) + list(_SCALES)) + r")"
_NUMBER_WORDS = re.compile(rf"\b{_NUMBER_WORD}(?:(?:[\s-]+and[\s-]+|[\s-]+){_NUMBER_WORD})*\b(?!-)", re.I)
_SCALED = re.compile(r"\b(\d+(?:\.\d+)?)\s+(hundred|thousand|million|billion|trillion)\b(?!s)", re.I)
_NEGATION_WORDS = frozenset(
    "not no never neither nor none nothing nobody nowhere without cannot absence lack".split())
# Verbs that deny what follows them ("failed to make progress", "refused to agree", "stop expelling").
_ABSENCE_NOUNS = frozenset({"absence", "lack"})
_NEGATING_VERBS = "fail refuse decline stop cease avoid deny reject halt"
_SCOPE_END = frozenset("but however although though while whereas because since yet so instead rather".split())
_SCOPE_WORDS = 8  # content words a negation reaches
# Hedges and time adverbs a paraphrase adds or drops without changing the fact ("still", "roughly").
_LIGHT_WORDS = ("still even already roughly approximately nearly almost around just really quite currently reportedly "
                "though although since whether back away describe call reveal explain remark")
_RELATIVE = re.compile(r"\b(last|previous|this|next)\s+(week|month|year)\b|\b(yesterday)\b", re.I)
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
_DATE_WORD = re.compile(r"\b(?:" + "|".join(MONTHS + WEEKDAYS) + r"|(?:19|20)\d\d)\b|\b(?:yesterday|today|ago)\b", re.I)
_ASKS_NUMBER = re.compile(r"\bhow (?:many|much|long|old|far)\b|\bwhat (?:number|share|percentage)\b", re.I)
_ASKS_DATE = re.compile(r"\bwhen\b|\bwhat (?:date|day|year|month|time)\b|\bsince when\b|\bhow long ago\b", re.I)
_ASKS_NAME = re.compile(r"\bwho(?:m|se)?\b", re.I)
# Words that say which way a quantity went: "reduced", "all-time low" against "high", "grew".
_DOWN_WORDS = "low lower lowest reduce cut decrease shrink small smaller smallest fall fell drop weaken minimum"
_UP_WORDS = "high higher highest increase raise rise rose grow grew expand large larger largest big bigger biggest maximum"
_SPAN = re.compile(r"\b(\d+(?:\.\d+)?)(?:\s+(?:more|full|whole|long|straight|consecutive))?[\s-]+"
                   r"(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century)\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:()—–]|\s-\s|[.!?](?=\s|$)")


def _number_value(words: list[str]) -> int:
    total = current = 0
    for w in words:
        if w in _ONES:
            current += _ONES[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _SCALES[w]
            current = 0
    return total + current


def _scaled(m: re.Match) -> str:
    value = float(m.group(1)) * _SCALES[m.group(2).lower()]
    return str(int(value)) if value == int(value) else m.group(0)


def _numeric_date(m: re.Match) -> str:
    a, b, year = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)
    if year and len(year) == 2:
        year = "20" + year
    iso = parse_date(f"{a}/{b}/{year or 2000}")  # 2000 is a leap year: "29/2" stays a date
    if iso is None:
        return m.group(0)
    day, month = int(iso[8:]), MONTHS[int(iso[5:7]) - 1]
    return f"{day} {month} {year}" if year else f"{day} {month}"


@lru_cache(maxsize=16384)
def canonical(text: str) -> str:
    """``text`` with dates, numbers and dotted acronyms in one form: "U.S." → "US", "three hundred" →
    "300", "1.5 million" → "1500000", "3,000" → "3000", "20/3" and "Mar. 20th" → "20 March",
    "2021-03-30" → "30 March 2021". Numeric dates are read by ``index.dates.parse_date`` (dateparser)."""
    text = _ACRONYM.sub(lambda m: m.group(1).replace(".", ""), text)
    text = _ISO_DATE.sub(lambda m: f"{int(m.group(3))} {MONTHS[int(m.group(2)) - 1]} {m.group(1)}"
                         if 1 <= int(m.group(2)) <= 12 else m.group(0), text)
    text = _NUMERIC_DATE.sub(_numeric_date, text)
    text = _ORDINAL.sub(r"\1", text)
    text = _SHORT_MONTH.sub(lambda m: MONTHS[MONTH_NUMBER[(m.group(1) or m.group(2)).lower()] - 1], text)
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)
    text = _SCALED.sub(_scaled, text)
    return _NUMBER_WORDS.sub(lambda m: str(_number_value(re.split(r"[\s-]+(?:and[\s-]+)?", m.group(0).lower()))), text)


def day_months(text: str) -> set[tuple[int, int]]:
    """(month, day) pairs a canonical text names: "20 March", "April 22-23" → (3, 20), (4, 22), (4, 23)."""
    out = set()
    for m in _DAY_MONTH.finditer(text):
        if m.group(3):
            month, days = MONTH_NUMBER[m.group(3).lower()], (m.group(1), m.group(2))
        else:
            month, days = MONTH_NUMBER[m.group(4).lower()], (m.group(5), m.group(6))
        out |= {(month, int(d)) for d in days if d and 1 <= int(d) <= 31}
    return out


@dataclass(frozen=True)
class Reading:
    """A text read for comparison: the stems of its content words, which of them a negation
    reaches (to the end of its clause), and which a negation governs (the first two after it)."""

    stems: frozenset[str]
    negated: frozenset[str]
    governed: frozenset[str]
    sequence: tuple[str, ...] = ()  # the content stems in order


_ATTITUDE = ("say said tell told hope think thought believe expect warn note add claim insist argue suggest acknowledge "
             "confirm deny announce report reveal state explain predict stress")
_AGAINST_VERBS = "decide vote choose rule argue advise warn"


@lru_cache(maxsize=None)
def _stems_of(words: str) -> frozenset[str]:
    """The stems of a list of cue words, on first use (stemming loads its tables: never at import)."""
    return frozenset(stem(w) for w in words.split())


@lru_cache(maxsize=None)
def _direction() -> dict[str, str]:
    """Stem → the way it says a quantity went ("down", "up")."""
    return {stem(w): "down" for w in _DOWN_WORDS.split()} | {stem(w): "up" for w in _UP_WORDS.split()}


@lru_cache(maxsize=16384)
def read(text: str) -> Reading:
    """Read ``text`` (canonical form first): its content words, and what the negations in it reach.

    A negation is "not", "no", "never", "without", "neither", "absence", "n't" …, a verb that denies
    what follows ("failed to", "refused to", "stop", "avoid"), or "decided against"; it reaches the
    end of its clause (at most ``_SCOPE_WORDS`` content words) and governs the first two of them.
    The cue words themselves are not content, nor are hedges such as "still" or "roughly".
    """
    text = canonical(text)
    found = list(WORD.finditer(text))
    words = [m.group().lower().replace("’", "'") for m in found]
    stems_ = [stem(m.group()) for m in found]
    light, negating, against = _stems_of(_LIGHT_WORDS), _stems_of(_NEGATING_VERBS), _stems_of(_AGAINST_VERBS)
    stems, negated, governed, sequence = set(), set(), set(), []
    scope, governs, pos = 0, 0, 0  # content words a negation may still reach, and govern
    for i, m in enumerate(found):
        if _CLAUSE_BREAK.search(text[pos:m.start()]) or words[i] in _SCOPE_END:
            scope = governs = 0
        pos = m.end()
        w, s, following = words[i], stems_[i], words[i + 1] if i + 1 < len(words) else ""
        cue = ((w in _NEGATION_WORDS or w.endswith("n't")) and following != "only"  # "not only … but also"
               or s in negating or (w == "against" and i > 0 and stems_[i - 1] in against))
        if cue:
            # "the absence of ambassadors" says there were none, not that a sentence naming "a former
            # ambassador" is wrong: a noun of absence reaches its clause but governs nothing.
            scope, governs = _SCOPE_WORDS, 0 if w in _ABSENCE_NOUNS else 2
            continue
        if not (len(m.group()) > 1 or m.group().isdigit()) or is_stopword(m.group()):
            continue
        if s in light:
            continue
        stems.add(s)
        sequence.append(s)
        if scope:
            negated.add(s)
            scope -= 1
        if governs:
            governed.add(s)
            governs -= 1
    return Reading(frozenset(stems), frozenset(negated), frozenset(governed), tuple(sequence))


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


def date_words(date: str | None, date_source: str | None = None) -> str:
    """A source date as people write it, so "As of March 2021" is supported by 2021-03-30; an
    estimated date supports only "not before <year>"."""
    if not date:
        return ""
    if date_source == "estimate":
        return date_label(date, date_source)
    return f"{human_date(date)} {date}"


def header(chunk: RetrievedChunk) -> str:
    return f"{chunk.title} {chunk.outlet or ''} {date_words(chunk.date, chunk.date_source)}"


def relative_dates(text: str, chunk: RetrievedChunk) -> str:
    """What "last month", "this year", "yesterday" … in ``text`` mean in an article with an exact
    date: "last month" in an article of 28 November 2022 is "October 2022"."""
    if not chunk.date or chunk.date_source == "estimate" or not _RELATIVE.search(text):
        return ""
    day = _date.fromisoformat(chunk.date[:10])
    out = []
    for m in _RELATIVE.finditer(text):
        step = {"last": -1, "previous": -1, "this": 0, "next": 1}.get((m.group(1) or "").lower(), 0)
        unit = (m.group(2) or m.group(3)).lower()
        if unit == "year":
            out.append(str(day.year + step))
        elif unit == "month":
            month = day.month - 1 + step
            out.append(f"{MONTHS[month % 12]} {day.year + month // 12}")
        else:
            then = day + timedelta(days=7 * step if unit == "week" else -1)
            out.append(f"{then.day} {MONTHS[then.month - 1]} {then.year}" if unit == "yesterday"
                       else f"{MONTHS[then.month - 1]} {then.year}")
    return " ".join(out)


def _windows(chunk: RetrievedChunk, before: str = "") -> list[tuple[str, str]]:
    """``(heading, passage)`` pairs one claim may rest on: a sentence of the chunk or two adjacent
    ones. ``before`` is the article's text just before the chunk when another retrieved chunk holds
    it: its last sentence and the chunk's first are adjacent too (one sentence, if the chunk boundary
    cut it). The heading is the chunk's title, outlet and date, and what the passage's relative dates
    ("last month") mean."""
    own = [chunk.text[s:e] for s, e in split_sentences(chunk.text)]
    bodies = own + [f"{a} {b}" for a, b in zip(own, own[1:])]
    if before.strip() and own:
        s, e = split_sentences(before)[-1]
        joined = f"{before[s:e]} {own[0]}"
        bodies.append(joined)
        if not _ENDS_SENTENCE.search(before[s:e]) and len(own) > 1:
            bodies.append(f"{joined} {own[1]}")
    head = header(chunk)
    return [(f"{head} {relative_dates(b, chunk)}".rstrip(), b) for b in bodies] or [(head, "")]


def _sentences(chunk: RetrievedChunk, before: str = "") -> list[str]:
    """The chunk's sentences, with the last one of ``before`` (joined to the first if the chunk
    boundary cut it in two)."""
    own = [chunk.text[s:e] for s, e in split_sentences(chunk.text)]
    if before.strip():
        s, e = split_sentences(before)[-1]
        if _ENDS_SENTENCE.search(before[s:e]) or not own:
            own.append(before[s:e])
        else:
            own[0] = f"{before[s:e]} {own[0]}"
    return own


def text_before(chunk: RetrievedChunk, chunks: list[RetrievedChunk]) -> str:
    """The article's text just before ``chunk`` as another of ``chunks`` holds it (adjacent or
    overlapping chunks of one article), else ""."""
    for other in chunks:
        if other.article_id == chunk.article_id and other.start < chunk.start <= other.end + 2:
            return other.text[: chunk.start - other.start]
    return ""


def _stems(text: str) -> set[str]:
    """Stems of the content words of ``text`` (canonical form; no negation cues, no hedges)."""
    return set(read(text).stems)


def _salient(text: str) -> set[str]:
    """Names and numbers of a canonical text; a capitalised stopword ("With …", "According …") is
    not a name."""
    return salient_terms(" ".join(w for w in WORD.findall(text) if not is_stopword(w)))


def facts_missing(claim: str, source_text: str) -> list[str]:
    """The names, numbers and dates of ``claim`` that ``source_text`` does not state: every one
    must be there ("five" is not "three"; "20 March" needs that day of that month, not a 20 and
    a March apart; "both" states a 2)."""
    claim, source_text = canonical(claim), canonical(source_text)
    every = _fact_terms(source_text)
    missing = [n for n in _salient(claim) if n not in every and (n[0].isdigit() or not _prefix_in(n, every))]
    missing += [f"{d} {MONTHS[m - 1]}" for m, d in sorted(day_months(claim) - day_months(source_text))]
    missing += [f"{n} {unit}" for n, unit in sorted(_spans(claim) - _spans(source_text))]
    return missing


def _spans(text: str) -> set[tuple[str, str]]:
    """Lengths of time a canonical text states: "3 months ago", "in 5 years" → ("3", "month"), ("5", "year")."""
    return {(m.group(1), stem(m.group(2))) for m in _SPAN.finditer(text)}


def contradicts(claim: str, source_text: str) -> bool:
    """The source says the opposite of the claim, by one of three signs:

    - negation: a word a negation governs on one side is on the other side and no negation reaches
      it there ("would not return" against "would return", "achieved great progress" against
      "cannot say we have achieved great progress", "decided to provide" against "decided against
      providing"; but "stop expelling" agrees with "not expel");
    - direction: the source says a thing the claim talks about went down (or up), and the claim
      says the other way or not at all ("all-time high", "operating at their normal size" against
      "all-time low", "considerably reduced from their normal size");
    - attribution: the claim ties a noun to one name ("U.S. diplomats") and the source ties it to
      another ("Russian diplomats") and never to that one.
    """
    mine, theirs = read(claim), read(source_text)
    if (mine.governed & theirs.stems) - theirs.negated or (theirs.governed & mine.stems) - mine.negated:
        return True
    return (_direction_differs(mine, theirs, salient_terms(canonical(claim))) or _attributed_elsewhere(claim, source_text)
            or roles_swapped(claim, source_text))


_BEFORE, _AFTER = 5, 4
"""How far (in words) a verb's subject may stand before it and its object after it."""


def _name_runs_at(words: list[tuple[str, bool]]) -> list[tuple[int, int, frozenset[str]]]:
    """(start, end, stems) of each run of consecutive name words."""
    runs, i = [], 0
    while i < len(words):
        if words[i][1]:
            j = i
            while j < len(words) and words[j][1]:
                j += 1
            runs.append((i, j, frozenset(w for w, _ in words[i:j])))
            i = j
        else:
            i += 1
    return runs


def _same_party(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two name runs for one party: a shared word, a shared 6-letter stem ("Russia"/"Russian"), or the
    two ways of writing the United States."""
    us = ({"us"}, {"unit", "state"}, {"america"}, {"american"})
    if a & b or any(_prefix_in(w, set(b)) for w in a):
        return True
    return any(x <= a for x in us) and any(x <= b for x in us)


def _roles_around(words: list[tuple[str, bool]], runs, at: int) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """The nearest name run before position ``at`` (its subject, within _BEFORE words) and after it
    (its object, within _AFTER words); ``None`` for a side with none."""
    before = [r for r in runs if r[1] <= at and at - r[1] < _BEFORE]
    after = [r for r in runs if r[0] > at and r[0] - at <= _AFTER]
    return (before[-1][2] if before else None), (after[0][2] if after else None)


def roles_swapped(claim: str, source_text: str) -> bool:
    """The claim has "A <verb> B" where the source only has "B <verb> A": who did what to whom is
    turned around ("the United States asked Russia to restore flights" against "Russian negotiators
    have asked the United States to consider restoring flights"). Passives ("asked by") are left alone,
    and a source that also says it the claim's way does not contradict it."""
    text, source = canonical(claim), canonical(source_text)
    surface = WORD.findall(text)
    mine, theirs = _capitalised(text), _capitalised(source)
    my_runs, their_runs = _name_runs_at(mine), _name_runs_at(theirs)
    if len(my_runs) < 2:
        return False
    for i, (verb, is_name) in enumerate(mine):
        if is_name or is_stopword(surface[i]) or not may_be_verb(surface[i]) or (i + 1 < len(mine) and mine[i + 1][0] == "by"):
            continue
        subject, obj = _roles_around(mine, my_runs, i)
        if subject is None or obj is None or _same_party(subject, obj):
            continue
        orders = set()
        for j, (word, _) in enumerate(theirs):
            if word != verb or (j + 1 < len(theirs) and theirs[j + 1][0] == "by"):
                continue
            s2, o2 = _roles_around(theirs, their_runs, j)
            if s2 is None or o2 is None:
                continue
            if _same_party(s2, subject) and _same_party(o2, obj):
                orders.add("same")
            elif _same_party(s2, obj) and _same_party(o2, subject):
                orders.add("swapped")
        if orders == {"swapped"}:
            return True
    return False


def _direction_differs(mine: Reading, theirs: Reading, names: set[str] = frozenset()) -> bool:
    """A direction word of the source ("reduced", "all-time low") stands by two of the claim's common
    words (the thing that went up or down: "size", "diplomats"), and the claim goes the other way or
    not at all. Names nearby do not count: in "Archmere Academy, his Claymont high school" nothing went up."""
    direction = _direction()
    claimed = {direction[s] for s in mine.stems if s in direction}
    things = mine.stems - names
    seq = theirs.sequence
    for i, s in enumerate(seq):
        way = direction.get(s)
        if way and way not in claimed and len(set(seq[max(0, i - 3):i] + seq[i + 1:i + 4]) & things) >= 2:
            return True
    return False


def _capitalised(text: str, form=stem) -> list[tuple[str, bool]]:
    """Each word of a canonical text in ``form`` (its stem, by default), and whether it is a name
    (capitalised, not a stopword)."""
    return [(form(w), w[0].isupper() and not is_stopword(w)) for w in WORD.findall(text)]


def _attributed_elsewhere(claim: str, source_text: str) -> bool:
    # Nouns by their dictionary form, not their stem: "U.S. diplomatic facilities" does not tie
    # "diplomats" to the U.S.
    # Only a noun can be tied to a name that way: in "Antonov called back" the name is the subject of
    # a verb, and "Putin called his counterpart" elsewhere in the source says nothing against it.
    mine, theirs = _capitalised(canonical(claim), noun_lemma), _capitalised(canonical(source_text), noun_lemma)
    surface = WORD.findall(canonical(claim))
    for k, ((name, is_name), (noun, noun_is_name)) in enumerate(zip(mine, mine[1:])):
        if not is_name or noun_is_name or is_stopword(noun) or len(noun) < 3 or not may_be_noun(surface[k + 1]):
            continue
        slots = [i for i, (w, _) in enumerate(theirs) if w == noun]
        near = lambda i: {w for w, _ in theirs[max(0, i - 4):i + 5]}  # noqa: E731
        if slots and all(i and theirs[i - 1][1] and theirs[i - 1][0] != name for i in slots) and \
                not any(name in near(i) or _prefix_in(name, near(i)) for i in slots):
            return True
    return False


def _coverage(claim: str, source_text: str, question: str) -> float:
    terms = _stems(claim)
    if not terms or facts_missing(claim, source_text):
        return 0.0
    have = _stems(source_text)
    overall = len(terms & have) / len(terms)
    new = terms - _stems(question) if question else set()
    if not new:
        return overall
    return round(min(overall, len(new & have) / len(new) * (SUPPORT_THRESHOLD / NEW_FACTS_THRESHOLD)), 6)


def support(claim: str, source_text: str, question: str = "") -> float:
    """How well ``source_text`` supports ``claim``, from 0 to 1.

    The share of the claim's content words found in the source (by stem, both in canonical form),
    or, if lower, the share of its *new* words (those not already in the question) scaled so that
    ``NEW_FACTS_THRESHOLD`` counts like ``SUPPORT_THRESHOLD`` overall: echoing the question proves
    nothing, the added facts must be in the source. 0 if a name, number or date is missing, or one
    side negates what the other states.
    """
    return 0.0 if contradicts(claim, source_text) else _coverage(claim, source_text, question)


def chunk_support(claim: str, chunk: RetrievedChunk, question: str = "", about: int = 0, before: str = "",
                  asked: frozenset[str] = frozenset()) -> float:
    """The best support any sentence window of ``chunk`` gives ``claim``: facts must sit together.

    The passage that matches the claim best decides: if it negates what the claim states (or the
    reverse), the chunk does not support the claim even where a weaker passage does not object.
    With ``about``, the chunk must share that many content words with ``question``. A title the
    claim binds to a person must be bound the same way in the chunk (:func:`roles_unstated`). With
    ``asked`` (the question's own words, for a bare answer that does not restate the question), the
    passage must also hold a third of them: the name stands where the question's claim is made.
    """
    if about and len(_stems(question) & _stems(f"{header(chunk)} {before} {chunk.text}")) < about:
        return 0.0
    if roles_unstated(claim, chunk, before):
        return 0.0
    clauses = clause_facts(claim, question)
    clean = against = 0.0
    for head, body in _windows(chunk, before):
        score = _coverage(claim, f"{head} {body}", question)
        if score and not _together(clauses, head, body):
            score = 0.0
        if score and asked and 3 * len(asked & _stems(f"{head} {body}")) < len(asked):
            score = 0.0
        if score and contradicts(claim, body):
            against = max(against, score)
        else:
            clean = max(clean, score)
    return clean if clean >= against else 0.0


@lru_cache(maxsize=16384)
def roles_of(text: str) -> tuple[Role, ...]:
    """:func:`core.language.roles` of ``text`` as the verifier reads it (:func:`canonical`), computed once
    per text: answer typing, premise checks and verification all ask it of the same sentences."""
    return tuple(roles(canonical(text)))


def roles_unstated(claim: str, chunk: RetrievedChunk, before: str = "") -> list[Role]:
    """The titles ``claim`` binds to a person (:func:`core.language.roles`) that no sentence of the
    chunk (or its title) binds to that person the same way: the same office, its ranks, and each
    country on the same side.

    Why: every word of "The US Ambassador to Russia, Anatoly Antonov, left Moscow" is in a passage
    that names "Russia's ambassador to the United States, Anatoly Antonov" and "US Ambassador to Russia
    John Sullivan"; only the binding is wrong (direction swapped), so words alone cannot catch it.
    A title without a name ("the US ambassador left") is not checked here, nor one the chunk says
    nothing against: when it binds no title to that person and that title to no one else (a source
    that just says "Lavrov said"), a claim naming him "Foreign Minister Sergey Lavrov" is not dropped
    for it.
    """
    mine = roles_of(claim)
    if not mine:
        return []
    theirs = [r for sentence in (chunk.title, *_sentences(chunk, before)) for r in roles_of(sentence)]
    return [r for r in mine if not any(r.stated_by(t) for t in theirs) and any(
        r.same_person(t) or (r.office == t.office and r.of <= t.of and r.to <= t.to) for t in theirs)]


def clause_facts(claim: str, question: str = "") -> list[set[str]]:
    """The new facts (names, numbers, dates not in the question) of each clause of ``claim`` that
    has two or more. A clause ends at punctuation, at "but", "because" …, and after a verb of saying
    or thinking: "Rood hoped | Moscow and Washington would stop expelling diplomats" may rest on two
    adjacent sentences, "Sullivan left Moscow three months ago" may not."""
    text, known = canonical(claim), _fact_terms(question) | salient_terms(canonical(question))
    out: list[set[str]] = []
    current: set[str] = set()
    pos = 0
    for m in WORD.finditer(text):
        word = stem(m.group())
        if _CLAUSE_BREAK.search(text[pos:m.start()]) or m.group().lower() in _SCOPE_END:
            out, current = out + [current], set()
        pos = m.end()
        if (m.group()[0].isdigit() or m.group()[0].isupper()) and not is_stopword(m.group()) and word not in known \
                and not _prefix_in(word, known):
            current.add(word)
        if word in _stems_of(_ATTITUDE):
            out, current = out + [current], set()
    return [c for c in out + [current] if len(c) >= 2]


def _together(clauses: list[set[str]], head: str, body: str) -> bool:
    """Each clause's facts stand in one sentence of ``body`` (the heading's count everywhere)."""
    if not clauses:
        return True
    everywhere = _fact_terms(head)
    sentences = [everywhere | _fact_terms(body[s:e]) for s, e in split_sentences(body)] or [everywhere]
    return all(any(all(f in have or _prefix_in(f, have) for f in clause) for have in sentences) for clause in clauses)


def anchored(claim: str, question: str, chunk: RetrievedChunk, before: str = "") -> bool:
    """Each of the claim's new facts (names, numbers, dates the question did not contain) stands in a
    sentence of the source that is about the question, not only in unrelated ones.

    A sentence is about the question when it shares a content word with it; when it is what the
    headline says (three content words in common) and the headline shares one with the question; or
    when the name it opens with is named in the sentence before it, which is about the question
    ("Russian Ambassador … Anatoly Antonov … will return" then "Antonov left Washington on March 20").
    This is what catches "the chargé d'affaires is Anatoly Antonov" built from a sentence about the
    chargé and another about Antonov.
    """
    claim, question = canonical(claim), canonical(question)
    q_terms, q_stems = content_terms(question), _stems(question)
    new = {n for n in _salient(claim) if n not in q_terms and n not in salient_terms(question)}
    if not new:
        return True
    title = _stems(chunk.title) if _stems(chunk.title) & q_stems else set()
    have = _fact_terms(header(chunk))
    previous: set[str] = set()  # the words of the sentence before, if it is about the question
    for sentence in _sentences(chunk, before):
        stems, terms = _stems(sentence), _fact_terms(sentence)
        opens = next((w for w, is_name in _capitalised(canonical(sentence)) if is_name), None)
        if stems & q_stems or len(stems & title) >= 3 or (opens and opens in previous):
            have |= terms | _fact_terms(relative_dates(sentence, chunk))
            previous = terms if stems & q_stems else set()
        else:
            previous = set()
    return all(n in have or _prefix_in(n, have) for n in new)


def _fact_terms(text: str) -> set[str]:
    """Every word of ``text`` in canonical form, and "2" where it says "both"."""
    every = all_terms(canonical(text))
    return every | {"2"} if "both" in every else every


def _own_words(question: str, standalone: str = "") -> set[str]:
    own = _stems(question) - _NOT_OWN
    if len(own) < 2 and standalone:
        own = _stems(standalone) - _NOT_OWN
    return own


def relevant(claim: str, question: str, standalone: str = "") -> bool:
    """The claim answers this question: it shares two of the question's own content words (or all,
    if it has fewer), counting the standalone form's words only when the question has too few."""
    own = _own_words(question, standalone)
    if not own:
        return True
    return len(own & _stems(claim)) >= min(2, len(own))


def touches(claim: str, question: str, standalone: str = "") -> bool:
    """The claim shares at least one of the question's own content words."""
    own = _own_words(question, standalone)
    return not own or bool(own & _stems(claim))


def gives_what_is_asked(claim: str, question: str) -> bool:
    """The claim holds the kind of thing the question asks for: a number for "how many", a date for
    "when", a name the question does not contain for "who"."""
    claim = canonical(claim)
    if _ASKS_NUMBER.search(question):
        return bool(re.search(r"\d", claim))
    if _ASKS_DATE.search(question):
        return bool(day_months(claim) or _DATE_WORD.search(claim))
    if _ASKS_NAME.search(question):
        return bool(_salient(claim) - all_terms(canonical(question)))
    return False


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
    reason: str = ""
    """Why an unsupported sentence was dropped, in general words (the answer's trace records it)."""
    detail: str = ""
    """The sentence's own words behind the reason (the facts a source lacks): kept with the sentence."""


def check_sentence(sentence: str, chunks: list[RetrievedChunk], question: str = "", final: bool = False,
                   standalone: str = "") -> CheckedSentence:
    """Verify one sentence of the model's answer against the retrieved chunks.

    A sentence must be complete (a cut-off last sentence is dropped when ``final``), say something
    (two content words or more), touch the question (a shared content word; two, or a passage that
    shares them, unless it gives what was asked), and be supported by a source: its facts anchored
    in sentences about the question (:func:`anchored`) and one sentence window supporting it
    without contradiction (:func:`chunk_support`).
    """
    text, cited = strip_markers(sentence)
    if is_refusal(text):
        return CheckedSentence(text, refusal=True, reason="the model said the articles do not say")
    if len(content_terms(text)) < 2:
        return CheckedSentence(text, reason="says nothing (fewer than two content words)")
    if final and not re.search(r"[.!?][\"”’)]?$", text):
        return CheckedSentence(text, reason="cut off (the reply ended inside the sentence)")
    if question and not touches(text, question, standalone):
        return CheckedSentence(text, reason="off the question (shares none of its words)")
    anchor = standalone or question
    # A short answer that shares one word with the question ("ABC News' George Stephanopoulos
    # conducted the interview") must rest on a chunk that shares the question's words, unless it
    # gives what was asked (a number for "how many", a date for "when", a name for "who").
    restates = not question or relevant(text, question, standalone)
    direct = restates or gives_what_is_asked(text, anchor)
    about = 0 if direct else min(2, len(_own_words(question, standalone)))
    # A bare answer ("The Russian Foreign Minister Sergey Lavrov" to "Who said the US was rapidly
    # changing …?") states the question's claim of whom it names: the passage that holds it must
    # hold that claim too, not only the name.
    asked = frozenset() if restates else frozenset(_own_words(question, standalone))
    scores = {}
    for i, c in enumerate(chunks, start=1):
        before = text_before(c, chunks)
        scores[i] = chunk_support(text, c, anchor, about, before, asked) \
            if not anchor or anchored(text, anchor, c, before) else 0.0
    valid = [n for n in cited if n in scores and scores[n] >= SUPPORT_THRESHOLD]
    if valid:
        return CheckedSentence(text, valid, True)
    best = max(scores, key=lambda i: scores[i], default=None)
    if best is not None and scores[best] >= SUPPORT_THRESHOLD:
        return CheckedSentence(text, [best], True)
    return CheckedSentence(text, reason=_why_unsupported(text, chunks, cited, scores, anchor),
                           detail=", ".join(_missing_facts(text, chunks, cited, scores)))


def _judged_by(chunks: list[RetrievedChunk], cited: list[int], scores: dict[int, float]) -> int | None:
    """The source an unsupported sentence is judged against: the one it cites, else the best scored."""
    return next((i for i in cited if i in scores), None) or max(scores, key=lambda i: scores[i], default=None)


def _missing_facts(text: str, chunks: list[RetrievedChunk], cited: list[int], scores: dict[int, float]) -> list[str]:
    if not cited and not any(scores.values()):
        return []  # no source to judge it against
    n = _judged_by(chunks, cited, scores)
    return sorted(facts_missing(text, f"{header(chunks[n - 1])} {chunks[n - 1].text}"))[:4] if n else []  # stable order


def _why_unsupported(text: str, chunks: list[RetrievedChunk], cited: list[int], scores: dict[int, float],
                     anchor: str) -> str:
    """Why no source supports ``text``, read against the source it cites (else the best scored one): a
    fact missing from it, a contradiction, facts only in sentences off the question, or too few of its
    words. A diagnosis for the trace (:func:`check_sentence` has already decided), in general words:
    the sentence's own words go in ``detail``."""
    n = _judged_by(chunks, cited, scores)
    if n is None:
        return "unsupported: nothing was retrieved to check it against"
    if not cited and not any(scores.values()):
        return "unsupported: no source supports any of it (and it cites none)"
    c = chunks[n - 1]
    if _missing_facts(text, chunks, cited, scores):
        return f"unsupported: source [{n}] does not state a name, number or date of it"
    if contradicts(text, c.text):
        return f"unsupported: source [{n}] says otherwise"
    if anchor and not anchored(text, anchor, c, text_before(c, chunks)):
        return f"unsupported: its facts stand in source [{n}] only in sentences not about the question"
    if roles_unstated(text, c, text_before(c, chunks)):
        return f"unsupported: source [{n}] binds a title it gives a person otherwise (office, rank or country)"
    return f"unsupported: source [{n}] supports {scores[n]:.2f} of it (needs {SUPPORT_THRESHOLD})"


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
