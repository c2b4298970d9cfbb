"""The whole answering path on the embedded defaults: real MiniLM, real Chroma, real SmolLM2 via llama.cpp."""

from __future__ import annotations

import os

import pytest

from rag import Assistant
from rag import llamacpp

pytestmark = pytest.mark.slow
NEW_AMBASSADOR = "Who was appointed Russia's new ambassador to the United States?"


@pytest.fixture(scope="module")
def assistant(minilm_store):
    return Assistant(minilm_store)


def test_new_ambassador_is_named_and_cited(assistant, minilm_store):
    a = assistant.ask(NEW_AMBASSADOR)
    assert not a.refused and "Darchiyev" in a.text
    cited = {os.path.basename(c.path)[:3] for c in a.citations}
    assert "004" in cited
    darchiyev = next(c for c in a.citations if "Darchiyev" in c.quote)
    # the article states no date but mentions 2022: shown as a lower bound, never as an exact date
    assert (darchiyev.date, darchiyev.date_source) == ("2022-01-01", "estimate")
    assert "not before 2022" in a.text and "2022-01-01" not in a.text and "1 January 2022" not in a.text
    assert all(c.quote in assistant.search.article_text(c.article_id) for c in a.citations)
    assert {c.chunk_id for c in a.citations} <= set(assistant.search.chunks)  # cited chunks are live in the index


def test_followup_keeps_the_context(assistant):
    first = assistant.ask(NEW_AMBASSADOR)
    follow = assistant.ask("Where were the consultations held?", [(NEW_AMBASSADOR, first.text)])
    assert not follow.refused
    assert "Istanbul" in follow.text + " ".join(c.quote for c in follow.citations)


@pytest.mark.parametrize("question", ["Who won the 2022 FIFA World Cup?", "Who is China's ambassador to the United States?",
                                      "How do I bake sourdough bread?"])
def test_out_of_corpus_and_near_misses_are_refused(assistant, question):
    a = assistant.ask(question)
    assert a.refused and a.citations == [] and "5 articles" in a.text


def test_dated_answer_says_when(assistant):
    a = assistant.ask("How many Russian diplomats did a US congressional proposal want to expel?")
    assert "300" in a.text and "12 October 2021" in a.text
    assert a.citations[0].date == "2021-10-12"


def test_stream_and_model_loaded_once(assistant, minilm_store):
    parts = list(assistant.stream("When did Antonov leave Washington?"))
    assert "".join(parts[:-1]) == parts[-1].text and "March 20" in parts[-1].text
    Assistant(minilm_store).ask("Which arms control treaty did Biden decide to prolong?")
    assert len(llamacpp._models) == 1
