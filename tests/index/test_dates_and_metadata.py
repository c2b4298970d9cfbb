"""Real articles read right: dates in order of trust, titles, outlets and clean text.

Text files and HTML pages are written here the way real web news is saved; the URL cases are
served from a loopback HTTP server and go through the real fetcher and trafilatura.
"""

from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from index import Indexer
from index.clean import clean_document
from index.dates import date_label, dateline, dates_in, estimate, from_datelines, from_url
from index.metadata import outlet_from_url, registered_domain
from index.models import RawDocument
from index.reader import IndexReader
from tests.conftest import make_settings

BODY = ("The city council voted on Tuesday to expand the bus network to the northern suburbs, officials said.\n\n"
        "The plan adds twelve routes and will cost about 40 million dollars over three years.\n\n"
        "Opponents said the money would be better spent on repairing the roads that buses already use.")


def article(text: str, source: str = "a.txt", kind: str = "txt", hints=None):
    return clean_document(RawDocument(path=source, text=text, kind=kind, hints=hints or {}))


# --- datelines in the forms newsrooms write them ---------------------------------------------
@pytest.mark.parametrize(
    "line, published, updated",
    [
        ("Dec. 17, 2025 Updated Dec. 18, 2025, 10:37 a.m. ET", "2025-12-17", "2025-12-18"),
        ("Published 5:02 p.m. ET Oct. 3, 2025", "2025-10-03", None),
        ("Published 5:02 p.m. ET Oct. 3, 2025 | Updated 7:15 a.m. ET Oct. 4, 2025", "2025-10-03", "2025-10-04"),
        ("Sept. 12, 2024", "2024-09-12", None),
        ("Tuesday, July 21, 2020", "2020-07-21", None),
        ("THURSDAY, MAY 19, 2016", "2016-05-19", None),
        ("17 December 2025, 09:14 GMT", "2025-12-17", None),
        ("2024-09-12T10:00:00Z", "2024-09-12", None),
        ("By Jane Doe, USA TODAY Published 5:02 p.m. ET Oct. 3, 2025", "2025-10-03", None),
        ("Updated Dec. 18, 2025", "2025-12-18", None),
    ],
)
def test_dateline_forms(line, published, updated):
    found = from_datelines([line])
    assert found is not None and (found.date, found.how, found.updated) == (published, "dateline", updated)


@pytest.mark.parametrize(
    "line",
    ["The talks on March 3, 2020 took place in a hall and went on for hours.",
     "Juneteenth was signed into law as a national holiday by President Joe Biden on June 17, 2021.",
     "May 24 from 8-9:15 p.m.", "Maye 3, 2024", "The 2024 season opens soon"],
)
def test_a_sentence_or_a_partial_date_is_not_a_dateline(line):
    assert dateline(line) == []


def test_hours_ago_is_read_against_the_page_date_and_never_alone():
    assert [f.iso for f in dates_in("5 hours ago", base=date(2025, 12, 17))] == ["2025-12-17"]  # from noon that day
    assert [f.iso for f in dates_in("Posted 2 days ago", base=date(2025, 12, 17))] == ["2025-12-15"]
    assert dates_in("5 hours ago") == []  # no page date: "ago" means nothing


def test_dateline_with_url_base_reads_relative_time():
    text = ("Storm closes schools across the county\n\nhttps://news.example.com/2025/12/17/storm-schools/\n\n"
            "3 days ago\n\n" + BODY)
    a = article(text)
    assert (a.date, a.date_source) == ("2025-12-14", "dateline")


def test_url_date_via_htmldate_and_no_day_from_a_year_and_month():
    assert from_url("https://www.usatoday.com/story/news/politics/2025/12/17/vote/123/") == "2025-12-17"
    assert from_url("https://edition.cnn.com/2024/09/12/world/x/index.html") == "2024-09-12"
    assert from_url("https://example.com/2024/09/talks") is None
    assert from_url("https://theweek.co.uk/news/politics/955448/penny") is None


def test_the_dateline_outranks_the_url_and_both_are_consumed():
    text = ("Council expands bus network\n\nhttps://www.usatoday.com/story/news/2025/12/17/bus/1/\n\n"
            "Dec. 17, 2025 Updated Dec. 18, 2025, 10:37 a.m. ET\n\n" + BODY)
    a = article(text)
    assert (a.date, a.date_source, a.date_updated) == ("2025-12-17", "dateline", "2025-12-18")
    assert "Updated" not in a.text and "2025" not in a.text
    assert a.url.startswith("https://www.usatoday.com/")


def test_url_date_when_no_dateline():
    a = article("Council expands bus network\n\nhttps://www.usatoday.com/story/news/2025/12/17/bus/1/\n\n" + BODY)
    assert (a.date, a.date_source) == ("2025-12-17", "url")


def test_htmldate_fallback_is_not_an_exact_date():
    """htmldate's extensive search would call this page 2025-01-01; we do not run it, and the year
    in the body only bounds the date."""
    text = "Council expands bus network\n\n" + BODY + "\n\nThe first routes open in March 2025, the council said."
    a = article(text)
    assert a.date_source == "estimate" and a.date == "2025-01-01"
    assert date_label(a.date, a.date_source) == "not before 2025"


def test_estimate_skips_plans_and_future_years_and_refines_to_a_named_day():
    guess = estimate("Talks resumed on Feb. 27, 2025 in Istanbul. The treaty runs until 2031; by 2030 both sides plan cuts.",
                     today=date(2026, 1, 1))
    assert (guess.date, guess.how) == ("2025-02-27", "estimate")
    assert date_label(guess.date, guess.how) == "not before 27 February 2025"
    assert estimate("No year is named here at all.") is None


def test_user_front_matter_wins_over_everything():
    text = ("---\ndate: March 3, 2024\noutlet: The Local Ledger\n---\nCouncil expands bus network\n\n"
            "https://www.usatoday.com/story/news/2025/12/17/bus/1/\n\nDec. 17, 2025\n\n" + BODY)
    a = article(text)
    assert (a.date, a.date_source, a.outlet) == ("2024-03-03", "user", "The Local Ledger")
    assert "Dec. 17" not in a.text and "---" not in a.text


# --- titles and outlets ------------------------------------------------------------------------
def test_a_stray_number_line_is_not_the_title():
    a = article("0343\n\nCouncil expands bus network\n\nhttps://www.usatoday.com/story/news/2025/12/17/bus/1/\n\n" + BODY)
    assert a.title == "Council expands bus network"


@pytest.mark.parametrize("first", ["By Jane Doe", "Dec. 17, 2025", "Photo: Jane Doe/USA TODAY", "10:37 a.m. ET"])
def test_title_is_never_a_byline_date_or_credit(first):
    a = article(f"{first}\n\nCouncil expands bus network\n\n" + BODY)
    assert a.title == "Council expands bus network"


def test_one_word_headline_on_the_first_line_is_kept():
    assert article("GONE\n\nhttps://www.usatoday.com/story/news/2016/12/29/gone/1/\n\n" + BODY).title == "GONE"


def test_outlet_from_known_domain_site_suffix_and_registered_domain():
    assert outlet_from_url("https://www.usatoday.com/story/x") == "USA TODAY"
    assert outlet_from_url("https://college.usatoday.com/x") == "USA TODAY"
    assert registered_domain("https://news.example.co.uk/a/b") == "example.co.uk"
    assert outlet_from_url("https://news.example.co.uk/a/b") == "example.co.uk"
    a = article("Will the Tube flood again? | The Week\n\nhttps://theweek.co.uk/news/953610/tube\n\n" + BODY)
    assert (a.title, a.outlet) == ("Will the Tube flood again?", "The Week")
    a = article("Floods hit the capital | City Herald\n\nhttps://www.cityherald.example/2024/09/12/floods/\n\n" + BODY)
    assert a.outlet == "City Herald"


def test_a_credit_line_is_never_the_outlet_and_is_not_text():
    text = ("FEMA press conference: Officials attended by reporters, Photo: Jane Doe/AP\n\n"
            "Storm recovery begins\n\nhttps://www.usatoday.com/story/news/2024/10/01/storm/1/\n\n"
            "FEMA press conference attended by the governor. Jane Doe/AP\n\n" + BODY)
    a = article(text)
    assert a.outlet == "USA TODAY"
    assert "Jane Doe/AP" not in a.text


def test_cnn_dateline_marker_gives_the_outlet_and_leaves_the_text():
    a = article("Quake shakes Seoul\n\nSeoul, South Korea CNN —\n\n" + BODY)
    assert a.outlet == "CNN" and "CNN —" not in a.text


# --- text ----------------------------------------------------------------------------------------
def test_captions_credits_promos_and_updated_lines_do_not_reach_the_text():
    junk = [
        "Snow blankets buildings in Buffalo, New York, on Wednesday, December 28. Joed Viera/AFP/Getty Images",
        "Wang Zhao/AFP/Getty Images",
        "Show Caption",
        "Hide caption",
        "1 of 12",
        "Updated 10:37 a.m. ET Dec. 18, 2025",
        "Sign up for USA TODAY's Checking the Facts newsletter.",
        "Subscribe to The Week Escape your echo chamber. Get the facts behind the news. SUBSCRIBE & SAVE",
        "Get CNN Health's weekly newsletter Sign up here to get The Results Are In with Dr. Sanjay Gupta every Tuesday.",
        "Support local journalism. Subscribe to azcentral.com today.",
    ]
    text = "Council expands bus network\n\n" + "\n\n".join(junk[:5]) + "\n\n" + BODY + "\n\n" + "\n\n".join(junk[5:])
    a = article(text)
    for line in junk:
        assert line not in a.text, line
    assert "twelve routes" in a.text and "Opponents said" in a.text
    kept = article("Updated grocery store hours, including for seniors, in Delaware\n\n" + BODY)
    assert kept.title.startswith("Updated grocery store hours")


# --- HTML metadata, through a loopback server ---------------------------------------------------
PAGE = """<!doctype html><html><head><title>Council expands bus network - Riverside Times</title>
<meta property="og:site_name" content="Riverside Times">
<meta property="article:published_time" content="2024-09-12T08:00:00Z">
<meta property="article:modified_time" content="2024-09-13T08:00:00Z">
{extra}</head><body><article><h1>Council expands bus network</h1>
<p>Sept. 20, 2024</p>
<p>The city council voted on Tuesday to expand the bus network to the northern suburbs, officials said.</p>
<p>The plan adds twelve routes and will cost about 40 million dollars over three years.</p>
<p>Opponents said the money would be better spent on repairing the roads that buses already use.</p>
</article></body></html>"""
JSONLD = PAGE.replace("{extra}", '<script type="application/ld+json">' + json.dumps(
    {"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2023-05-02T10:00:00Z"}) + "</script>"
).replace('<meta property="article:published_time" content="2024-09-12T08:00:00Z">\n', "").replace(
    '<meta property="article:modified_time" content="2024-09-13T08:00:00Z">\n', "").replace("twelve", "eight")


class Pages(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        body = {"/2025/01/05/meta": PAGE.replace("{extra}", ""), "/jsonld": JSONLD}.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write((body or "missing").encode())


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_html_metadata_outranks_dateline_and_url(tmp_path, site):
    settings = make_settings(tmp_path / "store", allow_private_urls=True)
    report = Indexer(settings).run([f"{site}/2025/01/05/meta", f"{site}/jsonld"])
    assert report.added == 2 and not report.skipped
    by_url = {s["url"].rsplit("/", 1)[-1]: s for s in IndexReader(settings).sources()}
    meta = by_url["meta"]
    assert (meta["date"], meta["date_source"], meta["date_updated"]) == ("2024-09-12", "meta", "2024-09-13")
    assert meta["outlet"] == "Riverside Times" and meta["title"] == "Council expands bus network"
    assert (by_url["jsonld"]["date"], by_url["jsonld"]["date_source"]) == ("2023-05-02", "meta")


# --- an existing index catches up after an upgrade ------------------------------------------------
def test_upgrade_brings_stored_metadata_up_to_date(tmp_path, monkeypatch):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Council expands bus network\n\nhttps://www.usatoday.com/story/news/2025/12/17/bus/1/\n\n"
                                  + BODY, encoding="utf-8")
    settings = make_settings(tmp_path / "store")
    import index.pipeline as pipeline

    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", 1)  # an index written by the old pipeline, which read no URL dates
    monkeypatch.setattr("index.dates.from_url", lambda url: None)
    monkeypatch.setattr("index.dates.estimate", lambda text, today=None: None)
    Indexer(settings).run([str(folder)])
    assert IndexReader(settings).sources()[0]["date"] is None
    monkeypatch.undo()
    (tmp_path / "elsewhere").mkdir()
    report = Indexer(settings).run([str(tmp_path / "elsewhere")])  # the stored article is read again all the same
    row = IndexReader(settings).sources()[0]
    assert (row["date"], row["date_source"]) == ("2025-12-17", "url")
    assert report.metadata_changed == [{"path": str(folder / "a.txt"),
                                        "changes": {"date": [None, "2025-12-17"], "date_source": [None, "url"]}}]
