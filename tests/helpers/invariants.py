"""Invariants of a finished index, checked after every add / change / delete / re-add.

In the spirit of Chroma's property tests: plain functions that compare the three stores (manifest,
Chroma, keyword index) and fail with a message that says which promise broke.
"""

from __future__ import annotations

from collections import Counter

from core.settings import Settings
from index.keyword import KeywordIndex
from index.layout import Layout
from index.manifest import Manifest
from index.store import make_client


def chroma_ids(settings: Settings, collection: str) -> list[str]:
    client = make_client(settings.chroma_url, settings.data_dir)
    return list(client.get_collection(collection).get(include=[])["ids"])


def check_index(settings: Settings) -> dict:
    """Assert every invariant; return counts (articles, chunks, sources) for further checks."""
    gen = Layout(settings.data_dir, settings.collection).current()
    assert gen is not None, "no current generation"
    manifest = Manifest(gen.manifest_path, readonly=True)
    try:
        assert manifest.pending() == {}, f"pending intents left: {manifest.pending()}"
        chunks = manifest.chunks()
        live = [c["id"] for c in chunks]
        assert len(live) == len(set(live)), "duplicate chunk ids in manifest"
        in_chroma = chroma_ids(settings, gen.collection)
        assert len(in_chroma) == len(set(in_chroma)), "duplicate ids in Chroma"
        assert set(in_chroma) == set(live), (
            f"Chroma and manifest differ: only in Chroma {sorted(set(in_chroma) - set(live))[:5]}, "
            f"only in manifest {sorted(set(live) - set(in_chroma))[:5]}"
        )
        positions = Counter((c["article_id"], c["idx"]) for c in chunks)
        assert max(positions.values(), default=1) == 1, "two chunks at one position of an article"
        articles = {a["id"]: manifest.article(a["id"]) for a in manifest.articles()}
        for c in chunks:
            article = articles.get(c["article_id"])
            assert article is not None, f"chunk {c['id']} of a missing article"
            assert article["text"][c["start"]:c["end"]] == c["text"], f"chunk {c['id']} offsets are wrong"
        sources = manifest.sources()
        referenced = {s.article_id for s in sources.values()}
        assert referenced == set(articles), "articles without sources, or sources without articles"
        keyword = KeywordIndex.load(gen.keyword_dir)
        assert keyword is not None, "no keyword index"
        assert keyword.revision == manifest.revision, "keyword index is stale"
        assert sorted(keyword.ids) == sorted(live), "keyword index ids differ from the manifest"
        return {"articles": len(articles), "chunks": len(live), "sources": len(sources)}
    finally:
        manifest.close()
