"""A LangChain chat model over llama-cpp-python, for the embedded default (a GGUF file on disk).

Why our own class: it is forty lines, streams, and loads each GGUF once per process (shared by
the CLI, the bot's worker thread and the tests) behind a lock, since one llama.cpp context must not
be used by two threads at once.

The prompt head (:func:`restore_head`): every answer prompt starts with the same system rules, and
llama.cpp already skips the part of a prompt that matches what its context holds from the call
before. That match is lost whenever another prompt ran in between (a follow-up's rewrite, which has
no system rules), so the state after the head is kept once and loaded back instead of evaluating
the head again. Why not ``Llama.set_cache(LlamaRAMCache())``: it saves the whole state after every
completion, logits included (~100 MB each for SmolLM2's 49k vocabulary), where one state per head is
all that is needed.
"""

from __future__ import annotations

import functools
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
_heads: dict[tuple[str, int, int], dict[tuple[int, ...], Any]] = {}
MAX_HEADS = 4
"""Head states kept per model (each is the KV cache of the head plus its logits: ~30 MB for SmolLM2's)."""

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


def load_llama(path: str, n_ctx: int, n_threads: int) -> tuple[Any, threading.Lock]:
    """The shared ``Llama`` for this file and its run lock (loaded on first call)."""
    key = (path, n_ctx, n_threads)
    with _load_lock:
        if key not in _models:
            from llama_cpp import Llama

            _models[key] = Llama(model_path=path, n_ctx=n_ctx, n_threads=n_threads, verbose=False, seed=0)
            _run_locks[key] = threading.Lock()
            _heads[key] = {}
        return _models[key], _run_locks[key]


def head_tokens(llama, messages: list[dict]) -> tuple[int, ...] | None:
    """The tokens of the prompt's fixed head (its system message, as the model's chat template writes it),
    tokenised the way ``create_chat_completion`` tokenises the whole prompt; ``None`` without one."""
    if not messages or messages[0]["role"] != "system" or "tokenizer.chat_template" not in llama.metadata:
        return None
    return _system_tokens(llama, messages[0]["content"])


@functools.lru_cache(maxsize=16)
def _system_tokens(llama, system: str) -> tuple[int, ...]:
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    def token_text(token: int) -> str:
        return llama._model.token_get_text(token) if token != -1 else ""

    formatter = Jinja2ChatFormatter(template=llama.metadata["tokenizer.chat_template"], eos_token=token_text(llama.token_eos()),
                                    bos_token=token_text(llama.token_bos()), add_generation_prompt=False)
    result = formatter(messages=[{"role": "system", "content": system}])
    return tuple(llama.tokenize(result.prompt.encode("utf-8"), add_bos=not result.added_special, special=True))


def restore_head(llama, heads: dict[tuple[int, ...], Any], messages: list[dict]) -> str:
    """Make the context hold the prompt's head before the call: ``"kept"`` when it already does (the call
    before had the same head), ``"loaded"`` from the saved state, ``"saved"`` when evaluated and saved
    now, ``"none"`` without a head. Call with the model's run lock held."""
    head = head_tokens(llama, messages)
    if not head:
        return "none"
    n = len(head)
    if llama.n_tokens >= n and tuple(int(t) for t in llama.input_ids[:n]) == head:
        return "kept"
    state = heads.get(head)
    if state is not None:
        llama.load_state(state)
        return "loaded"
    llama.reset()
    llama.eval(list(head))
    while len(heads) >= MAX_HEADS:
        heads.pop(next(iter(heads)))
    heads[head] = llama.save_state()
    return "saved"


class ChatLlamaCpp(BaseChatModel):
    """Chat completion with a local GGUF model through llama.cpp."""

    model_path: str
    n_ctx: int = 4096
    n_threads: int = 2
    temperature: float = 0.0
    max_tokens: int = 200
    prefix_cache: bool = True
    """Keep the state after the prompt's system head (:func:`restore_head`); NEWSBOT_LLM_PREFIX_CACHE."""

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

    def _prepare(self, llama, messages: list[dict]) -> None:
        if self.prefix_cache:
            restore_head(llama, _heads[(self.model_path, self.n_ctx, self.n_threads)], messages)

    def load(self) -> None:
        """Load the GGUF now (once per process; see :func:`load_llama`)."""
        load_llama(self.model_path, self.n_ctx, self.n_threads)

    def warm(self, system: str) -> str:
        """Load the model and make its context hold the state after ``system`` (the answer prompt's head),
        so that the first answer starts at the question: what ``Assistant.warm_up`` runs in the background."""
        llama, lock = load_llama(self.model_path, self.n_ctx, self.n_threads)
        if not self.prefix_cache:
            return "loaded"
        with lock:
            return restore_head(llama, _heads[(self.model_path, self.n_ctx, self.n_threads)], [{"role": "system", "content": system}])

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        llama, lock = load_llama(self.model_path, self.n_ctx, self.n_threads)
        payload = self._payload(messages, stop)
        with lock:
            self._prepare(llama, payload["messages"])
            out = llama.create_chat_completion(**payload)
        text = out["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        llama, lock = load_llama(self.model_path, self.n_ctx, self.n_threads)
        payload = self._payload(messages, stop)
        with lock:
            self._prepare(llama, payload["messages"])
            for part in llama.create_chat_completion(**payload, stream=True):
                delta = part["choices"][0]["delta"].get("content")
                if delta:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager:
                        run_manager.on_llm_new_token(delta, chunk=chunk)
                    yield chunk
