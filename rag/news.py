"""What's new: the newest articles, a digest of what was added lately, and topic alerts.

News arrives on its own (feeds, links sent to the bot), so people ask "what's new" and follow
topics. This is the read side of that, for every front end (the bot's /latest, /digest and alerts,
``newsbot digest``). Every sentence shown is a verbatim sentence of its article, picked by the
extractive machinery (:func:`rag.extractive.score_sentences`) and cited like an answer's source, so
a digest or an alert never says more than an article does.

Two thresholds, both cosine similarities of the index's embeddings, both settings (their
calibration on the sample corpus is in README "In Telegram"): ``story_min_similarity`` groups
articles on the same story, ``alert_min_similarity`` says an article is about a followed topic.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

from core.settings import Settings
from index.dates import date_label
from rag.answer_types import AskedFor
from rag.extractive import score_sentences
from rag.models import Citation, RetrievedChunk
from rag.retrieval import TimeIntent
from rag.verify import all_terms, content_terms

_UNITS = {"m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_SPAN = re.compile(r"(\d+)\s*(min|m|h|d|w)", re.I)
MAX_SPAN = timedelta(days=366)
LEAD_CHUNKS = 2
"""A story's sentence is looked for in its article's first chunks: the lead, where news says what happened."""
_lock = threading.Lock()  # one reader of the shared search index at a time (the bot calls from threads)


def parse_since(text: str) -> timedelta:
    """"24h", "7d", "90m", "2w", "1d12h" → a timedelta; anything else is a ``ValueError`` that says what to write."""
    raw = (text or "").strip().lower().replace(" ", "")
    parts = _SPAN.findall(raw)
    if not raw or "".join(n + u for n, u in parts) != raw:
        raise ValueError(f"Cannot read {text!r} as a time span: write a number and a unit, e.g. 24h, 7d, 90m or 2w.")
    span = timedelta(seconds=sum(int(n) * _UNITS[u] for n, u in parts))
    if not timedelta(0) < span <= MAX_SPAN:
        raise ValueError(f"{text!r} is out of range: the span must be more than 0 and at most {MAX_SPAN.days} days.")
    return span


@dataclass(frozen=True)
class NewsItem:
    """One article as a "what's new" list shows it: when it is dated, what it is, who published it, where."""

    id: str
    title: str
    outlet: str | None
    date: str | None
    date_source: str | None
    url: str | None
    path: str
    added_at: str | None  # when it was first indexed (UTC ISO 8601); None: before the index kept that

    @property
    def date_label(self) -> str:
        """"30 March 2021", "not before 2022" for an estimate (never shown as a day), or "undated"."""
        return date_label(self.date, self.date_source)

    def to_dict(self) -> dict:
        return {**asdict(self), "date_label": self.date_label}


@dataclass(frozen=True)
class Story:
    """Articles on one story (newest first) and one cited sentence of the first of them."""

    articles: list[NewsItem]
    sentence: str
    citation: Citation

    def to_dict(self) -> dict:
        return {"articles": [a.to_dict() for a in self.articles], "sentence": self.sentence, "citation": self.citation.to_dict()}


@dataclass(frozen=True)
class Digest:
    """What was indexed since ``start`` (``since`` ago), grouped by story, the newest story first."""

    since: str
    start: str
    stories: list[Story] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return sum(len(s.articles) for s in self.stories)

    def __str__(self) -> str:
        """The digest as plain text, for terminals: one numbered story per paragraph, then its source."""
        if not self.stories:
            return f"Nothing was added in the last {self.since}."
        lines = [f"{self.articles} article{'s' if self.articles != 1 else ''} added in the last {self.since}, "
                 f"{len(self.stories)} stor{'ies' if len(self.stories) != 1 else 'y'}:"]
        for n, story in enumerate(self.stories, start=1):
            lead = story.articles[0]
            lines.append(f"\n{n}. {lead.title} ({lead.outlet or 'unknown outlet'}, {lead.date_label})")
            lines += [f"   also: {a.title} ({a.outlet or 'unknown outlet'}, {a.date_label})" for a in story.articles[1:]]
            lines.append(f"   “{story.sentence}” [{n}]")
            lines.append(f"   [{n}] {lead.url or lead.path}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"since": self.since, "start": self.start, "articles": self.articles, "stories": [s.to_dict() for s in self.stories]}


@dataclass(frozen=True)
class Alert:
    """A newly indexed article about a followed topic, with the sentence of it that speaks of the topic."""

    topic: str
    article: NewsItem
    sentence: str
    citation: Citation
    relevance: float  # best cosine similarity of the topic to one of the article's chunks

    def to_dict(self) -> dict:
        return {"topic": self.topic, "article": self.article.to_dict(), "sentence": self.sentence,
                "citation": self.citation.to_dict(), "relevance": round(self.relevance, 4)}


def items_by_path(paths: list[str], settings: Settings | None = None) -> dict[str, NewsItem]:
    """The indexed articles behind ``paths`` (files or URLs as they were indexed): what a front end
    reports after indexing them. A path that is not indexed is left out."""
    wanted = set(paths)
    return {i.path: i for i in _items(_settings(settings)) if i.path in wanted}


def latest(n: int = 5, settings: Settings | None = None) -> list[NewsItem]:
    """The ``n`` newest articles by their date (exact dates before estimates on the same day, undated
    last; ties: the most recently indexed first). Reads the manifest only: no model, no vector store.

    Args:
        n: how many (at least 1).
        settings: whose index; default: the one :func:`rag.ask` reads.
    """
    return _newest_first(_items(_settings(settings)))[:max(1, n)]


def digest(since: str = "24h", settings: Settings | None = None, *, assistant=None, now: datetime | None = None) -> Digest:
    """The articles indexed in the last ``since`` ("24h", "7d"), grouped by story, each story with one
    cited sentence: the lead sentence of its newest article that best says what its headline says.

    Two articles are one story when their leads (the text of their first chunks, without the
    headline/outlet/date header, which makes every report of one outlet look alike) are at least
    ``settings.story_min_similarity`` alike; an article joins the first story whose first article it
    is that alike to, so a story does not drift by chaining.

    Args:
        since: how far back, as :func:`parse_since` reads it (a ``ValueError`` names the fix).
        settings: whose index; default: the one :func:`rag.ask` reads.
        assistant: the :class:`rag.Assistant` whose embedder and index to use (the bot passes its own).
        now: the end of the window (tests); default: now.
    """
    span = parse_since(since)
    assistant = _assistant(settings, assistant)
    end = now or datetime.now(timezone.utc)
    start = end - span
    with _lock:
        search = assistant.search
        search.refresh()
        fresh = [a for a in _items(assistant.settings) if a.added_at and start <= datetime.fromisoformat(a.added_at) <= end]
        fresh = _newest_first(fresh)
        chunks = _chunks_by_article(search, {a.id for a in fresh})
        fresh = [a for a in fresh if chunks.get(a.id)]
        leads = dict(zip([a.id for a in fresh], assistant.embeddings.embed_documents([chunks[a.id][0]["text"] for a in fresh])))
        groups: list[list[NewsItem]] = []
        for item in fresh:
            home = next((g for g in groups if _cosine(leads[item.id], leads[g[0].id]) >= assistant.settings.story_min_similarity), None)
            if home is None:
                groups.append([item])
            else:
                home.append(item)
        stories = []
        for group in groups:
            lead = group[0]
            picked = _best_sentence(assistant, lead.title, chunks.get(lead.id, [])[:LEAD_CHUNKS], exclude=lead.title)
            if picked is not None:
                stories.append(Story(group, picked[0], picked[1]))
    return Digest(since=since, start=start.isoformat(timespec="seconds"), stories=stories)


def alerts_for(topic: str, article_ids: list[str], settings: Settings | None = None, *, assistant=None) -> list[Alert]:
    """The newly indexed articles (``article_ids``) that are about ``topic``, each with the verbatim
    sentence of it that best speaks of the topic.

    An article matches when both hold: every word of the topic appears in it (its names: "Antonov",
    "embassy closures"; plural and "Russia"/"Russian" forms count), and one of its chunks is at least
    ``settings.alert_min_similarity`` alike to the topic. The first keeps a similar but different story
    out; the second keeps out an article that mentions the name only in passing.

    Args:
        topic: what a person follows, in plain words.
        article_ids: ids of articles just indexed (a refresh report's); unknown ids are passed over.
        settings: whose index; default: the one :func:`rag.ask` reads.
        assistant: the :class:`rag.Assistant` whose embedder and index to use (the bot passes its own).
    """
    names = topic_names(topic)
    if not names or not article_ids:
        return []
    assistant = _assistant(settings, assistant)
    out = []
    with _lock:
        search = assistant.search
        search.refresh()
        items = {a.id: a for a in _items(assistant.settings) if a.id in set(article_ids)}
        chunks = _chunks_by_article(search, set(items))
        candidates = [i for i in dict.fromkeys(article_ids)
                      if i in items and mentions(search.article_text(i) + "\n" + items[i].title, names)]
        if not candidates:
            return []
        t_vector = assistant.embeddings.embed_query(topic)
        vectors = search.vectors([c["id"] for i in candidates for c in chunks.get(i, [])])
        for article_id in candidates:
            relevance = max((_cosine(t_vector, vectors[c["id"]]) for c in chunks[article_id] if c["id"] in vectors), default=0.0)
            if relevance < assistant.settings.alert_min_similarity:
                continue
            picked = _best_sentence(assistant, topic, chunks[article_id], vector=t_vector, names=names)
            if picked is not None:
                out.append(Alert(topic, items[article_id], picked[0], picked[1], relevance))
    return out


def topic_names(topic: str) -> set[str]:
    """The words of a topic an article must contain: its content words, normalised ("embassies" → "embassy")."""
    return content_terms(topic)


def mentions(text: str, names: set[str]) -> bool:
    """Whether ``text`` has every one of ``names``; a name also matches a longer word it starts
    ("russia" in "Russian", four letters at least), so adjective and noun forms both count."""
    words = all_terms(text)
    return all(name in words or (len(name) >= 4 and any(w.startswith(name) for w in words)) for name in names)


def _best_sentence(assistant, about: str, chunk_rows: list[dict], vector=None, names: set[str] | None = None,
                   exclude: str = "") -> tuple[str, Citation] | None:
    """The article sentence that best speaks of ``about`` (with ``names``: one that mentions them, if
    any does), as (sentence, citation); checked to be verbatim in the article before it is returned."""
    if not chunk_rows:
        return None
    chunks = [RetrievedChunk.from_row(r) for r in chunk_rows]
    vector = vector if vector is not None else assistant.embeddings.embed_query(about)
    text = assistant.search.article_text(chunks[0].article_id)
    scored = score_sentences(about, vector, chunks, assistant.embeddings, TimeIntent(),
                             article_text=assistant.search.article_text, asked=AskedFor("other"))
    scored = [s for s in scored if s[2].strip() != exclude.strip() and s[2] in text]
    if names:
        scored = [s for s in scored if mentions(s[2], names)] or scored
    if not scored:
        return None
    _, i, sentence = scored[0]
    return sentence, Citation.of(1, chunks[i - 1], sentence)


def _chunks_by_article(search, article_ids: set[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for row in search.chunks.values():
        if row["article_id"] in article_ids:
            out[row["article_id"]].append(row)
    for rows in out.values():
        rows.sort(key=lambda r: r["idx"])
    return out


def _items(settings: Settings) -> list[NewsItem]:
    from index.reader import IndexReader

    manifest = IndexReader(settings).open_manifest()
    if manifest is None:
        return []
    try:
        return [NewsItem(id=a["id"], title=a["title"], outlet=a["outlet"], date=a["date"], date_source=a["date_source"],
                         url=a["url"], path=a["path"], added_at=a["added_at"]) for a in manifest.articles()]
    finally:
        manifest.close()


def _newest_first(items: list[NewsItem]) -> list[NewsItem]:
    """Newest date first (ISO dates sort as text; undated, "", last), an exact date before an estimate
    of the same day, then the most recently indexed first."""
    return sorted(items, key=lambda i: (i.date or "", i.date_source != "estimate", i.added_at or ""), reverse=True)


def _cosine(a, b) -> float:
    if a is None or b is None:
        return -1.0
    dot = sum(x * y for x, y in zip(a, b))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _settings(settings: Settings | None) -> Settings:
    if settings is not None:
        return settings
    from rag import default_assistant

    return default_assistant().settings


def _assistant(settings: Settings | None, assistant):
    if assistant is not None:
        return assistant
    from rag import Assistant, default_assistant

    return default_assistant() if settings is None else Assistant(settings)


__all__ = ["Alert", "Digest", "NewsItem", "Story", "alerts_for", "digest", "items_by_path", "latest", "mentions", "parse_since",
           "topic_names"]
