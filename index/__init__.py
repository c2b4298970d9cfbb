"""Indexing: articles (folders, files, URLs) → cleaned, dated, chunked, embedded → Chroma + BM25.

Public surface, the write side::

    from index import Indexer
    report = Indexer(settings).run(["data/articles"])
    FeedRegistry(settings.data_dir).add("https://example.com/rss")   # follow a feed (index/feeds.py)
    report = refresh(settings)        # one pass over the feeds: report.new_article_ids
    export_onnx(settings)             # setup: the ONNX export of the embedding model, ahead of first use

This is all a front end may import from ``index`` (``newsbot index``, the bot's /reindex, the eval's
stores, ``newsbot embeddings export``). Reading is ``rag``'s job: ``index.reader`` (``IndexReader``,
``SearchIndex``) is the read side that ``rag`` builds on, and front ends list articles with
``rag.sources`` and check the index with ``rag.health`` (tests/test_layers.py).

Nothing is loaded at import time: the embedding model loads on the first run.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Where each public name lives, imported on first use (PEP 562): ``import index.dates`` from the read
# side, which every answer does, must not pay for the writer (the pipeline, the feeds, their libraries).
_HOMES = {
    "FeedError": "index.feeds", "FeedOutcome": "index.feeds", "FeedRegistry": "index.feeds",
    "RefreshReport": "index.feeds", "refresh": "index.feeds",
    "IndexBusyError": "index.layout",
    "Article": "index.models", "Chunk": "index.models", "IndexReport": "index.models", "Skipped": "index.models",
    "Indexer": "index.pipeline", "UsageError": "index.pipeline",
    "EmbeddingMismatchError": "index.store", "StoreError": "index.store",
    "export_onnx": "index.embeddings",
}

if TYPE_CHECKING:
    from index.embeddings import export_onnx
    from index.feeds import FeedError, FeedOutcome, FeedRegistry, RefreshReport, refresh
    from index.layout import IndexBusyError
    from index.models import Article, Chunk, IndexReport, Skipped
    from index.pipeline import Indexer, UsageError
    from index.store import EmbeddingMismatchError, StoreError


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = sorted(_HOMES)
