"""`newsbot eval`: the question set, each metric, the comparison, the report, the optional judge,
and the second (real-news) corpus on a tiny fixture written here (the real set never runs in CI)."""

from __future__ import annotations

import json

import pytest

from core.settings import REPO_ROOT
from newsbot.evaluation import realnews
from newsbot.evaluation.evaluate import evaluate
from newsbot.evaluation.questions import CATEGORIES, EvalQuestion, QuestionSetError, load_questions
from newsbot.evaluation.scoring import Result, aggregate, junk_kinds, junk_sentences, passed, percentile, score
from rag.answer_text import sentences, strip_quotes
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
        assert q.premise in (None, "false"), q.id
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
    assert (s["fact_recall_strict"], s["fact_recall_text"], s["fact_recall_with_quotes"]) == (0.5, 0.5, 1.0)
    assert (s["citation_validity"], s["citation_precision"]) == (1.0, 1.0)
    assert (s["refusal_accuracy"], s["false_refusal_rate"]) == (None, 0.0)
    assert not passed(r)  # "March 20" is only in the quote: the reader was not told
    good = make_result(answer="Antonov left Moscow on March 20 [1].")
    assert good.scores["fact_recall_strict"] == 1.0 and good.scores["junk_rate"] == 0.0 and passed(good)
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


def test_compare_and_report(indexed, tmp_path, llm):
    qs = [q for q in load_questions(QUESTIONS) if q.id in {"q13", "u01", "n01", "f02"}]
    llm.script("A congressional proposal would expel 300 Russian diplomats from the United States [1].")
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


def test_judge_with_an_ollama_model(indexed, llm, ollama):
    qs = [q for q in load_questions(QUESTIONS) if q.id == "q13"]
    llm.script("A congressional proposal would expel 300 Russian diplomats from the United States [1].")
    ollama.model, ollama.replies = "judge:8b", ["1. SUPPORTED"]
    s = indexed.model_copy(update={"eval_judge_model": "judge:8b", "ollama_base_url": ollama.url})
    out = evaluate(s, qs, ["full"], judge=True, llm=llm)
    assert out["faithfulness"] == 1.0 and out["judge"] == "done"
    assert "SUPPORTED" in ollama.requests[-1]["messages"][0]["content"]


@pytest.mark.slow
def test_cli_eval_json_and_quality_gate(minilm_store):
    """The CI quality gate: a quick subset on the embedded model, thresholds just under the measured
    baseline (docs/evaluation.md), so a change that makes answers worse fails here."""
    import os
    import subprocess

    from tests.conftest import VENV_BIN

    ids = ("q01,q04,q07,q09,q13,q15,q16,q21,f01,f02,u01,u03,n01,n04,n05,"  # the first gate
           "n101,n104,n115,n118,n132,n138,n145,n151")  # person, date, near miss, false premise, period, timeline
    r = subprocess.run([str(VENV_BIN / "newsbot"), "eval", "--json", "--ids", ids],
                       env={**os.environ, "NEWSBOT_DATA_DIR": str(minilm_store.data_dir)}, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    # measured on 2026-11-25 with the item-first answers (docs/evaluation.md); one slip is allowed on each.
    print({k: out[k] for k in ("fact_recall_strict", "pass_rate", "refusal_accuracy", "false_refusal_rate", "junk_rate")})
    assert out["n"] == 23
    assert out["hit_at_k"] >= 0.95
    assert out["fact_recall_with_quotes"] >= 0.8
    assert out["fact_recall_strict"] >= 0.6
    assert out["citation_validity"] == 1.0
    assert out["refusal_accuracy"] >= 0.74  # n145 (June 2023) is answered with a note: an estimated article may be from then
    assert out["false_refusal_rate"] <= 0.07
    assert out["junk_rate"] == 0.0
    assert out["pass_rate"] >= 0.65
    assert out["per_category"]["near_miss"]["refusal_accuracy"] == 1.0


# --- strict recall, fact cited, junk, false premises, refusal accuracy --------------------------------------------


def test_strict_recall_counts_only_facts_outside_quotes():
    extractive = make_result(answer="TASS, 20 March 2021: “Antonov left Moscow on March 20.” [1].")
    s = extractive.scores
    assert s["fact_recall_text"] == 1.0 and s["fact_recall_strict"] == 0.0 and not passed(extractive)
    long_straight = make_result(answer='TASS wrote: "Antonov left Moscow for talks in Washington on March 20." [1]')
    assert long_straight.scores["fact_recall_strict"] == 0.0
    short_straight = make_result(answer='Antonov, who signed "New START", left on March 20 [1].')
    assert short_straight.scores["fact_recall_strict"] == 1.0  # a short straight-quoted name is not a passage
    assert strip_quotes("Antonov said “we leave on March 20") == "Antonov said  "  # a cut-off quote is still a quote


def test_fact_cited_needs_the_fact_in_a_cited_article():
    q = EvalQuestion(id="r", category="quiz", question="Which country?", expected_facts=[["China"]], expected_sources=["1.txt"])
    cite = [{"n": 1, "quote": "The aide was charged.", "article_id": "a1", "path": "/x/1.txt", "title": "T"}]
    articles = {"a1": "The aide was charged. Prosecutors said she acted for China.", "a2": "Nothing relevant here."}

    def run(answer, citations):
        r = Result(question=q, answer=answer, refused=False, citations=citations, retrieved=["1.txt"], seconds=0.1)
        return score(r, articles.get).scores["fact_cited"]

    assert run("The aide acted as an agent of China [1].", cite) == 1.0
    assert run("The aide acted as an agent of China [1].", [{**cite[0], "article_id": "a2"}]) == 0.0  # cites the wrong article
    assert run("The aide was charged: “she acted for China” [1].", cite) == 0.0  # stated only inside a quote
    assert run("The aide acted as an agent of China.", []) == 0.0  # no citation at all


def test_sentences_respect_quotes_and_abbreviations():
    text = "The U.S. envoy left Moscow (as of 30 March 2021) [1]. TASS: “He left. He came back.” [2]. Who?\nNext line here"
    assert sentences(text) == ["The U.S. envoy left Moscow (as of 30 March 2021) [1].", "TASS: “He left. He came back.” [2].",
                               "Who?", "Next line here"]


def test_junk_sentences_by_kind():
    q = "Which Russian cities host US diplomatic missions?"
    good = "The missions are in Vladivostok and Yekaterinburg [1]."
    cases = {
        "label": "The answer: the missions are in Vladivostok and Yekaterinburg [1].",
        "short": "Vladivostok, mostly (as of 30 March 2021) [1].",
        "question": "Do you want to know more about the US missions in Russia?",
        "list": "Russian, cities, diplomatic missions.",
        "echo": "US diplomatic missions are hosted in Russian cities [1].",
    }
    for kind, sentence in cases.items():
        assert junk_kinds(f"{good} {sentence}", q) == [(kind, sentence)], kind
    assert junk_sentences(good, q) == []
    assert junk_sentences("Sources: TASS, 30 March 2021 [1].", q) == ["Sources: TASS, 30 March 2021 [1]."]
    assert junk_sentences("Russia did not close US diplomatic missions in its cities [1].", q) == []  # negation is a fact
    refusal = 'The articles I have do not say. I searched 5 articles (2021–2025) for: "Which Russian cities host US missions?".'
    assert junk_sentences(refusal, q) == []


def test_junk_rate_per_answer_and_kind():
    r = make_result(answer="Antonov left on March 20 [1]. The answer: Antonov. Who else?")
    assert r.scores["junk_rate"] == 1.0 and (r.scores["junk_label"], r.scores["junk_question"], r.scores["junk_echo"]) == (1.0, 1.0, 0.0)
    refused = make_result(answer="The articles I have do not say.", refused=True, citations=[])
    assert refused.scores["junk_rate"] is None and refused.scores["junk_label"] is None  # refusals are not answers
    agg = aggregate([r, make_result(answer="Antonov left Moscow on March 20 [1]."), refused])
    assert agg["junk_rate"] == 0.5 and agg["junk_label"] == 0.5 and agg["per_category"]["factoid"]["junk_rate"] == 0.5


def false_premise(answer: str, refused: bool = False) -> Result:
    q = EvalQuestion(id="p", category="false_premise", question="Why did Antonov leave Moscow in 2019?",
                     expected_facts=[["March 20"]], expected_sources=["002.txt"], premise="false")
    cite = [{"n": 1, "quote": "He left on March 20.", "article_id": "a", "path": "/x/002.txt", "title": "T"}]
    return score(Result(question=q, answer=answer, refused=refused, citations=[] if refused else cite, retrieved=["002.txt"],
                        seconds=0.1), lambda aid: "He left on March 20. More text.")


@pytest.mark.parametrize("answer, refused, correct", [
    ("The articles do not say he left in 2019: he left on March 20, 2021 [1].", False, True),
    ("No, he did not leave in 2019; he left on March 20, 2021 [1].", False, True),
    ("The articles I have do not say. I searched 5 articles for it.", True, False),  # a flat refusal
    ("The articles do not support that premise [1].", False, False),  # no true fact
    ("Antonov left Moscow on March 20 [1].", False, False),  # takes the premise as true
    ("He left on March 20: “the reports do not say why” [1].", False, False),  # the denial is only in a quote
])
def test_false_premise_scoring(answer, refused, correct):
    r = false_premise(answer, refused)
    assert r.scores["refusal_accuracy"] == float(correct) and passed(r) == correct
    assert r.scores["false_refusal_rate"] is None  # scored as a refusal-type question, not twice


def test_refusal_accuracy_covers_every_kind_of_question_to_decline():
    def q(cat, **kw):
        return EvalQuestion(id=cat, category=cat, question="What happened in Paris in 2023?", **kw)

    rows = [
        Result(question=q("unanswerable"), answer="no", refused=True, citations=[], retrieved=[], seconds=0.1),
        Result(question=q("near_miss"), answer="Paris is nice and lovely in spring.", refused=False, citations=[], retrieved=[], seconds=0.1),
        Result(question=q("period"), answer="no", refused=True, citations=[], retrieved=[], seconds=0.1),
    ]
    results = [score(r, lambda a: "") for r in rows] + [false_premise("No, he left on March 20, 2021 [1].")]
    agg = aggregate(results)
    assert agg["refusal_accuracy"] == 0.75 and agg["false_refusal_rate"] is None
    cats = agg["per_category"]
    assert (cats["near_miss"]["refusal_accuracy"], cats["period"]["refusal_accuracy"], cats["false_premise"]["refusal_accuracy"]) == (0.0, 1.0, 1.0)


def test_premise_field_is_read(tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text(json.dumps({"id": "p1", "category": "false_premise", "question": "Why?", "premise": "false",
                             "expected_facts": [["x"]], "expected_sources": ["a.txt"]}) + "\n"
                 + json.dumps({"id": "f1", "category": "factoid", "question": "Who?"}) + "\n")
    p1, f1 = load_questions(f)
    assert p1.premise == "false" and p1.false_premise and f1.premise is None and not f1.false_premise


# --- the real-news corpus, on a realnews-shaped fixture -----------------------------------------------------------

FIXTURE = {
    "0000.txt": ("Former aide to New York governor charged as agent of China", "https://example.com/a",
                 "Sept. 3, 2024. Linda Sun, a former aide to the governor of New York, was charged with acting as an "
                 "unregistered agent of China. Prosecutors said she received payments from Chinese officials."),
    "0001.txt": ("Ford scales back diversity programs after online pressure", "https://example.com/b",
                 "Ford said it would scale back its diversity schemes, joining other companies. The carmaker will no "
                 "longer take part in an annual equality survey."),
    "0002.txt": ("Ford's new electric pickup goes on sale", "https://example.com/c",
                 "The electric pickup from Ford goes on sale in November. Prices start at fifty thousand dollars."),
    "0003.txt": ("Russian missiles hit military academy in Poltava", "https://example.com/d",
                 "Two Russian ballistic missiles struck a military academy and a hospital in Poltava, killing dozens."),
    "0004.txt": ("Weather: a quiet week ahead", "https://example.com/e", "Sunny skies are expected across the region all week."),
    "0005.txt": ("Recipes: autumn soups", "https://example.com/f", "Pumpkin soup is easy to make at home with cream."),
}
YAML = """- id: '20240906_1'
  q: A former aide to the governor of New York has been charged with being an unregistered agent of which country?
  source:
  - 'former aide to NEW YORK governor '
  facts:
  - - China
- id: '20240906_2'
  q: Which US car manufacturer announced plans to scale back its diversity schemes?
  source:
  - Ford
  facts:
  - - Ford
- id: '20240906_3'
  q: Two Russian missiles struck a military academy and hospital in which Ukrainian city?
  source:
  - 'Russian missiles hit military academy in Poltava'
  facts:
  - - Poltava
- id: '20240906_9'
  q: Which team won the World Series?
  source:
  - An article that is not in this folder
  facts:
  - - Dodgers
"""


def write_realnews(root):
    folder = root / "realnews" / "articles"
    folder.mkdir(parents=True)
    for name, (title, url, text) in FIXTURE.items():
        (folder / name).write_text(f"{title}\n\n{url}\n\n{text}\n", encoding="utf-8")
    (root / "realnews" / "questions.yaml").write_text(YAML, encoding="utf-8")
    return root / "realnews" / "questions.yaml", folder


def test_yaml_questions_map_title_prefixes_to_files(tmp_path):
    qfile, folder = write_realnews(tmp_path)
    qs, notes = realnews.load_yaml_questions(qfile, folder)
    by_id = {q.id: q for q in qs}
    assert by_id["20240906_1"].expected_sources == ["0000.txt"]  # case, spacing and a trailing blank ignored
    assert by_id["20240906_2"].expected_sources == ["0001.txt", "0002.txt"]  # a prefix can match several titles
    assert by_id["20240906_3"].expected_facts == [["Poltava"]] and by_id["20240906_3"].answerable
    assert "20240906_9" not in by_id and "1 of 4 questions left out" in notes[0]
    (tmp_path / "bad.yaml").write_text("- id: x\n  q: Why?\n  source: [Ford]\n")
    with pytest.raises(QuestionSetError, match="no facts"):
        realnews.load_yaml_questions(tmp_path / "bad.yaml", folder)
    assert realnews.corpus_name(folder) == "realnews"


def test_realnews_cli_indexes_once_and_compares_full_and_naive(tmp_path, monkeypatch):
    """`newsbot eval --articles … --questions ….yaml`: its own store beside the data dir, indexed once,
    full and naive side by side; a scripted LLM stands in for the model."""
    from typer.testing import CliRunner

    from newsbot import cli
    from newsbot.evaluation import evaluate as evaluate_mod

    qfile, folder = write_realnews(tmp_path)
    monkeypatch.chdir(tmp_path)
    for name, value in {"DATA_DIR": tmp_path / "store", "EMBEDDING_MODEL": "hash-256", "CONDENSE_WITH_LLM": "false",
                        "REFUSAL_MIN_SIMILARITY": "0"}.items():
        monkeypatch.setenv(f"NEWSBOT_{name}", str(value))
    real_build = evaluate_mod.build
    monkeypatch.setattr(evaluate_mod, "build", lambda name, s, llm=None: real_build(
        name, s, scripted_llm("Linda Sun was charged with acting as an unregistered agent of China [1].")))
    args = ["eval", "--json", "--articles", str(folder), "--questions", str(qfile), "--report", str(tmp_path / "report")]
    first = CliRunner().invoke(cli.app, args)
    assert first.exit_code == 0, first.output
    out = json.loads(first.stdout)
    assert out["corpus"] == "realnews" and set(out["compare"]) == {"full", "naive"} and out["n"] == 3
    for key in ("hit_at_k", "mrr", "fact_recall_strict", "fact_cited", "false_refusal_rate", "junk_rate",
                "citation_validity", "latency_p50_s"):
        assert key in out["compare"]["naive"], key
    assert out["refusal_accuracy"] is None  # quiz questions are all answerable
    assert (tmp_path / "store-realnews").is_dir() and not (tmp_path / "store").exists()
    md = (tmp_path / "report" / "report.md").read_text()
    assert "6 articles" in md and "6 added" in md and "| 20240906_1 | quiz |" in md
    again = CliRunner().invoke(cli.app, [*args[:-1], str(tmp_path / "report2")])
    assert again.exit_code == 0, again.output
    assert "(this run: 0 added, 0 updated, 6 unchanged" in (tmp_path / "report2" / "report.md").read_text()  # indexed once
    assert out["compare"]["full"]["fact_recall_strict"] > 0 and out["compare"]["full"]["fact_cited"] > 0


def test_second_corpus_is_its_own_report_section(indexed, tmp_path, llm):
    qfile, folder = write_realnews(tmp_path)
    llm.script("A congressional proposal would expel 300 Russian diplomats from the United States [1].")
    corpus = realnews.prepare(indexed, qfile, folder, tmp_path / "rn-store", ["full"])
    sample = [q for q in load_questions(QUESTIONS) if q.id in {"q13", "u01"}]
    out = evaluate(indexed, sample, ["full"], tmp_path / "report", llm=llm, more=[corpus])
    assert set(out["corpora"]) == {"sample", "realnews"} and out["corpora"]["realnews"]["full"]["n"] == 3
    md = (tmp_path / "report" / "report.md").read_text()
    assert "## Corpus: realnews" in md and "### Refusal accuracy" not in md.split("## Corpus: realnews")[1]
    assert "## Refusal accuracy" in md and "## Junk" in md and "fact_recall_strict (headline)" in md
    html = (tmp_path / "report" / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 6 and "<h2>Corpus: realnews</h2>" in html


def test_nested_quotes_stay_one_passage():
    text = ("CNN, 9 March 2022: “Zakharova claimed that Ukrainian forces had “equipped combat positions” within the "
            "hospital in Poltava.” [1]. TASS: “He said: “we will leave.” [2]. So Poltava it was, the articles say [2].")
    assert strip_quotes(text) == "CNN, 9 March 2022:   [1]. TASS:   [2]. So Poltava it was, the articles say [2]."
    assert len(sentences(text)) == 3 and junk_sentences(text, "Which city?") == []
