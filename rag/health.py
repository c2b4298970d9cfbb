"""Is the index usable here: its parts as the product runs them, handed over as plain results.

Why this module: ``newsbot doctor`` must look at the index, the embedder and the feeds through the
code the product runs (a "✓" that a look-alike probe gave would mean nothing), while front ends read
the index only through ``rag`` (pyproject.toml, contract ``read-through-rag``). So the doctor asks
here, and this module asks ``index``: the current generation's stats (``index.reader``), the
embedder seam and the index's record of the model that built it (``index.embeddings``,
``index.store``), the feed list and the guarded fetch a refresh uses (``index.feeds``,
``index.loaders``). The doctor keeps the wording and the fixes; this module only finds things out.

Nothing is loaded at import time: each function imports what it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.embeddings import EmbeddingModelError
from index.store import StoreError

if TYPE_CHECKING:
    from core.settings import Settings
    from index.feeds import Feed

__all__ = ["Embedder", "EmbeddingModelError", "FeedProbe", "StoreError", "built_with", "embedder_matches",
           "feed_list_path", "followed_feeds", "index_stats", "load_embedder", "probe_feed"]


@dataclass(frozen=True)
class Embedder:
    """The embedder the settings choose, as the index records it: its name and dimension."""

    name: str
    dim: int


@dataclass(frozen=True)
class FeedProbe:
    """One feed fetched through the guarded fetch: ``ok`` with the HTTP status and body size, or the reason it failed."""

    url: str
    ok: bool
    reason: str = ""
    status: int | None = None
    size: int = 0


def index_stats(settings: Settings) -> dict | None:
    """What is live (``IndexReader.stats``): ``{generation, collection, revision, articles, chunks}``,
    or ``None`` when nothing is indexed. Raises :class:`StoreError` when the index cannot be read."""
    from index.reader import IndexReader

    return IndexReader(settings).stats()


def load_embedder(settings: Settings) -> Embedder:
    """Load the embedder the settings choose (``NEWSBOT_EMBEDDINGS``: onnx-int8 records another name
    than PyTorch) through the seam the indexer and the assistant use. Raises :class:`EmbeddingModelError`."""
    from index.embeddings import embedding_dim, embedding_name, embeddings_for

    embeddings = embeddings_for(settings)
    return Embedder(embedding_name(embeddings), embedding_dim(embeddings))


def built_with(settings: Settings, collection: str) -> dict:
    """The metadata of the index's Chroma ``collection``: the model name and dimension it was built with.

    Raises whatever chromadb raises when the collection is missing or the server cannot be read."""
    from index.store import make_client

    found = make_client(settings.chroma_url, settings.data_dir).get_collection(collection, embedding_function=None)
    return dict(found.metadata or {})


def embedder_matches(metadata: dict, embedder: Embedder) -> bool:
    """Whether the index (``metadata``, from :func:`built_with`) was built by ``embedder``: the rule
    answering applies (``index.store.check_embedding_model``; an index with no record matches)."""
    from index.store import EmbeddingMismatchError, check_embedding_model

    try:
        check_embedding_model(metadata, embedder.name, embedder.dim)
    except EmbeddingMismatchError:
        return False
    return True


def feed_list_path(settings: Settings) -> Path:
    """The file that lists the followed feeds (``data_dir/feeds.sqlite3``); it may not exist yet."""
    from index.feeds import FEEDS_DB

    return Path(settings.data_dir) / FEEDS_DB


def followed_feeds(settings: Settings) -> list[Feed]:
    """The followed feeds, from :func:`feed_list_path` (which must exist: opening creates it).

    Raises ``sqlite3.DatabaseError`` when the file is not a feed list."""
    from index.feeds import FeedRegistry

    with FeedRegistry(settings.data_dir) as registry:
        return registry.feeds()


def probe_feed(settings: Settings, url: str, timeout: float) -> FeedProbe:
    """GET ``url`` through the guarded fetch a refresh uses (``index.loaders.fetch``: private addresses
    refused unless ``allow_private_urls``, the size cap ``url_max_mb``), waiting at most ``timeout`` seconds."""
    from index.loaders import Fetched, fetch

    got = fetch(url, timeout, int(settings.url_max_mb * 1024 * 1024), settings.allow_private_urls)
    if not isinstance(got, Fetched):
        return FeedProbe(url, False, reason=got.reason)
    return FeedProbe(url, True, status=got.status, size=len(got.body))
