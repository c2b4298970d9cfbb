"""Hybrid, date-aware retrieval: dense (Chroma) + keyword (BM25), fused by reciprocal rank.

Why hybrid: names, numbers and rare words ("Darchiyev", "300", "New START") are where a small
embedding model is weakest and BM25 strongest; paraphrased questions are the reverse. Why RRF:
it needs no score calibration between the two. Date awareness is a re-ranking, not a filter, so a
question about 2019 still finds the closest article and the answer says its date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as _date
from typing import Any

from langchain_core.callbacks import CallbackManager, CallbackManagerForRetrieverRun, Callbacks
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from core.language import MONTHS, month_number
from rag.models import RetrievedChunk
from rag.verify import salient_terms

RRF_K = 60
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b", re.I)
_RECENT = re.compile(r"\b(latest|now|current(?:ly)?|recent(?:ly)?|today|these days|at present|presently|still|newest|most recent|"
                     r"this (?:week|month|year|season)|(?:last|past) (?:week|few days)|in recent (?:days|weeks|months))\b", re.I)
RECENT_HALF_LIFE_DAYS = 30
"""How fast "latest" / "this week" lets an article's age count against it: a month older than the newest
article, half the boost; a year older, none to speak of."""


@dataclass(frozen=True)
class TimeIntent:
    """What a question says about time: named years and months, or a wish for the newest news."""

    years: frozenset[int] = frozenset()
    months: frozenset[int] = frozenset()
    recent: bool = False
    since: str | None = None
    """"since October 2021", "after 2021": the ISO month ("2021-10") before which nothing answers."""
    in_names: frozenset[int] = frozenset()
    """Years that only name a thing ("the 2025 Super Bowl", "the 2024 election"): they rank that year's
    articles first like any year, but are no period the answer must come from (the articles announcing
    the 2025 half-time show are from 2024)."""

    @property
    def periods(self) -> frozenset[int]:
        """The years the question asks about as a time ("in 2021", "March 2021", "between 2021 and 2025")."""
        return self.years - self.in_names

    @property
    def any(self) -> bool:
        return bool(self.years or self.months or self.recent)

    @property
    def one_period(self) -> bool:
        """The question names one period to answer from (a year, or months of it): not a range ("between
        2021 and 2025") nor a start ("since October 2021"), which ask across time."""
        return len(self.periods) == 1 and not self.since

    def holds(self, date: str | None, date_source: str | None = None) -> bool:
        """Whether an article of ``date`` is dated in the period the question names (its year, and its
        month when one is named). An estimated date ("not before 2022") is no date in a period."""
        return bool(self.periods and date and date_source != "estimate" and int(date[:4]) in self.periods
                    and (not self.months or int(date[5:7]) in self.months))


_SINCE = re.compile(r"\b(since|after)\s+(?:the\s+)?(?:(" + "|".join(MONTHS) + r")\s+)?(19\d\d|20\d\d)\b", re.I)


_YEAR_IN_NAME = re.compile(r"\b(?:the|a|an|this|that|its|his|her|their|our)\s+(19\d\d|20\d\d)\s+(?=[A-Za-z])", re.I)
"""A year between an article and a noun ("the 2025 Super Bowl"): part of a name, not a time asked about."""


def time_intent(question: str) -> TimeIntent:
    years = frozenset(int(y) for y in _YEAR.findall(question))
    # a year also named as a time elsewhere ("the 2021 summit … in 2021") stays a period
    in_names = frozenset(int(y) for y in _YEAR_IN_NAME.findall(question)) - {
        int(y) for y in _YEAR.findall(_YEAR_IN_NAME.sub(" ", question))}
    months = frozenset(month_number(m) for m in _MONTH.findall(question))
    since = None
    if m := _SINCE.search(question):
        year, month = int(m.group(3)), month_number(m.group(2)) if m.group(2) else None
        if m.group(1).lower() == "after" and month is None:
            since = f"{year + 1}-01"  # "after 2021": from 2022 on
        else:
            since = f"{year}-{month or 1:02d}"
    return TimeIntent(years, months, bool(_RECENT.search(question)), since, in_names)


_PERIOD = re.compile(r"\b(?:(?:since|after|before)\s+(?:the\s+)?)?(?:(?:" + "|".join(MONTHS) + r")\s+)?(19\d\d|20\d\d)\b", re.I)


def period_phrases(question: str) -> list[str]:
    """The words that name the question's period ("March 2021", "since October 2021", "2021" and "2025" of
    "between 2021 and 2025"), not a year that only names a thing ("the 2025 Super Bowl"): what a follow-up
    that names no period of its own goes on asking about."""
    names = time_intent(question).in_names
    return [m.group() for m in _PERIOD.finditer(question) if int(m.group(1)) not in names]


def rrf(rankings: list[list[str]], weights: list[float] | None = None) -> dict[str, float]:
    """Reciprocal rank fusion: ``sum(w / (RRF_K + rank))`` over the rankings an id appears in."""
    scores: dict[str, float] = {}
    for ranking, w in zip(rankings, weights or [1.0] * len(rankings)):
        for rank, cid in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + w / (RRF_K + rank + 1)
    return scores


def date_boost(date: str | None, intent: TimeIntent, newest_dates: dict[str, int]) -> float:
    """An RRF-sized bonus: a named year/month matches, or (for "latest") the article is among the newest.

    ``newest_dates``: every article date → its rank, newest first (0), in that order."""
    if not intent.any or not date:
        return 0.0
    boost = 0.0
    year, month = int(date[:4]), int(date[5:7])
    if intent.years:
        boost += 1.5 / RRF_K if year in intent.years else 0.0
        if intent.months and year in intent.years and month in intent.months:
            boost += 0.5 / RRF_K
    elif intent.months and month in intent.months:
        boost += 0.5 / RRF_K
    if intent.recent and newest_dates:
        # By rank among the dates (the newest, then the one before it, whatever their distance) and by
        # age against the newest: in a small corpus the newest article wins; in a feed of daily news,
        # last month's articles all stay ahead of last decade's.
        rank = newest_dates.get(date, len(newest_dates))
        boost += (1.0 / RRF_K) * max(1 / (1 + rank), recency(date, next(iter(newest_dates))))
    return boost


def recency(date: str | None, newest: str | None) -> float:
    """How fresh ``date`` is against ``newest``: 1 on the same day, halving every
    :data:`RECENT_HALF_LIFE_DAYS`; 0 for an undated article or one that cannot be read."""
    day, last = _day(date or ""), _day(newest or "")
    if not day or not last:
        return 0.0
    return 0.5 ** (max((last - day).days, 0) / RECENT_HALF_LIFE_DAYS)


def _day(iso: str) -> _date | None:
    try:
        return _date.fromisoformat(iso[:10])
    except ValueError:
        return None


class HybridRetriever(BaseRetriever):
    """Ranks live chunks of a :class:`index.reader.SearchIndex` for a question.

    A LangChain retriever: ``invoke(query)`` returns the ``k`` best chunks as ``Document`` s (text,
    and the chunk's metadata with its scores), so a LangChain app can use it in its own chains; the
    answering code calls :meth:`retrieve_scored` for the chunks themselves and the refusal gate's input.
    """

    search: Any
    """The index to rank (an :class:`index.reader.SearchIndex`)."""
    k: int = 5
    """How many chunks ``invoke`` returns."""
    candidates: int = 30
    """Candidates each ranking (dense, keyword) proposes before fusion."""
    hybrid: bool = True
    """Fuse BM25 with the dense ranking; ``False``: dense only."""
    max_per_article: int = 2
    """At most this many chunks of one article, so one long article cannot fill the list."""

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [as_document(c) for c in self.retrieve(query, self.k)]

    def retrieve(self, question: str, k: int = 5, vector: list[float] | None = None) -> list[RetrievedChunk]:
        """The ``k`` best chunks, at most ``max_per_article`` from one article, best first."""
        return self.retrieve_scored(question, k, vector)[0]

    def retrieve_scored(self, question: str, k: int = 5, vector: list[float] | None = None,
                        callbacks: Callbacks = None) -> tuple[list[RetrievedChunk], float]:
        """Like :meth:`retrieve`, plus the best dense similarity of any live chunk (the refusal gate's input).

        With ``callbacks`` (a LangChain run's), the ranking is reported to them as a retriever run.
        """
        if callbacks is None:
            return self._rank(question, k, vector)
        manager = CallbackManager.configure(callbacks, local_tags=self.tags, local_metadata=self.metadata)
        run = manager.on_retriever_start(None, question, name=self.get_name())
        try:
            chunks, best = self._rank(question, k, vector)
        except Exception as exc:
            run.on_retriever_error(exc)
            raise
        run.on_retriever_end([as_document(c) for c in chunks])
        return chunks, best

    def _rank(self, question: str, k: int, vector: list[float] | None) -> tuple[list[RetrievedChunk], float]:
        self.search.refresh()
        if not self.search.chunks or not question.strip():
            return [], -1.0
        if vector is None:
            vector = self.search.embeddings.embed_query(question)
        intent = time_intent(question)
        # A named year widens the dense pool (the date boost then lifts that year's chunks) instead of a
        # filtered query: Chroma's metadata filter scans, and cost 290 ms at 100k chunks (docs/performance.md).
        pool = self.candidates * 3 if intent.years else self.candidates
        dense = self.search.dense(vector, pool)
        keyword = self.search.keyword(question, self.candidates) if self.hybrid else []
        # Names and numbers are where BM25 is right and a small embedder is not: trust it more then.
        keyword_weight = 1.5 if salient_terms(question) else 1.0
        fused = rrf([[c for c, _ in dense], [c for c, _ in keyword]], [1.0, keyword_weight])
        dense_score, keyword_score = dict(dense), dict(keyword)
        newest = self.search.newest_dates
        for cid in fused:
            fused[cid] += date_boost(self.search.chunks[cid]["date"], intent, newest)
        ranked = sorted(fused, key=lambda c: (-fused[c], c))
        per_article: dict[str, int] = {}
        out: list[RetrievedChunk] = []
        for cid in ranked:
            row = self.search.chunks[cid]
            if per_article.get(row["article_id"], 0) >= self.max_per_article:
                continue
            per_article[row["article_id"]] = per_article.get(row["article_id"], 0) + 1
            out.append(RetrievedChunk.from_row(row, score=fused[cid], dense=dense_score.get(cid), keyword=keyword_score.get(cid)))
            if len(out) == k:
                break
        return out, (dense[0][1] if dense else -1.0)


def as_document(chunk: RetrievedChunk) -> Document:
    """A ranked chunk as LangChain's ``Document``: its text, its metadata and its scores."""
    scores = {"score": chunk.score, "dense": chunk.dense, "keyword": chunk.keyword}
    return Document(page_content=chunk.text, id=chunk.id, metadata={**chunk.metadata, "date_source": chunk.date_source, **scores})
