"""`newsbot eval` in one function: run configurations on one or more corpora, aggregate, optionally
judge, write the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.settings import Settings
from newsbot.evaluation import judge as judge_mod
from newsbot.evaluation.questions import EvalQuestion
from newsbot.evaluation.report import Section, write_report
from newsbot.evaluation.runner import build, run_config
from newsbot.evaluation.scoring import aggregate


@dataclass
class Corpus:
    """A further corpus to evaluate in the same run (its own store, questions and configurations)."""

    name: str
    settings: Settings
    questions: list[EvalQuestion]
    configs: list[str]
    notes: list[str] = field(default_factory=list)


def _run(settings: Settings, questions: list[EvalQuestion], configs: list[str], progress: bool, llm, label: str = ""):
    summaries, all_results, interrupted = {}, {}, False
    for name in configs:
        engine = build(name, settings, llm)
        search = engine.assistant.search if hasattr(engine, "assistant") else engine.search
        results, interrupted = run_config(engine, questions, search.article_text, progress, f"{label} {name}".strip())
        all_results[name] = results
        summaries[name] = aggregate(results)
        summaries[name]["config"] = name
        if interrupted:
            break
    return summaries, all_results, interrupted


def _describe(settings: Settings, questions: list[EvalQuestion], configs) -> str:
    model = (settings.llm_model_path or "SmolLM2-135M-Instruct") if settings.llm == "llamacpp" else settings.ollama_model
    return (f"{len(questions)} questions; configurations: {', '.join(configs)}; LLM: {settings.llm} ({model}); "
            f"embeddings: {settings.embedding_model}; temperature {settings.llm_temperature}")


def evaluate(settings: Settings, questions: list[EvalQuestion], configs: list[str], report_dir: Path | None = None,
             judge: bool = False, progress: bool = False, llm=None, corpus: str = "sample",
             more: list[Corpus] = (), notes: list[str] = ()) -> dict:
    """Ask ``questions`` with each configuration and return the summary ``newsbot eval --json`` prints.

    The top level holds the first configuration's metrics (``n``, ``hit_at_k``, ``mrr``, ``fact_recall_strict``
    (the headline), ``fact_cited``, ``fact_recall_*``, ``citation_*``, ``refusal_accuracy``, ``false_refusal_rate``,
    ``junk_*``, ``pass_rate``, ``latency_p50_s``/``p95``, ``per_category``); with several configurations,
    ``compare`` holds each one's. Each corpus in ``more`` is run after the first, and ``corpora`` maps
    every corpus name to its configurations' metrics.
    """
    summaries, all_results, interrupted = _run(settings, questions, configs, progress, llm, corpus if more else "")
    notes = [_describe(settings, questions, summaries), *notes]
    if interrupted:
        notes.append(f"interrupted: partial results ({sum(len(r) for r in all_results.values())} answers)")
    first = next(iter(summaries))
    reason = judge_mod.skip_reason(settings) if judge else "skipped: not requested (use --judge)"
    if judge and reason is None:
        scores = judge_mod.faithfulness(all_results[first], settings)
        summaries[first]["faithfulness"] = round(sum(scores.values()) / len(scores), 4) if scores else None
        notes.append(f"faithfulness judged by {settings.eval_judge_model} on {len(scores)} answers")
    else:
        summaries[first]["faithfulness"] = None
        notes.append(f"LLM-as-judge faithfulness {reason}")
    sections = [Section(corpus, summaries, all_results, notes)]
    for c in more:
        if interrupted:
            break
        s, r, interrupted = _run(c.settings, c.questions, c.configs, progress, llm, c.name)
        extra = [_describe(c.settings, c.questions, s), *c.notes]
        if interrupted:
            extra.append(f"interrupted: partial results ({sum(len(x) for x in r.values())} answers)")
        sections.append(Section(c.name, s, r, extra))
    out = dict(summaries[first])
    out["corpus"] = corpus
    out["judge"] = reason or "done"
    out["interrupted"] = interrupted
    if len(summaries) > 1:
        out["compare"] = summaries
    if more:
        out["corpora"] = {sec.name: sec.summaries for sec in sections}
    if report_dir is not None:
        paths = write_report(report_dir, sections)
        out["report"] = {k: str(v) for k, v in paths.items()}
    return out
