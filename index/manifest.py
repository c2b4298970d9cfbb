"""The manifest: a SQLite file that says which articles, sources and chunks are live.

Why it exists: Chroma cannot commit a batch atomically, SQLite can. So the manifest is the commit
record. Chunks are written to Chroma first, then made live by one manifest transaction; anything in
Chroma the manifest does not list is invisible to readers and collected by the next run. The
``pending`` table is the write-ahead intent log that makes that collection cheap after a kill -9.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from index.models import Article, Chunk

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, title TEXT NOT NULL, outlet TEXT, date TEXT, url TEXT,
    author TEXT, text TEXT NOT NULL, content_hash TEXT NOT NULL, fingerprint TEXT NOT NULL,
    date_source TEXT, date_updated TEXT, added_at TEXT
);
CREATE TABLE IF NOT EXISTS sources (
    source TEXT PRIMARY KEY, article_id TEXT NOT NULL, size INTEGER, mtime_ns INTEGER
);
CREATE INDEX IF NOT EXISTS sources_article ON sources(article_id);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL, idx INTEGER NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, text TEXT NOT NULL, header TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE TABLE IF NOT EXISTS pending (chunk_id TEXT PRIMARY KEY, op TEXT NOT NULL);
"""
ADDED_COLUMNS = {"articles": [("date_source", "TEXT"), ("date_updated", "TEXT"), ("added_at", "TEXT")]}
"""Columns added after the first release: an older manifest gets them on its next index run, and
readers see NULL for them until then. ``added_at`` (when the article was first indexed, UTC ISO
8601) is NULL for articles indexed before it existed: "what's new" and alerts treat them as old."""


@dataclass(frozen=True)
class SourceState:
    """What the manifest remembers of one file or URL: its article and the stat seen last time."""

    path: str  # the file path or URL (the SQL column keeps its first name, ``source``)
    article_id: str
    size: int | None
    mtime_ns: int | None


class Manifest:
    """Access to one generation's manifest file. Writers hold the index lock; readers never write."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        if readonly:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=30, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(SCHEMA)
            self._add_columns()
        self.db.row_factory = sqlite3.Row
        have = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
        self.article_columns = have
        self.date_columns = ", ".join(f"a.{c}" if c in have else f"NULL AS {c}" for c, _ in ADDED_COLUMNS["articles"])

    def _add_columns(self) -> None:
        for table, columns in ADDED_COLUMNS.items():
            have = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns:
                if name not in have:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic commit: everything inside lands together or not at all."""
        with self.db:
            yield self.db

    # --- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: object, conn: sqlite3.Connection | None = None) -> None:
        (conn or self.db).execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (key, json.dumps(value) if not isinstance(value, str) else value),
        )

    @property
    def revision(self) -> int:
        return int(self.get_meta("revision") or 0)

    # --- reads ------------------------------------------------------------------------------
    def sources(self) -> dict[str, SourceState]:
        rows = self.db.execute("SELECT source AS path, article_id, size, mtime_ns FROM sources")
        return {r[0]: SourceState(*r) for r in rows}

    def article_fingerprints(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, fingerprint FROM articles").fetchall())

    def articles(self) -> list[dict]:
        rows = self.db.execute(
            f"SELECT a.id, a.title, a.outlet, a.date, {self.date_columns}, a.url, a.source AS path, a.author,"
            " (SELECT COUNT(*) FROM chunks c WHERE c.article_id = a.id) AS chunks"
            " FROM articles a ORDER BY COALESCE(a.date, '9999'), a.title"
        )
        return [dict(r) for r in rows]

    def article(self, article_id: str) -> dict | None:
        row = self.db.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        return dict(row) if row else None

    def added_times(self) -> dict[str, str]:
        """Article id → when it was first indexed (articles indexed before the time was kept are left out)."""
        if "added_at" not in self.article_columns:  # an older manifest opened read-only
            return {}
        return dict(self.db.execute("SELECT id, added_at FROM articles WHERE added_at IS NOT NULL").fetchall())

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM chunks")}

    def chunks(self) -> list[dict]:
        rows = self.db.execute('SELECT id, article_id, idx, start, "end", text, header FROM chunks ORDER BY id')
        return [dict(r) for r in rows]

    def count(self, table: str) -> int:
        assert table in {"articles", "chunks", "sources", "pending"}
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def pending(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT chunk_id, op FROM pending").fetchall())

    # --- writes (under the index lock) ------------------------------------------------------
    def record_intent(self, chunk_ids: Iterable[str], op: str) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO pending(chunk_id, op) VALUES(?, ?) ON CONFLICT(chunk_id) DO UPDATE SET op=excluded.op",
                [(cid, op) for cid in chunk_ids],
            )

    def clear_pending(self, chunk_ids: Iterable[str]) -> None:
        with self.transaction() as conn:
            conn.executemany("DELETE FROM pending WHERE chunk_id=?", [(c,) for c in chunk_ids])

    def commit_batch(
        self,
        new_articles: list[tuple[Article, list[Chunk], str]],
        source_updates: list[SourceState],
        removed_sources: list[str],
        added_before: dict[str, str] | None = None,
    ) -> list[str]:
        """Make a batch live in one transaction and return the chunk ids it retired.

        ``new_articles`` are (article, chunks, fingerprint) already written to Chroma. Articles no
        source points at any more are dropped, and their chunks marked for deletion in ``pending``.
        An article keeps the ``added_at`` it already has (here, or in ``added_before``: the previous
        generation's, on a rebuild), so re-reading it never makes it look new; otherwise it is now.
        """
        retired: list[str] = []
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self.transaction() as conn:
            for article, chunks, fingerprint in new_articles:
                row = conn.execute("SELECT added_at FROM articles WHERE id=?", (article.id,)).fetchone()
                added_at = (row[0] if row else None) or (added_before or {}).get(article.id) or now
                new_ids = {c.id for c in chunks}
                retired += [
                    r[0]
                    for r in conn.execute("SELECT id FROM chunks WHERE article_id=?", (article.id,))
                    if r[0] not in new_ids
                ]
                conn.execute("DELETE FROM chunks WHERE article_id=?", (article.id,))
                conn.execute(
                    "INSERT OR REPLACE INTO articles(id, source, title, outlet, date, url, author, text,"
                    " content_hash, fingerprint, date_source, date_updated, added_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (article.id, article.path, article.title, article.outlet, article.date, article.url,
                     article.author, article.text, article.content_hash, fingerprint, article.date_source,
                     article.date_updated, added_at),
                )
                conn.executemany(
                    'INSERT INTO chunks(id, article_id, idx, start, "end", text, header) VALUES(?,?,?,?,?,?,?)',
                    [(c.id, c.article_id, c.index, c.start, c.end, c.text, c.header) for c in chunks],
                )
                conn.executemany("DELETE FROM pending WHERE chunk_id=?", [(c.id,) for c in chunks])
            for state in source_updates:
                conn.execute(
                    "INSERT OR REPLACE INTO sources(source, article_id, size, mtime_ns) VALUES(?,?,?,?)",
                    (state.path, state.article_id, state.size, state.mtime_ns),
                )
            conn.executemany("DELETE FROM sources WHERE source=?", [(s,) for s in removed_sources])
            orphans = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.article_id=a.id)"
                )
            ]
            for article_id in orphans:
                retired += [r[0] for r in conn.execute("SELECT id FROM chunks WHERE article_id=?", (article_id,))]
                conn.execute("DELETE FROM chunks WHERE article_id=?", (article_id,))
                conn.execute("DELETE FROM articles WHERE id=?", (article_id,))
            conn.executemany(
                "INSERT INTO pending(chunk_id, op) VALUES(?, 'delete') ON CONFLICT(chunk_id) DO UPDATE SET op='delete'",
                [(c,) for c in retired],
            )
            self.set_meta("revision", self.revision + 1, conn)
        return retired
