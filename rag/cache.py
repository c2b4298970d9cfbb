"""The answer cache: the same standalone question, on the same index, with the same answering settings,
is answered once.

Why: answering costs seconds of LLM time on a shared CPU, and readers ask the same things ("Who is the
new ambassador?") from many chats. The answer is a function of three things only, and the key is made
of exactly them:

- the **standalone question** (a follow-up is keyed by its rewrite, so "When did he leave?" after a
  question about Antonov and "When did Antonov leave Washington?" share an answer), normalised only
  in ways that cannot change an answer (Unicode NFKC, runs of spaces): case and the question mark are
  kept, because the gate and the question classifier read them;
- the **index revision** (``SearchIndex.revision``: the generation and the manifest revision, which every
  rebuild, incremental run, feed refresh and upload moves on), so an index change invalidates by never
  matching again: no cross-process signalling is needed, and stale rows are swept on the next write;
- a digest of the **answering settings**: the LLM and its sampling, the embedder, the retrieval knobs, the
  prompt files' contents, and the day (a "latest" answer says how old the newest article is).

The value is the whole :class:`~rag.models.Answer` (text, citations with their quotes, mode, refused and
why), not its trace: a hit gets a trace of its own, which says it came from the cache (``timings["cached"]``).
The memory tier is an LRU bounded by ``answer_cache_size``; ``NEWSBOT_ANSWER_CACHE=disk`` adds a SQLite
file under ``data_dir`` behind it (standard library ``sqlite3``: one file, safe across the bot and the CLI,
nothing to install), so answers survive a restart.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
import unicodedata
from collections import OrderedDict
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

from core.settings import Settings
from rag.models import Answer, Citation

log = logging.getLogger(__name__)

FORMAT = 1
"""Bumped when the stored form of an answer or the key changes, so an old disk cache just misses."""
ANSWERING_SETTINGS = (
    "llm", "llm_model_path", "llm_answers", "llm_context", "llm_max_tokens", "llm_temperature", "ollama_model",
    "embeddings", "embedding_model", "ollama_embedding_model", "retrieval_k", "retrieval_candidates",
    "retrieval_hybrid", "max_chunks_per_article", "refusal_min_similarity", "recent_days", "collection", "data_dir",
)
"""The settings an answer depends on (given its standalone question and the index). ``condense_with_llm``
and ``history_turns`` are not among them: they shape the standalone question, which is the key itself."""
FILE_NAME = "answer_cache.sqlite3"


def normalise(question: str) -> str:
    """The form of a standalone question the key uses: NFKC, whitespace collapsed. Case and punctuation
    stay (the gate reads capitalised names, the classifier reads the question mark)."""
    return " ".join(unicodedata.normalize("NFKC", question).split())


def settings_digest(settings: Settings, llm=None) -> str:
    """A digest of everything besides the question and the index that the answer depends on.

    ``llm`` is a chat model passed to the assistant instead of the configured one: its class and model
    name stand in for the backend settings, since answers from another model are other answers.
    """
    from rag.prompts import load_prompts

    parts = {name: str(getattr(settings, name)) for name in ANSWERING_SETTINGS}
    parts["prompts"] = load_prompts(settings.prompts_dir)
    parts["day"] = date.today().isoformat()
    parts["format"] = FORMAT
    if llm is not None:
        parts["llm_object"] = [type(llm).__qualname__,
                               str(getattr(llm, "model", None) or getattr(llm, "model_path", None) or "")]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def cache_key(standalone: str, revision: str | None, digest: str) -> str:
    """The key of one answer: the normalised standalone question, the index revision, the settings digest."""
    return hashlib.sha256(json.dumps([normalise(standalone), revision or "", digest]).encode()).hexdigest()


def _dump(answer: Answer) -> str:
    return json.dumps({"text": answer.text, "citations": [asdict(c) for c in answer.citations], "refused": answer.refused,
                       "standalone_question": answer.standalone_question, "mode": answer.mode, "refusal": answer.refusal})


def _load(data: str) -> Answer:
    d = json.loads(data)
    return Answer(d["text"], citations=[Citation(**c) for c in d["citations"]], refused=d["refused"],
                  standalone_question=d["standalone_question"], mode=d["mode"], refusal=d.get("refusal", ""))


class AnswerCache:
    """Answers by key: an LRU in memory, optionally backed by SQLite under ``data_dir``. Thread-safe.

    ``hits`` and ``misses`` count lookups (the soak and the bench report them).
    """

    def __init__(self, size: int, path: Path | None = None) -> None:
        self.size = size
        self.path = path
        self._memory: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0

    @classmethod
    def for_settings(cls, settings: Settings) -> AnswerCache | None:
        """The cache ``NEWSBOT_ANSWER_CACHE`` asks for; ``None`` when it is off."""
        if settings.answer_cache == "off":
            return None
        return cls(settings.answer_cache_size, settings.data_dir / FILE_NAME if settings.answer_cache == "disk" else None)

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL,"
                             " revision TEXT NOT NULL, used REAL NOT NULL)")
        return self._db

    def get(self, key: str, question: str) -> Answer | None:
        """A copy of the answer stored under ``key``, as an answer to ``question`` (the user's own words),
        or ``None``. A broken disk cache is a miss, never an error: answering goes on without it."""
        with self._lock:
            found = self._memory.get(key)
            if found is not None:
                self._memory.move_to_end(key)
            elif self.path is not None:
                found = self._disk_get(key)
                if found is not None:
                    self._remember(key, found)
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
        return replace(found, question=question, citations=list(found.citations), timings={}, trace=None)

    def put(self, key: str, answer: Answer, revision: str | None) -> None:
        """Remember ``answer`` under ``key`` (a copy: the caller may go on changing its own)."""
        stored = replace(answer, citations=list(answer.citations), timings={}, trace=None)
        with self._lock:
            self._remember(key, stored)
            if self.path is not None:
                self._disk_put(key, stored, revision or "")

    def _remember(self, key: str, answer: Answer) -> None:
        self._memory[key] = answer
        self._memory.move_to_end(key)
        while len(self._memory) > self.size:
            self._memory.popitem(last=False)

    def _disk_get(self, key: str) -> Answer | None:
        try:
            db = self._connection()
            row = db.execute("SELECT answer FROM answers WHERE key=?", (key,)).fetchone()
            if row is None:
                return None
            with db:
                db.execute("UPDATE answers SET used=? WHERE key=?", (time.time(), key))
            return _load(row[0])
        except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
            log.warning("answer cache %s unreadable (%s): answering without it", self.path, exc)
            return None

    def _disk_put(self, key: str, answer: Answer, revision: str) -> None:
        """Write the answer; sweep answers of other index revisions (they can never match again) and the
        least recently used beyond ``size``."""
        try:
            db = self._connection()
            with db:
                db.execute("INSERT OR REPLACE INTO answers(key, answer, revision, used) VALUES(?, ?, ?, ?)",
                           (key, _dump(answer), revision, time.time()))
                db.execute("DELETE FROM answers WHERE revision != ?", (revision,))
                db.execute("DELETE FROM answers WHERE key NOT IN (SELECT key FROM answers ORDER BY used DESC LIMIT ?)",
                           (self.size,))
        except sqlite3.Error as exc:
            log.warning("answer cache %s not written (%s): answering goes on without it", self.path, exc)

    def clear(self) -> None:
        """Forget every answer (memory and disk) and the counts: a benchmark's warm-up must not count."""
        with self._lock:
            self._memory.clear()
            self.hits = self.misses = 0
            if self.path is not None:
                try:
                    with self._connection() as db:
                        db.execute("DELETE FROM answers")
                except sqlite3.Error as exc:
                    log.warning("answer cache %s not cleared (%s)", self.path, exc)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
