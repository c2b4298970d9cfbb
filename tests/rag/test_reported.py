"""A quoted sentence that speaks as "we", stated as what its named speaker said (rag/reported.py)."""

from __future__ import annotations

import pytest

from rag.answer_text import strip_quotes
from rag.extractive import stated
from rag.models import RetrievedChunk
from rag.reported import reported

PASSAGE = ('Officials met on Monday. "Our bilateral ties are at a low level and our embassies are much reduced. '
           'But we do talk at the working level," Rood said. “We will not leave,” he said.')


def test_a_sentence_that_opens_a_quotation_is_reported_as_said_by_the_name_where_it_closes():
    s = '"Our bilateral ties are at a low level and our embassies are much reduced.'
    assert reported(s, PASSAGE) == "Rood said their bilateral ties are at a low level and their embassies are much reduced."


@pytest.mark.parametrize("sentence, passage, expected", [
    # closed in the sentence, its speaker right after the mark, either order
    ("“We will not leave,” Ryabkov said.", "", "Ryabkov said they will not leave."),
    ("“Our talks failed,” said Sergei Ryabkov.", "", "Sergei Ryabkov said their talks failed."),
    # no name where it closes: a pronoun, a title, nothing
    ("“We will not leave,” he said.", "", None),
    ("“We will not leave,” The minister said.", "", None),
    ('"We will not leave.', 'Talks. "We will not leave.', None),
    # "I", "my", "you": the speaker's gender or the listener would be needed
    ("“I will not leave,” Ryabkov said.", "", None),
    ("“We will not leave you,” Ryabkov said.", "", None),
    # part of the sentence is the outlet's: it goes on after the speaker, or does not open with the mark
    ("“Our talks failed,” Ryabkov said, adding that sanctions hurt us.", "", None),
    ("Ryabkov said: “Our talks failed.”", "", None),
    # nothing to turn: no "we"
    ("“Talks failed,” Ryabkov said.", "", None),
])
def test_only_one_named_speakers_whole_quotation_in_the_plural_first_person_is_reported(sentence, passage, expected):
    assert reported(sentence, passage or sentence) == expected


def test_a_stated_sentence_that_speaks_as_we_is_what_its_speaker_said_not_a_quote():
    """"As of …": the fact is in the answer's words, with who said it; without a named speaker the sentence is
    stated as it stands, its quotation still marked."""
    c = RetrievedChunk(id="c", article_id="a", text=PASSAGE, title="T", outlet="Sputnik", date="2022-11-28", url=None,
                       path="p", start=0, end=0)
    s = '"Our bilateral ties are at a low level and our embassies are much reduced.'
    out = stated("As of 28 November 2022,", c, s, 1, dated=False, passage=PASSAGE)
    assert out == ("As of 28 November 2022, Sputnik: Rood said their bilateral ties are at a low level and their "
                   "embassies are much reduced [1].")
    assert "much reduced" in strip_quotes(out)
    unnamed = stated("As of 28 November 2022,", c, "“We will not leave,” he said.", 1, dated=False, passage=PASSAGE)
    assert unnamed == "As of 28 November 2022, Sputnik: ‘We will not leave,’ he said [1]."  # stated as is, marks kept


def test_a_quoted_sentence_that_opens_a_quotation_shows_no_second_opening_mark():
    """“"Our bilateral …” reads as a stray mark: the answer's own marks already say the sentence is quoted."""
    from rag.extractive import lead_sentence, quoted

    assert quoted('"Our ties are at a low level.') == "“Our ties are at a low level.”"
    assert quoted("“Our ties are low,” he said.") == "““Our ties are low,” he said.”"  # closed: the marks are the article's
    c = RetrievedChunk(id="c", article_id="a", text=PASSAGE, title="T", outlet="Sputnik", date="2022-11-28", url=None,
                       path="p", start=0, end=0)
    assert lead_sentence(None, c, '"Our ties are at a low level.', 1) == \
        "According to Sputnik, 28 November 2022: “Our ties are at a low level.” [1]."
