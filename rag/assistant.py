"""The answering engine: one place that builds and runs the retrieval-augmented chain.

    question (+ history) → standalone question → retrieve (hybrid, date-aware) → gate (refuse early)
      → answers by rule (timeline, contradicted premise) → prompt | LLM (streamed, each sentence
      verified) → fall back (verbatim sentences, or a refusal) → Answer(text, citations, refused, timings)

:meth:`Assistant.stream` runs these steps in order, one method each; a :class:`Turn` carries what
the earlier steps found to the later ones, and one :class:`~rag.timing.Stopwatch` times them.
Streaming yields only verified text (:mod:`rag.reply`), so a front end never shows a claim it later
has to take back. ``rag.chain()`` offers the same path as a LangChain Runnable (:mod:`rag.runnable`).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from langchain_core.callbacks import Callbacks

from core.language import MONTHS, calendar_stems, countries_by_their_states
from core.settings import Settings, load_settings
from index.dates import describe_span, human_date
from rag import compound
from rag import condense as condense_mod
from rag.answer_types import (AskedFor, asked_speaker, asked_thing_named, classify, coordinated, items, lemma_set, located,
                               name_aliases, named_in_full, person_names, question_names, titled, reports_speaker)
from rag.cache import AnswerCache, cache_key, settings_digest
from rag.extractive import (article_sentences, candidate_sentences, lead_in, lead_items, lead_sentence, outlet_asked, outlet_lead, outlet_names,
                            passage_context, pick_sentences, publication_lead, published_by, reason_after, stated, timeline,
                            timeline_point, quoted, verdict)
from rag.premise import contradicted
from rag.llm import LLMUnavailableError, chat_model, explain
from rag.models import Answer, Citation, RetrievedChunk
from rag.prompts import answer_prompt, condense_prompt, format_sources, refusal_text
from rag.reply import VerifiedReply
from rag.reported import reported
from rag.retrieval import HybridRetriever, TimeIntent, time_intent
from rag.script import reading_model, script_note
from rag import trace as trace_mod
from rag.span import answer_span, characterization
from rag.timing import Stopwatch
from rag.trace import Trace
from rag.verify import all_terms, best_quote, content_terms, header

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
_UNSET = object()


def _stem_in(term: str, have: set[str]) -> bool:
    """``term`` or a word sharing its first five letters is in ``have`` ("expel" / "expelled")."""
    return term in have or (len(term) >= 5 and any(h[:5] == term[:5] for h in have if len(h) >= 5))


@dataclass
class Turn:
    """One question on its way through the steps: what retrieval found and what the question asks,
    for the steps after it."""

    question: str
    """The user's own words."""
    standalone: str
    """The question as it reads without the conversation (equal to ``question`` for a first question)."""
    vector: list[float]
    chunks: list[RetrievedChunk]
    """The retrieved passages, best first; the prompt numbers them from 1."""
    best: float
    """The best dense similarity of any live chunk: how sure retrieval is."""
    asked: AskedFor
    intent: TimeIntent
    missing_period: str | None
    """The period the question names when no article is dated in it ("June 2023"), else ``None``."""
    article_text: Callable[[str], str]
    """An article's whole text by id, read once per question."""
    trace: Trace = field(default_factory=Trace)
    """The decisions of the steps, for the answer's trace (:mod:`rag.trace`); retrieval's are in from the start."""
    said: frozenset[str] = frozenset()
    """A follow-up's previous answer, as content words: a sentence that only says it again is no answer
    to the new question (:func:`rag.extractive.score_sentences`)."""
    picked: list[tuple[int, str]] | None = None
    """The sentences the extractive answer would quote, once chosen (:meth:`Assistant._picked`): a turn that
    first checks whether they settle it and later falls back to them does not score them twice."""

    def __post_init__(self) -> None:
        self.trace.retrieval(self.question, self.standalone, self.chunks, self.best)

    def answer(self, text: str, **fields) -> Answer:
        """An :class:`Answer` to this question."""
        return Answer(text, question=self.question, standalone_question=self.standalone, trace=self.trace, **fields)


def _states_the_asked(turn: Turn, i: int, sentence: str) -> bool:
    """Whether ``sentence`` (of passage ``i``) answers without a model: it states an item of a
    :data:`SURE_KINDS` kind asked for, or the very thing a "which <thing>" question asks ("Hurricane
    Francine" for "which storm"), or the words a "how did … describe" question asks for, or, for a yes/no
    question, settles it (:func:`rag.extractive.verdict`)."""
    question, asked, chunks = turn.standalone, turn.asked, turn.chunks
    if characterization(question, sentence):
        return True
    if asked.kind == "yesno":  # settled, and by the asked relation, not only its subject ("the source" told …)
        return verdict(condense_mod.asked_part(question), sentence, asked) is not None \
            and asked.relation_hits(lemma_set(sentence)) >= len(asked.focus_words) / 2
    if asked.kind not in SURE_KINDS and asked.kind != "entity":
        return False
    context = passage_context(chunks[i - 1], turn.article_text)
    lead = lead_items(sentence, asked, question, outlet_names(chunks), context)
    return bool(lead) and (asked.kind != "entity" or bool(asked_thing_named(sentence, lead[:1], question, context)))


def _estimate_may_be_in(date: str | None, source: str | None, intent: TimeIntent) -> bool:
    """A date that is only an estimate ("not before 2022") may fall in the period the question names."""
    return bool(date) and source == "estimate" and int(date[:4]) <= max(intent.periods)


SURE_KINDS = frozenset({"person", "place", "organisation", "date", "number"})
"""Kinds whose items the rules type (a name, a gazetteer place, a date, a number …): a sentence that states
one may answer without the model. Not "which treaty/virus …" (an entity is any capitalised run: "United
States Postal Service" for "to detect which virus?"), nor descriptions, reasons, yes/no."""


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
        self._answers = _UNSET
        self._lock = threading.Lock()
        self._warm: threading.Thread | None = None
        self._loaded = threading.Event()

    # --- lazily built parts -----------------------------------------------------------------
    @property
    def embeddings(self):
        if self._embeddings is None:
            from index.embeddings import embeddings_for

            self._embeddings = embeddings_for(self.settings)
        return self._embeddings

    @property
    def search(self):
        with self._lock:
            if self._search is None:
                from index.reader import SearchIndex

                self._search = SearchIndex(self.settings, self.embeddings)
        return self._search

    @property
    def answers(self) -> AnswerCache | None:
        """The answer cache (``NEWSBOT_ANSWER_CACHE``), made on first use; ``None`` when it is off."""
        with self._lock:
            if self._answers is _UNSET:
                self._answers = AnswerCache.for_settings(self.settings)
        return self._answers

    @property
    def retriever(self) -> HybridRetriever:
        """The hybrid retriever over this assistant's index, as configured (a LangChain ``BaseRetriever``)."""
        s = self.settings
        return HybridRetriever(search=self.search, k=s.retrieval_k, candidates=s.retrieval_candidates,
                               hybrid=s.retrieval_hybrid, max_per_article=s.max_chunks_per_article)

    def chat_model(self, prompt_chars: int = 0):
        return self._llm if self._llm is not None else chat_model(self.settings, prompt_chars)

    def warm_up(self) -> threading.Thread | None:
        """Start loading the embedded LLM and evaluating the answer prompt's system head in a background
        thread, while the caller opens the index and retrieves: on two cores the model load (C code,
        outside the GIL) overlaps the imports and the Chroma open that come before any answer, which is
        most of a cold ``newsbot ask``. Only for the llama.cpp backend (an Ollama server loads its own);
        errors are left for the answer itself to report. Join the thread before the process exits
        (:meth:`settle`): the model must not be freed under it.

        Not when the model writes only when unsure (``NEWSBOT_LLM_ANSWERS=auto`` with the packaged model):
        a cold ask answered from the sentence took 3.13 s with the warm-up, 2.48 s without.

        For one-shot commands (`newsbot ask`), not conversations: while llama.cpp loads a model it points
        the process's stdout and stderr at /dev/null, so print nothing before :meth:`quiet_over`. (In
        `newsbot chat` under a pipe the answers were lost even so, in CI, so the chat does not warm up.)"""
        if self._llm is not None or self.settings.llm != "llamacpp" or not self.settings.llm_warm_up or self._warm is not None:
            return self._warm
        if self._writes_only_when_unsure():
            return None  # most answers then need no model: loading it would only slow them (benchmarks/cold_ask.py)

        def warm() -> None:
            try:
                model = self.chat_model()
                model.load()
                self._loaded.set()  # printing is safe from here on; a failed load sets it below
                prompt = answer_prompt(self.settings.prompts_dir)
                system = prompt.format_messages(**dict.fromkeys(prompt.input_variables, ""))[0].content
                model.warm(system)
            except Exception:  # noqa: BLE001 - the question's own LLM call reports what is wrong, in words
                log.debug("LLM warm-up failed", exc_info=True)
            finally:
                self._loaded.set()

        self._warm = threading.Thread(target=warm, name="newsbot-llm-warm-up", daemon=True)
        self._warm.start()
        return self._warm

    def quiet_over(self) -> None:
        """Wait until :meth:`warm_up`'s model load is over (what is printed during it is lost)."""
        if self._warm is not None:
            self._loaded.wait()

    def settle(self) -> None:
        """Wait for :meth:`warm_up`'s thread, if one runs (before a short-lived process exits)."""
        if self._warm is not None:
            self._warm.join()

    # --- public API -------------------------------------------------------------------------
    def retrieve(self, question: str, k: int | None = None) -> list[RetrievedChunk]:
        """The ranked chunks for ``question`` (hybrid, date-aware, diverse), best first."""
        return self.retriever.retrieve(question, k or self.settings.retrieval_k)

    def ask(self, question: str, history: list[tuple[str, str]] | None = None, *, callbacks: Callbacks = None) -> Answer:
        """Answer ``question``; ``history`` is the conversation's earlier (question, answer) pairs.

        ``callbacks`` (LangChain's) see the retriever and LLM runs: ``rag.chain`` passes its run's.

        Raises:
            LLMUnavailableError: the LLM backend cannot answer now (the message says what to do).
        """
        answer = None
        for part in self.stream(question, history, callbacks=callbacks):
            if isinstance(part, Answer):
                answer = part
        assert answer is not None
        return answer

    def stream(self, question: str, history: list[tuple[str, str]] | None = None, *,
               callbacks: Callbacks = None) -> Iterator[str | Answer]:
        """Yield verified text deltas as they are ready, then the final :class:`Answer`.

        ``"".join`` of the deltas is the answer's text. The steps, in order: the question's standalone
        form, retrieval, the gate (refusals decided before any generation), answers by rule (a timeline,
        a contradicted premise), the LLM's reply streamed sentence by verified sentence, the fallback
        when none survives, and the delivery with its notes and timings.
        """
        clock = Stopwatch()
        question = (question or "").strip()
        if (unaskable := self._unaskable(question)) is not None:
            yield from self._deliver(unaskable, clock)
            return
        if len(asked := compound.parts(question)) > 1:  # "…, and what did they discuss?": a question and its follow-up
            yield from self._deliver(self._compound(question, asked, history, callbacks), clock)
            return
        standalone = self._standalone(question, self._recent(history), clock, callbacks)
        key, hit = self._cached(question, standalone, clock)
        if hit is not None:
            yield from self._deliver(hit, clock)
            return
        turn = self._retrieve(question, standalone, clock, callbacks)
        if standalone != question and history:
            turn.said = frozenset(content_terms(re.sub(r"\[\d+\]", " ", history[-1][1])))
        if (decided := self._gate(turn) or self._answer_by_rule(turn)) is not None:
            yield from self._remember(key, self._deliver(decided, clock))
            return
        if self._writes_only_when_unsure() and (sure := self._extractive(turn, sure_only=True)) is not None:
            yield from self._remember(key, self._deliver(sure, clock, note=self._notes(turn)))
            return
        asked_part = condense_mod.asked_part(standalone)  # what opens the answer answers the question, not its context
        reply = VerifiedReply(turn.chunks, question, standalone, turn.asked if asked_part == standalone else classify(asked_part))
        yield from self._generate(turn, reply, clock, callbacks)
        answer = self._fall_back(turn, reply)
        yield from self._remember(key, self._deliver(answer, clock, streamed=bool(reply.released), note=self._notes(turn)))

    def _compound(self, question: str, asked: list[str], history: list[tuple[str, str]] | None,
                  callbacks: Callbacks) -> Answer:
        """``question``'s parts (:func:`rag.compound.parts`) answered in turn, each later one as a follow-up
        to the ones before, joined into one answer."""
        turns = list(history or [])
        answers = []
        for part in asked:
            answers.append(self.ask(part, turns, callbacks=callbacks))
            turns.append((part, answers[-1].text))
        return compound.joined(question, answers)

    # --- steps, in the order stream runs them ---------------------------------------------------
    def _recent(self, history: list[tuple[str, str]] | None) -> list[tuple[str, str]]:
        """The last ``history_turns`` turns of the conversation: what a follow-up may refer to."""
        turns = self.settings.history_turns
        return [(q, a) for q, a in (history or [])][-turns:] if turns else []

    @staticmethod
    def _unaskable(question: str) -> Answer | None:
        """A reply for an empty or overlong question, which is not searched for."""
        if not question:
            return Answer("Please ask a question about the news articles.", refused=True, mode="refused")
        if len(question) > MAX_QUESTION_CHARS:
            text = f"That question is too long ({len(question)} characters); please ask in under {MAX_QUESTION_CHARS}."
            return Answer(text, refused=True, question=question, mode="refused")
        return None

    def _standalone(self, question: str, history: list[tuple[str, str]], clock: Stopwatch, callbacks: Callbacks) -> str:
        """The question as it reads without the conversation ("When did he leave?" → "When did Antonov
        leave Washington?"): the LLM's rewrite when enabled and it checks out, else the keyword rewrite."""
        with clock.step("condense"):
            clock.add("llm", 0.0)  # the key is there even when no LLM runs, as the eval and bench expect
            if not history or not condense_mod.needs_context(question):
                return question
            if self.settings.condense_with_llm:
                convo = "\n".join(f"User: {q}\nAssistant: {a[:300]}" for q, a in history)
                messages = condense_prompt(self.settings.prompts_dir).format_messages(history=convo, question=question)
                with self._llm_errors(), clock.step("llm"):
                    reply = self.chat_model(len(convo)).invoke(messages, config={"callbacks": callbacks})
                rewrite = condense_mod.clean_rewrite(str(reply.content))
                if condense_mod.accept_rewrite(rewrite, question, history):
                    return rewrite
            return condense_mod.keyword_rewrite(question, history)

    def _cached(self, question: str, standalone: str, clock: Stopwatch) -> tuple[tuple[str, str | None] | None, Answer | None]:
        """The remembered answer to this standalone question on the live index (rag/cache.py), marked
        ``timings["cached"]``; and the key to remember a new answer under (``None``: the cache is off)."""
        if self.answers is None:
            return None, None
        from index.reader import IndexReader

        with clock.step("cache"):
            revision = IndexReader(self.settings).revision()
            key = cache_key(standalone, revision, settings_digest(self.settings, self._llm))
            hit = self.answers.get(key, question)
        if hit is not None:
            clock.timings["cached"] = 1.0
        return (key, revision), hit

    def _remember(self, key: tuple[str, str | None] | None, parts: Iterator[str | Answer]) -> Iterator[str | Answer]:
        """Pass ``parts`` through; remember the final :class:`Answer` under ``key``."""
        for part in parts:
            if isinstance(part, Answer) and key is not None and self.answers is not None:
                self.answers.put(key[0], part, key[1])
            yield part

    def _retrieve(self, question: str, standalone: str, clock: Stopwatch, callbacks: Callbacks) -> Turn:
        """Rank the passages for the standalone question; read what it asks for and what time it names."""
        with clock.step("retrieve"):
            vector = self.embeddings.embed_query(standalone)
            chunks, best = self.retriever.retrieve_scored(standalone, self.settings.retrieval_k, vector, callbacks)
        intent = time_intent(standalone)
        return Turn(question, standalone, vector, chunks, best, classify(standalone), intent,
                    self._missing_period(intent, chunks), self._article_text())

    def _gate(self, turn: Turn) -> Answer | None:
        """A refusal decided before any generation: nothing is indexed, nothing retrieved is about the
        question, or no article is dated in the period it names (and none with an estimated date may be)."""
        if not self.search.chunks:
            turn.trace.gated("the index is empty")
            return turn.answer("The index is empty, so I cannot answer yet: run `newsbot index PATH` to add articles.",
                               refused=True, mode="refused")
        if because := self._gate_refuses(turn.question, turn.chunks, turn.best, turn.asked):
            turn.trace.gated(because)
            return self._refusal(turn)
        if turn.missing_period is not None:
            # Only an article whose date is estimated ("not before 2022") or unknown may be from the period
            # named: a dated article of another time does not answer "what happened in June 2023".
            maybe = [c for c in turn.chunks if not c.date or _estimate_may_be_in(c.date, c.date_source, turn.intent)]
            speaks = not turn.asked.focus_words or turn.asked.relation_hits(lemma_set(" ".join(c.text for c in maybe)))
            if not maybe or not speaks or not self._estimate_may_be_in(turn.intent):
                turn.trace.gated(f"no article is dated {turn.missing_period}")
                return self._refusal(turn, turn.missing_period)
            turn.chunks = maybe
        turn.trace.gated(None)
        return None

    def _answer_by_rule(self, turn: Turn) -> Answer | None:
        """What the passages answer without the LLM: a change over time (a dated timeline), a
        premise the passage reporting its event contradicts, when a named outlet published a report
        (its article's date), and which outlet an article asked about is from (its metadata)."""
        if turn.asked.kind == "change":
            return self._timeline(turn)
        if found := contradicted(turn.standalone, candidate_sentences(turn.chunks, turn.article_text),
                                 whole=lambda: article_sentences(turn.chunks, turn.article_text)):
            return self._premise_answer(turn, *found)
        if source := published_by(turn.standalone, turn.chunks, turn.asked):
            quote = best_quote(turn.standalone, source.text)
            return turn.answer(publication_lead(source, 1), citations=[Citation.of(1, source, quote)], mode="extractive")
        if source := outlet_asked(turn.standalone, turn.chunks, turn.asked):
            quote = best_quote(turn.standalone, source.text)
            return turn.answer(outlet_lead(source, 1), citations=[Citation.of(1, source, quote)], mode="extractive")
        return None

    def _generate(self, turn: Turn, reply: VerifiedReply, clock: Stopwatch, callbacks: Callbacks) -> Iterator[str]:
        """Stream the LLM's answer, yielding each sentence once it is verified (see :class:`VerifiedReply`)."""
        def deltas() -> Iterator[str]:
            pieces = self._llm_text(turn, clock, callbacks)
            for text in pieces:
                yield from reply.feed(text)
                if reply.looping:
                    pieces.close()  # stops llama.cpp (or the Ollama stream) now, not at the token limit
                    break
            yield from reply.close()

        for delta in deltas():
            clock.first_text()
            yield delta

    def _llm_text(self, turn: Turn, clock: Stopwatch, callbacks: Callbacks) -> Iterator[str]:
        """The LLM's answer from the numbered sources, piece by piece as it streams (timed as ``llm``)."""
        folder = self.settings.prompts_dir
        messages = answer_prompt(folder).format_messages(sources=format_sources(turn.chunks, folder),
                                                         question=turn.standalone)
        llm = self.chat_model(sum(len(m.content) for m in messages))
        pieces = iter(llm.stream(messages, config={"callbacks": callbacks}))
        while True:
            with self._llm_errors(), clock.step("llm"):
                piece = next(pieces, None)
            if piece is None:
                return
            yield piece.content if isinstance(piece.content, str) else ""

    def _fall_back(self, turn: Turn, reply: VerifiedReply) -> Answer:
        """The answer once the LLM is done: its verified sentences if any passed; a refusal if it said the
        articles do not say and retrieval was unsure too; otherwise verbatim sentences (extractive)."""
        turn.trace.verification(reply)
        if reply.released:
            return turn.answer(reply.text(), citations=reply.citations(), mode="generated")
        if reply.model_refused and turn.best < self.settings.refusal_min_similarity + 0.15:
            turn.trace.refuse("the model said the articles do not say, and retrieval was unsure")
            return self._refusal(turn)
        return self._extractive(turn)

    def _notes(self, turn: Turn) -> str:
        """What the reader should know about time: what "now" means here, and that no article is dated in
        the named period (the answer then comes from an estimated date or another time)."""
        period = (f" (None of the articles I have is dated {turn.missing_period}; this comes from an article whose date "
                  "is only estimated, or from another time.)") if turn.missing_period else ""
        return self._recency_note(turn.intent) + period

    def _deliver(self, answer: Answer, clock: Stopwatch, streamed: bool = False, note: str = "") -> Iterator[str | Answer]:
        """The end of every path: the text (unless already streamed), the note (never on a refusal), then
        the :class:`Answer` with its timings and trace (written and exported as configured)."""
        if not streamed:
            clock.first_text()
            yield answer.text
        if note and not answer.refused:
            answer.text += note
            yield note
        answer.timings = clock.finish()
        trace_mod.deliver(answer, clock, self.settings)
        yield answer

    # --- what the steps use -----------------------------------------------------------------
    @contextmanager
    def _llm_errors(self) -> Iterator[None]:
        """Every backend failure becomes one :class:`LLMUnavailableError` that says what to do."""
        try:
            yield
        except LLMUnavailableError:
            raise
        except Exception as exc:  # noqa: BLE001 - every backend failure becomes one clear error
            raise explain(exc, self.settings) from exc

    def _gate_refuses(self, question: str, chunks: list[RetrievedChunk], best: float,
                      asked: AskedFor | None = None) -> str | None:
        """Why to refuse (``None``: do not): nothing retrieved is close enough, a name the user wrote is
        in no retrieved chunk, or no retrieved sentence speaks of the asked relation ("the population of
        X" needs a sentence about population, not only one about X).

        ``question`` is the user's own words: names a follow-up borrowed from earlier turns are context,
        not claims that the articles must mention together.
        """
        if not chunks:
            return "nothing was retrieved"
        if best < self.settings.refusal_min_similarity:
            return f"the best passage's similarity {best:.2f} is under refusal_min_similarity {self.settings.refusal_min_similarity}"
        have = set()
        for c in chunks:
            have |= all_terms(f"{header(c)} {c.text}")
            have |= all_terms(" ".join(countries_by_their_states(c.text)))  # "Pennsylvania" speaks of the US
        have |= {alias for term in list(have) for alias in name_aliases(term)}
        # A passage names a person by the surname alone ("Ryabkov said …"): the given name of a person whose
        # surname it has is not missing.
        given = {t for p in person_names(question) if all_terms(p.split()[-1]) <= have for t in all_terms(" ".join(p.split()[:-1]))}
        for name in question_names(question) - given:
            if name.isdigit() or name in calendar_stems() or len(name) < 2:
                continue  # years, numbers, months and weekdays are handled by date ranking, not refusal; nor
                # is a letter a name ("K-12 schools")
            if name not in have and not any(len(name) >= 6 and h[:6] == name[:6] for h in have):
                return "a name in the question is in no retrieved passage"  # which: in the question (privacy)
        # "What did X say …?" needs a passage that reports X saying something, not one that only names X.
        if (speaker := asked_speaker(question)) and not any(reports_speaker(c.text, speaker) for c in chunks):
            return "no retrieved passage reports the person asked about saying anything"
        # The asked relation is checked only when retrieval is not already sure: a close passage may word it
        # differently ("met" / "talks"), a near miss ("the population of X") is rarely that close.
        if asked is not None and asked.focus_words and best < self.settings.refusal_min_similarity + 0.15 and not (
                asked.relation_hits(lemma_set(" ".join(c.text for c in chunks))) or any(_stem_in(f, have) for f in asked.focus)):
            return "no retrieved passage speaks of what the question asks about"
        return None

    def _missing_period(self, intent, chunks: list[RetrievedChunk]) -> str | None:
        """The named period ("June 2023", "2023") when no article is dated in it and no retrieved passage
        names it; ``None`` when the period is covered or none is named."""
        if not intent.periods:  # "the 2025 Super Bowl" names no period
            return None
        rows = list(self.search.articles.values())
        if any(intent.holds(a["date"], a.get("date_source")) for a in rows):
            return None
        if any(str(y) in c.text for c in chunks for y in intent.periods):
            return None
        months = [MONTHS[m - 1] for m in sorted(intent.months)]
        return " ".join(months + [", ".join(str(y) for y in sorted(intent.periods))])

    def _estimate_may_be_in(self, intent) -> bool:
        """An article dated only "not before <year>" may fall in the named period: not a reason to refuse."""
        return any(_estimate_may_be_in(a["date"], a.get("date_source"), intent) for a in self.search.articles.values())

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

    def _refusal(self, turn: Turn, missing_period: str | None = None) -> Answer:
        """"The articles do not say", with how many articles there are and the span of their dates; or, when the
        embedding model cannot read the question's script (rag/script.py), that instead."""
        articles = list(self.search.articles.values())
        if missing_period:
            text = (f"None of the articles I have is dated {missing_period}, so I cannot say what happened then. "
                    f"I have {len(articles)} articles ({describe_span(articles)}).")
            return turn.answer(text, refused=True, mode="refused", refusal="no_period")
        if note := script_note(turn.question, reading_model(self.settings)):  # the model could not read it
            return turn.answer(note, refused=True, mode="refused", refusal="other_script")
        text = refusal_text(self.settings.prompts_dir, turn.question, len(articles), describe_span(articles))
        return turn.answer(text, refused=True, mode="refused", refusal="not_said")

    def _article_text(self) -> Callable[[str], str]:
        """An article's whole text by id, each read once per question."""
        texts: dict[str, str] = {}

        def article_text(article_id: str) -> str:
            if article_id not in texts:
                texts[article_id] = self.search.article_text(article_id)
            return texts[article_id]

        return article_text

    def _writes_only_when_unsure(self) -> bool:
        """``NEWSBOT_LLM_ANSWERS``: whether the LLM is asked only when the articles' sentence is not enough.

        Why "auto" is "unsure" with the packaged SmolLM2-135M: on the sample questions its verified
        answers passed less often than the verbatim sentence led by the asked item, and each costs
        seconds of CPU; a model of the user's own (Ollama, another GGUF) always writes, so a strong
        model's answers are never thrown away."""
        mode = self.settings.llm_answers
        if mode == "auto":  # a chat model handed in (a test's, a user's) is one of their own
            return self._llm is None and self.settings.llm == "llamacpp" and self.settings.llm_model_path is None
        return mode == "unsure"

    def _picked(self, turn: Turn) -> list[tuple[int, str]]:
        """The best sentences of the passages for the question (:func:`pick_sentences`), chosen once per turn;
        when none states the asked item, those of the retrieved articles' other sentences if one does
        (:func:`rag.extractive.deeper_sentences`)."""
        if turn.picked is None:
            turn.picked = pick_sentences(turn.standalone, turn.vector, turn.chunks, self.embeddings, turn.intent,
                                         article_text=turn.article_text, asked=turn.asked, said=turn.said)
            if (turn.asked.factoid or turn.asked.kind == "yesno") \
                    and not (turn.picked and _states_the_asked(turn, *turn.picked[0])):
                # no retrieved sentence states the asked item (or settles the yes/no question): the rest of the
                # retrieved articles may, or a sentence of the best one's story a little less like the question
                # (pick_sentences' states)
                states = lambda i, sentence: _states_the_asked(turn, i, sentence)  # noqa: E731
                wider = pick_sentences(turn.standalone, turn.vector, turn.chunks, self.embeddings, turn.intent,
                                       article_text=turn.article_text, asked=turn.asked, said=turn.said, wide=True,
                                       states=states)
                if wider and _states_the_asked(turn, *wider[0]):
                    turn.picked = wider
        return turn.picked

    def _extractive(self, turn: Turn, sure_only: bool = False) -> Answer | None:
        """Verbatim sentences, the first led by the asked item in words; a refusal if none answers.
        ``sure_only``: ``None`` unless the best sentence states what is asked (:func:`_states_the_asked`)."""
        chunks = turn.chunks
        picked = self._picked(turn)
        if sure_only and not (picked and _states_the_asked(turn, *picked[0])):
            return None
        parts, citations = [], []
        for n, (i, sentence) in enumerate(picked, start=1):
            c = chunks[i - 1]
            if n == 1:
                lead, sentence = self._lead(turn, c, sentence)  # it may quote more than the sentence
                parts.append(lead)
            else:
                parts.append(f"{lead_in(c)[0].upper() + lead_in(c)[1:]}, also: {quoted(sentence)} [{n}].")
            citations.append(Citation.of(n, c, sentence))
        if not parts:
            turn.trace.refuse("no verified sentence, and no sentence of the passages answers it")
            return self._refusal(turn)
        return turn.answer(" ".join(parts), citations=citations, mode="extractive")

    @staticmethod
    def _lead(turn: Turn, c: RetrievedChunk, sentence: str) -> tuple[str, str]:
        """The extractive answer's first sentence, and the passage it quotes (``sentence``, or for "why" the
        sentence and the next one that gives the reason): the asked item in words when the sentence names one;
        for a yes/no question the sentence settles, "Yes —"/"No —" and the sentence; for "latest", "as of" the
        newest article's date and its sentence; otherwise who says it, and the quote."""
        question, asked = turn.standalone, turn.asked
        passage = passage_context(c, turn.article_text)
        found = lead_items(sentence, asked, question, outlet_names(turn.chunks), passage) \
            if asked.factoid or asked.kind == "why" else []
        if found:  # "which regions": all the regions the sentence lists with the first; for "which rapper", the
            # rappers a sentence names together ("Dr. Dre, Snoop Dogg and Kendrick Lamar will headline") are its answer
            item = coordinated(sentence, found[0], found)
            if asked.kind == "place" and item == found[0]:
                item = located(sentence, item, found)  # "the G20 in South Africa": where, both
                item = named_in_full(item, question, [passage_context(x, turn.article_text) for x in turn.chunks])
            if asked.kind == "person" and item == found[0]:
                item = titled(item, sentence, question)  # "Justice Ketanji Brown Jackson" for "which justice"
            return lead_sentence(item, c, sentence, 1), sentence
        # the clause that answers, in words, before its quote (for "why", a reason clause only)
        span = answer_span(question, sentence, asked) if asked.kind == "why" else None
        if asked.kind == "why" and not span and (more := reason_after(sentence, c, turn.article_text)):
            follow, both = more  # the event, then why: the article's next sentence, quoted with it
            return lead_sentence(follow.rstrip("."), c, both, 1), both
        settled = verdict(condense_mod.asked_part(question), sentence, asked) if asked.kind == "yesno" else None
        if settled:
            return stated(f"{settled} —", c, sentence, 1, passage=passage), sentence
        newest = max((x.date for x in turn.chunks if x.date and x.date_source != "estimate"), default=None)
        if turn.intent.recent and c.date == newest and c.date_source != "estimate":  # only the newest evidence is "latest"
            return stated(f"As of {c.date_label},", c, sentence, 1, dated=False, passage=passage), sentence
        if described := characterization(question, sentence):  # "how did … describe": the quoted words
            return lead_sentence(f"as {described}", c, sentence, 1), sentence
        if asked.kind != "why":
            span = answer_span(question, sentence, asked)
        span = span or reported(sentence, passage)  # or a speaker's "we …" as what they said
        return lead_sentence(span.rstrip(".") if span else None, c, sentence, 1), sentence

    def _timeline(self, turn: Turn) -> Answer:
        """A dated timeline for questions across articles: one cited point per relevant article, oldest first."""
        points = timeline(turn.standalone, turn.vector, turn.chunks, self.embeddings, turn.intent,
                          article_text=turn.article_text, asked=turn.asked)
        if not points:
            turn.trace.refuse("no dated passage makes a point of the timeline")
            return self._refusal(turn)
        cited = [(n, turn.chunks[i - 1], sentence) for n, (i, sentence) in enumerate(points, start=1)]
        return turn.answer(" ".join(timeline_point(c, sentence, n) for n, c, sentence in cited),
                           citations=[Citation.of(n, c, sentence) for n, c, sentence in cited], mode="timeline")

    def _premise_answer(self, turn: Turn, i: int, sentence: str) -> Answer:
        """The question's premise is contradicted by the passage that reports its event: say so, and
        state what the passage says instead (the sentence, in words, cited; a quoted speaker's own
        "we" is what the speaker said, or stays in quotation marks, see :func:`stated`)."""
        c = turn.chunks[i - 1]
        instead = stated("What they report instead —", c, sentence, 1, passage=passage_context(c, turn.article_text))
        text = f"The articles do not support that premise. {instead}"
        return turn.answer(text, citations=[Citation.of(1, c, sentence)], mode="premise")
