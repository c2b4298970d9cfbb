"""A question that asks two things: split into a question and its follow-up, answered, and joined."""

from __future__ import annotations

import dataclasses
import re

import pytest

from rag.compound import joined, parts
from rag.models import Answer, Citation
from tests.rag.test_assistant import assert_grounded
from tests.rag.test_verify import REUTERS, SPUTNIK


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Which officials met in Moscow in October 2021, and what did they discuss?",
         ["Which officials met in Moscow in October 2021?", "What did they discuss?"]),
        ("When did Antonov leave Washington, and why?", ["When did Antonov leave Washington?", "Why?"]),
        ("Was the embassy open and who ran it?", ["Was the embassy open?", "Who ran it?"]),
        ("What did Lavrov say about Western countries and about western companies?",
         ["What did Lavrov say about Western countries?", "What did Lavrov say about western companies?"]),
        # one question each: "and" joins two nouns or two years, or the first clause is no question of its own
        ("Which Russian and US officials met in Moscow?", ["Which Russian and US officials met in Moscow?"]),
        ("How did the size change between 2021 and 2022?", ["How did the size change between 2021 and 2022?"]),
        ("In which city did they meet, and when?", ["In which city did they meet, and when?"]),
        ("Who and why?", ["Who and why?"]),
    ],
)
def test_parts(question, expected):
    assert parts(question) == expected


def _answer(question: str, text: str, *citations: Citation, refused: bool = False) -> Answer:
    return Answer(text, citations=list(citations), question=question, standalone_question=question, refused=refused,
                  mode="refused" if refused else "extractive")


def test_joined_renumbers_the_second_part_and_keeps_one_number_for_a_shared_source():
    reuters, sputnik = Citation.of(1, REUTERS, "Last week …"), Citation.of(1, SPUTNIK, "Rood said.")
    first = _answer("Q1?", "300, according to Reuters [1].", reuters)
    second = _answer("Q2?", "Rood said so [1]; the ministry too [2].", sputnik, dataclasses.replace(reuters, n=2))
    out = joined("Q1, and Q2?", [first, second])
    assert out.text == "300, according to Reuters [1]. Rood said so [2]; the ministry too [1]."
    assert [(c.n, c.outlet) for c in out.citations] == [(1, "Reuters"), (2, "Sputnik")]
    assert out.question == "Q1, and Q2?" and out.standalone_question == "Q1? / Q2?" and not out.refused


def test_joined_names_a_part_the_articles_do_not_answer_and_refuses_only_when_none_is():
    found = _answer("Q1?", "300 [1].", Citation.of(1, REUTERS, "Last week …"))
    not_said = _answer("Q2?", "The articles I have do not say.", refused=True)
    out = joined("Q1, and Q2?", [found, not_said])
    assert out.text == "300 [1]. The articles do not say: “Q2?”" and not out.refused
    both = joined("Q1, and Q2?", [not_said, dataclasses.replace(not_said, question="Q1?")])
    assert both.refused and both.text == not_said.text and both.question == "Q1, and Q2?"


def test_joined_does_not_quote_again_what_an_earlier_part_quoted():
    quote = "Antonov left Washington on March 20, after Biden's remark."
    cited = Citation.of(1, REUTERS, quote)
    when = _answer("Q1?", f"March 20, according to Reuters, 12 October 2021: “{quote}” [1].", cited)
    why = _answer("Q2?", f"After Biden's remark, according to Reuters, 12 October 2021: “{quote}” [1]. "
                         f"Sputnik, 28 November 2022, also: “Rood said.” [2].", cited, Citation.of(2, SPUTNIK, "Rood said."))
    assert joined("Q1, and Q2?", [when, why]).text == (
        f"March 20, according to Reuters, 12 October 2021: “{quote}” [1]. After Biden's remark, according to Reuters, "
        f"12 October 2021 [1]. Sputnik, 28 November 2022, also: “Rood said.” [2].")
    also = _answer("Q2?", f"Yes [2]. Reuters, 12 October 2021, also: “{quote}” [1].", cited, Citation.of(2, SPUTNIK, "Rood said."))
    out = joined("Q1, and Q2?", [when, also])
    assert out.text.endswith("[1]. Yes [2].") and out.text.count(quote) == 1
    other = dataclasses.replace(REUTERS, id="r-2")  # the same words from another passage: still quoted, still cited
    again = _answer("Q2?", f"Yes, according to Reuters: “{quote}” [1].", Citation.of(1, other, quote))
    assert joined("Q1, and Q2?", [when, again]).text.count(quote) == 2


def test_a_two_part_question_is_answered_as_a_question_and_its_follow_up(indexed, llm, assistant):
    for _ in range(4):
        llm.script("The articles do not say.")
    a = assistant.ask("Who did Victoria Nuland hold talks with in Moscow, and how did he describe the conversation?")
    assert not a.refused and a.text.startswith("Sergei Ryabkov, according to Reuters")
    assert "open and useful" in a.text  # the second part, its "he" read as Ryabkov from the first part's answer
    assert "How did Sergei Ryabkov describe the conversation?" in a.standalone_question
    cited = sorted({int(n) for n in re.findall(r"\[(\d+)\]", a.text)})
    assert cited == [c.n for c in a.citations] == list(range(1, len(a.citations) + 1))
    assert_grounded(a, indexed)
