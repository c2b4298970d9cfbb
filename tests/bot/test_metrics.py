"""The bot's Prometheus endpoint (bot/metrics.py): the real bot polls the Bot API stand-in, answers, and
the counters read over HTTP from /metrics move; the queue gauges while questions wait; the scheduled
feed refresh's outcomes; a port that is taken is one clear error; no port, no endpoint."""

from __future__ import annotations

import asyncio
import json
import socket

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

import rag
from bot import alerts
from bot.app import BotConfigError
from index import FeedRegistry
from rag import Assistant
from tests.bot.conftest import GOOD, Q, TOKEN, finals, running, until
from tests.conftest import free_port
from tests.helpers.fakes import scripted_llm

UNKNOWN = "What did Zebulon Quattlebaum say about the embassy?"


async def scrape(port: int) -> dict[tuple[str, tuple], float]:
    """Every sample of the endpoint as {(name, sorted labels): value}."""
    r = await asyncio.to_thread(httpx.get, f"http://127.0.0.1:{port}/metrics", timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(r.text) for s in family.samples}


def value(samples, name: str, **labels) -> float | None:
    return samples.get((name, tuple(sorted(labels.items()))))


async def settled(port: int, timeout: float = 15.0) -> dict[tuple[str, tuple], float]:
    """The samples once the worker is idle: the last answer's message reaches the chat a moment before
    the worker marks itself done, so the gauges are read when they settle (or as they are at the timeout)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        samples = await scrape(port)
        if (value(samples, "newsbot_answering") == 0 and value(samples, "newsbot_queue_depth") == 0) or loop.time() > deadline:
            return samples
        await asyncio.sleep(0.1)


@pytest.fixture
def metered(bot_settings, tmp_path):
    return bot_settings.model_copy(update={"metrics_port": free_port(), "trace_file": tmp_path / "traces.jsonl"})


def test_answers_move_the_counters_on_the_endpoint(metered, api):
    port = metered.metrics_port
    llm = scripted_llm(GOOD)

    async def scenario():
        async with running(metered, llm=llm):
            before = await scrape(port)
            api.message(1, Q)
            await until(api, lambda: finals(api, 1))
            api.message(2, UNKNOWN)
            await until(api, lambda: finals(api, 2))
            return before, await settled(port)

    before, after = asyncio.run(scenario())
    assert value(before, "newsbot_answers_total", mode="generated") is None
    assert value(before, "newsbot_answer_seconds_count") == 0
    assert value(after, "newsbot_answers_total", mode="generated") == 1
    assert value(after, "newsbot_answers_total", mode="refused") == 1
    assert value(after, "newsbot_refusals_total", stage="gate") == 1
    assert value(after, "newsbot_answer_seconds_count") == 2 and value(after, "newsbot_answer_seconds_sum") > 0
    assert value(after, "newsbot_answer_first_text_seconds_count") == 2
    assert value(after, "newsbot_queue_depth") == 0 and value(after, "newsbot_answering") == 0
    sources = rag.sources(metered)
    assert value(after, "newsbot_index_articles") == len(sources) == 5
    assert value(after, "newsbot_index_chunks") == sum(s["chunks"] for s in sources) > 5
    assert value(after, "process_resident_memory_bytes") > 0
    assert TOKEN not in str(after)
    # the same answers left their traces (rag/trace.py), written by the bot's assistant
    traces = [json.loads(line) for line in metered.trace_file.read_text().splitlines()]
    assert [t["mode"] for t in traces] == ["generated", "refused"] and traces[1]["gate"]["decision"] == "refuse"


def test_the_queue_gauges_while_questions_wait(metered, api):
    port = metered.metrics_port
    slow = scripted_llm(GOOD, GOOD, GOOD, seconds_per_char=0.02)  # about 5 s per answer

    async def scenario():
        async with running(metered, llm=slow):
            for chat in (11, 12, 13):
                api.message(chat, Q)
            await until(api, lambda: all(api.texts(c) for c in (11, 12, 13)))  # each has its placeholder
            busy = await scrape(port)
            await until(api, lambda: all(finals(api, c) for c in (11, 12, 13)), timeout=120)
            return busy, await settled(port)

    busy, idle = asyncio.run(scenario())
    assert value(busy, "newsbot_answering") == 1 and value(busy, "newsbot_queue_depth") >= 1
    assert value(idle, "newsbot_answering") == 0 and value(idle, "newsbot_queue_depth") == 0
    assert value(idle, "newsbot_answers_total", mode="generated") == 3


def test_feed_refresh_outcomes_are_counted(metered, api):
    settings = metered.model_copy(update={"feed_interval_min": 30})
    port = settings.metrics_port

    async def scenario():
        async with running(settings) as app:
            [job] = app.job_queue.get_jobs_by_name(alerts.JOB_NAME)
            await job.run(app)  # nothing followed yet
            with FeedRegistry(settings.data_dir) as registry:
                registry.add(f"http://127.0.0.1:{free_port()}/feed.xml", "nowhere")  # loopback: refused, the feed fails
            await job.run(app)
            return await scrape(port)

    samples = asyncio.run(scenario())
    assert value(samples, "newsbot_feed_refreshes_total", outcome="no_feeds") == 1
    assert value(samples, "newsbot_feed_refreshes_total", outcome="feeds_failed") == 1
    assert value(samples, "newsbot_feed_fetches_total", status="failed") == 1
    assert value(samples, "newsbot_feed_new_articles_total") == 0


def test_a_taken_port_is_one_clear_error(bot_settings):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        settings = bot_settings.model_copy(update={"metrics_port": taken.getsockname()[1]})

        async def scenario():
            async with running(settings):
                pass

        with pytest.raises(BotConfigError, match=r"Cannot serve metrics on 127\.0\.0\.1:\d+ .*NEWSBOT_METRICS_PORT") as err:
            asyncio.run(scenario())
    assert TOKEN not in str(err.value)


def test_no_port_no_endpoint(bot_settings, api):
    async def scenario():
        async with running(bot_settings, assistant=Assistant(bot_settings, llm=scripted_llm(GOOD))) as app:
            api.message(1, Q)
            await until(api, lambda: finals(api, 1))
            return app.bot_data["service"].metrics

    metrics = asyncio.run(scenario())
    assert metrics._server is None  # nothing listened
    assert metrics.answers.labels("generated")._value.get() == 1  # counted all the same, in its own registry
