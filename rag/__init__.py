"""Answering: cited, date-aware answers from the indexed articles.

In a REPL, after `newsbot index`::

    >>> from rag import ask, retrieve
    >>> a = ask("Who was appointed Russia's new ambassador to the United States?")
    >>> print(a)                       # text with [n] markers, then the numbered sources with quotes
    >>> a.citations[0].quote, a.citations[0].date, a.refused
    >>> ask("Where were the consultations held?", history=[(a.question, a.text)])
    >>> retrieve("New START", k=3)     # ranked chunks with text and metadata
    >>> sources()                      # the indexed articles: title, outlet, date, ...
    >>> latest(5); digest("7d")        # what's new: the newest articles; what was added, by story
    >>> alerts_for("Antonov", ids)     # which of the just-indexed articles are about a topic

For LangChain apps, :func:`chain` is the same answer path as a ``Runnable`` (invoke, stream,
batch, callbacks), and ``Assistant().retriever`` is a ``BaseRetriever``.

The module functions use one default :class:`Assistant` (settings from the environment and
``.env``), built on first use: importing ``rag`` loads nothing.

This is also the front ends' one way to read the index (``bot``, ``newsbot``): answers, the list
of articles (:func:`sources`), how dates are shown (:func:`date_label`, :func:`describe_span`) and
the readiness check (:func:`check_ready`), and what's new (:func:`latest`, :func:`digest`,
:func:`alerts_for`, in ``rag/news.py``). They never import ``index``'s modules, so the index can
change inside without touching them; writing (``newsbot index``, the bot's /reindex) goes through
``index.Indexer`` (tests/test_layers.py holds both rules).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from core.settings import Settings
from index.dates import date_label, describe_span
from index.reader import EmptyIndexError
from index.store import StoreError
from rag.assistant import Assistant
from rag.llm import LLMUnavailableError
from rag.models import Answer, Citation, RetrievedChunk
from rag.news import Alert, Digest, NewsItem, Story, alerts_for, digest, items_by_path, latest, parse_since, topic_names
from rag.runnable import AnswerChain

__all__ = ["Alert", "Answer", "AnswerChain", "Assistant", "Citation", "Digest", "EmptyIndexError", "LLMUnavailableError",
           "NewsItem", "RetrievedChunk", "Story", "StoreError", "alerts_for", "ask", "chain", "check_ready", "date_label",
           "default_assistant", "describe_span", "digest", "items_by_path", "latest", "parse_since", "retrieve", "sources", "stream",
           "topic_names"]

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
    from rag.prompts import answer_prompt

    settings = assistant.settings
    answer_prompt(settings.prompts_dir)  # reads every prompt file and checks answer.txt's placeholders
    search = assistant.search
    search.refresh()
    if articles and not search.articles:
        raise EmptyIndexError(f"Nothing is indexed in {settings.data_dir}: run `newsbot index PATH` first "
                              f"(with no PATH it indexes {settings.articles_dir}, NEWSBOT_ARTICLES_DIR).")
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


def sources(settings: Settings | None = None) -> list[dict]:
    """The indexed articles, oldest first (undated last): what ``newsbot sources``, the bot's /sources
    and the chat list.

    Reads the current index's manifest only: no model loads and the vector store is not touched,
    so it is cheap enough for every /start.

    Args:
        settings: whose index; default: the one :func:`ask` reads (environment and ``.env``).

    Returns:
        One dict per article: ``id``, ``title``, ``source`` (the outlet), ``date``, ``date_source``,
        ``date_updated``, ``url``, ``path``, ``chunks``; an empty list when nothing is indexed.
    """
    from index.reader import IndexReader

    return IndexReader(settings or default_assistant().settings).sources()


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
