"""Optional LLM-as-judge faithfulness (RAGAS's definition: the share of an answer's statements that the
retrieved context supports), with a stronger model served by Ollama.

Skipped, with the reason in the report, when no judge model is configured: the 135M default model
cannot judge its own answers.
"""

from __future__ import annotations

import re

from langchain_core.prompts import ChatPromptTemplate

from core.settings import Settings
from newsbot.evaluation.scoring import Result

JUDGE_PROMPT = ChatPromptTemplate.from_messages([
    ("system", "You check answers against sources. For each numbered statement, reply with its number and "
               "SUPPORTED if the sources state it, or UNSUPPORTED if they do not. One line per statement."),
    ("human", "Sources:\n{sources}\n\nStatements:\n{statements}"),
])


def skip_reason(settings: Settings) -> str | None:
    if not settings.eval_judge_model:
        return ("skipped: no judge model configured (set NEWSBOT_EVAL_JUDGE_MODEL to a model served by Ollama at "
                "NEWSBOT_OLLAMA_BASE_URL; the 135M default model cannot judge its own answers)")
    return None


def faithfulness(results: list[Result], settings: Settings) -> dict[str, float]:
    """Faithfulness per question id, for answered (not refused) questions with citations."""
    from langchain_ollama import ChatOllama

    judge = ChatOllama(model=settings.eval_judge_model, base_url=settings.ollama_base_url, temperature=0, seed=0,
                       num_ctx=8192, client_kwargs={"timeout": settings.ollama_timeout})
    out: dict[str, float] = {}
    for r in results:
        if r.refused or not r.answer or not r.citations:
            continue
        statements = [s for s in re.split(r"(?<=[.!?])\s+", re.sub(r"\[\d+\]", "", r.answer)) if len(s.split()) >= 3]
        if not statements:
            continue
        sources = "\n".join(f"- {c['quote']}" for c in r.citations)
        numbered = "\n".join(f"{i}. {s}" for i, s in enumerate(statements, start=1))
        reply = str(judge.invoke(JUDGE_PROMPT.format_messages(sources=sources, statements=numbered)).content)
        supported = len(re.findall(r"(?<!UN)SUPPORTED", reply.upper()))
        out[r.question.id] = min(1.0, supported / len(statements))
    return out
