"""What's new on the sample corpus: latest, digest (window, stories, cited sentences) and topic alerts."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from core.settings import REPO_ROOT
from index import Indexer
from index.layout import Layout
from rag import Assistant, alerts_for, digest, latest, parse_since
from rag.news import mentions, topic_names
from tests.conftest import make_settings

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "news"


@pytest.mark.parametrize(("text", "span"), [
    ("24h", timedelta(hours=24)), ("7d", timedelta(days=7)), ("90m", timedelta(minutes=90)), ("2w", timedelta(weeks=2)),
    ("1d12h", timedelta(hours=36)), (" 30 min ", timedelta(minutes=30)), ("24H", timedelta(hours=24)),
])
def test_parse_since_reads_spans(text, span):
    assert parse_since(text) == span


@pytest.mark.parametrize("text", ["", "abc", "24", "h", "0h", "-5h", "400d", "24h and more", "1.5d"])
def test_parse_since_says_what_to_write(text):
    with pytest.raises(ValueError, match=r"24h|out of range"):
        parse_since(text)


def article_text(settings, article_id: str) -> str:
    from index.manifest import Manifest

    m = Manifest(Layout(settings.data_dir, settings.collection).current().manifest_path, readonly=True)
    try:
        return m.article(article_id)["text"]
    finally:
        m.close()


def test_latest_is_newest_first_with_estimates_as_years_and_undated_last(indexed):
    items = latest(10, indexed)
    assert [(i.date, i.date_label) for i in items] == [
        ("2022-11-28", "28 November 2022"), ("2022-01-01", "not before 2022"), ("2021-10-12", "12 October 2021"),
        ("2021-03-30", "30 March 2021"), (None, "undated")]
    assert items[0].outlet == "Sputnik" and items[0].url.startswith("https://sputniknews.com/")
    assert [i.title for i in latest(2, indexed)] == [i.title for i in items[:2]]
    assert len(latest(0, indexed)) == 1


def test_latest_of_an_empty_index_is_empty(settings):
    assert latest(5, settings) == []


def set_added(settings, when: str, titles: list[str] | None = None) -> None:
    with sqlite3.connect(Layout(settings.data_dir, settings.collection).current().manifest_path) as db:
        if titles is None:
            db.execute("UPDATE articles SET added_at=?", (when,))
        for title in titles or []:
            db.execute("UPDATE articles SET added_at=? WHERE title=?", (when, title))


def test_digest_lists_what_was_added_in_the_window_each_story_with_a_verbatim_cited_sentence(indexed):
    long_ago = (datetime.now(timezone.utc) - timedelta(days=3)).isoformat(timespec="seconds")
    set_added(indexed, long_ago)
    set_added(indexed, datetime.now(timezone.utc).isoformat(timespec="seconds"),
              ["Russia vs U.S: Embassy Rows Unresolved Amidst Diplomatic Stand-Off", "Vedomosti: Russia, US unlikely to reboot dialogue"])
    assistant = Assistant(indexed)
    day = digest("24h", indexed, assistant=assistant)
    assert sorted(a.title for s in day.stories for a in s.articles) == [
        "Russia vs U.S: Embassy Rows Unresolved Amidst Diplomatic Stand-Off", "Vedomosti: Russia, US unlikely to reboot dialogue"]
    assert day.articles == 2 and day.since == "24h"
    for story in day.stories:
        lead = story.articles[0]
        assert story.sentence in article_text(indexed, lead.id) and story.sentence != lead.title
        assert (story.citation.article_id, story.citation.quote, story.citation.title) == (lead.id, story.sentence, lead.title)
    assert day.stories[0].articles[0].date == "2021-10-12"  # the newest story first
    week = digest("7d", indexed, assistant=assistant)
    assert week.articles == 5
    assert digest("1h", indexed, assistant=assistant, now=datetime.now(timezone.utc) - timedelta(days=2)).articles == 0
    assert week.to_dict()["stories"][0]["citation"]["quote"] == week.stories[0].sentence


def test_articles_indexed_before_added_times_were_kept_are_never_in_a_digest(indexed):
    with sqlite3.connect(Layout(indexed.data_dir, indexed.collection).current().manifest_path) as db:
        db.execute("UPDATE articles SET added_at=NULL")
    assert digest("7d", indexed, assistant=Assistant(indexed)).stories == []


def test_near_duplicates_are_one_story_distinct_stories_are_not(tmp_path):
    """With the hashing embedder, a threshold set for it: the grouping rule itself (the calibrated
    MiniLM threshold is checked in test_news_calibration.py)."""
    corpus = tmp_path / "a"
    corpus.mkdir()
    shutil.copy(REPO_ROOT / "data" / "articles" / "003_7218430c0bada338.txt", corpus)
    text = (corpus / "003_7218430c0bada338.txt").read_text(encoding="utf-8")
    syndicated = text.replace("Russia vs U.S: Embassy Rows Unresolved Amidst Diplomatic Stand-Off", "Embassy row unresolved after Moscow talks")
    (corpus / "syndicated.txt").write_text(syndicated + "\n\nAdditional reporting by our Moscow bureau.\n", encoding="utf-8")
    shutil.copy(FIXTURES / "heatwave.txt", corpus)
    s = make_settings(tmp_path / "store", story_min_similarity=0.8)
    Indexer(s).run([str(corpus)])
    stories = digest("1h", s, assistant=Assistant(s)).stories
    assert sorted(len(st.articles) for st in stories) == [1, 2]
    pair = next(st for st in stories if len(st.articles) == 2)
    assert {a.title for a in pair.articles} == {"Embassy row unresolved after Moscow talks",
                                                "Russia vs U.S: Embassy Rows Unresolved Amidst Diplomatic Stand-Off"}


def test_topic_names_must_all_be_in_the_article(indexed):
    # the topic's content words as the index's tokenizer reads them (core.language): plural and singular alike
    assert topic_names("the embassies of Russia") == topic_names("Russia embassy") and len(topic_names("Russia embassy")) == 2
    assert mentions("Russian diplomats left the embassy.", topic_names("Russia embassies"))
    assert not mentions("Russian diplomats left.", topic_names("Russia embassies"))
    assert not mentions("The Rus said so.", {"russia"}) and not mentions("A US envoy.", {"usa"})


def test_alerts_for_picks_matching_new_articles_with_a_sentence_about_the_topic(indexed):
    assistant = Assistant(indexed.model_copy(update={"alert_min_similarity": 0.0}))
    ids = [i.id for i in latest(10, indexed)]
    alerts = alerts_for("Ryabkov", ids + ["no-such-article"], assistant=assistant)
    assert [a.article.title for a in alerts] == ["Russia vs U.S: Embassy Rows Unresolved Amidst Diplomatic Stand-Off"]
    alert = alerts[0]
    assert "Ryabkov" in alert.sentence and alert.sentence in article_text(indexed, alert.article.id)
    assert (alert.citation.quote, alert.citation.article_id, alert.citation.outlet) == (alert.sentence, alert.article.id, "Reuters")
    assert alert.article.date_label == "12 October 2021" and -1 <= alert.relevance <= 1
    assert alerts_for("football transfers", ids, assistant=assistant) == []
    assert alerts_for("Ryabkov", [], assistant=assistant) == [] and alerts_for("the", ids, assistant=assistant) == []
    strict = Assistant(indexed.model_copy(update={"alert_min_similarity": 0.99}))
    assert alerts_for("Ryabkov", ids, assistant=strict) == []  # the names are there, the relevance is not
