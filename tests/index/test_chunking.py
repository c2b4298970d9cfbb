"""Sentence-aware chunks with overlap and exact offsets."""

from __future__ import annotations

import pytest

from index.chunking import chunk_article, split_sentences
from index.models import Article
from tests.index.test_clean import sample


def make_article(text: str) -> Article:
    return Article(id="a1", path="s", title="T", outlet="O", date="2021-01-02", url=None, author=None, text=text, content_hash="h")


def test_sentences_respect_abbreviations_and_quotes():
    text = 'Talks with the U.S. Under Secretary went well. "There is a risk," he said. Mr. Lavrov agreed.\n\nNew paragraph here.'
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["Talks with the U.S. Under Secretary went well.", '"There is a risk," he said.', "Mr. Lavrov agreed.", "New paragraph here."]


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
@pytest.mark.parametrize("size, overlap", [(300, 0), (600, 150), (1200, 300)])
def test_chunks_are_exact_slices_on_sentence_boundaries(name, size, overlap):
    article = sample(name)
    chunks = chunk_article(article, size, overlap, "fp")
    spans = split_sentences(article.text)
    sentence_starts = {s for s, _ in spans}
    sentence_ends = {e for _, e in spans}
    long_sentences = [(s, e) for s, e in spans if e - s > size]
    for c in chunks:
        assert article.text[c.start:c.end] == c.text
        assert len(c.text) <= size
        if not any(s <= c.start < e or s < c.end <= e for s, e in long_sentences):
            assert c.start in sentence_starts and c.end in sentence_ends
        assert c.embed_text.startswith(c.header) and article.title in c.header
    # every sentence is in some chunk
    covered = set()
    for c in chunks:
        covered |= set(range(c.start, c.end))
    assert all(i in covered for i, ch in enumerate(article.text) if not ch.isspace())
    assert len({c.id for c in chunks}) == len(chunks)


def test_overlap_repeats_whole_sentences():
    text = " ".join(f"Sentence number {i} is about the embassy talks." for i in range(30))
    chunks = chunk_article(make_article(text), 200, 60, "")
    assert len(chunks) > 3
    for a, b in zip(chunks, chunks[1:]):
        assert b.start < a.end, "no overlap"
        assert a.end - b.start <= 60
        assert b.start > a.start, "no progress"


def test_header_says_what_and_when():
    chunks = chunk_article(make_article("One sentence here. Another one there."), 600, 100, "")
    assert chunks[0].header == "T | O | 2021-01-02"
    undated = Article(id="b", path="s", title="T", outlet=None, date=None, url=None, author=None, text="A sentence here.", content_hash="h")
    assert chunk_article(undated, 600, 100)[0].header == "T | undated"


def test_a_sentence_longer_than_a_chunk_is_split_at_spaces():
    text = " ".join(["word"] * 500) + "."
    chunks = chunk_article(make_article(text), 300, 0, "")
    assert all(len(c.text) <= 300 for c in chunks)
    assert " ".join(c.text for c in chunks) == text
