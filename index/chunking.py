"""Cut an article into overlapping passages on sentence boundaries, keeping exact offsets.

Why our own splitter: quotes must be verifiable later, so every chunk is an exact slice
``article.text[start:end]``; splitters that rebuild text from tokens lose that. Sentences come from
:func:`core.language.split_sentences` (the one splitter, also used to read answers and questions)
and are only split when one alone is longer than a chunk.
"""

from __future__ import annotations

from core.language import split_sentences, strip_span
from index.dates import date_label
from index.models import Article, Chunk


def _split_long(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    """Break one over-long sentence at spaces so no piece exceeds ``size`` characters."""
    pieces = []
    while end - start > size:
        cut = text.rfind(" ", start, start + size)
        if cut <= start:
            cut = start + size
        pieces.append(strip_span(text, start, cut))
        start = cut
    pieces.append(strip_span(text, start, end))
    return [p for p in pieces if p[1] > p[0]]


def chunk_header(article: Article) -> str:
    """The line embedded with every chunk: what the passage is from, and when."""
    parts = [article.title]
    if article.outlet:
        parts.append(article.outlet)
    if article.date_source == "estimate":
        parts.append(date_label(article.date, article.date_source))  # "not before 2022": never an exact day
    else:
        parts.append(article.date or "undated")
    return " | ".join(parts)


def chunk_article(article: Article, size: int, overlap: int, fingerprint: str = "") -> list[Chunk]:
    """Group sentences into chunks of about ``size`` characters, the next chunk starting with
    whole sentences worth up to ``overlap`` characters from the end of the previous one.

    Args:
        article: the cleaned article.
        size: target chunk length in characters.
        overlap: characters of trailing sentences repeated at the start of the next chunk.
        fingerprint: a short code of the settings that shaped the chunks; it is part of each chunk
            id, so chunks cut with other settings never collide with these.
    """
    text = article.text
    sentences: list[tuple[int, int]] = []
    for s, e in split_sentences(text):
        sentences.extend(_split_long(text, s, e, size) if e - s > size else [(s, e)])
    header = chunk_header(article)
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        j = i
        while j + 1 < len(sentences) and sentences[j + 1][1] - sentences[i][0] <= size:
            j += 1
        start, end = sentences[i][0], sentences[j][1]
        n = len(chunks)
        chunks.append(
            Chunk(
                id=f"{article.id}-{fingerprint}-{n:04d}" if fingerprint else f"{article.id}-{n:04d}",
                article_id=article.id,
                index=n,
                start=start,
                end=end,
                text=text[start:end],
                header=header,
            )
        )
        if j + 1 >= len(sentences):
            break
        nxt = j + 1
        while nxt - 1 > i and sentences[j][1] - sentences[nxt - 1][0] <= overlap:
            nxt -= 1
        i = nxt
    return chunks
