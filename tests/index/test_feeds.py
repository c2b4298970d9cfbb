"""Following feeds: real RSS 2.0 and Atom from a loopback site, real feedparser, trafilatura and index.

The loopback site is itself a private address. As in tests/index/test_urls.py, the product's own
check stays on (``allow_private_urls`` false) and one seam, ``index.loaders._check_host``, treats the
site's own address (``http://127.0.0.1:PORT``) as the public web; the same server spelled
``http://localhost:PORT`` is still refused as private, which is how an entry linking to a private
address and a redirect to one are tested.
"""

from __future__ import annotations

import pytest

from index.feeds import FeedError, FeedRegistry, canonical_url, refresh
from index.reader import IndexReader
from tests.conftest import make_settings
from standins.feeds import (
    FeedSite,
    article_page,
    atom,
    atom_entry,
    html_paragraphs,
    rss,
    rss_item,
)
from tests.helpers.invariants import check_index


@pytest.fixture
def site():
    s = FeedSite().start()
    yield s
    s.stop()


@pytest.fixture
def public(site, monkeypatch):
    """The loopback site stands for the public web; every other address gets the product's real check."""
    import index.loaders as loaders

    real = loaders._check_host

    def check(url, allow_private):
        if url.startswith(site.url + "/"):
            return None
        return real(url, allow_private)

    monkeypatch.setattr(loaders, "_check_host", check)
    return site


def articles(settings) -> dict[str, dict]:
    """The index's articles by URL (or path)."""
    out = {}
    for s in IndexReader(settings).sources():
        out[s["url"] or s["path"]] = s
    return out


def world_feed(site: FeedSite) -> str:
    u = site.url
    return rss("Example World News", [
        rss_item("Envoys meet in Istanbul", f"{u}/a/envoys?utm_source=rss&utm_medium=feed", content=html_paragraphs("envoys")),
        rss_item("Glacier retreat on record", f"{u}/pages/glacier", summary="Scientists measured the retreat."),
        rss_item("Envoys meet in Istanbul (again)", f"{u}/a/envoys?utm_campaign=x&fbclid=abc#comments", content=html_paragraphs("envoys")),
        rss_item("Inside the intranet", f"http://localhost:{u.rsplit(':', 1)[1]}/pages/glacier"),
        rss_item("A page too big to read", f"{u}/huge-page"),
        rss_item("An entry with nothing to read"),
        rss_item("Harbour plan approved", f"{u}/a/harbour", date=None, content=html_paragraphs("undated")),
    ])


def science_feed(site: FeedSite, telescope_extra: str = "") -> str:
    u = site.url
    return atom("Science Daily Example", [
        atom_entry("Radio telescope maps hydrogen", f"{u}/science/telescope", html_paragraphs("telescope", telescope_extra)),
        atom_entry("Envoys meet in Istanbul", f"{u}/syndicated/envoys", html_paragraphs("envoys"), published="2025-02-27T12:00:00Z"),
    ])


def test_canonical_url_drops_tracking_parameters_only():
    assert canonical_url("https://Example.com/a/b?utm_source=rss&story=12&fbclid=x#top") == "https://example.com/a/b?story=12"
    assert canonical_url("https://example.com/a?story=12") != canonical_url("https://example.com/a?story=13")
    assert canonical_url("mailto:someone@example.com") is None and canonical_url("g1") is None


def test_registry_add_list_remove_survives_reopening(tmp_path):
    with FeedRegistry(tmp_path) as reg:
        reg.add("https://example.com/feed.xml?utm_source=x", name="example")
        reg.add("https://other.example.org/atom")
        with pytest.raises(FeedError, match="already following"):
            reg.add("https://example.com/feed.xml")
        with pytest.raises(FeedError, match="already taken"):
            reg.add("https://third.example/rss", name="example")
        with pytest.raises(FeedError, match="not a feed address"):
            reg.add("ftp://example.com/feed")
    with FeedRegistry(tmp_path) as reg:
        assert [(f.url, f.name) for f in reg.feeds()] == [
            ("https://example.com/feed.xml", "example"), ("https://other.example.org/atom", None)]
        assert reg.remove("example").url == "https://example.com/feed.xml"
        with pytest.raises(FeedError, match="no followed feed"):
            reg.remove("example")
        assert [f.url for f in reg.feeds()] == ["https://other.example.org/atom"]


def test_refresh_indexes_new_entries_updates_changed_ones_and_honours_304(tmp_path, public):
    site = public
    site.set("/world.rss", world_feed(site))
    site.set("/science.atom", science_feed(site), "application/atom+xml")
    site.set("/pages/glacier", article_page("Glacier retreat on record", "glacier"), "text/html; charset=utf-8")
    settings = make_settings(tmp_path / "store", url_timeout=2.0, url_max_mb=1.0)
    with FeedRegistry(settings.data_dir) as reg:
        reg.add(f"{site.url}/world.rss", name="world")
        reg.add(f"{site.url}/science.atom")

    first = refresh(settings)
    world, science = first.feeds
    assert (world.status, world.title, world.entries) == ("ok", "Example World News", 7)
    # envoys (full content), glacier (linked page), harbour (full content, no date) are new; the tracked
    # duplicate link is stored once; the private link, the huge page and the empty entry are skipped
    assert (world.new, world.duplicates) == (3, 1)
    reasons = {i.entry.rsplit("/", 1)[-1]: i.reason for i in world.skipped}
    assert "private address" in reasons["glacier"]
    assert "larger than 1.0 MB" in reasons["huge-page"]
    assert "no link and no full text" in next(r for e, r in reasons.items() if "nothing to read" in e)
    notes = " | ".join(f"{n.entry}: {n.reason}" for n in world.notes)
    assert "harbour: no date in the feed" in notes and "the same link as" in notes
    # the Atom feed: the telescope is new, the syndicated envoys story is the same text under another URL
    assert (science.status, science.new, science.duplicates) == ("ok", 1, 1)
    assert len(first.new_article_ids) == 4 == len(set(first.new_article_ids)) and first.updated_article_ids == []
    assert not first.ok  # three entries were skipped

    by_url = articles(settings)
    assert set(by_url) == {f"{site.url}/a/envoys", f"{site.url}/pages/glacier", f"{site.url}/a/harbour",
                           f"{site.url}/science/telescope"}
    envoys = by_url[f"{site.url}/a/envoys"]
    assert (envoys["title"], envoys["outlet"], envoys["date"], envoys["date_source"]) == (
        "Envoys meet in Istanbul", "Example World News", "2025-02-27", "feed")
    glacier = by_url[f"{site.url}/pages/glacier"]
    assert (glacier["outlet"], glacier["date_source"], glacier["title"]) == ("Example World News", "feed", "Glacier retreat on record")
    assert by_url[f"{site.url}/science/telescope"]["outlet"] == "Science Daily Example"
    assert by_url[f"{site.url}/a/harbour"]["date_source"] != "feed"
    assert {a["id"] for a in by_url.values()} == set(first.new_article_ids)
    check_index(settings)

    # Second pass, nothing changed: the complete Atom feed costs one 304; the RSS feed, which had skipped
    # entries, is read again (its skips retried) but nothing already indexed is fetched or written again.
    hits_before = dict(site.hits)
    second = refresh(settings)
    world, science = second.feeds
    assert science.status == "not-modified", science.reason
    assert site.hits["/science.atom"] == hits_before["/science.atom"] + 1
    assert world.status == "ok" and (world.new, world.updated, world.unchanged) == (0, 0, 3)
    assert site.hits["/pages/glacier"] == hits_before["/pages/glacier"]
    assert len(world.skipped) == 3
    assert second.new_article_ids == [] and second.updated_article_ids == []

    # Third pass: the telescope story was corrected; it is re-indexed (one article, the new text)
    site.set("/science.atom", science_feed(site, "The observatory corrected the distance to the cluster on Friday."),
             "application/atom+xml")
    old_id = by_url[f"{site.url}/science/telescope"]["id"]
    third = refresh(settings)
    science = third.feeds[1]
    assert (science.status, science.new, science.updated, science.unchanged) == ("ok", 0, 1, 1)
    assert third.new_article_ids == [] and len(third.updated_article_ids) == 1
    by_url = articles(settings)
    assert len(by_url) == 4 and by_url[f"{site.url}/science/telescope"]["id"] == third.updated_article_ids[0] != old_id
    check_index(settings)


def test_bad_feeds_each_fail_with_a_reason_and_lose_nothing_else(tmp_path, public):
    site = public
    u = site.url
    site.set("/good.rss", rss("Good Feed", [rss_item("Envoys meet in Istanbul", f"{u}/a/envoys", content=html_paragraphs("envoys"))]))
    site.set("/malformed.xml", "<?xml version='1.0'?><rss version='2.0'><channel><<title>></oops", "application/xml")
    site.set("/homepage", "<!doctype html><html><head><title>Example</title></head><body><p>Welcome</p></body></html>", "text/html")
    cyrillic = rss("Новости Севера", [rss_item("Гляциологи измерили отступление ледника", f"{u}/a/glacier-ru",
                                                content=html_paragraphs("glacier"))], encoding="windows-1251")
    site.set("/cyrillic.rss", cyrillic.encode("cp1251"), "application/rss+xml")
    site.set("/slow.rss", rss("Slow", []))
    site.delay["/slow.rss"] = 3
    site.set("/world.rss", rss("World", []))
    settings = make_settings(tmp_path / "store", url_timeout=1.0, url_max_mb=1.0)
    paths = ["/good.rss", "/malformed.xml", "/homepage", "/cyrillic.rss", "/redirect/world.rss", "/huge.rss", "/slow.rss"]
    with FeedRegistry(settings.data_dir) as reg:
        for p in paths:
            reg.add(u + p)
    report = refresh(settings)
    by = {f.url.removeprefix(u): f for f in report.feeds}
    assert by["/good.rss"].status == "ok" and by["/good.rss"].new == 1
    assert by["/malformed.xml"].reason.startswith("not a feed: malformed XML")
    assert by["/homepage"].reason.startswith("not a feed:") and "HTML page" in by["/homepage"].reason
    assert by["/cyrillic.rss"].status == "ok" and by["/cyrillic.rss"].title == "Новости Севера"
    assert "private address" in by["/redirect/world.rss"].reason
    assert "larger than 1.0 MB" in by["/huge.rss"].reason
    assert by["/slow.rss"].reason.startswith("timed out")
    assert [f.url.removeprefix(u) for f in report.failed] == ["/malformed.xml", "/homepage", "/redirect/world.rss",
                                                              "/huge.rss", "/slow.rss"]
    assert not report.ok and len(report.new_article_ids) == 2
    titles = {a["title"]: a for a in articles(settings).values()}
    assert titles["Гляциологи измерили отступление ледника"]["outlet"] == "Новости Севера"
    check_index(settings)
    with FeedRegistry(settings.data_dir) as reg:
        status = {f.url.removeprefix(u): (f.status, f.reason) for f in reg.feeds()}
    assert status["/slow.rss"][0] == "failed" and status["/slow.rss"][1].startswith("timed out")


def test_a_leniently_read_feed_keeps_its_entries_and_says_so(tmp_path, public):
    site = public
    u = site.url
    broken = rss("Loose Feed", [rss_item("Envoys meet in Istanbul", f"{u}/a/envoys", content=html_paragraphs("envoys"))])
    site.set("/loose.rss", broken.replace("</channel></rss>", "<item><title>cut off"))
    settings = make_settings(tmp_path / "store")
    with FeedRegistry(settings.data_dir) as reg:
        reg.add(u + "/loose.rss")
    (feed,) = refresh(settings).feeds
    assert feed.status == "ok" and feed.new == 1
    assert any("not well-formed XML" in n.reason for n in feed.notes)


def test_a_rebuilt_index_gets_its_feed_articles_back_on_the_next_refresh(tmp_path, public):
    from index import Indexer

    site = public
    site.set("/good.rss", rss("Good Feed", [rss_item("Envoys meet in Istanbul", f"{site.url}/a/envoys",
                                                      content=html_paragraphs("envoys"))]))
    settings = make_settings(tmp_path / "store")
    with FeedRegistry(settings.data_dir) as reg:
        reg.add(site.url + "/good.rss")
    assert len(refresh(settings).new_article_ids) == 1
    (settings.data_dir / "empty").mkdir()
    Indexer(settings).run([str(settings.data_dir / "empty")], rebuild=True)
    assert articles(settings) == {}
    site.set("/good.rss", site.docs["/good.rss"][0] + b" ")  # a new ETag: the feed is read again
    again = refresh(settings)
    assert len(again.new_article_ids) == 1 and len(articles(settings)) == 1


@pytest.mark.slow
def test_a_feed_article_is_found_by_retrieval_with_its_link_and_feed_date(tmp_path, public):
    """With the real embedder: what a refresh indexed is what a question retrieves, citing the entry's URL."""
    from rag import Assistant

    site = public
    site.set("/world.rss", world_feed(site))
    site.set("/science.atom", science_feed(site), "application/atom+xml")
    site.set("/pages/glacier", article_page("Glacier retreat on record", "glacier"), "text/html; charset=utf-8")
    settings = make_settings(tmp_path / "store", embedding_model="all-MiniLM-L6-v2", url_max_mb=1.0)
    with FeedRegistry(settings.data_dir) as reg:
        reg.add(f"{site.url}/world.rss")
        reg.add(f"{site.url}/science.atom")
    assert len(refresh(settings).new_article_ids) == 4
    best = Assistant(settings).retrieve("How far did the Nathorst glacier retreat this summer?", 3)[0]
    assert (best.url, best.date, best.date_source) == (f"{site.url}/pages/glacier", "2025-02-27", "feed")
    assert "three hundred metres" in best.text
    check_index(settings)
