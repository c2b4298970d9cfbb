"""Faults and odd inputs around indexing: big files, many files, files that change, damaged stores,
the store changing under a reader, a Chroma server that goes away."""

from __future__ import annotations

import threading
import time

import pytest

from index import Indexer, StoreError
from index.layout import Layout
from rag import Assistant
from tests.conftest import make_settings
from tests.helpers.invariants import check_index

GOOD = "A headline about the embassy\n\nThe embassy in Moscow reopened its consular section on Monday, officials said.\n"


def test_fifty_megabyte_file_is_skipped_with_its_size(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "huge.txt").write_text(GOOD * (50 * 1024 * 1024 // len(GOOD) + 1))
    (d / "ok.txt").write_text(GOOD)
    r = Indexer(make_settings(tmp_path / "s")).run([str(d)])
    assert r.added == 1 and r.skipped[0].reason.startswith("too large (52.")


def test_two_thousand_tiny_files(tmp_path):
    d = tmp_path / "tiny"
    d.mkdir()
    for i in range(2000):
        (d / f"{i:04d}.txt").write_text(f"Note {i} on talks\n\nOfficials {i} met in Vienna on Monday to discuss embassy staff number {i}.\n")
    s = make_settings(tmp_path / "s")
    t = time.perf_counter()
    r = Indexer(s).run([str(d)])
    assert (r.added, r.skipped) == (2000, [])
    assert check_index(s)["articles"] == 2000
    again = Indexer(s).run([str(d)])
    assert again.unchanged == 2000
    print(f"2000 files: first run {time.perf_counter() - t:.1f} s, no-op {again.seconds:.2f} s")


def test_file_that_changes_while_being_indexed(tmp_path, monkeypatch):
    import index.pipeline as pipeline

    d = tmp_path / "docs"
    d.mkdir()
    f = d / "live.txt"
    f.write_text(GOOD)
    real = pipeline.read_file

    def read_while_writing(found, max_bytes):
        f.write_text(GOOD + "\nA late paragraph was added while the indexer was reading the file, officials said.\n")
        return real(found, max_bytes)

    s = make_settings(tmp_path / "s")
    monkeypatch.setattr(pipeline, "read_file", read_while_writing)
    Indexer(s).run([str(d)])
    monkeypatch.setattr(pipeline, "read_file", real)
    r = Indexer(s).run([str(d)])  # the stat seen before the write is stale: it is read again
    assert r.added == 0 and r.unchanged + r.updated == 1
    check_index(s)
    a = Assistant(s).retrieve("late paragraph added while reading")
    assert "late paragraph" in a[0].text


def test_answering_while_an_index_run_changes_the_store(tmp_path, corpus, llm):
    s = make_settings(tmp_path / "s", refusal_min_similarity=0.0)
    Indexer(s).run([str(corpus)])
    assistant = Assistant(s, llm=llm.script("A congressional proposal would expel 300 Russian diplomats [1]."))
    errors, answers, stop = [], [], threading.Event()

    def ask_loop():
        while not stop.is_set():
            try:
                answers.append(assistant.ask("How many Russian diplomats did a US congressional proposal want to expel?"))
            except Exception as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

    t = threading.Thread(target=ask_loop)
    t.start()
    try:
        for i in range(5):
            (corpus / f"extra_{i}.txt").write_text(GOOD.replace("Monday", f"day {i}"))
            target = next(corpus.glob("003_*.txt"))
            target.write_text(target.read_text().replace("300", str(300 + i + 1)) if i < 4 else target.read_text())
            Indexer(s).run([str(corpus)])
        deadline = time.monotonic() + 60  # a loaded machine may fit fewer answers in the runs: a few more after
        while len(answers) < 3 and not errors and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        t.join(60)
    assert errors == [] and len(answers) >= 3
    check_index(s)


def test_damaged_store_names_the_fix(tmp_path, corpus, llm):
    s = make_settings(tmp_path / "s")
    Indexer(s).run([str(corpus)])
    gen = Layout(s.data_dir, s.collection).current()
    gen.manifest_path.write_bytes(b"this is not a database" * 100)
    for wal in gen.dir.glob("manifest.sqlite3-*"):
        wal.unlink()
    with pytest.raises(StoreError, match="newsbot index --rebuild"):
        Assistant(s, llm=llm).ask("Who is the ambassador?")
    with pytest.raises(StoreError, match="newsbot index --rebuild"):
        Indexer(s).run([str(corpus)])
    assert Indexer(s).run([str(corpus)], rebuild=True).articles == 5
    check_index(s)


def test_store_from_another_embedding_model_names_the_fix(tmp_path, corpus, llm):
    s = make_settings(tmp_path / "s")
    Indexer(s).run([str(corpus)])
    other = make_settings(tmp_path / "s", embedding_model="hash-64")
    with pytest.raises(StoreError, match="newsbot index --rebuild"):
        Assistant(other, llm=llm).ask("Who is the ambassador?")
    assert not llm.called


@pytest.mark.slow
def test_chroma_server_stopped_and_restarted_under_the_assistant(tmp_path, corpus, chroma_server, llm):
    s = make_settings(tmp_path / "state", chroma_url=chroma_server.url, refusal_min_similarity=0.0)
    Indexer(s).run([str(corpus)])
    assistant = Assistant(s, llm=llm.script("A congressional proposal would expel 300 Russian diplomats [1]."))
    q = "How many Russian diplomats did a US congressional proposal want to expel?"
    assert "300" in assistant.ask(q).text
    chroma_server.stop()
    cached = assistant.ask(q)  # an answer already given for this index revision needs no store
    assert "300" in cached.text and cached.timings.get("cached") == 1.0
    with pytest.raises(StoreError, match="chroma run"):
        assistant.ask("Which Russian diplomats did the United States expel?")
    chroma_server.start()
    again = assistant.ask("How many Russian diplomats would the US congressional proposal expel?")  # not cached
    assert "300" in again.text and not again.timings.get("cached")  # the same assistant reconnected by itself
