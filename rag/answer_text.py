"""Reading an answer the way a person does: which words are the bot's own, where sentences end, which
words carry content, and which sentences are junk. Pure functions: answering filters junk with them
before a person sees it, and the eval (:mod:`newsbot.evaluation.scoring`) measures with the same ones.

Why this matters: answers quote articles inline (“…”). A fact that appears only inside a quote was
found by retrieval, not stated by the answer, so strict metrics look at the text outside quotes.
"""

from __future__ import annotations

import re

from core.language import is_abbreviation, stem, tokens, words

_CLOSES_CITATION = re.compile(r"\s*\[\d+\]")
STRAIGHT = re.compile(r'"[^"]*"')
STRAIGHT_MIN_WORDS = 8
"""Straight quotes also mark short phrases ("New START"); only passages this long count as quotes."""

MARKERS = re.compile(r"\s*\[\d+\]")
TRAILING_DATE = re.compile(r"\s*\((?:as of [^()]*|article undated)\)\s*$", re.I)
_BOUNDARY = re.compile(r"(?<=[.!?…])[”\"')\]]*\s+|\n+")

def curly_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost “…” passage.

    Quotes nest (an article sentence quoting someone), so “ and ” are counted; a ” right before a
    citation marker [n] closes the passage whatever the count (the quoted sentence may hold an
    unbalanced “), a ” that would close it early while a ” before a marker follows with no “ between is
    the quoted sentence's own (an unbalanced ”), and an unclosed “ runs to the end (a cut-off quote is
    still a quote).
    """
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "“":
            start = i if depth == 0 else start
            depth += 1
        elif ch == "”" and depth:
            if _CLOSES_CITATION.match(text, i + 1):
                depth = 0
            elif depth == 1 and _inner_close(text, i + 1):
                continue  # an unbalanced ” inside the passage (‘a "live” clam’): the passage ends before [n]
            else:
                depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    if depth:
        spans.append((start, len(text)))
    return spans


def _inner_close(text: str, at: int) -> bool:
    """Whether a ” closing at ``at`` a passage's last open “ is inside it all the same: a ” right before a
    citation marker follows before any “ opens again, so the passage runs on to that one."""
    m = _CLOSES_BEFORE_MARKER.search(text, at)
    opens = text.find("“", at)
    return bool(m) and (opens < 0 or m.start() < opens)


_CLOSES_BEFORE_MARKER = re.compile(r"”\s*\[\d+\]")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Every curly-quoted passage, and straight-quoted ones of 8+ words outside them."""
    spans = curly_spans(text)
    spans += [m.span() for m in STRAIGHT.finditer(text) if len(m.group().split()) >= STRAIGHT_MIN_WORDS
              and not any(a <= m.start() < b for a, b in spans)]
    return sorted(spans)


def own_words(text: str) -> str:
    """The bot's own sentence with the article's inner quotation marks as single ones: "a ‘murderer’".

    Why: in an answer, “…” marks a verbatim passage of an article, and a reader (and the strict
    eval) takes what stands inside as the article's words, not the answer's. A lead lifted from an
    article that keeps its “murderer” would read as half quote."""
    return text.replace("“", "‘").replace("”", "’")


def strip_quotes(text: str) -> str:
    """``text`` with quoted passages removed (see :func:`quoted_spans`), each replaced by a space."""
    out, pos = [], 0
    for a, b in quoted_spans(text):
        if a >= pos:
            out += [text[pos:a], " "]
            pos = b
    return "".join(out) + text[pos:]


def sentences(text: str) -> list[str]:
    """Split into sentences at . ! ? and line breaks, never inside a quoted passage."""
    spans = quoted_spans(text)
    out, start = [], 0
    for m in _BOUNDARY.finditer(text):
        if any(a < m.start() < b for a, b in spans):
            continue
        if "\n" not in m.group() and (_after_abbreviation(text[:m.start()]) or text[m.end():m.end() + 1].islower()):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _after_abbreviation(text: str) -> bool:
    """``text`` ends with an abbreviation's dot ("U.S.", "Sept."): a word ends, not a sentence."""
    last = text.rsplit(None, 1)[-1] if text.strip() else ""
    return last.endswith(".") and is_abbreviation(last[:-1])


def bare(sentence: str) -> str:
    """The sentence without [n] markers, its final punctuation and a trailing "(as of …)"/"(article undated)"."""
    s = MARKERS.sub("", sentence).strip()
    s = s.rstrip(" .!…")
    return TRAILING_DATE.sub("", s).strip()


def content_words(text: str) -> set[str]:
    """Stems of the words that are not stopwords (:func:`core.language.tokens`)."""
    return set(tokens(text))


REFUSAL = re.compile(r"^(?:The articles I have do not say|I searched \d+ articles)\b", re.I)
"""Sentences of the refusal template (prompts/refusal.txt): never junk."""
LABEL = re.compile(r"^(?:the )?(?:answer|sources?)\s*:", re.I)
JUNK_KINDS = ("label", "short", "question", "list", "echo")
"""Junk, in the order a sentence is classified: template label, under five words, a question,
a bare list of the question's words, an echo of the question."""


def _is_list_of_question_words(s: str, question_words: set[str]) -> bool:
    items = [i for i in re.split(r",|\band\b|\bor\b", s) if i.strip()]
    if "," not in s or len(items) < 2:
        return False
    return all(words(i) and {stem(w) for w in words(i)} <= question_words for i in items)


def junk_kinds(answer_text: str, question: str) -> list[tuple[str, str]]:
    """Each junk sentence of an answer with its kind (:data:`JUNK_KINDS`); refusal sentences are never junk.

    Why: a small model pads answers with template labels, fragments, questions and restatements of
    the question; each adds nothing a reader can use, and fact recall does not see them.
    """
    question_words = {stem(w) for w in words(question)}
    out = []
    for sentence in sentences(answer_text):
        if REFUSAL.match(sentence):
            continue
        core = bare(sentence)
        content = content_words(core)
        if LABEL.match(sentence):
            kind = "label"
        elif core.endswith("?"):
            kind = "question"
        elif _is_list_of_question_words(core, question_words):
            kind = "list"
        elif content and content <= question_words:
            kind = "echo"
        elif sum(1 for t in core.split() if re.search(r"\w", t)) < 5:
            kind = "short"
        elif not content:
            kind = "echo"  # only function words: nothing stated
        else:
            continue
        out.append((kind, sentence))
    return out
