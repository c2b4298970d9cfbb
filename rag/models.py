"""What answering returns: an :class:`Answer` with numbered :class:`Citation` s, and the ranked
:class:`RetrievedChunk` s it was built from."""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.trace import Trace


@dataclass(frozen=True)
class RetrievedChunk:
    """A chunk as retrieval ranked it, with the article metadata a prompt and a citation need."""

    id: str
    article_id: str
    text: str
    title: str
    outlet: str | None
    date: str | None
    url: str | None
    path: str
    start: int
    end: int
    score: float = 0.0
    date_source: str | None = None
    dense: float | None = None
    keyword: float | None = None

    @classmethod
    def from_row(cls, row: dict, **scores) -> RetrievedChunk:
        """A chunk of the index's read side (``SearchIndex.chunks``: the chunk joined with its article),
        with the scores retrieval gave it (``score``, ``dense``, ``keyword``)."""
        return cls(id=row["id"], article_id=row["article_id"], text=row["text"], title=row["title"], outlet=row["outlet"],
                   date=row["date"], date_source=row["date_source"], url=row["url"], path=row["path"],
                   start=row["start"], end=row["end"], **scores)

    @property
    def metadata(self) -> dict:
        return {"title": self.title, "outlet": self.outlet, "date": self.date, "url": self.url, "path": self.path,
                "article_id": self.article_id, "chunk_id": self.id, "start": self.start, "end": self.end}

    @property
    def date_label(self) -> str:
        """"30 March 2021", "not before 2022" (an estimated date) or "undated"."""
        from index.dates import date_label

        return date_label(self.date, self.date_source)


@dataclass(frozen=True)
class Citation:
    """Source ``[n]`` of an answer: which article, when, and the verbatim passage that supports it."""

    n: int
    title: str
    outlet: str | None
    date: str | None
    url: str | None
    quote: str
    article_id: str
    chunk_id: str
    path: str = ""
    date_source: str | None = None

    @classmethod
    def of(cls, n: int, chunk: RetrievedChunk, quote: str) -> Citation:
        """Source ``[n]``: ``chunk``'s article, quoted by ``quote`` (verbatim from the article)."""
        return cls(n=n, title=chunk.title, outlet=chunk.outlet, date=chunk.date, date_source=chunk.date_source, url=chunk.url,
                   quote=quote, article_id=chunk.article_id, chunk_id=chunk.id, path=chunk.path)

    @property
    def date_label(self) -> str:
        from index.dates import date_label

        return date_label(self.date, self.date_source)

    def to_dict(self) -> dict:
        return {"n": self.n, "title": self.title, "outlet": self.outlet, "date": self.date, "date_source": self.date_source,
                "date_label": self.date_label, "url": self.url, "quote": self.quote, "article_id": self.article_id,
                "chunk_id": self.chunk_id}


@dataclass
class Answer:
    """The answer to one question.

    ``text`` cites sources as ``[n]``; every ``n`` is in ``citations``. ``refused`` is true when the
    articles do not contain the answer, and then there are no citations. ``mode`` says how the text
    was made: ``generated`` (the LLM's sentences that passed verification), ``extractive`` (quotes
    chosen when the LLM's answer did not pass) or ``refused``. ``refusal`` says why a refusal refused
    (``not_said``, ``no_period``, ``other_script``; empty otherwise), so a front end can word it in its
    user's language (bot/render.py) without parsing the text.
    """

    text: str
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    question: str = ""
    standalone_question: str = ""
    mode: str = "generated"
    timings: dict[str, float] = field(default_factory=dict)
    refusal: str = ""
    trace: Trace | None = field(default=None, repr=False, compare=False)
    """How it was decided: retrieval, the gate, verification's drops (:mod:`rag.trace`)."""

    def to_dict(self) -> dict:
        return {"answer": self.text, "refused": self.refused, "citations": [c.to_dict() for c in self.citations],
                "mode": self.mode, "standalone_question": self.standalone_question,
                "timings": {k: round(v, 4) for k, v in self.timings.items()}}

    def sources_text(self) -> str:
        """The numbered source list as plain text, for terminals and logs."""
        lines = []
        for c in self.citations:
            outlet = f", {c.outlet}" if c.outlet else ""
            url = f" {c.url}" if c.url else ""
            lines.append(f"[{c.n}] {c.title}{outlet}, {c.date_label}{url}\n    “{c.quote}”")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text if not self.citations else f"{self.text}\n\n{self.sources_text()}"


