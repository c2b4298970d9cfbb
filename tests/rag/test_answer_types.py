"""Names and items a sentence states (rag/answer_types.py): the cases the mutation run found untested
(docs/testing.md, "Mutation testing"); question kinds and items are also covered in test_answers_that_answer.py."""

from __future__ import annotations

from rag.answer_types import classify, items, person_names


def test_person_names_drop_a_possessive_and_a_lone_title():
    assert person_names("Sergei Ryabkov's remarks surprised Foreign Minister Lavrov.") == ["Sergei Ryabkov"]


def test_a_middle_initial_stays_in_the_name():
    # "John F. Kennedy" was lost whole (its "F" read as an acronym), and the rule that keeps an
    # initial never ran: the dot was stripped before it looked.
    assert person_names("President John F. Kennedy met Joe Biden; A. Antonov spoke.") == [
        "John F. Kennedy", "Joe Biden", "A. Antonov"]


def test_a_name_after_the_is_no_person_unless_a_title_stands_between():
    # "king of the Pride Lands, Mufasa" had answered "which character did he voice?" with "Pride Lands"
    assert person_names("He voiced the king of the Pride Lands, Mufasa, and Lord Vader.") == ["Lord Vader"]
    assert person_names("So said the Russian Ambassador Anatoly Antonov on Monday.") == ["Anatoly Antonov"]


def test_a_surname_that_attributes_a_quote_is_a_weak_person_item():
    from rag.answer_types import weak_items

    q = "Who is the US envoy quoted about keeping the embassy open?"
    said = '"We do have channels to keep our embassies working," Rood said, noting that it mattered.'
    assert items(said, classify(q), q) == ["Rood"]
    assert weak_items(said, ["Rood"], classify(q), q) == {"Rood"}  # anyone's surname: a full name outranks it
    for speaker in ("Moscow", "Interfax", "Pentagon", "Democrats"):  # a place, an outlet, an institution, a party
        assert items(f'"The embassy stays open," {speaker} said.', classify(q), q) == [], speaker
    assert items('"It stays open," Xi said.', classify(q), q) == ["Xi"]  # a surname of two letters


def test_an_entity_item_drops_its_possessive():
    question = "Which treaty did they discuss?"
    assert items("They discussed New START’s future.", classify(question), question) == ["New START"]


def test_a_person_given_another_office_does_not_answer_who_holds_the_asked_one():
    q = "Who is the US ambassador to Russia?"
    asked = classify(q)
    assert items("Russia's ambassador to the United States, Anatoly Antonov, was recalled in March.", asked, q) == []
    assert items("He was recalled after US President Joe Biden called Putin a killer.", asked, q) == []
    assert items("US Ambassador to Russia John Sullivan left Moscow in April.", asked, q) == ["John Sullivan"]
    assert items("John Sullivan left Moscow in April after weeks of talks.", asked, q) == ["John Sullivan"]  # no office given
    # the holder of the asked office first, although another name is nearer the asked words
    assert items("Anatoly Antonov met US Ambassador to Russia John Sullivan in April.", asked, q)[0] == "John Sullivan"


def test_the_sentence_naming_the_holder_of_the_asked_office_scores_higher():
    from rag.extractive import item_bonus

    q = "Who is Russia's ambassador to the United States?"
    asked = classify(q)
    holder = item_bonus("Russian Ambassador to the US Anatoly Antonov will return to Washington.", asked, q)
    named = item_bonus("Anatoly Antonov will return to Washington in the near future.", asked, q)
    assert holder > named > 0


def test_a_name_run_ends_before_a_weekday_and_its_preposition():
    q = "Which storm battered Louisiana this week?"
    assert items("This page is a summary of news on Hurricane Francine for Wednesday, Sept. 11.", classify(q), q) == \
        ["Hurricane Francine"]


def test_a_state_before_an_abbreviated_office_is_a_place():
    q = "Which state will ban plastic shopping bags at grocery stores?"
    assert items("California Gov. Gavin Newsom signed a bill banning plastic bags from grocery store checkouts.",
                 classify(q), q) == ["California"]


def test_a_country_or_a_region_of_the_world_is_no_person():
    assert person_names("Lavrov pointed to Asia, Latin America, and Africa, Saudi Arabia and Central Asia, "
                        "said Michael Jordan.") == ["Michael Jordan"]


def test_an_organisation_called_short_is_named_as_the_passage_names_it_in_full():
    q = "Which US government agency announced a huge interest rate cut?"
    passage = "The Federal Reserve cut interest rates.\n\nThe Fed’s long-awaited interest rate cut may be weeks away."
    assert items("The Fed’s long-awaited interest rate cut may be just weeks away.", classify(q), q, context=passage) == \
        ["Federal Reserve"]
    q = "Which labor union declined to endorse a presidential candidate?"
    passage = "The International Brotherhood of Teamsters declined.\n\nThe international Teamsters union endorsed no one."
    assert items("The international Teamsters union endorsed no one.", classify(q), q, context=passage) == \
        ["International Brotherhood of Teamsters"]
    q = "Which company hiked membership fees?"  # a longer name that does not end with it is another thing
    assert items("It is the first time Costco has raised its fees.", classify(q), q,
                 context="Costco Wholesale Corporation said so. It is the first time Costco has raised its fees.") == ["Costco"]


def test_a_word_for_anyone_in_office_takes_any_office():
    q = "Which US official held talks with Sergei Ryabkov in Moscow?"
    assert items("Ryabkov commented after the talks with the U.S. Under Secretary of State Victoria Nuland.",
                 classify(q), q) == ["Victoria Nuland"]


def test_a_place_is_named_with_the_asked_noun_as_the_passage_writes_it():
    """"Great Smoky Mountains" answers "which national park" as the passage names it in full; a city is
    never lengthened (a city's name does not carry the word "city")."""
    q = "What is America's most visited national park?"
    s = "Great Smoky Mountains is the most visited national park in America, by far."
    full = "Great Smoky Mountains National Park saw 14.1 million visits in 2021."
    assert items(s, classify(q), q, context=full) == ["Great Smoky Mountains National Park"]
    assert items(s, classify(q), q, context="It topped the list again.") == ["Great Smoky Mountains"]
    qp = "Which national parks in the state of Tennessee drew the most visitors?"  # the first place noun, singular
    assert "Great Smoky Mountains National Park" in items(s, classify(qp), qp, context=full)
    qc = "Which city hosted the Emmys?"
    assert items("The show aired from Los Angeles.", classify(qc), qc, context="Los Angeles City Council met.") == ["Los Angeles"]


def test_a_place_in_a_clause_about_other_people_is_weak_for_where():
    """"A month after Harris and Trump faced off in Philadelphia" does not say where Walz and Vance debate."""
    from rag.answer_types import weak_items

    q = "Tim Walz and JD Vance faced off in their only debate this week. Where did the debate take place?"
    s = ("Gov. Tim Walz and Sen. JD Vance will take the stage nearly a month after Vice President Kamala Harris and "
         "former President Donald Trump faced off in Philadelphia.")
    assert weak_items(s, items(s, classify(q), q), classify(q), q) == {"Philadelphia"}
    own = "Tim Walz and JD Vance debated in New York City, a month after Kamala Harris spoke."
    assert weak_items(own, items(own, classify(q), q), classify(q), q) == set()
    unnamed = "Where was the debate held?"  # the question names no one: nothing to compare
    assert weak_items(s, items(s, classify(unnamed), unnamed), classify(unnamed), unnamed) == set()
    moderated = "The debate moderated by CBS anchor Norah O'Donnell took place in New York City."
    assert weak_items(moderated, ["New York City"], classify(q), q) == set()  # the question's people are not in it
    twice = "After Kamala Harris and Donald Trump met in Philadelphia, Tim Walz and JD Vance debated in Philadelphia too."
    assert weak_items(twice, ["Philadelphia"], classify(q), q) == set()  # one mention is theirs


def test_a_preposition_that_opens_a_question_is_no_name_and_no_relation():
    asked = classify("Toward which countries is Moscow shifting its focus?")
    assert asked.names == frozenset({"moscow"}) and "toward" not in asked.focus_words
    assert asked.focus_words == ("focus",)


def test_a_side_or_a_government_that_does_the_asked_deed_answers_who():
    """No person is named in "The U.S. side gave an official note …", yet it answers "Who gave the note?";
    only right before the asked verb, and not for "which diplomat", which asks for a person."""
    q = "Who gave the official note agreeing to it?"
    s = "The U.S. side gave an official note with agreement for the appointment of Alexander Darchiyev."
    assert items(s, classify(q), q) == ["The U.S. side", "Alexander Darchiyev"]
    assert items("Earlier the Russian government had given a note.", classify(q), q) == ["the Russian government"]
    assert items("The U.S. side said nothing about a note.", classify(q), q) == []
    assert items("Meanwhile Russian authorities gave a note to the embassy.", classify(q), q) == ["Russian authorities"]
    qd = "Which diplomat gave the official note?"
    assert items(s, classify(qd), qd) == ["Alexander Darchiyev"]


def test_how_many_days_counts_the_days_a_sentence_dates():
    """A range of days ("April 22-23") answers "how many days" with its length, the dates beside it."""
    q = "How many days was the virtual Climate Summit scheduled to last?"
    s = "Biden invited Putin to the virtual Climate Summit scheduled for April 22-23."
    assert items(s, classify(q), q)[0] == "2 days (April 22-23)"
    assert items("The talks are set for 3–5 June in Geneva.", classify("How many days will the talks last?"),
                 "How many days will the talks last?")[0] == "3 days (3–5 June)"
    # only days are counted so, and a range that is no run of days is not
    q = "How many people attended the summit on April 22-23?"
    assert not any("days" in i for i in items("Some 40 leaders attended on April 22-23.", classify(q), q))
    q = "How many days did the talks last?"
    assert not any("days" in i for i in items("The vote was 23-22 in April.", classify(q), q))


def test_a_thing_the_sentence_qualifies_as_the_question_does_answers_which_thing():
    """'which recalled products' is answered by 'the recalled deli meat', though "deli meat" is no name."""
    from rag.answer_types import asked_thing_named, qualified_as_asked

    q = "At least 10 people have died from listeria infections linked to which recalled products?"
    s = "Listeriosis infections from the recalled deli meat have caused at least 57 hospitalizations, the CDC said."
    assert items(s, classify(q), q)[0] == "deli meat"
    assert asked_thing_named(s, ["deli meat"], q) == {"deli meat"}  # sure enough to answer without a model
    # the question's own words are no answer ("energy sources" for "which energy source")
    assert qualified_as_asked("Microsoft turns to clean energy sources such as nuclear power.",
                              "Microsoft is turning to which energy source?") == []
    # a name after the qualified noun is left to the name rules
    assert qualified_as_asked("The injured quarterback Tua Tagovailoa missed the game.", "Which injured player missed it?") == []
    # a noun before the asked one makes a compound: "social media use" is no platform
    assert qualified_as_asked("Teens' social media use worries parents.", "Which social media platform added teen accounts?") == []
    # "which type of business" has no qualifier to look for
    assert qualified_as_asked("The strike affected the type of hotels in Boston.", "Which type of business was hit?") == []
