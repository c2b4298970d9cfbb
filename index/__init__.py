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

from index.embeddings import export_onnx
from index.feeds import FeedError, FeedOutcome, FeedRegistry, RefreshReport, refresh
from index.layout import IndexBusyError
from index.models import Article, Chunk, IndexReport, Skipped
from index.pipeline import Indexer, UsageError
from index.store import EmbeddingMismatchError, StoreError

__all__ = [
    "Article",
    "Chunk",
    "EmbeddingMismatchError",
    "FeedError",
    "FeedOutcome",
    "FeedRegistry",
    "IndexBusyError",
    "IndexReport",
    "Indexer",
    "RefreshReport",
    "Skipped",
    "StoreError",
    "UsageError",
    "export_onnx",
    "refresh",
]
