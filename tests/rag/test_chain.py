"""``rag.chain()``: the answer path as a LangChain Runnable, run through the real code (Chroma, BM25,
verification) with the hashing embedder and a scripted chat model."""

from __future__ import annotations

import asyncio
from uuid import UUID

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.runnables import Runnable, RunnableLambda

import rag
from rag import Answer, Assistant, chain
from tests.helpers.fakes import scripted_llm

Q_DIPLOMATS = "How many Russian diplomats did a US congressional proposal want to expel?"
REPLY = ("A congressional proposal would expel 300 Russian diplomats from the United States [1]. "
         "The Russian foreign ministry said the proposal to expel the diplomats would lead to the closure of U.S. "
         "diplomatic facilities in Russia [1].")
FOLLOWUP = "Where were the consultations held?"
EARLIER = ("Who was appointed Russia's new ambassador to the United States?",
           "In March, reports indicated Alexander Darchiyev appointed as new Russian ambassador [1].")


class Recorder(BaseCallbackHandler):
    """Every run a LangChain app's tracer would see: kind, name, its parent, and the chain's output."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, UUID, UUID | None]] = []
        self.chain_inputs: list = []
        self.chain_outputs: list = []
        self.tags: list[list[str]] = []

    def on_chain_start(self, serialized, inputs, *, run_id, parent_run_id=None, tags=None, **kwargs):
        self.events.append(("chain_start", kwargs.get("name"), run_id, parent_run_id))
        self.tags.append(tags or [])

    def on_chain_end(self, outputs, *, run_id, parent_run_id=None, **kwargs):
        self.events.append(("chain_end", "", run_id, parent_run_id))
        self.chain_inputs.append(kwargs.get("inputs"))
        self.chain_outputs.append(outputs)

    def on_retriever_start(self, serialized, query, *, run_id, parent_run_id=None, **kwargs):
        self.events.append(("retriever_start", query, run_id, parent_run_id))

    def on_retriever_end(self, documents, *, run_id, parent_run_id=None, **kwargs):
        self.events.append(("retriever_end", str(len(documents)), run_id, parent_run_id))

    def on_chat_model_start(self, serialized, messages, *, run_id, parent_run_id=None, **kwargs):
        self.events.append(("llm_start", messages[0][-1].content, run_id, parent_run_id))

    def kinds(self) -> list[str]:
        return [e[0] for e in self.events]

    def parent(self, kind: str) -> UUID | None:
        return next(e[3] for e in self.events if e[0] == kind)

    def chain_run(self) -> UUID:
        return next(e[2] for e in self.events if e[0] == "chain_start")


@pytest.fixture
def answers(indexed, llm):
    """The chain over the sample corpus, its scripted model giving REPLY."""
    return chain(indexed, llm=llm.script(REPLY))


def test_invoke_gives_the_assistants_answer(indexed, llm, answers):
    assert isinstance(answers, Runnable)
    a = answers.invoke(Q_DIPLOMATS)
    assert len(llm.prompts) == 1
    assert isinstance(a, Answer) and (a.mode, a.refused) == ("generated", False)
    assert a.text == Assistant(indexed, llm=scripted_llm(REPLY)).ask(Q_DIPLOMATS).text
    assert "300 Russian diplomats" in a.text and a.citations[0].outlet == "Reuters"


def test_stream_yields_verified_pieces_then_the_answer(answers):
    parts = list(answers.stream({"question": Q_DIPLOMATS}))
    *pieces, answer = parts
    assert isinstance(answer, Answer) and len(pieces) >= 2 and all(isinstance(p, str) for p in pieces)
    assert "".join(pieces) == answer.text and answer.mode == "generated"


@pytest.mark.parametrize("history", [[EARLIER], [list(EARLIER)], [HumanMessage(EARLIER[0]), AIMessage(EARLIER[1])]],
                         ids=["pairs", "lists", "messages"])
def test_history_as_pairs_or_chat_messages(indexed, llm, history):
    a = chain(indexed, llm=llm.script("The articles do not say.")).invoke({"question": FOLLOWUP, "history": history})
    assert "Darchiyev" in a.standalone_question and a.question == FOLLOWUP


def test_batch_answers_each_input_in_order(indexed):
    answers = chain(indexed, llm=scripted_llm(REPLY, "The articles do not say.", seconds_per_char=0.0005))
    handler = Recorder()
    out = answers.batch([Q_DIPLOMATS, "What did Zebulon Quattlebaum say about the embassy?", FOLLOWUP],
                        config={"callbacks": [handler]})
    assert [a.mode for a in out] == ["generated", "refused", "extractive"]
    assert out[2].question == FOLLOWUP and answers.batch([]) == []
    # one question at a time by default: each answer's run ends before the next one starts
    top = [kind for kind, _, _, parent in handler.events if kind.startswith("chain") and parent is None]
    assert top == ["chain_start", "chain_end"] * 3


def test_a_callback_handler_sees_the_run_and_its_steps(answers):
    handler = Recorder()
    a = answers.invoke(Q_DIPLOMATS, config={"callbacks": [handler], "run_name": "news answer", "tags": ["newsbot"]})
    kinds = handler.kinds()
    assert kinds[0] == "chain_start" and kinds[-1] == "chain_end"
    assert kinds.index("retriever_start") < kinds.index("retriever_end") < kinds.index("llm_start")
    run = handler.chain_run()
    assert handler.parent("retriever_start") == run and handler.parent("llm_start") == run
    assert handler.events[0][1] == "news answer" and "newsbot" in handler.tags[0]
    assert handler.chain_outputs == [a]
    assert Q_DIPLOMATS in next(e[1] for e in handler.events if e[0] == "llm_start")  # the prompt the model got


def test_streaming_is_traced_too(answers):
    handler = Recorder()
    parts = list(answers.stream(Q_DIPLOMATS, config={"callbacks": [handler]}))
    assert handler.kinds()[0] == "chain_start" and handler.kinds()[-1] == "chain_end"
    assert handler.parent("llm_start") == handler.chain_run()
    assert handler.chain_outputs == [parts[-1]] and handler.chain_inputs == [Q_DIPLOMATS]


def test_astream_streams_and_is_traced(answers):
    handler = Recorder()

    async def collect():
        return [p async for p in answers.astream(Q_DIPLOMATS, config={"callbacks": [handler]})]

    *pieces, answer = asyncio.run(collect())
    assert isinstance(answer, Answer) and len(pieces) >= 2 and "".join(pieces) == answer.text
    assert handler.parent("retriever_start") == handler.chain_run() == handler.parent("llm_start")
    assert [a.text for a in asyncio.run(answers.abatch([Q_DIPLOMATS]))] == [answer.text]


def test_it_composes_with_other_runnables(answers):
    pipeline = RunnableLambda(lambda topic: {"question": f"How many {topic} did a US congressional proposal want to expel?"}) \
        | answers | RunnableLambda(lambda a: [c.n for c in a.citations])
    assert pipeline.invoke("Russian diplomats") == [1]


@pytest.mark.parametrize("bad", [42, {"q": "Who?"}, ["Who?"]])
def test_other_input_is_a_clear_error(answers, bad):
    with pytest.raises(TypeError, match="takes a question"):
        answers.invoke(bad)


def test_chain_without_arguments_shares_the_default_assistant(monkeypatch):
    monkeypatch.setattr(rag, "_default", None)
    assert chain().assistant is rag.default_assistant()
    assert chain().assistant._search is None  # building the chain loads nothing


@pytest.mark.slow
def test_real_models_through_the_chain(minilm_store):
    """The packaged MiniLM and the embedded SmolLM2, streamed and traced through the Runnable."""
    handler = Recorder()
    always = minilm_store.model_copy(update={"llm_answers": "always"})  # auto answers this one from the sentence
    parts = list(chain(always).stream("Who was appointed Russia's new ambassador to the United States?",
                                      config={"callbacks": [handler]}))
    *pieces, answer = parts
    assert "".join(pieces) == answer.text and "Darchiyev" in answer.text and not answer.refused
    assert handler.parent("llm_start") == handler.chain_run()  # the real model was asked
    assert answer.timings["llm"] > 0


def test_ask_hands_its_callbacks_to_the_retriever_and_the_model(llm, assistant):
    """Outside a chain run too: callbacks passed to ``ask`` see the retrieval and the LLM call."""
    handler = Recorder()
    llm.script(REPLY)
    assistant.ask(Q_DIPLOMATS, callbacks=[handler])
    kinds = handler.kinds()
    assert "retriever_start" in kinds and "retriever_end" in kinds
    assert [e[1] for e in handler.events if e[0] == "llm_start"] == [llm.prompts[0][-1].content]
