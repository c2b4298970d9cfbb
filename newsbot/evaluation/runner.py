"""Run the question set through one or more configurations and score every answer.

The full pipeline is exactly ``rag.Assistant`` (the code path the bot and the REPL use); the other
configurations change one setting (dense-only) or replace the pipeline with the naive baseline.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable

from core.settings import Settings
from newsbot.evaluation.naive import NaiveRAG
from newsbot.evaluation.questions import EvalQuestion
from newsbot.evaluation.scoring import Result, score

log = logging.getLogger(__name__)
CONFIGS = ("full", "dense-only", "naive")


def build(name: str, settings: Settings, llm=None):
    """The answering object for configuration ``name`` (anything with ``ask`` and ``retrieve``)."""
    from rag import Assistant

    match name:
        case "full":
            return Assistant(settings, llm=llm)
        case "dense-only":
            return Assistant(settings.model_copy(update={"retrieval_hybrid": False}), llm=llm)
        case "naive":
            return NaiveRAG(Assistant(settings, llm=llm))
    raise ValueError(f"unknown configuration {name!r}; choose from {', '.join(CONFIGS)}")


def run_config(engine, questions: list[EvalQuestion], article_text: Callable[[str], str], progress: bool = False,
               label: str = "") -> tuple[list[Result], bool]:
    """Ask every question; return the scored results and whether the run was interrupted (Ctrl+C)."""
    from tqdm import tqdm

    from rag import LLMUnavailableError

    texts: dict[str, str] = {}

    def cached_text(article_id: str) -> str:  # citation checks read the same articles again and again
        if article_id not in texts:
            texts[article_id] = article_text(article_id)
        return texts[article_id]

    results: list[Result] = []
    bar = tqdm(questions, desc=f"eval {label}".strip(), unit="q", file=sys.stderr, disable=not progress or None, leave=False)
    try:
        for q in bar:
            t = time.perf_counter()
            try:
                answer = engine.ask(q.question, q.history or None)
                error = None
            except LLMUnavailableError as exc:
                answer, error = None, str(exc)
            seconds = time.perf_counter() - t
            standalone = answer.standalone_question if answer and answer.standalone_question else q.question
            retrieved = [os.path.basename(c.path) for c in engine.retrieve(standalone, 5)]
            results.append(score(Result(
                question=q, answer=answer.text if answer else "", refused=answer.refused if answer else False,
                citations=[{**c.to_dict(), "path": c.path} for c in answer.citations] if answer else [],
                retrieved=retrieved, seconds=seconds, mode=answer.mode if answer else "error", error=error,
            ), cached_text))
    except KeyboardInterrupt:
        bar.close()
        log.warning("interrupted after %d of %d questions", len(results), len(questions))
        return results, True
    bar.close()
    return results, False
