"""Extractive answers (rag.extractive) on hand-made chunks with the hashing embedder: no index, no model."""

from __future__ import annotations

import dataclasses

import pytest

from index.embeddings import HashEmbeddings
from rag.extractive import PERIOD_PENALTY, RECENT_BONUS, answer_type_bonus, pick_sentences, score_sentences
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


def test_a_why_question_is_answered_by_a_sentence_that_gives_a_reason():
    q = "Why did Antonov leave Washington?"
    assert answer_type_bonus(q, "Antonov left Washington on March 20, after Biden's remark about Putin.") == 0.15
    assert answer_type_bonus(q, "Antonov left Washington on March 20.") == 0.0
    assert answer_type_bonus("And why?", "He left because talks had stalled.") == 0.15


def test_a_named_period_puts_that_periods_article_before_an_undated_one(embeddings):
    undated = dataclasses.replace(REUTERS, id="u-1", article_id="u", date=None, outlet="CNN",
                                  text=REUTERS.text.replace("Last week the", "The"))
    older = dataclasses.replace(REUTERS, id="o-1", article_id="o", date="2020-05-01", outlet="TASS",
                                text=REUTERS.text.replace("Last week", "In 2021"))  # names the year: no penalty
    q = "What did the Russian foreign ministry say about the proposal in October 2021?"
    vector, chunks = embeddings.embed_query(q), [REUTERS, undated, older]
    period = {i: x for x, i, _ in score_sentences(q, vector, chunks, embeddings, time_intent(q))}
    plain = {i: x for x, i, _ in score_sentences(q, vector, chunks, embeddings, TimeIntent())}
    assert round(plain[2] - period[2], 6) == PERIOD_PENALTY  # the same words, undated: after October 2021's
    assert round(plain[1] - period[1], 6) == 0.0 and round(plain[3] - period[3], 6) == 0.0
    across = "What did the ministry say about the proposal between 2021 and 2022?"  # a range asks across time
    assert {round(x, 6) for x, *_ in score_sentences(across, vector, chunks, embeddings, time_intent(across))} == {
        round(x, 6) for x, *_ in score_sentences(across, vector, chunks, embeddings, TimeIntent())}
    assert not time_intent("What did the ministry say?").holds("2021-10-12")
    assert not time_intent("What happened in 2021?").holds("2021-01-01", "estimate")


def test_latest_favours_the_newest_dated_article_even_beside_an_undated_one(embeddings):
    undated = dataclasses.replace(SPUTNIK, id="u-1", article_id="u", date=None,
                                  text="Russia and the United States discussed the embassies again, a diplomat said on Monday.")
    q = "What is the latest on the embassies of Russia and the United States?"
    vector, chunks = embeddings.embed_query(q), [REUTERS, SPUTNIK, undated]
    latest = {(i, s): x for x, i, s in score_sentences(q, vector, chunks, embeddings, time_intent(q))}
    plain = {(i, s): x for x, i, s in score_sentences(q, vector, chunks, embeddings, TimeIntent())}
    bonus = {key[0]: round(latest[key] - plain[key], 6) for key in latest}
    assert bonus[2] == RECENT_BONUS  # Sputnik, of 28 November 2022, the newest
    assert bonus[3] == 0.0  # undated: no age to weigh
    assert 0 <= bonus[1] < 0.001  # Reuters, of October 2021: thirteen months older, next to nothing


def test_latest_weighs_an_article_by_its_age_against_the_newest(embeddings):
    """A month older, half the lift: last month's story keeps most of it, last year's loses it."""
    month_older = dataclasses.replace(SPUTNIK, id="m-1", article_id="m", date="2022-10-29",
                                      text="Russia and the United States discussed the embassies again, a diplomat said.")
    q = "What is the latest on the embassies of Russia and the United States?"
    vector, chunks = embeddings.embed_query(q), [SPUTNIK, month_older]
    latest = {(i, s): x for x, i, s in score_sentences(q, vector, chunks, embeddings, time_intent(q))}
    plain = {(i, s): x for x, i, s in score_sentences(q, vector, chunks, embeddings, TimeIntent())}
    bonus = {key[0]: round(latest[key] - plain[key], 6) for key in latest}
    assert bonus[1] == RECENT_BONUS and bonus[2] == pytest.approx(RECENT_BONUS / 2, abs=0.001)


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


# --- "which <thing>" questions and the rest of a retrieved article ------------------------------------
STORM = dataclasses.replace(
    REUTERS, id="s-1", article_id="s", title="Flash flood emergency for New Orleans",
    text="The National Weather Service office in New Orleans said the storm's impact could last through Thursday. "
         "Editor's Note: This page is a summary of news on Hurricane Francine for Wednesday, Sept. 11.")


def test_a_storm_question_is_answered_by_the_storm_not_the_city_it_hit():
    from rag.answer_types import classify
    from rag.extractive import item_bonus, lead_items

    q = "What is the name of the storm that battered Louisiana with flash flooding?"
    asked, city, named = classify(q), STORM.text.split(". ")[0] + ".", STORM.text.split(". ", 1)[1]
    assert lead_items(city, asked, q) == []  # "New Orleans" is where, not which storm
    assert item_bonus(city, asked, q) == -0.1
    assert lead_items(named, asked, q) == ["Hurricane Francine"] and item_bonus(named, asked, q) == 0.4
    # a storm the passage's headline names beside the word: "Helene updates: Hurricane may hit Florida"
    q2 = "Which massive storm prompted thousands of evacuations across Florida?"
    head = "Helene updates: Hurricane may hit Florida\n\nFlorida counties order evacuations ahead of Helene."
    assert lead_items("Florida counties order evacuations ahead of Helene.", classify(q2), q2, context=head) == ["Helene"]
    assert lead_items("Florida counties order evacuations ahead of Helene.", classify(q2), q2, context="no title") == []


def test_a_titled_work_is_answered_by_the_title_in_the_articles_own_quotation_marks():
    from rag.answer_types import classify, items
    from rag.extractive import lead_items

    q = "Which show won a record-breaking 18 Emmy awards at this year's ceremony?"
    s = 'My pick for best TV show of the year, "Shogun," finally started getting the awards at the Creative Arts Emmys.'
    assert lead_items(s, classify(q), q) == ['"Shogun"']
    assert lead_items("The 76th annual Primetime Emmys happened Sunday night in Los Angeles.", classify(q), q) == []
    curly = "Jackson is on a media blitz to promote her new memoir, “Lovely One.”"
    qm = "Which memoir did the justice publish?"
    assert items(curly, classify(qm), qm)[0] == "“Lovely One”"


def test_a_thing_named_in_apposition_or_as_a_name_is_the_asked_thing():
    from rag.answer_types import asked_thing_named

    q = "Which social media platform will make teen accounts private?"
    assert asked_thing_named("Instagram, the social media platform, said it would act.", ["Instagram"], q)
    assert not asked_thing_named("Justin Patchin said so in the Instagram post.", ["Justin Patchin"], q)
    qp = "What is the name of the baby penguin that went viral?"
    assert asked_thing_named("The chick has taken the internet by storm - and his name is Pesto.", ["Pesto"], qp)
    # nearness alone is no apposition: "New Orleans said the storm's impact …"
    assert not asked_thing_named("Officials in New Orleans said the storm's impact could last.", ["New Orleans"],
                                 "Which storm hit Louisiana?")


def test_an_item_that_only_repeats_the_question_is_no_answer():
    from rag.answer_types import classify, items

    q = "Football Hall of Famer Brett Favre revealed he has Parkinson's. Which NFL team did he most notably play for?"
    assert items("Pro Football Hall of Famer Brett Favre says he has Parkinson's disease.", classify(q), q) == []
    assert items("Favre became a celebrity while playing for the Green Bay Packers.", classify(q), q) == ["Green Bay Packers"]


def test_the_rest_of_a_retrieved_article_answers_when_its_passage_does_not(embeddings):
    from rag.answer_types import classify
    from rag.extractive import deeper_sentences

    q = "Football Hall of Famer Brett Favre revealed he has Parkinson's. Which NFL team did he most notably play for?"
    passage = "Pro Football Hall of Famer Brett Favre says he has Parkinson's disease, he revealed on Tuesday."
    article = (passage + " The hearing was about a welfare case in the state. Favre became a crossover celebrity "
               "while playing for the Green Bay Packers from 1992 to 2007. He retired in 2011 after years in the game.")
    chunk = dataclasses.replace(REUTERS, id="f-1", article_id="f", text=passage, start=0, end=len(passage))
    texts = {"f": article}.__getitem__
    asked = classify(q)
    deep = deeper_sentences(q, [chunk], texts, asked, {passage})
    assert deep == [(1, "Favre became a crossover celebrity while playing for the Green Bay Packers from 1992 to 2007.")]
    vector = embeddings.embed_query(q)
    narrow = [s for _, _, s in score_sentences(q, vector, [chunk], embeddings, TimeIntent(), texts, asked)]
    wide = {s: x for x, _, s in score_sentences(q, vector, [chunk], embeddings, TimeIntent(), texts, asked, wide=True)}
    assert deep[0][1] not in narrow and deep[0][1] in wide


def test_another_office_is_no_answer_and_a_chief_justice_is_a_justice():
    from rag.answer_types import classify, items

    qj = "Which US Supreme Court justice is under scrutiny over a leaked memo?"
    s = "Special Counsel Jack Smith asked the Supreme Court to step into the battle over Trump's immunity."
    assert items(s, classify(qj), qj) == []  # a special counsel is no justice
    assert items("Chief Justice John Roberts wrote the memo, the paper reported.", classify(qj), qj) == ["John Roberts"]


def test_an_organisation_is_named_in_full_as_the_articles_lead_names_it():
    from rag.answer_types import classify, items
    from rag.extractive import passage_context

    lead = ("The International Brotherhood of Teamsters declined to endorse a candidate on Wednesday. "
            "The union polled its members first.")
    passage = "The international Teamsters union has endorsed the Democratic nominee in every election since 1996."
    chunk = dataclasses.replace(REUTERS, id="t-1", article_id="t", text=passage)
    texts = {"t": lead + " Members were split. " + passage}.__getitem__
    q = "Which labor union declined to endorse a presidential candidate this week?"
    assert items(passage, classify(q), q, context=passage_context(chunk)) == ["Teamsters"]
    assert items(passage, classify(q), q, context=passage_context(chunk, texts)) == ["International Brotherhood of Teamsters"]


def _passage(n: int, title: str, text: str):
    return dataclasses.replace(REUTERS, id=f"p{n}-1", article_id=f"p{n}", title=title, text=text, start=0, end=len(text))


LEBANON = [
    _passage(1, "Hezbollah commander killed amid Israeli airstrikes",
             "The fighting has raised fears that Iran, which has proxies across the region, and armed groups in Iraq "
             "will be drawn into a wider war with Israel."),
    _passage(2, "Pager attack in Lebanon could cost Israel",
             "Lebanon has been attacked by a mass sabotage of electronic devices remotely detonated."),
    _passage(3, "Lebanon on edge after device detonations", "Handheld radios used by Hezbollah detonated across the south."),
    _passage(4, "What we know about the blasts", "Thousands of pagers blew up at once across Lebanon's south, officials said."),
]


def test_the_item_most_retrieved_passages_name_is_the_answer_they_agree_on(embeddings, monkeypatch):
    """One sentence names Iraq in passing; four passages of the story name Lebanon: each further passage
    that names a sentence's leading item adds SUPPORT_WEIGHT, a possessive counts, a longer name does not."""
    import rag.extractive as extractive
    from rag.extractive import support

    q = "Which country was rocked by deadly pager explosions this week?"
    assert support("Lebanon", q, LEBANON) == 3  # titles, text, and "Lebanon's south"
    assert support("Iraq", q, LEBANON) == 1
    vector = embeddings.embed_query(q)
    voted = {s: x for x, _, s in score_sentences(q, vector, LEBANON, embeddings, TimeIntent())}
    monkeypatch.setattr(extractive, "SUPPORT_WEIGHT", 0.0)
    alone = {s: x for x, _, s in score_sentences(q, vector, LEBANON, embeddings, TimeIntent())}
    gain = {s[:16]: round(voted[s] - alone[s], 6) for s in voted}
    assert gain["Lebanon has been"] == 0.2 and gain["Thousands of pag"] == 0.2, gain
    assert gain["The fighting has"] == 0.0  # its leading item, Iraq, is named once


def test_a_longer_name_or_the_questions_own_topic_is_no_vote():
    from rag.extractive import support

    adams = [_passage(n, "NYC Mayor Adams pleads not guilty", f"New York City Mayor Eric Adams appeared in court, day {n}.")
             for n in range(3)]
    q = "Mayor Eric Adams was indicted this week. Which city does he serve?"
    assert support("New York City", q, adams) == 3
    assert support("New York", q, adams) == 0  # every mention runs on into "City"
    hall = [_passage(n, "Favre has Parkinson's", "Pro Football Hall of Fame quarterback Brett Favre spoke.") for n in range(3)]
    assert support("Pro Football Hall of Fame", "Which team did Football Hall of Famer Brett Favre play for?", hall) == 0


def test_a_title_that_ends_in_the_item_and_a_weekday_after_it_are_votes_and_numbers_get_none():
    from rag.extractive import VOTED_KINDS, support

    q = "Which country was rocked by deadly pager explosions this week?"
    ends = [_passage(1, "Pager attack could cost Israel", "Lebanon has been attacked, officials said."),
            _passage(2, "Blasts", "Israel struck southern Lebanon Tuesday, the army said.")]
    assert support("Israel", q, ends) == 2  # the title's last word is not run on into the text's first
    assert support("Lebanon", q, ends) == 2  # "Lebanon Tuesday": a weekday is no part of a name
    assert "number" not in VOTED_KINDS and "date" not in VOTED_KINDS


def test_a_sentence_of_the_opposite_degree_or_a_lower_rank_is_contrary():
    from rag.extractive import contrary_degree

    q = "What is America's most visited national park?"
    assert contrary_degree(q, "America's least visited national park, Gates of the Arctic, had 11,000 visits.")
    assert contrary_degree(q, "The second-most visited national park, Yellowstone, saw 3.8 million visits.")
    assert not contrary_degree(q, "Great Smoky Mountains is the most visited national park in America.")
    assert not contrary_degree(q, "Tickets to the least expensive parks sold out.")  # another word qualified
    assert not contrary_degree("Which park had the least snow?", "The park had the most visitors.")
    assert contrary_degree("Which state had the highest rate of fatalities?", "New Jersey had the lowest rate.")
    assert contrary_degree("Which is the largest state?", "Rhode Island is the smallest state.")  # two opposites
    assert contrary_degree("Which is the biggest state?", "Rhode Island is the smallest state.")
    assert not contrary_degree(q, "Great Smoky Mountains is the most visited park, and Gates of the Arctic the least visited.")


def test_the_opposite_degree_scores_less_than_the_asked_one(embeddings, monkeypatch):
    import rag.extractive as extractive

    q = "What is America's most visited national park?"
    text = ("America's least visited national park, Gates of the Arctic, recorded 11,000 visits. "
            "Great Smoky Mountains is the most visited national park in America, by far.")
    chunk = _passage(1, "National parks by the numbers", text)
    vector = embeddings.embed_query(q)
    scored = {s[:7]: x for x, _, s in score_sentences(q, vector, [chunk], embeddings, TimeIntent())}
    monkeypatch.setattr(extractive, "CONTRARY_PENALTY", 0.0)
    alone = {s[:7]: x for x, _, s in score_sentences(q, vector, [chunk], embeddings, TimeIntent())}
    assert round(alone["America"] - scored["America"], 6) == 0.5  # the least visited park: penalised
    assert alone["Great S"] == scored["Great S"]  # the most visited one: not


def test_a_landform_name_is_a_place_and_no_person():
    from rag.answer_types import classify, items, person_names

    s = "Great Smoky Mountains is the most visited national park in America, by far."
    assert person_names(s) == []
    q = "What is America's most visited national park?"
    assert items(s, classify(q), q) == ["Great Smoky Mountains"]
    assert person_names("Tyreek Hill scored twice.") == ["Tyreek Hill"]  # names that are also words of places
    assert person_names("Michael Bay directed it; Forest Whitaker starred.") == ["Michael Bay", "Forest Whitaker"]


def test_a_sentence_of_the_same_story_that_states_the_asked_item_leads_over_one_that_only_echoes(embeddings):
    """The sentence most like the question repeats its names and names no city; the same article says where
    a little further on: with ``states`` it leads; another article's city does not."""
    from rag.extractive import SAME_STORY_SHARE, _stating_first

    emmys = _passage(1, "The Emmy Awards: what to know",
                     "The Bear and Hacks are among the nominees of the 76th Primetime Emmy Awards, which take place on "
                     "Sunday evening. The Primetime Emmy Awards show will air live from the Peacock Theater in Los Angeles.")
    other = _passage(2, "Concert news", "A concert was held in Chicago on Sunday evening.")
    q = "The 76th Primetime Emmy Awards took place in which city?"
    vector = embeddings.embed_query(q)
    states = lambda i, s: "Los Angeles" in s or "Chicago" in s  # noqa: E731
    plain = pick_sentences(q, vector, [emmys, other], embeddings, TimeIntent())
    assert plain[0][1].startswith("The Bear")
    led = pick_sentences(q, vector, [emmys, other], embeddings, TimeIntent(), states=states)
    assert led[0] == (1, "The Primetime Emmy Awards show will air live from the Peacock Theater in Los Angeles.")
    scored = [(1.0, 1, "echo"), (0.9, 2, "Chicago"), (0.8, 1, "Los Angeles"), (0.5, 1, "Los Angeles too")]
    assert _stating_first(scored, [emmys, other], states)[0] == (0.8, 1, "Los Angeles")  # not the other article's
    far = [(1.0, 1, "echo"), (SAME_STORY_SHARE - 0.01, 1, "Los Angeles")]
    assert _stating_first(far, [emmys, other], states) == far  # too far below the best


def test_a_sentence_that_only_introduces_a_list_is_no_candidate():
    from rag.extractive import candidate_sentences

    text = ("Highlights from the 76th Primetime Emmy Awards:\n\nThe show will air live from the Peacock Theater in "
            "Los Angeles. Here are the best times to travel, according to Inrix: \n\nLeave before 7 a.m. on Thursday morning.")
    chunk = _passage(1, "The Emmys", text)
    assert [s for _, s in candidate_sentences([chunk])] == [
        "The show will air live from the Peacock Theater in Los Angeles.", "Leave before 7 a.m. on Thursday morning."]


def test_what_someone_said_about_a_topic_is_read_in_the_sentence_about_the_topic(embeddings, monkeypatch):
    """"What did the chargé in Moscow say about the level of relations?": the sentence about the level of
    relations (which calls the speaker "our") gains, one that only names the chargé again does not."""
    import rag.extractive as extractive
    from rag.answer_types import said_about

    q = "What did the US charge d'affaires in Moscow say about the level of bilateral relations in November 2022?"
    assert said_about(q) == "the level of bilateral relations in November 2022"
    assert said_about("What did the charge d'affaires say?") is None
    c = dataclasses.replace(SPUTNIK, text=(
        "The charge d'affaires in Moscow hoped that Moscow and Washington would not expel diplomats anymore. "
        "\"Our bilateral relations are a rather low level and our embassies are reduced,\" Rood said."))
    vector = embeddings.embed_query(q)
    scored = {s: x for x, _, s in score_sentences(q, vector, [c], embeddings, TimeIntent())}
    monkeypatch.setattr(extractive, "ABOUT_WEIGHT", 0.0)
    without = {s: x for x, _, s in score_sentences(q, vector, [c], embeddings, TimeIntent())}
    topic = next(s for s in scored if "bilateral" in s)
    other = next(s for s in scored if "hoped" in s)
    assert scored[topic] - without[topic] > 0.2 and scored[other] == without[other]
