"""The bot's Prometheus metrics, served at ``http://NEWSBOT_METRICS_LISTEN:NEWSBOT_METRICS_PORT/metrics``.

Why these: they answer an operator's first questions about a running bot. Is it answering, and how
(``newsbot_answers_total`` by mode, ``newsbot_refusals_total`` by where the refusal was decided,
``newsbot_answer_errors_total`` by cause)? How fast (``newsbot_answer_seconds``,
``newsbot_answer_first_text_seconds``)? Are people waiting (``newsbot_queue_depth``,
``newsbot_answering``)? What does it know (``newsbot_index_articles``, ``newsbot_index_chunks``, read
at scrape time so a /reindex or a feed refresh shows at once)? Do the feeds work
(``newsbot_feed_refreshes_total`` by outcome, ``newsbot_feed_fetches_total`` by feed status,
``newsbot_feed_new_articles_total``, ``newsbot_alerts_sent_total``)? Plus the process's own
(``process_resident_memory_bytes``: the models live in it).

The metrics are always counted (a few integers per answer) and served only when a port is set.
Each :class:`BotMetrics` has its own ``CollectorRegistry``, never the process-global one: two bots
in one process (the tests) do not share counts, and nothing else's metrics leak into the endpoint.
``prometheus-client`` (the Prometheus project's client) does the exposition format and the server.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from rag import Answer

log = logging.getLogger(__name__)

# Seconds: the embedded model answers in one to ten, a remote one may take a minute.
LATENCY_BUCKETS = (0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60, 120)


class MetricsServerError(RuntimeError):
    """The metrics endpoint cannot listen where it is configured to (the message says what to change)."""


class _IndexSize(Collector):
    """The index's article and chunk counts, read from its manifest when Prometheus scrapes."""

    def __init__(self, sources: Callable[[], list[dict]]) -> None:
        self.sources = sources

    def collect(self) -> Iterable[GaugeMetricFamily]:
        try:
            rows = self.sources()
        except Exception as exc:  # noqa: BLE001 - a scrape must not fail because the index is mid-rebuild
            log.debug("index size unavailable for metrics: %s", exc)
            return
        yield GaugeMetricFamily("newsbot_index_articles", "Articles in the index.", value=len(rows))
        yield GaugeMetricFamily("newsbot_index_chunks", "Chunks (retrievable passages) in the index.",
                                value=sum(int(r.get("chunks") or 0) for r in rows))


class BotMetrics:
    """The counters, histograms and gauges of one bot, in their own registry."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        self.answers = Counter("newsbot_answers", "Answers sent, by how they were made "
                               "(generated, extractive, timeline, premise, refused).", ["mode"], registry=r)
        self.refusals = Counter("newsbot_refusals", "Refused questions, by where it was decided "
                                "(gate: before any generation; after_gate: no answer survived).", ["stage"], registry=r)
        self.errors = Counter("newsbot_answer_errors", "Questions not answered, by cause "
                              "(llm_unavailable, store_unavailable, failed).", ["cause"], registry=r)
        self.latency = Histogram("newsbot_answer_seconds", "Seconds from the question's turn to the whole answer.",
                                 buckets=LATENCY_BUCKETS, registry=r)
        self.first_text = Histogram("newsbot_answer_first_text_seconds", "Seconds until the first verified text.",
                                    buckets=LATENCY_BUCKETS, registry=r)
        self.queue_depth = Gauge("newsbot_queue_depth", "Questions waiting for the model.", registry=r)
        self.answering = Gauge("newsbot_answering", "1 while the model is answering a question.", registry=r)
        self.refreshes = Counter("newsbot_feed_refreshes", "Scheduled feed refreshes, by outcome (ok: every feed read, "
                                 "feeds_failed: some feed failed, busy: another index run held the store, error, "
                                 "no_feeds).", ["outcome"], registry=r)
        self.fetches = Counter("newsbot_feed_fetches", "Feeds fetched by scheduled refreshes, by status "
                               "(ok, not-modified, failed).", ["status"], registry=r)
        self.new_articles = Counter("newsbot_feed_new_articles", "Articles the scheduled refreshes indexed.", registry=r)
        self.alerts = Counter("newsbot_alerts_sent", "Topic alerts sent to subscribers.", registry=r)
        ProcessCollector(registry=r)
        self._server = None
        self._thread: threading.Thread | None = None

    # --- what the bot reports ------------------------------------------------------------------------
    def answered(self, answer: Answer) -> None:
        """One answer sent: its mode, whether and where it was refused, how long it took."""
        self.answers.labels(answer.mode).inc()
        if answer.refused:
            gate = answer.trace.gate if answer.trace is not None else None
            self.refusals.labels("gate" if gate else "after_gate").inc()
        if "total" in answer.timings:
            self.latency.observe(answer.timings["total"])
        if "first_token" in answer.timings:
            self.first_text.observe(answer.timings["first_token"])

    def failed(self, cause: str) -> None:
        self.errors.labels(cause).inc()

    def watch_queue(self, waiting: Callable[[], float], busy: Callable[[], float]) -> None:
        """Read the queue's depth and the worker's state when scraped (nothing to keep in step)."""
        self.queue_depth.set_function(waiting)
        self.answering.set_function(busy)

    def watch_index(self, sources: Callable[[], list[dict]]) -> None:
        """Count the index's articles and chunks (``rag.sources``) when scraped."""
        self.registry.register(_IndexSize(sources))

    def refreshed(self, outcome: str, report=None) -> None:
        """A scheduled feed refresh ended with ``outcome``; ``report`` (``index.RefreshReport``) gives per-feed status."""
        self.refreshes.labels(outcome).inc()
        if report is not None:
            for feed in report.feeds:
                self.fetches.labels(feed.status).inc()
            self.new_articles.inc(len(report.new_article_ids))

    # --- the endpoint ---------------------------------------------------------------------------------
    def serve(self, listen: str, port: int) -> None:
        """Serve ``/metrics`` on ``listen:port`` from a background thread."""
        try:
            self._server, self._thread = start_http_server(port, addr=listen, registry=self.registry)
        except OSError as exc:
            raise MetricsServerError(f"Cannot serve metrics on {listen}:{port} ({exc.strerror or exc}): "
                                     "choose another NEWSBOT_METRICS_PORT, or 0 to turn metrics off.") from exc
        log.info("metrics at http://%s:%s/metrics", listen, port)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(5)
            self._server = self._thread = None
