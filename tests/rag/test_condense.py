"""Follow-up condensing without the LLM: pronouns, ellipsis, and what must be left alone."""

from __future__ import annotations

import pytest

from rag.condense import accept_rewrite, answer_parts, keyword_rewrite, names_in, needs_context, person_referent
from rag.retrieval import time_intent

WHO_Q = "Who was appointed Russia's new ambassador to the US?"
WHO_A = ("Alexander Darchiyev, according to TASS, 30 March 2021: “In March, reports indicated Alexander Darchiyev "
         "appointed as new Russian ambassador to the United States, Peskov said.” [1] (as of 30 March 2021).")


# --- pronouns ------------------------------------------------------------------------------------
def test_pronoun_after_who_question_takes_the_person_from_the_answer_lead():
    out = keyword_rewrite("When was he appointed?", [(WHO_Q, WHO_A)])
    assert out.startswith("When was Alexander Darchiyev appointed?")
    assert "TASS" not in out and "Peskov" not in out and "March" not in out


def test_possessive_pronoun_and_an_old_style_answer():
    history = [("Which diplomat did the US agree to accept as Russia's ambassador in Washington?",
                "Alexander Darchiyev [1].")]
    assert keyword_rewrite("What was his job before?", history).startswith("What was Alexander Darchiyev's job before?")


def test_the_asked_person_beats_the_one_the_question_named():
    history = [("Who did Victoria Nuland hold talks with in Moscow?",
                "She held talks with Russia's Deputy Foreign Minister Sergei Ryabkov [1].")]
    assert keyword_rewrite("How did he describe the conversation?", history).startswith(
        "How did Sergei Ryabkov describe the conversation?")


def test_who_is_question_refers_to_the_person_it_names():
    history = [("Who is Pavel Sharikov?", "Head of the Center for Applied Research, according to TASS, 30 March 2021: "
                "“Head of the Center for Applied Research Pavel Sharikov told Vedomosti that Putin is not "
                "interested in any conflict escalation.” [1]")]
    assert keyword_rewrite("What did he say Moscow decided?", history).startswith("What did Pavel Sharikov say")


def test_an_answer_about_him_passes_the_person_on():
    history = [("Who was the Russian ambassador summoned to Moscow for consultations in March 2021?",
                "Anatoly Antonov [1]."),
               ("Why was he called back?", "He left Washington after Biden agreed that Putin was a killer [1].")]
    assert keyword_rewrite("Will he go back to Washington?", history).startswith("Will Anatoly Antonov go back")


def test_it_and_that_append_the_previous_topic():
    history = [("Which Kremlin critic's memorial was ransacked in Moscow during Nuland's visit?",
                "A makeshift memorial to Boris Nemtsov [1].")]
    out = keyword_rewrite("When did that happen?", history)
    assert out.startswith("When did that happen? (") and "Boris Nemtsov" in out and "memorial" in out


def test_a_follow_up_goes_on_asking_about_the_period_the_conversation_named():
    history = [("Who was the Russian ambassador summoned to Moscow for consultations in March 2021?", "Anatoly Antonov [1].")]
    out = keyword_rewrite("Why was he called back?", history)
    assert out.startswith("Why was Anatoly Antonov called back?") and out.endswith("March 2021)")
    assert time_intent(out).years == {2021} and time_intent(out).months == {3}  # retrieval ranks that March first


def test_a_follow_up_that_names_its_own_period_keeps_it_alone():
    history = [("Who was the Russian ambassador summoned to Moscow for consultations in March 2021?", "Anatoly Antonov [1].")]
    out = keyword_rewrite("And where was he in 2022?", history)
    assert "March" not in out and time_intent(out).years == {2022}
    history = [("What has happened since October 2021?", "Talks in Istanbul [1].")]
    assert "since October 2021" in keyword_rewrite("What came of it?", history)


# --- outlet lead-ins -----------------------------------------------------------------------------
def test_names_in_an_outlet_lead_in_are_not_the_referent():
    history = [("Who left Washington after Biden called Putin a killer?",
                "TASS, 30 March 2021: “Antonov left Washington on March 20, after US President Joe Biden’s "
                "disparaging remark.” [1] (as of 30 March 2021).")]
    assert person_referent("When did he leave?", history) == "Antonov"
    out = keyword_rewrite("When did he leave?", history)
    assert out.startswith("When did Antonov leave?") and "TASS" not in out and "March" not in out


def test_a_title_lead_in_and_nested_quotes():
    answer = ("“Vedomosti: Russia, US unlikely to reboot dialogue” (undated): “Russian Ambassador to the US Anatoly "
              "Antonov was recalled after Biden called Putin a “killer,” TASS said.” [1] (article undated).")
    parts = answer_parts(answer)
    assert parts.item == "" and len(parts.quotes) == 1 and parts.quotes[0].endswith("TASS said.")
    history = [("Who was recalled after Biden's remark?", answer)]
    assert person_referent("Why was he recalled?", history) == "Anatoly Antonov"


def test_according_to_splits_the_item_from_its_source():
    parts = answer_parts("Rood, according to Sputnik, 28 November 2022: “…we do have channels,” Rood said.” [1]")
    assert parts.item == "Rood" and parts.attributions == ["Sputnik, 28 November 2022"]


def test_names_skip_sentence_starts_titles_and_dates():
    text = ("However, Russia's Deputy Foreign Minister Sergei Ryabkov met Under Secretary of State Victoria Nuland "
            "on Tuesday, 12 October. Last week the ministry spoke. Interestingly Moscow agreed.")
    assert names_in(text) == ["Sergei Ryabkov", "Victoria Nuland", "Moscow"]


# --- ellipsis ------------------------------------------------------------------------------------
def test_bare_question_word_takes_the_previous_subject_and_relation():
    history = [("Who expelled the diplomats?", "Russia, according to Reuters, 12 October 2021: "
                "“Moscow expelled the diplomats on Monday.” [1]")]
    out = keyword_rewrite("When?", history)
    assert out.startswith("When were the diplomats expelled?") and "Reuters" not in out


def test_when_after_who_was_puts_the_answer_in_as_subject():
    assert keyword_rewrite("When?", [(WHO_Q, WHO_A)]).startswith(
        "When was Alexander Darchiyev appointed Russia's new ambassador to the US?")


def test_why_not_after_a_yes_no_question():
    history = [("Did the Vedomosti source think Russia should accept?",
                "No, the source thought there was no point for Russia to accept the invitation [1].")]
    assert keyword_rewrite("Why not?", history).startswith(
        "Why didn't the Vedomosti source think Russia should accept?")


@pytest.mark.parametrize("previous, question, expected", [
    ("Who is the US ambassador to Russia named by CNN?", "And the Russian ambassador in Washington?",
     "Who is the Russian ambassador in Washington named by CNN?"),
    ("What did the US side say about the talks?", "And the Russian side?",
     "What did the Russian side say about the talks?"),
    ("What did TASS report about the talks?", "What about Reuters?", "What did Reuters report about the talks?"),
])
def test_and_what_about_replaces_the_parallel_phrase(previous, question, expected):
    history = [(previous, "Something, according to TASS, 1 May 2021: “Words.” [1]")]
    assert keyword_rewrite(question, history).startswith(expected)


# --- left alone ----------------------------------------------------------------------------------
@pytest.mark.parametrize("question", [
    "Who is Pavel Sharikov?",
    "When did Antonov leave Washington?",
    "Who interviewed Biden when he agreed that Putin was a killer?",
    "Who told Vedomosti that Putin is not interested in escalating the conflict with the US?",
    "On which day of the week did Ryabkov and Nuland hold their talks in Moscow?",
    "Was there any immediate comment from the US side after the talks on Tuesday?",
    "Когда Антонов покинул Вашингтон?",
])
def test_a_question_that_stands_alone_is_left_alone(question):
    assert not needs_context(question)
    assert keyword_rewrite(question, [(WHO_Q, WHO_A)]) == question


@pytest.mark.parametrize("question", ["When was he appointed?", "When?", "Why not?", "And the Russian side?",
                                      "What about Reuters?", "Where were the consultations held?",
                                      "When did that happen?", "Did they set a date?", "Когда его назначили?"])
def test_follow_ups_need_context(question):
    assert needs_context(question)


# --- the LLM's rewrite ---------------------------------------------------------------------------
def test_an_llm_rewrite_must_name_the_resolved_person():
    history = [(WHO_Q, WHO_A)]
    assert accept_rewrite("When was Alexander Darchiyev appointed?", "When was he appointed?", history)
    assert not accept_rewrite("When was the TASS ambassador appointed?", "When was he appointed?", history)
    assert not accept_rewrite("When was Russia's ambassador appointed?", "When was he appointed?", history)


ROOD = [("Who said the United States has channels of talking with Russia at the working level?", "US Charge d'Affaires Rood said so [1]."),
        ("What did he hope Moscow and Washington would stop doing?", "He hoped they would not expel diplomats anymore [1].")]


@pytest.mark.parametrize("rewrite", [
    "What does the United States have channels of talking with Russia at the working level?",  # lost "why"
    "Rood hoped they would stop expelling diplomats because it is in both countries' interest.",  # an answer
])
def test_an_llm_rewrite_that_answers_or_asks_another_kind_is_refused(rewrite):
    assert not accept_rewrite(rewrite, "Why?", ROOD)


def test_an_llm_rewrite_of_the_same_kind_is_kept_and_an_ellipsis_may_gain_a_kind():
    assert accept_rewrite("Why did Rood hope Moscow and Washington would not expel diplomats anymore?", "Why?", ROOD)
    assert accept_rewrite("What is the reason Rood hoped Moscow and Washington would stop expelling diplomats?", "Why?", ROOD)
    assert accept_rewrite("Who is Anatoly Antonov?", "Who is he?", [("Who was recalled to Moscow?", "Anatoly Antonov [1].")])
    assert accept_rewrite("Who is the Russian ambassador in Washington named by CNN?", "And the Russian ambassador in Washington?",
                          [("Who is the US ambassador to Russia named by CNN?", "John Sullivan [1].")])


# --- what the mutation run found untested (docs/testing.md, "Mutation testing") ---------------------
NULAND = [("Who visited Moscow in October?", "Victoria Nuland [1].")]


def test_a_lone_sentence_initial_word_is_a_name_only_when_it_acts_like_one():
    assert names_in("Ross said the talks failed.") == ["Ross"]  # ends in "ss": not a plural noun
    assert names_in("Negotiators said the talks failed.") == []  # a plural noun that speaks is no name
    assert names_in("Intelligence reports suggest a deal.") == []  # "reports" here is a noun, not a verb


def test_a_one_word_answer_lead_is_the_referent():
    assert person_referent("When did he leave?", [("Who left Washington in March?", "Antonov [1].")]) == "Antonov"


def test_who_is_question_names_the_referent_even_when_the_answer_names_another_person():
    history = [("Who is Pavel Sharikov?",
                "A researcher who told Vedomosti that Vladimir Putin is not interested in escalation [1].")]
    assert person_referent("What else did he say?", history) == "Pavel Sharikov"


def test_she_skips_no_turn_whose_answer_is_about_a_man():
    history = [("Who did Victoria Nuland meet in Moscow?", "Sergei Ryabkov [1]."),
               ("Who did he meet next?", "He met Victoria Nuland again on Tuesday [1].")]
    assert person_referent("What did she say?", history) == "Victoria Nuland"


def test_without_a_person_in_the_answer_the_question_names_the_referent():
    history = [("When did Anatoly Antonov leave Washington?", "On 20 March 2021 [1].")]
    assert person_referent("Why did he leave?", history) == "Anatoly Antonov"


def test_a_place_answer_passes_on_the_person_of_its_quote():
    history = [("Where did the ambassador go?", "Moscow, according to TASS, 30 March 2021: "
                "“Anatoly Antonov returned to Moscow for consultations.” [1]")]
    assert person_referent("Why did he go there?", history) == "Anatoly Antonov"


@pytest.mark.parametrize("question, expected", [
    ("Was the idea hers?", "Was the idea Victoria Nuland's?"),
    ("What did her visit achieve?", "What did Victoria Nuland's visit achieve?"),
    ("Who met her in Moscow?", "Who met Victoria Nuland in Moscow?"),
    ("Did the reporters ask her if the talks went well?", "Did the reporters ask Victoria Nuland if the talks went well?"),
])
def test_her_is_possessive_only_before_a_noun(question, expected):
    assert keyword_rewrite(question, NULAND).split(" (")[0] == expected


def test_two_people_are_not_substituted_but_the_referent_is_appended():
    history = [("Who did Victoria Nuland meet in Moscow?", "Sergei Ryabkov [1].")]
    assert keyword_rewrite("What did he tell her?", history) == "What did he tell her? (Sergei Ryabkov, Victoria Nuland, Moscow)"


@pytest.mark.parametrize("previous, question, expected", [
    ("Who expelled the diplomats from Washington?", "When?", "When were the diplomats from Washington expelled?"),
    ("Who expelled the ambassador?", "When?", "When was the ambassador expelled?"),
    ("Who cut the gas?", "When?", "When was the gas cut?"),
    ("When did Anatoly Antonov leave Washington?", "Why?", "Why did Anatoly Antonov leave Washington?"),
    ("Who will expel US diplomats?", "And Russian diplomats?", "Who will expel Russian diplomats?"),
    ("Who expelled US diplomats?", "And Russian diplomats?", "Who expelled Russian diplomats?"),
    ("What did the US ambassador in Moscow say?", "And the Russian ambassador?",
     "What did the Russian ambassador in Moscow say?"),
    ("Who is the Russian ambassador to the United States?", "And the US ambassador in Moscow?",
     "Who is the US ambassador in Moscow?"),
    ("What did TASS report about the talks?", "What about Reuters?", "What did Reuters report about the talks?"),
])
def test_ellipsis_is_rebuilt_from_the_previous_question(previous, question, expected):
    answers = {"When": "On 20 March 2021 [1].", "What": "TASS, 30 March 2021: “The talks went well.” [1]"}
    out = keyword_rewrite(question, [(previous, answers.get(previous.split()[0], "Joe Biden [1]."))])
    assert out.split(" (")[0] == expected


def test_and_before_a_question_is_dropped():
    assert keyword_rewrite("And when did he leave?", [(WHO_Q, WHO_A)]).startswith("When did Alexander Darchiyev leave?")


@pytest.mark.parametrize("previous, question, expected", [
    ("Which Kremlin critic's memorial was ransacked in Moscow during Nuland's visit?", "When did that happen?",
     "When did that happen? (Boris Nemtsov, Nuland, Moscow, Kremlin critic's memorial)"),
    ("Who signed the treaty and the protocol?", "When did it happen?",
     "When did it happen? (Vladimir Putin, treaty, protocol)"),
    ("Who was called back to Moscow for consultations?", "Where were the consultations held?",
     "Where were the consultations held? (Anatoly Antonov, Moscow, back)"),
    (WHO_Q, "When was he appointed?", "When was Alexander Darchiyev appointed? (Russia, US)"),
])
def test_what_is_appended(previous, question, expected):
    answers = {WHO_Q: WHO_A, "Who signed the treaty and the protocol?": "Vladimir Putin [1].",
               "Who was called back to Moscow for consultations?": "Anatoly Antonov [1]."}
    answer = answers.get(previous, "A makeshift memorial to Boris Nemtsov [1].")
    assert keyword_rewrite(question, [(previous, answer)]) == expected


def test_and_with_a_noun_phrase_keeps_the_previous_topic():
    history = [("What did the US side say about the talks?", "John Sullivan said the talks were useful [1].")]
    assert keyword_rewrite("And the Russian side?", history) == \
        "What did the Russian side say about the talks? (John Sullivan, US)"


def test_clean_rewrite_takes_the_first_line_without_a_label_or_quotes():
    from rag.condense import clean_rewrite

    assert clean_rewrite("Question: When did Anatoly Antonov leave Washington?\nThe user asks about...") == \
        "When did Anatoly Antonov leave Washington?"
    assert clean_rewrite("“When did Anatoly Antonov leave Washington?”") == "When did Anatoly Antonov leave Washington?"
    assert clean_rewrite("  ") == ""
    assert clean_rewrite("User: Why did Rood say so?") == "Why did Rood say so?"  # the prompt's own speaker label


def test_a_lone_name_inside_a_sentence_is_a_name():
    assert names_in("Biden praised the talks with Antonov.") == ["Biden", "Antonov"]


def test_an_institution_and_the_person_after_it_are_two_names():
    assert names_in("The Russian Academy of Sciences Pavel Sharikov said so.") == [
        "Russian Academy of Sciences", "Pavel Sharikov"]
    assert names_in("Moscow and NATO disagreed.") == ["Moscow", "NATO"]


@pytest.mark.parametrize("answer, item, attributions, prose", [
    ("Anatoly Antonov [1]. He left Washington on 20 March [1].", "Anatoly Antonov", [], "He left Washington on 20 March"),
    ("Anatoly Antonov [1] (as of 30 March 2021).", "Anatoly Antonov", [], ""),
    ("Anatoly Antonov [1]. He called Putin a “killer” and left. He returned in June [1].", "Anatoly Antonov", [],
     "He called Putin a “killer” and left. He returned in June"),
    ("According to TASS, 30 March 2021, Alexander Darchiyev: “He was appointed.” [1]", "Alexander Darchiyev",
     ["TASS, 30 March 2021"], ""),
    (WHO_A, "Alexander Darchiyev", ["TASS, 30 March 2021"], ""),
])
def test_answer_parts_of_plain_and_quoting_answers(answer, item, attributions, prose):
    parts = answer_parts(answer)
    assert (parts.item, parts.attributions, parts.prose) == (item, attributions, prose)


def test_an_outlet_in_a_quote_is_not_appended():
    history = [("Who left Washington?", "TASS, 30 March 2021: “Reuters reported that Antonov left Washington.” [1]")]
    out = keyword_rewrite("When did that happen?", history)
    assert out.startswith("When did that happen? (Antonov, Washington") and "Reuters" not in out


@pytest.mark.parametrize("question, pointing_outside", [
    ("Which ambassador told CNN he would leave?", []),  # "he" is the ambassador asked about
    ("What official told CNN he would resign?", []),
    ("Did Biden say he would run again?", []),  # bound by the person named before it
    ("Did Moscow say he would return?", ["he"]),  # a place binds no "he"
    ("Was victory theirs?", ["theirs"]),
    ("Did the diplomats say they would return?", []),
    ("Was it signed?", ["it"]),
    ("Did that happen?", ["that"]),
    ("Who signed these?", ["these"]),
])
def test_which_pronouns_point_outside_the_question(question, pointing_outside):
    from rag.condense import referential_pronouns

    assert [w for *_, w in referential_pronouns(question)] == pointing_outside
