"""The whole answer path as a LangChain ``Runnable``, so a LangChain app can compose it, batch it
and trace it with its usual tools (callbacks, LangSmith, ``astream_events``).

    >>> from rag import chain
    >>> answers = chain()
    >>> answers.invoke("Who was appointed Russia's new ambassador to the United States?")  # an Answer
    >>> for part in answers.stream({"question": "Where were the consultations held?", "history": [(q, a)]}):
    ...     print(part if isinstance(part, str) else "", end="")   # verified text pieces, then the Answer
    >>> answers.batch(["Who is Antonov?", "What is New START?"])     # one Answer each, in order

It runs :meth:`rag.Assistant.stream`, the code path of the bot, the CLI and the eval: a run seen
by a callback handler holds the retriever run and the LLM runs of that answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForChainRun, CallbackManagerForChainRun
from langchain_core.messages import BaseMessage
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.runnables.config import get_config_list, run_in_executor

from rag.assistant import Assistant
from rag.models import Answer

ChainInput = str | dict[str, Any]
"""A question, or ``{"question": str, "history": [...]}``."""


class AnswerChain(Runnable[ChainInput, Answer]):
    """Question in, :class:`Answer` out; ``stream`` yields the verified text pieces first.

    The input is a question, or ``{"question": ..., "history": [...]}`` where the history is the
    conversation so far: ``(question, answer)`` pairs, oldest first, or LangChain chat messages
    (each human message paired with the AI message after it).

    ``batch`` answers one question at a time unless the config sets ``max_concurrency``: a local
    model answers one question at a time anyway, and the assistant's index is loaded on first use.

    Args:
        assistant: the engine that answers (its settings, index and LLM).
    """

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def invoke(self, input: ChainInput, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        return self._call_with_config(self._answer, input, config, run_type="chain")

    def stream(self, input: ChainInput, config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[str | Answer]:
        yield from self._transform_stream_with_config(iter([input]), self._parts, config, run_type="chain")

    async def astream(self, input: ChainInput, config: RunnableConfig | None = None,
                      **kwargs: Any) -> AsyncIterator[str | Answer]:
        async def inputs() -> AsyncIterator[ChainInput]:
            yield input

        async for part in self._atransform_stream_with_config(inputs(), self._aparts, config, run_type="chain"):
            yield part

    def batch(self, inputs: list[ChainInput], config: RunnableConfig | list[RunnableConfig] | None = None, *,
              return_exceptions: bool = False, **kwargs: Any) -> list[Answer]:
        if not inputs:
            return []
        return super().batch(inputs, _one_at_a_time(config, len(inputs)), return_exceptions=return_exceptions, **kwargs)

    async def abatch(self, inputs: list[ChainInput], config: RunnableConfig | list[RunnableConfig] | None = None, *,
                     return_exceptions: bool = False, **kwargs: Any) -> list[Answer]:
        if not inputs:
            return []
        return await super().abatch(inputs, _one_at_a_time(config, len(inputs)), return_exceptions=return_exceptions,
                                    **kwargs)

    def _answer(self, input: ChainInput, run_manager: CallbackManagerForChainRun) -> Answer:
        question, history = question_and_history(input)
        return self.assistant.ask(question, history, callbacks=run_manager.get_child())

    def _parts(self, inputs: Iterator[ChainInput], run_manager: CallbackManagerForChainRun) -> Iterator[str | Answer]:
        for input in inputs:
            question, history = question_and_history(input)
            yield from self.assistant.stream(question, history, callbacks=run_manager.get_child())

    async def _aparts(self, inputs: AsyncIterator[ChainInput], run_manager: AsyncCallbackManagerForChainRun,
                      config: RunnableConfig) -> AsyncIterator[str | Answer]:
        """Like :meth:`_parts`, each step of the (blocking) answer run in a worker thread."""
        async for input in inputs:
            question, history = question_and_history(input)
            parts = self.assistant.stream(question, history, callbacks=run_manager.get_child())
            while (part := await run_in_executor(config, next, parts, None)) is not None:
                yield part


def question_and_history(value: ChainInput) -> tuple[str, list[tuple[str, str]]]:
    """The question and the conversation's ``(question, answer)`` pairs from a chain's input.

    Raises:
        TypeError: the input is neither a question nor a dict with a ``"question"`` string.
    """
    if isinstance(value, str):
        return value, []
    if isinstance(value, dict) and isinstance(value.get("question"), str):
        history = list(value.get("history") or [])
        if all(isinstance(m, BaseMessage) for m in history):
            return value["question"], _pairs(history)
        return value["question"], [(str(q), str(a)) for q, a in history]
    raise TypeError("rag.chain() takes a question (a string) or {'question': str, 'history': [(question, answer), ...]}, "
                    f"not {type(value).__name__}")


def _pairs(messages: list[BaseMessage]) -> list[tuple[str, str]]:
    """Chat messages as (question, answer) pairs: each human message with the AI message after it."""
    pairs, asked = [], None
    for m in messages:
        if m.type == "human":
            asked = m.text
        elif m.type == "ai" and asked is not None:
            pairs.append((asked, m.text))
            asked = None
    return pairs


def _one_at_a_time(config: RunnableConfig | list[RunnableConfig] | None, n: int) -> list[RunnableConfig]:
    """``config`` for ``n`` inputs, with ``max_concurrency`` 1 where it does not say."""
    return [{**c, "max_concurrency": c.get("max_concurrency") or 1} for c in get_config_list(config, n)]
