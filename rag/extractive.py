"""The extractive answer: verbatim sentences from the retrieved articles, dated and cited.

Used when the LLM's answer does not survive verification (often, with a 135M model): a person
still gets the passages that answer the question, never an unsupported claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from core.language import CALENDAR_WORDS, DEGREES, RANK_WORDS, TITLES, calendar_stems, split_sentences, stem
from rag.answer_text import own_words
from rag.answer_types import (AskedFor, asked_clause, asked_office_holders, asked_thing_named, asks_typed_thing, classify, items,
                              lemma_set, one_verbs, question_names, said_about, sentences, weak_items)
from rag.models import RetrievedChunk
from rag.reported import reported
from rag.retrieval import TimeIntent, recency
from rag.span import FIRST_PERSON
from rag.verify import canonical, content_terms, read, salient_terms

MIN_RELEVANCE = 0.45
"""A picked sentence below this score (cosine + word overlap) does not answer the question: refuse."""


def answer_type_bonus(question: str, sentence: str) -> float:
    """For a question whose kind names no single item (a description, a list …) but whose wording still
    asks for one: whether the sentence has it (a date for when, a number for how many, a person not in
    the question for who, a new name for which/where, a reason for why), found by the same rules as
    :func:`items`."""
    q = question.lower()
    kind = ("date" if re.match(r"\s*(when|on what date|what date|what year|in what year)\b", q) else
            "number" if re.search(r"\bhow (many|much)\b", q) else
            "person" if re.match(r"\s*(who|whom|whose)\b", q) else None)
    if kind:
        return 0.15 if items(sentence, AskedFor(kind), question) else 0.0
    if re.match(r"\s*(?:and\s+)?why\b", q):  # a reason ("after …", "because …"), not the event alone
        return 0.15 if items(sentence, AskedFor("why"), question) else 0.0
    if re.match(r"\s*(which|where|what (word|city|country|cities|countries|treaty))\b", q):
        new_names = salient_terms(sentence) - salient_terms(question) - content_terms(question)
        return 0.15 if any(not n.isdigit() for n in new_names) else 0.0
    return 0.0


_DATELINE = re.compile(r"^\s*[A-Z][A-Z.'’]{2,}(?:\s+[A-Z][A-Z.'’]+)*(?:,\s*[A-Z][\w.]*\.?(?:\s+\d{1,2})?)*\s*"
                       r"(?:\([^()]{2,30}\)\s*)?(?:[—–]|-(?=\s))\s+(?=[A-Z“\"])")


def strip_dateline(sentence: str) -> str:
    """The sentence without a leading dateline ("PANAMA CITY, Fla. — ", "MOSCOW, Oct 12 (Reuters) - "): it
    names where the story was filed, and read as part of the sentence it becomes an answer ("Fla")."""
    m = _DATELINE.match(sentence)
    return sentence[m.end():] if m else sentence


SAID_SHARE = 0.6
SAID_PENALTY = 0.25
"""A follow-up's candidate with this share of its content words in the previous answer scores this much less."""
DEEP_PENALTY = 0.1
"""What a sentence from outside the retrieved passages (:func:`deeper_sentences`) scores less."""
SUPPORT_WEIGHT = 0.1
"""What each further retrieved passage naming a sentence's leading item adds (:func:`support`)."""
SUPPORT_CAP = 2
"""How many further passages count: passages that name Lebanon outweigh one sentence that lists Iraq
among the region's countries, but no chorus outweighs a sentence that is plainly about the question.
Two, not more: in a small corpus on one story every passage names its capital ("Moscow"), and a larger
lift made that the answer to "which city, apart from Washington" on the sample eval."""
RECENT_BONUS = 0.2
"""What a sentence of the newest retrieved article adds for "latest", "now", "this week"; an older one's
halves with every month between them (:func:`rag.retrieval.recency`), so last year's story about the
same kind of event loses a close call to this month's."""
LEAD_SENTENCES = 2
"""How many of an article's first sentences are candidates whichever passage of it was retrieved."""


def candidate_sentences(chunks: list[RetrievedChunk], article_text=None) -> list[tuple[int, str]]:
    """(1-based chunk index, sentence) for every sentence of five words or more.

    With ``article_text`` (article id → cleaned text), a sentence cut by a chunk boundary is
    completed from the article, so a quote never stops mid-sentence; it is still verbatim. Each
    retrieved article's lead (its first :data:`LEAD_SENTENCES` sentences) is a candidate too, cited
    with the article's first retrieved passage: news states who, what and where first ("California Gov.
    Gavin Newsom signed a bill banning plastic bags …"), and the passage that matched the question's
    words is often a later one that no longer names them.
    """
    out, seen, leads = [], set(), {}

    def add(i: int, sentence: str) -> None:
        sentence = _quotable(sentence)
        if sentence and sentence not in seen and not _is_question(sentence):
            seen.add(sentence)
            out.append((i, sentence))

    for i, c in enumerate(chunks, start=1):
        full = article_text(c.article_id) if article_text else ""
        spans = split_sentences(full) if full else []
        if full and c.article_id not in leads:
            leads[c.article_id] = (i, [full[x:y] for x, y in spans[:LEAD_SENTENCES]])
        for s, e in split_sentences(c.text):
            sentence = c.text[s:e]
            a, b = c.start + s, c.start + e
            if full and full[a:b] == sentence:
                sentence = next((full[x:y] for x, y in spans if x <= a and b <= y), sentence)
            add(i, sentence)
    for i, lead in leads.values():
        for sentence in lead:
            add(i, sentence)
    return out


def article_sentences(chunks: list[RetrievedChunk], article_text) -> list[tuple[int, str]]:
    """(1-based index of the article's first retrieved chunk, sentence) for every sentence of five words
    or more of each retrieved article's whole text (``article_text``: article id → cleaned text)."""
    out, first = [], {}
    for i, c in enumerate(chunks, start=1):
        first.setdefault(c.article_id, i)
    for article_id, i in first.items():
        text = article_text(article_id)
        out += [(i, sentence) for s, e in split_sentences(text) if (sentence := _quotable(text[s:e]))]
    return out


def deeper_sentences(question: str, chunks: list[RetrievedChunk], article_text, asked: AskedFor,
                     have: set[str]) -> list[tuple[int, str]]:
    """Sentences of the retrieved articles outside the retrieved passages (not in ``have``) that may answer a
    factoid question: they state an item of the asked kind that may lead (:func:`lead_items`), speak of the
    asked relation, and name what the question names (or share two of its words). "Which NFL team did
    Favre play for?" retrieves the article's news of his diagnosis; "while playing for the Green Bay Packers"
    is paragraphs further on."""
    q_terms, q_names = content_terms(question), salient_terms(question)
    outlets = outlet_names(chunks)
    out = []
    for i, sentence in article_sentences(chunks, article_text):
        if sentence in have or _is_question(sentence):
            continue
        terms = content_terms(sentence)
        if not asked.relation_hits(lemma_set(sentence)) or not (q_names & terms or len(q_terms & terms) >= 2):
            continue
        if lead_items(sentence, asked, question, outlets, passage_context(chunks[i - 1], article_text)):
            out.append((i, sentence))
    return out


def _is_question(sentence: str) -> bool:
    """A sentence that is itself a question ("When does the album drop?") never answers one."""
    return sentence.rstrip(" ”\"’')").endswith("?")


def _quotable(sentence: str) -> str | None:
    """``sentence`` without its dateline, if it has five words or more and does not end in a colon: shorter
    ones are never shown, and one that introduces a list or a quote ("Highlights from the 76th Primetime
    Emmy Awards:", "Here are the best times to travel, according to Inrix:") states nothing alone."""
    sentence = strip_dateline(sentence)
    return sentence if len(sentence.split()) >= 5 and not sentence.rstrip(" ”\"’'").endswith(":") else None


def item_bonus(sentence: str, asked: AskedFor, question: str, outlets: frozenset[str] = frozenset(),
               context: str = "") -> float:
    """What stating an item of the asked kind adds to a sentence's score: 0.3, half of it when every
    item may only be one ("The Bear" for "which city": a sentence naming a town wins), -0.1 for none;
    0.5 when it gives a person the very office asked about ("Who is the US ambassador to Russia?"); for a
    "which <thing>" question, 0.4 when an item is surely that thing and -0.1 when a storm or a titled work is
    asked and it names none (:func:`rag.answer_types.asked_thing_named`).
    ``context``: the sentence's passage (:func:`passage_context`)."""
    found = items(sentence, asked, question, outlets, context)
    if not found:
        return -0.1
    if asked.kind == "person" and asked_office_holders(sentence, found, question):
        return 0.5  # "US Ambassador to Russia John Sullivan": the sentence names the holder of the asked office
    weak = weak_items(sentence, found, asked, question, context)
    if asked.kind == "entity" and set(found) - weak and asked_thing_named(sentence, found, question, context):
        return 0.4  # "Which storm …?": "Hurricane Francine", not a city it hit
    if asked.kind == "entity" and not set(found) - weak and asks_typed_thing(question):
        return -0.1  # a storm or a titled work is asked, and the sentence names none
    return 0.3 if set(found) - weak else 0.15


def passage_context(chunk: RetrievedChunk, article_text=None) -> str:
    """What a sentence's items are read against: the article's title, its lead (with ``article_text``,
    article id → cleaned text) and the passage, where a person the sentence calls "Jackson" or an
    organisation it calls "the Teamsters" is named in full: news names them in full once, mostly first."""
    lead = _lead(article_text(chunk.article_id)) if article_text else ""
    return f"{chunk.title or ''}\n\n{lead}\n\n{chunk.text}" if lead else f"{chunk.title or ''}\n\n{chunk.text}"


@lru_cache(maxsize=32)
def _lead(text: str) -> str:
    """An article's first :data:`LEAD_SENTENCES` sentences (cached: every sentence of a passage asks)."""
    return " ".join(text[a:b] for a, b in split_sentences(text)[:LEAD_SENTENCES])


def lead_items(sentence: str, asked: AskedFor, question: str, outlets: frozenset[str] = frozenset(),
               context: str = "") -> list[str]:
    """The items an answer may lead with, best first: not a weak one (a show's title or a country is no
    city to lead with, "Moscow" no payment network, "March 29" no weekday: the quote then speaks alone)."""
    found = items(sentence, asked, question, outlets, context)
    if asked.kind in ("place", "organisation", "date", "entity"):
        weak = weak_items(sentence, found, asked, question, context)
        found = [i for i in found if i not in weak]
    return found


def score_sentences(question: str, q_vector: list[float], chunks: list[RetrievedChunk], embeddings, intent: TimeIntent,
                    article_text=None, asked: AskedFor | None = None,
                    said: frozenset[str] = frozenset(), wide: bool = False) -> list[tuple[float, int, str]]:
    """Every candidate sentence with its score, best first: similarity to the question, shared words
    and names, the asked relation's words, and, for a question that asks for an item (a person, a
    date, a number …), whether the sentence states one the question does not already give. ``said``:
    a follow-up's previous answer (content words); a sentence it already said scores less, unless it
    states an item of the asked kind or, for "why", a reason ("Why was he recalled?" then "Will he go
    back?" asks for more; "He hoped they would not expel diplomats" then "Why?" is answered by the same
    sentence's "because …"). ``wide``: for a factoid question, the retrieved articles' other sentences that may
    answer (:func:`deeper_sentences`) are candidates too, :data:`DEEP_PENALTY` lower."""
    cands = candidate_sentences(chunks, article_text)
    if not cands:
        return []
    asked = asked or classify(question)
    deep = set()
    if wide and article_text and asked.factoid:
        deep = set(deeper_sentences(question, chunks, article_text, asked, {s for _, s in cands}))
        cands += sorted(deep)
    vectors = embeddings.embed_documents([s for _, s in cands])
    q_terms, q_names = content_terms(question), salient_terms(question)
    asking = asking_sentence(question)
    if asking:  # a quiz sets the scene first: the sentence that asks is what the answer must match
        q_vector = [(a + 2 * b) / 3 for a, b in zip(q_vector, embeddings.embed_query(asking))]
        q_terms = content_terms(asking) or q_terms
        asking_words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z’'-]*", asking)}
        relation = replace(asked, focus_words=tuple(w for w in asked.focus_words if w in asking_words) or asked.focus_words)
    else:
        relation = asked
    about = said_about(question)
    about_terms = content_terms(about) - calendar_stems() if about else set()
    newest = max((c.date or "" for c in chunks), default="")
    named = named_outlets(question, chunks)
    outlets = outlet_names(chunks)
    in_period = {i for i, c in enumerate(chunks, 1) if intent.one_period and intent.holds(c.date, c.date_source)}
    scored, votes = [], {}
    for (i, sentence), v in zip(cands, vectors):
        cos = sum(a * b for a, b in zip(q_vector, v))
        s_terms = content_terms(sentence)
        overlap = len(q_terms & s_terms) / len(q_terms) if q_terms else 0.0
        names = len(q_names & s_terms) / len(q_names) if q_names else 0.0
        focus = relation.relation_hits(lemma_set(sentence)) / len(relation.focus_words) if relation.focus_words else 0.0
        score = cos + 0.3 * overlap + 0.2 * names + 0.2 * focus
        if about_terms:  # "what did X say about Y": a sentence about Y, not one that only names X again
            score += ABOUT_WEIGHT * len(about_terms & s_terms) / len(about_terms)
        context = passage_context(chunks[i - 1], article_text) if asked.factoid else ""
        bonus = item_bonus(sentence, asked, question, outlets, context) if asked.factoid else answer_type_bonus(question, sentence)
        score += bonus
        if asked.kind in VOTED_KINDS and bonus > 0:
            lead = lead_items(sentence, asked, question, outlets, context)
            if lead:
                if lead[0] not in votes:
                    votes[lead[0]] = support(lead[0], question, chunks)
                score += SUPPORT_WEIGHT * min(max(votes[lead[0]] - 1, 0), SUPPORT_CAP)
        if said and s_terms and bonus <= 0 and not (asked.kind == "why" and items(sentence, asked, question)) \
                and len(s_terms & said) >= SAID_SHARE * (
                min(len(s_terms), len(said)) if len(said) >= 4 else len(s_terms)):
            score -= SAID_PENALTY  # it repeats the previous answer, or most of a previous answer of some length
        if intent.recent:
            score += RECENT_BONUS * recency(chunks[i - 1].date, newest)  # "latest", "now": fresher evidence wins
        if in_period and i not in in_period and not any(str(y) in sentence for y in intent.periods):
            score -= PERIOD_PENALTY  # "in October 2021": that month's article answers, not an undated or other one
        if named and chunks[i - 1].outlet in named:
            score += 0.3  # "quoted by Sputnik", "according to CNN": the asker named whose report to read
        if contrary_degree(question, sentence):
            score -= CONTRARY_PENALTY  # "the least visited park" for the most visited one
        if (i, sentence) in deep:
            score -= DEEP_PENALTY  # outside what retrieval matched: it must answer clearly better to win
        scored.append((score, i, sentence))
    scored.sort(key=lambda x: -x[0])
    return scored


PERIOD_PENALTY = 0.2
"""What a sentence scores less, for a question that names one period (:attr:`TimeIntent.one_period`), when
some retrieved article is dated in that period and the sentence's is not (undated, estimated or of another
time) and does not name the year."""
ABOUT_WEIGHT = 0.3
"""What holding every word of a "what did X say about Y" question's Y adds to a sentence's score."""
_NOT_OF_A_NAME = TITLES | CALENDAR_WORDS
"""Capitalised words after a name that do not make it a longer one: "Lebanon Tuesday", "New York City Mayor"."""
VOTED_KINDS = frozenset({"person", "place", "organisation", "entity"})
"""Kinds whose items passages vote for: a name. A number or a date another passage repeats ("2", "Monday")
is no agreement on the answer."""


def support(item: str, question: str, chunks: list[RetrievedChunk]) -> int:
    """How many retrieved passages (title or text) name ``item``: the retrieved news agrees on an answer.

    Why: the best sentence by the question's words may name an item in passing ("proxies across the Middle
    East − … armed groups in Iraq") while most passages of the story name another ("Lebanon pager attack",
    "detonated across Lebanon's south"); open-domain QA readers vote across passages the same way. A mention
    that runs on into another capitalised word is of a longer name ("New York" in "New York City Mayor";
    a title after it is no part of the name),
    and an item with half its words in the question is its topic, not a vote ("Pro Football Hall of Fame"
    for a question about a Football Hall of Famer): neither is counted."""
    terms = content_terms(item)
    if len(terms & content_terms(question)) * 2 >= len(terms):
        return 0
    named = re.compile(r"(?<![\w-])" + re.escape(item) + r"(?![\w-])(?:[^\S\n]+([A-Z][\w.]*))?")

    def names_it(text: str) -> bool:
        return any(not m.group(1) or m.group(1).lower().rstrip(".") in _NOT_OF_A_NAME for m in named.finditer(text))

    return sum(1 for c in chunks if names_it(c.title or "") or names_it(c.text))


CONTRARY_PENALTY = 0.5
"""What a sentence scores less when it speaks of the opposite degree of what is asked (:func:`contrary_degree`)."""
_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in DEGREES:  # "smallest" is the opposite of both "largest" and "biggest"
    _OPPOSITE.setdefault(_a, set()).add(_b)
    _OPPOSITE.setdefault(_b, set()).add(_a)
_DEGREE = re.compile(r"\b(?:(" + "|".join(RANK_WORDS) + r")[- ])?(" + "|".join(sorted(_OPPOSITE, key=len, reverse=True))
                     + r")[- ]+([A-Za-z]+)", re.I)


@lru_cache(maxsize=256)
def _degrees(text: str) -> frozenset[tuple[str | None, str, str]]:
    """(rank, degree word, stem of the word it qualifies) of each degree in ``text``: "second-most visited"
    → ("second", "most", "visit"). Cached: the question's are read for every candidate sentence."""
    return frozenset(((m.group(1) or "").lower() or None, m.group(2).lower(), stem(m.group(3).lower()))
                     for m in _DEGREE.finditer(text))


def contrary_degree(question: str, sentence: str) -> bool:
    """Whether ``sentence`` speaks of the opposite degree of what the question asks, or of a rank below it:
    "the least visited national park, Gates of the Arctic" or "the second-most visited national park,
    Yellowstone" for "What is America's most visited national park?". A sentence that also states the
    asked degree itself is not contrary ("the most visited park, and … the least visited").

    Why: such a sentence shares nearly every word with the question, names a park, and is most like it
    by embedding; it answers another question. The degree must qualify the same word ("most visited"
    against "least visited"), so "the most votes" does not contradict "the least expensive"."""
    asked = {(degree, word) for rank, degree, word in _degrees(question) if rank is None}
    if not asked:
        return False
    said = _degrees(sentence)
    if any(rank is None and (degree, word) in asked for rank, degree, word in said):
        return False  # it states the asked degree too ("the most visited park, and … the least visited")
    return any(any((o, word) in asked for o in _OPPOSITE[degree]) or (rank and (degree, word) in asked)
               for rank, degree, word in said)


def asking_sentence(question: str) -> str | None:
    """The sentence that asks, when a question sets a scene first ("Brett Favre revealed Tuesday he has
    Parkinson's disease. Which NFL team did he most notably play for?"), else ``None``.

    Why: the scene is what retrieval needs to find the story, but a sentence that only restates it is
    most like the whole question and names no team. Sentences are scored against the mean of the whole
    question's vector and the asking sentence's, and share words with the asking sentence; the scene's
    names still count (:func:`score_sentences`)."""
    parts = sentences(question)
    if len(parts) < 2:
        return None
    return parts[-1] if parts[-1].rstrip().endswith("?") and len(parts[-1].split()) >= 3 else None


def pick_sentences(question: str, q_vector: list[float], chunks: list[RetrievedChunk], embeddings, intent: TimeIntent,
                   most: int = 2, article_text=None, asked: AskedFor | None = None,
                   said: frozenset[str] = frozenset(), wide: bool = False,
                   states: Callable[[int, str], bool] | None = None) -> list[tuple[int, str]]:
    """The sentences that best answer ``question`` (see :func:`score_sentences`).

    A second sentence is added when it comes from another article and scores close to the best,
    or, for "now/latest" questions, when it is from a newer article: change over time shows.
    ``states``: ``(i, sentence) → bool``, whether a sentence states what is asked; when the best does not,
    a sentence of the same article that does and scores :data:`SAME_STORY_SHARE` of the best leads
    (:func:`_stating_first`); its score is then the best one that :data:`MIN_RELEVANCE` and a second
    sentence are measured against.
    """
    scored = score_sentences(question, q_vector, chunks, embeddings, intent, article_text, asked, said, wide)
    if not scored:
        return []
    if states is not None:
        scored = _stating_first(scored, chunks, states)
    best_score, best_i, best_sentence = scored[0]
    if best_score < MIN_RELEVANCE:
        return []
    picked = [(best_i, best_sentence)]
    rest = scored[1:]
    if intent.recent:  # "now", "latest": a newer article's sentence is looked at before an older one's
        rest = sorted(rest, key=lambda x: (chunks[x[1] - 1].date or "") <= (chunks[best_i - 1].date or ""))
    for score, i, sentence in rest:
        if len(picked) >= most:
            break
        other_article = chunks[i - 1].article_id != chunks[best_i - 1].article_id
        newer = intent.recent and (chunks[i - 1].date or "") > (chunks[best_i - 1].date or "")
        if other_article and (score >= 0.85 * best_score or (newer and score >= 0.7 * best_score)):
            picked.append((i, sentence))
    return picked


SAME_STORY_SHARE = 0.7
"""How close to the best sentence one of its article that states the asked item must score to lead instead."""


def _stating_first(scored: list[tuple[float, int, str]], chunks: list[RetrievedChunk],
                   states: Callable[[int, str], bool]) -> list[tuple[float, int, str]]:
    """``scored`` with the best sentence of the top sentence's article that states what is asked moved to the
    front, when the top one does not state it and that one scores at least :data:`SAME_STORY_SHARE` of it.

    Why: a sentence that repeats the question's own names ("… the nominees of the 76th Primetime Emmy
    Awards slated for Sunday") is most like the question and names no city; a few lines on, the same
    story says where ("… air live from the Peacock Theater in Los Angeles"). Only the same article: the
    story that retrieval and the question's words agree on is about the asked event, another article's
    place may be another event's."""
    best_score, best_i, best_sentence = scored[0]
    if states(best_i, best_sentence):
        return scored
    article = chunks[best_i - 1].article_id
    for n, (score, i, sentence) in enumerate(scored[1:], start=1):
        if score < SAME_STORY_SHARE * best_score:
            break
        if chunks[i - 1].article_id == article and states(i, sentence):
            return [scored[n]] + scored[:n] + scored[n + 1:]
    return scored


def timeline(question: str, q_vector: list[float], chunks: list[RetrievedChunk], embeddings, intent: TimeIntent,
             article_text=None, asked: AskedFor | None = None, most: int = 5) -> list[tuple[int, str]]:
    """One sentence per relevant article, oldest first: the best-scoring sentence of each article that
    speaks of the asked relation and scores at least half the overall best. Articles with an estimated
    date ("not before 2022") follow the dated ones, undated ones come last: their place is not known."""
    scored = score_sentences(question, q_vector, chunks, embeddings, intent, article_text, asked)
    if not scored or scored[0][0] < MIN_RELEVANCE:
        return []
    best: dict[str, tuple[float, int, str]] = {}
    for score, i, sentence in scored:
        best.setdefault(chunks[i - 1].article_id, (score, i, sentence))
    speaks = {i: asked is None or not asked.focus_words or asked.relation_hits(lemma_set(s)) > 0 for _, i, s in best.values()}
    points = [p for p in best.values() if p[0] >= 0.5 * scored[0][0] and speaks[p[1]] and not _before(chunks[p[1] - 1], intent)][:most]
    points.sort(key=lambda p: _when(chunks[p[1] - 1]) + (p[1],))
    return [(i, sentence) for _, i, sentence in points]


def _before(chunk: RetrievedChunk, intent: TimeIntent) -> bool:
    """The article is dated (exactly) before the question's "since …": it cannot be a point of the timeline."""
    return bool(intent.since and chunk.date and chunk.date_source != "estimate" and chunk.date[:7] < intent.since)


def _when(chunk: RetrievedChunk) -> tuple[int, str]:
    if not chunk.date:
        return 2, ""
    return (1 if chunk.date_source == "estimate" else 0), chunk.date


def who(chunk: RetrievedChunk) -> str:
    """Who says it: the outlet, or the article's title in single quotes when the outlet is unknown
    (single quotes around a title: double quotes mark the article's own words)."""
    return chunk.outlet or f"‘{chunk.title}’"


def outlet_names(chunks: list[RetrievedChunk]) -> frozenset[str]:
    """The passages' outlets, lower-cased: the source of an answer, never its item."""
    return frozenset(c.outlet.lower() for c in chunks if c.outlet)


def named_outlets(question: str, chunks: list[RetrievedChunk]) -> set[str]:
    """The outlets of the passages that the question names as a word ("according to CNN")."""
    low = question.lower()
    return {c.outlet for c in chunks if c.outlet and re.search(rf"\b{re.escape(c.outlet.lower())}\b", low)}


_PUBLISHED = re.compile(r"\b(?:publish|report|write|wrote|written|post|run|ran|carr(?:y|ied)|print|release)\w*\b", re.I)


def published_by(question: str, chunks: list[RetrievedChunk], asked: AskedFor) -> RetrievedChunk | None:
    """For "When did Sputnik publish the report on …?": the retrieved passage of the outlet the question
    names, whose article's own date answers it. The date is the article's metadata, not a date its text
    mentions (which is when something else happened); ``None`` for any other question."""
    clause = asked_clause(question)
    if asked.kind != "date" or clause.startswith("how") or not any(
            not re.search(r"\b(?:the|a|an|its|their|this|that)\s+(?:[\w.’'-]+\s+)?$", clause[:m.start()]) for m in _PUBLISHED.finditer(clause)):
        return None  # "according to the CNN report" names a report; it does not ask when it came out
    named = named_outlets(question, chunks)
    return next((chunk for chunk in chunks if chunk.outlet in named), None)  # best first


_OUTLET_ASKED = re.compile(r"(?:which|what) (?:news (?:agency|outlet|site|organi[sz]ation)|outlet|newspaper|paper|publication|"
                           r"website|magazine)\b")
_ARTICLE = re.compile(r"\b(?:article|story|piece)\b")
"""An outlet asked about an article ("Which newspaper ran the story about …?"), not about an event ("Which
agency issued the report …?", "Which network aired the interview …?")."""


def outlet_asked(question: str, chunks: list[RetrievedChunk], asked: AskedFor) -> RetrievedChunk | None:
    """For "Which news agency is the source of the article about the embassy rows?": the best passage
    whose article has a known outlet, which is the answer. Only when the question asks for an outlet
    *and* speaks of an article: "Which agency expelled the diplomats?" asks about an event."""
    clause = asked_clause(question)
    if asked.kind != "organisation" or not _OUTLET_ASKED.match(clause) or not _ARTICLE.search(clause):
        return None
    return chunks[0] if chunks and chunks[0].outlet else None


def outlet_lead(chunk: RetrievedChunk, n: int) -> str:
    """"Reuters, in ‘Russia vs U.S: Embassy Rows Unresolved …’ (12 October 2021) [1].": the outlet asked for."""
    when = f" ({chunk.date_label})" if chunk.date else " (undated)"
    return f"{chunk.outlet}, in ‘{chunk.title}’{when} [{n}]."


def publication_lead(chunk: RetrievedChunk, n: int) -> str:
    """"Sputnik published it on 28 November 2022 [1]." (or says the article is undated or only estimated)."""
    if chunk.date and chunk.date_source != "estimate":
        return f"{who(chunk)} published it on {chunk.date_label} [{n}]."
    if chunk.date:
        return f"{who(chunk)}'s article carries no date; from what it reports, it is {chunk.date_label} [{n}]."
    return f"{who(chunk)}'s article carries no date, so I cannot say when it was published [{n}]."


def lead_in(chunk: RetrievedChunk) -> str:
    """"TASS, 30 March 2021", "TASS, not before 2022" or "‘Title’ (undated)": who said it and when."""
    return f"{who(chunk)}, {chunk.date_label}" if chunk.date else f"{who(chunk)} (undated)"


def lead_sentence(item: str | None, chunk: RetrievedChunk, quote: str, n: int) -> str:
    """The extractive answer's first sentence: the asked item in words, who says so and when, then
    the verbatim quote: "Alexander Darchiyev, according to TASS, 30 March 2021: “…” [1]."."""
    if item and item.lower() == (chunk.outlet or "").lower():  # the outlet did what is asked: "TASS, 30 March 2021: “…”"
        return f"{lead_in(chunk)}: {quoted(quote)} [{n}]."
    if item:
        item = own_words(item[0].upper() + item[1:])
        return f"{item}, according to {lead_in(chunk)}: {quoted(quote)} [{n}]."
    return f"According to {lead_in(chunk)}: {quoted(quote)} [{n}]."


def verdict(question: str, sentence: str, asked: AskedFor | None = None) -> str | None:
    """"Yes" or "No" for a yes/no question that ``sentence`` settles, else None.

    The sentence settles it when it speaks of at least half of the question's content words (two at
    least), the asked relation among them; "No" when a negation in the sentence reaches the shared
    words ("There was no immediate comment" for "Was there any immediate comment …?"). A negated
    question ("Didn't …?") gets no verdict: yes and no read both ways there. ``asked`` is the
    question's :func:`classify` when the caller has it.
    """
    q, s = read(one_verbs(question)), read(one_verbs(sentence))  # "go back" shares "return" with "will return"
    if q.negated or not q.stems:
        return None
    have = salient_terms(canonical(sentence)) | content_terms(canonical(sentence))  # "U.S." is "US"
    main = _SUBORDINATE.split(question, maxsplit=1)[0]  # "… since being summoned to Moscow" sets the scene only
    if any(not (run & have) for run in _name_runs(main)):
        return None  # a name the sentence does not mention ("John Sullivan" as "Sullivan" counts): it may be about someone else
    if _MODAL.search(_CONCESSIVE.sub("", sentence, count=1)) and not _MODAL.search(question):
        return None  # "a proposal would expel" does not say that anyone was expelled
    shared = q.stems & s.stems
    relation = asked or classify(question)
    if len(shared) < max(2, len(q.stems) / 2) or (relation.focus_words and not relation.relation_hits(lemma_set(sentence))):
        return None
    return "No" if shared & s.negated else "Yes"


def _name_runs(question: str) -> list[set[str]]:
    """The question's names, each a set of its words ("John Sullivan" → {john, sullivan}); dates aside."""
    names = question_names(question) - CALENDAR_WORDS
    runs = [salient_terms(m.group()) & names for m in _NAME_RUN.finditer(question)]
    return [r for r in runs if r]


_SUBORDINATE = re.compile(r"(?<=\w)\s+(?:since|after|before|while|when)\s+(?=(?:being|having|\w{3,}ing)\b)")
"""Where a question's main clause gives way to a participle clause that sets the scene ("had Antonov talked
to Putin since being summoned to Moscow?"): its names need not be in the sentence that settles it. Not
"because of the sanctions" nor "before the summit in Geneva": those are what the question hinges on."""
_CONCESSIVE = re.compile(r"^\s*whether\s+[^,;]*,(?!\s*(?:(?:however|though|too|also|still|yet),?\s*)?"
                         r"(?:is|was|are|were|remains?|remained|has|had|have|will|would|can|could|may|might|"
                         r"does|did|seems?|seemed|depends?|depended|matters?|mattered)\b)\s*", re.I)
"""A leading "Whether …," clause before a main clause of its own: "Whether or not there is any possibility
for this, Russia still insisted first on easing sanctions" (or, as one article writes it, "Whether there is
any possibility for this, Russia …") states its main clause all the same (unlike "If …,", which makes it a
condition, or "Whether Russia expelled them, however, is not known", where the clause is the subject and
a verb follows the comma)."""
_NAME_RUN = re.compile(r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*")
_MODAL = re.compile(r"\b(?:would|could|might|may|should|plans? to|planned to|proposals?|proposed|wants? to|wanted to|"
                    r"expects?|expected|"
                    r"threaten(?:s|ed)? to|considers?|considering|if|unless|whether)\b", re.I)


def stated(prefix: str, chunk: RetrievedChunk, sentence: str, n: int, dated: bool = True, passage: str = "") -> str:
    """The article's sentence stated after ``prefix``, with who says it and (``dated``) when: "No —
    Reuters, 12 October 2021: There was no immediate comment from the U.S. side [1].". The words it
    quotes keep single marks (:func:`rag.answer_text.own_words`): double ones mark the article's verbatim words.
    A speaker's "we" is stated as what the speaker said when ``passage`` names them where the quotation
    closes (:func:`rag.reported.reported`), else quoted."""
    head = f"{prefix} {lead_in(chunk) if dated else who(chunk)}:"
    if passage and (said := reported(sentence, passage)):
        return f"{head} {said.rstrip('.')} [{n}]."
    text, end = _body(sentence)
    opened = _opens_unclosed(text)
    if opened:
        text = text[1:]  # the opening mark of a quotation the sentence does not close: all of it is quoted
    if speaks_for_itself(text) or (opened and FIRST_PERSON.search(text.replace("U.S.", ""))):
        return f"{head} “{text}” [{n}]{end}"
    return f"{head} {own_words(text)} [{n}]{end}"


_GOES_ON = re.compile(r"(?:The|This|That|These|Those|He|She|It|They|His|Her|Its|Their)\s")
"""How a sentence that goes on about its predecessor's subject opens ("The veteran Russia specialist is …")."""


def reason_after(sentence: str, chunk: RetrievedChunk, article_text=None) -> tuple[str, str] | None:
    """For a why question whose best sentence states the asked event and no reason ("Nuland's visit … angered some
    Russian nationalists who ransacked a memorial …"): the article's next sentence of the same paragraph when it
    goes on about the same subject ("The veteran Russia specialist is regarded by Kremlin hawks as someone who has
    stirred up anti-Russian sentiment …"), and both as they stand in the article, to quote together. ``None`` when
    there is none, or it is a quotation, a question, first-person or shorter than eight words.

    Why: news states the event first and explains it in the next sentence; quoting both keeps the reason, stated
    first in the answer, inside the quoted passage that proves it."""
    text = article_text(chunk.article_id) if article_text else chunk.text
    at = text.find(sentence)
    if at < 0:
        return None
    end = at + len(sentence)
    nxt = next(((a, b) for a, b in split_sentences(text) if a >= end), None)
    if nxt is None or "\n" in text[end:nxt[0]] or nxt[0] - end > 3:
        return None
    follow = text[nxt[0]:nxt[1]].strip()
    if not _GOES_ON.match(follow) or _is_question(follow) or re.search(r"[“”\"]", follow) \
            or FIRST_PERSON.search(follow.replace("U.S.", "")) or len(follow.split()) < 8:
        return None
    return follow, text[at:nxt[1]].strip()


def _opens_unclosed(text: str) -> bool:
    """Whether ``text`` opens with a quotation mark it does not close (the quotation goes on after it)."""
    return bool((text[:1] == '"' and text.count('"') % 2) or (text[:1] == "“" and text.count("“") > text.count("”")))


def quoted(sentence: str) -> str:
    """An article's sentence in the answer's quotation marks: “…”. An opening mark the sentence does not close
    is left out (the answer's own marks say it is quoted), so the reader sees no “"Our …”."""
    return f"“{sentence[1:] if _opens_unclosed(sentence) else sentence}”"


def speaks_for_itself(sentence: str) -> bool:
    """Whether the sentence, stated as is, would speak as "I", "we" or "you" in its own words: it quotes
    someone (it has quotation marks) and such a word may stand outside what it marks as quoted ("Our
    relations are low," he said). Stated without marks it would read as the outlet's or the bot's own.

    Only curly marks tell where a quotation opens and closes: one the sentence opens and does not close
    runs to its end and is marked as such when stated. One it closes without opening began in an earlier
    sentence: its words would stand unmarked, so they count as outside. Straight marks do not tell which is
    which, so with them any such word counts."""
    if not re.search(r"[“”\"]", sentence):
        return False
    text = sentence.replace("U.S.", "")
    outside = text if '"' in text else _CURLY_QUOTED.sub(" ", text)
    return bool(FIRST_PERSON.search(outside))


_CURLY_QUOTED = re.compile(r"“[^”]*(?:”|$)")
"""A passage a sentence quotes in curly marks, one it opens and does not close running to its end."""


def _body(sentence: str) -> tuple[str, str]:
    """A sentence without its closing stop, and that stop ("." when it has none): a marker goes between.
    A stop inside a closing quotation mark ('…functioning."') moves out, after the marker: '…functioning" [1].'."""
    text = sentence.rstrip()
    if text[-2:-1] in (".", "!") and text[-1:] in ('"', "”", "’"):
        return text[:-2] + text[-1], text[-2]
    return (text[:-1], text[-1]) if text[-1:] in ".!" else (text, ".")


def timeline_point(chunk: RetrievedChunk, sentence: str, n: int) -> str:
    """One dated point of a timeline, the article's sentence stated as is: "12 October 2021, Reuters: … [1]"."""
    when = chunk.date_label if chunk.date else "Undated"
    text, end = _body(sentence)
    return f"{when[0].upper() + when[1:]}, {who(chunk)}: {text} [{n}]{end}"
