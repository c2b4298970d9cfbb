"""Citation verification, sentence by sentence, against retrieved chunks."""

from __future__ import annotations

from rag.models import RetrievedChunk
from rag.verify import anchored, check_sentence, is_refusal, split_answer, strip_markers, support

SPUTNIK = RetrievedChunk(
    id="s-1", article_id="s", title="US Charge d'Affaires Says It Is Important for Biden That Embassy in Moscow Remain Open",
    source="Sputnik", date="2022-11-28", url="https://sputniknews.com/x", path="001.txt", start=0, end=10,
    text=('"Our bilateral relations are a rather low level," Rood said. The charge d\'affaires expressed hope that '
          "Moscow and Washington would not expel diplomats anymore. Russian Ambassador to the United States Anatoly "
          "Antonov said earlier in November that it took a lot of work to steer Washington toward understanding that "
          "sanctions were causing significant damage."),
)
REUTERS = RetrievedChunk(
    id="r-1", article_id="r", title="Russia vs U.S: Embassy Rows Unresolved", source="Reuters", date="2021-10-12", url=None,
    path="003.txt", start=0, end=10,
    text=("Last week the Russian foreign ministry said a U.S. congressional proposal to expel 300 Russian diplomats "
          "from the United States would lead to the closure of U.S. diplomatic facilities in Russia if implemented."),
)
CHUNKS = [SPUTNIK, REUTERS]
Q = "How many Russian diplomats did a US congressional proposal want to expel?"


def test_markers_are_read_and_stripped():
    assert strip_markers("A proposal to expel 300 diplomats [2][1].") == ("A proposal to expel 300 diplomats.", [2, 1])
    assert strip_markers("Text [1, 2] more.") == ("Text more.", [1, 2])
    assert split_answer("First claim here. [1] Second claim there [2].") == ["First claim here [1].", "Second claim there [2]."]


def test_supported_sentence_keeps_its_right_citation():
    r = check_sentence("A congressional proposal would expel 300 Russian diplomats from the United States [2].", CHUNKS, Q)
    assert (r.supported, r.sources) == (True, [2])


def test_wrong_citation_number_is_corrected():
    r = check_sentence("A congressional proposal would expel 300 Russian diplomats from the United States [1].", CHUNKS, Q)
    assert (r.supported, r.sources) == (True, [2])


def test_citation_out_of_range_or_missing_is_fixed():
    for s in ("A congressional proposal would expel 300 Russian diplomats [7].", "A congressional proposal would expel 300 Russian diplomats."):
        r = check_sentence(s, CHUNKS, Q)
        assert (r.supported, r.sources) == (True, [2])


def test_invented_number_is_dropped():
    r = check_sentence("A congressional proposal would expel 500 Russian diplomats [2].", CHUNKS, Q)
    assert not r.supported


def test_fact_stitched_from_two_sentences_is_dropped():
    question = "Who is the US charge d'affaires quoted by Sputnik?"
    claim = "The US charge d'affaires quoted by Sputnik is Anatoly Antonov [1]."
    assert not anchored("The US charge d'affaires quoted by Sputnik is Anatoly Antonov", question, SPUTNIK)
    assert not check_sentence(claim, CHUNKS, question).supported
    assert check_sentence("Rood said bilateral relations are at a rather low level [1].", CHUNKS, "What did Rood say about bilateral relations?").supported


def test_irrelevant_but_true_sentence_is_dropped():
    r = check_sentence("Antonov said it took a lot of work to steer Washington [1].", CHUNKS, Q)
    assert not r.supported


def test_date_words_support_as_of_phrases():
    assert support("As of November 2022, Antonov said sanctions were causing significant damage",
                   "Sputnik 28 November 2022 2022-11-28 Antonov said sanctions were causing significant damage") > 0.9


def test_refusals_are_recognised():
    assert is_refusal("The articles do not say.")
    assert is_refusal("I don't know the answer to that.")
    assert not is_refusal("Antonov left Washington on March 20.")


def test_echoed_source_headings_are_not_claims():
    echo = "Russia vs U.S: Embassy Rows Unresolved (Reuters, 2021-10-12)\nA proposal would expel 300 Russian diplomats [1]."
    assert split_answer(echo) == ["A proposal would expel 300 Russian diplomats [1]."]
