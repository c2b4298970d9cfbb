"""The read side of the index: what is live now, for `newsbot sources`, retrieval and the bot.

Readers never take the write lock and never write; they open the current generation's manifest
read-only, so listing sources loads no model and touches no Chroma.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager

from core.settings import Settings
from index.layout import Generation, Layout
from index.manifest import Manifest
from index.store import StoreError


@contextmanager
def _damaged_as_store_error(gen: Generation) -> Iterator[None]:
    """A manifest SQLite cannot read becomes one :class:`StoreError` that says to rebuild."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"The index at {gen.dir} is damaged ({exc}): run `newsbot index --rebuild` to build it again.") from exc


class EmptyIndexError(StoreError):
    """Nothing is indexed under ``data_dir`` yet."""


class IndexReader:
    """A read-only view of the current generation of the index under ``settings.data_dir``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.layout = Layout(settings.data_dir, settings.collection)

    def generation(self) -> Generation | None:
        gen = self.layout.current()
        return gen if gen is not None and gen.manifest_path.exists() else None

    def open_manifest(self) -> Manifest | None:
        gen = self.generation()
        return Manifest(gen.manifest_path, readonly=True) if gen else None

    def revision(self) -> str | None:
        """Which index is live: ``"g0002:7"`` (the generation and its manifest revision); ``None`` when
        nothing is indexed. Every change to the index (a rebuild, an incremental run, a feed refresh, an
        upload) commits a new revision, so what is remembered under one (rag/cache.py) never outlives it.
        Cheap: one read-only SQLite query, no model and no Chroma.

        Raises:
            StoreError: the manifest cannot be read (damaged); the message says to rebuild.
        """
        gen = self.generation()
        if gen is None:
            return None
        with _damaged_as_store_error(gen), closing(Manifest(gen.manifest_path, readonly=True)) as manifest:
            return f"{gen.name}:{manifest.revision}"

    def stats(self) -> dict | None:
        """What is live, for `newsbot doctor`: ``{generation, collection, revision, articles, chunks,
        embedding_model, embedding_dim}``; ``None`` when nothing is indexed yet.

        Why here: the doctor must look at the index the way answering does (the current generation's
        manifest, read-only), not at SQL of its own that could drift from the schema.

        Raises:
            StoreError: the manifest cannot be read (damaged); the message says to rebuild.
        """
        gen = self.generation()
        if gen is None:
            return None
        with _damaged_as_store_error(gen), closing(Manifest(gen.manifest_path, readonly=True)) as manifest:
            dim = manifest.get_meta("embedding_dim")
            return {"generation": gen.name, "collection": gen.collection, "revision": manifest.revision,
                    "articles": manifest.count("articles"), "chunks": manifest.count("chunks"),
                    "embedding_model": manifest.get_meta("embedding_model"), "embedding_dim": int(dim) if dim else None}

    def sources(self) -> list[dict]:
        """Indexed articles, oldest first (undated last):
        ``{id, title, outlet, date, date_source, date_updated, url, path, chunks}``."""
        manifest = self.open_manifest()
        if manifest is None:
            return []
        try:
            return [
                {
                    "id": a["id"],
                    "title": a["title"],
                    "outlet": a["outlet"],
                    "date": a["date"],
                    "date_source": a["date_source"],
                    "date_updated": a["date_updated"],
                    "url": a["url"],
                    "path": a["path"],
                    "chunks": a["chunks"],
                }
                for a in manifest.articles()
            ]
        finally:
            manifest.close()


class SearchIndex:
    """Read-only search over the current generation: dense (Chroma) and keyword (BM25) lookups.

    Only chunks the manifest lists are returned (see ``index/manifest.py`` for why). It notices a
    new index run (manifest revision or generation changed) on :meth:`refresh` and reloads; a stale
    keyword index is rebuilt in memory, never written, because readers do not write.
    """

    def __init__(self, settings: Settings, embeddings) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.layout = Layout(settings.data_dir, settings.collection)
        self._state: tuple[str, int] | None = None
        self.chunks: dict[str, dict] = {}
        self.articles: dict[str, dict] = {}
        self.newest_dates: dict[str, int] = {}
        self._keyword = None
        self._collection = None
        self._client = None

    def refresh(self) -> None:
        """Reload if an index run changed the store since the last look (cheap when it did not)."""
        gen = self.layout.current()
        if gen is None or not gen.manifest_path.exists():
            self._state, self.chunks, self.articles, self._keyword, self._collection = None, {}, {}, None, None
            return
        try:
            manifest = Manifest(gen.manifest_path, readonly=True)
            try:
                state = (gen.name, manifest.revision)
                if state == self._state:
                    return
                self._load(gen, manifest)
                self._state = state
            finally:
                manifest.close()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"The index at {gen.dir} is damaged ({exc}): run `newsbot index --rebuild` to build it again."
            ) from exc

    def _load(self, gen: Generation, manifest: Manifest) -> None:
        from index.embeddings import embedding_dim, embedding_name
        from index.keyword import KeywordIndex, build_keyword_index
        from index.store import make_client, open_for_search

        rows = manifest.db.execute(
            'SELECT c.id, c.article_id, c.idx, c.start, c."end", c.text, a.title, a.outlet, a.date, a.url, a.source AS path,'
            f" {manifest.date_columns}"
            " FROM chunks c JOIN articles a ON a.id = c.article_id"
        )
        self.chunks = {r["id"]: dict(r) for r in rows}
        self.articles = {a["id"]: a for a in manifest.articles()}
        dates = sorted({a["date"] for a in self.articles.values() if a["date"]}, reverse=True)
        self.newest_dates = {d: rank for rank, d in enumerate(dates)}  # date → 0 for the newest
        keyword = KeywordIndex.load(gen.keyword_dir)
        if keyword is None or keyword.revision != manifest.revision:
            keyword = build_keyword_index(manifest)
        self._keyword = keyword
        if self._client is None:
            self._client = make_client(self.settings.chroma_url, self.settings.data_dir)  # raises StoreError if down
        dim = int(manifest.get_meta("embedding_dim") or 0)
        model = embedding_name(self.embeddings)
        stored = manifest.get_meta("embedding_model")
        if stored is not None and stored != model:
            from index.store import check_embedding_model

            check_embedding_model({"embedding_model": stored, "embedding_dim": dim}, model, embedding_dim(self.embeddings))
        self._collection = open_for_search(self._client, gen.collection, model, dim)

    def article_text(self, article_id: str) -> str:
        gen = self.layout.current()
        manifest = Manifest(gen.manifest_path, readonly=True)
        try:
            row = manifest.article(article_id)
        finally:
            manifest.close()
        return row["text"] if row else ""

    def dense(self, vector: list[float], n: int) -> list[tuple[str, float]]:
        """Top ``n`` live chunk ids by cosine similarity to ``vector``."""
        if self._collection is None or not self.chunks:
            return []
        n = min(n, len(self.chunks))
        try:
            res = self._collection.query(query_embeddings=[vector], n_results=n, include=["distances"])
        except Exception as exc:  # noqa: BLE001 - chromadb raises many types; all mean "cannot search now"
            self._client, self._collection, self._state = None, None, None  # reconnect on the next question
            place = self.settings.chroma_url or f"{self.settings.data_dir / 'chroma'}"
            raise StoreError(
                f"The vector store ({place}) cannot be searched right now ({exc.__class__.__name__}); "
                "if it is a Chroma server, check that `chroma run` is up. Retrying later will reconnect."
            ) from exc
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0]) if cid in self.chunks]

    def keyword(self, query: str, n: int) -> list[tuple[str, float]]:
        if self._keyword is None:
            return []
        return [(cid, s) for cid, s in self._keyword.search(query, n) if cid in self.chunks]

    def vectors(self, chunk_ids: list[str]) -> dict[str, list[float]]:
        """The stored embeddings of live chunks (by id), so "what's new" compares articles without
        embedding them again. Call :meth:`refresh` first; unknown or retired ids are left out."""
        wanted = [cid for cid in chunk_ids if cid in self.chunks]
        if self._collection is None or not wanted:
            return {}
        try:
            res = self._collection.get(ids=wanted, include=["embeddings"])
        except Exception as exc:  # noqa: BLE001 - as in dense(): every chromadb failure means "not now"
            self._client, self._collection, self._state = None, None, None
            raise StoreError(f"The vector store cannot be read right now ({exc.__class__.__name__}); retrying later will reconnect.") from exc
        return {cid: [float(x) for x in vector] for cid, vector in zip(res["ids"], res["embeddings"])}
