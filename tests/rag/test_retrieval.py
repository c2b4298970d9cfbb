"""Hybrid, date-aware, diverse retrieval over the sample corpus."""

from __future__ import annotations

import os

import pytest

from rag import Assistant
from rag.retrieval import RRF_K, TimeIntent, date_boost, period_phrases, rrf, time_intent


def names(chunks):
    return [os.path.basename(c.path)[:3] for c in chunks]


def test_time_intent():
    assert time_intent("What happened in March 2021?").years == {2021}
    assert time_intent("What happened in March 2021?").months == {3}
    assert time_intent("Who is the ambassador now?").recent
    assert not time_intent("Who is the ambassador?").any


def test_a_year_that_names_a_thing_ranks_but_is_no_period():
    named = time_intent("Which rapper will headline the 2025 Super Bowl half-time show?")
    assert named.years == {2025} and not named.periods  # still lifts 2025's articles, but asks about no time
    assert time_intent("How did the 2024 election go?").periods == set()
    assert time_intent("Who won the race in 2024?").periods == {2024}
    assert time_intent("What did the 2021 summit decide in 2021?").periods == {2021}  # named as a time too
    assert time_intent("In March 2021, had Antonov talked to Lavrov?").periods == {2021}
    assert time_intent("What changed between 2021 and 2025?").periods == {2021, 2025}


def test_period_phrases_name_the_time_not_a_year_in_a_name():
    assert period_phrases("Who was summoned to Moscow in March 2021?") == ["March 2021"]
    assert period_phrases("What happened since October 2021?") == ["since October 2021"]
    assert period_phrases("How did it change between 2021 and 2025?") == ["2021", "2025"]
    assert period_phrases("Which rapper will headline the 2025 Super Bowl?") == []


def test_rrf_rewards_agreement():
    scores = rrf([["a", "b", "c"], ["c", "a"]])
    assert max(scores, key=scores.get) == "a" and scores["c"] > scores["b"]


def test_retrieve_returns_ranked_chunks_with_metadata(indexed):
    chunks = Assistant(indexed).retrieve("Alexander Darchiyev ambassador appointment", k=5)
    assert names(chunks)[0] == "004"
    c = chunks[0]
    assert "Darchiyev" in c.text and c.title == "Russia mending diplomatic relations with United States"
    assert c.metadata["title"] == c.title and (c.date, c.date_source, c.date_label) == ("2022-01-01", "estimate", "not before 2022")


def test_one_article_cannot_fill_every_slot(indexed):
    chunks = Assistant(indexed).retrieve("Russia United States relations diplomats", k=5)
    assert len(chunks) == 5
    assert max(names(chunks).count(n) for n in set(names(chunks))) <= indexed.max_chunks_per_article


def test_keyword_side_finds_rare_names(indexed):
    """BM25 puts the one chunk with a rare name first even where dense similarity is weak."""
    hybrid = Assistant(indexed).retrieve("Stephanopoulos", k=3)
    assert "Stephanopoulos" in hybrid[0].text
    dense_only = Assistant(indexed.model_copy(update={"retrieval_hybrid": False})).retrieve("Stephanopoulos", k=3)
    assert [c.keyword for c in dense_only] == [None, None, None]


def test_named_year_is_preferred(indexed):
    question = "What happened with the embassies in 2022?"
    chunks = Assistant(indexed).retrieve(question, k=3)
    assert chunks[0].date and chunks[0].date.startswith("2022")


def test_latest_prefers_the_newest_dated_article(indexed):
    plain = Assistant(indexed).retrieve("embassy diplomats relations", k=5)
    latest = Assistant(indexed).retrieve("latest news on embassy diplomats relations", k=5)
    newest = "2022-11-28"  # the sample's newest dated article (Sputnik), known from the corpus, not from the result
    rank = lambda cs: next((i for i, c in enumerate(cs) if c.date == newest), len(cs))  # noqa: E731
    assert rank(latest) == 0 and rank(latest) <= rank(plain)


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_retrieves_nothing(indexed, question):
    assert Assistant(indexed).retrieve(question) == []


def test_the_hybrid_retriever_is_a_langchain_retriever(indexed):
    """``invoke`` gives LangChain ``Document`` s: the same chunks, in the same order, with their metadata and scores."""
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

    assistant = Assistant(indexed)
    retriever = assistant.retriever
    assert isinstance(retriever, BaseRetriever) and retriever.k == indexed.retrieval_k
    question = "Alexander Darchiyev ambassador appointment"
    docs = retriever.invoke(question)
    chunks = assistant.retrieve(question)
    assert all(isinstance(d, Document) for d in docs)
    assert [d.id for d in docs] == [c.id for c in chunks] and [d.page_content for d in docs] == [c.text for c in chunks]
    top = docs[0].metadata
    assert (top["chunk_id"], top["article_id"], top["title"]) == (chunks[0].id, chunks[0].article_id, chunks[0].title)
    assert (top["date"], top["date_source"], top["score"]) == ("2022-01-01", "estimate", chunks[0].score)
    assert [len(d) for d in retriever.batch([question, "Stephanopoulos"])] == [indexed.retrieval_k, indexed.retrieval_k]
    assert retriever.model_copy(update={"k": 2}).invoke(question) == docs[:2]


def test_date_boost_adds_year_month_and_recency():
    unit = 1 / RRF_K
    june_2021 = TimeIntent(years=frozenset({2021}), months=frozenset({6}))
    assert date_boost("2021-06-15", june_2021, {}) == pytest.approx(2.0 * unit)  # the year, then the month
    assert date_boost("2021-03-15", june_2021, {}) == pytest.approx(1.5 * unit)  # the year only
    assert date_boost("2022-06-15", june_2021, {}) == 0.0  # June of another year
    assert date_boost("2021-06-15", TimeIntent(months=frozenset({6})), {}) == pytest.approx(0.5 * unit)
    assert date_boost("2021-10-15", TimeIntent(months=frozenset({1})), {}) == 0.0  # not January
    assert date_boost("2021-10-15", TimeIntent(months=frozenset({10})), {}) == pytest.approx(0.5 * unit)  # two-digit month
    latest = TimeIntent(years=frozenset({2022}), recent=True)
    newest = {"2022-11-28": 0, "2021-10-12": 1}
    assert date_boost("2022-11-28", latest, newest) == pytest.approx(2.5 * unit)  # the year, and the newest
    assert date_boost("2021-10-12", TimeIntent(recent=True), newest) == pytest.approx(unit / 2)
    assert date_boost(None, latest, newest) == 0.0 and date_boost("2021-10-12", TimeIntent(), newest) == 0.0


def test_recency_counts_an_articles_age_not_only_its_rank():
    """A feed of daily news: an article a month older than the newest keeps about half the boost, whatever
    its rank among the dates; one a year older keeps almost none."""
    unit = 1 / RRF_K
    days = [f"2024-10-{d:02d}" for d in range(9, 0, -1)] + [f"2024-09-{d:02d}" for d in range(30, 0, -1)] + ["2023-10-09"]
    newest = {d: rank for rank, d in enumerate(days)}
    recent = TimeIntent(recent=True)
    assert date_boost("2024-09-09", recent, newest) == pytest.approx(unit / 2)
    assert date_boost("2023-10-09", recent, newest) == pytest.approx(unit / 40)  # only what its rank (the 40th date) gives
    assert date_boost("2024-10-09", recent, newest) == pytest.approx(unit)


@pytest.mark.parametrize("question", [
    "Which award show took place this week in New York City?", "Who won the race last week?",
    "Which film topped this year's box office?", "What happened in recent weeks at the border?",
])
def test_this_week_and_this_year_ask_for_the_newest_news(question):
    assert time_intent(question).recent


def test_retrieved_chunks_carry_their_fused_score_best_first(indexed):
    chunks, best = Assistant(indexed).retriever.retrieve_scored("Who is the ambassador?", 3)
    assert len(chunks) == 3 and 0 < best <= 1
    assert all(c.score > 0 for c in chunks) and chunks == sorted(chunks, key=lambda c: -c.score)
