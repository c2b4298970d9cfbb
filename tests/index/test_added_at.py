"""When each article was first indexed (``added_at``): kept across re-reads and rebuilds, and an older
manifest without the column is migrated without inventing times for what it already holds."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from index import Indexer
from index.layout import Layout
from index.manifest import Manifest
from tests.helpers.invariants import check_index


def added(settings) -> dict[str, str | None]:
    """Title → added_at, read the way readers read (read-only)."""
    manifest = Manifest(Layout(settings.data_dir, settings.collection).current().manifest_path, readonly=True)
    try:
        return {a["title"]: a["added_at"] for a in manifest.articles()}
    finally:
        manifest.close()


def test_first_index_run_stamps_every_article_and_later_runs_keep_the_stamp(settings, corpus):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    Indexer(settings).run([str(corpus)])
    first = added(settings)
    assert len(first) == 5
    for stamp in first.values():
        assert before <= datetime.fromisoformat(stamp) <= datetime.now(timezone.utc)
    Indexer(settings).run([str(corpus)], rebuild=True)  # every article is written again, into a new generation
    assert added(settings) == first
    check_index(settings)


def test_a_changed_article_is_new_and_the_others_keep_their_time(settings, corpus):
    Indexer(settings).run([str(corpus)])
    first = added(settings)
    path = sorted(corpus.iterdir())[2]
    path.write_text(path.read_text(encoding="utf-8") + "\n\nA new closing paragraph about the talks in Moscow.\n", encoding="utf-8")
    with sqlite3.connect(Layout(settings.data_dir, settings.collection).current().manifest_path) as db:
        db.execute("UPDATE articles SET added_at='2000-01-01T00:00:00+00:00'")  # so "later" is visible at 1 s resolution
    Indexer(settings).run([str(corpus)])
    now = added(settings)
    assert sorted(t for t in now.values() if t == "2000-01-01T00:00:00+00:00") == ["2000-01-01T00:00:00+00:00"] * 4
    changed = [t for t in now.values() if t != "2000-01-01T00:00:00+00:00"]
    assert len(changed) == 1 and changed[0] >= max(first.values())


def test_a_manifest_from_before_added_at_is_migrated_and_its_articles_count_as_old(settings, corpus, tmp_path):
    Indexer(settings).run([str(corpus)])
    path = Layout(settings.data_dir, settings.collection).current().manifest_path
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE articles DROP COLUMN added_at")  # as an older release wrote it
    old = Manifest(path, readonly=True)
    try:
        assert old.added_times() == {} and all(a["added_at"] is None for a in old.articles())
    finally:
        old.close()
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "new.txt").write_text("Consulate reopens in Vladivostok\n\nThe US consulate in Vladivostok "
                                   "reopened on Monday after four years, the embassy said.\n", encoding="utf-8")
    Indexer(settings).run([str(corpus), str(extra)])
    stamps = added(settings)
    assert stamps.pop("Consulate reopens in Vladivostok") is not None
    assert list(stamps.values()) == [None] * 5
    check_index(settings)
