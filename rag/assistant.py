"""The answering engine: one place that builds and runs the retrieval-augmented chain.

    question (+ history) → condense → retrieve (hybrid, date-aware) → refusal gate
      → prompt | LLM (streamed) → verify each sentence → Answer(text, citations, refused)

Streaming yields only verified text: each sentence of the model's answer is checked against the
sources as soon as it is complete, so a front end never shows a claim it later has to take back.
If nothing the model says survives, the answer is extractive (verbatim, dated, cited sentences).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

from index.dates import describe_span, human_date
from newsbot.settings import Settings, load_settings
from rag import condense as condense_mod
from rag.extractive import lead_in, pick_sentences
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

MONTH_NAMES = frozenset("january february march april may june july august september october november december".split())

MAX_QUESTION_CHARS = 2000
_YEAR = re.compile(r"\b(19|20)\d\d\b")


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
        s = self.settings
        return HybridRetriever(self.search, s.retrieval_candidates, s.retrieval_hybrid, s.max_chunks_per_article)

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
        if self._gate_refuses(question, chunks, best):
            yield from self._final(self._refusal(base), t0, timings)
            return

        prompt = answer_prompt(self.settings.prompts_dir)
        messages = prompt.format_messages(sources=format_sources(chunks, self.settings.prompts_dir), question=standalone)
        llm = self.chat_model(sum(len(m.content) for m in messages))
        checked: list[CheckedSentence] = []
        numbering: dict[int, int] = {}
        buffer, emitted = "", False
        t_llm = 0.0
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
            for delta in self._verify(done, chunks, checked, numbering, emitted, question, standalone):
                if "first_token" not in timings:
                    timings["first_token"] = time.perf_counter() - t0
                emitted = True
                yield delta
        timings["llm"] += t_llm
        for delta in self._verify(split_answer(buffer), chunks, checked, numbering, emitted, question, standalone, final=True):
            if "first_token" not in timings:
                timings["first_token"] = time.perf_counter() - t0
            emitted = True
            yield delta
        model_refused = any(c.refusal for c in checked)
        supported = [c for c in checked if c.supported]
        if supported:
            base.text = self._compose(supported, chunks, numbering)
            base.citations = self._citations(supported, chunks, numbering)
            base.mode = "generated"
        elif model_refused and best < self.settings.refusal_min_similarity + 0.15:
            yield from self._final(self._refusal(base), t0, timings)
            return
        else:
            base = self._extractive(base, standalone, vector, chunks)
            if "first_token" not in timings:
                timings["first_token"] = time.perf_counter() - t0
            yield base.text
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

    def _gate_refuses(self, question: str, chunks: list[RetrievedChunk], best: float) -> bool:
        """Refuse when nothing retrieved is close enough, or a name the user wrote is in no retrieved chunk.

        ``question`` is the user's own words: names a follow-up borrowed from earlier turns are context,
        not claims that the articles must mention together.
        """
        if not chunks or best < self.settings.refusal_min_similarity:
            return True
        have = set()
        for c in chunks:
            have |= all_terms(f"{header(c)} {c.text}")
        for name in salient_terms(question):
            if name.isdigit() or name in MONTH_NAMES:
                continue  # years, numbers and months are handled by date ranking, not refusal
            if name not in have and not any(len(name) >= 6 and h[:6] == name[:6] for h in have):
                return True
        return False

    def _refusal(self, base: Answer) -> Answer:
        articles = list(self.search.articles.values())
        base.text = refusal_text(self.settings.prompts_dir, base.question, len(articles), describe_span(articles))
        base.refused, base.mode, base.citations = True, "refused", []
        return base

    def _verify(self, sentences: list[str], chunks, checked: list[CheckedSentence], numbering: dict[int, int],
                emitted: bool, question: str, standalone: str, final: bool = False) -> Iterator[str]:
        for i, sentence in enumerate(sentences):
            result = check_sentence(sentence, chunks, question, final and i == len(sentences) - 1, standalone)
            if result.supported and any(c.supported and c.text == result.text for c in checked):
                continue  # small models repeat themselves
            checked.append(result)
            if result.supported:
                for src in result.sources:
                    numbering.setdefault(src, len(numbering) + 1)
                text = self._render(result, chunks, numbering)
                yield (" " if emitted else "") + text
                emitted = True

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

    def _compose(self, supported: list[CheckedSentence], chunks, numbering) -> str:
        return " ".join(self._render(s, chunks, numbering) for s in supported)

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

    def _extractive(self, base: Answer, question: str, vector, chunks: list[RetrievedChunk]) -> Answer:
        texts: dict[str, str] = {}

        def article_text(article_id: str) -> str:
            if article_id not in texts:
                texts[article_id] = self.search.article_text(article_id)
            return texts[article_id]

        picked = pick_sentences(question, vector, chunks, self.embeddings, time_intent(question), article_text=article_text)
        parts, citations = [], []
        for n, (i, sentence) in enumerate(picked, start=1):
            c = chunks[i - 1]
            parts.append(f"{lead_in(c)}: “{sentence}” [{n}]")
            citations.append(Citation(n=n, title=c.title, source=c.source, date=c.date, date_source=c.date_source, url=c.url, quote=sentence,
                                      article_id=c.article_id, chunk_id=c.id, path=c.path))
        base.text = " ".join(p + ("" if p.endswith(".") else ".") for p in parts) if parts else ""
        base.citations, base.mode = citations, "extractive"
        if not parts:
            return self._refusal(base)
        return base

    def _final(self, answer: Answer, t0: float, timings: dict[str, float]) -> Iterator[str | Answer]:
        timings["first_token"] = time.perf_counter() - t0
        yield answer.text
        timings["total"] = time.perf_counter() - t0
        answer.timings = timings
        yield answer
