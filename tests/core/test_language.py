"""The one language module: months, stopwords, tokens and stems, sentences, names."""

from __future__ import annotations

import pytest

from core.language import (
    CALENDAR_WORDS,
    MONTHS,
    STOPWORDS,
    is_city,
    is_country,
    is_name,
    is_subdivision,
    is_stopword,
    month_number,
    name_terms,
    noun_lemma,
    past_participle,
    split_sentences,
    stem,
    tokens,
    words,
)


@pytest.mark.parametrize("word, number", [("January", 1), ("mar", 3), ("Sept.", 9), ("sep", 9), ("DECEMBER", 12),
                                          ("May", 5), ("Maybe", None), ("Monday", None)])
def test_month_number_reads_names_and_abbreviations(word, number):
    assert month_number(word) == number


def test_months_are_english_whatever_the_locale():
    assert MONTHS[0] == "January" and MONTHS[11] == "December" and len(MONTHS) == 12
    assert {"sept", "monday", "june", "jun"} <= CALENDAR_WORDS and "today" not in CALENDAR_WORDS


def test_stopwords_include_the_bm25s_english_list_and_reporting_words():
    from bm25s.stopwords import STOPWORDS_EN

    assert set(STOPWORDS_EN) <= STOPWORDS
    assert {"said", "according", "articles", "however"} <= STOPWORDS
    assert "may" not in STOPWORDS  # also a month


def test_an_acronym_in_capitals_is_never_a_stopword():
    assert is_stopword("us") and is_stopword("Us") and is_stopword("It's")
    assert not is_stopword("US") and not is_stopword("U.S.") and not is_stopword("WHO")


def test_forms_of_a_word_share_one_stem():
    assert stem("sanctions") == stem("sanctioned") == stem("sanctioning") == stem("sanction")
    assert stem("embassies") == stem("embassy")
    assert stem("Russia's") == stem("Russia")
    assert stem("held") == stem("hold") and stem("left") == stem("leave")  # irregular verbs, by lemminflect
    assert stem("expelled") == stem("expel") != stem("explain")


def test_us_with_and_without_dots_is_one_token():
    assert tokens("the U.S. embassy") == tokens("the US embassy") == ["us", stem("embassy")]
    assert words("U.S.-Russian talks") == ["US", "Russian", "talks"]


def test_tokens_drop_stopwords_and_single_letters_but_keep_numbers():
    assert tokens("It was said that 3 diplomats, a 1.5 million plan and 3,000 troops left.") == [
        "3", "diplomat", "1.5", "million", "plan", "3,000", "troop", stem("left")]
    assert tokens("the of and") == []


def test_noun_lemma_is_finer_than_the_stem():
    assert stem("diplomatic") == stem("diplomats")
    assert noun_lemma("Diplomats") == "diplomat" != noun_lemma("diplomatic")


def test_past_participles_come_from_lemminflect():
    assert [past_participle(w) for w in ("gave", "saw", "expelled", "put")] == ["given", "seen", "expelled", "put"]
    assert past_participle("talks") is None and past_participle("leaves") is None


def test_sentences_do_not_end_after_abbreviations_or_initials():
    text = "Mr. Smith met U.S. officials on Sept. 12. John F. Kennedy spoke. It ended in May. Then rain."
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["Mr. Smith met U.S. officials on Sept. 12.", "John F. Kennedy spoke.", "It ended in May.", "Then rain."]


def test_sentence_spans_are_exact_slices():
    text = "  First one.  Second “quoted” one!\n\nThird"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second “quoted” one!", "Third"]


def test_names_are_capitalised_words_that_do_not_just_start_a_sentence():
    assert is_name("Ryabkov") and is_name("US")
    assert not is_name("However") and not is_name("Officials") and not is_name("russia")
    assert name_terms("According to TASS, Sergei Ryabkov met officials in 2021. However, nothing changed.") == {
        "tass", stem("Sergei"), "ryabkov", "2021"}


def test_roles_read_office_countries_direction_and_person():
    from core.language import roles

    def read(text):
        return [(r.office, set(r.titles), set(r.of), set(r.to), r.person) for r in roles(text)]

    antonov = ("ambassador", set(), {"russia"}, {"united states"}, ("anatoly", "antonov"))
    assert read("Russia's ambassador to the United States, Anatoly Antonov, was recalled.") == [antonov]
    assert read("Russian Ambassador to the US Anatoly Antonov will return.") == [antonov]
    assert read("Anatoly Antonov, the Russian envoy to Washington, said so.") == [antonov]
    assert read("The US Ambassador to Russia, Anatoly Antonov, left.") == [
        ("ambassador", set(), {"united states"}, {"russia"}, ("anatoly", "antonov"))]
    assert read("Antonov was Russia's ambassador.") == [("ambassador", set(), {"russia"}, set(), ("antonov",))]
    assert read("Russia's Deputy Foreign Minister Sergei Ryabkov said.") == [
        ("minister", {"deputy", "foreign"}, {"russia"}, set(), ("sergei", "ryabkov"))]
    assert read("U.S. Under Secretary of State Victoria Nuland") == [
        ("secretary", {"under"}, {"united states", "state"}, set(), ("victoria", "nuland"))]
    assert read("Kenneth Yavitz, a retired US ambassador to Moscow, Belarus and Georgia, told CNN.") == [
        ("ambassador", {"retired"}, {"united states"}, {"russia", "belarus", "georgia"}, ("kenneth", "yavitz"))]
    # a name that starts the next clause, or is the object of another verb, is not the title's
    assert read("According to a State Department spokesman, Sullivan would go back.") == []
    assert read("After meeting Lavrov, the US ambassador said no.") == []
    # "chargé d'affaires" is one office of two words, the second in lower case
    assert read("Rood, the Russian charge d'affaires in Washington, said so.") == [
        ("chargé", set(), {"russia"}, {"united states"}, ("rood",))]


def test_may_be_noun_tells_verbs_from_nouns_and_keeps_unknown_words():
    from core.language import may_be_noun

    assert not any(may_be_noun(w) for w in ("called", "recalled", "expelled", "said"))
    assert all(may_be_noun(w) for w in ("diplomats", "talks", "visit", "Embassy", "Antonov", "Darchiyev", "U.S."))


@pytest.mark.parametrize("phrase, country, state", [
    ("Lebanon", True, False), ("the United States", True, False), ("U.S.", True, False),
    ("California", False, True), ("New York", False, True), ("Moscow", False, False), ("Russian", False, False),
    ("Turkey", True, False), ("Côte d’Ivoire", True, False), ("United Nations", False, False), ("European Union", False, False),
])
def test_countries_and_states_come_from_the_bundled_gazetteers(phrase, country, state):
    assert is_country(phrase) is country
    assert is_subdivision(phrase, "state") is state


@pytest.mark.parametrize("phrase, city", [
    ("Poltava", True), ("Los Angeles", True), ("New York City", True), ("Kiev", True), ("Kyiv", True),
    ("The Bear", False), ("Dutch", False), ("California", False), ("PT", False), ("St. Louis", True),
])
def test_towns_come_from_the_bundled_geonames_table(phrase, city):
    assert is_city(phrase) is city


def test_big_cities_leave_out_towns_named_like_companies():
    assert is_city("Toyota") and not is_city("Toyota", big=True)
    assert is_city("Moscow", big=True) and is_city("Kiev", big=True)


def test_the_countries_of_a_town_name_include_other_spellings_of_big_cities():
    from core.language import city_countries

    assert city_countries("Vladivostok") == {"russia"}
    assert "russia" in city_countries("St. Petersburg") and "ukraine" in city_countries("Odessa")
    assert city_countries("Atlantis Nowhere") == frozenset()


def test_a_big_towns_country_is_that_of_the_biggest_town_of_the_name():
    from core.language import country_of_city

    assert country_of_city("Istanbul") == "Turkey" and country_of_city("Moscow") == "Russia"  # not Moscow, Idaho
    assert country_of_city("Kiev") == "Ukraine"  # another spelling of a big town
    assert country_of_city("Lewes") is None  # a small town: its name may be another's elsewhere
    assert country_of_city("Atlantis Nowhere") is None
