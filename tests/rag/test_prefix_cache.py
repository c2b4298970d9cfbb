"""The prompt-head state on the real SmolLM2 through llama.cpp: after another prompt (a follow-up's
rewrite) the answer prompt's system head is loaded back, not evaluated again, and the reply is the
same as without it (temperature 0)."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from rag import llamacpp
from rag.llm import chat_model
from tests.conftest import make_settings

pytestmark = pytest.mark.slow

SYSTEM = "You answer questions about news articles, using only the numbered sources you are given."
ANSWER = [SystemMessage(SYSTEM), HumanMessage("Sources:\n[1] Antonov left Washington in October.\n\nQuestion: When did Antonov leave?")]
OTHER = [HumanMessage("Rewrite the last question: When did he leave?")]


def test_the_head_is_loaded_back_after_another_prompt_and_the_reply_is_the_same(tmp_path):
    s = make_settings(tmp_path / "store", llm_max_tokens=16)
    on, off = chat_model(s), chat_model(s.model_copy(update={"llm_prefix_cache": False}))
    llama, _ = llamacpp.load_llama(on.model_path, on.n_ctx, on.n_threads)
    heads = llamacpp._heads[(on.model_path, on.n_ctx, on.n_threads)]
    heads.clear()
    payload = on._payload(ANSWER, None)["messages"]
    head = llamacpp.head_tokens(llama, payload)
    assert head and len(head) > 10

    off.invoke(OTHER)
    without = off.invoke(ANSWER).content
    assert not heads  # off: nothing saved

    on.invoke(OTHER)
    assert llamacpp.restore_head(llama, heads, payload) == "saved"
    first = on.invoke(ANSWER).content  # the context holds the head now: kept, and llama.cpp evaluates the rest
    assert tuple(int(t) for t in llama.input_ids[:len(head)]) == head, "the head is not how the chat template starts the prompt"
    on.invoke(OTHER)
    assert llamacpp.restore_head(llama, heads, payload) == "loaded"
    again = on.invoke(ANSWER).content
    assert first == again == without
    assert llamacpp.restore_head(llama, heads, payload) == "kept"
    assert llamacpp.restore_head(llama, heads, [{"role": "user", "content": "no system"}]) == "none"
