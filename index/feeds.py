"""Follow news feeds: a registry of RSS/Atom feeds in the data directory, and a refresh that indexes what is new.

Why here, in the index floor: a feed is one more way articles arrive. Each new entry becomes a
:class:`~index.models.RawDocument` and goes through :meth:`index.Indexer.add_documents`, the same
clean → metadata → chunk → embed → commit path as a file, under the same lock and generations, so
answers keep using the current index until the refresh commits.

What a refresh does, per feed (:func:`refresh`):

- one conditional GET (``If-None-Match`` / ``If-Modified-Since`` from the last good fetch): a 304
  costs that request and nothing else;
- feedparser reads the document (RSS 0.9x/1.0/2.0, Atom; the encoding its XML prolog declares);
- each entry is keyed by its canonical URL (courlan drops ``utm_*`` and other tracking parameters;
  the fragment goes too) and remembered with a fingerprint of what the feed says about it, so an
  entry seen before and unchanged costs nothing; a changed entry is read again (its article updated);
- the text is the entry's full content (``content:encoded``, Atom ``content``) when it is long enough,
  else the linked page, fetched with the URL guards (:func:`index.loaders.fetch`) and extracted by
  trafilatura; the date is the entry's published (or updated) time, ``date_source`` "feed"; the
  outlet is the feed's title;
- the same text under two URLs is one article (article id = content hash), reported as a duplicate.

Everything that goes wrong is a reason in the report, per feed or per entry; nothing raises out of
a feed, and a failure in one feed loses nothing from the others.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urldefrag, urlparse

from core.settings import Settings
from index.layout import IndexBusyError, Layout
from index.loaders import Fetched, fetch, page_document
from index.models import RawDocument, Skipped

FEEDS_DB = "feeds.sqlite3"
MIN_FULL_TEXT_WORDS = 80
"""An entry's own content counts as the article when it has at least this many words; shorter
content is a teaser, and the linked page is read instead."""
FETCH_WORKERS = 8
"""Feeds and pages fetched at once: network waits overlap, and a slow server holds one worker."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, name TEXT UNIQUE, title TEXT, etag TEXT, last_modified TEXT,
    added TEXT NOT NULL, refreshed TEXT, status TEXT, reason TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    feed_url TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, article_id TEXT, seen TEXT NOT NULL,
    PRIMARY KEY (feed_url, key)
);
"""


class FeedError(ValueError):
    """A feed command names something wrong (a bad URL, an unknown feed, a name taken); the message says what."""


@dataclass(frozen=True)
class Feed:
    """A followed feed: its URL, the name a person gave it, its own title, and how its last refresh went."""

    url: str
    name: str | None = None
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    added: str | None = None
    refreshed: str | None = None
    status: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("etag", "last_modified")}


def canonical_url(url: str) -> str | None:
    """The URL an article is known by: tracking parameters (``utm_*``, ``fbclid``, …) and the fragment
    dropped, host lowercased, default port and parameter order normalised, by courlan (trafilatura's URL
    library). ``None`` for anything that is not an http(s) URL.

    Why not ``strict=True``: it drops every parameter courlan does not know, which would merge distinct
    stories of a site that names them ``?story=123``.
    """
    import courlan

    url = (url or "").strip()
    if urlparse(url).scheme not in ("http", "https"):
        return None
    cleaned = courlan.clean_url(url)
    return urldefrag(cleaned or url)[0] or None


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class FeedRegistry:
    """The followed feeds and the entries already indexed from each, in ``data_dir/feeds.sqlite3``.

    It sits beside the index generations, not inside one, so feeds survive ``newsbot index --rebuild``
    (the next refresh re-reads entries the new generation lacks).
    """

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(data_dir / FEEDS_DB, timeout=30, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self.db.row_factory = sqlite3.Row

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> FeedRegistry:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def feeds(self) -> list[Feed]:
        return [Feed(**dict(r)) for r in self.db.execute("SELECT * FROM feeds ORDER BY rowid")]

    def find(self, url_or_name: str) -> Feed | None:
        key = url_or_name.strip()
        row = self.db.execute("SELECT * FROM feeds WHERE url=? OR url=? OR name=?",
                              (key, canonical_url(key) or key, key)).fetchone()
        return Feed(**dict(row)) if row else None

    def add(self, url: str, name: str | None = None) -> Feed:
        """Follow ``url`` (nothing is fetched until the next refresh).

        Raises:
            FeedError: not an http(s) URL, already followed, or the name is taken.
        """
        canonical = canonical_url(url)
        if canonical is None or not urlparse(canonical).hostname:
            raise FeedError(f"not a feed address: {url!r} (give an http:// or https:// URL)")
        name = (name or "").strip() or None
        if existing := self.find(canonical):
            raise FeedError(f"already following {existing.url}" + (f" as {existing.name!r}" if existing.name else ""))
        if name and self.find(name):
            raise FeedError(f"the name {name!r} is already taken: choose another with --name")
        with self.db:
            self.db.execute("INSERT INTO feeds(url, name, added) VALUES(?, ?, ?)", (canonical, name, _now()))
        return self.find(canonical)  # type: ignore[return-value]

    def remove(self, url_or_name: str) -> Feed:
        """Stop following a feed. Its articles stay in the index: they are news that was published.

        Raises:
            FeedError: no followed feed has that URL or name.
        """
        feed = self.find(url_or_name)
        if feed is None:
            raise FeedError(f"no followed feed has the URL or name {url_or_name!r} (see `newsbot feeds list`)")
        with self.db:
            self.db.execute("DELETE FROM entries WHERE feed_url=?", (feed.url,))
            self.db.execute("DELETE FROM feeds WHERE url=?", (feed.url,))
        return feed

    def entries(self, feed_url: str) -> dict[str, str]:
        """Entry key → fingerprint of what the feed said about it when it was last indexed."""
        return dict(self.db.execute("SELECT key, fingerprint FROM entries WHERE feed_url=?", (feed_url,)).fetchall())

    def record(self, results: list[tuple[FeedOutcome, dict[str, tuple[str, str | None]], dict | None]]) -> None:
        """Save a refresh in one transaction: per feed its status, title, validators (``None``: keep the
        old ones) and the entries indexed (key → (fingerprint, article id))."""
        now = _now()
        with self.db:
            for outcome, seen, validators in results:
                self.db.execute("UPDATE feeds SET refreshed=?, status=?, reason=?, title=COALESCE(?, title) WHERE url=?",
                                (now, outcome.status, outcome.reason, outcome.title, outcome.url))
                if validators is not None:
                    self.db.execute("UPDATE feeds SET etag=?, last_modified=? WHERE url=?",
                                    (validators.get("etag"), validators.get("last-modified"), outcome.url))
                self.db.executemany(
                    "INSERT INTO entries(feed_url, key, fingerprint, article_id, seen) VALUES(?,?,?,?,?)"
                    " ON CONFLICT(feed_url, key) DO UPDATE SET fingerprint=excluded.fingerprint,"
                    " article_id=COALESCE(excluded.article_id, entries.article_id), seen=excluded.seen",
                    [(outcome.url, key, fp, article_id, now) for key, (fp, article_id) in seen.items()],
                )


@dataclass
class EntryIssue:
    """An entry that was not indexed (``skipped``) or was indexed with something missing (``notes``)."""

    entry: str
    reason: str


@dataclass
class FeedOutcome:
    """What a refresh did with one feed.

    ``status``: "ok" (read; its entries are counted below), "not-modified" (a 304: nothing read) or
    "failed" (``reason`` says why; nothing of it was indexed, nothing else was lost).
    """

    url: str
    name: str | None = None
    title: str | None = None
    status: str = "ok"
    reason: str | None = None
    entries: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: list[EntryIssue] = field(default_factory=list)
    notes: list[EntryIssue] = field(default_factory=list)
    new_article_ids: list[str] = field(default_factory=list)
    updated_article_ids: list[str] = field(default_factory=list)


@dataclass
class RefreshReport:
    """One pass over every followed feed, in the shape ``newsbot refresh --json`` prints.

    ``new_article_ids`` and ``updated_article_ids`` are the ids of the articles this refresh added or
    re-indexed (what alerts are sent for). ``ok`` is false when a feed failed or an entry was skipped.
    """

    feeds: list[FeedOutcome] = field(default_factory=list)
    new_article_ids: list[str] = field(default_factory=list)
    updated_article_ids: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[FeedOutcome]:
        return [f for f in self.feeds if f.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and not any(f.skipped for f in self.feeds)

    def to_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok}


@dataclass
class _Entry:
    """One feed entry on its way to becoming a document."""

    outcome: FeedOutcome
    key: str
    fingerprint: str
    link: str | None
    content: tuple[str, str] | None  # (type, value) of the full content, when the feed carries one
    hints: dict[str, str | None]


def refresh(settings: Settings, only: Sequence[str] = ()) -> RefreshReport:
    """Refresh every followed feed (or ``only`` these URLs or names) and index what is new or changed.

    Args:
        settings: the store (``data_dir``, Chroma, embedder) and the URL guards (``url_timeout``,
            ``url_max_mb``, ``allow_private_urls``).
        only: feed URLs or names to refresh; empty: all.

    Returns:
        A :class:`RefreshReport`: per feed its outcome, and the ids of the articles added or updated.

    Raises:
        FeedError: a name in ``only`` is not a followed feed.
        IndexBusyError: another refresh is running on this store (or, after ``index_lock_wait``
            seconds, another index run still holds the store).
    """
    import httpx

    started = time.perf_counter()
    lock = _refresh_lock(settings)
    try:
        with FeedRegistry(settings.data_dir) as registry:
            feeds = registry.feeds()
            if only:
                wanted = [registry.find(x) for x in only]
                if missing := [x for x, f in zip(only, wanted) if f is None]:
                    raise FeedError(f"not a followed feed: {', '.join(missing)} (see `newsbot feeds list`)")
                feeds = [f for f in wanted if f is not None]
            report = RefreshReport()
            timeout, max_bytes = settings.url_timeout, int(settings.url_max_mb * 1024 * 1024)
            with httpx.Client(follow_redirects=False, trust_env=False) as client, ThreadPoolExecutor(FETCH_WORKERS) as pool:

                def get(url: str, headers: dict | None = None) -> Fetched | Skipped:
                    return fetch(url, timeout, max_bytes, settings.allow_private_urls, headers=headers, client=client)

                fetched = list(pool.map(lambda f: get(f.url, _conditional_headers(f)), feeds))
                live = _LiveKeys(settings)
                todo: list[_Entry] = []
                seen: dict[str, dict[str, tuple[str, str | None]]] = {}
                keys_this_run: dict[str, str] = {}
                for feed, got in zip(feeds, fetched):
                    outcome = FeedOutcome(url=feed.url, name=feed.name, title=feed.title)
                    report.feeds.append(outcome)
                    seen[feed.url] = {}
                    entries = _read_feed(feed, got, outcome)
                    if entries is None:
                        continue
                    known = registry.entries(feed.url)
                    for entry in entries:
                        if entry.key in keys_this_run:
                            outcome.duplicates += 1
                            outcome.notes.append(EntryIssue(entry.link or entry.key, f"the same link as an entry of {keys_this_run[entry.key]}: stored once"))
                            continue
                        keys_this_run[entry.key] = feed.url
                        if known.get(entry.key) == entry.fingerprint and live.has(entry.key):
                            outcome.unchanged += 1
                            continue
                        todo.append(entry)
                documents = list(pool.map(lambda e: _document(e, get), todo))
            for entry, doc in zip(todo, documents):
                if isinstance(doc, RawDocument) and not entry.hints.get("date"):
                    entry.outcome.notes.append(EntryIssue(entry.link or entry.key, "no date in the feed: dated from the page or its text"))
            indexed = _index(settings, documents)
            for entry, doc in zip(todo, documents):
                _count(entry, doc, indexed, report, seen)
            results = []
            for feed, got, outcome in zip(feeds, fetched, report.feeds):
                # Validators are kept only when every entry made it in: otherwise the next refresh must
                # read the whole feed again to retry the skipped ones (a 304 would hide them).
                complete = outcome.status == "ok" and not outcome.skipped
                validators = got.headers if isinstance(got, Fetched) and complete else ({} if outcome.status == "ok" else None)
                results.append((outcome, seen[feed.url], validators))
            registry.record(results)
    finally:
        lock.release()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _refresh_lock(settings: Settings):
    """One refresh at a time per store (cron and the bot's scheduler may overlap); index runs are
    serialised separately by the index lock."""
    from filelock import FileLock, Timeout

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.data_dir / "feeds.lock"))
    try:
        lock.acquire(timeout=settings.index_lock_wait)
    except Timeout as exc:
        raise IndexBusyError(f"Another `newsbot refresh` is running on {settings.data_dir}; wait for it to finish.") from exc
    return lock


def _conditional_headers(feed: Feed) -> dict[str, str]:
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


class _LiveKeys:
    """The keys (paths, URLs) the current index holds, read once and only if a feed has entries to check:
    an entry remembered by the registry but missing from the index (after a rebuild) is read again."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._keys: set[str] | None = None

    def has(self, key: str) -> bool:
        if self._keys is None:
            from index.manifest import Manifest

            gen = Layout(self.settings.data_dir, self.settings.collection).current()
            self._keys = set()
            if gen is not None and gen.manifest_path.exists():
                manifest = Manifest(gen.manifest_path, readonly=True)
                try:
                    self._keys = set(manifest.sources())
                finally:
                    manifest.close()
        return key in self._keys


def _read_feed(feed: Feed, got: Fetched | Skipped, outcome: FeedOutcome) -> list[_Entry] | None:
    """Parse one fetched feed into entries, or mark the outcome not-modified / failed and return ``None``."""
    import xml.sax

    import feedparser

    if isinstance(got, Skipped):
        outcome.status, outcome.reason = "failed", got.reason
        return None
    if got.status == 304:
        outcome.status = "not-modified"
        return None
    ctype = got.content_type
    # A charset in the HTTP header is passed on; without one, the document's own XML prolog decides
    # (feedparser would otherwise apply RFC 3023's us-ascii default for text/xml).
    headers = {"content-location": got.url, **({"content-type": ctype} if "charset=" in ctype else {})}
    parsed = feedparser.parse(got.body, response_headers=headers)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries and (problem is not None or not parsed.get("version")):
        head = got.body[:512].lstrip().lower()
        if "html" in ctype or head.startswith((b"<!doctype html", b"<html")):
            outcome.status = "failed"
            outcome.reason = (f"not a feed: {got.url} serves an HTML page ({ctype.split(';')[0] or 'no content type'}); "
                              "give the address of its RSS or Atom feed (often linked as 'RSS' on the site)")
        else:
            outcome.status, outcome.reason = "failed", f"not a feed: malformed XML ({problem or 'no RSS or Atom elements'})"
        return None
    if isinstance(problem, xml.sax.SAXException):
        outcome.notes.append(EntryIssue(feed.url, f"the feed is not well-formed XML ({problem}); "
                                                  f"read leniently, {len(parsed.entries)} entries found"))
    outcome.title = (parsed.feed.get("title") or "").strip() or outcome.title
    outcome.entries = len(parsed.entries)
    outlet = outcome.title or feed.name
    entries = []
    for raw in parsed.entries:
        entry = _entry(feed, raw, outcome, outlet)
        if entry is not None:
            entries.append(entry)
    return entries


def _entry(feed: Feed, raw, outcome: FeedOutcome, outlet: str | None) -> _Entry | None:
    title = (raw.get("title") or "").strip() or None
    link = canonical_url(raw.get("link") or "")
    content = None
    for part in raw.get("content") or []:
        if (part.get("value") or "").strip():
            content = (part.get("type") or "text/html", part["value"])
            break
    published, updated = raw.get("published_parsed"), raw.get("updated_parsed")
    when = published or updated
    hints: dict[str, str | None] = {"title": title, "outlet": outlet, "url": link}
    if when:
        hints.update(date=time.strftime("%Y-%m-%d", when), date_source="feed")
        if published and updated and updated[:3] != published[:3]:
            hints["date_updated"] = time.strftime("%Y-%m-%d", updated)
    if link:
        key = link
    elif content:
        ident = raw.get("id") or hashlib.sha1(f"{title}\n{content[1]}".encode()).hexdigest()[:16]
        key = f"feed:{feed.url}#{ident}"
    else:
        what = title or raw.get("id") or "an untitled entry"
        outcome.skipped.append(EntryIssue(f"{feed.url} ({what})", "the entry has no link and no full text: nothing to index"))
        return None
    said = "\x1f".join(str(x) for x in (link, title, raw.get("published"), raw.get("updated"),
                                        content[1] if content else raw.get("summary")))
    return _Entry(outcome, key, hashlib.sha1(said.encode()).hexdigest(), link, content, hints)


def _document(entry: _Entry, get) -> RawDocument | Skipped:
    """The entry's article: its full content when long enough, else the linked page (guarded fetch)."""
    hints = {k: v for k, v in entry.hints.items() if v}
    if entry.content:
        text = _content_text(*entry.content)
        if len(text.split()) >= MIN_FULL_TEXT_WORDS:
            return RawDocument(path=entry.key, text=text, kind="txt", hints=hints)
    if not entry.link:
        return Skipped(entry.key, f"the entry has no link, and its own text is shorter than {MIN_FULL_TEXT_WORDS} words")
    got = get(entry.link)
    page = page_document(entry.key, got) if isinstance(got, Fetched) else Skipped(entry.key, got.reason)
    if isinstance(page, Skipped):
        return page
    return RawDocument(path=entry.key, text=page.text, kind=page.kind, hints={**page.hints, **hints})


def _content_text(kind: str, value: str) -> str:
    """Plain text of an entry's content: HTML (already sanitised by feedparser) through trafilatura with
    recall favoured, since a feed's content is the article itself, with no page around it to cut away."""
    if "html" not in kind:
        return value
    import trafilatura

    return trafilatura.extract(f"<html><body><article>{value}</article></body></html>", favor_recall=True,
                               include_comments=False, include_tables=True) or ""


def _index(settings: Settings, documents: list[RawDocument | Skipped]):
    """Index the documents (skips included, so they are reported alike), or nothing when there are none."""
    if not documents:
        return None
    from index.pipeline import Indexer

    return Indexer(settings).add_documents(documents)


def _count(entry: _Entry, doc: RawDocument | Skipped, indexed, report: RefreshReport, seen: dict) -> None:
    """Book one processed entry into its feed's outcome and the registry's memory."""
    outcome = entry.outcome
    reasons = {s.path: s.reason for s in indexed.skipped}
    label = entry.link or entry.key
    if entry.key in reasons:
        outcome.skipped.append(EntryIssue(label, reasons[entry.key]))
        return  # not remembered: tried again on the next refresh
    article_id = None
    if entry.key in indexed.new_articles:
        article_id = indexed.new_articles[entry.key]
        outcome.new += 1
        outcome.new_article_ids.append(article_id)
        report.new_article_ids.append(article_id)
    elif entry.key in indexed.updated_articles:
        article_id = indexed.updated_articles[entry.key]
        outcome.updated += 1
        outcome.updated_article_ids.append(article_id)
        report.updated_article_ids.append(article_id)
    elif entry.key in indexed.duplicate_of:
        outcome.duplicates += 1
        outcome.notes.append(EntryIssue(label, f"the same text as {indexed.duplicate_of[entry.key]}: stored once"))
    else:
        outcome.unchanged += 1
    seen[outcome.url][entry.key] = (entry.fingerprint, article_id)


__all__ = ["Feed", "FeedError", "FeedOutcome", "FeedRegistry", "EntryIssue", "RefreshReport", "canonical_url", "refresh"]
