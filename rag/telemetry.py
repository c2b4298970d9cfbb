"""An answer's trace as OpenTelemetry spans, sent to an OTLP collector (``NEWSBOT_OTEL_ENDPOINT``).

Imported only when an endpoint is configured (:func:`rag.trace.deliver`): with none, or without the
SDK (the ``otel`` extra), nothing of OpenTelemetry is loaded for newsbot and nothing is sent.

Why spans after the fact: the steps run inside a generator that streams to the reader (the LLM's
pieces and the verification of each sentence interleave), where an open span would have to cross
``yield`` s. The :class:`~rag.timing.Stopwatch` already records where each step ran, so the spans are
drawn from its intervals when the answer is delivered, with their real start and end times:

    newsbot.answer ── condense ── retrieve ── generate ── verify (one per batch of sentences checked)

Each endpoint gets its own ``TracerProvider`` (never the process-global one, which Chroma may use),
exporting in the background (``BatchSpanProcessor``); :func:`use_provider` hands one in instead
(tests use the SDK's ``InMemorySpanExporter``).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from opentelemetry import trace as otel_trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

if TYPE_CHECKING:
    from rag.timing import Stopwatch
    from rag.trace import Trace

_providers: dict[str, TracerProvider] = {}
_lock = threading.Lock()


def use_provider(endpoint: str, provider: TracerProvider) -> None:
    """Send the spans meant for ``endpoint`` through ``provider`` (its processors and exporters)."""
    with _lock:
        _providers[endpoint] = provider


def provider_for(endpoint: str) -> TracerProvider:
    """The provider exporting to ``endpoint`` over OTLP/gRPC, made on first use."""
    with _lock:
        if endpoint not in _providers:
            from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.trace.export import BatchSpanProcessor

            provider = TracerProvider(resource=Resource.create({"service.name": "newsbot"}))
            exporter = OTLPSpanExporter(endpoint=endpoint, insecure=endpoint.startswith("http://"))
            provider.add_span_processor(BatchSpanProcessor(exporter))
            _providers[endpoint] = provider
        return _providers[endpoint]


def export(trace: Trace, clock: Stopwatch, endpoint: str) -> None:
    """Send ``trace`` as one span tree, placed in time by ``clock`` (the answer's stopwatch)."""
    tracer = provider_for(endpoint).get_tracer("newsbot.rag")

    def ns(t: float) -> int:
        return clock.started_ns + int((t - clock.started) * 1e9)

    total = trace.timings.get("total", 0.0)
    root = tracer.start_span("newsbot.answer", start_time=clock.started_ns, attributes={
        "newsbot.trace_id": trace.id, "newsbot.mode": trace.mode, "newsbot.refused": trace.refused,
        "newsbot.gate": trace.gate_decision, "newsbot.retrieved": len(trace.chunks),
        "newsbot.best_similarity": trace.best if trace.best is not None else -1.0,
    })
    parent = otel_trace.set_span_in_context(root)

    def span(name: str, start: float, end: float, context=parent, **attributes) -> otel_trace.Span:
        s = tracer.start_span(name, context=context, start_time=ns(start), attributes=attributes)
        s.end(end_time=ns(end))
        return s

    steps = {name: (start, end) for name, start, end in clock.intervals if name in ("condense", "retrieve")}
    for name, (start, end) in steps.items():
        span(name, start, end)
    after = steps.get("retrieve", (clock.started, clock.started))[1]
    llm = [(start, end) for name, start, end in clock.intervals if name == "llm" and start >= after]
    if llm:
        generate = tracer.start_span("generate", context=parent, start_time=ns(llm[0][0]), attributes={
            "newsbot.llm_seconds": sum(e - s for s, e in llm), "newsbot.sentences_checked": trace.checked,
            "newsbot.sentences_kept": trace.kept})
        inside = otel_trace.set_span_in_context(generate)
        for start, end in trace.verifying:
            span("verify", start, end, context=inside)
        generate.end(end_time=ns(max([llm[-1][1]] + [e for _, e in trace.verifying])))
    root.end(end_time=clock.started_ns + int(total * 1e9))
