"""Answering: cited, date-aware answers from the indexed articles.

In a REPL, after `newsbot index`::

    >>> from rag import ask, retrieve
    >>> a = ask("Who was appointed Russia's new ambassador to the United States?")
    >>> print(a)                       # text with [n] markers, then the numbered sources with quotes
    >>> a.citations[0].quote, a.citations[0].date, a.refused
    >>> ask("Where were the consultations held?", history=[(a.question, a.text)])
    >>> retrieve("New START", k=3)     # ranked chunks with text and metadata

For LangChain apps, :func:`chain` is the same answer path as a ``Runnable`` (invoke, stream,
batch, callbacks), and ``Assistant().retriever`` is a ``BaseRetriever``.

The module functions use one default :class:`Assistant` (settings from the environment and
``.env``), built on first use: importing ``rag`` loads nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rag.assistant import Assistant
from index.store import StoreError
from rag.llm import LLMUnavailableError
from rag.models import Answer, Citation, RetrievedChunk
from rag.runnable import AnswerChain

if TYPE_CHECKING:
    from newsbot.settings import Settings

__all__ = ["Answer", "AnswerChain", "Assistant", "Citation", "LLMUnavailableError", "RetrievedChunk", "StoreError", "ask",
           "chain", "check_ready", "default_assistant", "retrieve", "stream"]

_default: Assistant | None = None
_default_lock = threading.Lock()


def default_assistant() -> Assistant:
    """The process-wide assistant behind :func:`ask`, :func:`stream` and :func:`retrieve`."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Assistant()
        return _default


def check_ready(assistant: Assistant, articles: bool = True) -> None:
    """Load now what the first question would, so a front end stops at start with the reason.

    Raises ``PromptError`` (prompt files), ``EmbeddingModelError`` (the model), ``StoreError`` (a
    damaged index, an unreachable Chroma server; ``EmbeddingMismatchError``: built with another
    model) and, with ``articles``, ``EmptyIndexError`` when nothing is indexed. The LLM is not
    checked: it may come up later (``rag.llm.check_llm`` checks it).
    """
    from index.reader import EmptyIndexError
    from rag.prompts import answer_prompt

    settings = assistant.settings
    answer_prompt(settings.prompts_dir)  # reads every prompt file and checks answer.txt's placeholders
    search = assistant.search
    search.refresh()
    if articles and not search.articles:
        raise EmptyIndexError(f"Nothing is indexed in {settings.data_dir}: run `newsbot index PATH` first "
                              "(the sample articles: `newsbot index data/articles`).")
    assistant.embeddings.embed_query("warm up")


def ask(question: str, history: list[tuple[str, str]] | None = None) -> Answer:
    """Answer ``question`` from the articles.

    Args:
        question: what to ask, in plain words.
        history: earlier ``(question, answer_text)`` pairs of this conversation, oldest first,
            so follow-ups like "When did he leave?" work.

    Returns:
        An :class:`Answer`: ``text`` with ``[n]`` markers, ``citations`` (each with a verbatim
        ``quote`` and the article's ``date``), and ``refused`` when the articles do not say.
    """
    return default_assistant().ask(question, history)


def stream(question: str, history: list[tuple[str, str]] | None = None) -> Iterator[str | Answer]:
    """Like :func:`ask`, but yields verified text deltas first and the final :class:`Answer` last."""
    return default_assistant().stream(question, history)


def retrieve(question: str, k: int = 5) -> list[RetrievedChunk]:
    """The ``k`` best chunks for ``question``, each with ``text`` and metadata (``title``, ``date``, ...)."""
    return default_assistant().retrieve(question, k)


def chain(settings: Settings | None = None, llm=None, embeddings=None) -> AnswerChain:
    """The whole answer path as a LangChain ``Runnable``: ``invoke``, ``stream``, ``batch``, callbacks.

    Args:
        settings: configuration; with no arguments at all, the chain shares the default assistant
            behind :func:`ask` (one index, one model in the process).
        llm: a LangChain chat model instead of the configured backend.
        embeddings: a LangChain embedder instead of the configured one (must match the index).

    Returns:
        An :class:`AnswerChain`: input ``"question"`` or ``{"question": ..., "history": [...]}``;
        ``invoke`` returns an :class:`Answer`, ``stream`` yields verified text pieces then the Answer.
    """
    if settings is None and llm is None and embeddings is None:
        return AnswerChain(default_assistant())
    return AnswerChain(Assistant(settings, llm=llm, embeddings=embeddings))
