"""kill -9 in the middle of an index run: the previous index stays usable, the next run completes it.

The run is the real `newsbot index` command in a child process; a failpoint sends it SIGKILL at a
chosen step (before/after the Chroma write, after a manifest commit, before the keyword save).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from index.reader import IndexReader
from index.layout import Layout
from index.manifest import Manifest
from tests.conftest import SAMPLE_DIR, VENV_BIN, make_settings
from tests.helpers.invariants import check_index, chroma_ids


def newsbot(settings, *args, failpoint=None):
    env = {**os.environ, "NEWSBOT_DATA_DIR": str(settings.data_dir), "NEWSBOT_EMBEDDING_MODEL": settings.embedding_model,
           "NEWSBOT_INDEX_BATCH_CHUNKS": "64"}  # several batches, so a kill can land between commits
    if failpoint:
        env["NEWSBOT_FAILPOINT"] = failpoint
    return subprocess.run([str(VENV_BIN / "newsbot"), *args], env=env, capture_output=True, text=True, timeout=300)


def grow_corpus(folder, n):
    """n extra articles made from the sample's sentences, each distinct."""
    base = [p.read_text() for p in sorted(SAMPLE_DIR.glob("*.txt"))]
    for i in range(n):
        body = base[i % len(base)].split("\n", 1)[1]
        (folder / f"gen_{i:03d}.txt").write_text(
            f"Generated report number {i} on embassies\n\nThis is generated report number {i} about embassies.\n{body}"
        )


def assert_usable(settings):
    """What a reader needs after a crash: a current generation whose live chunks are all in Chroma."""
    gen = Layout(settings.data_dir, settings.collection).current()
    m = Manifest(gen.manifest_path, readonly=True)
    try:
        live = m.chunk_ids()
        articles = m.count("articles")
    finally:
        m.close()
    assert live <= set(chroma_ids(settings, gen.collection)), "a live chunk is missing from Chroma"
    assert len(IndexReader(settings).sources()) == articles
    return articles


@pytest.mark.parametrize("point", ["before_chroma_add", "after_chroma_add", "after_commit:2", "before_keyword_save"])
def test_kill_during_incremental_run(tmp_path, corpus, point):
    settings = make_settings(tmp_path / "store")
    assert newsbot(settings, "index", str(corpus)).returncode == 0
    before = check_index(settings)
    grow_corpus(corpus, 40)
    killed = newsbot(settings, "index", str(corpus), failpoint=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    n = assert_usable(settings)
    assert before["articles"] <= n <= before["articles"] + 40
    done = newsbot(settings, "index", str(corpus), "--json")
    assert done.returncode == 0, done.stderr
    counts = check_index(settings)
    assert counts["articles"] == 45
    again = newsbot(settings, "index", str(corpus), "--json")
    assert '"added": 0, "updated": 0, "unchanged": 45' in again.stdout


@pytest.mark.parametrize("point", ["after_chroma_add", "after_commit", "before_keyword_save"])
def test_kill_during_rebuild_keeps_the_old_index(tmp_path, corpus, point):
    settings = make_settings(tmp_path / "store")
    newsbot(settings, "index", str(corpus))
    before = check_index(settings)
    old = Layout(settings.data_dir, settings.collection).current()
    killed = newsbot(settings, "index", str(corpus), "--rebuild", failpoint=point)
    assert killed.returncode == -signal.SIGKILL
    assert Layout(settings.data_dir, settings.collection).current() == old
    assert check_index(settings) == before  # the old generation is whole
    assert newsbot(settings, "index", str(corpus), "--rebuild").returncode == 0
    assert check_index(settings) == before
    gens = Layout(settings.data_dir, settings.collection).generations()
    assert len(gens) == 1, "the killed rebuild's generation was not collected"
