"""The answer cache through the real assistant and the real index (Chroma, manifest, BM25): what hits,
what misses, and that any index change invalidates. The scripted model counts LLM calls."""

from __future__ import annotations

import sqlite3

from index import Indexer
from rag import Assistant
from rag.cache import FILE_NAME, AnswerCache, cache_key, normalise
from tests.helpers.fakes import scripted_llm

Q = "How many Russian diplomats did a US congressional proposal want to expel?"
GOOD = "A U.S. congressional proposal would expel 300 Russian diplomats from the United States [1]."
NEW_ARTICLE = """Title: Embassy staff cuts debated again
Outlet: Example Wire
Date: 2021-11-02

Lawmakers debated again on Tuesday a proposal to expel 300 Russian diplomats from the United States,
and a vote on the measure was postponed until December, a committee aide said.
"""


def test_the_same_question_is_answered_once_with_its_sources_and_quotes(indexed):
    llm = scripted_llm(GOOD)
    a = Assistant(indexed, llm=llm)
    first = a.ask(Q)
    second = a.ask(f"  {Q} ")  # spacing is normalised away
    assert len(llm.prompts) == 1, "the second ask reached the LLM"
    assert (a.answers.hits, a.answers.misses) == (1, 1)
    assert second.text == first.text and second.mode == first.mode == "generated" and not second.refused
    assert second.citations == first.citations and "300 Russian diplomats" in second.citations[0].quote
    assert second.timings.get("cached") == 1.0 and "cached" not in first.timings
    assert "cache" in second.timings and "retrieve" not in second.timings


def test_a_cached_answer_is_not_changed_by_what_the_caller_does_with_it(indexed):
    a = Assistant(indexed, llm=scripted_llm(GOOD))
    first = a.ask(Q)
    first.text, first.citations[:] = "changed", []
    again = a.ask(Q)
    assert again.text != "changed" and again.citations


def test_streaming_a_hit_yields_the_text_then_the_answer(indexed):
    a = Assistant(indexed, llm=scripted_llm(GOOD))
    a.ask(Q)
    parts = list(a.stream(Q))
    assert "".join(p for p in parts if isinstance(p, str)) == parts[-1].text


def test_an_index_change_invalidates(indexed, corpus):
    llm = scripted_llm(GOOD)
    a = Assistant(indexed, llm=llm)
    a.ask(Q)
    (corpus / "zz_new.txt").write_text(NEW_ARTICLE)
    Indexer(indexed).run([str(corpus)])  # an incremental run: a new manifest revision
    a.ask(Q)
    assert len(llm.prompts) == 2 and a.answers.hits == 0
    a.ask(Q)
    assert len(llm.prompts) == 2 and a.answers.hits == 1  # and the new answer is cached in turn


def test_a_rebuild_invalidates(indexed, corpus):
    llm = scripted_llm(GOOD)
    a = Assistant(indexed, llm=llm)
    a.ask(Q)
    Indexer(indexed).run([str(corpus)], rebuild=True)
    a.ask(Q)
    assert len(llm.prompts) == 2


def test_a_follow_up_is_keyed_by_its_standalone_form(indexed):
    llm = scripted_llm("Anatoly Antonov left Washington on 2 October 2021 [1].")
    a = Assistant(indexed, llm=llm)
    history = [("Who is Anatoly Antonov?", "Anatoly Antonov is Russia's ambassador to the United States [1].")]
    follow = a.ask("When did he leave Washington?", history)
    assert "Antonov" in follow.standalone_question and follow.question == "When did he leave Washington?"
    calls = len(llm.prompts)
    again = a.ask(follow.standalone_question)  # the same question asked on its own: the follow-up's answer
    assert len(llm.prompts) == calls and again.timings.get("cached") == 1.0
    assert again.text == follow.text and again.question == follow.standalone_question
    a.ask("When did he leave Washington?")  # the same words without the conversation: another question
    assert a.answers.hits == 1


def test_other_answering_settings_miss(indexed):
    llm = scripted_llm(GOOD)
    a = Assistant(indexed, llm=llm)
    a.ask(Q)
    other = indexed.model_copy(update={"retrieval_k": 3})
    a.settings = other  # same cache, other settings
    a.ask(Q)
    assert len(llm.prompts) == 2 and a.answers.hits == 0


def test_off_means_no_cache(indexed):
    llm = scripted_llm(GOOD)
    a = Assistant(indexed.model_copy(update={"answer_cache": "off"}), llm=llm)
    a.ask(Q)
    a.ask(Q)
    assert len(llm.prompts) == 2 and a.answers is None


def test_the_disk_cache_survives_a_new_assistant(indexed):
    s = indexed.model_copy(update={"answer_cache": "disk"})
    llm = scripted_llm(GOOD)
    first = Assistant(s, llm=llm).ask(Q)
    fresh = Assistant(s, llm=llm)
    again = fresh.ask(Q)
    assert len(llm.prompts) == 1 and fresh.answers.hits == 1
    assert again.text == first.text and again.citations == first.citations and again.mode == first.mode
    assert (s.data_dir / FILE_NAME).is_file()


def test_the_disk_cache_sweeps_other_revisions_and_stays_bounded(tmp_path):
    from rag.models import Answer

    cache = AnswerCache(size=2, path=tmp_path / FILE_NAME)
    for i in range(3):
        cache.put(f"k{i}", Answer(f"a{i}"), "g0001:1")
    cache.put("k3", Answer("a3"), "g0001:2")
    rows = sqlite3.connect(tmp_path / FILE_NAME).execute("SELECT key FROM answers").fetchall()
    assert rows == [("k3",)]
    assert len(cache._memory) == 2  # the memory tier is bounded too


def test_a_damaged_disk_cache_is_a_miss_not_an_error(tmp_path):
    path = tmp_path / FILE_NAME
    path.write_bytes(b"this is not a database" * 100)
    cache = AnswerCache(size=4, path=path)
    assert cache.get("k", "q") is None and cache.misses == 1


def test_the_key_keeps_case_and_punctuation():
    assert normalise("  Who  is\u00a0Antonov? ") == "Who is Antonov?"
    assert cache_key("who is antonov", "g1:1", "d") != cache_key("Who is Antonov?", "g1:1", "d")
    assert cache_key("Who is Antonov?", "g1:1", "d") != cache_key("Who is Antonov?", "g1:2", "d")


def test_a_refusal_keeps_why_through_the_disk_and_a_hit_has_a_trace_of_its_own(indexed, tmp_path):
    import json

    s = indexed.model_copy(update={"answer_cache": "disk", "trace_file": tmp_path / "traces.jsonl"})
    llm = scripted_llm(GOOD)
    question = "What did Zebulon Quattlebaum say about the embassy?"
    first = Assistant(s, llm=llm).ask(question)
    again = Assistant(s, llm=llm).ask(question)
    assert first.refused and first.refusal == "not_said"
    assert again.timings.get("cached") == 1.0 and (again.refused, again.refusal, again.text) == (True, "not_said", first.text)
    assert again.trace is not first.trace
    records = [json.loads(line) for line in (tmp_path / "traces.jsonl").read_text().splitlines()]
    assert records[0]["gate"]["decision"] == "refuse" and records[0]["retrieved"]
    assert records[1]["timings"]["cached"] == 1.0 and records[1]["gate"] == {"decision": "not reached", "reason": None}
    assert records[1]["refused"] and not records[1]["retrieved"]
