"""The streamed reply, sentence by verified sentence (rag.reply), on hand-made chunks: no index, no model."""

from __future__ import annotations

import dataclasses

from rag.answer_types import classify
from rag.reply import VerifiedReply, names_item, render
from rag.verify import CheckedSentence, check_sentence
from tests.rag.test_verify import CHUNKS, Q, REUTERS, SPUTNIK

ITEM = "A congressional proposal would expel 300 Russian diplomats from the United States [2]."
BACKGROUND = ("The Russian foreign ministry said the proposal would lead to the closure of U.S. diplomatic "
              "facilities in Russia [2].")
ITEM_SHOWN = "A congressional proposal would expel 300 Russian diplomats from the United States (as of 12 October 2021) [1]."
BACKGROUND_SHOWN = ("The Russian foreign ministry said the proposal would lead to the closure of U.S. diplomatic "
                    "facilities in Russia (as of 12 October 2021) [1].")


def streamed(text: str, question: str = Q) -> tuple[VerifiedReply, list[str]]:
    """Feed ``text`` one character at a time, as a model streams it; the reply and every delta."""
    reply = VerifiedReply(CHUNKS, question, question, classify(question))
    deltas = []
    for char in text:
        deltas += reply.feed(char)
    return reply, deltas + reply.close()


def test_a_repeated_sentence_is_shown_once():
    reply, deltas = streamed(f"{ITEM} {ITEM} {ITEM}")
    assert deltas == [ITEM_SHOWN]
    assert reply.text() == ITEM_SHOWN and len(reply.released) == 1
    assert [c.n for c in reply.citations()] == [1]


def test_sources_are_numbered_by_first_use_and_quoted():
    reply, _ = streamed(ITEM)
    assert reply.numbering == {2: 1}
    [citation] = reply.citations()
    assert (citation.n, citation.outlet, citation.chunk_id) == (1, "Reuters", "r-1")
    assert "expel 300 Russian diplomats" in citation.quote and citation.quote in REUTERS.text


def test_a_sentence_is_released_only_when_complete():
    reply = VerifiedReply(CHUNKS, Q, Q, classify(Q))
    assert reply.feed(ITEM) == [] and reply.feed(" ") == []  # the model may still be writing it
    assert reply.close() == [ITEM_SHOWN]


def test_background_waits_for_the_asked_item_then_follows_it():
    reply, deltas = streamed(f"{BACKGROUND} {ITEM}")
    assert deltas == [ITEM_SHOWN, " " + BACKGROUND_SHOWN]
    assert "".join(deltas) == reply.text() and reply.held == []


def test_background_alone_is_not_an_answer_to_a_factoid():
    reply, deltas = streamed(BACKGROUND)
    assert deltas == [] and reply.released == [] and len(reply.held) == 1


def test_the_models_refusal_is_noticed_and_never_shown():
    reply, deltas = streamed("The articles do not say.")
    assert reply.model_refused and deltas == [] and reply.text() == ""
    reply, _ = streamed(ITEM)
    assert not reply.model_refused


def test_an_unsupported_sentence_is_dropped_and_the_rest_kept():
    reply, deltas = streamed(f"A congressional proposal would expel 500 Russian diplomats [2]. {ITEM}")
    assert deltas == [ITEM_SHOWN] and "500" not in reply.text()
    assert [c.supported for c in reply.checked] == [False, True]


def test_render_says_when_for_every_kind_of_date():
    claim = check_sentence(ITEM, CHUNKS, Q)
    with_date = lambda **changes: [SPUTNIK, dataclasses.replace(REUTERS, **changes)]  # noqa: E731
    assert render(claim, CHUNKS, {2: 1}) == ITEM_SHOWN
    assert render(claim, with_date(date=None), {2: 1}).endswith("United States (article undated) [1].")
    assert render(claim, with_date(date="2022-01-01", date_source="estimate"), {2: 3}).endswith(
        "United States (article not dated; not before 2022) [3].")
    named_year = check_sentence("In 2021 a congressional proposal would expel 300 Russian diplomats [2].", CHUNKS, Q)
    assert render(named_year, CHUNKS, {2: 1}) == "In 2021 a congressional proposal would expel 300 Russian diplomats [1]."


def test_two_sources_are_numbered_and_listed_in_order_of_first_use():
    hope = "The charge d'affaires expressed hope that Moscow and Washington would not expel diplomats anymore [1]."
    reply, deltas = streamed(f"{ITEM} {hope}")
    assert reply.numbering == {2: 1, 1: 2} and len(deltas) == 2 and deltas[1].endswith("[2].")
    assert [(c.n, c.chunk_id) for c in reply.citations()] == [(1, "r-1"), (2, "s-1")]


def test_an_item_the_rules_do_not_know_still_counts_as_named():
    def named(question: str, text: str) -> bool:
        return names_item(CheckedSentence(text=text, sources=[1], supported=True), classify(question), question)

    who = "Who said relations were at a low level?"
    assert named(who, "Rood said relations were at a rather low level.")  # a name of no known shape
    assert not named(who, "He said relations were at a low level.")
    when = "When will the consulate reopen?"
    assert named(when, "The consulate will reopen in March.")
    assert not named("When will the consulate in March reopen?", "The consulate will reopen in March.")
    assert not named(when, "The consulate will reopen in spring.")


def test_render_keeps_the_sentences_own_stop_after_the_markers():
    def shown(text: str) -> str:
        return render(CheckedSentence(text=text, sources=[2], supported=True), CHUNKS, {2: 1})

    assert shown("Washington would expel 300 diplomats!") == "Washington would expel 300 diplomats (as of 12 October 2021) [1]!"
    assert shown("Would Washington expel 300 diplomats?") == "Would Washington expel 300 diplomats (as of 12 October 2021) [1]?"
    assert shown("Washington would expel 300 diplomats") == "Washington would expel 300 diplomats (as of 12 October 2021) [1]."


def test_a_paragraph_without_a_full_stop_is_kept_when_more_follows():
    # a cut-off sentence is dropped only at the end of the reply: a line without a stop is not cut off
    reply, deltas = streamed(f"{ITEM[:-1]}\n\n{BACKGROUND}")
    assert deltas == [ITEM_SHOWN, " " + BACKGROUND_SHOWN]
    reply, deltas = streamed(f"{ITEM} A congressional proposal would expel 300 Russian")
    assert deltas == [ITEM_SHOWN]


def test_a_claim_from_two_estimated_articles_gives_the_later_estimate():
    claim = CheckedSentence(text="Washington would expel 300 diplomats.", sources=[1, 2], supported=True)
    chunks = [dataclasses.replace(SPUTNIK, date="2021-01-01", date_source="estimate"),
              dataclasses.replace(REUTERS, date="2022-01-01", date_source="estimate")]
    assert render(claim, chunks, {1: 1, 2: 2}) == "Washington would expel 300 diplomats (article not dated; not before 2022) [1][2]."


def test_the_cited_articles_label_is_dropped_however_it_is_dressed():
    """A small model copies the source header as a sentence: every word is in the source, so support
    alone lets it through; it states nothing, so it is junk and the real answer still leads."""
    question = "How many Russian diplomats would the U.S. expel in the embassy rows?"
    label = "Russia vs U.S: Embassy Rows Unresolved (Reuters, 12 October 2021)** [2]."
    assert check_sentence(label, CHUNKS, question).supported  # what the support check alone would let through
    reply, deltas = streamed(f"{label} {ITEM}", question)
    assert deltas == [ITEM_SHOWN]
    [dropped] = [c for c in reply.checked if not c.supported]
    assert dropped.reason.startswith("junk (label"), dropped.reason


def test_a_sentence_that_states_a_fact_besides_the_title_is_kept():
    """"Embassy rows" is in the title, but the sentence says what the Russian ministry warned of."""
    reply, deltas = streamed(f"{ITEM} {BACKGROUND}")
    assert deltas == [ITEM_SHOWN, " " + BACKGROUND_SHOWN]
