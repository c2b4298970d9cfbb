"""`newsbot feeds add / list / remove` and `newsbot refresh` as a person (or cron) runs them.

The commands run as subprocesses, so the loopback site is reached the way a user on a LAN would
reach one: NEWSBOT_ALLOW_PRIVATE_URLS=true. (Refusing private addresses is tested in test_feeds.py.)
"""

from __future__ import annotations

import json

import pytest

from standins.feeds import FeedSite, html_paragraphs, rss, rss_item
from tests.index.test_cli import newsbot

ENV = {"NEWSBOT_EMBEDDING_MODEL": "hash-64", "NEWSBOT_ALLOW_PRIVATE_URLS": "true", "NEWSBOT_URL_TIMEOUT": "1",
       "NEWSBOT_URL_MAX_MB": "1"}


@pytest.fixture
def site():
    s = FeedSite().start()
    yield s
    s.stop()


def test_follow_refresh_list_and_remove(tmp_path, site):
    u = site.url
    data = tmp_path / "store"
    site.set("/world.rss", rss("Example World News", [
        rss_item("Envoys meet in Istanbul", f"{u}/a/envoys?utm_source=rss", content=html_paragraphs("envoys")),
        rss_item("Harbour plan approved", f"{u}/a/harbour", date=None, content=html_paragraphs("undated")),
        rss_item("An entry with nothing to read"),
    ]))
    site.set("/malformed.xml", "<?xml version='1.0'?><rss version='2.0'><channel><<title>></oops", "application/xml")
    site.set("/homepage", "<!doctype html><html><body><p>Welcome to our site</p></body></html>", "text/html")
    site.set("/cyrillic.rss", rss("Новости Севера", [rss_item("Ледник отступил", f"{u}/a/glacier", content=html_paragraphs("glacier"))],
                                  encoding="windows-1251").encode("cp1251"))
    site.set("/slow.rss", rss("Slow", []))
    site.delay["/slow.rss"] = 3

    assert newsbot(data, "refresh", **ENV).stdout.startswith("No feeds followed")
    added = newsbot(data, "feeds", "add", f"{u}/world.rss", "--name", "world", **ENV)
    assert added.returncode == 0 and "as 'world'" in added.stdout
    for path in ("/malformed.xml", "/homepage", "/cyrillic.rss", "/huge.rss", "/slow.rss"):
        assert newsbot(data, "feeds", "add", u + path, **ENV).returncode == 0
    again = newsbot(data, "feeds", "add", f"{u}/world.rss", **ENV)
    assert again.returncode == 2 and again.stderr.strip() == f"error: already following {u}/world.rss as 'world'"

    run = newsbot(data, "refresh", "--json", **ENV)
    assert run.returncode == 1, run.stderr  # feeds failed: cron sees it
    report = json.loads(run.stdout)
    by = {f["url"].removeprefix(u): f for f in report["feeds"]}
    assert (by["/world.rss"]["status"], by["/world.rss"]["new"]) == ("ok", 2)
    assert "no link and no full text" in by["/world.rss"]["skipped"][0]["reason"]
    assert any("no date in the feed" in n["reason"] for n in by["/world.rss"]["notes"])
    assert by["/malformed.xml"]["reason"].startswith("not a feed: malformed XML")
    assert "HTML page" in by["/homepage"]["reason"]
    assert (by["/cyrillic.rss"]["status"], by["/cyrillic.rss"]["title"], by["/cyrillic.rss"]["new"]) == ("ok", "Новости Севера", 1)
    assert "larger than 1.0 MB" in by["/huge.rss"]["reason"]
    assert by["/slow.rss"]["reason"].startswith("timed out")
    assert len(report["new_article_ids"]) == 3 and report["ok"] is False

    sources = json.loads(newsbot(data, "sources", "--json", **ENV).stdout)
    assert {s["url"] for s in sources} == {f"{u}/a/envoys", f"{u}/a/harbour", f"{u}/a/glacier"}

    listed = json.loads(newsbot(data, "feeds", "list", "--json", **ENV).stdout)
    assert [(f["name"], f["title"], f["status"]) for f in listed][:3] == [
        ("world", "Example World News", "ok"), (None, None, "failed"), (None, None, "failed")]
    for path in ("/malformed.xml", "/homepage", "/huge.rss", "/slow.rss"):
        assert newsbot(data, "feeds", "remove", u + path, **ENV).returncode == 0
    site.set("/world.rss", rss("Example World News", [
        rss_item("Envoys meet in Istanbul", f"{u}/a/envoys?utm_source=rss", content=html_paragraphs("envoys"))]))
    human = newsbot(data, "refresh", **ENV)
    assert human.returncode == 0, human.stdout + human.stderr
    assert "world: 1 entries: 0 new, 0 updated, 1 unchanged" in human.stdout
    assert "Новости Севера: not modified" in human.stdout  # its first read was complete: a 304 now
    assert "Refreshed 2 feeds" in human.stdout and "Traceback" not in human.stderr

    gone = newsbot(data, "feeds", "remove", "nosuchfeed", **ENV)
    assert gone.returncode == 2 and gone.stderr.startswith("error: no followed feed has the URL or name 'nosuchfeed'")
    assert newsbot(data, "feeds", "remove", "world", **ENV).returncode == 0
    assert "1 feeds." in newsbot(data, "feeds", "list", **ENV).stdout
