"""One index run: find inputs, skip what is unchanged, clean, chunk, embed, store, commit.

Crash safety, in order of writes for each batch of articles:
1. the new chunk ids are written to the manifest's ``pending`` log;
2. chunks are embedded and added to Chroma (invisible: the manifest does not list them yet);
3. one manifest transaction makes them live and retires the chunks they replace;
4. the retired chunks are deleted from Chroma.
A kill at any point leaves a manifest that describes a consistent index; the next run deletes
whatever ``pending`` says was left behind, and redoes the articles that did not commit.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.settings import Settings
from index.chunking import chunk_article
from index.clean import EmptyArticleError, clean_document
from index.embeddings import embedding_dim, embedding_name, embeddings_for
from index.keyword import KeywordIndex, build_keyword_index
from index.layout import Generation, Layout
from index.loaders import FoundFile, fetch_url, is_url, read_file, walk_files
from index.manifest import Manifest, SourceState
from index.models import Article, Chunk, IndexReport, RawDocument, Skipped
from index.store import (
    EmbeddingMismatchError,
    StoreError,
    check_embedding_model,
    delete_collection,
    make_client,
    open_collection,
)

PIPELINE_VERSION = 2
"""Bump when cleaning, metadata or chunking changes meaning: every stored article is then read again
(an upgrade; the run reports what changed). 2: dates with their source, titles, outlets, captions."""
_COMPARED = ("title", "outlet", "date", "date_source")


class UsageError(ValueError):
    """The command line names something that does not exist."""


def chunk_fingerprint(settings: Settings) -> str:
    raw = f"{PIPELINE_VERSION}:{settings.chunk_size}:{settings.chunk_overlap}"
    return hashlib.sha1(raw.encode()).hexdigest()[:6]


def chunk_metadata(article: Article, chunk: Chunk) -> dict:
    """Metadata stored with each chunk in Chroma (no ``None``: Chroma refuses it)."""
    meta = {
        "article_id": article.id,
        "start": chunk.start,
        "end": chunk.end,
        "title": article.title,
        "outlet": article.outlet or "",
        "date": article.date or "",
        "date_source": article.date_source or "",
        "url": article.url or "",
        "path": article.path,
    }
    if article.author:
        meta["author"] = article.author
    return meta


def failpoint(settings: Settings, name: str, _hits: dict[str, int] = {}) -> None:  # noqa: B006 - per-process counter
    """Testing aid: SIGKILL this process at ``name`` (or its Nth hit, ``name:N``) when configured."""
    if not settings.failpoint:
        return
    target, _, nth = settings.failpoint.partition(":")
    if target != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] >= int(nth or 1):
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class _Batch:
    articles: list[tuple[Article, list[Chunk], str]] = field(default_factory=list)
    sources: list[SourceState] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def n_chunks(self) -> int:
        return sum(len(c) for _, c, _ in self.articles)


class _Lazy:
    """A value built on first use (the Chroma client and collection)."""

    def __init__(self, build) -> None:
        self._build, self._value = build, None

    def get(self):
        if self._value is None:
            self._value = self._build()
        return self._value


class Indexer:
    """Runs index passes over one store (``settings.data_dir`` + Chroma) with one embedder."""

    def __init__(self, settings: Settings, progress: bool = False) -> None:
        self.settings = settings
        self.progress = progress
        self.layout = Layout(settings.data_dir, settings.collection)
        self.fingerprint = chunk_fingerprint(settings)
        self._added_before: dict[str, str] = {}

    def run(self, inputs: Sequence[str | os.PathLike] = (), rebuild: bool = False) -> IndexReport:
        """Index ``inputs`` (folders, files, URLs; default: ``settings.articles_dir``). Paths may be
        strings or ``pathlib.Path`` objects (the Python API's users pass both).

        Raises:
            UsageError: a path does not exist.
            IndexBusyError: another run holds the store.
            EmbeddingMismatchError: the store was built with another embedding model.
        """
        started = time.perf_counter()
        inputs = [os.fspath(i) for i in inputs] or [str(self.settings.articles_dir)]
        for arg in inputs:
            if not is_url(arg) and not os.path.lexists(arg):
                raise UsageError(f"path does not exist: {arg}")
        lock = self.layout.lock(self.settings.index_lock_wait)
        try:
            report = self._run_locked(inputs, rebuild)
        finally:
            lock.release()
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def add_documents(self, documents: Sequence[RawDocument | Skipped]) -> IndexReport:
        """Index documents a caller has already read (feed entries, a file sent to the bot).

        They take the same path as files and URLs (clean, metadata, chunk, embed, commit, under the
        same lock): each document's ``source`` is its key in the manifest, so the same key with new
        text is an update, and the same text under another key is a duplicate stored once.
        ``report.new_articles`` and ``report.updated_articles`` map keys to the article ids written.

        Raises:
            IndexBusyError: another run holds the store.
            EmbeddingMismatchError: the store was built with another embedding model.
        """
        started = time.perf_counter()
        lock = self.layout.lock(self.settings.index_lock_wait)
        try:
            report = self._run_locked([], False, list(documents))
        finally:
            lock.release()
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def _run_locked(self, inputs: list[str], rebuild: bool, documents: list[RawDocument | Skipped] = ()) -> IndexReport:
        settings = self.settings
        embeddings = embeddings_for(settings)
        if hasattr(embeddings, "show_progress"):
            embeddings.show_progress = self.progress
        model = embedding_name(embeddings)
        client = _Lazy(lambda: make_client(settings.chroma_url, settings.data_dir))
        current = self.layout.current()
        gen = current
        if rebuild or current is None:
            gen = self.layout.new_generation()
            if current is None:
                self.layout.set_current(gen)  # an empty index is a valid index
        for old in self.layout.generations():
            if old not in (gen, current):  # left behind by a killed rebuild
                delete_collection(client.get(), old.collection)
                self.layout.remove(old)
        self._added_before = self._added_times(current) if gen != current else {}
        try:
            manifest = Manifest(gen.manifest_path)
            stored_model = manifest.get_meta("embedding_model")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"The index at {gen.dir} is damaged ({exc}): run `newsbot index --rebuild` to build it again."
            ) from exc
        try:
            if stored_model is None:
                dim = embedding_dim(embeddings)
                manifest.set_meta("embedding_model", model)
                manifest.set_meta("embedding_dim", dim)
                manifest.db.commit()
            else:
                stored_dim = int(manifest.get_meta("embedding_dim") or 0)
                # Same model name means same dimension: no need to load the model to find out.
                dim = stored_dim if stored_model == model else embedding_dim(embeddings)
                check_embedding_model({"embedding_model": stored_model, "embedding_dim": stored_dim}, model, dim)
            # Chroma is opened only when there is something to write: a no-op run never imports it.
            store = _Lazy(lambda: open_collection(client.get(), gen.collection, embeddings, model, dim, create=True))
            if stored_model is None:
                store.get()  # a new generation gets its (empty) collection at once
            self._recover(manifest, store)
            report = self._index(inputs, manifest, store, documents)
            self._sync_keyword_index(manifest, gen)
            report.articles = manifest.count("articles")
            report.chunks = manifest.count("chunks")
        finally:
            manifest.close()
        if gen != current:
            self.layout.set_current(gen)
            if current is not None:
                delete_collection(client.get(), current.collection)
                self.layout.remove(current)
        return report

    @staticmethod
    def _added_times(previous: Generation | None) -> dict[str, str]:
        """When the previous generation first indexed each article: a rebuild keeps those times, so
        it does not make the whole corpus look newly added to "what's new" and topic alerts."""
        if previous is None or not previous.manifest_path.exists():
            return {}
        try:
            old = Manifest(previous.manifest_path, readonly=True)
        except sqlite3.DatabaseError:
            return {}
        try:
            return old.added_times()
        except sqlite3.DatabaseError:
            return {}
        finally:
            old.close()

    @staticmethod
    def _recover(manifest: Manifest, store) -> None:
        """Delete from Chroma what a killed run wrote but never made live (or retired but never deleted)."""
        pending = manifest.pending()
        if not pending:
            return
        live = manifest.chunk_ids()
        dead = [cid for cid in pending if cid not in live]
        for i in range(0, len(dead), 5000):
            store.get().delete(ids=dead[i:i + 5000])
        manifest.clear_pending(pending)

    def _index(self, inputs: list[str], manifest: Manifest, store, documents=()) -> IndexReport:
        settings = self.settings
        report = IndexReport()
        known = manifest.sources()
        fingerprints = manifest.article_fingerprints()
        article_source = {a: s.path for s in known.values() for a in [s.article_id]}
        seen: set[str] = set()
        roots: list[str] = []
        batch = _Batch()
        max_bytes = int(settings.max_file_mb * 1024 * 1024)

        def handle(key: str, doc: RawDocument | Skipped, size: int | None, mtime: int | None) -> None:
            if isinstance(doc, Skipped):
                report.skipped.append(doc)
                return
            try:
                article = clean_document(doc)
            except EmptyArticleError as exc:
                report.skipped.append(Skipped(key, str(exc)))
                return
            previous = known.get(key)
            state = SourceState(key, article.id, size, mtime)
            if previous is not None and fingerprints.get(previous.article_id) != self.fingerprint:
                self._note_metadata_change(manifest, key, previous.article_id, article, report)
            if article.id in fingerprints and fingerprints[article.id] == self.fingerprint:
                if previous and previous.article_id == article.id:
                    report.unchanged += 1
                else:
                    report.duplicates += 1
                    report.duplicate_of[key] = article_source.get(article.id, "")
                batch.sources.append(state)
                return
            chunks = chunk_article(article, settings.chunk_size, settings.chunk_overlap, self.fingerprint)
            batch.articles.append((article, chunks, self.fingerprint))
            batch.sources.append(state)
            fingerprints[article.id] = self.fingerprint
            article_source[article.id] = key
            if previous is None:
                report.added += 1
                report.new_articles[key] = article.id
            else:
                report.updated += 1
                report.updated_articles[key] = article.id
            if batch.n_chunks >= settings.index_batch_chunks:
                self._flush(batch, manifest, store)

        files: list[FoundFile] = []
        for arg in inputs:
            if is_url(arg):
                continue
            root = Path(os.path.abspath(arg))
            if root.is_dir():
                roots.append(str(root) + os.sep)
            files += list(walk_files(root, report.skipped))
        bar = self._bar(len(files) + sum(1 for a in inputs if is_url(a)))
        for found in files:
            key = str(Path(os.path.abspath(found.path)))
            if key in seen:
                bar.update()
                continue
            seen.add(key)
            previous = known.get(key)
            if (
                previous
                and previous.size == found.size
                and previous.mtime_ns == found.mtime_ns
                and fingerprints.get(previous.article_id) == self.fingerprint
            ):
                report.unchanged += 1
            else:
                handle(key, read_file(found, max_bytes), found.size, found.mtime_ns)
            bar.update()
        for arg in inputs:
            if is_url(arg) and arg not in seen:
                seen.add(arg)
                doc = fetch_url(arg, settings.url_timeout, int(settings.url_max_mb * 1024 * 1024), settings.allow_private_urls)
                handle(arg, doc, None, None)
                bar.update()
        for doc in documents:
            key = doc.path
            if key not in seen:
                seen.add(key)
                handle(key, doc, None, None)
        bar.close()
        # An upgrade: stored articles read by an older pipeline are read again even when this run
        # names other inputs, so their metadata (dates, titles, outlets) catches up.
        for key, previous in known.items():
            if (key not in seen and not is_url(key) and fingerprints.get(previous.article_id) != self.fingerprint
                    and os.path.isfile(key)):
                seen.add(key)
                path = Path(key)
                st = path.stat()
                handle(key, read_file(FoundFile(path, st.st_size, st.st_mtime_ns), max_bytes), st.st_size, st.st_mtime_ns)
        skipped_keys = {s.path for s in report.skipped}
        for key in known:
            if key not in seen and key not in skipped_keys and any(key.startswith(r) for r in roots):
                if not os.path.lexists(key):
                    batch.removed.append(key)
                    report.removed += 1
        self._flush(batch, manifest, store)
        return report

    @staticmethod
    def _note_metadata_change(manifest: Manifest, key: str, old_id: str, article: Article, report: IndexReport) -> None:
        """Record what an upgrade changed in a stored article's metadata (shown by `newsbot index`)."""
        old = manifest.article(old_id)
        if old is None:
            return
        changes = {f: [old.get(f), getattr(article, f)] for f in _COMPARED if (old.get(f) or None) != getattr(article, f)}
        if changes:
            report.metadata_changed.append({"path": key, "changes": changes})

    def _flush(self, batch: _Batch, manifest: Manifest, store) -> None:
        if not (batch.articles or batch.sources or batch.removed):
            return
        chunks = [(a, c) for a, cs, _ in batch.articles for c in cs]
        if chunks:
            ids = [c.id for _, c in chunks]
            manifest.record_intent(ids, "add")
            failpoint(self.settings, "before_chroma_add")
            store.get().add_texts(
                texts=[c.embed_text for _, c in chunks],
                metadatas=[chunk_metadata(a, c) for a, c in chunks],
                ids=[c.id for _, c in chunks],
            )
            failpoint(self.settings, "after_chroma_add")
        retired = manifest.commit_batch(batch.articles, batch.sources, batch.removed, self._added_before)
        failpoint(self.settings, "after_commit")
        if retired:
            store.get().delete(ids=retired)
            manifest.clear_pending(retired)
        batch.articles.clear()
        batch.sources.clear()
        batch.removed.clear()

    def _sync_keyword_index(self, manifest: Manifest, gen: Generation) -> None:
        saved = KeywordIndex.load(gen.keyword_dir)
        if saved is not None and saved.revision == manifest.revision:
            return
        failpoint(self.settings, "before_keyword_save")
        build_keyword_index(manifest).save(gen.keyword_dir)

    def _bar(self, total: int):
        from tqdm import tqdm

        return tqdm(total=total, desc="Indexing", unit="file", disable=not self.progress or None, file=sys.stderr, leave=False)


__all__ = ["Indexer", "UsageError", "EmbeddingMismatchError", "chunk_fingerprint"]
