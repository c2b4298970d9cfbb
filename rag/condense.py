"""Follow-up questions ("When did he leave?") become standalone questions before retrieval.

The LLM rewrites first (prompt in ``prompts/condense.txt``); its rewrite is accepted only if it
keeps the question's own words and names someone from the conversation. Otherwise a cheap rule
keeps the previous question's names: the tiny default model often rewrites badly, and a wrong
rewrite retrieves the wrong articles.
"""

from __future__ import annotations

import re

from rag.verify import PRONOUNS, content_terms, salient_terms

_LEADS = re.compile(r"^(and|but|so|also|what about|how about|and what about)\b", re.I)
_NAME = re.compile(r"\b(?:[A-Z][a-z’'A-Z-]+|[A-Z]{2,})(?:\s+(?:[A-Z][a-z’'-]+|[A-Z]{2,}))*")
_NOT_NAMES = {"The", "A", "An", "In", "On", "At", "As", "According", "It", "He", "She", "They", "This", "That",
              "What", "Who", "When", "Where", "Why", "How", "Which", "Did", "Does", "Do", "Is", "Are", "Was", "Were",
              "Will", "Would", "Can", "Could", "Should", "Has", "Have", "Had", "And", "But", "Or", "If", "Tell", "Give"}


def needs_context(question: str) -> bool:
    """A question that leans on earlier turns: a pronoun, a leading "and/what about", or a short
    question ("Where were the consultations held?") whose subject was named before."""
    words = [w.lower().strip("?,.!") for w in question.split()]
    return (bool(PRONOUNS & set(words)) or bool(_LEADS.match(question.strip()))
            or len(content_terms(question)) <= 1 or len(words) <= 6)


def names_in(text: str) -> list[str]:
    """Capitalised names in order of appearance ("Anatoly Antonov", "New START"), without question words."""
    out: list[str] = []
    for m in _NAME.finditer(text):
        words = m.group().split()
        while words and words[0] in _NOT_NAMES:
            words = words[1:]
        name = " ".join(words).removesuffix("’s").removesuffix("'s")
        if name and name not in out:
            out.append(name)
    return out


def keyword_rewrite(question: str, history: list[tuple[str, str]]) -> str:
    """The fallback: the question plus the names of the previous question (or, failing that, its answer)."""
    if not history:
        return question
    prev_q, prev_a = history[-1]
    first_sentence = re.split(r"(?<=[.!?])\s", re.sub(r"\[\d+\]", "", prev_a), maxsplit=1)[0]
    names = [n for n in names_in(first_sentence) + names_in(prev_q) if n.lower() not in question.lower()]
    names = [n for n in dict.fromkeys(names) if not any(n != m and n in m for m in names)][:4]
    return f"{question.rstrip()} ({', '.join(names)})" if names else question


def accept_rewrite(rewrite: str, question: str, history: list[tuple[str, str]]) -> bool:
    """Keep an LLM rewrite only if it is one plausible question that keeps the asker's words."""
    rewrite = rewrite.strip()
    if not rewrite or "\n" in rewrite or len(rewrite) > 3 * len(question) + 80:
        return False
    own = content_terms(question) - PRONOUNS
    if own and len(own & content_terms(rewrite)) / len(own) < 0.6:
        return False
    context = set().union(*(salient_terms(q) | salient_terms(a) for q, a in history)) if history else set()
    return not needs_context(question) or bool(salient_terms(rewrite) & context - salient_terms(question))


def clean_rewrite(text: str) -> str:
    text = text.strip().strip('"“”').strip()
    text = re.sub(r"^(rewritten question|question)\s*:\s*", "", text, flags=re.I)
    return text.splitlines()[0].strip() if text else ""
