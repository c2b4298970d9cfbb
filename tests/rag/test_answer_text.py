"""Reading an answer's text (rag.answer_text): its sentences and what it says outside quotes."""

from __future__ import annotations

from rag.answer_text import sentences, strip_quotes


def test_strip_quotes_keeps_everything_outside_every_quote():
    assert strip_quotes("He said “we will stay” and she said “we will go” today.") == "He said   and she said   today."


def test_a_line_break_ends_a_sentence_even_after_an_abbreviation():
    assert sentences("Talks with the U.S.\nThe next day it rained.") == ["Talks with the U.S.", "The next day it rained."]
    assert sentences("Talks with the U.S. team went on. The next day it rained.") == [
        "Talks with the U.S. team went on.", "The next day it rained."]
