"""What following feeds costs (`newsbot bench`, and ``python -m benchmarks.feeds`` alone).

- ``feeds_noop_refresh_s``: a refresh of 50 feeds × 50 entries with nothing new: every feed answers
  304 to the conditional GET. Median of repeats. Target ≤ 2 s.
- ``feeds_vs_plain_ratio``: articles/s of a refresh that adds 100 new articles (two feeds of 50, full
  text in ``content:encoded``) over articles/s of plain ``newsbot index`` of the same 100 texts as
  .txt files, same embedder (MiniLM), alternating, medians. Target ≥ 0.9: the feed layer (fetch,
  parse, extract) adds almost nothing to cleaning, chunking and embedding.

The feeds are served by the loopback news site of ``standins.feeds``; the texts are the synthetic
corpus of ``benchmarks.synthetic``.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from email.utils import format_datetime
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from benchmarks.synthetic import write_corpus
from core.settings import Settings
from standins.feeds import FeedSite, rss, rss_item


def _settings(data_dir: Path, **kw) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, allow_private_urls=True, **kw)


def _item(path: Path, link: str) -> str:
    """A feed entry carrying one synthetic article: headline, date, and the body as HTML paragraphs."""
    title, date_line, *body = [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    when = format_datetime(datetime.strptime(date_line.strip(), "%B %d, %Y").replace(tzinfo=timezone.utc), usegmt=True)
    content = "".join(f"<p>{escape(p.strip())}</p>" for p in body)
    return rss_item(escape(title), link, date=when, content=content)


def _follow(settings: Settings, site: FeedSite, feeds: int, per_feed: int, corpus: list[Path]) -> None:
    from index import FeedRegistry

    with FeedRegistry(settings.data_dir) as registry:
        for f in range(feeds):
            items = [_item(corpus[(f * per_feed + i) % len(corpus)], f"{site.url}/f{f}/a{i}") for i in range(per_feed)]
            site.set(f"/feed{f}.rss", rss(f"Outlet {f}", items))
            registry.add(f"{site.url}/feed{f}.rss")


def noop_refresh(tmp: Path, feeds: int = 50, per_feed: int = 50, repeats: int = 5) -> dict:
    """Follow ``feeds`` feeds, refresh once (indexing every entry), then time refreshes that get only 304s."""
    from index import refresh

    corpus = write_corpus(tmp / "noop-corpus", feeds * per_feed, seed=5, sentences=(6, 9))
    site = FeedSite().start()
    try:
        s = _settings(tmp / "noop-store", embedding_model="hash-384", embedding_batch_size=256)
        _follow(s, site, feeds, per_feed, corpus)
        t = time.perf_counter()
        first = refresh(s)
        first_s = time.perf_counter() - t
        assert len(first.new_article_ids) == feeds * per_feed, first.to_dict()
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            r = refresh(s)
            times.append(time.perf_counter() - t)
            assert all(f.status == "not-modified" for f in r.feeds)
    finally:
        site.stop()
    return {"feeds_noop_refresh_s": round(statistics.median(times), 3), "feeds_noop_feeds": feeds,
            "feeds_noop_entries": feeds * per_feed, "feeds_first_refresh_s": round(first_s, 1)}


def refresh_vs_plain(tmp: Path, articles: int = 100, repeats: int = 3, model: str = "all-MiniLM-L6-v2") -> dict:
    """Index the same ``articles`` texts by refresh (two feeds) and as files, alternating; medians."""
    from index import Indexer, refresh
    from index.embeddings import build_embeddings

    corpus = write_corpus(tmp / "ratio-corpus", articles, seed=13)
    build_embeddings(model).embed_documents(["warm up the model"])
    site = FeedSite().start()
    plain, feed, chunks = [], [], 0
    try:
        for r in range(repeats):
            s = _settings(tmp / f"plain-{r}", embedding_model=model)
            t = time.perf_counter()
            report = Indexer(s).run([str(tmp / "ratio-corpus")])
            plain.append(time.perf_counter() - t)
            assert report.added == articles
            s = _settings(tmp / f"feed-{r}", embedding_model=model)
            _follow(s, site, 2, articles // 2, corpus) if r == 0 else _refollow(s, site, 2)
            t = time.perf_counter()
            got = refresh(s)
            feed.append(time.perf_counter() - t)
            assert len(got.new_article_ids) == articles, got.to_dict()
            chunks = report.chunks
    finally:
        site.stop()
    p, f = statistics.median(plain), statistics.median(feed)
    return {"feeds_ratio_articles": articles, "feeds_ratio_chunks": chunks,
            "plain_index_articles_per_s": round(articles / p, 2), "feed_refresh_articles_per_s": round(articles / f, 2),
            "feeds_vs_plain_ratio": round(p / f, 3)}


def _refollow(settings: Settings, site: FeedSite, feeds: int) -> None:
    """Follow the feeds the site already serves, in a fresh store."""
    from index import FeedRegistry

    with FeedRegistry(settings.data_dir) as registry:
        for f in range(feeds):
            registry.add(f"{site.url}/feed{f}.rss")


def run(quick: bool = False, progress=print) -> dict:
    """Both figures; ``quick`` uses fewer repeats."""
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-feeds-") as tmp_name:
        tmp = Path(tmp_name)
        progress("feeds: refresh of 50 × 50 entries, all 304 …")
        result = noop_refresh(tmp, repeats=3 if quick else 5)
        progress("feeds: refresh adding 100 articles vs plain indexing …")
        result.update(refresh_vs_plain(tmp, repeats=2 if quick else 3))
    return result


if __name__ == "__main__":
    print(json.dumps(run(progress=lambda m: None)))
