"""A quoted sentence that speaks as "we", stated as what its speaker said.

Why: news carries many of its facts in quotations ("Our bilateral relations are a rather low level and our
embassies are considerably reduced from their normal size," Rood said). Stated without its marks such a
sentence would read as the outlet's words or the bot's, so until now it was only quoted, and the fact sat
in a quote that a reader has to dig out. Reported speech states it in the answer's own words without
changing who says it: "Rood said their bilateral relations are a rather low level and their embassies are
considerably reduced from their normal size."

How, and where it holds back:
- only a sentence that opens a quotation (its first character is the mark) and does not close it, or
  closes it at its end: all of it is the speaker's;
- the speaker is the name right after the mark that closes that quotation in the passage ('…," Rood
  said', '…," said Ryabkov'), within :data:`MAX_QUOTE_CHARS`: never a pronoun ("he said" names no one
  here), never a guess from an earlier sentence;
- only the plural first person is turned (we → they, our → their, us → them): "I", "my", "you" would need
  the speaker's gender or the listener, so such a sentence stays a quote.
"""

from __future__ import annotations

import re

from core.language import is_name, reporting_forms
from rag.span import FIRST_PERSON

MAX_QUOTE_CHARS = 800
"""How far after the sentence the quotation may close (a quotation of a few sentences)."""

_THIRD = {"we": "they", "our": "their", "ours": "theirs", "us": "them", "ourselves": "themselves"}
_PLURAL_FIRST = re.compile(r"\b(?:[Ww]e|[Oo]urs?|us|[Oo]urselves)\b")
_OTHER_PERSON = re.compile(r"\b(?:I|[Mm]y|[Mm]e|[Mm]ine|[Mm]yself|[Yy]ou|[Yy]our|[Yy]ours|[Yy]ourselves?|Us)\b")
_OPENS = ("“", '"')
_CLOSE = re.compile(r"[”\"]")
_NAME = r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2}"
_SAID = rf"(?:{reporting_forms('say', 'add', 'note', 'stress', 'explain', 'insist')}|told\s+[A-Z][\w.-]+)"
_ATTRIBUTION = re.compile(rf"\s*,?\s*(?:(?P<a>{_NAME})\s+{_SAID}\b|said\s+(?P<b>{_NAME})\b)")


def reported(sentence: str, passage: str) -> str | None:
    """``sentence`` (of ``passage``) as "<Speaker> said …" with its "we/our/us" made "they/their/them",
    or ``None`` when it is not all one speaker's quotation, the passage names no speaker where it closes,
    or it speaks as "I" or "you"."""
    text = sentence.strip()
    if text[:1] not in _OPENS:
        return None
    body = text[1:].strip()
    inner = _CLOSE.search(body)
    speaker = None
    if inner:  # closed in the sentence: only its speaker may follow ('…,” Ryabkov said.')
        rest = body[inner.end():]
        m = _ATTRIBUTION.match(rest)
        if rest.strip(" .,!?") and not (m and not rest[m.end():].strip(" .!?")):
            return None  # part of the sentence is the outlet's
        speaker = _name(m) if m else None
        body = body[:inner.start()].rstrip(" ,")
    bare = body.replace("U.S.", "")
    if not _PLURAL_FIRST.search(bare) or _OTHER_PERSON.search(bare) or re.search(r"[“”\"]", body):
        return None
    speaker = speaker or (None if inner else _speaker(sentence, passage))
    if not speaker:
        return None
    said = _PLURAL_FIRST.sub(_third, body).rstrip(" .!") + "."
    first = said.split(maxsplit=1)[0]
    if not is_name(first.strip(",;:")) or first.lower() in _THIRD.values():
        said = said[0].lower() + said[1:]
    return f"{speaker} said {said}"


def _third(m: re.Match) -> str:
    word = _THIRD[m.group().lower()]
    return word.capitalize() if m.group()[0].isupper() else word


def _speaker(sentence: str, passage: str) -> str | None:
    """The name attributed right where the quotation that ``sentence`` opens closes in ``passage``."""
    at = passage.find(sentence.strip()[:80])
    if at < 0:
        return None
    start = at + 1
    close = _CLOSE.search(passage, start, start + MAX_QUOTE_CHARS)
    if not close or passage[start:close.start()].count("“"):
        return None  # unclosed within reach, or another quotation opens first
    m = _ATTRIBUTION.match(passage, close.end())
    return _name(m) if m else None


def _name(m: re.Match) -> str | None:
    """The attribution's speaker, when it is a name (not "The minister", not a pronoun)."""
    name = m.group("a") or m.group("b")
    return name if all(is_name(w) for w in name.split()) else None
