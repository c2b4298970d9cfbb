"""Reading an answer's text (rag.answer_text): its sentences and what it says outside quotes."""

from __future__ import annotations

from rag.answer_text import curly_spans, junk_kinds, own_words, quoted_spans, sentences, strip_quotes


def test_strip_quotes_keeps_everything_outside_every_quote():
    assert strip_quotes("He said “we will stay” and she said “we will go” today.") == "He said   and she said   today."


def test_a_line_break_ends_a_sentence_even_after_an_abbreviation():
    assert sentences("Talks with the U.S.\nThe next day it rained.") == ["Talks with the U.S.", "The next day it rained."]
    assert sentences("Talks with the U.S. team went on. The next day it rained.") == [
        "Talks with the U.S. team went on.", "The next day it rained."]


def test_a_closing_quote_before_a_citation_ends_the_passage_however_deep():
    text = "CNN: “Zakharova claimed “equipped combat positions” [1]. Then the talks ended."
    assert curly_spans(text) == [(5, text.index("”") + 1)]
    assert curly_spans("He said “go” and “stay”.") == [(8, 12), (17, 23)]
    assert curly_spans("He said “go on") == [(8, 14)]  # a cut-off quote runs to the end


def test_a_long_straight_quote_right_after_a_curly_one_is_a_quote_too():
    text = '“Short.”"one two three four five six seven eight"'
    assert quoted_spans(text) == [(0, 8), (8, len(text))]
    assert quoted_spans('He called it "New START" again.') == []  # a short straight quote is a phrase


Q = "Which Russian cities host US missions?"


def test_junk_kinds_name_what_is_wrong():
    assert junk_kinds("Russian cities host US missions [1].", Q) == [("echo", "Russian cities host US missions [1].")]
    assert junk_kinds("It is what it is, so be it [1].", Q) == [("echo", "It is what it is, so be it [1].")]  # only function words
    assert junk_kinds("Moscow hosts them [1].", Q) == [("short", "Moscow hosts them [1].")]
    assert junk_kinds("Yekaterinburg and Vladivostok host consulates [1].", Q) == []  # five words that state something
    assert junk_kinds("Russian, cities [1].", Q) == [("list", "Russian, cities [1].")]
    assert junk_kinds("Which cities host them [1]?", Q) == [("question", "Which cities host them [1]?")]
    assert junk_kinds("The answer: Moscow [1].", Q) == [("label", "The answer: Moscow [1].")]


def test_own_words_turn_inner_double_quotes_single_so_they_are_not_taken_for_a_passage():
    lead = own_words("After Biden called Putin a “murderer,” CNN reported")
    assert lead == "After Biden called Putin a ‘murderer,’ CNN reported"
    assert strip_quotes(lead) == lead


def test_a_quoted_sentence_with_its_own_unbalanced_closing_mark_stays_one_passage():
    """Articles mix marks ('80,000 "live” clams'): that ” is the quoted sentence's, not the end of the
    quote, so the rest of the quote is not read as the answer's own words (nor "[2]." as a short sentence)."""
    from rag.answer_text import junk_kinds, strip_quotes

    text = ("$6.6 million, according to X: “440,000 cubic yards -- $6.6 million” [1]. USA TODAY, 6 January 2023, "
            "also: “Off the shoreline, the city planted 80,000 \"live” clams, in what will be a $522,265 effort.” [2].")
    assert "clams" not in strip_quotes(text)
    assert junk_kinds(text, "What is the estimated cost of the project?") == []
    nested = "He said “no” and then “yes” to it, according to Y: “A quote.” [1]."
    assert strip_quotes(nested) == "He said   and then   to it, according to Y:   [1]."
