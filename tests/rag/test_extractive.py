"""Extractive answers (rag.extractive) on hand-made chunks with the hashing embedder: no index, no model."""

from __future__ import annotations

import dataclasses

import pytest

from index.embeddings import HashEmbeddings
from rag.extractive import answer_type_bonus, pick_sentences, score_sentences
from rag.retrieval import TimeIntent, time_intent
from tests.rag.test_verify import REUTERS, SPUTNIK

Q_DIPLOMATS = "How many Russian diplomats did a US congressional proposal want to expel?"


@pytest.fixture(scope="module")
def embeddings():
    return HashEmbeddings(256)


def test_a_which_question_is_answered_by_a_new_name_not_a_new_number():
    q = "Which city hosts the consulate?"
    assert answer_type_bonus(q, "Yekaterinburg hosts the consulate, officials said.") == 0.15
    assert answer_type_bonus(q, "The city hosts the consulate.") == 0.0
    assert answer_type_bonus(q, "The city hosts the consulate since 1992.") == 0.0  # a year is not a city


def test_latest_favours_the_newest_dated_article_even_beside_an_undated_one(embeddings):
    undated = dataclasses.replace(SPUTNIK, id="u-1", article_id="u", date=None,
                                  text="Russia and the United States discussed the embassies again, a diplomat said on Monday.")
    q = "What is the latest on the embassies of Russia and the United States?"
    vector, chunks = embeddings.embed_query(q), [REUTERS, SPUTNIK, undated]
    latest = {(i, s): x for x, i, s in score_sentences(q, vector, chunks, embeddings, time_intent(q))}
    plain = {(i, s): x for x, i, s in score_sentences(q, vector, chunks, embeddings, TimeIntent())}
    bonus = {key[0]: round(latest[key] - plain[key], 6) for key in latest}
    assert bonus == {1: 0.0, 2: 0.1, 3: 0.0}  # only Sputnik, of 28 November 2022


def test_at_most_two_sentences_from_different_articles(embeddings):
    three = [dataclasses.replace(REUTERS, id=f"{a}-1", article_id=a,
                                 text=f"A congressional proposal would expel 300 Russian diplomats from the United States, {who} said.")
             for a, who in [("a", "officials"), ("b", "lawmakers"), ("c", "aides")]]
    picked = pick_sentences(Q_DIPLOMATS, embeddings.embed_query(Q_DIPLOMATS), three, embeddings, TimeIntent())
    assert len(picked) == 2 and picked[0][0] != picked[1][0]
    same_article = [dataclasses.replace(c, article_id="a") for c in three]
    assert len(pick_sentences(Q_DIPLOMATS, embeddings.embed_query(Q_DIPLOMATS), same_article, embeddings, TimeIntent())) == 1


def test_the_outlet_the_question_names_is_read_first(embeddings):
    """Two outlets say much the same; "according to Sputnik" means Sputnik's report answers."""
    text = "The envoy said the embassy would stay open, and that ties were at a low level."
    reuters, sputnik = (dataclasses.replace(c, text=text.replace("envoy", name)) for c, name in
                        [(REUTERS, "ambassador Sullivan"), (SPUTNIK, "charge d'affaires Rood")])
    for q, first in [("Who said the embassy would stay open, according to Sputnik?", 2),
                     ("Who said the embassy would stay open, according to Reuters?", 1)]:
        picked = pick_sentences(q, embeddings.embed_query(q), [reuters, sputnik], embeddings, TimeIntent())
        assert picked[0][0] == first, (q, picked)


def test_a_timeline_since_a_date_leaves_out_the_articles_before_it(embeddings):
    from rag.extractive import timeline

    text = "The embassies dispute between Russia and the United States went on, with staff cut again, {} officials said."
    tass = dataclasses.replace(REUTERS, id="t-1", article_id="t", outlet="TASS", date="2021-03-30", text=text.format("Russian"))
    reuters, sputnik = (dataclasses.replace(c, text=text.format(who)) for c, who in ((REUTERS, "US"), (SPUTNIK, "embassy")))
    chunks = [tass, reuters, sputnik]
    q = "What has happened to the embassies dispute since the October 2021 talks?"
    points = timeline(q, embeddings.embed_query(q), chunks, embeddings, time_intent(q))
    assert [chunks[i - 1].date for i, _ in points] == ["2021-10-12", "2022-11-28"]
    q_all = "What has happened to the embassies dispute over time?"
    every = timeline(q_all, embeddings.embed_query(q_all), chunks, embeddings, time_intent(q_all))
    assert [chunks[i - 1].date for i, _ in every] == ["2021-03-30", "2021-10-12", "2022-11-28"]


def test_a_follow_up_is_not_answered_with_what_the_previous_answer_said(embeddings):
    """"Why was he called back?" was answered with the remark; "Will he go back to Washington?" asks for more."""
    from rag.verify import content_terms

    c = dataclasses.replace(REUTERS, text=(
        "Antonov left Washington on March 20, after Biden's disparaging remark about Putin on TV. "
        "Antonov will return to Washington in the near future, TASS revealed."))
    q = "Will Antonov go back to Washington after the remark?"
    vector = embeddings.embed_query(q)
    said = frozenset(content_terms("Antonov left Washington on March 20, after Biden's disparaging remark about Putin on TV."))
    first = {s: x for x, _, s in score_sentences(q, vector, [c], embeddings, TimeIntent())}
    again = {s: x for x, _, s in score_sentences(q, vector, [c], embeddings, TimeIntent(), said=said)}
    repeated, new = sorted(first, key=lambda s: "left" not in s)
    assert round(first[repeated] - again[repeated], 6) == 0.25 and again[new] == first[new]
    # a short previous answer ("Anatoly Antonov [1].") makes no sentence naming him a repetition
    short = frozenset(content_terms("Anatoly Antonov"))
    assert {s: x for x, _, s in score_sentences(q, vector, [c], embeddings, TimeIntent(), said=short)} == first


def test_a_why_follow_up_may_be_answered_by_the_sentence_that_gave_the_previous_answer(embeddings):
    """"He hoped they would not expel diplomats", then "Why?": the same sentence's "because …" answers."""
    from rag.verify import content_terms

    c = dataclasses.replace(REUTERS, text=("The envoy hoped Moscow and Washington would not expel diplomats anymore "
                                           "because it is in the interest of both countries."))
    q = "Why did the envoy hope Moscow and Washington would not expel diplomats anymore?"
    vector = embeddings.embed_query(q)
    said = frozenset(content_terms("He hoped Moscow and Washington would not expel diplomats anymore."))
    assert score_sentences(q, vector, [c], embeddings, TimeIntent(), said=said) == \
        score_sentences(q, vector, [c], embeddings, TimeIntent())
