"""`Assistant.warm_up`: the embedded model loads, and evaluates the answer prompt's system head, in a
background thread, so a cold `newsbot ask` overlaps the model load with opening the index."""

from __future__ import annotations

import pytest

from rag import Assistant, llamacpp
from rag.prompts import answer_prompt
from tests.conftest import make_settings


def test_no_warm_up_for_an_injected_model_ollama_or_when_turned_off(tmp_path, llm):
    s = make_settings(tmp_path / "store")
    assert Assistant(s, llm=llm).warm_up() is None
    assert Assistant(s.model_copy(update={"llm": "ollama"})).warm_up() is None
    off = Assistant(s.model_copy(update={"llm_warm_up": False, "llm_answers": "always"}))
    assert off.warm_up() is None
    # the packaged model writing only when unsure (the default): most answers need no model, none loads
    assert Assistant(s).warm_up() is None
    always = Assistant(s.model_copy(update={"llm_answers": "always"}))
    assert always.warm_up() is not None
    always.settle()
    off.quiet_over()
    off.settle()  # nothing to wait for


def test_a_missing_model_file_does_not_raise_in_the_thread(tmp_path):
    """The question's own LLM call reports a missing GGUF in words; the warm-up stays quiet."""
    s = make_settings(tmp_path / "store", llm_model_path=tmp_path / "missing.gguf")
    a = Assistant(s)
    thread = a.warm_up()
    assert thread is not None
    a.settle()
    assert not thread.is_alive()


@pytest.mark.slow
def test_after_the_warm_up_the_model_holds_the_answer_prompts_head(tmp_path):
    s = make_settings(tmp_path / "store", llm_answers="always")
    a = Assistant(s)
    model = a.chat_model()
    llama, _ = llamacpp.load_llama(model.model_path, model.n_ctx, model.n_threads)
    llama.reset()
    heads = llamacpp._heads[(model.model_path, model.n_ctx, model.n_threads)]
    heads.clear()
    prompt = answer_prompt(s.prompts_dir)
    system = prompt.format_messages(**dict.fromkeys(prompt.input_variables, "x"))[0].content
    head = llamacpp.head_tokens(llama, [{"role": "system", "content": system}])
    assert head and len(head) > 50  # the real system rules, not an empty message

    thread = a.warm_up()
    assert a.warm_up() is thread  # one warm-up per assistant
    a.quiet_over()  # the load is over (llama.cpp silences stdout during it): printing is safe now
    assert (model.model_path, model.n_ctx, model.n_threads) in llamacpp._models
    a.settle()
    assert head in heads, "the head's state was not saved"
    assert tuple(int(t) for t in llama.input_ids[: len(head)]) == head, "the context does not hold the head"
    # The first answer prompt finds its head in place: nothing to evaluate again.
    assert llamacpp.restore_head(llama, heads, [{"role": "system", "content": system}]) == "kept"
