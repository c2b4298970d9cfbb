"""Prompt templates live in ``prompts/*.txt``; this module reads them and fills them in.

Why files: the wording is what changes most when a bigger model is plugged in, and a file can be
edited and diffed without touching code. Templates are read on first use, not at import.
"""

from __future__ import annotations

import functools
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

from rag.models import RetrievedChunk

NAMES = ("system", "answer", "source", "condense", "refusal")


class PromptError(RuntimeError):
    """A prompt file is missing or lacks a placeholder the code fills in."""


@functools.lru_cache(maxsize=8)
def load_prompts(folder: Path) -> dict[str, str]:
    prompts = {}
    for name in NAMES:
        path = folder / f"{name}.txt"
        try:
            prompts[name] = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise PromptError(
                f"Cannot read prompt file {path} ({exc.strerror}): set NEWSBOT_PROMPTS_DIR to a folder with "
                f"{', '.join(n + '.txt' for n in NAMES)} (like newsbot's own prompts/), or unset it."
            ) from exc
    return prompts


def answer_prompt(folder: Path) -> ChatPromptTemplate:
    """The chat prompt of the answering chain: system rules, then sources and question."""
    p = load_prompts(folder)
    for needed in ("{sources}", "{question}"):
        if needed not in p["answer"]:
            raise PromptError(f"{folder / 'answer.txt'} must contain {needed}")
    return ChatPromptTemplate.from_messages([("system", _literal(p["system"])), ("human", p["answer"])])


def condense_prompt(folder: Path) -> ChatPromptTemplate:
    return ChatPromptTemplate.from_messages([("human", load_prompts(folder)["condense"])])


def format_sources(chunks: list[RetrievedChunk], folder: Path) -> str:
    """The numbered sources block: each chunk with its title, outlet and date, quoted."""
    template = load_prompts(folder)["source"]
    return "\n\n".join(
        template.format(n=i, title=c.title, outlet=c.outlet or "unknown outlet", date=c.date if c.date and c.date_source != "estimate" else c.date_label, text=c.text)
        for i, c in enumerate(chunks, start=1)
    )


def refusal_text(folder: Path, question: str, articles: int, date_range: str) -> str:
    return load_prompts(folder)["refusal"].format(question=question, articles=articles, date_range=date_range)


def _literal(text: str) -> str:
    """Escape braces so a template file's prose is not read as placeholders."""
    return text.replace("{", "{{").replace("}", "}}")
