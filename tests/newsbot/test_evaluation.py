"""`newsbot eval`: the question set, each metric, the comparison, the report, the optional judge."""

from __future__ import annotations

import json

import pytest

from newsbot.evaluation.evaluate import evaluate
from newsbot.evaluation.questions import CATEGORIES, EvalQuestion, QuestionSetError, load_questions
from newsbot.evaluation.scoring import Result, aggregate, passed, percentile, score
from newsbot.settings import REPO_ROOT
from tests.helpers.fakes import scripted_llm

QUESTIONS = REPO_ROOT / "data" / "eval" / "questions.jsonl"


def test_the_question_set_is_complete():
    qs = load_questions(QUESTIONS)
    assert len(qs) >= 40
    assert {q.category for q in qs} == set(CATEGORIES)
    articles = {p.name for p in (REPO_ROOT / "data" / "articles").glob("*.txt")}
    for q in qs:
        assert set(q.expected_sources) <= articles, q.id
        assert q.answerable == bool(q.expected_facts), q.id
    assert sum(1 for q in qs if q.history) >= 3 and sum(1 for q in qs if not q.answerable) >= 8


@pytest.mark.parametrize("content, message", [
    ('{"id": "a", "category": "factoid"}\n', "line 1|:1:"),
    ('{"id": "a", "category": "factoid", "question": "Q?"}\n{"id": "a", "category": "factoid", "question": "Q?"}\n', "duplicate id"),
    ("not json\n", ":1:"),
    ("\n\n", "no questions"),
])
def test_bad_question_files_are_clear_errors(tmp_path, content, message):
    f = tmp_path / "q.jsonl"
    f.write_text(content)
    with pytest.raises(QuestionSetError, match=message):
        load_questions(f)


def make_result(**kw) -> Result:
    q = EvalQuestion(id="x", category="factoid", question="Who?", expected_facts=[["Antonov"], ["March 20"]],
                     expected_sources=["002.txt"])
    base = dict(question=q, answer="Antonov left.", refused=False, retrieved=["001.txt", "002.txt"], seconds=1.0,
                citations=[{"n": 1, "quote": "He left on March 20.", "article_id": "a", "path": "/x/002.txt", "title": "T"}])
    base.update(kw)
    return score(Result(**base), lambda aid: "He left on March 20. More text.")


def test_each_metric():
    r = make_result()
    s = r.scores
    assert (s["hit_at_k"], s["mrr"]) == (1.0, 0.5)
    assert (s["fact_recall_text"], s["fact_recall_with_quotes"]) == (0.5, 1.0)
    assert (s["citation_validity"], s["citation_precision"]) == (1.0, 1.0)
    assert (s["refusal_accuracy"], s["false_refusal_rate"]) == (None, 0.0)
    assert passed(r)
    bad = make_result(citations=[{"n": 1, "quote": "Invented words.", "article_id": "a", "path": "/x/003.txt", "title": "T"}])
    assert (bad.scores["citation_validity"], bad.scores["citation_precision"]) == (0.0, 0.0) and not passed(bad)


def test_refusal_metrics():
    q = EvalQuestion(id="u", category="unanswerable", question="Who won?", expected_facts=[], expected_sources=[])
    refused = score(Result(question=q, answer="no", refused=True, citations=[], retrieved=[], seconds=0.1), lambda a: "")
    assert refused.scores["refusal_accuracy"] == 1.0 and refused.scores["hit_at_k"] is None and passed(refused)
    wrong = make_result(refused=True)
    assert wrong.scores["false_refusal_rate"] == 1.0 and not passed(wrong)


def test_aggregate_and_percentiles():
    agg = aggregate([make_result(seconds=s) for s in (1.0, 2.0, 3.0, 10.0)])
    assert agg["n"] == 4 and agg["latency_p50_s"] == 2.5 and agg["per_category"]["factoid"]["n"] == 4
    assert percentile([1, 2, 3, 4, 5], 0.95) == 4.8


def test_compare_and_report(indexed, tmp_path):
    qs = [q for q in load_questions(QUESTIONS) if q.id in {"q13", "u01", "n01", "f02"}]
    llm = scripted_llm("A congressional proposal would expel 300 Russian diplomats from the United States [1].")
    out = evaluate(indexed, qs, ["full", "dense-only", "naive"], tmp_path / "report", llm=llm)
    assert out["n"] == 4 and set(out["compare"]) == {"full", "dense-only", "naive"}
    for key in ("hit", "mrr", "fact", "citation", "refus", "latency"):
        assert any(key in k for k in out), key
    assert out["refusal_accuracy"] == 1.0 and out["compare"]["naive"]["refusal_accuracy"] == 0.0
    html = (tmp_path / "report" / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 3 and "<h2>Questions: naive</h2>" in html
    md = (tmp_path / "report" / "report.md").read_text()
    assert "| q13 | number |" in md and "![scores.png](scores.png)" in md
    assert out["judge"].startswith("skipped")


def test_judge_with_an_ollama_model(indexed):
    from tests.helpers.ollama_standin import OllamaStandIn

    qs = [q for q in load_questions(QUESTIONS) if q.id == "q13"]
    llm = scripted_llm("A congressional proposal would expel 300 Russian diplomats from the United States [1].")
    with OllamaStandIn(model="judge:8b") as server:
        server.replies = ["1. SUPPORTED"]
        s = indexed.model_copy(update={"eval_judge_model": "judge:8b", "ollama_base_url": server.url})
        out = evaluate(s, qs, ["full"], judge=True, llm=llm)
    assert out["faithfulness"] == 1.0 and out["judge"] == "done"
    assert "SUPPORTED" in server.requests[-1]["messages"][0]["content"]


@pytest.mark.slow
def test_cli_eval_json_and_quality_gate(minilm_store):
    """The CI quality gate: a quick subset on the embedded model, thresholds just under the measured
    baseline (docs/evaluation.md), so a change that makes answers worse fails here."""
    import os
    import subprocess

    from tests.conftest import VENV_BIN

    ids = "q01,q04,q07,q09,q13,q15,q16,q21,f01,f02,u01,u03,n01,n04,n05"
    r = subprocess.run([str(VENV_BIN / "newsbot"), "eval", "--json", "--ids", ids],
                       env={**os.environ, "NEWSBOT_DATA_DIR": str(minilm_store.data_dir)}, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    # measured on 2026-11-22: every metric 1.0 (false refusals 0.0) on this subset; one slip is allowed
    assert out["n"] == 15
    assert out["hit_at_k"] >= 0.95
    assert out["fact_recall_with_quotes"] >= 0.9
    assert out["citation_validity"] == 1.0
    assert out["refusal_accuracy"] >= 0.95
    assert out["false_refusal_rate"] <= 0.05
    assert out["pass_rate"] >= 0.86
