"""`newsbot eval` in one function: run configurations, aggregate, optionally judge, write the report."""

from __future__ import annotations

from pathlib import Path

from newsbot.evaluation import judge as judge_mod
from newsbot.evaluation.questions import EvalQuestion
from newsbot.evaluation.report import write_report
from newsbot.evaluation.runner import build, run_config
from newsbot.evaluation.scoring import aggregate
from newsbot.settings import Settings


def evaluate(settings: Settings, questions: list[EvalQuestion], configs: list[str], report_dir: Path | None = None,
             judge: bool = False, progress: bool = False, llm=None) -> dict:
    """Ask ``questions`` with each configuration and return the summary ``newsbot eval --json`` prints.

    The top level holds the first configuration's metrics (``n``, ``hit_at_k``, ``mrr``, ``fact_recall_*``,
    ``citation_*``, ``refusal_accuracy``, ``false_refusal_rate``, ``latency_p50_s``/``p95``); with
    several configurations, ``compare`` holds each one's.
    """
    summaries, all_results, interrupted = {}, {}, False
    for name in configs:
        engine = build(name, settings, llm)
        search = engine.assistant.search if hasattr(engine, "assistant") else engine.search
        results, interrupted = run_config(engine, questions, search.article_text, progress, name)
        all_results[name] = results
        summaries[name] = aggregate(results)
        summaries[name]["config"] = name
        if interrupted:
            break
    notes = [f"{len(questions)} questions; configurations: {', '.join(summaries)}; LLM: {settings.llm} "
             f"({settings.llm_model_path or 'SmolLM2-135M-Instruct' if settings.llm == 'llamacpp' else settings.ollama_model}); "
             f"embeddings: {settings.embedding_model}; temperature {settings.llm_temperature}"]
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
    out = dict(summaries[first])
    out["judge"] = reason or "done"
    out["interrupted"] = interrupted
    if len(summaries) > 1:
        out["compare"] = summaries
    if report_dir is not None:
        paths = write_report(report_dir, summaries, all_results, notes)
        out["report"] = {k: str(v) for k, v in paths.items()}
    return out
