"""Answers that answer: the asked item first, in words; no echoes or debris; refusals that read the
question; time; timelines. Real Chroma and index over the sample corpus, a scripted chat model."""

from __future__ import annotations

import pytest

from rag import Assistant
from rag.answer_text import junk_kinds, strip_quotes
from rag.answer_types import classify, items, lemmas, person_names
from tests.helpers.fakes import scripted_llm
from tests.rag.test_assistant import assert_grounded


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Who was appointed Russia's new ambassador to the United States?", "person"),
        ("Which US ambassador to Russia left Moscow for consultations?", "person"),
        ("Where were the consultations held?", "place"),
        ("Which Ukrainian city did the missiles strike?", "place"),
        ("Which newspaper reported the talks?", "organisation"),
        ("When did Antonov leave Washington?", "date"),
        ("In what year was the treaty signed?", "date"),
        ("How many Russian diplomats did a US proposal want to expel?", "number"),
        ("Which Russian cities are mentioned as hosting US missions?", "list"),
        ("Is John Sullivan expected to go back to Moscow?", "yesno"),
        ("Why did Antonov leave Washington?", "why"),
        ("How did the size of the US presence in Russia change between 2021 and 2022?", "change"),
        ("Which arms control treaty did Biden decide to prolong?", "entity"),
        ("and when did he leave?", "date"),
        # the scene first, the question last; or the question word in the middle
        ("A suspect was arrested near the golf course. In which state did the incident occur?", "place"),
        ("The awards took place in which city?", "place"),
        ("For which company did he work?", "organisation"),
        ("What is the name of the asteroid that became a mini-moon?", "entity"),
        ("Which of the original characters did he voice?", "entity"),
        ("What is the country's most visited national park?", "place"),
        ("What is the population of Yekaterinburg?", "number"),
        # named people asked about are described, not named; a "what did X do" question is not a person
        ("Who is Sergei Ryabkov?", "other"),
        ("What did the ambassador say about sanctions?", "other"),
    ],
)
def test_question_kinds(question, kind):
    assert classify(question).kind == kind


@pytest.mark.parametrize(
    "question, sentence, item",
    [
        ("Which US ambassador to Russia left Moscow?",
         "Also about two months ago, US Ambassador to Russia John Sullivan left Moscow for consultations in Washington.",
         "John Sullivan"),
        ("When did Antonov leave Washington?", "Antonov left Washington on March 20, after a remark about Putin.", "March 20"),
        ("How many Russian diplomats did a US proposal want to expel?",
         "A U.S. congressional proposal to expel 300 Russian diplomats would lead to closures.", "300 Russian diplomats"),
        ("Where were the consultations held?", "The consultations were held in Istanbul on February 27.", "Istanbul"),
        ("An attempt targeted the former president. In which state did the incident occur?",
         "An apparent attempt targeting the former president at his Florida golf course was investigated Monday.", "Florida"),
        ("The actor died this week. Which of the original characters did he voice?",
         "The acclaimed actor and voice of Darth Vader dies at 93.", "Darth Vader"),
    ],
)
def test_items_of_the_asked_kind_that_the_question_does_not_give(question, sentence, item):
    assert items(sentence, classify(question), question)[0] == item


def test_items_skip_what_the_question_already_names():
    q = "When did John Sullivan leave Moscow?"
    assert "John Sullivan" not in items("John Sullivan left Moscow on April 22.", classify("Who left Moscow on April 22?"),
                                        "Who is John Sullivan?")
    assert items("John Sullivan left Moscow on April 22.", classify(q), q) == ["April 22"]


def test_person_names_drop_titles_and_places():
    assert person_names("Russia’s Deputy Foreign Minister Sergei Ryabkov said") == ["Sergei Ryabkov"]
    assert "Joe Biden" in person_names("after US President Joe Biden’s remark")


def test_lemmas_join_irregular_forms():
    assert "leave" in lemmas("left") and "hold" in lemmas("held") and "expel" in lemmas("expelled")


# --- through the real assistant -----------------------------------------------------------------
def test_extractive_answer_leads_with_the_asked_item(indexed, llm, assistant):
    llm.script("The articles do not say.")
    a = assistant.ask("When did Antonov leave Washington?")
    assert a.mode == "extractive" and not a.refused
    lead = strip_quotes(a.text)
    assert lead.startswith("March 20, according to TASS, 30 March 2021")
    assert "Antonov left Washington on March 20" in a.citations[0].quote
    assert not junk_kinds(a.text, a.question)
    assert_grounded(a, indexed)


def test_generated_echo_is_not_shown_and_the_item_comes_first(indexed, llm, assistant):
    q = "How many Russian diplomats did a US congressional proposal want to expel?"
    llm.script("A US congressional proposal wanted to expel Russian diplomats [1]. "
               "The proposal would expel 300 Russian diplomats from the United States [1].")
    parts = list(assistant.stream(q))
    a = parts[-1]
    assert a.mode == "generated" and a.text.startswith("The proposal would expel 300 Russian diplomats")
    assert "wanted to expel Russian diplomats" not in a.text  # the echo: every word was the question's
    assert "".join(parts[:-1]) == a.text
    assert_grounded(a, indexed)


def test_generated_answer_without_the_asked_item_gives_way_to_one_that_names_it(llm, assistant):
    q = "Who was appointed Russia's new ambassador to the United States?"
    llm.script("Russia welcomed the appointment of a new ambassador to the United States [1].")
    a = assistant.ask(q)
    assert not a.refused and strip_quotes(a.text).startswith("Alexander Darchiyev")


@pytest.mark.parametrize("debris", ["The answer: The source: Reuters [1].", "Russia, United States, Moscow [1].",
                                    "When was the ambassador appointed [1]?"])
def test_debris_never_reaches_the_reader(llm, assistant, debris):
    llm.script(debris)
    a = assistant.ask("Who was appointed Russia's new ambassador to the United States?")
    assert llm.called
    assert debris.split(" [")[0] not in a.text
    assert not junk_kinds(a.text, a.question)


def test_near_miss_is_refused_when_no_passage_speaks_of_the_relation(indexed, llm):
    calibrated = indexed.model_copy(update={"refusal_min_similarity": 0.34})  # the default; the fixture turns it off
    assistant = Assistant(calibrated, llm=llm.script("Yekaterinburg hosts a US consulate [1]."))
    q = "What is the population of Yekaterinburg?"
    chunks = assistant.retrieve(q)
    assert any("Yekaterinburg" in c.text for c in chunks)
    assert assistant._gate_refuses(q, chunks, 0.40, classify(q))  # no passage speaks of a population
    assert not assistant._gate_refuses(q, chunks, 0.60, classify(q))  # retrieval this sure is not second-guessed
    q2 = "Which Russian cities host US diplomatic missions?"
    assert not assistant._gate_refuses(q2, assistant.retrieve(q2), 0.40, classify(q2))


def test_a_weekday_or_us_spelled_differently_does_not_refuse(llm, assistant):
    llm.script("The articles do not say.")
    a = assistant.ask(
        "How many Russian diplomats did a US congressional proposal want to expel on Tuesday?")
    assert not a.refused and "300" in strip_quotes(a.text)


def test_a_named_period_with_no_article_says_so(indexed, llm, assistant):
    # The opinion piece is dated only "not before 2022": it may be from June 2023, so the answer comes with a note.
    llm.script("The articles do not say.")
    a = assistant.ask("What did Lavrov say about the US embassy in Moscow in June 2023?")
    assert "None of the articles I have is dated June 2023" in a.text and not a.refused
    # No article can be from 2019: refused, saying so, before the LLM is asked.
    never = scripted_llm("Lavrov spoke about the embassy [1].")
    a = Assistant(indexed, llm=never).ask("What did Lavrov say about the US embassy in Moscow in June 2019?")
    assert a.refused and "None of the articles I have is dated June 2019" in a.text and not never.called


def test_latest_says_as_of_and_how_old_the_newest_article_is(llm, assistant):
    llm.script("The articles do not say.")
    a = assistant.ask(
        "What is the latest on how large the US and Russian embassies are?")
    assert not a.refused and "Sputnik, 28 November 2022" in a.text
    assert "The newest article I have is from 28 November 2022" in a.text


@pytest.mark.slow
def test_change_over_time_is_a_dated_timeline_oldest_first(minilm_store):
    indexed = minilm_store
    a = Assistant(indexed, llm=scripted_llm("unused")).ask(
        "How has the sanctions issue in US-Russia relations evolved between 2022 and 2025?")
    assert a.mode == "timeline" and len(a.citations) >= 2
    dates = [c.date for c in a.citations if c.date and c.date_source != "estimate"]
    assert dates == sorted(dates)
    assert strip_quotes(a.text) == a.text  # stated sentences, not quotes
    assert_grounded(a, indexed)


def test_change_over_time_is_a_dated_timeline_with_the_hashing_embedder(indexed, llm, assistant):
    a = assistant.ask("How has the sanctions issue in US-Russia relations evolved between 2022 and 2025?")
    assert a.mode == "timeline" and not a.refused and not llm.called  # answered by rule
    assert len(a.citations) >= 2 and [c.n for c in a.citations] == list(range(1, len(a.citations) + 1))
    dates = [c.date for c in a.citations if c.date and c.date_source != "estimate"]
    assert dates and dates == sorted(dates)
    assert strip_quotes(a.text) == a.text
    # each point: when, who, the article's sentence stated as is, its number; dated before estimated
    assert a.text.startswith("28 November 2022, Sputnik: Russian Ambassador to the United States Anatoly Antonov said")
    assert "[1]. Not before 2022, ‘Russia mending diplomatic relations with United States’: While" in a.text
    assert a.text.endswith(" [2].")
    assert_grounded(a, indexed)


def test_a_false_premise_is_named_and_the_real_event_stated(indexed, llm, assistant):
    llm.script("Because of the embassy row [1].")
    a = assistant.ask(
        "Why did a Russian parliamentary proposal seek to expel 300 US diplomats from Russia?")
    assert not a.refused and a.mode == "premise" and not llm.called  # answered by rule
    said = strip_quotes(a.text)
    assert said.startswith("The articles do not support that premise") and "congressional" in said
    assert "300 Russian diplomats" in a.citations[0].quote
    assert_grounded(a, indexed)


def test_a_true_premise_is_answered_not_denied(llm, assistant):
    llm.script("The articles do not say.")
    a = assistant.ask(
        "Why did a US congressional proposal seek to expel 300 Russian diplomats?")
    assert a.mode != "premise" and "do not support" not in a.text
