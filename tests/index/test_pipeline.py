"""Index runs on a real embedded Chroma with the hashing embedder: incremental behaviour and invariants."""

from __future__ import annotations

import os
import shutil

import pytest

from index import EmbeddingMismatchError, IndexBusyError, Indexer, UsageError
from index.reader import IndexReader
from index.layout import Layout
from tests.conftest import make_settings
from tests.helpers.invariants import check_index


def run(settings, *paths, **kw):
    return Indexer(settings).run([str(p) for p in paths], **kw)


def test_first_run_adds_the_sample_and_second_run_is_a_no_op(settings, corpus):
    first = run(settings, corpus)
    assert (first.added, first.updated, first.unchanged, first.removed, first.duplicates) == (5, 0, 0, 0, 0)
    assert first.skipped == []
    counts = check_index(settings)
    assert counts["articles"] == first.articles == 5
    assert counts["chunks"] == first.chunks > 5
    sources = IndexReader(settings).sources()
    exact = sorted(s["date"] for s in sources if s["date"] and s["date_source"] != "estimate")
    assert exact == ["2021-03-30", "2021-10-12", "2022-11-28"]
    assert sorted(s["date_source"] or "" for s in sources) == ["", "dateline", "dateline", "dateline", "estimate"]
    assert {s["outlet"] for s in sources} == {"CNN", "Sputnik", "TASS", "Reuters", None}
    again = run(settings, corpus)
    assert (again.added, again.updated, again.unchanged, again.removed) == (0, 0, 5, 0)
    assert check_index(settings) == counts


def test_paths_may_be_path_objects(settings, corpus):
    """The Python API takes ``pathlib.Path`` as well as strings (a Path crashed deep in URL parsing)."""
    report = Indexer(settings).run([corpus])
    assert report.added == 5
    with pytest.raises(UsageError, match="path does not exist"):
        Indexer(settings).run([corpus / "no-such-folder"])


def test_change_delete_readd(settings, corpus):
    run(settings, corpus)
    before = check_index(settings)
    target = next(corpus.glob("003_*.txt"))
    original = target.read_text()
    target.write_text(original.replace("300 Russian diplomats", "310 Russian diplomats"))
    r = run(settings, corpus)
    assert (r.added, r.updated, r.unchanged) == (0, 1, 4)
    check_index(settings)
    texts = [c for c in _chunk_texts(settings) if "Russian diplomats from the United States" in c]
    assert texts and all("310" in t for t in texts), "old chunks of the changed article survived"

    target.unlink()
    r = run(settings, corpus)
    assert (r.removed, r.articles) == (1, 4)
    assert check_index(settings)["chunks"] < before["chunks"]

    target.write_text(original)
    r = run(settings, corpus)
    assert (r.added, r.articles) == (1, 5)
    assert check_index(settings) == before


def test_touching_a_file_without_changing_it_is_unchanged(settings, corpus):
    run(settings, corpus)
    for f in corpus.iterdir():
        os.utime(f, None)
    r = run(settings, corpus)
    assert (r.unchanged, r.updated, r.added) == (5, 0, 0)


def test_same_text_under_a_second_name_is_a_duplicate_stored_once(settings, corpus):
    run(settings, corpus)
    original = next(corpus.glob("000_*.txt"))
    copy = corpus / "sub" / "copy of cnn.txt"
    copy.parent.mkdir()
    shutil.copy(original, copy)
    r = run(settings, corpus)
    assert (r.added, r.duplicates, r.articles) == (0, 1, 5)
    assert r.duplicate_of[str(copy)] == str(original)
    check_index(settings)
    assert run(settings, corpus).unchanged == 6
    original.unlink()  # the article lives on through its second name
    r = run(settings, corpus)
    assert (r.removed, r.articles) == (1, 5)
    check_index(settings)


def test_files_outside_the_indexed_folder_are_kept(settings, corpus, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "extra.txt").write_text("Extra headline here\n\nThe embassy in Moscow reopened its consular section on Monday, officials said.")
    run(settings, corpus, other / "extra.txt")
    r = run(settings, corpus)  # only the corpus this time: extra.txt is not "removed"
    assert (r.removed, r.articles) == (0, 6)


def test_rebuild_starts_a_new_generation(settings, corpus):
    run(settings, corpus)
    layout = Layout(settings.data_dir, settings.collection)
    old = layout.current()
    r = run(settings, corpus, rebuild=True)
    assert (r.added, r.articles) == (5, 5)
    new = layout.current()
    assert new != old and not old.dir.exists()
    check_index(settings)


def test_changing_chunk_settings_rechunks_everything(settings, corpus):
    run(settings, corpus)
    n = check_index(settings)["chunks"]
    smaller = make_settings(settings.data_dir, chunk_size=300, chunk_overlap=50)
    r = run(smaller, corpus)
    assert (r.updated, r.unchanged) == (5, 0)
    assert check_index(smaller)["chunks"] > n


def test_other_embedding_model_needs_rebuild(settings, corpus):
    run(settings, corpus)
    other = make_settings(settings.data_dir, embedding_model="hash-128")
    with pytest.raises(EmbeddingMismatchError, match="newsbot index --rebuild"):
        run(other, corpus)
    r = run(other, corpus, rebuild=True)
    assert r.added == 5
    check_index(other)


def test_second_run_at_once_gets_a_clear_message(settings, corpus):
    lock = Layout(settings.data_dir, settings.collection).lock(0)
    try:
        with pytest.raises(IndexBusyError, match="Another `newsbot index` run"):
            run(settings, corpus)
    finally:
        lock.release()


def test_missing_path_is_a_usage_error(settings, tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        run(settings, tmp_path / "nope")


def test_stale_keyword_index_is_rebuilt(settings, corpus):
    run(settings, corpus)
    shutil.rmtree(Layout(settings.data_dir, settings.collection).current().keyword_dir)
    run(settings, corpus)
    check_index(settings)


def _chunk_texts(settings):
    from index.manifest import Manifest

    m = Manifest(Layout(settings.data_dir, settings.collection).current().manifest_path, readonly=True)
    try:
        return [c["text"] for c in m.chunks()]
    finally:
        m.close()


def test_chunks_a_killed_run_left_in_chroma_are_deleted_by_the_next_run(settings, corpus):
    """What a run killed between "record intent" and "commit" left behind (test_kill.py does it with
    real kills, slowly): the next run deletes the orphan chunks and clears the pending log."""
    from index.manifest import Manifest
    from index.store import make_client

    run(settings, corpus)
    gen = Layout(settings.data_dir, settings.collection).current()
    manifest = Manifest(gen.manifest_path)
    try:
        manifest.record_intent(["orphan-1"], "add")
    finally:
        manifest.close()
    collection = make_client(settings.chroma_url, settings.data_dir).get_collection(gen.collection)
    live = collection.get(include=["embeddings"], limit=1)
    collection.add(ids=["orphan-1"], embeddings=[list(live["embeddings"][0])], documents=["left behind"])
    r = run(settings, corpus)
    assert (r.added, r.updated, r.unchanged) == (0, 0, 5)
    check_index(settings)  # no pending intents, and Chroma holds exactly the manifest's chunks


def test_a_no_op_run_rewrites_no_keyword_index(settings, corpus):
    run(settings, corpus)
    keyword_dir = Layout(settings.data_dir, settings.collection).current().keyword_dir
    before = {p.name: p.stat().st_mtime_ns for p in keyword_dir.iterdir()}
    assert run(settings, corpus).unchanged == 5
    assert {p.name: p.stat().st_mtime_ns for p in keyword_dir.iterdir()} == before
