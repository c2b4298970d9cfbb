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


def test_an_entity_item_drops_its_possessive():
    question = "Which treaty did they discuss?"
    assert items("They discussed New START’s future.", classify(question), question) == ["New START"]
