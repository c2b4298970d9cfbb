"""Answers that answer: the asked item first, in words; no echoes or debris; refusals that read the
question; time; timelines. Real Chroma and index over the sample corpus, a scripted chat model."""

from __future__ import annotations

import pytest

from rag import Assistant
from rag.answer_text import junk_kinds, strip_quotes
from rag.answer_types import (asked_place_noun, classify, coordinated, items, lemma_set, lemmas, located, named_in_full,
                               person_names)
from rag.extractive import lead_items, verdict
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
        ("On which day of the week did the envoys meet in Geneva?", "date"),
        ("Which month did the embassy reopen?", "date"),
        ("How many Russian diplomats did a US proposal want to expel?", "number"),
        ("Which Russian cities are mentioned as hosting US missions?", "list"),
        ("Is John Sullivan expected to go back to Moscow?", "yesno"),
        ("Why did Antonov leave Washington?", "why"),
        ("How did the size of the US presence in Russia change between 2021 and 2022?", "change"),
        ("Which arms control treaty did Biden decide to prolong?", "entity"),
        ("and when did he leave?", "date"),
        ("In March 2021, had Antonov talked to Putin?", "yesno"),  # a time set before the question
        ("In October 2021, what did Ryabkov say about the missions?", "other"),
        ("In which city did they meet, and when?", "place"),
        # the scene first, the question last; or the question word in the middle
        ("A suspect was arrested near the golf course. In which state did the incident occur?", "place"),
        ("The awards took place in which city?", "place"),
        ("For which company did he work?", "organisation"),
        ("What is the name of the asteroid that became a mini-moon?", "entity"),
        ("Which of the original characters did he voice?", "person"),
        # the nearest kind noun decides, in the plural too; a singular modifier gives way to its head noun
        ("Which Russian cities host US diplomatic missions?", "place"),
        ("Which countries did he visit?", "place"),
        ("Which Supreme Court justice published a memoir?", "person"),
        ("Which US car manufacturer recalled its vans?", "organisation"),
        ("Which host city was picked?", "place"),
        ("Which executive order was signed?", "entity"),  # a person noun that modifies another noun is no person
        ("What activist group protested?", "organisation"),
        ("What was the reason Rood hoped they would stop?", "why"),
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
        # a number in words takes its unit as a digit does, and is never an echo of the question's words
        ("How many informed sources did CNN quote about Biden's plan?",
         "CNN reports quoting three informed sources that Joe Biden intends to address the issue.", "three informed sources"),
        # a time from now that opens a sentence answers when something will happen
        ("When will they have to discuss it again?",
         "In five years, Moscow and Washington will have to discuss this matter again, the source suggested.", "In five years"),
        # a designation keeps its year
        ("What is the name of the near-Earth asteroid that became Earth's new mini-moon?",
         "On September 29, an asteroid dubbed 2024 PT5 will become a mini-moon.", "2024 PT5"),
    ],
)
def test_items_of_the_asked_kind_that_the_question_does_not_give(question, sentence, item):
    assert items(sentence, classify(question), question)[0] == item


@pytest.mark.parametrize(
    "question, sentence, item",
    [
        # a place something is *in* comes before a nearer capitalised word (a time zone), a venue after a city
        ("The Emmy Awards took place in which city?",
         "The Emmys air live at 8 p.m. ET/5 p.m. PT from the Peacock Theater in Los Angeles and stream on Hulu.",
         "Los Angeles"),
        # the place the asked relation puts something in ("held in Istanbul"), not one of another phrase ("to the U.S.")
        ("Where were the consultations held?",
         "Darchiyev was appointed to the post of ambassador to the United States of America during the consultations "
         "between the delegations on issues concerning the functioning of the diplomatic missions held in Istanbul.",
         "Istanbul"),
        # the part of a place the sentence names, though the question names the place
        ("where in moscow was the nemtsov memorial that nationalists ransacked?",
         "Nationalists ransacked a makeshift memorial to Kremlin critic Boris Nemtsov in central Moscow early on Monday.",
         "central Moscow"),
    ],
)
def test_place_items_tied_to_where_the_sentence_puts_something(question, sentence, item):
    assert items(sentence, classify(question), question)[0] == item


@pytest.mark.parametrize(
    "question, sentence, expected",
    [
        # a country asked: a city or a state in the sentence is no answer, the country is
        ("Agents of which country were charged in Chicago?",
         "Prosecutors in Chicago, Illinois said the two men acted on orders from Iran.", ["Iran"]),
        # a state asked: an agency is no answer, nor is a country
        ("Which state will require solar panels on new warehouses?",
         "Officials at CalEnergy said Oregon would follow the United States Navy's lead.", ["Oregon"]),
        # no item of the asked kind at all: nothing to lead with (the sentence then scores lower)
        ("Which state banned the sale of the drug?", "Officials at the FDA said the ban was long overdue.", []),
        # the country the question already names, in another spelling, is no answer
        ("Agents of which country tried to sway the US election?",
         "The U.S. Treasury said agents of Iran had tried to sway voters.", ["Iran"]),
        # a place that qualifies where something is ("at a Texas oil depot") is where it is
        ("In which state did the fire break out?", "The fire broke out at a Texas oil depot, days after a blast in Ohio.",
         ["Texas", "Ohio"]),
        # "the United States" in the question, "U.S." in the sentence: the same country, no answer
        ("Which country did the United States sanction?", "On Monday the U.S. sanctioned Iran.", ["Iran"]),
        # the pronoun "us" names no country
        ("Tell us: which country imposed the tariffs?", "Officials said Canada imposed the tariffs on U.S. steel.",
         ["Canada", "U.S"]),
        # two states joined by "and" are two places
        ("Which state voted first?", "Voters in Georgia and Ohio voted first.", ["Georgia", "Ohio"]),
        # a city asked: an abbreviation and a country go after a place that may be a city
        ("In which city did the festival open?", "The festival opened at 8 p.m. ET in France, in Lyon.", ["Lyon", "France"]),
        # a city asked: a known town before a show's title nearer the asked words
        ("The awards took place in which city?", "Los Angeles hosted the awards, where \"The Bear\" took the top prize.",
         ["Los Angeles", "The Bear"]),
        # a capitalised preposition is no part of the place ("In Lewes")
        ("Which town is the oldest settlement in the state?", "In Lewes, the Ryves Holt House is the oldest house.",
         ["Lewes", "Ryves Holt House"]),
        # a big city, a state or a country may open the sentence; another first word is only capitalised there
        ("Which city hosted the debate?", "Philadelphia hosted the debate, the moderators said.", ["Philadelphia"]),
        ("Which city hosted the debate?", "Tonight hosted a debate, the moderators said.", []),
        # a time zone is no place at all: with nothing else, the sentence has no city to lead with
        ("The awards took place in which city?", "The 76th awards are at 8 p.m. ET/5 p.m. PT on Sunday.", []),
        # the asking clause after a preposition still names the kind ("an agent of which country")
        ("A former New York aide was charged with being an agent of which country?",
         "Prosecutors in New York City said the aide secretly acted for China.", ["China"]),
    ],
)
def test_the_kind_of_place_the_question_asks_for(question, sentence, expected):
    assert items(sentence, classify(question), question)[:len(expected) or None] == expected


def test_a_photo_credit_and_a_word_after_a_colon_are_no_items():
    caption = "Michael Probst/AP A moon gazer takes a selfie as the supermoon sets above Kosice."
    assert items(caption, classify("Who photographed the supermoon?"), "Who photographed the supermoon?") == []
    headline = "McDonald's:Fast-food chain brings back its Boo Buckets for Halloween"
    q = "Which restaurant chain brings back its Halloween buckets?"
    assert "Fast-food" not in items(headline, classify(q), q)


def test_a_sentence_with_only_weak_items_scores_less_and_leads_with_none():
    from rag.extractive import item_bonus, lead_items

    question = "The awards took place in which city?"
    asked = classify(question)
    title_only = "\"The Bear\" and \"Hacks\" were the big winners of the awards."
    with_town = "The awards, won by \"The Bear\", took place in Los Angeles."
    assert item_bonus(title_only, asked, question) == 0.15 and item_bonus(with_town, asked, question) == 0.3
    assert lead_items(title_only, asked, question) == [] and lead_items(with_town, asked, question)[0] == "Los Angeles"
    assert item_bonus("The awards were a success.", asked, question) == -0.1


def test_a_place_that_may_only_be_a_city_is_weak():
    from rag.answer_types import weak_items

    question = "The awards took place in which city?"
    sentence = "\"The Bear\" and \"Hacks\" are among the nominees of the awards, held in Townsend."
    found = items(sentence, classify(question), question)
    assert "Townsend" in found and "The Bear" in found
    assert weak_items(sentence, found, classify(question), question) == {"The Bear", "Hacks"}  # "in Townsend" is where



def test_a_country_is_not_the_company_asked():
    q = "Which company recalled the vans?"
    assert items("The U.S. regulator said Ford recalled the vans.", classify(q), q) == ["Ford"]


@pytest.mark.parametrize(
    "question, sentence, expected",
    [
        # money asked: an amount with a currency, not the nearer quantity
        ("What is the estimated cost of widening the harbour?", "It moves 90,000 tons of sand for $4.2 million.", ["$4.2 million"]),
        ("How much did the airline pay in fines?", "The airline paid 2 million euros over 14 flights.", ["2 million euros"]),
        ("How much did the city pay for the bridge?", "The bridge has 12 lanes.", []),
        # a share asked: a percentage
        ("What percentage of members voted for the strike?", "Of 4,000 members, 81% voted for it.", ["81%"]),
        ("What share of the budget went to schools?", "Of the $4 billion budget, 12% went to schools.", ["12%"]),
        # how many of what: the count of that first
        ("How many sailors were rescued?", "Two ships carried 40 sailors back, 12 of them injured.", ["40 sailors"]),
        ("How many soldiers died in the attack?", "14 soldiers were among the 30 people who died in the attack.",
         ["14 soldiers"]),
    ],
)
def test_the_measure_the_question_asks_for(question, sentence, expected):
    assert items(sentence, classify(question), question)[:len(expected) or None] == expected


@pytest.mark.parametrize("question, noun", [
    ("Missiles struck a hospital in which Ukrainian city?", "city"),
    ("Fires burned in California and which other state?", "state"),
    ("Which country in the Middle East was hit by the blasts?", "country"),
    ("Which town was ranked the wealthiest?", "city"),
    ("He was charged with being an unregistered agent of which country?", "country"),
    ("A plan to sway the election by which country?", "country"),
    ("Where did the debate take place?", None),
    ("Which Russian cities host US consulates?", "city"),  # a plural asks for the same kind
    ("Which counties voted first?", "county"),
])
def test_the_place_noun_of_the_asking_clause(question, noun):
    assert asked_place_noun(question) == noun


def test_a_capital_that_acts_or_a_source_after_according_to_is_no_place_where_something_is():
    from rag.answer_types import weak_items

    q = "In which city are the diplomatic missions?"
    sentence = "Moscow does not rule out the missions being frozen, according to Ryabkov."
    found = items(sentence, classify(q), q)
    assert "Ryabkov" not in found[:1] and weak_items(sentence, found, classify(q), q) >= {"Moscow"}
    country = "Which country warned it would expel diplomats?"  # the one acting answers "which country"
    warned = "Russia warned it would expel diplomats, the ministry said."
    assert weak_items(warned, items(warned, classify(country), country), classify(country), country) == set()
    listed = "In the cities of Moscow, Vladivostok and Yekaterinburg, the missions stay open."
    assert weak_items(listed, items(listed, classify(q), q), classify(q), q) == set()  # towns listed together are towns


def test_which_russian_city_is_not_answered_by_a_town_the_gazetteer_knows_only_elsewhere():
    from rag.answer_types import weak_items

    q = "Which Russian cities host US consulates affected by the ban?"
    sentence = "A spokesman in Washington said the ban affects the consulates in Vladivostok and Yekaterinburg."
    found = items(sentence, classify(q), q)
    assert found[0] == "Vladivostok and Yekaterinburg" and weak_items(sentence, found, classify(q), q) == {"Washington"}
    plain = "Which cities host US consulates affected by the ban?"  # no country asked: Washington may answer
    assert weak_items(sentence, items(sentence, classify(plain), plain), classify(plain), plain) == set()



def test_whose_report_to_read_is_not_the_asked_relation():
    asked = classify("Why will the US not meet Russia halfway, according to Vedomosti's diplomatic source?")
    assert asked.kind == "why" and "source" not in asked.focus_words and "halfway" in asked.focus_words
    # "reported by" or "quoted by" may be the relation itself; only "according to X" up to a comma is dropped
    assert {"quoted", "talks", "failed"} <= set(classify("Who was quoted by Reuters as saying the talks failed?").focus_words)
    assert "missions" in classify("Which cities according to Reuters host the missions?").focus_words
    # so a sentence about something else the source said shares none of the relation
    assert asked.relation_hits(lemma_set("The source thinks there is no point for Russia to accept the invitation.")) == 0


def test_as_well_as_is_not_a_reason():
    q = "Why has the absence of ambassadors made relations harder?"
    assert items("Officials said this, as well as the Biden administration, seeks a stable relationship.", classify(q), q) == []
    q = "Why did the talks collapse?"
    assert items("The talks collapsed, as neither side would give ground.", classify(q), q) == ["as neither side would give ground"]


@pytest.mark.parametrize(
    "question, sentence, expected",
    [
        ("Was there any immediate comment from the US side after the talks on Tuesday?",
         "There was no immediate comment from the U.S. side.", "No"),
        ("Is John Sullivan expected to return to Moscow?", "Sullivan is expected to return to Moscow in the coming weeks.", "Yes"),
        ("Did Biden meet Putin in Geneva?", "Biden did not meet Putin in Geneva.", "No"),
        # a clause that only sets the scene ("since being summoned to Moscow") need not be in the sentence
        ("Had Antonov talked to Putin since being summoned to Moscow?",
         "Peskov said that as of March 29, Antonov had not talked to Putin.", "No"),
        ("Had Antonov talked to Lavrov since being summoned to Moscow?",
         "Peskov said that as of March 29, Antonov had not talked to Putin.", None),
        # but a reason or a time the question hinges on must be there
        ("Was Antonov recalled because of the sanctions against Gazprom?", "Antonov was recalled.", None),
        ("Did Biden meet Putin before the summit in Geneva?", "Biden met Putin in Helsinki.", None),
        # no verdict: another person, a proposal (not a deed), a negated question, too little in common
        ("Did Biden meet Putin in Geneva?", "Biden met Xi in Geneva.", None),
        ("Did the US expel 300 Russian diplomats?", "A U.S. congressional proposal would expel 300 Russian diplomats.", None),
        # a leading "Whether or not …," clause leaves the main clause a statement; "If …," makes it a
        # condition, and a "Whether …" that is the sentence's subject settles nothing
        ("Does Russia still insist on easing sanctions?",
         "Whether or not there is any possibility for this, Russia still insisted first on easing sanctions.", "Yes"),
        ("Does Russia still insist on easing sanctions?",
         "If there is any possibility for this, Russia still insisted first on easing sanctions.", None),
        ("Did Russia expel the U.S. diplomats?", "Whether Russia expelled the U.S. diplomats, however, is not known.", None),
        # … also as one article writes it, without "or not"; but not when a verb follows the comma
        ("Does Russia still insist on easing sanctions?",
         "Whether there is any possibility for this, Russia still insisted first on easing sanctions.", "Yes"),
        ("Did Russia expel the U.S. diplomats?", "Whether Russia expelled the U.S. diplomats is not known.", None),
        # an expectation is settled by what someone says will happen, a deed is not settled by an expectation
        ("Is John Sullivan expected to go back to Moscow?",
         "A State Department spokesman told CNN that Sullivan would “return to Moscow in the coming weeks”.", "Yes"),
        ("Did Antonov return to Washington?", "Antonov is expected to return to Washington.", None),
        ("Didn't Biden meet Putin in Geneva?", "Biden met Putin in Geneva.", None),
        ("Is John Sullivan expected to go back to Moscow?",
         "John Sullivan left Moscow after Russia talked about his return to Washington for consultations.", None),
        # a phrasal verb and its one verb say the same, either way round (but "his return" is a noun)
        ("Will Antonov go back to Washington?", "Antonov will return to Washington in the near future, TASS revealed.", "Yes"),
        ("Did Antonov return to Washington?", "Antonov went back to Washington on Sunday.", "Yes"),
        ("Did Antonov return to Washington?", "Antonov went to Washington on Sunday.", None),
    ],
)
def test_yes_no_verdict_only_where_the_sentence_settles_it(question, sentence, expected):
    assert verdict(question, sentence) == expected


def test_items_skip_what_the_question_already_names():
    q = "When did John Sullivan leave Moscow?"
    assert "John Sullivan" not in items("John Sullivan left Moscow on April 22.", classify("Who left Moscow on April 22?"),
                                        "Who is John Sullivan?")
    assert items("John Sullivan left Moscow on April 22.", classify(q), q) == ["April 22"]


def test_person_names_drop_titles_and_places():
    assert person_names("Russia’s Deputy Foreign Minister Sergei Ryabkov said") == ["Sergei Ryabkov"]
    assert "Joe Biden" in person_names("after US President Joe Biden’s remark")
    # a run that ends in an organisation's word is no person ("Roc Nation", a company)
    assert person_names("Pepsi and Roc Nation said that Anna Kowalska will sing") == ["Anna Kowalska"]


def test_a_person_called_by_the_surname_is_named_as_the_passage_names_them():
    q = "Which Supreme Court justice published a new memoir?"
    title = "Supreme Court Justice Ketanji Brown Jackson speaking out on book."
    s = "Jackson, the high court’s most junior justice, is promoting her new memoir."
    assert items(s, classify(q), q) == []  # a surname alone is no name
    assert items(s, classify(q), q, context=f"{title} {s}") == ["Ketanji Brown Jackson"]
    assert lead_items(s, classify(q), q, context=f"{title} {s}") == ["Ketanji Brown Jackson"]
    # the passage is read sentence by sentence: a name does not run on across a full stop or from the title
    ctx = "Embassy Rows Amidst Diplomatic Stand-Off\n\nRussia and the U.S. failed. Under Secretary Victoria Nuland came."
    assert items("Nuland came, Russia said.", classify(q), q, context=ctx) == ["Victoria Nuland"]
    # a surname the passage gives no one in full, or someone the sentence already names, adds nothing
    assert items("Jackson spoke.", classify(q), q, context="Jackson spoke. Ruth Bader Ginsburg wrote.") == []


def test_names_of_three_words_but_no_place_before_two():
    assert person_names("Supreme Court Justice Ruth Bader Ginsburg wrote") == ["Ruth Bader Ginsburg"]
    assert person_names("Russia’s Sergey Lavrov said") == ["Sergey Lavrov"]
    assert person_names("Special Counsel Jack Smith asked") == ["Jack Smith"]
    lakers = person_names("The Los Angeles Lakers signed Bronny James")
    assert "Bronny James" in lakers and "Los Angeles Lakers" not in lakers  # a city does not start a name


def test_a_sentence_adverb_or_a_direction_starts_no_person():
    s = "Interestingly Russia’s officialdom read the drama between Donald Trump and Ukrainian President Volodymyr Zelenskyy."
    assert person_names(s) == ["Donald Trump", "Volodymyr Zelenskyy"]
    assert person_names("The league said Southern California natives Snoop Dogg and Kendrick Lamar will perform.") == \
        ["Snoop Dogg", "Kendrick Lamar"]


def test_a_city_named_for_its_government_or_a_date_that_is_no_weekday_does_not_lead():
    q = "Which payment network is Russia ready to be cut off from?"
    s = "The veteran specialist is seen by hawks as someone Moscow distrusts."
    assert items(s, classify(q), q) == ["Moscow"] and lead_items(s, classify(q), q) == []
    q = "On which day of the week did the two envoys meet?"
    s = "The envoys met early on Monday, after talks on March 29."
    assert lead_items(s, classify(q), q) == ["on Monday"]
    assert lead_items("The envoys met on March 29.", classify(q), q) == []


def test_two_people_joined_by_and_are_no_company():
    q = "US regulators want to investigate which two companies for selling baby products?"
    s = "In a statement, commissioners Peter Feldman and Douglas Dziak urged a look at Shein and Temu."
    assert items(s, classify(q), q) == ["Shein and Temu"]


def test_the_items_a_sentence_lists_together_lead_together():
    q = "Which regions did the minister say deserve more attention?"
    s = "The minister said attention should go to countries in Asia, Latin America, and Africa, not Europe's capitals."
    found = items(s, classify(q), q)
    assert coordinated(s, found[0], found) == "Asia, Latin America, and Africa"
    q = "Which rapper will headline the half-time show?"  # one asked, several named together: all of them
    s = "The league announced that Dr. Dre, Snoop Dogg and Kendrick Lamar will headline the half-time show."
    found = items(s, classify(q), q)
    assert coordinated(s, found[0], found) == "Snoop Dogg and Kendrick Lamar"
    assert coordinated("Asia matters, said a man from Lyon.", "Asia", ["Asia", "Lyon"]) == "Asia"  # not listed together


def test_a_place_leads_with_the_place_the_sentence_puts_it_in():
    """"Where …?" is answered by the venue and its city or country, when the sentence says "<venue> in <place>"."""
    q = "Where did the foreign minister speak about the grain deal?"
    s = "The foreign minister spoke about the grain deal during his interview at the G7 in Japan."
    found = items(s, classify(q), q)
    assert found[:1] == ["G7"] and located(s, found[0], found) == "G7 in Japan"
    assert located("The minister was at the G7, and later flew to Japan.", "G7", ["G7", "Japan"]) == "G7"  # not in it
    a = "The awards air live from the Peacock Theater in Los Angeles."
    assert located(a, "Peacock Theater", ["Peacock Theater", "Los Angeles"]) == "Peacock Theater in Los Angeles"


def test_which_country_is_answered_by_the_country_of_the_town_the_sentence_names():
    """"In which country …?" when the sentence names only the big town it happened in: the country, with the town."""
    q = "In which country did the delegations hold talks on their embassies in February?"
    s = "The delegations held talks on the work of their embassies in Istanbul on February 27, the ministry said."
    assert items(s, classify(q), q)[:1] == ["Turkey (Istanbul)"]
    q = "In which country did Russian and US officials hold talks in February?"  # Moscow's country is named: no answer
    assert items("The officials held talks in Moscow on February 27.", classify(q), q) == []


def test_a_place_is_named_in_full_with_the_asked_noun_when_another_passage_does():
    q = "What is America's most visited national park?"
    texts = ["Crowds return to parks.", "Great Smoky Mountains National Park saw 14.1 million visits in 2021."]
    assert named_in_full("Great Smoky Mountains", q, texts) == "Great Smoky Mountains National Park"
    assert named_in_full("Great Smoky Mountains", q, texts[:1]) == "Great Smoky Mountains"  # no passage gives it
    # a kind whose names do not carry the noun (a city) is never lengthened
    assert named_in_full("Gatlinburg", "Which city is nearest the park?", ["Gatlinburg City Council met."]) == "Gatlinburg"


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


def test_extractive_answer_leads_with_all_the_items_its_sentence_lists(indexed, llm, assistant):
    llm.script("The articles do not say.")
    a = assistant.ask("Lavrov said Russia should pay more attention to which regions of the world?")
    assert not a.refused
    assert strip_quotes(a.text).startswith("Asia, Latin America, and Africa, according to Sputnik")


def test_extractive_answer_to_a_what_question_states_the_clause_that_answers(indexed, llm, assistant):
    llm.script("The articles do not say.")
    a = assistant.ask("What did Russian nationalists do during Nuland's visit to Moscow?")
    assert a.mode == "extractive" and not a.refused
    lead = strip_quotes(a.text)
    assert "ransacked a makeshift memorial" in lead  # the answer in words, outside the quote
    assert "ransacked" in a.citations[0].quote  # and the verbatim sentence that says it
    assert not junk_kinds(a.text, a.question)
    assert_grounded(a, indexed)


def test_a_word_the_article_quotes_stays_in_the_answer_s_own_words(indexed, llm, assistant):
    """The CNN sentence says Putin was called a “murderer”: the answer's reason keeps the word with
    single quotes, so “…” in the answer still marks only the verbatim passage."""
    llm.script("The articles do not say.")
    a = assistant.ask("Why was Russia's ambassador Anatoly Antonov recalled from Washington, according to CNN?")
    assert a.mode == "extractive" and not a.refused
    lead = strip_quotes(a.text)
    assert "‘murderer" in lead and "“murderer" not in lead
    assert_grounded(a, indexed)


def test_a_true_sentence_about_something_else_does_not_open_the_answer(indexed, llm, assistant):
    """Grounded but not an answer: the model writes a verified sentence about another event the
    passages report; it is not shown first, and with nothing on the asked relation the extractive
    answer states the clause that answers."""
    llm.script("The Russian foreign ministry said a U.S. congressional proposal to expel 300 Russian diplomats "
               "from the United States would lead to the closure of U.S. diplomatic facilities in Russia [1].")
    a = assistant.ask("What did Russian nationalists do during Nuland's visit to Moscow?")
    assert not strip_quotes(a.text).startswith("The Russian foreign ministry said")
    assert a.mode == "extractive" and "ransacked a makeshift memorial" in strip_quotes(a.text)
    assert_grounded(a, indexed)


def test_a_generated_sentence_on_the_asked_relation_is_kept(indexed, llm, assistant):
    llm.script("Nuland's visit to Moscow angered some Russian nationalists who ransacked a makeshift memorial "
               "to slain Kremlin critic Boris Nemtsov [1].")
    a = assistant.ask("What did Russian nationalists do during Nuland's visit to Moscow?")
    assert a.mode == "generated" and "ransacked a makeshift memorial" in a.text
    assert_grounded(a, indexed)


def test_a_model_that_repeats_itself_is_stopped_reading(indexed, llm, assistant):
    """At temperature 0 a repeated sentence means a loop to the token limit: the stream is closed at the
    first repeat (fewer pieces read than the reply has), and the sentence is shown once."""
    from langchain_core.callbacks import BaseCallbackHandler

    class Pieces(BaseCallbackHandler):
        n = 0

        def on_llm_new_token(self, token, **kwargs):
            self.n += 1

    sentence = ("Nuland's visit to Moscow angered some Russian nationalists who ransacked a makeshift memorial "
                "to slain Kremlin critic Boris Nemtsov [1]. ")
    llm.script(sentence * 8)
    counter = Pieces()
    a = assistant.ask("What did Russian nationalists do during Nuland's visit to Moscow?", callbacks=[counter])
    assert a.mode == "generated" and a.text.count("ransacked a makeshift memorial") == 1
    assert 0 < counter.n < 3 * len(sentence)


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
    # the lead names him, with the asked office the sentence gives him ("Ambassador Alexander Darchiyev")
    assert not a.refused and strip_quotes(a.text).startswith(("Alexander Darchiyev", "Ambassador Alexander Darchiyev"))


def test_the_lead_gives_the_asked_office_when_the_sentence_gives_it():
    from rag.answer_types import titled

    q = "Which Supreme Court justice published a new memoir this week?"
    s = "Jackson, the high court’s most junior justice, is on a media blitz to promote her new memoir."
    assert titled("Ketanji Brown Jackson", s, q) == "Justice Ketanji Brown Jackson"
    assert titled("Ketanji Brown Jackson", "Jackson is on a media blitz to promote her memoir.", q) == "Ketanji Brown Jackson"
    qa = "Who is the US ambassador to Russia?"
    assert titled("John Sullivan", "US Ambassador to Russia John Sullivan left Moscow.", qa) == "Ambassador John Sullivan"
    assert titled("Anatoly Antonov", "Russia’s ambassador to the United States, Anatoly Antonov, was recalled.", qa) \
        == "Anatoly Antonov"  # the other side's ambassador is not given the asked office


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
    # The opinion piece is dated only "not before 2022": it may be from June 2023, so the answer comes from it
    # alone (not from an article dated November 2022), with a note.
    llm.script("The articles do not say.")
    a = assistant.ask("What did Lavrov say about western companies in June 2023?")
    assert "None of the articles I have is dated June 2023" in a.text and not a.refused
    assert {c.date for c in a.citations} == {"2022-01-01"}  # the estimate's "not before 2022"
    # ... but it says nothing of the US embassy: nothing that may be from June 2023 does, so refused
    a = assistant.ask("What did Lavrov say about the US embassy in Moscow in June 2023?")
    assert a.refused and "None of the articles I have is dated June 2023" in a.text
    # No article can be from 2019: refused, saying so, before the LLM is asked.
    never = scripted_llm("Lavrov spoke about the embassy [1].")
    a = Assistant(indexed, llm=never).ask("What did Lavrov say about the US embassy in Moscow in June 2019?")
    assert a.refused and "None of the articles I have is dated June 2019" in a.text and not never.called


def test_latest_says_as_of_and_how_old_the_newest_article_is(indexed, llm, assistant):
    llm.script("The articles do not say.")
    a = assistant.ask(
        "What is the latest on how large the US and Russian embassies are?")
    assert not a.refused and "The newest article I have is from 28 November 2022" in a.text
    # "As of" only leads with the newest article's sentence, stated; an older one keeps its own date
    first = a.citations[0]
    if first.date == "2022-11-28":
        assert a.text.startswith("As of 28 November 2022, Sputnik: ") and first.quote[:40] in strip_quotes(a.text)
    else:
        assert not a.text.startswith("As of") and f"{first.date_label}" in a.text
    assert not junk_kinds(a.text, a.question)
    assert_grounded(a, indexed)


def test_latest_states_the_newest_articles_sentence_as_of_its_date(indexed):
    a = Assistant(indexed, llm=scripted_llm("The articles do not say.")).ask(
        "What is the latest Lavrov has said about Russia's diplomatic presence in Western countries?")
    assert a.text.startswith("As of 28 November 2022, Sputnik: ")
    assert "no reason to maintain its current diplomatic presence" in strip_quotes(a.text)
    assert not junk_kinds(a.text, a.question)
    assert_grounded(a, indexed)


def test_a_yes_no_question_gets_its_verdict_and_the_sentence_that_settles_it(indexed):
    a = Assistant(indexed, llm=scripted_llm("The articles do not say.")).ask(
        "Was there any immediate comment from the US side after the talks?")
    assert a.mode == "extractive" and a.text.startswith("No — Reuters, 12 October 2021: There was no immediate comment")
    assert not junk_kinds(a.text, a.question)
    assert_grounded(a, indexed)


def test_a_yes_no_question_is_settled_by_the_sentence_that_settles_it_not_the_one_most_like_it(indexed):
    """"his return to Washington" is most like "go back to Moscow" and settles nothing; a few lines on, the
    same story says Sullivan would "return to Moscow in the coming weeks": that one answers, in words."""
    a = Assistant(indexed, llm=scripted_llm("The articles do not say.")).ask("Is John Sullivan expected to go back to Moscow?")
    assert a.mode == "extractive" and a.text.startswith("Yes — CNN")
    assert "in the coming weeks" in strip_quotes(a.text)
    assert not junk_kinds(a.text, a.question)
    assert_grounded(a, indexed)


def test_a_yes_no_question_is_not_settled_by_a_sentence_that_shares_only_its_subject(indexed):
    """"… will not meet Russia halfway …, a Russian diplomatic source told Vedomosti" shares "the Vedomosti
    source" and has a "not", but says nothing of accepting: it must not be moved first as the one that settles
    "Did the Vedomosti source think Russia should accept?" ("No" would be the wrong reason)."""
    from rag.assistant import Turn, _states_the_asked
    from rag.models import RetrievedChunk
    from rag.retrieval import time_intent

    q = "Did the Vedomosti source think Russia should accept?"
    subject_only = "It is obvious that the US will not meet Russia halfway, a Russian diplomatic source told Vedomosti."
    settles = "The Vedomosti source thinks that there is no point for Russia to accept this invitation."
    assert verdict(q, subject_only) == "No"  # the verdict alone would take it
    chunk = RetrievedChunk(id="c", article_id="a", text=f"{subject_only} {settles}", title="T", outlet="TASS",
                           date="2021-03-30", url=None, path="p", start=0, end=0)
    turn = Turn(q, q, [], [chunk], 0.5, classify(q), time_intent(q), None, lambda _: "")
    assert not _states_the_asked(turn, 1, subject_only)
    assert _states_the_asked(turn, 1, settles)
    a = Assistant(indexed, llm=scripted_llm("The articles do not say.")).ask(q)
    assert "will not meet Russia halfway" not in a.text.split("[1]")[0]


def test_a_why_question_is_answered_by_the_next_sentence_when_the_best_one_only_states_the_event(indexed):
    """"Nuland's visit … angered some Russian nationalists who ransacked a memorial …" states the event; the
    article's next sentence says why ("… someone who has stirred up anti-Russian sentiment …"): it leads, and
    both are quoted together, as they stand in the article."""
    from rag.extractive import reason_after
    from rag.models import RetrievedChunk

    text = ("Talks ended. Officials of both sides left the city hall early that evening. The mayor's visit angered some farmers who blocked a road on Monday. The veteran negotiator is "
            "seen by farm unions as someone who cut subsidies in two provinces.\n\nThe next paragraph begins here.")
    c = RetrievedChunk(id="c", article_id="a", text=text, title="T", outlet="Reuters", date="2021-10-12", url=None,
                       path="p", start=0, end=0)
    event = "The mayor's visit angered some farmers who blocked a road on Monday."
    follow, both = reason_after(event, c)
    assert follow.startswith("The veteran negotiator") and both.startswith(event) and both in text
    last = "The veteran negotiator is seen by farm unions as someone who cut subsidies in two provinces."
    assert reason_after(last, c) is None  # the paragraph ends there
    assert reason_after("Talks ended.", c) is None  # the next sentence does not go on about its subject

    a = Assistant(indexed, llm=scripted_llm("The articles do not say.")).ask(
        "Why did Victoria Nuland's visit to Moscow anger some Russian nationalists?")
    assert "anti-Russian sentiment" in strip_quotes(a.text).split("[1]")[0]
    assert a.citations[0].quote.startswith("Nuland's visit") and "anti-Russian sentiment" in a.citations[0].quote
    assert not junk_kinds(a.text, a.question)
    assert_grounded(a, indexed)


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


def test_change_over_time_is_a_dated_timeline_with_the_hashing_embedder(indexed, llm):
    # the similarity floor is calibrated for MiniLM; the hashing embedder's scores are not comparable to it
    assistant = Assistant(indexed.model_copy(update={"refusal_min_similarity": 0.0}), llm=llm)
    a = assistant.ask("How has the sanctions issue in US-Russia relations evolved between 2022 and 2025?")
    assert a.mode == "timeline" and not a.refused and not llm.called  # answered by rule
    assert len(a.citations) >= 2 and [c.n for c in a.citations] == list(range(1, len(a.citations) + 1))
    # oldest first: exact dates in order, then estimated ("not before"), then undated
    order = [(0, c.date) if c.date and c.date_source != "estimate" else (1, c.date) if c.date else (2, "") for c in a.citations]
    assert order == sorted(order)
    assert strip_quotes(a.text) == a.text
    # each point: when, who, the article's sentence stated as is, its number
    for c in a.citations:
        when = c.date_label if c.date else "undated"
        who = c.outlet or f"‘{c.title}’"
        assert f"{when[0].upper() + when[1:]}, {who}: {c.quote.rstrip('.')}" in a.text
        assert f"[{c.n}]." in a.text
    assert a.text.endswith(f" [{len(a.citations)}].")
    assert_grounded(a, indexed)


def test_a_false_premise_is_named_and_the_real_event_stated(indexed, llm, assistant):
    llm.script("Because of the embassy row [1].")
    a = assistant.ask(
        "Why did a Russian parliamentary proposal seek to expel 300 US diplomats from Russia?")
    assert not a.refused and a.mode == "premise" and not llm.called  # answered by rule
    said = strip_quotes(a.text)
    assert said.startswith("The articles do not support that premise") and "congressional" in said
    assert "What they report instead — Reuters, 12 October 2021:" in said and "300 Russian diplomats" in said  # stated, not only quoted
    assert "300 Russian diplomats" in a.citations[0].quote
    assert_grounded(a, indexed)


def test_a_true_premise_is_answered_not_denied(llm, assistant):
    llm.script("The articles do not say.")
    a = assistant.ask(
        "Why did a US congressional proposal seek to expel 300 Russian diplomats?")
    assert a.mode != "premise" and "do not support" not in a.text


@pytest.mark.parametrize("question, reported", [
    # the roles turned around: the articles say Russian negotiators asked the United States
    ("When did the US ask Russia to restore direct flights between the two countries?",
     "Russian negotiators have asked the United States"),
    # a person cast in the other side's office: CNN names "US Ambassador to Russia John Sullivan"
    ("When did the Russian ambassador to the US, John Sullivan, leave Moscow?", "US Ambassador to Russia John Sullivan"),
])
def test_a_false_premise_about_who_is_named_with_what_is_reported(indexed, llm, assistant, question, reported):
    llm.script("Last week [1].")
    a = assistant.ask(question)
    assert a.mode == "premise" and not llm.called
    assert strip_quotes(a.text).startswith("The articles do not support that premise")
    assert reported in a.citations[0].quote
    assert_grounded(a, indexed)


def test_an_office_as_the_articles_give_it_is_no_false_premise(llm, assistant):
    """Nor one a sentence gives with a country fewer."""
    from rag.premise import miscast

    llm.script("The articles do not say.")
    assert assistant.ask("When did the US ambassador to Russia, John Sullivan, leave Moscow?").mode != "premise"
    assert miscast("When did the US ambassador to Russia, John Sullivan, leave Moscow?",
                   [(1, "John Sullivan, the ambassador to Russia, left Moscow in April.")]) is None


@pytest.mark.slow
def test_a_journey_the_other_way_is_a_false_premise(minilm_store):
    """Nuland went to Moscow for the talks with Ryabkov; the question sends Ryabkov to Washington. The
    report of her visit is paragraphs away from the passage about the talks: it is read in the whole article."""
    indexed, llm = minilm_store, scripted_llm("To discuss the embassies [1].")
    a = Assistant(indexed, llm=llm).ask("When did Ryabkov fly to Washington to meet Victoria Nuland?")
    assert a.mode == "premise" and not llm.called
    assert strip_quotes(a.text).startswith("The articles do not support that premise")
    assert "Nuland's visit to Moscow" in a.citations[0].quote
    assert_grounded(a, indexed)


def test_the_journey_the_articles_report_is_no_false_premise(llm, assistant):
    llm.script("The articles do not say.")
    assert assistant.ask("Why did Victoria Nuland visit Moscow in October 2021?").mode != "premise"


def test_who_went_where():
    from rag.premise import _journeys, misdirected

    assert _journeys("Nuland's visit to Moscow this week angered nationalists.") == [("nuland", "russia")]
    assert _journeys("Blinken flew to Geneva on Thursday for the talks.") == [("blinken", "geneva")]
    assert _journeys("Blinken flew to the talks on Thursday.") == []  # no place
    talks = [(1, "Blinken and Lavrov met for talks on Friday, both sides said."),
             (2, "Lavrov's trip to Geneva was his first since March.")]
    assert misdirected("Why did Blinken travel to Moscow to meet Sergey Lavrov?", talks) == talks[1]
    assert misdirected("Why did Lavrov travel to Geneva to meet Antony Blinken?", talks) is None  # as reported
    assert misdirected("Why did Blinken go to Geneva?", talks + [(3, "Blinken, in Geneva, said little.")]) is None
    assert misdirected("Why did Blinken criticise Moscow?", talks) is None  # no journey asked


def test_a_label_given_the_other_way_round_is_a_false_premise():
    """The question has Lavrov call Blinken a liar; the article has Blinken call Lavrov one."""
    from rag.premise import contradicted, mislabelled

    said = [(1, "Asked whether he considered Lavrov to be a “liar,” Blinken said he did."),
            (2, "Blinken and Lavrov met in Geneva on Friday.")]
    assert mislabelled("Why did Lavrov call Blinken a liar?", said) == said[0]
    assert contradicted("Why did Lavrov call Blinken a liar?", said) == said[0]
    assert mislabelled("Why did Blinken call Lavrov a liar?", said) is None  # as reported
    assert mislabelled("Why did Lavrov call Blinken a liar?", said + [(3, "Lavrov called Blinken a liar in turn.")]) is None
    assert mislabelled("Why did Lavrov meet Blinken?", said) is None  # no label asked
    assert mislabelled("Why did Sergey Lavrov call Antony Blinken a liar?", said) == said[0]  # full names, by surname
    assert mislabelled("Why did Lavrov call Blinken a liar?", said + [(3, "Lavrov called Antony Blinken a liar.")]) is None
    recalled = said[:1] + [(2, "Lavrov recalled Blinken a liar of old times.")]  # "recalled" calls no one
    assert mislabelled("Why did Lavrov call Blinken a liar?", recalled) == said[0]


def test_a_paraphrased_true_premise_is_not_denied(llm, assistant):
    """"called back" is the article's "was recalled": the premise holds, although "Putin called his
    counterpart" follows in the same sentence (a name before a verb is not an attribution)."""
    llm.script("The articles do not say.")
    a = assistant.ask("Why was Anatoly Antonov called back from Washington?")
    assert a.mode != "premise" and "do not support" not in a.text


def test_a_stated_sentence_drops_an_unclosed_opening_quotation_mark():
    from rag.extractive import stated
    from rag.models import RetrievedChunk

    c = RetrievedChunk(id="c", article_id="a", text="", title="T", outlet="Sputnik", date="2022-11-28", url=None, path="p",
                       start=0, end=0)
    assert stated("As of 28 November 2022,", c, '"Embassies are reduced.', 1, dated=False) == \
        "As of 28 November 2022, Sputnik: Embassies are reduced [1]."
    # the words it quotes keep single marks: double ones would mark them as the article's verbatim words
    assert stated("No —", c, "“Reduced” embassies remain.", 1) == "No — Sputnik, 28 November 2022: ‘Reduced’ embassies remain [1]."


def test_a_stated_sentence_whose_we_stands_inside_its_own_quotation_is_stated_in_words():
    """"… would “return to Moscow in the coming weeks” and … to reduce “the risk between our countries" quotes
    the "our": stated as is (inner marks single), its facts are the answer's words, not a quote of a quote.
    A sentence that ends a quotation it did not open ("… our embassies,” he said) still speaks as "we"."""
    from rag.extractive import stated
    from rag.models import RetrievedChunk

    c = RetrievedChunk(id="c", article_id="a", text="", title="T", outlet="CNN", date=None, url=None, path="p",
                       start=0, end=0)
    sentence = "A spokesman said Sullivan would “return to Moscow in the coming weeks” and to reduce “the risk between our countries."
    out = stated("Yes —", c, sentence, 1)
    assert "in the coming weeks" in strip_quotes(out) and "‘return to Moscow" in out
    assert "our countries" in strip_quotes(out)  # the marks that quote it are single, its own
    inside = stated("Yes —", c, "The embassies are reduced from our normal size,” the envoy said.", 1)
    assert "our normal size" not in strip_quotes(inside)


def test_a_stated_sentence_keeps_someones_own_we_in_quotation_marks_and_its_stop_after_the_marker():
    """A quoted speaker's "we" stated without marks would read as the outlet's words; and a stop inside a
    closing quotation mark moves after the marker, so no "[1]." fragment is left as a sentence of its own."""
    from rag.extractive import stated
    from rag.models import RetrievedChunk

    c = RetrievedChunk(id="c", article_id="a", text="", title="T", outlet="Sputnik", date="2022-11-28", url=None, path="p",
                       start=0, end=0)
    sentence = 'But we do have channels of talking at the working level," the envoy said, noting that "the embassy stays open."'
    out = stated("As of 28 November 2022,", c, sentence, 1, dated=False)
    assert out.startswith("As of 28 November 2022, Sputnik: “But we do have channels")
    assert out.endswith('the embassy stays open"” [1].')
    assert "we do have" not in strip_quotes(out)  # the speaker's words stay a quote
    assert junk_kinds(out, "Is the embassy still open?") == []
    plain = stated("Yes —", c, 'The embassy stays open, the envoy said, calling it "a lifeline."', 1)
    assert plain == 'Yes — Sputnik, 28 November 2022: The embassy stays open, the envoy said, calling it "a lifeline" [1].'


@pytest.mark.parametrize("question, speaker", [
    ("What did Xi Jinping say at the virtual Climate Summit?", "Xi Jinping"),
    ("What did Peskov say could make the path quick?", "Peskov"),
    ("What did Rood, the chargé d'affaires, say about the embassy?", "Rood"),
    ("What did the French foreign minister say about the row?", None),  # no name: retrieval and the name check judge
    ("What did Russia say about it?", None),  # a country "says" through its ministry or capital
    ("Who said the talks had failed?", None),
])
def test_the_person_a_what_did_x_say_question_asks_about(question, speaker):
    from rag.answer_types import asked_speaker
    assert asked_speaker(question) == speaker


def test_being_named_is_not_being_reported_saying_something():
    from rag.answer_types import reports_speaker
    assert not reports_speaker("The White House confirmed that Biden had invited Chinese President Xi Jinping to "
                               "participate in the virtual Climate Summit.", "Xi Jinping")
    assert reports_speaker("According to Peskov, the path could be quick.", "Peskov")
    assert reports_speaker("Ryabkov, the deputy foreign minister, told reporters the talks were hard.", "Ryabkov")
    assert reports_speaker('"We cannot say that," Ryabkov commented after the talks.', "Ryabkov")


def test_what_did_x_say_is_refused_when_the_passages_only_name_x(indexed, llm, assistant):
    """A near miss: Xi Jinping is named (invited to the summit) but never reported saying anything."""
    a = assistant.ask("What did Xi Jinping say at the virtual Climate Summit?")
    assert a.refused and not llm.called
    said = assistant.ask("What did Peskov say about Antonov's talks with Putin?")
    assert not said.refused, said.text  # Peskov is reported saying something: the gate lets it through


def test_the_date_asked_is_the_one_of_the_main_clause_not_of_a_relative_clause():
    from rag.answer_types import classify, items

    sentence = ("On May 3, the ministry announced that Russia had invited the envoys to the Geneva talks, which are "
                "set for June 10-11.")
    q1 = "When are the Geneva talks that Russia invited the envoys to?"
    q2 = "On what date did the ministry announce that Russia had invited the envoys?"
    assert items(sentence, classify(q1), q1)[0] == "June 10"
    assert items(sentence, classify(q2), q2)[0] == "May 3"


def test_an_outlet_answers_when_it_did_what_is_asked_and_a_city_is_no_company():
    question = "Which news agency revealed that Antonov would return to Washington?"
    sentence = "Antonov, who was summoned to Moscow, will return to Washington in the near future, TASS revealed earlier."
    assert items(sentence, classify(question), question, frozenset({"tass"}))[0] == "TASS"
    # the outlet that only publishes the passage is still no item
    question = "Which agency said the talks failed?"
    assert items("USA TODAY explains that Moscow and the FBI said the talks failed.", classify(question), question,
                 frozenset({"usa today"})) == ["FBI", "Moscow"]


def test_an_outlet_that_did_what_is_asked_leads_once(indexed, llm, assistant):
    llm.script("The articles do not say.")
    a = assistant.ask("Which news agency revealed that Antonov would return to Washington in the near future?")
    assert a.text.startswith("TASS, 30 March 2021: “") and "according to TASS" not in a.text


def test_which_outlet_an_article_is_from_is_its_metadata(indexed, llm, assistant):
    llm.script("The articles do not say.")
    a = assistant.ask("Which news agency is credited as the source of the article about the unresolved embassy rows?")
    assert a.text.startswith("Reuters, in ‘Russia vs U.S: Embassy Rows Unresolved") and a.citations[0].outlet == "Reuters"
    assert not llm.called  # answered from the article's metadata, not generated
    # an agency asked about an event is not an outlet question
    from rag.extractive import outlet_asked

    for event in ("Which news agency said Russia expelled the diplomats?", "Which agency issued the report on the embassy row?",
                  "Which network aired the interview with Ryabkov?"):
        assert outlet_asked(event, assistant.retrieve(event), classify(event)) is None


def test_a_day_named_says_when_before_this_week():
    sentence = ("The visit this week angered nationalists who ransacked a memorial to Boris Nemtsov in central Moscow "
                "early on Monday.")
    question = "When was the Nemtsov memorial ransacked?"
    assert items(sentence, classify(question), question) == ["on Monday", "this week"]


def test_when_an_outlet_published_is_its_articles_date_not_a_date_in_its_text(corpus, llm, assistant):
    llm.script("March 20 [1].")
    a = assistant.ask("When did Reuters publish its report on the embassy talks in Moscow?")
    assert a.text.startswith("Reuters published it on 12 October 2021 [1].") and not llm.called
    assert a.citations[0].outlet == "Reuters" and a.citations[0].quote in (corpus / "003_7218430c0bada338.txt").read_text()
    undated = assistant.ask("When did CNN publish its report on the ambassadors?")
    assert undated.text.startswith("CNN's article carries no date") and undated.citations[0].outlet == "CNN"


def test_a_date_question_naming_no_outlet_is_not_answered_with_an_articles_date(indexed, llm, assistant):
    llm.script("The articles do not say.")
    a = assistant.ask("When was the New START treaty extension reported to be decided?")
    assert "published it on" not in a.text


def test_a_team_or_place_before_an_office_is_not_the_person_and_the_office_holder_not_the_place():
    from rag.answer_types import _caps_runs

    s = "Police pulled Miami Dolphins wide receiver Tyreek Hill from his car, Dallas Mayor Eric Johnson said."
    assert person_names(s) == ["Tyreek Hill", "Eric Johnson"]
    assert person_names("Sergei Ryabkov and Victoria Nuland met in Geneva.") == ["Sergei Ryabkov", "Victoria Nuland"]
    assert "Dallas" in _caps_runs(s) and not any("Johnson" in r for r in _caps_runs(s))
    q = "Which city does the mayor serve?"
    assert items(s, classify(q), q)[0] == "Dallas"


def test_the_outlet_of_the_passage_is_never_the_item():
    q = "Which agency cut interest rates?"
    s = "USA TODAY explains how the Federal Trade Commission cut interest rates on Wednesday."
    assert items(s, classify(q), q, frozenset({"usa today"}))[0] == "Federal Trade Commission"
    assert "USA TODAY" in items(s, classify(q), q)


def test_a_dateline_is_not_part_of_the_sentence():
    from rag.extractive import strip_dateline

    assert strip_dateline("PANAMA CITY, Fla. — Firefighters battled two wildfires on Sunday.") == "Firefighters battled two wildfires on Sunday."
    assert strip_dateline("MOSCOW, Oct 12 (Reuters) - Talks failed.") == "Talks failed."
    assert strip_dateline("US - Russia talks failed on Tuesday.") == "US - Russia talks failed on Tuesday."


def test_a_report_named_as_a_source_does_not_make_a_publication_question():
    from rag.extractive import published_by
    from rag.models import RetrievedChunk

    cnn = RetrievedChunk(id="c-1", article_id="c", text="Antonov left.", title="T", outlet="CNN", date=None, url=None,
                         path="c.txt", start=0, end=10)
    for q in ("How long ago was the envoy recalled, according to the CNN report?",
              "When did the envoy leave, according to the CNN report?"):
        assert published_by(q, [cnn], classify(q)) is None, q
    for q in ("When was the CNN report published?", "On what date did CNN report that the envoy left?"):
        assert published_by(q, [cnn], classify(q)) is cnn, q


def test_a_country_the_passages_name_only_through_its_states_is_not_missing(tmp_path, llm):
    """"Which US state …?" over an American paper that names states but never writes "U.S.": answered.
    A country named nowhere, not even through a state, still refuses; a person named like a state
    ("Victoria Nuland") names no country."""
    from index import Indexer
    from rag import Assistant
    from tests.conftest import make_settings

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "vote.txt").write_text(
        "Early voting begins\n\nLocal election offices in Minnesota opened their doors Friday for in-person early "
        "voting, the first state in the nation to do so. Pennsylvania, a key battleground state, follows next week.\n")
    (articles / "talks.txt").write_text(
        "Talks in Moscow\n\nVictoria Nuland held talks with Sergei Ryabkov in Moscow on the work of the embassies.\n")
    settings = make_settings(tmp_path / "store", condense_with_llm=False, refusal_min_similarity=0.0)
    Indexer(settings).run([str(articles)])
    assistant = Assistant(settings, llm=llm)
    llm.script("Minnesota was the first state to open in-person early voting [1].")
    answer = assistant.ask("Which US state was the first to open in-person early voting?")
    assert not answer.refused and "Minnesota" in strip_quotes(answer.text)
    assert assistant.ask("Who is Australia's ambassador to Russia?").refused
    llm.script("Minnesota was the first state to open in-person early voting [1].")
    assert not assistant.ask("Which state was the first to open early voting for K-12 teachers?").refused  # "K" is no name


def test_a_follow_ups_context_words_do_not_make_a_sentence_about_them_an_answer(llm, assistant):
    """The rewrite appends the conversation's names and topics for retrieval ("… (Russia, diplomat,
    Russia's ambassador)"); a true sentence about ambassadors does not answer "What was his job
    before that?", so the answer states the job instead."""
    history = [("Which diplomat did the US agree to accept as Russia's ambassador in Washington?", "Alexander Darchiyev [1].")]
    llm.script("The two countries will again exchange ambassadors in their capitals [1].")
    answer = assistant.ask("What was his job before that?", history=history)
    assert "North Atlantic" in strip_quotes(answer.text)
    assert not strip_quotes(answer.text).startswith("The two countries")


def test_the_asked_part_of_a_rewritten_follow_up():
    from rag.condense import asked_part

    assert asked_part("What was Alexander Darchiyev's job before that? (Russia, diplomat)") == \
        "What was Alexander Darchiyev's job before that?"
    assert asked_part("What did the ministry (in Moscow) say?") == "What did the ministry (in Moscow) say?"


# --- when the LLM writes (NEWSBOT_LLM_ANSWERS) -------------------------------------------------------
def test_unsure_answers_from_the_sentence_that_states_the_item_without_the_llm(indexed, llm):
    unsure = Assistant(indexed.model_copy(update={"llm_answers": "unsure"}), llm=llm)
    a = unsure.ask("When did Antonov leave Washington?")  # nothing scripted: the model must not be asked
    assert a.mode == "extractive" and strip_quotes(a.text).startswith("March 20") and not llm.called
    # a named thing whose name says it is the asked thing ("which treaty": "… Treaty") is answered by the sentence
    other = scripted_llm("Biden decided to prolong the New Strategic Arms Reduction Treaty [1].")
    a = Assistant(indexed.model_copy(update={"llm_answers": "unsure"}), llm=other).ask(
        "Which arms control treaty did Biden decide to prolong?")
    assert not other.called and strip_quotes(a.text).startswith("New Strategic Arms Reduction Treaty"), a.text
    # a named thing the sentence does not tie to the asked noun (a person for "which memorial"): the model is asked
    other = scripted_llm("Russian nationalists ransacked a makeshift memorial to Boris Nemtsov [1].")
    Assistant(indexed.model_copy(update={"llm_answers": "unsure"}), llm=other).ask(
        "Which memorial did Russian nationalists ransack during Nuland's visit?")
    assert other.called
    # a question the sentence does not answer with an item still goes to the model
    llm.script("Nuland's visit to Moscow angered some Russian nationalists who ransacked a makeshift memorial [1].")
    a = unsure.ask("What did Russian nationalists do during Nuland's visit to Moscow?")
    assert llm.called and a.mode == "generated"


def test_always_and_a_model_of_ones_own_write_every_answer(indexed, llm):
    for settings in (indexed.model_copy(update={"llm_answers": "always"}), indexed):  # auto, with a model handed in
        llm.prompts.clear()
        llm.script("Antonov left Washington on March 20 [1].")
        a = Assistant(settings, llm=llm).ask("When did Antonov leave Washington?")
        assert llm.called and a.mode == "generated" and "March 20" in a.text, a.text


@pytest.mark.parametrize("update, unsure", [
    ({}, True),  # the packaged SmolLM2
    ({"llm": "ollama"}, False),
    ({"llm_model_path": "/models/own.gguf"}, False),
    ({"llm_answers": "always"}, False),
    ({"llm": "ollama", "llm_answers": "unsure"}, True),
])
def test_auto_is_unsure_only_with_the_packaged_tiny_model(indexed, update, unsure):
    assert Assistant(indexed.model_copy(update=update))._writes_only_when_unsure() is unsure


def test_a_sentence_beyond_the_retrieved_passage_answers_when_the_passage_states_no_item(tmp_path, llm):
    """Retrieval matches a quiz question's scene ("Favre revealed he has Parkinson's"); the team he played for
    is paragraphs further on in the same article. The answer leads with it, quoted from that article: the
    sentence that restates the scene no longer wins by being most like the whole question (real MiniLM: the
    hashing embedder has no sense of which words ask)."""
    from index import Indexer
    from tests.conftest import make_settings

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "favre.txt").write_text(
        "Brett Favre reveals he has Parkinson's disease\n\nhttps://example.com/sports/favre\n\n"
        "Pro Football Hall of Famer Brett Favre says he has Parkinson's disease, he revealed during a congressional "
        "hearing in Washington on Tuesday. The hearing was part of an investigation into a welfare case.\n\n"
        "Lawmakers asked about the money. Several witnesses spoke for hours about the grants and the payments.\n\n"
        "The only player to win the NFL MVP award three years in a row, Favre became a crossover celebrity while playing "
        "for the Green Bay Packers from 1992 to 2007. He retired in 2011 after two more seasons elsewhere.\n")
    s = make_settings(tmp_path / "store", condense_with_llm=False, refusal_min_similarity=0.0, chunk_size=150,
                      chunk_overlap=0, retrieval_k=1, llm_answers="unsure", embedding_model="all-MiniLM-L6-v2")
    Indexer(s).run([str(articles)])
    a = Assistant(s, llm=llm).ask("Football Hall of Famer Brett Favre revealed Tuesday he has Parkinson's disease. "
                                  "Which team did he most notably play for?")
    assert [c.quote for c in a.citations][:1] == [  # noqa: E501
        "The only player to win the NFL MVP award three years in a row, Favre became a crossover celebrity while playing "
        "for the Green Bay Packers from 1992 to 2007."], (a.text, a.trace.gate, a.trace.refusal)
    assert strip_quotes(a.text).startswith("Green Bay Packers") and not llm.called, a.text
