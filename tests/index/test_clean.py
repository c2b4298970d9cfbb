"""Cleaning and metadata of each sample article, against what a careful reader sees in it."""

from __future__ import annotations

import pytest

from index.clean import EmptyArticleError, clean_document
from index.decode import decode_bytes
from index.models import RawDocument
from tests.conftest import SAMPLE_DIR


def sample(name: str):
    path = next(SAMPLE_DIR.glob(f"{name}_*.txt"))
    text, _ = decode_bytes(path.read_bytes())
    return clean_document(RawDocument(path=str(path), text=text, kind="txt"))


JUNK_EVERYWHERE = ["Leave a Reply", "email address", "Required fields", "Read also", "/html/head", "http", "×"]


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_no_junk_reaches_the_text(name):
    article = sample(name)
    for junk in JUNK_EVERYWHERE:
        assert junk not in article.text, f"{junk!r} left in {name}"
    for line in article.text.split("\n\n"):
        assert len(line.split()) >= 4, f"stray fragment {line!r} in {name}"


def test_cnn_article():
    a = sample("000")
    assert a.title == "CNN: Biden hopes for return of Russian and US ambassadors"
    assert a.outlet == "CNN"
    assert a.date is None  # the text states no date; dates in the body are not guessed from
    assert a.text.startswith("CNN reports quoting three informed sources")
    assert "Anatoly Antonov, was recalled from Washington" in a.text
    assert a.text.endswith("keep relations with Russia open from the top down.")
    assert "News i" not in a.text


def test_sputnik_export():
    a = sample("001")
    assert a.title == "US Charge d'Affaires Says It Is Important for Biden That Embassy in Moscow Remain Open"
    assert a.outlet == "Sputnik"
    assert a.date == "2022-11-28"
    assert a.url.startswith("https://sputniknews.com/20221128/us-charge-daffaires")
    # repeated title, meta lines, keyword lines, contact lines, image sizes: all gone
    assert a.title not in a.text
    for junk in ["feedback@sputniknews.com", "1920 1080 true", "en_EN", "joe biden\n", "us embassy", "cdnn1.img"]:
        assert junk not in a.text
    # glued sentences are separated, the quotes survive verbatim
    assert 'remain open and functioning." The charge d\'affaires expressed hope' in a.text
    assert "around the world. Last month, Russian Foreign Minister Sergey Lavrov" in a.text
    assert '"willing to cooperate with Russia on mutually beneficial and equal terms."' in a.text


def test_tass_press_review():
    a = sample("002")
    assert a.title == "Vedomosti: Russia, US unlikely to reboot dialogue"
    assert a.outlet == "TASS"  # "Published at tass.com"; Vedomosti is the paper TASS reviews
    assert a.date == "2021-03-30"
    assert "Antonov left Washington on March 20" in a.text
    assert "SWIFT" not in a.text  # the "Read also:" teaser headline
    assert "Published at" not in a.text
    assert a.text.endswith("the newspaper’s source suggested.")


def test_reuters_article_with_site_menu():
    a = sample("003")
    assert a.title == "Russia vs U.S: Embassy Rows Unresolved Amidst Diplomatic Stand-Off"
    assert a.outlet == "Reuters"
    assert a.date == "2021-10-12"
    for junk in ["Startups Business News", "SOURCE", "PIXABAY", "\u00a0"]:
        assert junk not in a.text
    assert a.text.startswith("Russia and the United States failed to make any major progress")
    assert "expel 300 Russian diplomats" in a.text


def test_undated_opinion_piece_with_byline():
    a = sample("004")
    assert a.title == "Russia mending diplomatic relations with United States"
    assert a.outlet is None
    # "February 27" and "last year" in the body are not a publication date; "late February 2022" bounds it.
    assert (a.date, a.date_source) == ("2022-01-01", "estimate")
    assert a.author == "Kestér Kenn KLOMEGÂH"
    assert a.text.startswith("It could be ostentatious steps")
    assert "Chapter two: Return of Russian diplomats to Washington and New York." in a.text
    assert "Alexander Darchiyev" in a.text
    assert not a.text.startswith("0")


def test_ids_are_content_hashes():
    a, b = sample("000"), sample("000")
    assert a.id == b.id == a.content_hash[:16]
    assert sample("001").id != a.id


@pytest.mark.parametrize(
    "text",
    ["", "\n\n   \n", "Home News Sport Politics Business World Weather Login\n×\nrussia\nus\n"],
)
def test_nothing_left_is_an_error(text):
    with pytest.raises(EmptyArticleError):
        clean_document(RawDocument(path="x.txt", text=text, kind="txt"))


def test_markdown_front_matter_and_headings():
    md = "---\ntitle: Talks in Geneva\ndate: 2024-05-02\nsource: Example Times\n---\n# Talks in Geneva\n\nThe **two sides** met in [Geneva](http://x) on Monday and agreed to meet again.\n"
    a = clean_document(RawDocument(path="a.md", text=md, kind="md"))
    assert (a.title, a.date, a.outlet) == ("Talks in Geneva", "2024-05-02", "Example Times")
    assert a.text == "The two sides met in Geneva on Monday and agreed to meet again."


@pytest.mark.parametrize(
    "line, iso",
    [("Mar. 30, 2021", "2021-03-30"), ("October 12, 2021", "2021-10-12"), ("12 October 2021", "2021-10-12"),
     ("2022-11-28", "2022-11-28"), ("28.11.2022", "2022-11-28"), ("Published: June 3, 2024", "2024-06-03"),
     ("2022-11-28T07:36+0000", "2022-11-28")],
)
def test_date_formats(line, iso):
    text = f"Some headline about talks\n\n{line}\n\nThe talks took place in a large hall and went on for hours."
    assert clean_document(RawDocument(path="d.txt", text=text, kind="txt")).date == iso


def test_date_in_body_is_not_a_publication_date():
    text = "Some headline about talks\n\nThe talks on March 3, 2020 took place in a hall and went on for hours.\n\nMarch 3, 2020"
    a = clean_document(RawDocument(path="d.txt", text="\n".join([text] + ["Another sentence of the article follows here."] * 20), kind="txt"))
    assert (a.date, a.date_source) == ("2020-03-03", "estimate")  # a lower bound, shown as "not before", never exact
