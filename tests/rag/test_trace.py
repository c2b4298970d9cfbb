"""Per-answer traces (rag/trace.py): the record the assistant writes when NEWSBOT_TRACE_FILE is set,
what it keeps of the user's words, and the OpenTelemetry spans it sends (rag/telemetry.py) to the
SDK's in-memory exporter. Real Chroma and retrieval; the scripted chat model stands in for the LLM."""

from __future__ import annotations

import hashlib
import json
import logging
import sys

import pytest

from rag import Assistant
from rag import trace as trace_mod
from rag.verify import check_sentence
from tests.helpers.fakes import scripted_llm
from tests.rag.test_verify import REUTERS

Q = "How many Russian diplomats did a US congressional proposal want to expel?"
GOOD = "A U.S. congressional proposal would expel 300 Russian diplomats from the United States [1]."
INVENTED = "The proposal was drafted by Senator Zebulon Quattlebaum [1]."


def records(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture
def traced(indexed, tmp_path):
    return indexed.model_copy(update={"trace_file": tmp_path / "traces" / "traces.jsonl"})


def test_tracing_is_off_by_default_and_keeps_no_questions():
    from core.settings import Settings

    s = Settings(_env_file=None)
    assert s.trace_file is None and s.trace_questions is False and s.metrics_port == 0 and s.otel_endpoint is None


def test_an_answer_without_a_trace_file_writes_nothing(indexed, tmp_path):
    before = {p for p in tmp_path.rglob("*")}
    a = Assistant(indexed, llm=scripted_llm(GOOD)).ask(Q)
    assert a.trace is not None and a.trace.mode == "generated"  # the Answer carries it all the same
    assert not [p for p in set(tmp_path.rglob("*")) - before if "trace" in p.name]


def test_a_generated_answer_leaves_one_record_with_its_decisions(traced):
    assistant = Assistant(traced, llm=scripted_llm(f"{GOOD} {INVENTED}"))
    a = assistant.ask(Q)
    [r] = records(traced.trace_file)
    assert r["id"] == a.trace.id and len(r["id"]) == 12
    assert (r["mode"], r["refused"], r["refusal"]) == ("generated", False, None)
    assert r["gate"] == {"decision": "pass", "reason": None}
    assert [x["chunk_id"] for x in r["retrieved"]] == [c.id for c in assistant.retrieve(Q)]
    assert r["retrieved"][0]["score"] >= r["retrieved"][-1]["score"] and r["best_similarity"] is not None
    assert r["citations"] == [{"n": 1, "chunk_id": a.citations[0].chunk_id, "article_id": a.citations[0].article_id}]
    v = r["verification"]
    assert (v["checked"], v["kept"]) == (2, 1) and v["seconds"] >= 0
    assert v["dropped"] == [{"sha256": hashlib.sha256(INVENTED.replace(" [1]", "").encode()).hexdigest()[:16], "chars": len(INVENTED) - 4,
                             "reason": "unsupported: source [1] does not state a name, number or date of it"}]
    assert set(r["timings"]) == set(a.timings) and r["timings"]["total"] > 0
    # privacy by default: neither the question nor the model's sentences are in the file
    text = traced.trace_file.read_text()
    assert Q not in text and "Quattlebaum" not in text and "Zebulon" not in text.lower()
    assert r["question"] == {"sha256": hashlib.sha256(Q.encode()).hexdigest()[:16], "chars": len(Q)}
    assert r["standalone"]["condensed"] is False and "text" not in r["standalone"]


def test_the_operator_may_keep_the_questions(traced):
    settings = traced.model_copy(update={"trace_questions": True})
    Assistant(settings, llm=scripted_llm(f"{GOOD} {INVENTED}")).ask(Q)
    [r] = records(settings.trace_file)
    assert r["question"] == {"text": Q} and r["standalone"] == {"text": Q, "condensed": False}
    [dropped] = r["verification"]["dropped"]
    assert dropped["text"] == INVENTED.replace(" [1]", "") and "zebulon" in dropped["detail"] and "quattlebaum" in dropped["detail"]


def test_a_follow_up_records_its_standalone_form(traced):
    settings = traced.model_copy(update={"trace_questions": True})
    history = [("Who was appointed Russia's new ambassador to the United States?",
                "Anatoly Antonov was appointed Russia's new ambassador to the United States [1].")]
    a = Assistant(settings, llm=scripted_llm("Antonov left Washington [1].")).ask("When did he leave?", history)
    [r] = records(settings.trace_file)
    assert r["standalone"]["condensed"] is True and r["standalone"]["text"] == a.standalone_question != "When did he leave?"


def test_the_gate_says_why_it_refused(traced):
    llm = scripted_llm()
    a = Assistant(traced, llm=llm).ask("What did Zebulon Quattlebaum say about the embassy?")
    [r] = records(traced.trace_file)
    assert a.refused and not llm.called
    assert r["gate"] == {"decision": "refuse", "reason": "a name in the question is in no retrieved passage"}
    assert (r["mode"], r["refused"], r["refusal"]) == ("refused", True, r["gate"]["reason"])
    assert r["verification"] is None and r["retrieved"]  # retrieval ran, the model did not

    strict = traced.model_copy(update={"refusal_min_similarity": 0.99})
    Assistant(strict, llm=llm).ask(Q)
    assert records(traced.trace_file)[-1]["gate"]["reason"].endswith("is under refusal_min_similarity 0.99")


def test_a_refusal_after_the_model_says_why(traced):
    question = "How many people live in Vladivostok?"
    Assistant(traced, llm=scripted_llm("The articles do not say.")).ask(question)
    best = records(traced.trace_file)[-1]["best_similarity"]
    # retrieval just sure enough to pass the gate, not enough to overrule a model that says the articles do not say
    unsure = traced.model_copy(update={"refusal_min_similarity": best - 0.05})
    a = Assistant(unsure, llm=scripted_llm("The articles do not say.")).ask(question)
    r = records(traced.trace_file)[-1]
    assert a.refused and r["gate"] == {"decision": "pass", "reason": None} and r["mode"] == "refused"
    assert r["refusal"] == "the model said the articles do not say, and retrieval was unsure"
    assert r["verification"]["dropped"] == [{"sha256": r["verification"]["dropped"][0]["sha256"], "chars": 24,
                                             "reason": "the model said the articles do not say"}]


def test_questions_that_are_never_searched(traced):
    assistant = Assistant(traced, llm=scripted_llm())
    assistant.ask("")
    assistant.ask("x" * 3000)
    empty, long = records(traced.trace_file)
    assert empty["gate"] == {"decision": "refuse", "reason": "not searched: no question"}
    assert long["gate"]["reason"] == "not searched: the question is too long (3000 characters)"
    assert long["standalone"] is None and long["retrieved"] == [] and long["question"]["chars"] == 3000
    assert empty["id"] != long["id"]


def test_verification_says_why_it_dropped_a_sentence():
    q = "How many Russian diplomats did a US congressional proposal want to expel?"
    cases = {
        "The articles do not say.": "the model said the articles do not say",
        "Yes indeed.": "says nothing (fewer than two content words)",
        "Heavy snow fell on the football derby in Manchester.": "off the question (shares none of its words)",
        "Russian diplomats enjoyed the football derby in Manchester.": "unsupported: no source supports any of it (and it cites none)",
        "Russian diplomats enjoyed the football derby in Manchester [1].": "unsupported: source [1] does not state a name, number or date of it",
        "A congressional proposal would expel 4000 Russian diplomats [1].": "unsupported: source [1] does not state a name, number or date of it",
    }
    for sentence, reason in cases.items():
        checked = check_sentence(sentence, [REUTERS], q)
        assert not checked.supported and checked.reason == reason, sentence
    cut = check_sentence("A congressional proposal would expel 300 Russian", [REUTERS], q, final=True)
    assert cut.reason == "cut off (the reply ended inside the sentence)"
    assert check_sentence("A congressional proposal would expel 4000 Russian diplomats [1].", [REUTERS], q).detail == "4000"
    assert check_sentence("A congressional proposal would expel 300 Russian diplomats [1].", [REUTERS], q).reason == ""


def test_an_unwritable_trace_file_costs_no_answer(indexed, tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(trace_mod, "_warned", set())
    settings = indexed.model_copy(update={"trace_file": tmp_path})  # a folder: cannot be appended to
    with caplog.at_level(logging.WARNING, logger="rag.trace"):
        a = Assistant(settings, llm=scripted_llm(GOOD, GOOD)).ask(Q)
        Assistant(settings, llm=scripted_llm(GOOD)).ask(Q)
    assert a.mode == "generated" and "300" in a.text
    assert [r.getMessage() for r in caplog.records].count(
        next(r.getMessage() for r in caplog.records if "cannot write the trace" in r.getMessage())) == 1


def test_find_record_by_id_prefix_and_last(traced):
    assistant = Assistant(traced, llm=scripted_llm(GOOD, GOOD))
    first, second = assistant.ask(Q), assistant.ask(Q)
    path = traced.trace_file
    with open(path, "a") as f:
        f.write('{"id": "cut-off-mid-wri')  # a crash mid-write: the line is skipped, not fatal
    assert trace_mod.find_record(path)["id"] == second.trace.id
    assert trace_mod.find_record(path, first.trace.id[:8])["id"] == first.trace.id
    with pytest.raises(trace_mod.TraceNotFoundError, match="No trace 'nope'"):
        trace_mod.find_record(path, "nope")
    with pytest.raises(trace_mod.TraceNotFoundError, match="No trace file at"):
        trace_mod.find_record(path.with_name("missing.jsonl"))


# --- OpenTelemetry ---------------------------------------------------------------------------------
@pytest.fixture
def spans(monkeypatch):
    """The spans sent to a configured endpoint, caught by the SDK's in-memory exporter."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from rag import telemetry

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(telemetry, "_providers", {})
    telemetry.use_provider("http://collector.test:4317", provider)
    yield exporter
    provider.shutdown()


def test_an_answer_is_one_span_tree(indexed, spans):
    settings = indexed.model_copy(update={"otel_endpoint": "http://collector.test:4317"})
    a = Assistant(settings, llm=scripted_llm(f"{GOOD} {INVENTED}")).ask(Q)
    got = {s.name: s for s in spans.get_finished_spans()}
    verify = [s for s in spans.get_finished_spans() if s.name == "verify"]
    assert set(got) == {"newsbot.answer", "condense", "retrieve", "generate", "verify"} and len(verify) >= 1
    root = got["newsbot.answer"]
    assert root.parent is None and root.attributes["newsbot.trace_id"] == a.trace.id
    assert root.attributes["newsbot.mode"] == "generated" and root.attributes["newsbot.gate"] == "pass"
    for name in ("condense", "retrieve", "generate"):
        assert got[name].parent.span_id == root.context.span_id and got[name].context.trace_id == root.context.trace_id
    assert all(v.parent.span_id == got["generate"].context.span_id for v in verify)
    assert got["generate"].attributes["newsbot.sentences_checked"] == 2
    # placed where they ran: in order, inside the answer, as long as the stopwatch measured
    assert root.start_time <= got["condense"].start_time <= got["retrieve"].start_time < got["retrieve"].end_time \
        <= got["generate"].start_time <= verify[0].start_time <= verify[-1].end_time <= got["generate"].end_time <= root.end_time
    assert abs((got["retrieve"].end_time - got["retrieve"].start_time) / 1e9 - a.timings["retrieve"]) < 1e-3
    assert abs((root.end_time - root.start_time) / 1e9 - a.timings["total"]) < 1e-3


def test_a_refusal_has_no_generate_span(indexed, spans):
    settings = indexed.model_copy(update={"otel_endpoint": "http://collector.test:4317"})
    Assistant(settings, llm=scripted_llm()).ask("What did Zebulon Quattlebaum say about the embassy?")
    names = sorted(s.name for s in spans.get_finished_spans())
    assert names == ["condense", "newsbot.answer", "retrieve"]
    root = next(s for s in spans.get_finished_spans() if s.name == "newsbot.answer")
    assert root.attributes["newsbot.gate"] == "refuse" and root.attributes["newsbot.refused"] is True


def test_without_an_endpoint_telemetry_is_never_imported(indexed, monkeypatch, caplog):
    monkeypatch.setattr(trace_mod, "_warned", set())
    import rag

    monkeypatch.setitem(sys.modules, "rag.telemetry", None)  # importing it now raises ImportError
    monkeypatch.delattr(rag, "telemetry", raising=False)
    with caplog.at_level(logging.WARNING, logger="rag.trace"):
        a = Assistant(indexed, llm=scripted_llm(GOOD)).ask(Q)
    assert a.mode == "generated" and not caplog.records
    # with an endpoint but no SDK: one warning that says what to install, and the answer all the same
    settings = indexed.model_copy(update={"otel_endpoint": "http://collector.test:4317"})
    with caplog.at_level(logging.WARNING, logger="rag.trace"):
        b = Assistant(settings, llm=scripted_llm(GOOD, GOOD)).ask(Q)
        Assistant(settings, llm=scripted_llm(GOOD)).ask(Q)
    assert b.mode == "generated"
    assert [r.getMessage() for r in caplog.records if "newsbot[otel]" in r.getMessage()] and len(caplog.records) == 1
