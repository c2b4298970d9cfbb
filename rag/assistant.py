"""The answering engine: one place that builds and runs the retrieval-augmented chain.

    question (+ history) → condense → retrieve (hybrid, date-aware) → refusal gate
      → prompt | LLM (streamed) → verify each sentence → Answer(text, citations, refused)

Streaming yields only verified text: each sentence of the model's answer is checked against the
sources as soon as it is complete, so a front end never shows a claim it later has to take back.
If nothing the model says survives, the answer is extractive (verbatim, dated, cited sentences).
"""

from __future__ import annotations

import calendar
import re
import threading
import time
from datetime import date
from collections.abc import Iterator

from index.dates import describe_span, human_date
from newsbot.settings import Settings, load_settings
from rag import condense as condense_mod
from rag.answer_text import junk_kinds
from rag.answer_types import CALENDAR_WORDS, NAME_ALIASES, AskedFor, classify, items, lemma_set
from rag.extractive import candidate_sentences, lead_in, lead_sentence, pick_sentences, timeline, timeline_point
from rag.premise import contradicted, what_they_say
from rag.llm import LLMUnavailableError, chat_model, explain
from rag.models import Answer, Citation, RetrievedChunk
from rag.prompts import answer_prompt, condense_prompt, format_sources, refusal_text
from rag.retrieval import HybridRetriever, time_intent
from rag.verify import (
    CheckedSentence,
    best_quote,
    check_sentence,
    salient_terms,
    split_answer,
    all_terms,
    header,
)

MAX_QUESTION_CHARS = 2000
_YEAR = re.compile(r"\b(19|20)\d\d\b")


def _stem_in(term: str, have: set[str]) -> bool:
    """``term`` or a word sharing its first five letters is in ``have`` ("expel" / "expelled")."""
    return term in have or (len(term) >= 5 and any(h[:5] == term[:5] for h in have if len(h) >= 5))


class Assistant:
    """Answers questions about the indexed articles.

    Args:
        settings: configuration; default: read from the environment and ``.env``.
        llm: a LangChain chat model to use instead of the configured backend (tests, notebooks).
        embeddings: a LangChain embedder instead of the configured one (must match the index).

    Nothing loads until the first question: the embedder, the index and the LLM load then, once.
    """

    def __init__(self, settings: Settings | None = None, llm=None, embeddings=None) -> None:
        self.settings = settings or load_settings()
        self._llm = llm
        self._embeddings = embeddings
        self._search = None
        self._lock = threading.Lock()

    # --- lazily built parts -----------------------------------------------------------------
    @property
    def embeddings(self):
        if self._embeddings is None:
            from index.embeddings import build_embeddings

            self._embeddings = build_embeddings(self.settings.embedding_model, self.settings.embedding_batch_size)
        return self._embeddings

    @property
    def search(self):
        with self._lock:
            if self._search is None:
                from index.reader import SearchIndex

                self._search = SearchIndex(self.settings, self.embeddings)
        return self._search

    @property
    def retriever(self) -> HybridRetriever:
        """The hybrid retriever over this assistant's index, as configured (a LangChain ``BaseRetriever``)."""
        s = self.settings
        return HybridRetriever(search=self.search, k=s.retrieval_k, candidates=s.retrieval_candidates,
                               hybrid=s.retrieval_hybrid, max_per_article=s.max_chunks_per_article)

    def chat_model(self, prompt_chars: int = 0):
        return self._llm if self._llm is not None else chat_model(self.settings, prompt_chars)

    # --- public API -------------------------------------------------------------------------
    def retrieve(self, question: str, k: int | None = None) -> list[RetrievedChunk]:
        """The ranked chunks for ``question`` (hybrid, date-aware, diverse), best first."""
        return self.retriever.retrieve(question, k or self.settings.retrieval_k)

    def ask(self, question: str, history: list[tuple[str, str]] | None = None) -> Answer:
        """Answer ``question``; ``history`` is the conversation's earlier (question, answer) pairs.

        Raises:
            LLMUnavailableError: the LLM backend cannot answer now (the message says what to do).
        """
        answer = None
        for part in self.stream(question, history):
            if isinstance(part, Answer):
                answer = part
        assert answer is not None
        return answer

    def stream(self, question: str, history: list[tuple[str, str]] | None = None) -> Iterator[str | Answer]:
        """Yield verified text deltas as they are ready, then the final :class:`Answer`.

        ``"".join`` of the deltas is the answer's text.
        """
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        question = (question or "").strip()
        history = [(q, a) for q, a in (history or [])][-self.settings.history_turns:] if self.settings.history_turns else []
        if not question:
            yield from self._final(Answer("Please ask a question about the news articles.", refused=True, mode="refused"), t0, timings)
            return
        if len(question) > MAX_QUESTION_CHARS:
            text = f"That question is too long ({len(question)} characters); please ask in under {MAX_QUESTION_CHARS}."
            yield from self._final(Answer(text, refused=True, question=question, mode="refused"), t0, timings)
            return

        t = time.perf_counter()
        standalone, llm_condense_s = self._condense(question, history)
        timings["condense"] = time.perf_counter() - t
        timings["llm"] = llm_condense_s

        t = time.perf_counter()
        vector = self.embeddings.embed_query(standalone)
        chunks, best = self.retriever.retrieve_scored(standalone, self.settings.retrieval_k, vector)
        timings["retrieve"] = time.perf_counter() - t
        base = Answer("", question=question, standalone_question=standalone)

        if not self.search.chunks:
            base.text, base.refused, base.mode = ("The index is empty, so I cannot answer yet: "
                                                  "run `newsbot index PATH` to add articles."), True, "refused"
            yield from self._final(base, t0, timings)
            return
        asked = classify(standalone)
        intent = time_intent(standalone)
        if self._gate_refuses(question, chunks, best, asked):
            yield from self._final(self._refusal(base), t0, timings)
            return
        missing = self._missing_period(intent, chunks)
        if missing is not None and not self._estimate_may_be_in(intent):
            yield from self._final(self._refusal(base, missing), t0, timings)
            return
        period_note = (f" (None of the articles I have is dated {missing}; this comes from an article whose date is "
                       "only estimated, or from another time.)") if missing else ""
        if asked.kind == "change":
            base = self._timeline(base, standalone, vector, chunks, asked, intent)
            yield from self._final(base, t0, timings)
            return
        if found := contradicted(standalone, candidate_sentences(chunks, self._article_text())):
            yield from self._final(self._premise_answer(base, chunks, *found), t0, timings)
            return

        prompt = answer_prompt(self.settings.prompts_dir)
        messages = prompt.format_messages(sources=format_sources(chunks, self.settings.prompts_dir), question=standalone)
        llm = self.chat_model(sum(len(m.content) for m in messages))
        checked: list[CheckedSentence] = []
        released: list[CheckedSentence] = []
        held: list[CheckedSentence] = []
        numbering: dict[int, int] = {}
        buffer = ""
        t_llm = 0.0

        def release(accepted: list[CheckedSentence]) -> Iterator[str]:
            """Show verified sentences; for a question that asks for an item, hold them back until one
            names it, and show that one first."""
            for sentence in accepted:
                if asked.factoid and not released and not self._names_item(sentence, asked, standalone):
                    held.append(sentence)
                    continue
                for out in [sentence, *held]:
                    for src in out.sources:
                        numbering.setdefault(src, len(numbering) + 1)
                    yield (" " if released else "") + self._render(out, chunks, numbering)
                    released.append(out)
                held.clear()

        stream = iter(llm.stream(messages))
        while True:
            t = time.perf_counter()
            try:
                part = next(stream)
            except StopIteration:
                t_llm += time.perf_counter() - t
                break
            except LLMUnavailableError:
                raise
            except Exception as exc:  # noqa: BLE001 - every backend failure becomes one clear error
                raise explain(exc, self.settings) from exc
            t_llm += time.perf_counter() - t
            buffer += part.content if isinstance(part.content, str) else ""
            sentences = split_answer(buffer)
            if len(sentences) < 2:
                continue
            done, buffer = sentences[:-1], sentences[-1]
            for delta in release(self._verify(done, chunks, checked, question, standalone)):
                timings.setdefault("first_token", time.perf_counter() - t0)
                yield delta
        timings["llm"] += t_llm
        for delta in release(self._verify(split_answer(buffer), chunks, checked, question, standalone, final=True)):
            timings.setdefault("first_token", time.perf_counter() - t0)
            yield delta
        model_refused = any(c.refusal for c in checked)
        if released:
            base.text = " ".join(self._render(s, chunks, numbering) for s in released)
            base.citations = self._citations(released, chunks, numbering)
            base.mode = "generated"
        elif model_refused and best < self.settings.refusal_min_similarity + 0.15:
            yield from self._final(self._refusal(base), t0, timings)
            return
        else:
            base = self._extractive(base, standalone, vector, chunks, asked, intent)
            timings.setdefault("first_token", time.perf_counter() - t0)
            yield base.text
        if not base.refused and (note := self._recency_note(intent) + period_note):
            base.text += note
            yield note
        timings["total"] = time.perf_counter() - t0
        base.timings = timings
        yield base

    # --- steps ------------------------------------------------------------------------------
    def _condense(self, question: str, history: list[tuple[str, str]]) -> tuple[str, float]:
        """Standalone form of a follow-up, and the seconds spent in the LLM doing it."""
        if not history or not condense_mod.needs_context(question):
            return question, 0.0
        if self.settings.condense_with_llm:
            convo = "\n".join(f"User: {q}\nAssistant: {a[:300]}" for q, a in history)
            messages = condense_prompt(self.settings.prompts_dir).format_messages(history=convo, question=question)
            t = time.perf_counter()
            try:
                rewrite = condense_mod.clean_rewrite(str(self.chat_model(len(convo)).invoke(messages).content))
            except Exception as exc:  # noqa: BLE001
                raise explain(exc, self.settings) from exc
            spent = time.perf_counter() - t
            if condense_mod.accept_rewrite(rewrite, question, history):
                return rewrite, spent
            return condense_mod.keyword_rewrite(question, history), spent
        return condense_mod.keyword_rewrite(question, history), 0.0

    def _gate_refuses(self, question: str, chunks: list[RetrievedChunk], best: float, asked: AskedFor | None = None) -> bool:
        """Refuse when nothing retrieved is close enough, when a name the user wrote is in no retrieved
        chunk, or when no retrieved sentence speaks of the asked relation ("the population of X" needs
        a sentence about population, not only one about X).

        ``question`` is the user's own words: names a follow-up borrowed from earlier turns are context,
        not claims that the articles must mention together.
        """
        if not chunks or best < self.settings.refusal_min_similarity:
            return True
        have = set()
        for c in chunks:
            have |= all_terms(f"{header(c)} {c.text}")
        have |= {alias for term in list(have) for alias in NAME_ALIASES.get(term, ())}
        if "u" in have and "s" in have:
            have.add("us")  # "U.S." is split into letters
        # The first word is capitalised because it starts the question ("Besides Moscow, …"), not because it is a name.
        first, _, rest = question.strip().partition(" ")
        for name in salient_terms(f"{first.lower() if first[:1].isupper() and first[1:].islower() else first} {rest}"):
            if name.isdigit() or name in CALENDAR_WORDS:
                continue  # years, numbers, months and weekdays are handled by date ranking, not refusal
            if name not in have and not any(len(name) >= 6 and h[:6] == name[:6] for h in have):
                return True
        # The asked relation is checked only when retrieval is not already sure: a close passage may word it
        # differently ("met" / "talks"), a near miss ("the population of X") is rarely that close.
        if asked is not None and asked.focus_words and best < self.settings.refusal_min_similarity + 0.15 and not (
                asked.relation_hits(lemma_set(" ".join(c.text for c in chunks))) or any(_stem_in(f, have) for f in asked.focus)):
            return True
        return False

    def _missing_period(self, intent, chunks: list[RetrievedChunk]) -> str | None:
        """The named period ("June 2023", "2023") when no article is dated in it and no retrieved passage
        names it; ``None`` when the period is covered or none is named."""
        if not intent.years:
            return None
        rows = list(self.search.articles.values())
        for a in rows:
            if a["date"] and a.get("date_source") != "estimate" and int(a["date"][:4]) in intent.years and (
                    not intent.months or int(a["date"][5:7]) in intent.months):
                return None
        if any(str(y) in c.text for c in chunks for y in intent.years):
            return None
        months = [calendar.month_name[m] for m in sorted(intent.months)]
        return " ".join(months + [", ".join(str(y) for y in sorted(intent.years))])

    def _estimate_may_be_in(self, intent) -> bool:
        """An article dated only "not before <year>" may fall in the named period: not a reason to refuse."""
        return any(a["date"] and a.get("date_source") == "estimate" and int(a["date"][:4]) <= max(intent.years)
                   for a in self.search.articles.values())

    def _recency_note(self, intent) -> str:
        """For "now / latest / still" questions: what "now" means here, when the newest article is old."""
        if not intent.recent:
            return ""
        dated = [a["date"] for a in self.search.articles.values() if a["date"] and a.get("date_source") != "estimate"]
        if not dated:
            return ""
        newest = max(dated)
        if (date.today() - date.fromisoformat(newest)).days <= self.settings.recent_days:
            return ""
        return f" (The newest article I have is from {human_date(newest)}, so this is the latest as of then.)"

    def _refusal(self, base: Answer, missing_period: str | None = None) -> Answer:
        articles = list(self.search.articles.values())
        if missing_period:
            base.text = (f"None of the articles I have is dated {missing_period}, so I cannot say what happened then. "
                         f"I have {len(articles)} articles ({describe_span(articles)}).")
        else:
            base.text = refusal_text(self.settings.prompts_dir, base.question, len(articles), describe_span(articles))
        base.refused, base.mode, base.citations = True, "refused", []
        return base

    def _verify(self, sentences: list[str], chunks, checked: list[CheckedSentence], question: str, standalone: str,
                final: bool = False) -> list[CheckedSentence]:
        """The sentences that pass verification and are not junk (an echo of the question, a label, a
        fragment, a question), each once."""
        accepted = []
        asked_words = f"{question} {standalone}"
        for i, sentence in enumerate(sentences):
            result = check_sentence(sentence, chunks, question, final and i == len(sentences) - 1, standalone)
            if result.supported and any(c.supported and c.text == result.text for c in checked):
                continue  # small models repeat themselves
            if result.supported and junk_kinds(result.text, asked_words):
                result.supported = False
            checked.append(result)
            if result.supported:
                accepted.append(result)
        return accepted

    @staticmethod
    def _names_item(sentence: CheckedSentence, asked: AskedFor, question: str) -> bool:
        """The sentence states an item of the asked kind that the question does not give. Looser than
        the extractive rule on purpose: a verified sentence from a strong model is not thrown away
        because its item ("Rood", "in 5 years") is not of a shape the rules know."""
        if items(sentence.text, asked, question):
            return True
        new = salient_terms(sentence.text) - salient_terms(question) - all_terms(question)
        if asked.kind in ("date", "number"):
            return any(t[:1].isdigit() for t in new) or bool(all_terms(sentence.text) & CALENDAR_WORDS - all_terms(question))
        return any(not t[:1].isdigit() for t in new)

    @staticmethod
    def _render(sentence: CheckedSentence, chunks: list[RetrievedChunk], numbering: dict[int, int]) -> str:
        """One verified sentence, with "(as of DATE)" when it names no year and its source is dated,
        "(article not dated; not before 2022)" for an estimated date, or "(article undated)" when its
        source states no date: the reader always knows when, and an estimate never reads as a day."""
        text = sentence.text.rstrip()
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

    @staticmethod
    def _citations(supported: list[CheckedSentence], chunks: list[RetrievedChunk], numbering: dict[int, int]) -> list[Citation]:
        claims: dict[int, str] = {}
        for s in supported:
            for src in s.sources:
                claims.setdefault(src, s.text)
        out = []
        for src, n in sorted(numbering.items(), key=lambda x: x[1]):
            c = chunks[src - 1]
            out.append(Citation(n=n, title=c.title, source=c.source, date=c.date, date_source=c.date_source, url=c.url,
                                quote=best_quote(claims[src], c.text), article_id=c.article_id, chunk_id=c.id, path=c.path))
        return out

    def _article_text(self):
        texts: dict[str, str] = {}

        def article_text(article_id: str) -> str:
            if article_id not in texts:
                texts[article_id] = self.search.article_text(article_id)
            return texts[article_id]

        return article_text

    def _extractive(self, base: Answer, question: str, vector, chunks: list[RetrievedChunk], asked: AskedFor,
                    intent) -> Answer:
        """Verbatim sentences, the first led by the asked item in words; a refusal if none answers."""
        picked = pick_sentences(question, vector, chunks, self.embeddings, intent, article_text=self._article_text(),
                                asked=asked)
        parts, citations = [], []
        for n, (i, sentence) in enumerate(picked, start=1):
            c = chunks[i - 1]
            if n == 1:
                found = items(sentence, asked, question) if asked.factoid or asked.kind == "why" else []
                parts.append(lead_sentence(found[0] if found else None, c, sentence, n))
            else:
                parts.append(f"{lead_in(c)[0].upper() + lead_in(c)[1:]}, also: “{sentence}” [{n}].")
            citations.append(self._citation(n, c, sentence))
        if not parts:
            return self._refusal(base)
        base.text, base.citations, base.mode = " ".join(parts), citations, "extractive"
        return base

    def _timeline(self, base: Answer, question: str, vector, chunks: list[RetrievedChunk], asked: AskedFor,
                  intent) -> Answer:
        """A dated timeline for questions across articles: one cited point per relevant article, oldest first."""
        points = timeline(question, vector, chunks, self.embeddings, intent, article_text=self._article_text(), asked=asked)
        if not points:
            return self._refusal(base)
        base.text = " ".join(timeline_point(chunks[i - 1], sentence, n) for n, (i, sentence) in enumerate(points, start=1))
        base.citations = [self._citation(n, chunks[i - 1], sentence) for n, (i, sentence) in enumerate(points, start=1)]
        base.mode = "timeline"
        return base

    def _premise_answer(self, base: Answer, chunks: list[RetrievedChunk], i: int, sentence: str) -> Answer:
        """The question's premise is contradicted by the passage that reports its event: say so, say
        what the passage names instead, and quote it."""
        c = chunks[i - 1]
        instead = what_they_say(base.standalone_question, sentence)
        who = c.source or f"‘{c.title}’"
        naming = f", naming {', '.join(instead)}" if instead else ""
        base.text = f"The articles do not support that premise. {who} ({c.date_label}) reports it otherwise{naming}: “{sentence}” [1]."
        base.citations, base.mode = [self._citation(1, c, sentence)], "premise"
        return base

    @staticmethod
    def _citation(n: int, c: RetrievedChunk, quote: str) -> Citation:
        return Citation(n=n, title=c.title, source=c.source, date=c.date, date_source=c.date_source, url=c.url,
                        quote=quote, article_id=c.article_id, chunk_id=c.id, path=c.path)

    def _final(self, answer: Answer, t0: float, timings: dict[str, float]) -> Iterator[str | Answer]:
        timings["first_token"] = time.perf_counter() - t0
        yield answer.text
        timings["total"] = time.perf_counter() - t0
        answer.timings = timings
        yield answer
