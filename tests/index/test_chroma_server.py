"""Client/server mode: the same index runs against a real `chroma run` on a loopback port."""

from __future__ import annotations

import pytest

from index import Indexer, StoreError
from index.reader import IndexReader
from tests.conftest import make_settings
from tests.helpers.invariants import check_index


@pytest.mark.slow
def test_index_into_a_chroma_server(tmp_path, corpus, chroma_server):
    settings = make_settings(tmp_path / "state", chroma_url=chroma_server.url)
    r = Indexer(settings).run([str(corpus)])
    assert (r.added, r.articles) == (5, 5)
    counts = check_index(settings)
    assert not (settings.data_dir / "chroma").exists(), "embedded store used in server mode"
    next(corpus.glob("002_*.txt")).unlink()
    assert Indexer(settings).run([str(corpus)]).removed == 1
    assert check_index(settings)["articles"] == counts["articles"] - 1
    assert len(IndexReader(settings).sources()) == 4

    # the server survives a restart with its data; while it is down, a run with nothing to write
    # still succeeds (it never needs Chroma), one that must write says what to do
    chroma_server.stop()
    assert Indexer(settings).run([str(corpus)]).unchanged == 4
    (corpus / "new.txt").write_text("Consulate news today\n\nThe consulate in Yekaterinburg will reopen in May, the embassy said.")
    with pytest.raises(StoreError, match="chroma run"):
        Indexer(settings).run([str(corpus)])
    chroma_server.start()
    r = Indexer(settings).run([str(corpus)])
    assert (r.added, r.unchanged) == (1, 4)
    check_index(settings)


def test_bad_chroma_url_is_a_clear_error(tmp_path, corpus):
    settings = make_settings(tmp_path / "state", chroma_url="localhost:8000")
    with pytest.raises(StoreError, match="http://HOST:PORT"):
        Indexer(settings).run([str(corpus)])
