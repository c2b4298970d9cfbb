"""The scheduled feed refresh as the bot wires it: registered only when the feed layer and its interval
exist, and, when it runs, the refresh's new articles go to send_alerts (real job queue, real index).

The feed layer lives on its own branch: here ``index.feeds`` is a small module registered for the test
whose ``refresh(settings)`` indexes two files through the real Indexer and reports their ids, the
shape ``index.feeds.refresh`` returns (``new_article_ids``)."""

from __future__ import annotations

import asyncio
import importlib.machinery
import sys
import types
from datetime import datetime, timezone

import rag
from bot import alerts
from bot.app import build_application
from index import Indexer
from tests.bot.conftest import running, until


def feed_layer(folder):
    """An ``index.feeds`` whose refresh indexes what is in ``folder`` and says which articles are new."""
    module = types.ModuleType("index.feeds")
    module.__spec__ = importlib.machinery.ModuleSpec("index.feeds", None)
    module.calls = 0

    def refresh(settings):
        module.calls += 1
        paths = [str(p) for p in sorted(folder.iterdir())]
        before = {i.id for i in rag.latest(1000, settings)}
        Indexer(settings).run(paths)
        return types.SimpleNamespace(new_article_ids=[i.id for i in rag.items_by_path(paths, settings).values() if i.id not in before])

    module.refresh = refresh
    return module


def test_no_refresh_job_without_an_interval(bot_settings, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "index.feeds", feed_layer(tmp_path))
    app = build_application(bot_settings)
    assert app.job_queue.get_jobs_by_name(alerts.JOB_NAME) == ()
    assert alerts.schedule_refresh(app, bot_settings) is False


def test_the_scheduled_refresh_indexes_then_alerts_subscribers(bot_settings, api, monkeypatch, tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    feeds = feed_layer(folder)
    monkeypatch.setitem(sys.modules, "index.feeds", feeds)
    settings = bot_settings.model_copy(update={"feed_interval_min": 30, "alert_min_similarity": 0.0})
    today = datetime.now(timezone.utc).date()

    async def scenario():
        async with running(settings) as app:
            jobs = app.job_queue.get_jobs_by_name(alerts.JOB_NAME)
            assert len(jobs) == 1 and jobs[0].trigger.interval.total_seconds() == 1800
            api.message(8, "/subscribe consulate")
            await until(api, lambda: api.texts(8))
            (folder / "consulate.txt").write_text(f"Consulate reopens in Vladivostok\n\n{today:%B} {today.day}, {today.year}\n\n"
                                                  "The US consulate in Vladivostok reopened on Monday after four years, "
                                                  "the embassy said.\n", encoding="utf-8")
            (folder / "weather.txt").write_text("Snow in Moscow\n\nHeavy snow fell in Moscow overnight, slowing traffic "
                                                "across the city, forecasters said.\n", encoding="utf-8")
            await jobs[0].run(app)
            await until(api, lambda: len(api.texts(8)) == 2)
            await jobs[0].run(app)  # nothing new: no second alert
            await asyncio.sleep(0.3)

    asyncio.run(scenario())
    assert feeds.calls == 2
    alert = api.texts(8)[1]
    assert alert.startswith("🔔 New on <b>consulate</b>\n\n<b>Consulate reopens in Vladivostok</b>")
    assert len(api.texts(8)) == 2
