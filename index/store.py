"""The vector-store seam: Chroma, embedded under ``data_dir`` or a server at ``chroma_url``.

Both modes go through langchain-chroma's ``Chroma`` on a chromadb client we build, so the rest of
the code never knows which one it talks to. Telemetry is off: these machines have no internet and
a news archive is nobody else's business.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings


class StoreError(RuntimeError):
    """The vector store cannot be used as configured; the message says what to do."""


class EmbeddingMismatchError(StoreError):
    """The collection was written by another embedding model or dimension."""


def make_client(chroma_url: str | None, data_dir: Path) -> Any:
    """A chromadb client: ``HttpClient`` for a server URL, else ``PersistentClient`` in ``data_dir/chroma``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        url = urlparse(chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise StoreError(f"NEWSBOT_CHROMA_URL must look like http://HOST:PORT, got {chroma_url!r}")
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            raise StoreError(
                f"Chroma server at {chroma_url} is not reachable ({exc.__class__.__name__}): start it with "
                "`chroma run --path DIR` or unset NEWSBOT_CHROMA_URL to use the embedded store."
            ) from exc
    path = data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def open_collection(
    client: Any,
    name: str,
    embeddings: Embeddings,
    model_name: str,
    dim: int,
    create: bool,
) -> Any:
    """Open (or create) collection ``name`` as a langchain ``Chroma`` vector store.

    The collection's metadata records the embedding model and dimension; opening it with another
    model raises :class:`EmbeddingMismatchError`, since its vectors would be meaningless.
    """
    from langchain_chroma import Chroma

    if not create:
        open_for_search(client, name, model_name, dim)  # it must exist, written by this model
    store = Chroma(
        collection_name=name,
        embedding_function=embeddings,
        client=client,
        collection_metadata={"hnsw:space": "cosine", "embedding_model": model_name, "embedding_dim": dim},
        create_collection_if_not_exists=True,
    )
    if create:  # it may have existed already, written by another model
        check_embedding_model(client.get_collection(name, embedding_function=None).metadata or {}, model_name, dim)
    return store


def open_for_search(client: Any, name: str, model_name: str, dim: int) -> Any:
    """The chromadb collection ``name`` itself, for queries by vector, once its embedding model is checked.

    Readers embed the question themselves and query with the vector, so they need no LangChain
    wrapper; no embedding function is attached (chromadb would attach its own default model).
    Raises :class:`StoreError` if the collection does not exist, :class:`EmbeddingMismatchError`
    if another model wrote it.
    """
    try:
        collection = client.get_collection(name, embedding_function=None)
    except Exception as exc:  # noqa: BLE001 - NotFoundError's module moved between releases
        raise StoreError(f"Collection {name!r} does not exist: run `newsbot index`.") from exc
    check_embedding_model(collection.metadata or {}, model_name, dim)
    return collection


def check_embedding_model(metadata: dict, model_name: str, dim: int) -> None:
    """Raise :class:`EmbeddingMismatchError` unless ``metadata`` (what the index was built with) matches
    the configured ``model_name`` and its own dimension ``dim`` (never the stored one: the message names it)."""
    stored_model, stored_dim = metadata.get("embedding_model"), metadata.get("embedding_dim")
    if stored_model is None:
        return
    if stored_model != model_name or int(stored_dim or dim) != dim:
        built = f"{stored_model} ({stored_dim} dimensions)" if stored_dim else stored_model
        raise EmbeddingMismatchError(
            f"The index was built with embedding model {built} but the settings now choose "
            f"{model_name} ({dim} dimensions). "
            "Run `newsbot index --rebuild` to re-embed every article with the new model, "
            "or set NEWSBOT_EMBEDDINGS / NEWSBOT_EMBEDDING_MODEL / NEWSBOT_OLLAMA_EMBEDDING_MODEL back."
        )


def delete_collection(client: Any, name: str) -> None:
    try:
        client.delete_collection(name)
    except Exception:  # noqa: BLE001 - already gone is fine
        pass
