"""Topic alerts: after new articles are indexed, each subscriber whose topic one is about gets one message.

The rules that make alerts trustworthy live here: at most one alert per article per chat (claimed
in the subscription store before sending), none for an article indexed before the subscription or
dated before it (an exact date; an estimated date is only a lower bound and is not held against it),
and the sentence shown is the article's own (``rag.alerts_for``).

Feeds: :func:`refresh_job` is the bot's scheduled refresh. When a feed is followed it runs
``index.refresh(settings)`` in a thread (answers keep reading the current index until the refresh
commits), then :func:`send_alerts` with the refresh report's ``new_article_ids``.
:func:`schedule_refresh` registers it on the job queue every ``NEWSBOT_FEED_INTERVAL_MIN`` minutes
(0 turns it off); the writer is imported inside the job, never at import time.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.constants import ParseMode
from telegram.error import TelegramError

import rag
from bot import render
from bot.subscriptions import Subscription, SubscriptionStore
from core.settings import Settings

log = logging.getLogger(__name__)
JOB_NAME = "newsbot-feed-refresh"


def is_fresh_for(subscription: Subscription, article: rag.NewsItem) -> bool:
    """Whether ``article`` is news to a subscription: indexed after it began, and not dated before its day."""
    if not article.added_at or article.added_at < subscription.since:
        return False
    if article.date and article.date_source != "estimate" and article.date < subscription.since[:10]:
        return False
    return True


async def send_alerts(bot, settings: Settings, article_ids: list[str], *, assistant=None,
                      store: SubscriptionStore | None = None) -> int:
    """Send one alert per (chat, newly indexed article) for every subscription the article matches.

    Args:
        bot: a ``telegram.Bot`` (the application's ``context.bot``).
        settings: the bot's settings (its index and its data dir).
        article_ids: the ids of the articles just indexed (a refresh report's ``new_article_ids``).
        assistant: the ``rag.Assistant`` to match with (the bot passes its own: one embedder in memory).
        store: the subscriptions (default: the one in ``data_dir``).

    Returns:
        How many alerts were sent.
    """
    own_store = store is None
    store = store or SubscriptionStore(settings.data_dir / "subscriptions.sqlite3")
    try:
        subscriptions = store.all()
        if not subscriptions or not article_ids:
            return 0
        assistant = assistant or rag.Assistant(settings)
        by_topic: dict[str, list[Subscription]] = {}
        for s in subscriptions:
            by_topic.setdefault(s.topic.lower(), []).append(s)
        sent = 0
        for group in by_topic.values():
            alerts = await asyncio.to_thread(rag.alerts_for, group[0].topic, list(article_ids), settings, assistant=assistant)
            for subscription in group:
                for alert in alerts:
                    if not is_fresh_for(subscription, alert.article):
                        continue
                    if not store.claim(subscription.chat_id, alert.article.id, subscription.topic):
                        continue  # this chat was already told about this article (another topic, an earlier pass)
                    try:
                        await bot.send_message(subscription.chat_id, render.alert_html(alert, subscription.topic),
                                               parse_mode=ParseMode.HTML, disable_web_page_preview=True)
                        sent += 1
                    except TelegramError as exc:
                        store.release(subscription.chat_id, alert.article.id)
                        log.warning("alert not delivered (%s)", exc.__class__.__name__)
        return sent
    finally:
        if own_store:
            store.close()


async def refresh_job(context) -> None:
    """The scheduled feed refresh: fetch and index new entries in a thread, then alert subscribers."""
    from index import FeedRegistry, IndexBusyError, refresh  # the writer: only this job and ingest write from the bot

    app = context.application
    settings, metrics = app.bot_data["settings"], app.bot_data["service"].metrics
    with FeedRegistry(settings.data_dir) as registry:
        if not registry.feeds():
            metrics.refreshed("no_feeds")
            return  # nothing followed yet (`newsbot feeds add URL`)
    try:
        report = await asyncio.to_thread(refresh, settings)
    except IndexBusyError:
        metrics.refreshed("busy")
        log.info("scheduled feed refresh skipped: another index run holds the lock; the next one picks it up")
        return
    except Exception:
        metrics.refreshed("error")
        raise
    metrics.refreshed("feeds_failed" if report.failed else "ok", report)
    for failed in report.failed:
        log.warning("feed %s failed: %s", failed.name or failed.url, failed.reason)
    new_ids = list(report.new_article_ids)
    if new_ids:
        sent = await send_alerts(context.bot, settings, new_ids, assistant=app.bot_data["service"].assistant,
                                 store=app.bot_data["subscriptions"])
        metrics.alerts.inc(sent)


def schedule_refresh(app, settings: Settings) -> bool:
    """Register :func:`refresh_job` every ``feed_interval_min`` minutes; False (and why, in the log) when
    it cannot run: no interval set, or no job queue (python-telegram-bot[job-queue])."""
    minutes = settings.feed_interval_min
    if not minutes:
        log.info("NEWSBOT_FEED_INTERVAL_MIN is not set: feeds refresh only with `newsbot refresh`")
        return False
    if app.job_queue is None:
        log.warning("feeds cannot refresh on a schedule: install python-telegram-bot[job-queue]")
        return False
    app.job_queue.run_repeating(refresh_job, interval=float(minutes) * 60, first=float(minutes) * 60, name=JOB_NAME)
    return True
