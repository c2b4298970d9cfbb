"""The news-domain records that flow through indexing: what was read, what was kept, what was skipped."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class RawDocument:
    """Text as it came off the disk or the network, decoded, before any cleaning.

    ``hints`` carries metadata a loader already knows (an HTML page's title or date, a URL).
    """

    path: str  # the file path, or the URL it was fetched from
    text: str
    kind: str  # "txt", "md" or "html" (a PDF's text layer is "txt")
    hints: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Article:
    """One cleaned news article with the metadata a careful reader sees in it.

    ``text`` is the cleaned body: chunk offsets and citation quotes refer to it, so it never
    changes once stored. ``content_hash`` identifies the text (two files with the same text are
    one article) and is the basis of the article id.
    """

    id: str
    path: str  # the file path or URL it was read from (``url`` is the article's own, canonical address)
    title: str
    outlet: str | None
    date: str | None
    url: str | None
    author: str | None
    text: str
    content_hash: str
    date_source: str | None = None  # user, meta, feed, dateline, url or estimate (index/dates.py); for an estimate, date is a lower bound
    date_updated: str | None = None


@dataclass(frozen=True)
class Chunk:
    """A passage of an article, cut on sentence boundaries.

    ``text`` is exactly ``article.text[start:end]``; ``embed_text`` adds a short header (title,
    outlet, date) so the embedding knows what and when the passage is about.
    """

    id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str
    header: str

    @property
    def embed_text(self) -> str:
        return f"{self.header}\n\n{self.text}"


@dataclass(frozen=True)
class Skipped:
    """An input that was not indexed, and why: nothing vanishes silently."""

    path: str
    reason: str


@dataclass
class IndexReport:
    """What one index run did, in the shape `newsbot index --json` prints."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    duplicates: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    articles: int = 0
    chunks: int = 0
    seconds: float = 0.0
    duplicate_of: dict[str, str] = field(default_factory=dict)
    metadata_changed: list[dict] = field(default_factory=list)  # an upgrade's changes: {"path", "changes": {field: [old, new]}}
    new_articles: dict[str, str] = field(default_factory=dict)  # path or URL → id of the article this run added
    updated_articles: dict[str, str] = field(default_factory=dict)  # path or URL → id of its new article

    def to_dict(self) -> dict:
        return asdict(self)
