"""News arriving through the bot, end to end over HTTP (real python-telegram-bot, loopback Bot API,
real index): admins' links and files, /latest, /digest, subscriptions and topic alerts."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import rag
from bot import alerts, texts
from index import Indexer
from tests.index.test_pdf import press_release
from tests.bot.conftest import running, until

ADMIN = 42
PAGE = """<!doctype html><html><head><title>Envoys meet in Istanbul | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2025-02-27T10:00:00Z"></head><body>
<article><h1>Envoys meet in Istanbul</h1>
<p>Russian and US delegations met in Istanbul on Thursday to discuss the work of their embassies, the foreign ministry said.</p>
<p>The talks lasted six hours and were described as businesslike by both sides, who agreed to meet again in the spring.</p>
</article></body></html>"""


@pytest.fixture
def site():
    """A loopback news site that counts what was fetched from it."""
    hits: Counter = Counter()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 - http.server's name
            hits[self.path] += 1
            status, body = (200, PAGE.encode()) if self.path.startswith("/article") else (404, b"not found")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def news_settings(bot_settings):
    # The hashing embedder is not semantic: the names rule picks the topic's articles here; the calibrated
    # similarity threshold is checked with MiniLM in tests/rag/test_news_calibration.py.
    return bot_settings.model_copy(update={"telegram_admin_ids": str(ADMIN), "allow_private_urls": True,
                                           "alert_min_similarity": 0.0})


def run(coro):
    return asyncio.run(coro)


def test_an_admin_sends_links_and_files_and_each_is_indexed_or_skipped_with_a_reason(news_settings, api, site):
    base, hits = site

    async def scenario():
        async with running(news_settings):
            api.message(ADMIN, f"Please add {base}/article, and {base}/missing.")
            await until(api, lambda: any("Indexed" in t for t in api.texts(ADMIN)))
            api.document(ADMIN, "consulate.txt", "Consulate reopens in Vladivostok\n\nThe US consulate in Vladivostok "
                         "reopened on Monday after four years, the embassy said in a statement.\n".encode(), user_id=ADMIN)
            await until(api, lambda: sum("Indexed" in t for t in api.texts(ADMIN)) == 2)
            api.document(ADMIN, "scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
                         user_id=ADMIN, mime_type="application/pdf")
            await until(api, lambda: sum("Indexed" in t for t in api.texts(ADMIN)) == 3)
            api.document(ADMIN, "tool.exe", b"MZ\x90\x00", user_id=ADMIN, mime_type="application/octet-stream")
            await until(api, lambda: sum("Indexed" in t for t in api.texts(ADMIN)) == 4)
            api.document(ADMIN, "release.pdf", press_release(), user_id=ADMIN, mime_type="application/pdf")
            await until(api, lambda: sum("Indexed" in t for t in api.texts(ADMIN)) == 5)

    run(scenario())
    replies = [t for t in api.texts(ADMIN) if "Indexed" in t]
    assert "Reading 2 links…" in api.texts(ADMIN)
    links = replies[0]
    assert f'<a href="{base}/article">Envoys meet in Istanbul</a> — Example News' in links and "27 February 2025" in links
    assert f"{base}/missing: skipped: HTTP 404" in links
    assert "Consulate reopens in Vladivostok" in replies[1] and "skipped" not in replies[1]
    assert "scan.pdf: skipped:" in replies[2] and "PDF" in replies[2]  # a broken PDF, with the reason
    assert "tool.exe: skipped: unsupported file type '.exe'" in replies[3]
    assert "Embassy staff to return to Washington" in replies[4] and "skipped" not in replies[4]  # pypdf's text layer
    assert len(api.downloads) == 3  # the .txt and the two PDFs; the .exe was refused before downloading
    uploads = sorted(p.name.split("-", 1)[1] for p in (news_settings.data_dir / "uploads").iterdir())
    assert uploads == ["consulate.txt", "release.pdf", "scan.pdf"]
    titles = {s["title"] for s in rag.sources(news_settings)}
    assert {"Envoys meet in Istanbul", "Consulate reopens in Vladivostok", "Embassy staff to return to Washington"} <= titles


def test_a_non_admin_is_refused_politely_and_nothing_is_fetched(news_settings, api, site):
    base, hits = site

    async def scenario():
        async with running(news_settings):
            api.message(7, f"{base}/article-from-a-stranger")
            await until(api, lambda: api.texts(7))
            api.document(7, "notes.txt", b"Some text the stranger wants indexed, with words enough.", user_id=7)
            await until(api, lambda: len(api.texts(7)) == 2)

    run(scenario())
    assert api.texts(7) == [texts.ADMINS_ONLY_LINKS, texts.ADMINS_ONLY_FILES]
    assert hits == Counter() and api.downloads == []
    assert len(rag.sources(news_settings)) == 5


def write_article(folder, name: str, title: str, body: str) -> str:
    today = datetime.now(timezone.utc).date()
    path = folder / name
    path.write_text(f"{title}\n\n{today:%B} {today.day}, {today.year}\n\n{body}\n", encoding="utf-8")
    return str(path)


def test_subscribe_then_one_alert_for_the_matching_new_article_none_twice_and_the_subscription_survives_a_restart(
        news_settings, api, tmp_path):
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    old = [i.id for i in rag.latest(10, news_settings) if i.title.startswith("Russia vs U.S")]  # names Ryabkov; indexed before

    async def first_session():
        async with running(news_settings) as app:
            # one at a time: the bot handles updates concurrently, so replies to messages sent together
            # may arrive in another order (a CI run saw the list before "no words")
            for n, text in enumerate(("/subscribe Ryabkov", "/subscribe the", "/subscriptions"), start=1):
                api.message(5, text)
                await until(api, lambda n=n: len(api.texts(5)) == n)
            paths = [write_article(fresh, "arms.txt", "Ryabkov meets US envoy in Geneva",
                                   "Deputy Foreign Minister Sergei Ryabkov met the US envoy in Geneva to discuss arms control, "
                                   "the ministry said. Ryabkov said the talks were useful but difficult."),
                     write_article(fresh, "derby.txt", "Spartak win the Moscow derby",
                                   "Spartak beat CSKA 2-1 on Sunday with a late goal, keeping their title hopes alive.")]
            await asyncio.to_thread(Indexer(news_settings).run, paths)
            new = [i.id for i in rag.items_by_path(paths, news_settings).values()]
            assert len(new) == 2
            args = (app.bot, news_settings, new + old)
            kw = {"assistant": app.bot_data["service"].assistant, "store": app.bot_data["subscriptions"]}
            assert await alerts.send_alerts(*args, **kw) == 1
            assert await alerts.send_alerts(*args, **kw) == 0  # the same articles again: nothing new to say
            return new

    async def second_session(new):
        async with running(news_settings) as app:
            api.message(5, "/subscriptions")
            await until(api, lambda: len(api.texts(5)) == 5)
            kw = {"assistant": app.bot_data["service"].assistant, "store": app.bot_data["subscriptions"]}
            assert await alerts.send_alerts(app.bot, news_settings, new + old, **kw) == 0

    new = run(first_session())
    subscribed, no_words, listed, alert = api.texts(5)[:4]
    assert subscribed.startswith("Subscribed to “Ryabkov”") and "no words" in no_words
    assert "<b>You follow</b>\n• Ryabkov (since " in listed
    today = datetime.now(timezone.utc).date()
    assert alert.startswith("🔔 New on <b>Ryabkov</b>\n\n<b>Ryabkov meets US envoy in Geneva</b>\n")
    assert f"{today.day} {today:%B} {today.year}" in alert
    # One verbatim sentence of the article that names the topic, cited [1] (which of its two is the embedder's call).
    assert ("\n\n“Deputy Foreign Minister Sergei Ryabkov met the US envoy in Geneva to discuss arms control, the ministry said.” [1]\n\n" in alert
            or "\n\n“Ryabkov said the talks were useful but difficult.” [1]\n\n" in alert)
    assert "[1] Ryabkov meets US envoy in Geneva" in alert
    run(second_session(new))
    assert "• Ryabkov (since " in api.texts(5)[-1]
    assert sum(t.startswith("🔔") for t in api.texts(5)) == 1


def test_latest_and_digest(news_settings, api):
    async def scenario():
        async with running(news_settings):
            for i, command in enumerate(["/latest 2", "/latest many", "/digest", "/digest 7d", "/digest soon"], start=1):
                api.message(3, command)
                await until(api, lambda: len(api.texts(3)) == i)

    run(scenario())
    latest_2, usage, day, week, bad = api.texts(3)
    assert latest_2.startswith("<b>The 2 newest articles</b>\n• 28 November 2022 · <a href=\"https://sputniknews.com/")
    assert "\n• not before 2022 · Russia mending diplomatic relations with United States" in latest_2
    assert usage == texts.LATEST_USAGE.format(most=30)
    assert day.startswith("<b>Added in the last 24h</b>: 5 articles,") and "<b>Sources</b>\n[1] " in day
    assert "1. <b>US Charge d'Affaires Says It Is Important for Biden That Embassy in Moscow Remain Open</b>\n“" in day
    assert week.startswith("<b>Added in the last 7d</b>: 5 articles,")
    assert bad.startswith("Usage: /digest 24h or /digest 7d. Cannot read 'soon'")
