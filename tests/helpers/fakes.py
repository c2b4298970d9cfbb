"""Fakes for what cannot run in a fast test: a scripted chat model (langchain-core's own fake)."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import FakeListChatModel


def scripted_llm(*replies: str, seconds_per_char: float | None = None) -> FakeListChatModel:
    """A chat model that answers with ``replies`` in turn (streamed character by character,
    optionally as slowly as a real model)."""
    return FakeListChatModel(responses=list(replies), sleep=seconds_per_char)


class BrokenLLM(FakeListChatModel):
    """A chat model whose backend has gone away."""

    def _stream(self, *args, **kwargs):
        raise ConnectionError("Failed to connect to Ollama")
        yield  # pragma: no cover

    def _call(self, *args, **kwargs):
        raise ConnectionError("Failed to connect to Ollama")
