"""The scheduled feed refresh as the bot wires it: registered only when an interval is set, and, when it
runs, the real feed layer (``index.refresh``: feedparser over a loopback RSS feed, the real Indexer)
indexes the new entries and the new articles go to the subscribers whose topic they match: one alert
for the matching article, none for the other, none on the next run (the feed answers 304)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from email.utils import format_datetime

import pytest

from bot import alerts
from bot.app import build_application
from index import FeedRegistry
from standins.feeds import FeedSite, rss, rss_item
from tests.bot.conftest import running, until


@pytest.fixture
def site(monkeypatch):
    """The loopback feed site stands for the public web; every other address gets the product's real check."""
    import index.loaders as loaders

    s = FeedSite().start()
    real = loaders._check_host
    monkeypatch.setattr(loaders, "_check_host", lambda url, allow: None if url.startswith(s.url + "/") else real(url, allow))
    yield s
    s.stop()


def test_no_refresh_job_without_an_interval(bot_settings):
    settings = bot_settings.model_copy(update={"feed_interval_min": 0})
    app = build_application(settings)
    assert app.job_queue.get_jobs_by_name(alerts.JOB_NAME) == ()
    assert alerts.schedule_refresh(app, settings) is False


def test_the_scheduled_refresh_indexes_the_feed_then_alerts_subscribers(bot_settings, api, site):
    settings = bot_settings.model_copy(update={"feed_interval_min": 30, "alert_min_similarity": 0.0})
    now = format_datetime(datetime.now(timezone.utc), usegmt=True)
    # full text in the feed (over MIN_FULL_TEXT_WORDS): no page to fetch
    consulate = ("<p>The US consulate in Vladivostok reopened on Monday after four years, the embassy said, and "
                 "consular staff began taking visa appointments again.</p><p>The consulate had been closed since "
                 "2020, when both countries cut staff at their missions and suspended most visa services.</p>"
                 "<p>Local officials welcomed the move and said they hoped that the reopening of the consulate "
                 "would make travel easier for families, students and businesses on both sides of the Pacific, "
                 "after years in which people had to travel to Moscow or abroad for an interview.</p>")
    weather = ("<p>Heavy snow fell in Moscow overnight, slowing traffic across the city, forecasters said on "
               "Tuesday.</p><p>Snowploughs worked through the night to clear the main roads before the morning rush, "
               "and the city asked drivers to leave their cars at home and take the metro instead.</p><p>More snow "
               "is expected later in the week, with temperatures falling well below freezing at night and strong "
               "winds along the river, forecasters added in their evening bulletin.</p>")
    site.set("/feed.xml", rss("Pacific Wire", [rss_item("Consulate reopens in Vladivostok", f"{site.url}/consulate", now, consulate),
                                               rss_item("Snow in Moscow", f"{site.url}/snow", now, weather)]))
    with FeedRegistry(settings.data_dir) as registry:
        registry.add(f"{site.url}/feed.xml", "pacific")

    async def scenario():
        async with running(settings) as app:
            jobs = app.job_queue.get_jobs_by_name(alerts.JOB_NAME)
            assert len(jobs) == 1 and jobs[0].trigger.interval.total_seconds() == 1800
            api.message(8, "/subscribe consulate")
            await until(api, lambda: api.texts(8))
            await jobs[0].run(app)
            await until(api, lambda: len(api.texts(8)) == 2)
            await jobs[0].run(app)  # the feed answers 304: nothing new, no second alert
            await asyncio.sleep(0.3)

    asyncio.run(scenario())
    texts = api.texts(8)
    assert len(texts) == 2
    assert texts[1].startswith("🔔 New on <b>consulate</b>\n\n<b>Consulate reopens in Vladivostok</b>")
    assert "Pacific Wire" in texts[1] and f"{site.url}/consulate" in texts[1]
    assert site.hits["/feed.xml"] == 2  # fetched twice, the second a conditional GET
