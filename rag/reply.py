"""The LLM's reply as it streams in: cut into sentences, each verified the moment it is complete.

Only verified sentences are released, so a front end never shows a claim it later has to take
back. Sources are numbered by first use, and each released sentence is rendered with its date
("as of 12 October 2021") and its ``[n]`` markers, so the streamed deltas joined are the answer.
"""

from __future__ import annotations

import re
import time

from core.language import calendar_stems
from index.dates import human_date
from rag.answer_text import bare, content_words, junk_kinds, own_words
from rag.answer_types import AskedFor, items, lemma_set
from rag.models import Citation, RetrievedChunk
from rag.verify import CheckedSentence, all_terms, best_quote, check_sentence, salient_terms, split_answer

_YEAR = re.compile(r"\b(19|20)\d\d\b")


class VerifiedReply:
    """Verification and numbering of one streamed reply.

    Verified sentences are held back until one answers (:func:`answers`: names the asked item, or
    speaks of the asked relation), and that one is shown first: the answer does not open with
    background. If none does, nothing is released and the extractive answer takes over.

    Args:
        chunks: the retrieved sources, numbered from 1 as the prompt numbered them.
        question: the user's own words; ``standalone``: the question rewritten without the conversation.
        asked: what kind of answer the question asks for.
    """

    def __init__(self, chunks: list[RetrievedChunk], question: str, standalone: str, asked: AskedFor) -> None:
        self.chunks, self.question, self.standalone, self.asked = chunks, question, standalone, asked
        self.checked: list[CheckedSentence] = []
        self.released: list[CheckedSentence] = []
        self.held: list[CheckedSentence] = []
        self.numbering: dict[int, int] = {}
        self.buffer = ""
        self.verifying: list[tuple[float, float]] = []
        """When verification ran (``perf_counter`` start, end): between the LLM's pieces, for the trace."""

    def feed(self, text: str) -> list[str]:
        """Add streamed ``text``; the deltas now ready to show (sentences still being written wait)."""
        self.buffer += text
        sentences = split_answer(self.buffer)
        if len(sentences) < 2:
            return []
        done, self.buffer = sentences[:-1], sentences[-1]
        return self._release(self._verify(done))

    def close(self) -> list[str]:
        """The stream ended: verify the last sentence too; the deltas it releases."""
        return self._release(self._verify(split_answer(self.buffer), final=True))

    @property
    def looping(self) -> bool:
        """The model wrote a sentence it had already written. At temperature 0 a small model that repeats
        itself does so until its token budget runs out (seconds of CPU): the caller stops reading."""
        texts = [c.text for c in self.checked]
        return len(texts) >= 2 and texts[-1] in texts[:-1]

    @property
    def model_refused(self) -> bool:
        """The model said the articles do not say."""
        return any(c.refusal for c in self.checked)

    def text(self) -> str:
        """The released sentences as one text: what the deltas joined make."""
        return " ".join(render(s, self.chunks, self.numbering) for s in self.released)

    def citations(self) -> list[Citation]:
        """One citation per number, quoting the passage that best supports the first sentence citing it."""
        claims: dict[int, str] = {}
        for s in self.released:
            for src in s.sources:
                claims.setdefault(src, s.text)
        return [Citation.of(n, self.chunks[src - 1], best_quote(claims[src], self.chunks[src - 1].text))
                for src, n in sorted(self.numbering.items(), key=lambda x: x[1])]

    def _verify(self, sentences: list[str], final: bool = False) -> list[CheckedSentence]:
        """The sentences that pass verification and are not junk (an echo of the question, a label, a
        fragment, a question), each once."""
        started = time.perf_counter()
        accepted = []
        asked_words = f"{self.question} {self.standalone}"
        for i, sentence in enumerate(sentences):
            result = check_sentence(sentence, self.chunks, self.question, final and i == len(sentences) - 1, self.standalone)
            if result.supported and any(c.supported and c.text == result.text for c in self.checked):
                result.supported, result.reason = False, "repeats an earlier sentence"  # small models repeat themselves
            elif result.supported and (junk := junk_kinds(result.text, asked_words)):
                result.supported, result.reason = False, f"junk ({', '.join(sorted({kind for kind, _ in junk}))})"
            elif result.supported and names_only_its_source(result, self.chunks):
                result.supported, result.reason = False, "junk (label: only the article's title or outlet)"
            self.checked.append(result)
            if result.supported:
                accepted.append(result)
        self.verifying.append((started, time.perf_counter()))
        return accepted

    def _release(self, accepted: list[CheckedSentence]) -> list[str]:
        """Deltas for verified sentences, in order, with the item-first hold described on the class."""
        deltas = []
        for sentence in accepted:
            if not self.released and not answers(sentence, self.asked, self.standalone):
                self.held.append(sentence)
                continue
            for out in [sentence, *self.held]:
                for src in out.sources:
                    self.numbering.setdefault(src, len(self.numbering) + 1)
                deltas.append((" " if self.released else "") + render(out, self.chunks, self.numbering))
                self.released.append(out)
            self.held.clear()
        return deltas


_PARENTHESES = re.compile(r"\([^()]*\)")
_LABEL = "unknown outlet article undated not dated not before date source"


def names_only_its_source(sentence: CheckedSentence, chunks: list[RetrievedChunk]) -> bool:
    """The sentence is the label of the article it cites, not a statement from it: its words are all
    in the cited articles' titles, outlets and dates ("Russia mending diplomatic relations with United
    States (unknown outlet, not before 2022)** [1]."). A small model copies the source header this
    way; every word is in the source, so support alone would let it through."""
    words = content_words(_PARENTHESES.sub(" ", bare(sentence.text)).replace("*", " "))
    cited = [chunks[i - 1] for i in sentence.sources if 0 < i <= len(chunks)]
    if not words or not cited:
        return False
    header = content_words(_LABEL)
    for c in cited:
        header |= content_words(f"{c.title} {c.outlet or ''} {c.date_label if c.date else ''}")
    return words <= header


def answers(sentence: CheckedSentence, asked: AskedFor, question: str) -> bool:
    """Whether a verified sentence may open the answer: for a question that asks for an item, it names
    one (:func:`names_item`); for any other question with an asked relation ("What did the nationalists
    *do*", "Why did the visit *anger* …"), it speaks of that relation. A true sentence about something
    else the passages mention ("the ambassador will return to Washington") is background, not an answer."""
    if asked.factoid:
        return names_item(sentence, asked, question)
    return not asked.focus_words or asked.relation_hits(lemma_set(sentence.text)) > 0


def names_item(sentence: CheckedSentence, asked: AskedFor, question: str) -> bool:
    """The sentence states an item of the asked kind that the question does not give. Looser than
    the extractive rule on purpose: a verified sentence from a strong model is not thrown away
    because its item ("Rood", "in 5 years") is not of a shape the rules know."""
    if items(sentence.text, asked, question):
        return True
    new = salient_terms(sentence.text) - salient_terms(question) - all_terms(question)
    if asked.kind in ("date", "number"):
        return any(t[:1].isdigit() for t in new) or bool(all_terms(sentence.text) & calendar_stems() - all_terms(question))
    return any(not t[:1].isdigit() for t in new)


def render(sentence: CheckedSentence, chunks: list[RetrievedChunk], numbering: dict[int, int]) -> str:
    """One verified sentence, with "(as of DATE)" when it names no year and its source is dated,
    "(article not dated; not before 2022)" for an estimated date, or "(article undated)" when its
    source states no date: the reader always knows when, and an estimate never reads as a day."""
    text = own_words(sentence.text.rstrip())
    end = text[-1] if text and text[-1] in ".!?" else "."
    text = text[:-1] if text and text[-1] in ".!?" else text
    dated = [chunks[s - 1].date for s in sentence.sources if chunks[s - 1].date and chunks[s - 1].date_source != "estimate"]
    estimated = [chunks[s - 1] for s in sentence.sources if chunks[s - 1].date and chunks[s - 1].date_source == "estimate"]
    if dated and not _YEAR.search(text):
        text += f" (as of {human_date(max(dated))})"
    elif estimated and not _YEAR.search(text):
        text += f" (article not dated; {max(estimated, key=lambda c: c.date).date_label})"
    elif not dated and not _YEAR.search(text):
        text += " (article undated)"  # say so rather than let it read as current
    markers = "".join(f"[{numbering[s]}]" for s in sentence.sources)
    return f"{text} {markers}{end}"
