"""A question in a script the English-only embedder cannot read is told so, not "the articles do not say"."""

from __future__ import annotations

import pytest

from rag import Assistant
from rag.script import english_only, main_script, reading_model, script_note
from tests.helpers.fakes import scripted_llm


def test_the_main_script_of_a_question():
    assert main_script("Что сказал Antonov о посольстве?") == "Cyrillic"  # a Latin name does not make it Latin
    assert main_script("Τι είπε ο πρέσβης;") == "Greek"
    assert main_script("What did Antonov say about Москва?") is None
    assert main_script("2022?") is None


def test_which_embedders_read_english_only():
    assert english_only("all-MiniLM-L6-v2") and english_only("/models/all-MiniLM-L6-v2/")
    assert not english_only("/models/paraphrase-multilingual-MiniLM-L12-v2") and not english_only("hash-256")
    assert script_note("Кто посол России в США?", "hash-256") is None
    assert script_note("Who is Russia's ambassador?", "all-MiniLM-L6-v2") is None


def test_the_model_that_reads_questions_follows_the_embedder_setting(settings):
    """With NEWSBOT_EMBEDDINGS=ollama, bge-m3 reads the question: no "English only" note for Cyrillic."""
    minilm = settings.model_copy(update={"embeddings": "onnx", "embedding_model": "all-MiniLM-L6-v2"})
    assert reading_model(minilm) == "all-MiniLM-L6-v2" and script_note("Кто посол России в США?", reading_model(minilm))
    ollama = minilm.model_copy(update={"embeddings": "ollama", "ollama_embedding_model": "bge-m3"})
    assert reading_model(ollama) == "bge-m3" and script_note("Кто посол России в США?", reading_model(ollama)) is None
    assert "NEWSBOT_EMBEDDINGS=ollama" in script_note("Кто посол России в США?", "all-MiniLM-L6-v2")


@pytest.mark.slow
def test_a_russian_question_with_minilm_says_why_and_which_setting(minilm_store):
    a = Assistant(minilm_store, llm=scripted_llm("The articles do not say.")).ask("Кто сейчас посол России в США?")
    assert (a.refused, a.refusal, a.citations) == (True, "other_script", [])
    assert "Cyrillic" in a.text and "all-MiniLM-L6-v2" in a.text and "NEWSBOT_EMBEDDING_MODEL" in a.text
    assert "do not say" not in a.text
    english = Assistant(minilm_store, llm=scripted_llm("The articles do not say.")).ask("Who won the 2022 FIFA World Cup?")
    assert english.refused and english.refusal == "not_said" and english.text.startswith("The articles I have do not say.")
