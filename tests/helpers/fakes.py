"""Fakes for what cannot run in a fast test: a scripted chat model (langchain-core's own fake).

Tests get them from fixtures (``llm``, ``broken_llm`` in tests/conftest.py); ``scripted_llm`` stays
for the few places that need a second model or a slow one.
"""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import FakeListChatModel
from pydantic import Field


class ScriptedChatModel(FakeListChatModel):
    """A chat model that answers with its queued replies in turn (cycling, as langchain-core's fake
    does) and records every prompt it was sent, so a test can tell whether the LLM was reached."""

    prompts: list = Field(default_factory=list)
    """The messages of each call, in order."""

    def script(self, *replies: str) -> ScriptedChatModel:
        """Queue ``replies``; returns the model, for chaining."""
        self.responses.extend(replies)
        return self

    @property
    def called(self) -> bool:
        return bool(self.prompts)

    def _next(self, messages) -> None:
        self.prompts.append(messages)
        assert self.responses, "the scripted chat model was called, but no reply was scripted (llm.script(...))"

    def _call(self, messages, *args, **kwargs):
        self._next(messages)
        return super()._call(messages, *args, **kwargs)

    def _stream(self, messages, *args, **kwargs):
        self._next(messages)
        yield from super()._stream(messages, *args, **kwargs)


def scripted_llm(*replies: str, seconds_per_char: float | None = None) -> ScriptedChatModel:
    """A chat model that answers with ``replies`` in turn (streamed character by character,
    optionally as slowly as a real model)."""
    return ScriptedChatModel(responses=list(replies), sleep=seconds_per_char)


class BrokenLLM(FakeListChatModel):
    """A chat model whose backend has gone away."""

    def _stream(self, *args, **kwargs):
        raise ConnectionError("Failed to connect to Ollama")
        yield  # pragma: no cover

    def _call(self, *args, **kwargs):
        raise ConnectionError("Failed to connect to Ollama")
