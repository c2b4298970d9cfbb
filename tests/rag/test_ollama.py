"""The Ollama backend's client path, against a loopback server that speaks Ollama's HTTP API."""

from __future__ import annotations

import pytest

from rag import Assistant, LLMUnavailableError
from rag.llm import context_for
from standins.ollama_api import OllamaStandIn
from tests.conftest import free_port

Q = "How many Russian diplomats did a US congressional proposal want to expel?"
GOOD = "A congressional proposal would expel 300 Russian diplomats from the United States [1]."


def settings_for(indexed, url, model="llama3.2:3b"):
    return indexed.model_copy(update={"llm": "ollama", "ollama_base_url": url, "ollama_model": model})


def test_streamed_answer_through_ollama(indexed, ollama):
    ollama.replies = [GOOD]
    parts = list(Assistant(settings_for(indexed, ollama.url)).stream(Q))
    answer = parts[-1]
    assert answer.mode == "generated" and "300 Russian diplomats" in answer.text
    assert "".join(parts[:-1]) == answer.text
    request = ollama.requests[-1]
    assert request["path"] == "/api/chat" and request["stream"] is True
    prompt_chars = sum(len(m["content"]) for m in request["messages"])
    assert request["options"]["num_ctx"] >= prompt_chars // 3, "num_ctx would truncate the prompt"
    assert request["options"]["temperature"] == 0 and request["options"]["num_predict"] == indexed.llm_max_tokens


def test_context_window_grows_with_the_prompt():
    assert context_for(1000, 200) == 2048
    assert context_for(30000, 200) == 16384


def test_server_down_says_what_to_run(indexed):
    s = settings_for(indexed, f"http://127.0.0.1:{free_port()}")
    with pytest.raises(LLMUnavailableError, match=r"not reachable .*ollama serve"):
        Assistant(s).ask(Q)


def test_model_not_pulled_says_what_to_run(indexed, ollama):
    with pytest.raises(LLMUnavailableError, match=r"ollama pull mistral"):
        Assistant(settings_for(indexed, ollama.url, model="mistral")).ask(Q)


def test_mid_stream_error_is_clear(indexed, ollama):
    ollama.replies = [GOOD + " " + GOOD]
    ollama.fail_mid_stream = True
    with pytest.raises(LLMUnavailableError, match="Ollama failed while answering .*out of memory"):
        list(Assistant(settings_for(indexed, ollama.url)).stream(Q))


def test_recovers_when_the_server_comes_back(indexed):
    port = free_port()
    assistant = Assistant(settings_for(indexed, f"http://127.0.0.1:{port}"))
    with pytest.raises(LLMUnavailableError):
        assistant.ask(Q)
    with OllamaStandIn(port=port) as server:
        server.replies = [GOOD]
        assert assistant.ask(Q).mode == "generated"


def test_recovers_after_a_mid_stream_failure(indexed, ollama):
    assistant = Assistant(settings_for(indexed, ollama.url))
    ollama.replies = [GOOD + " " + GOOD, GOOD]
    ollama.fail_mid_stream = True
    with pytest.raises(LLMUnavailableError):
        assistant.ask(Q)
    ollama.fail_mid_stream = False
    assert assistant.ask(Q).mode == "generated"


# Labeled sentences of data/eval/verifier.jsonl, across kinds and articles: each is the model's whole
# answer to its own question, streamed by the stand-in through the real Ollama client and verified.
CORRECT_IDS = ("v001 v010 v027 v077 v003 v007 v004 v031 v047 v055 v032 v054 v005 v012 v056 v084").split()  # two of each kind, and four the item-first rule must not throw away
WRONG_IDS = ("v013 v014 v016 v017 v040 v061 v072 v073 v087 v090 v115 v117").split()  # every kind of error


def test_labeled_answers_through_ollama_keep_the_right_and_drop_the_wrong(indexed, ollama):
    from newsbot.evaluation.verifier_set import load_rows, with_marker

    rows = {r["id"]: r for r in load_rows()}
    # several rows share a question and differ in the model's reply: the answer cache would answer the repeats
    assistant = Assistant(settings_for(indexed, ollama.url).model_copy(update={"answer_cache": "off"}))

    def shown(row) -> tuple[bool, object]:
        ollama.replies = [with_marker(row["sentence"], 1)]
        answer = assistant.ask(row["question"])
        core = " ".join(row["sentence"].rstrip(" .!?").split())
        return core in " ".join(answer.text.split()), answer

    kept = {i: shown(rows[i]) for i in CORRECT_IDS}
    leaked = {i: shown(rows[i]) for i in WRONG_IDS}
    assert all(rows[i]["label"] == "correct" for i in CORRECT_IDS) and all(rows[i]["label"] == "wrong" for i in WRONG_IDS)
    assert len(ollama.requests) >= len(CORRECT_IDS) + len(WRONG_IDS), "every answer must come through the stand-in"
    rate = sum(ok for ok, _ in kept.values()) / len(kept)
    print(f"\nthrough Ollama: {rate:.2f} of correct answers shown; wrong shown: "
          f"{[i for i, (ok, _) in leaked.items() if ok] or 'none'}")
    assert rate >= 14 / 16, {i: a.text for i, (ok, a) in kept.items() if not ok}
    assert all(a.mode == "generated" for ok, a in kept.values() if ok)
    assert not [i for i, (ok, _) in leaked.items() if ok], "a wrong sentence reached the answer"
