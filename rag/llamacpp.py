"""A LangChain chat model over llama-cpp-python, for the embedded default (a GGUF file on disk).

Why our own class: it is forty lines, streams, and loads each GGUF once per process (shared by
the CLI, the bot's worker thread and the tests) behind a lock, since one llama.cpp context must not
be used by two threads at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

_models: dict[tuple[str, int, int], Any] = {}
_load_lock = threading.Lock()
_run_locks: dict[tuple[str, int, int], threading.Lock] = {}

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


def load_llama(path: str, n_ctx: int, n_threads: int) -> tuple[Any, threading.Lock]:
    """The shared ``Llama`` for this file and its run lock (loaded on first call)."""
    key = (path, n_ctx, n_threads)
    with _load_lock:
        if key not in _models:
            from llama_cpp import Llama

            _models[key] = Llama(model_path=path, n_ctx=n_ctx, n_threads=n_threads, verbose=False, seed=0)
            _run_locks[key] = threading.Lock()
        return _models[key], _run_locks[key]


class ChatLlamaCpp(BaseChatModel):
    """Chat completion with a local GGUF model through llama.cpp."""

    model_path: str
    n_ctx: int = 4096
    n_threads: int = 2
    temperature: float = 0.0
    max_tokens: int = 200

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _payload(self, messages: list[BaseMessage], stop: list[str] | None) -> dict:
        return {
            "messages": [{"role": _ROLES.get(m.type, "user"), "content": m.content} for m in messages],
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "stop": stop or [],
        }

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        llama, lock = load_llama(self.model_path, self.n_ctx, self.n_threads)
        with lock:
            out = llama.create_chat_completion(**self._payload(messages, stop))
        text = out["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        llama, lock = load_llama(self.model_path, self.n_ctx, self.n_threads)
        with lock:
            for part in llama.create_chat_completion(**self._payload(messages, stop), stream=True):
                delta = part["choices"][0]["delta"].get("content")
                if delta:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager:
                        run_manager.on_llm_new_token(delta, chunk=chunk)
                    yield chunk
