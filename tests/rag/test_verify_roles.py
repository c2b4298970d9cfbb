"""A title bound to the wrong person or turned the other way is dropped by the real verifier.

The sentences are the kind SmolLM2-135M wrote on the gate's questions: every word and name is in
the source, only the binding is wrong ("The US Ambassador to Russia, Anatoly Antonov", where the
source has Antonov as Russia's ambassador to the US). The chunks are the sample corpus's own text.
"""

from __future__ import annotations

import pytest

from rag.models import RetrievedChunk
from rag.verify import check_sentence, roles_unstated

CNN = RetrievedChunk(
    id="cnn-1", article_id="cnn", title="Biden hopes for return of ambassadors", outlet="CNN", date="2021-06-20",
    url=None, path="000.txt", start=0, end=10,
    text=("About three months ago, Russia’s ambassador to the United States, Anatoly Antonov, was recalled from "
          "Washington after US President Vladimir Putin called his Russian counterpart a “murderer,” CNN reported, "
          "quoting CNN. Also about two months ago, US Ambassador to Russia John Sullivan left Moscow after Russia "
          "talked about his return to Washington for consultations. US National Security Adviser Jake Sullivan "
          "recently briefed members of Congress on the status of the US diplomatic presence in Russia."),
)
REUTERS = RetrievedChunk(
    id="r-1", article_id="r", title="Russia vs U.S: Embassy Rows Unresolved", outlet="Reuters", date="2021-10-12",
    url=None, path="003.txt", start=0, end=10,
    text=("Russia and the United States failed to make any major progress in a row over the functioning of their "
          "embassies at talks in Moscow on Tuesday and there is a risk that relations could worsen further, "
          "Russia's Deputy Foreign Minister Sergei Ryabkov said."),
)
Q = "What happened to the ambassadors Antonov and Sullivan?"


def kept(sentence: str, chunks=(CNN,), question: str = Q) -> bool:
    return check_sentence(sentence, list(chunks), question).supported


@pytest.mark.parametrize("sentence", [
    # direction swapped: Antonov is Russia's ambassador to the US
    "The US Ambassador to Russia, Anatoly Antonov, was recalled from Washington about three months ago.",
    "Anatoly Antonov, the US ambassador to Russia, was recalled from Washington about three months ago.",
    "American envoy Anatoly Antonov was recalled from Washington about three months ago.",
    # the title of one person given to another
    "US Ambassador to Russia Anatoly Antonov was recalled from Washington about three months ago.",
    "Russia's ambassador to the United States, John Sullivan, left Moscow about two months ago.",
    "US Ambassador to Russia Jake Sullivan left Moscow about two months ago.",
])
def test_a_title_bound_wrong_is_dropped(sentence):
    assert not kept(sentence)


@pytest.mark.parametrize("sentence", [
    "Russia's ambassador to the United States, Anatoly Antonov, was recalled from Washington about three months ago.",
    # reordered and paraphrased, the binding the same
    "Anatoly Antonov, the Russian ambassador to the US, was recalled from Washington about three months ago.",
    "Antonov, Russia's envoy to Washington, was recalled from Washington about three months ago.",
    "John Sullivan, the US ambassador to Russia, left Moscow about two months ago.",
    "About two months ago the US ambassador to Moscow, John Sullivan, left Moscow.",
    # no title at all: words alone decide, as before
    "Anatoly Antonov was recalled from Washington about three months ago.",
])
def test_the_same_binding_is_kept(sentence):
    assert kept(sentence)


def test_the_trace_says_why():
    swapped = "The US Ambassador to Russia, Anatoly Antonov, was recalled from Washington about three months ago [1]."
    r = check_sentence(swapped, [CNN], Q)
    assert not r.supported and "binds a title" in r.reason


def test_the_words_alone_would_pass():
    """What the binding check adds: the swapped sentence holds every word and name of the source."""
    swapped = "The US Ambassador to Russia, Anatoly Antonov, was recalled from Washington about three months ago."
    assert [(r.office, set(r.of), set(r.to)) for r in roles_unstated(swapped, CNN)] == [
        ("ambassador", {"united states"}, {"russia"})]
    assert roles_unstated(swapped.replace("The US Ambassador to Russia", "Russia's envoy to the US"), CNN) == []


def test_a_rank_the_source_gives_is_kept():
    q = "What did Ryabkov say about the talks on the embassies?"
    said = " said Russia and the United States failed to make any major progress in a row over their embassies."
    assert kept("Russia's Deputy Foreign Minister Sergei Ryabkov" + said, [REUTERS], q)
    assert not kept("Russia's Foreign Minister Sergei Ryabkov" + said, [REUTERS], q)
    assert not kept("Former deputy foreign minister Sergei Ryabkov" + said, [REUTERS], q)


SPUTNIK = RetrievedChunk(
    id="s-1", article_id="s", title="US Charge d'Affaires Says It Is Important for Biden That Embassy in Moscow Remain Open",
    outlet="Sputnik", date="2022-11-28", url=None, path="001.txt", start=0, end=10,
    text=("Last month, Russian Foreign Minister Sergey Lavrov said that Russia saw no reason to maintain its current "
          "diplomatic presence in Western countries, with more attention needed to be paid to countries in Asia, "
          "Latin America, and Africa."),
)
MENDING = RetrievedChunk(
    id="m-1", article_id="m", title="Russia mending diplomatic relations with United States", outlet=None,
    date=None, url=None, path="004.txt", start=0, end=10,
    text=("For his part in remarks, Kremlin’s spokesman Dmitry Peskov said the US was rapidly changing all foreign "
          "policy configurations, amply portrays an apparent surge of optimism which ‘largely coincides’ with "
          "Kremlin’s vision, and there was likelihood the huge damage done to the whole complex of bilateral "
          "relations would change for the better."),
)


def test_a_bare_answer_must_stand_where_the_question_claim_is_made():
    """n104 of the gate: SmolLM2 answered with a name its source holds, but in a sentence about something else."""
    q = ("Who said the US was rapidly changing all foreign policy configurations in a way that largely coincides "
         "with the Kremlin's vision?")
    wrong = check_sentence("The answer is: The Russian Foreign Minister Sergey Lavrov [1].", [SPUTNIK, MENDING], q)
    right = check_sentence("The Kremlin's spokesman Dmitry Peskov [2].", [SPUTNIK, MENDING], q)
    assert not wrong.supported
    assert (right.supported, right.sources) == (True, [2])
