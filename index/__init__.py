"""Indexing: articles (folders, files, URLs) → cleaned, dated, chunked, embedded → Chroma + BM25.

Public surface::

    from index import Indexer, IndexReader
    report = Indexer(settings).run(["data/articles"])
    IndexReader(settings).sources()

Nothing is loaded at import time: the embedding model loads on the first run.
"""

from index.layout import IndexBusyError
from index.models import Article, Chunk, IndexReport, Skipped
from index.pipeline import Indexer, UsageError
from index.reader import IndexReader
from index.store import EmbeddingMismatchError, StoreError

__all__ = [
    "Article",
    "Chunk",
    "EmbeddingMismatchError",
    "IndexBusyError",
    "IndexReader",
    "IndexReport",
    "Indexer",
    "Skipped",
    "StoreError",
    "UsageError",
]
